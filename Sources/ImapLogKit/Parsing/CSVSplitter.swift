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
    /// `fields` holds `capacity + 1` ranges: the last is scratch, written over by every field past the
    /// capacity (so that storing one takes no branch).
    ///
    /// - Complexity: O(n); commas are found 64 bytes at a time (four vector compares), closing quotes with
    ///   `memchr`.
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
        // Most lines hold no quote at all. A span with one hands the line, from the current field on (no comma
        // and no quote before it in that field), to the word loop, which knows quoting.
        guard count &- from >= 64 else { return splitShort(base, count: count, cuts) }
        // One loop over a chunk's commas: its exit, the branch guessed wrong, comes once per 64 bytes.
        while i &+ 64 <= count {
            let chunk = Chunk(base + i)
            if chunk.hasQuote { return splitWords(base, count: count, cuts) }
            cut(chunk.commas, at: i, &cuts)
            i &+= 64
        }
        if i < count {
            // The last 64 bytes of the line, read again: the first `i - back` were looked at above (and held no
            // quote).
            let back = count &- 64
            let chunk = Chunk(base + back)
            if chunk.hasQuote { return splitWords(base, count: count, cuts) }
            cut(chunk.commas & (~0 &<< UInt64(i &- back)), at: back, &cuts)
        }
        return cuts.last(endingAt: count, insideQuotes: false)
    }

    /// `split` for fewer than 64 bytes from `cuts.start`: 16 at a time.
    private static func splitShort(_ base: UnsafeMutablePointer<UInt8>, count: Int, _ cuts: Cuts) -> Result {
        var cuts = cuts
        var i = cuts.start
        while i &+ 16 <= count {
            let block = Block(base + i)
            if block.quotes != 0 { return splitWords(base, count: count, cuts) }
            cut(UInt64(block.commas), at: i, &cuts)
            i &+= 16
        }
        if i < count {
            guard count >= 16 else { return splitWords(base, count: count, cuts) }
            // The last 16 bytes of the line, read again: the first `i - back` were looked at above.
            let back = count &- 16
            let block = Block(base + back)
            let unseen = UInt32(0xFFFF) &<< UInt32(i &- back)
            if block.quotes & unseen != 0 { return splitWords(base, count: count, cuts) }
            cut(UInt64(block.commas & unseen), at: back, &cuts)
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

        /// Adds a field; past the capacity, into the scratch slot.
        @inline(__always)
        mutating func append(_ field: ByteRange) {
            fields[count < capacity ? count : capacity] = field
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
            commas = ByteMask.bits(bytes .== SIMD16<UInt8>(repeating: UInt8(ascii: ",")))
            quotes = ByteMask.bits(bytes .== SIMD16<UInt8>(repeating: UInt8(ascii: "\"")))
        }
    }

    /// Sixty-four bytes compared with `,` and `"`: bit k of `commas` is set when byte k is a comma.
    private struct Chunk {
        let commas: UInt64
        let hasQuote: Bool

        @inline(__always)
        init(_ p: UnsafePointer<UInt8>) {
            let raw = UnsafeRawPointer(p)
            let a: SIMD16<UInt8> = raw.loadUnaligned(as: SIMD16<UInt8>.self)
            let b: SIMD16<UInt8> = raw.loadUnaligned(fromByteOffset: 16, as: SIMD16<UInt8>.self)
            let c: SIMD16<UInt8> = raw.loadUnaligned(fromByteOffset: 32, as: SIMD16<UInt8>.self)
            let d: SIMD16<UInt8> = raw.loadUnaligned(fromByteOffset: 48, as: SIMD16<UInt8>.self)
            let comma = SIMD16<UInt8>(repeating: UInt8(ascii: ","))
            let quote = SIMD16<UInt8>(repeating: UInt8(ascii: "\""))
            // The four comparisons or'ed together, then tested at once.
            hasQuote = ByteMask.bits((a .== quote) .| (b .== quote) .| (c .== quote) .| (d .== quote)) != 0
            commas =
                UInt64(ByteMask.bits(a .== comma)) | UInt64(ByteMask.bits(b .== comma)) &<< 16
                | UInt64(ByteMask.bits(c .== comma)) &<< 32 | UInt64(ByteMask.bits(d .== comma)) &<< 48
        }
    }

    /// Ends a field at each comma flagged in `hits`, bit k standing for the byte at `offset + k`.
    @inline(__always)
    private static func cut(_ hits: UInt64, at offset: Int, _ cuts: inout Cuts) {
        var hits = hits
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
