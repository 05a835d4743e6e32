// Reading the variable-length numbers that packed pages and encoded minute tables are made of.

/// Reads variable-length numbers (7 bits a byte, low first); nil past the end or on a number too long.
struct NumberReader {
    let bytes: [UInt8]
    private var i = 0

    init(bytes: [UInt8], start: Int = 0) {
        self.bytes = bytes
        i = start
    }

    var isAtEnd: Bool { i == bytes.count }
    /// Where the next number starts.
    var position: Int { i }

    mutating func next() -> UInt64? {
        var result: UInt64 = 0
        var shift: UInt64 = 0
        while i < bytes.count && shift < 64 {
            let byte = bytes[i]
            i += 1
            result |= UInt64(byte & 0x7F) << shift
            if byte < 0x80 { return result }
            shift += 7
        }
        return nil
    }

    mutating func nextSigned() -> Int64? {
        guard let z = next() else { return nil }
        return Int64(bitPattern: (z >> 1) ^ (0 &- (z & 1)))
    }
}
