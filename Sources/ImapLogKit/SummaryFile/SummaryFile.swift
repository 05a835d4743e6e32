// The summary file: its first line, its bounds, and reading it back (writing it: `SummaryFile+Writing`).

import Foundation

/// The on-disk form of a `Summary`, for fleets: each server (or each task of a job engine) summarises its own
/// logs, and the summaries merge centrally into the report one run over every log would have given.
///
/// The file is gzip (whose CRC-32 guards the bytes) holding a first line `imaplog-summary <version> <key>`
/// and the summary as JSON. The key (the first log file's path, as a JSON string) orders summaries for
/// merging without decoding them. A file of another version, or damaged, is refused with a message that
/// says so.
package enum SummaryFile {
    /// The version written; bump when `Summary`'s encoded form changes.
    ///
    /// 2: per-minute tables as packed base64 numbers.
    /// 3: those numbers of variable length (a 4.3 GB run's summary: 6.8 → 3.3 MB on disk).
    package static let version = 3
    static let magic = "imaplog-summary"

    /// The order summaries merge in: by their first log file (a fixed order, whatever order they are named in).
    package static func mergeKey(_ summary: Summary) -> String { summary.files.first?.path ?? "" }

    // MARK: - Reading

    // Summaries arrive from shares that others can write: what reading one holds is bounded whatever its bytes (a
    // 3 MB file of whitespace inflated to gigabytes, all held), and a summary past a bound is refused, the bound
    // said. Real summaries, for scale: 40 minutes of one server 4 KB of gzip, 34 KB of JSON; ten days of ten
    // servers (2.9 million records, 2,856 files) 1.5 MB of gzip, 9 MB of JSON of which 152 KB outside the lists
    // and tables; 335 days of five servers 60 MB of JSON, its largest table 4 MB.

    /// The most JSON a summary may inflate to, whatever it holds: 1 GiB, 17 times the 60 MB of 335 days of five
    /// servers, so that no file, however well it compresses, takes more than seconds to read.
    package static let jsonByteLimit = 1 << 30

    /// The most bytes of JSON a byte of the file may inflate to: 100.
    ///
    /// Real summaries hold 4 to 10 (335 days of five servers 3.8, ten days of ten servers 6, 40 minutes of one
    /// server 9.4). With `jsonByteLimit` a file
    /// costs time in proportion to its size: merging 10 MB of summaries reads at most 1 GB of JSON.
    package static let inflationLimit = 100

    /// The most JSON held for Foundation's decoder: 4 MiB.
    ///
    /// The JSON outside the lists and tables the splitter reads, and a whole summary the splitter does not expect:
    /// 27 times the ten servers' 152 KB (their servers, commands and histograms). Foundation's tree and what it decodes take about 15
    /// times the JSON (12 MB of server spellings: 187 MiB at the peak of a merge).
    package static let restByteLimit = 4 << 20

    /// The most bytes of one element of a list (a logon event, a file, a user's name and tally): 1 MiB, where real
    /// ones hold a few hundred (their longest strings are paths and names from log fields of at most 64 KiB).
    package static let elementByteLimit = 1 << 20

    /// The most bytes of one per-minute table's base64: 32 MiB, eight years of one server's minutes (a year of its
    /// probes is 4 MB); decoding one holds about twice that.
    package static let tableByteLimit = 32 << 20

    /// The most log files one summary may list: 250,000.
    ///
    /// Two and a half times the 98,220 of 336 days of twelve servers' hourly logs. Read, a file costs some 300 bytes (a million took 314 MiB at the peak of a merge), so
    /// these about 80 MB.
    package static let fileLimit = 250_000

    /// The most per-minute tables in one part (the timeline's servers, the probes' servers, the logons' routes):
    /// 100,000, where a fleet of 100 front ends and 200 back ends has 20,000 routes; a few hundred bytes each.
    package static let tableLimit = 100_000

    /// The most bytes of per-minute tables (their base64) a summary keeps in memory as it is read: 16 MiB.
    ///
    /// Past it, each table's days go to the scratch file as they are read, not only those past the table's first
    /// 64 KB: many small tables would otherwise all stay in memory. The ten servers' ten days hold 5 MB of tables
    /// (88 of them); the five servers' year most of its 60 MB, spilled anyway.
    package static let tableMemoryBudget = 16 << 20

    /// The most days (a table's pages: one server's, or one route's, day) the tables of a summary may cover: 250,000.
    ///
    /// The ten servers' ten days cover some 880 (88 tables), a year of 100 tables 36,500; each costs about 40
    /// bytes even in the scratch file, so scattered minutes (one a day for 10,000 years) cannot fill memory with
    /// pages.
    package static let dayLimit = 250_000

    /// The most bytes of spaces, tabs and line ends between the elements of a list: 1 MiB, where imaplog writes
    /// none; whitespace elsewhere counts towards `restByteLimit` or `elementByteLimit`.
    package static let whitespaceLimit = 1 << 20

    /// The longest first line read (the merge key is a path).
    static let firstLineLimit = 1 << 20

    /// Reads a summary file, checking what it is and that it keeps every bound (`Summary.boundsProblem`).
    ///
    /// The JSON is decompressed in pieces: its long parts (logon events, users, clients, files, per-minute tables)
    /// are read as they pass (`SummarySplitter`), and only the rest is held, for Foundation's decoder. JSON the
    /// splitter does not expect is decoded whole by Foundation (up to `restByteLimit`), which accepts or refuses it
    /// as before.
    package static func decode(_ bytes: [UInt8], path: String) throws(ImapLogError) -> Summary {
        try decode(bytes, path: path, checkingBounds: true)
    }

    /// Reads a summary file; `checkingBounds` false leaves out `Summary.boundsProblem` (for tests of the reading
    /// itself, on summaries made up with counts that are not their lines').
    package static func decode(_ bytes: [UInt8], path: String, checkingBounds: Bool) throws(ImapLogError) -> Summary {
        try decode(path: path, checkingBounds: checkingBounds) { () throws(ImapLogError) -> ByteSource in
            MemoryByteSource(bytes)
        }
    }

    /// Reads the summary file at `path` as it is read from disk: only the merged parts are held, not the file.
    package static func decode(contentsOf path: String) throws(ImapLogError) -> Summary {
        try decode(path: path, checkingBounds: true) { () throws(ImapLogError) -> ByteSource in
            try DescriptorByteSource(path: path)
        }
    }

    /// The summary file at `path`'s merge key, read from its first line (the rest is not read).
    package static func mergeKey(contentsOf path: String) throws(ImapLogError) -> String {
        try mergeKey(path: path) { () throws(ImapLogError) -> ByteSource in try DescriptorByteSource(path: path) }
    }

    /// Reads a summary from the compressed bytes `open` gives (called again for Foundation's reading of the
    /// whole, should the splitter refuse the JSON).
    private static func decode(
        path: String, checkingBounds: Bool, open: () throws(ImapLogError) -> ByteSource
    ) throws(ImapLogError) -> Summary {
        let notASummary = ImapLogError.badSummary(path: path, reason: "not an imaplog summary")
        var firstLine: [UInt8] = []
        var sawFirstLine = false
        var splitter = SummarySplitter()
        var splitterGaveUp = false
        // Not reached, or not readable: said as such, not as a damaged summary.
        var inflated = 0
        var limit: String?
        let compressed = CountingByteSource(try open())
        do throws(ImapLogError) {
            let source = try InflatingByteSource(wrapping: compressed, format: .gzip, path: path)
            var buffer = [UInt8](repeating: 0, count: 1 << 16)
            while !splitterGaveUp {
                let n = try buffer.withUnsafeMutableBytes { raw in
                    Result { () throws(ImapLogError) -> Int in try source.read(into: raw) }
                }.get()
                if n == 0 { break }
                inflated += n
                guard inflated <= jsonByteLimit else {
                    throw ImapLogError.badSummary(
                        path: path, reason: "refused: it inflates to more than \(jsonByteLimit >> 30) GiB of JSON")
                }
                // The inflater reads ahead (up to 256 KiB): the ratio holds to what it has read.
                guard inflated <= inflationLimit * compressed.count else {
                    throw ImapLogError.badSummary(
                        path: path, reason: "refused: it inflates to more than \(inflationLimit) times its size")
                }
                var body = 0
                if !sawFirstLine {
                    guard let newline = buffer[0..<n].firstIndex(of: 0x0A) else {
                        firstLine += buffer[0..<n]
                        guard firstLine.count < firstLineLimit else { throw notASummary }
                        continue
                    }
                    firstLine += buffer[0..<newline]
                    sawFirstLine = true
                    _ = try header(firstLine[...], path: path)
                    body = newline + 1
                }
                buffer.withUnsafeBufferPointer { all in
                    do throws(LogonEventReader.Unexpected) {
                        try splitter.add(UnsafeBufferPointer(rebasing: all[body..<n]))
                    } catch {
                        splitterGaveUp = true
                        limit = error.limit
                    }
                }
            }
        } catch {
            if case .badSummary = error { throw error }
            throw ImapLogError.badSummary(
                path: path, reason: "not an imaplog summary, or a damaged one (it does not decompress)")
        }
        guard sawFirstLine else { throw notASummary }
        if let limit { throw ImapLogError.badSummary(path: path, reason: "refused: it holds \(limit)") }
        let summary: Summary
        if !splitterGaveUp && splitter.isComplete {
            // The rest is the same JSON as the whole, but for the parts read: if it does not decode, neither would
            // the whole.
            var decoded: Summary
            do {
                decoded = try JSONDecoder().decode(Summary.self, from: Data(splitter.rest))
            } catch {
                throw damage(error, path: path)
            }
            splitter.fill(&decoded)
            summary = decoded
        } else {
            var json = try decompress(path: path, stopAtFirstLine: false, open: open)
            guard let newline = json.firstIndex(of: 0x0A) else { throw notASummary }
            json.removeSubrange(...newline)
            do {
                summary = try JSONDecoder().decode(Summary.self, from: Data(json))
            } catch {
                throw damage(error, path: path)
            }
        }
        if checkingBounds, let problem = summary.boundsProblem() {
            throw ImapLogError.badSummary(path: path, reason: "refused: it holds \(problem)")
        }
        return summary
    }

    /// A summary whose JSON Foundation refused: damaged, with the reason when a reader of ours gave one (a histogram's
    /// or a per-minute table's numbers out of range).
    private static func damage(_ error: any Error, path: String) -> ImapLogError {
        var reason = "the summary inside is damaged"
        if case DecodingError.dataCorrupted(let context) = error, !context.debugDescription.isEmpty {
            reason += " (\(context.debugDescription))"
        }
        return .badSummary(path: path, reason: reason)
    }

    /// A summary file's merge key, read from its first line (the rest is not decompressed).
    package static func mergeKey(_ bytes: [UInt8], path: String) throws(ImapLogError) -> String {
        try mergeKey(path: path) { () throws(ImapLogError) -> ByteSource in MemoryByteSource(bytes) }
    }

    /// The merge key on the first line of the compressed bytes `open` gives.
    private static func mergeKey(path: String, open: () throws(ImapLogError) -> ByteSource) throws(ImapLogError)
        -> String
    {
        let text = try decompress(path: path, stopAtFirstLine: true, open: open)
        guard let newline = text.firstIndex(of: 0x0A) else {
            throw ImapLogError.badSummary(path: path, reason: "not an imaplog summary")
        }
        return try header(text[..<newline], path: path)
    }

    /// Checks the first line; returns the merge key it holds.
    private static func header(_ line: ArraySlice<UInt8>, path: String) throws(ImapLogError) -> String {
        let parts = line.split(separator: 0x20, maxSplits: 2, omittingEmptySubsequences: false)
        guard parts.count >= 2, String(decoding: parts[0], as: UTF8.self) == magic else {
            throw ImapLogError.badSummary(path: path, reason: "not an imaplog summary")
        }
        let written = String(decoding: parts[1], as: UTF8.self)
        guard Int(written) == version else {
            throw ImapLogError.badSummary(
                path: path,
                reason:
                    "written in summary format \(written); this imaplog reads format \(version): summarise the logs again with this version"
            )
        }
        guard parts.count == 3, let key = try? JSONDecoder().decode(String.self, from: Data(parts[2])) else {
            throw ImapLogError.badSummary(path: path, reason: "the summary's first line is damaged")
        }
        return key
    }

    /// The file's text: its first line (at most `firstLineLimit` bytes: a longer one is not a summary's), or the
    /// whole of it, up to its first line and `restByteLimit` bytes of JSON (past those, it is not JSON that
    /// Foundation is given whole: refused).
    private static func decompress(
        path: String, stopAtFirstLine: Bool, open: () throws(ImapLogError) -> ByteSource
    ) throws(ImapLogError) -> [UInt8] {
        let compressed = try open()
        var tooLong: ImapLogError?
        do throws(ImapLogError) {
            let source = try InflatingByteSource(wrapping: compressed, format: .gzip, path: path)
            var out: [UInt8] = []
            var buffer = [UInt8](repeating: 0, count: 1 << 16)
            var firstLineEnd: Int?
            while true {
                let n = try buffer.withUnsafeMutableBytes { raw in
                    Result { () throws(ImapLogError) -> Int in try source.read(into: raw) }
                }.get()
                if n == 0 { break }
                if firstLineEnd == nil, let newline = buffer[0..<n].firstIndex(of: 0x0A) {
                    firstLineEnd = out.count + newline
                }
                out += buffer[0..<n]
                if stopAtFirstLine && firstLineEnd != nil { break }
                guard let end = firstLineEnd else {
                    guard out.count < firstLineLimit else {
                        tooLong = ImapLogError.badSummary(path: path, reason: "not an imaplog summary")
                        break
                    }
                    continue
                }
                guard out.count - end <= restByteLimit else {
                    tooLong = ImapLogError.badSummary(
                        path: path,
                        reason:
                            "refused: its JSON is not as imaplog writes it, and longer than the \(restByteLimit >> 20) MiB read whole"
                    )
                    break
                }
            }
            if let tooLong { throw tooLong }
            return out
        } catch {
            if case .badSummary = error { throw error }
            throw ImapLogError.badSummary(
                path: path, reason: "not an imaplog summary, or a damaged one (it does not decompress)")
        }
    }
}

/// A source that counts the bytes read from it.
private final class CountingByteSource: ByteSource {
    private let inner: ByteSource
    private(set) var count = 0

    init(_ inner: ByteSource) { self.inner = inner }

    func read(into buffer: UnsafeMutableRawBufferPointer) throws(ImapLogError) -> Int {
        let n = try inner.read(into: buffer)
        count += n
        return n
    }
}
