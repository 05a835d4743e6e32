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

    /// Eight bytes from `p` as a little-endian word (byte 0 in the low bits), unaligned.
    @inline(__always)
    static func word(_ p: UnsafePointer<UInt8>) -> UInt64 {
        UInt64(littleEndian: UnsafeRawPointer(p).loadUnaligned(as: UInt64.self))
    }

    /// Up to eight bytes from `p` as a little-endian word, the missing high bytes zero; reads only
    /// `count` bytes.
    @inline(__always)
    static func partialWord(_ p: UnsafePointer<UInt8>, count: Int) -> UInt64 {
        var word: UInt64 = 0
        var k = count - 1
        while k >= 0 {
            word = word << 8 | UInt64(p[k])
            k -= 1
        }
        return word
    }

    /// The word with every ASCII capital letter lower-cased, eight bytes at once.
    @inline(__always)
    static func lowercased(word x: UInt64) -> UInt64 {
        let low7 = x & 0x7F7F_7F7F_7F7F_7F7F
        let atLeastA = low7 &+ 0x3F3F_3F3F_3F3F_3F3F  // high bit set where byte >= 0x41
        let pastZ = low7 &+ 0x2525_2525_2525_2525  // high bit set where byte >= 0x5B
        let isCapital = atLeastA & ~pastZ & ~x & 0x8080_8080_8080_8080
        return x | (isCapital >> 2)
    }

    /// A word with the high bit of each byte that equals `byte` set (exact for the lowest such byte;
    /// higher bytes may be flagged falsely after it).
    @inline(__always)
    static func matches(_ word: UInt64, _ byte: UInt8) -> UInt64 {
        let x = word ^ (UInt64(byte) &* 0x0101_0101_0101_0101)
        return (x &- 0x0101_0101_0101_0101) & ~x & 0x8080_8080_8080_8080
    }

    /// Offset of the first `byte` in `from..<end`, or `end`: a word at a time, for the short spans (CSV
    /// fields) where calling `memchr` costs more than it saves.
    @inline(__always)
    static func scan(for byte: UInt8, in base: UnsafePointer<UInt8>, from: Int, end: Int) -> Int {
        var i = from
        while i + 8 <= end {
            let hits = matches(word(base + i), byte)
            if hits != 0 { return i + hits.trailingZeroBitCount >> 3 }
            i += 8
        }
        while i < end {
            if base[i] == byte { return i }
            i += 1
        }
        return end
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

    /// Whether the bytes in `range` end with `literal`, ASCII case ignored.
    ///
    /// `literal` must be lower case.
    static func hasSuffixIgnoringCase(_ base: UnsafePointer<UInt8>, _ range: ByteRange, _ literal: StaticString)
        -> Bool
    {
        let n = literal.utf8CodeUnitCount
        guard range.count >= n else { return false }
        let lit = literal.utf8Start
        let start = range.end - n
        for i in 0..<n where lowercased(base[start + i]) != lit[i] { return false }
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
    @inline(__always)
    static func trimmed(_ base: UnsafePointer<UInt8>, _ range: ByteRange) -> ByteRange {
        // The usual field has no padding: both end bytes above the space answer at once.
        if range.start < range.end && base[range.start] > 0x20 && base[range.end - 1] > 0x20 { return range }
        var r = range
        while r.start < r.end && (base[r.start] == 0x20 || base[r.start] == 0x09) { r.start += 1 }
        while r.end > r.start && (base[r.end - 1] == 0x20 || base[r.end - 1] == 0x09) { r.end -= 1 }
        return r
    }

    /// The 1 to 8 bytes of `range` as `partialWord` reads them, with one load when the eight bytes ending at
    /// `range.end` are in the line (`base` is the line's start): a field past the line's first eight bytes.
    @inline(__always)
    static func shortWord(_ base: UnsafePointer<UInt8>, _ range: ByteRange) -> UInt64 {
        let n = range.count
        if range.end >= 8 { return word(base + range.end - 8) &>> UInt64(64 - 8 * n) }
        return partialWord(base + range.start, count: n)
    }

    /// Digits a log's number may have: durations up to 115 days in milliseconds, sizes up to 10 GB a command.
    ///
    /// A crafted log's 18-digit duration or size made the sums of a few rows overflow (a trap); bounded so, no sum
    /// of the rows a machine can read overflows (9.2 × 10^8 rows of the largest value, some 55 GB of log).
    static let maximumDigits = 10

    /// A non-negative decimal number, or nil when empty, signed, non-numeric or over `maximumDigits` digits.
    @inline(__always)
    static func decimal(_ base: UnsafePointer<UInt8>, _ range: ByteRange) -> Int64? {
        let n = range.count
        if n > 0 && n <= 8 && range.end >= 8 {
            // Up to eight digits a word at once: the word ending at the field's last digit, the bytes before the
            // field cleared (leading zeros).
            let digits = (word(base + range.end - 8) ^ 0x3030_3030_3030_3030) & (~0 &<< UInt64(64 - 8 * n))
            // Every byte 0...9: adding 0x76 sets no high bit (a lower byte that is a digit carries nothing up).
            guard (digits | (digits &+ 0x7676_7676_7676_7676)) & 0x8080_8080_8080_8080 == 0 else { return nil }
            // First digit in the low byte: pairs, then fours, then all eight.
            var v = ((digits & 0x0F0F_0F0F_0F0F_0F0F) &* 2561) >> 8
            v = ((v & 0x00FF_00FF_00FF_00FF) &* 6_553_601) >> 16
            v = ((v & 0x0000_FFFF_0000_FFFF) &* 42_949_672_960_001) >> 32
            return Int64(v)
        }
        guard n > 0, n <= maximumDigits else { return nil }
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
        if range.count == 16 {
            // Exchange's session ids: 16 digits, two words.
            guard let high = hexWord(word(base + range.start)), let low = hexWord(word(base + range.start + 8)) else {
                return nil
            }
            return high << 32 | low
        }
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

    /// Eight hex digits (a little-endian word, first digit in the low byte) as a 32-bit value, or nil.
    @inline(__always)
    static func hexWord(_ x: UInt64) -> UInt64? {
        let ones: UInt64 = 0x0101_0101_0101_0101
        let highBits: UInt64 = 0x8080_8080_8080_8080
        // Every byte ASCII, and either '0'...'9' or, case folded, 'a'...'f'.
        @inline(__always) func within(_ v: UInt64, _ low: UInt64, _ high: UInt64) -> UInt64 {
            (v &+ (0x80 - low) &* ones) & ~(v &+ (0x7F - high) &* ones) & highBits
        }
        let folded = x | 0x2020_2020_2020_2020
        guard x & highBits == 0, within(x, 0x30, 0x39) | within(folded, 0x61, 0x66) == highBits else { return nil }
        // '0'...'9' → 0...9, 'a'/'A'... → 10...: low nibble, plus 9 for letters (bit 6 set).
        var v = ((x & 0x0F0F_0F0F_0F0F_0F0F) &+ ((x >> 6) & ones) &* 9).byteSwapped
        v = (v | (v >> 4)) & 0x00FF_00FF_00FF_00FF
        v = (v | (v >> 8)) & 0x0000_FFFF_0000_FFFF
        v = (v | (v >> 16)) & 0x0000_0000_FFFF_FFFF
        return v
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
