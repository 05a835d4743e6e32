/// The last server endpoint field parsed (`10.0.1.11:993`), kept as up to 24 bytes in three words, and what
/// it gave: where its address lies in it, its port, and its server's id.
struct EndpointMemo {
    private var length = -1
    private var head: UInt64 = 0
    private var middle: UInt64 = 0
    private var tail: UInt64 = 0
    private(set) var addressOffset = 0
    private(set) var addressLength = 0
    private(set) var port = 0
    private(set) var server: Int32 = -1

    /// Words covering `range` (8 to 24 bytes): the first eight, bytes 8..<16 when over 16, the last eight.
    @inline(__always)
    private static func words(_ base: UnsafePointer<UInt8>, _ range: ByteRange) -> (UInt64, UInt64, UInt64)? {
        let n = range.count
        guard n >= 8 && n <= 24 else { return nil }
        let p = base + range.start
        return (Bytes.word(p), n > 16 ? Bytes.word(p + 8) : 0, Bytes.word(p + n - 8))
    }

    /// What the same bytes gave last time, if `range` holds them.
    @inline(__always)
    func recall(_ base: UnsafePointer<UInt8>, _ range: ByteRange) -> EndpointMemo? {
        guard range.count == length, let (h, m, t) = Self.words(base, range) else { return nil }
        return h == head && m == middle && t == tail ? self : nil
    }

    mutating func remember(
        _ base: UnsafePointer<UInt8>, _ range: ByteRange, address: ByteRange, port: Int, server: Int32
    ) {
        guard let (h, m, t) = Self.words(base, range) else {
            length = -1
            return
        }
        (length, head, middle, tail) = (range.count, h, m, t)
        (addressOffset, addressLength) = (address.start - range.start, address.count)
        (self.port, self.server) = (port, server)
    }
}
