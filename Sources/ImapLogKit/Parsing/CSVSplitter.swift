/// Splits one CSV line into fields, removing the CSV quoting in place.
///
/// Exchange wraps a field in quotes (doubling inner quotes) when it holds `"`, `,`, CR or LF. Unquoting
/// only ever shortens a field, so it is done in the line's own bytes, with no copy and no allocation.
enum CSVSplitter {
    /// The result of splitting one line.
    struct Result {
        /// How many fields the line has (may exceed the capacity of `fields`; the rest are not stored).
        var fieldCount: Int
        /// The line ended inside a quoted field: its closing quote (and the rest of the row) is on a
        /// following line, or missing.
        var endsInsideQuotes: Bool
    }

    /// Splits `count` bytes at `base` into `fields` (at most `capacity` stored).
    ///
    /// - Complexity: O(n); commas are found 16 bytes at a time (one vector compare), closing quotes with `memchr`.
    /// - Warning: rewrites quoted fields in `base` in place.
    static func split(
        _ base: UnsafeMutablePointer<UInt8>, count: Int, into fields: UnsafeMutablePointer<ByteRange>, capacity: Int
    ) -> Result {
        var start = 0
        var n = 0
        var i = 0
        // Most lines hold no quote at all. A block with one hands the line, from the current field on (no comma
        // and no quote before it in that field), to the word loop, which knows quoting.
        while i &+ 16 <= count {
            let block = Block(base + i)
            if block.hasQuote {
                return splitWords(base, count: count, from: start, fieldsSoFar: n, into: fields, capacity: capacity)
            }
            cut(block.commasLow, at: i, start: &start, n: &n, into: fields, capacity: capacity)
            cut(block.commasHigh, at: i &+ 8, start: &start, n: &n, into: fields, capacity: capacity)
            i &+= 16
        }
        if i < count {
            guard count >= 16 else {
                return splitWords(base, count: count, from: 0, fieldsSoFar: 0, into: fields, capacity: capacity)
            }
            // The last 16 bytes of the line, read again: the `seen` first ones were looked at above.
            let back = count &- 16
            let block = Block(base + back)
            let seen = i &- back
            let newLow: UInt64 = seen >= 8 ? 0 : ~0 &<< UInt64(seen &* 8)
            let newHigh: UInt64 = seen <= 8 ? ~0 : ~0 &<< UInt64((seen &- 8) &* 8)
            if (block.quotesLow & newLow) | (block.quotesHigh & newHigh) != 0 {
                return splitWords(base, count: count, from: start, fieldsSoFar: n, into: fields, capacity: capacity)
            }
            cut(block.commasLow & newLow, at: back, start: &start, n: &n, into: fields, capacity: capacity)
            cut(block.commasHigh & newHigh, at: back &+ 8, start: &start, n: &n, into: fields, capacity: capacity)
        }
        if n < capacity { fields[n] = ByteRange(start: start, end: count) }
        return Result(fieldCount: n &+ 1, endsInsideQuotes: false)
    }

    /// Sixteen bytes compared with `,` and `"` at once: for each byte, the high bit of its byte in the word
    /// (bytes 0-7 in `…Low`, 8-15 in `…High`, the first byte lowest) is set when it is one.
    private struct Block {
        let commasLow: UInt64
        let commasHigh: UInt64
        let quotesLow: UInt64
        let quotesHigh: UInt64

        @inline(__always)
        init(_ p: UnsafePointer<UInt8>) {
            // Both operands spelled `SIMD16<UInt8>`: that picks the one-instruction comparison, where the generic
            // one compares byte by byte.
            let bytes: SIMD16<UInt8> = UnsafeRawPointer(p).loadUnaligned(as: SIMD16<UInt8>.self)
            let comma = SIMD16<UInt8>(repeating: UInt8(ascii: ","))
            let quote = SIMD16<UInt8>(repeating: UInt8(ascii: "\""))
            let commas = unsafeBitCast(bytes .== comma, to: SIMD2<UInt64>.self)
            let quotes = unsafeBitCast(bytes .== quote, to: SIMD2<UInt64>.self)
            commasLow = UInt64(littleEndian: commas[0]) & 0x8080_8080_8080_8080
            commasHigh = UInt64(littleEndian: commas[1]) & 0x8080_8080_8080_8080
            quotesLow = UInt64(littleEndian: quotes[0])
            quotesHigh = UInt64(littleEndian: quotes[1])
        }

        var hasQuote: Bool { quotesLow | quotesHigh != 0 }
    }

