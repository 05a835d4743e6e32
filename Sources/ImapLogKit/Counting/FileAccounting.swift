/// Counts the lines of each file of a stream: records, header lines, lines skipped by reason, the format, the time
/// span, and notices (no header line, a cut last line).
///
/// Bounds: one `FileSummary` a file; one example location a skip reason.
struct FileAccounting {
    /// The file being read.
    private var current = FileSummary(path: "", role: .unknown)
    /// The role the file's name gives (`.unknown` when it gives none).
    private(set) var nameRole = Role.unknown
    private var ended: [FileSummary] = []
    private var skips: [SkipReason: SkipTally] = [:]

    /// The current file's index in the stream.
    var currentIndex: Int { ended.count }

    /// The current file's path, for example locations.
    var currentPath: String { current.path }

    /// The path of the file at `index` in the stream.
    func path(ofFile index: Int) -> String {
        index < ended.count ? ended[index].path : current.path
    }

    /// Starts counting a new file.
    mutating func begin(path: String, role: Role) {
        current = FileSummary(path: path, role: role, server: nil)
        nameRole = role
    }

    /// Ends the current file: an optional error that stopped it early.
    mutating func end(error: ImapLogError?) {
        current.error = error?.message
        ended.append(current)
    }

    /// Counts one line as the parser classified it; returns whether it is a record, to be counted further.
    @inline(__always)
    mutating func count(_ outcome: RecordParser.Outcome, lineNumber: Int, isUnterminated: Bool, parser: RecordParser)
        -> Bool
    {
        current.lines += 1
        if outcome == .skipped(.overlongLine) {
            skip(.overlongLine, line: lineNumber)
            return false
        }
        var isRecord = false
        switch outcome {
        case .header:
            current.headerLines += 1
            // The format is known once a field list has been read (`#Software` comes before `#Fields`).
            if current.format == nil && parser.hasSeenHeader { current.format = parser.format }
        case .skipped(let reason):
            skip(reason, line: lineNumber)
        case .record:
            isRecord = true
            current.records += 1
            if current.format == nil {
                current.format = parser.format
                if !parser.hasSeenHeader {
                    current.notices.append("no header line: read as the 2013+ field list")
                }
            }
            if current.first == nil || parser.time < current.first.unsafelyUnwrapped { current.first = parser.time }
            if current.last == nil || parser.time > current.last.unsafelyUnwrapped { current.last = parser.time }
        }
        if isUnterminated {
            current.notices.append("line \(lineNumber) has no line end: the file was cut or is still being written")
        }
        return isRecord
    }

    /// Notes the role a record's port gives, when the file's name gave none.
    @inline(__always)
    mutating func noteRole(_ role: Role) {
        if current.role == .unknown { current.role = role }
    }

    private mutating func skip(_ reason: SkipReason, line: Int) {
        current.skipped += 1
        if skips[reason] == nil {
            skips[reason] = SkipTally(count: 1, example: "\(current.path):\(line)")
        } else {
            skips[reason, default: SkipTally()].count += 1
        }
    }

    /// Adds the files, each from `server` (the spelling of the stream's server, when known), and the skips.
    func finish(into summary: inout Summary, server: String?) {
        for var file in ended {
            file.server = server
            summary.files.append(file)
        }
        summary.skippedByReason = skips
    }
}
