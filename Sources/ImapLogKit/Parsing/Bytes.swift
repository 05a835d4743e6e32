/// A field's place in the current line: byte offsets, start inclusive, end exclusive.
struct ByteRange: Equatable {
    var start: Int
    var end: Int

    static let empty = ByteRange(start: 0, end: 0)

    var count: Int { end - start }
    var isEmpty: Bool { end <= start }
}

/// Byte-level helpers over the current line.
///
/// All take a base pointer and a range inside it; callers guarantee `0 <= start <= end <= line length`.
enum Bytes {
    @inline(__always)
    static func lowercased(_ byte: UInt8) -> UInt8 {
        byte &- 0x41 < 26 ? byte | 0x20 : byte
    }

    /// Whether the bytes in `range` equal `literal`, ASCII case ignored.
    ///
    /// `literal` must be lower case.
    @inline(__always)
    static func equalsIgnoringCase(_ base: UnsafePointer<UInt8>, _ range: ByteRange, _ literal: StaticString) -> Bool {
        guard range.count == literal.utf8CodeUnitCount else { return false }
        let lit = literal.utf8Start
        for i in 0..<range.count where lowercased(base[range.start + i]) != lit[i] { return false }
        return true
    }

    /// Whether the bytes in `range` start with `literal`, ASCII case ignored.
    ///
    /// `literal` must be lower case.
    @inline(__always)
    static func hasPrefixIgnoringCase(_ base: UnsafePointer<UInt8>, _ range: ByteRange, _ literal: StaticString)
        -> Bool
    {
        let n = literal.utf8CodeUnitCount
        guard range.count >= n else { return false }
        let lit = literal.utf8Start
        for i in 0..<n where lowercased(base[range.start + i]) != lit[i] { return false }
        return true
    }

    /// Offset of the first occurrence of `literal` (exact case) in `range`, or nil.
    ///
    /// - Complexity: O(range) with `memchr` on the first byte.
    static func find(_ literal: StaticString, in base: UnsafePointer<UInt8>, _ range: ByteRange) -> Int? {
        let n = literal.utf8CodeUnitCount
        guard n > 0, range.count >= n else { return nil }
        let lit = literal.utf8Start
        var at = range.start
        let last = range.end - n
        while at <= last {
            guard let hit = Platform.findByte(lit[0], in: base + at, count: last - at + 1) else { return nil }
            let i = UnsafePointer<UInt8>(hit.assumingMemoryBound(to: UInt8.self)) - base
            var same = true
            for k in 1..<max(n, 1) where base[i + k] != lit[k] {
                same = false
                break
            }
            if same { return i }
            at = i + 1
        }
        return nil
    }

    /// Offset of the first `byte` in `range`, or `range.end`.
    @inline(__always)
    static func firstIndex(of byte: UInt8, in base: UnsafePointer<UInt8>, _ range: ByteRange) -> Int {
        guard range.count > 0, let hit = Platform.findByte(byte, in: base + range.start, count: range.count) else {
            return range.end
        }
        return UnsafePointer<UInt8>(hit.assumingMemoryBound(to: UInt8.self)) - base
    }

    /// The range with spaces trimmed from both ends.
    static func trimmed(_ base: UnsafePointer<UInt8>, _ range: ByteRange) -> ByteRange {
        var r = range
        while r.start < r.end && (base[r.start] == 0x20 || base[r.start] == 0x09) { r.start += 1 }
        while r.end > r.start && (base[r.end - 1] == 0x20 || base[r.end - 1] == 0x09) { r.end -= 1 }
        return r
    }

    /// A non-negative decimal number, or nil when empty, signed, non-numeric or over 18 digits.
    @inline(__always)
    static func decimal(_ base: UnsafePointer<UInt8>, _ range: ByteRange) -> Int64? {
        guard range.count > 0, range.count <= 18 else { return nil }
        var value: Int64 = 0
        for i in range.start..<range.end {
            let digit = base[i] &- 0x30
            guard digit < 10 else { return nil }
            value = value &* 10 &+ Int64(digit)
        }
        return value
    }

    /// Up to 16 hex digits as a number, or nil.
    @inline(__always)
    static func hex(_ base: UnsafePointer<UInt8>, _ range: ByteRange) -> UInt64? {
        guard range.count > 0, range.count <= 16 else { return nil }
        var value: UInt64 = 0
        for i in range.start..<range.end {
            let c = base[i]
            let digit: UInt8
            if c &- 0x30 < 10 {
                digit = c &- 0x30
            } else if lowercased(c) &- 0x61 < 6 {
                digit = lowercased(c) &- 0x61 &+ 10
            } else {
                return nil
            }
            value = value << 4 | UInt64(digit)
        }
        return value
    }

    /// The text of a range, invalid UTF-8 replaced by U+FFFD.
    static func string(_ base: UnsafePointer<UInt8>, _ range: ByteRange) -> String {
        guard range.count > 0 else { return "" }
        return String(decoding: UnsafeBufferPointer(start: base + range.start, count: range.count), as: UTF8.self)
    }

    /// Splits `address:port`, `[v6]:port` or a bare address into the address range and the port.
    static func endpoint(_ base: UnsafePointer<UInt8>, _ range: ByteRange) -> (address: ByteRange, port: Int) {
        guard range.count > 0 else { return (range, 0) }
        if base[range.start] == UInt8(ascii: "[") {
            let close = firstIndex(of: UInt8(ascii: "]"), in: base, range)
            let address = ByteRange(start: range.start + 1, end: close)
            var port = 0
            if close + 1 < range.end, base[close + 1] == UInt8(ascii: ":") {
                port = Int(decimal(base, ByteRange(start: close + 2, end: range.end)) ?? 0)
            }
            return (address, port)
        }
        // The last colon, when there is exactly one (a bare IPv6 address has several).
        var colon = -1
        var colons = 0
        for i in range.start..<range.end where base[i] == UInt8(ascii: ":") {
            colon = i
            colons += 1
        }
        guard colons == 1 else { return (range, 0) }
        let port = Int(decimal(base, ByteRange(start: colon + 1, end: range.end)) ?? 0)
        return (ByteRange(start: range.start, end: colon), port)
    }

    /// Whether an address is the machine itself (127.0.0.0/8 or ::1): where Exchange's probes connect from.
    static func isLoopback(_ base: UnsafePointer<UInt8>, _ address: ByteRange) -> Bool {
        hasPrefixIgnoringCase(base, address, "127.") || equalsIgnoringCase(base, address, "::1")
            || hasPrefixIgnoringCase(base, address, "::ffff:127.")
    }
}