    /// Ends a field at each comma flagged in `hits` (a word of `Block`), the word's first byte at `offset`.
    @inline(__always)
    private static func cut(
        _ hits: UInt64, at offset: Int, start: inout Int, n: inout Int, into fields: UnsafeMutablePointer<ByteRange>,
        capacity: Int
    ) {
        // Offsets stay below the line's length and `n` below it: wrapping arithmetic cannot wrap.
        var hits = hits
        // A word holds at most eight commas: with room for eight more fields, none is checked against the capacity.
        if hits != 0 && n &+ 8 <= capacity {
            repeat {
                let p = offset &+ hits.trailingZeroBitCount &>> 3
                hits &= hits &- 1
                fields[n] = ByteRange(start: start, end: p)
                n &+= 1
                start = p &+ 1
            } while hits != 0
        }
        while hits != 0 {
            let p = offset &+ hits.trailingZeroBitCount &>> 3
            hits &= hits &- 1
            if n < capacity { fields[n] = ByteRange(start: start, end: p) }
            n &+= 1
            start = p &+ 1
        }
    }

    /// Cuts fields eight bytes at a time, from `from`, the first byte of field `fieldsSoFar`, knowing quotes: the
    /// first quote that opens a field hands the rest of the line to the general loop.
    private static func splitWords(
        _ base: UnsafeMutablePointer<UInt8>, count: Int, from: Int, fieldsSoFar: Int,
        into fields: UnsafeMutablePointer<ByteRange>, capacity: Int
    ) -> Result {
        var start = from
        var n = fieldsSoFar
        var i = from
        while i &+ 8 <= count {
            let word = Bytes.word(base + i)
            // `matches` may also flag a byte after a hit (a cheaper test than an exact one): each is checked.
            var hits = Bytes.matches(word, UInt8(ascii: ",")) | Bytes.matches(word, UInt8(ascii: "\""))
            while hits != 0 {
                let p = i &+ hits.trailingZeroBitCount &>> 3
                hits &= hits &- 1
                let byte = base[p]
                if byte == UInt8(ascii: ",") {
                    if n < capacity { fields[n] = ByteRange(start: start, end: p) }
                    n &+= 1
                    start = p &+ 1
                } else if byte == UInt8(ascii: "\"") && p == start {
                    return splitQuoted(
                        base, count: count, from: start, fieldsSoFar: n, into: fields, capacity: capacity)
                }
            }
            i &+= 8
        }
        while i < count {
            if base[i] == UInt8(ascii: ",") {
                if n < capacity { fields[n] = ByteRange(start: start, end: i) }
                n += 1
                start = i + 1
            } else if base[i] == UInt8(ascii: "\"") && i == start {
                return splitQuoted(base, count: count, from: start, fieldsSoFar: n, into: fields, capacity: capacity)
            }
            i += 1
        }
        if n < capacity { fields[n] = ByteRange(start: start, end: count) }
        return Result(fieldCount: n + 1, endsInsideQuotes: false)
    }

    /// The general loop, from field `fieldsSoFar` at `from` (a field's first byte) to the end of the line.
    private static func splitQuoted(
        _ base: UnsafeMutablePointer<UInt8>, count: Int, from: Int, fieldsSoFar: Int,
        into fields: UnsafeMutablePointer<ByteRange>, capacity: Int
    ) -> Result {
        let quote = UInt8(ascii: "\"")
        let comma = UInt8(ascii: ",")
        var i = from
        var n = fieldsSoFar
        var endsInsideQuotes = false
        while true {
            var field: ByteRange
            if i < count && base[i] == quote {
                let start = i
                var w = i
                var r = i + 1
                while true {
                    guard let hit = Platform.findByte(quote, in: base + r, count: count - r) else {
                        // No closing quote: lenient, the field runs to the end of the line.
                        let rest = count - r
                        if rest > 0 && w != r { (base + w).update(from: base + r, count: rest) }
                        w += rest
                        r = count
                        endsInsideQuotes = true
                        break
                    }
                    let q = UnsafeMutablePointer<UInt8>(mutating: hit.assumingMemoryBound(to: UInt8.self)) - base
                    let chunk = q - r
                    if chunk > 0 && w != r { (base + w).update(from: base + r, count: chunk) }
                    w += chunk
                    if q + 1 < count && base[q + 1] == quote {
                        base[w] = quote
                        w += 1
                        r = q + 2
                    } else {
                        r = q + 1
                        break
                    }
                }
                // Bytes between a closing quote and the next comma are kept (lenient).
                while r < count && base[r] != comma {
                    base[w] = base[r]
                    w += 1
                    r += 1
                }
                field = ByteRange(start: start, end: w)
                i = r
            } else {
                let end = Bytes.scan(for: comma, in: base, from: i, end: count)
                field = ByteRange(start: i, end: end)
                i = end
            }
            if n < capacity { fields[n] = field }
            n += 1
            if i >= count { break }
            i += 1  // past the comma; a comma at the very end makes one more, empty, field
        }
        return Result(fieldCount: n, endsInsideQuotes: endsInsideQuotes)
    }
}
