// Reading cited rows again: the text of the `path:line` places a report names, for the HTML report's evidence.

/// Reads back a few rows a report cites (`path:line`, or `archive.zip!entry:line`), from the inputs that were
/// analysed, through the same readers (a `.gz` or a `.zip` entry inflated, UTF-16 decoded).
///
/// Bounded: at most `maximumRows` rows, each cut to `maximumBytes`, each input opened at most once and read only
/// up to the last row wanted from it. A row that cannot be read again (standard input, a file gone, shorter or
/// unreadable now) is left out of the answer: the caller says it is not readable now.
package enum RowReading {
    /// The most rows read back.
    package static let maximumRows = 20
    /// The most bytes of a row kept (a row is cut at a character's boundary, without a line end).
    package static let maximumBytes = 2_000

    /// The text of each of `places` that can be read again from `inputs`, by place.
    ///
    /// - Complexity: reads each input named at most once, up to its last row wanted.
    package static func read(_ places: [String], from inputs: [LogInput]) -> [String: String] {
        var wanted: [String: [Int: [String]]] = [:]
        for place in places.uniquedPlaces().prefix(maximumRows) {
            guard let colon = place.lastIndex(of: ":"), let line = Int(place[place.index(after: colon)...]), line > 0
            else { continue }
            wanted[String(place[..<colon]), default: [:]][line, default: []].append(place)
        }
        guard !wanted.isEmpty else { return [:] }
        var found: [String: String] = [:]
        var opened = Set<String>()
        for input in inputs {
            guard let lines = wanted[input.displayPath], opened.insert(input.displayPath).inserted else { continue }
            if case .standardInput = input.location { continue }
            for (line, text) in read(lines: Set(lines.keys), of: input) {
                for place in lines[line] ?? [] { found[place] = text }
            }
        }
        return found
    }

    /// The text of the lines numbered `lines` of `input`, as far as it can be read.
    private static func read(lines: Set<Int>, of input: LogInput) -> [Int: String] {
        guard let last = lines.max() else { return [:] }
        var texts: [Int: String] = [:]
        let reader = LineReader(bufferCapacity: 1 << 17, maxLineLength: 64 * 1024)
        do {
            let source = try input.open(standardInput: Platform.standardInput)
            try reader.forEachLine(of: source) { (line: inout Line) throws(ImapLogError) in
                if lines.contains(line.number) && !line.isOverlong {
                    var bytes = UnsafeRawBufferPointer(line.bytes)
                    if bytes.last == 0x0D { bytes = UnsafeRawBufferPointer(rebasing: bytes.dropLast()) }
                    texts[line.number] = cut(bytes)
                }
                // Past the last row wanted: stop reading (the error is this function's own, caught below).
                if line.number >= last { throw ImapLogError.notRead(path: input.displayPath, reason: stopReason) }
            }
        } catch {
            // The file is gone, damaged or changed: what was read is kept, the rest is not readable now.
        }
        return texts
    }

    private static let stopReason = "the rows wanted were read"

    /// At most `maximumBytes` of `bytes` as text, cut before a character that would not fit whole.
    private static func cut(_ bytes: UnsafeRawBufferPointer) -> String {
        guard bytes.count > maximumBytes else { return String(decoding: bytes, as: UTF8.self) }
        var end = maximumBytes
        // Back to the start of a UTF-8 sequence (a continuation byte is 10xxxxxx).
        while end > 0 && bytes[end] & 0xC0 == 0x80 { end -= 1 }
        return String(decoding: UnsafeRawBufferPointer(rebasing: bytes[..<end]), as: UTF8.self) + "…"
    }
}

extension Array where Element == String {
    /// The places in order, repeats removed.
    fileprivate func uniquedPlaces() -> [String] {
        var seen = Set<String>()
        return filter { seen.insert($0).inserted }
    }
}
