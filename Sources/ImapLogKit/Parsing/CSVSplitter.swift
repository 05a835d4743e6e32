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
        split(base, count: count, from: 0, fieldsSoFar: 0, into: fields, capacity: capacity)
    }

    /// Splits the bytes from `from`, the first byte of field `fieldsSoFar` (the fields before it already in
    /// `fields`, found by the caller), as `split` would.
    static func split(
        _ base: UnsafeMutablePointer<UInt8>, count: Int, from: Int, fieldsSoFar: Int,
        into fields: UnsafeMutablePointer<ByteRange>, capacity: Int
    ) -> Result {
        var cuts = Cuts(fields: fields, capacity: capacity, start: from, count: fieldsSoFar)
        var i = from
        // Most lines hold no quote at all. A block with one hands the line, from the current field on (no comma
        // and no quote before it in that field), to the word loop, which knows quoting.
        while i &+ 16 <= count {
            let block = Block(base + i)
            if block.quotes != 0 { return splitWords(base, count: count, cuts) }
            cut(block.commas, at: i, &cuts)
            i &+= 16
        }
        if i < count {
            guard count >= 16 else { return splitWords(base, count: count, cuts) }
            // The last 16 bytes of the line, read again: the first `i - back` were looked at above.
            let back = count &- 16
            let block = Block(base + back)
            let unseen = UInt32(0xFFFF) &<< UInt32(i &- back)
            if block.quotes & unseen != 0 { return splitWords(base, count: count, cuts) }
            cut(block.commas & unseen, at: back, &cuts)
        }
        return cuts.last(endingAt: count, insideQuotes: false)
    }

    /// The fields cut so far: where the current one starts, and how many there are (past `capacity`, counted but
    /// not stored).
    private struct Cuts {
        let fields: UnsafeMutablePointer<ByteRange>
        let capacity: Int
        var start: Int
        var count: Int

        /// Adds a field.
        @inline(__always)
        mutating func append(_ field: ByteRange) {
            if count < capacity { fields[count] = field }
            // Below the line's length: wrapping arithmetic cannot wrap.
            count &+= 1
        }

        /// Ends the current field at the comma at `comma`; the next starts after it.
        @inline(__always)
        mutating func end(at comma: Int) {
            append(ByteRange(start: start, end: comma))
            start = comma &+ 1
        }

        /// Adds the line's last field, from `start` to `end`, and gives the result.
        @inline(__always)
        mutating func last(endingAt end: Int, insideQuotes: Bool) -> Result {
            append(ByteRange(start: start, end: end))
            return Result(fieldCount: count, endsInsideQuotes: insideQuotes)
        }
    }

    /// Sixteen bytes compared with `,` and `"` at once: bit k of `commas` (of `quotes`) is set when byte k is one.
    private struct Block {
        let commas: UInt32
        let quotes: UInt32

        @inline(__always)
        init(_ p: UnsafePointer<UInt8>) {
            // Both operands spelled `SIMD16<UInt8>`: that picks the one-instruction comparison, where the generic
            // one compares byte by byte.
            let bytes: SIMD16<UInt8> = UnsafeRawPointer(p).loadUnaligned(as: SIMD16<UInt8>.self)
            let comma = SIMD16<UInt8>(repeating: UInt8(ascii: ","))
            let quote = SIMD16<UInt8>(repeating: UInt8(ascii: "\""))
            commas = Self.bits(unsafeBitCast(bytes .== comma, to: SIMD2<UInt64>.self))
            let quoteWords = unsafeBitCast(bytes .== quote, to: SIMD2<UInt64>.self)
            // Only whether there is one matters (a block with a quote goes to the word loop).
            quotes = quoteWords[0] | quoteWords[1] == 0 ? 0 : Self.bits(quoteWords)
        }

        /// One bit per byte of a comparison's result (bytes all ones or all zeros).
        @inline(__always)
        private static func bits(_ words: SIMD2<UInt64>) -> UInt32 {
            // Byte k keeps bit k of its half; the half's eight distinct bits, summed into the top byte by one
            // multiplication, are its mask.
            let low = ((UInt64(littleEndian: words[0]) & 0x8040_2010_0804_0201) &* 0x0101_0101_0101_0101) >> 56
            let high = ((UInt64(littleEndian: words[1]) & 0x8040_2010_0804_0201) &* 0x0101_0101_0101_0101) >> 56
            return UInt32(truncatingIfNeeded: low | high << 8)
        }
    }

    /// Ends a field at each comma flagged in `hits` (a block's `commas`), the block's first byte at `offset`.
    @inline(__always)
    private static func cut(_ hits: UInt32, at offset: Int, _ cuts: inout Cuts) {
        var hits = hits
        // With room for a block's 16 more fields, none is checked against the capacity.
        if hits != 0 && cuts.count &+ 16 <= cuts.capacity {
            repeat {
                let p = offset &+ hits.trailingZeroBitCount
                hits &= hits &- 1
                cuts.fields[cuts.count] = ByteRange(start: cuts.start, end: p)
                cuts.count &+= 1
                cuts.start = p &+ 1
            } while hits != 0
        }
        while hits != 0 {
            cuts.end(at: offset &+ hits.trailingZeroBitCount)
            hits &= hits &- 1
        }
    }

    /// Cuts fields eight bytes at a time, from `cuts.start` (a field's first byte), knowing quotes: the first quote
    /// that opens a field hands the rest of the line to the general loop.
    private static func splitWords(_ base: UnsafeMutablePointer<UInt8>, count: Int, _ cuts: Cuts) -> Result {
        var cuts = cuts
        var i = cuts.start
        while i &+ 8 <= count {
            let word = Bytes.word(base + i)
            // `matches` may also flag a byte after a hit (a cheaper test than an exact one): each is checked.
            var hits = Bytes.matches(word, UInt8(ascii: ",")) | Bytes.matches(word, UInt8(ascii: "\""))
            while hits != 0 {
                let p = i &+ hits.trailingZeroBitCount &>> 3
                hits &= hits &- 1
                let byte = base[p]
                if byte == UInt8(ascii: ",") {
                    cuts.end(at: p)
                } else if byte == UInt8(ascii: "\"") && p == cuts.start {
                    return splitQuoted(base, count: count, cuts)
                }
            }
            i &+= 8
        }
        while i < count {
            if base[i] == UInt8(ascii: ",") {
                cuts.end(at: i)
            } else if base[i] == UInt8(ascii: "\"") && i == cuts.start {
                return splitQuoted(base, count: count, cuts)
            }
            i += 1
        }
        return cuts.last(endingAt: count, insideQuotes: false)
    }

    /// The general loop, from `cuts.start` (a field's first byte) to the end of the line.
    private static func splitQuoted(_ base: UnsafeMutablePointer<UInt8>, count: Int, _ cuts: Cuts) -> Result {
        let quote = UInt8(ascii: "\"")
        let comma = UInt8(ascii: ",")
        var cuts = cuts
        var i = cuts.start
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
            cuts.append(field)
            if i >= count { break }
            i += 1  // past the comma; a comma at the very end makes one more, empty, field
        }
        return Result(fieldCount: cuts.count, endsInsideQuotes: endsInsideQuotes)
    }
}
