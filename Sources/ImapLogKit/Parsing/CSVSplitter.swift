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
    /// - Complexity: O(n); commas are found a word at a time, closing quotes with `memchr`.
    /// - Warning: rewrites quoted fields in `base` in place.
    static func split(
        _ base: UnsafeMutablePointer<UInt8>, count: Int, into fields: UnsafeMutablePointer<ByteRange>, capacity: Int
    ) -> Result {
        // Most lines hold no quote at all: one `memchr` (vectorised) says so, and then only commas are looked for.
        let hasQuotes = Platform.findByte(UInt8(ascii: "\""), in: base, count: count) != nil
        return hasQuotes
            ? splitWords(base, count: count, into: fields, capacity: capacity, quotes: true)
            : splitWords(base, count: count, into: fields, capacity: capacity, quotes: false)
    }

    /// Cuts unquoted fields eight bytes at a time.
    ///
    /// One pass finds every comma (and, with `quotes`, every quote) of a word. The first quote that opens a
    /// field hands the rest of the line to the general loop. Inlined with `quotes` a constant: a line without
    /// quotes gets a loop that looks for commas only.
    @inline(__always)
    private static func splitWords(
        _ base: UnsafeMutablePointer<UInt8>, count: Int, into fields: UnsafeMutablePointer<ByteRange>, capacity: Int,
        quotes: Bool
    ) -> Result {
        var start = 0
        var n = 0
        var i = 0
        // Offsets stay below `count` and `n` below the line's length: wrapping arithmetic cannot wrap.
        while i &+ 8 <= count {
            let word = Bytes.word(base + i)
            if !quotes {
                // The exact test flags commas only. A word holds at most eight: with room for eight more fields,
                // none is checked against the capacity.
                var hits = Bytes.exactMatches(word, UInt8(ascii: ","))
                if hits != 0 && n &+ 8 <= capacity {
                    repeat {
                        let p = i &+ hits.trailingZeroBitCount &>> 3
                        hits &= hits &- 1
                        fields[n] = ByteRange(start: start, end: p)
                        n &+= 1
                        start = p &+ 1
                    } while hits != 0
                }
                while hits != 0 {
                    let p = i &+ hits.trailingZeroBitCount &>> 3
                    hits &= hits &- 1
                    if n < capacity { fields[n] = ByteRange(start: start, end: p) }
                    n &+= 1
                    start = p &+ 1
                }
                i &+= 8
                continue
            }
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
            } else if quotes && base[i] == UInt8(ascii: "\"") && i == start {
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
