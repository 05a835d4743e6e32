// libFuzzer entry point: the record parser, the context decoder and everything after them, on bytes the
// fuzzer makes up. Compiled together with the library targets' sources by `Fuzz/run.sh records` (not part of
// the package).
import Foundation

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzOneInput(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let bytes = Array(UnsafeBufferPointer(start: data, count: size))

    // The context decoder alone, on the whole input as one field.
    var copy = bytes
    copy.withUnsafeMutableBufferPointer { buffer in
        guard let base = buffer.baseAddress else { return }
        let range = ByteRange(start: 0, end: buffer.count)
        let fields = ContextFields.decode(UnsafePointer(base), range)
        for part in [fields.response, fields.message, fields.errorMessage, fields.exception] where !part.isEmpty {
            precondition(part.start >= 0 && part.end <= buffer.count && part.start <= part.end, "context range")
        }
        let facts = CommandFacts.extract(UnsafePointer(base), context: range, parameters: range, isProxyRow: true)
        for part in [facts.tag, facts.responseText, facts.errorCode, facts.backend, facts.location] where !part.isEmpty
        {
            precondition(part.start >= 0 && part.end <= buffer.count, "fact range")
        }
    }

    // The whole pipeline: every line accounted for, every format renders, JSON stays valid.
    let summary = LogAnalysis.analyse(bytes: bytes, path: "fuzz.LOG")
    precondition(summary.lines == summary.headerLines + summary.records + summary.skipped, "lines do not add up")
    for file in summary.files {
        precondition(file.lines == file.headerLines + file.records + file.skipped, "file lines do not add up")
    }
    let report = ReportBuilder().build(summary)
    _ = TextRenderer().render(report)
    for table in CSVRenderer.Table.allCases { _ = CSVRenderer.render(report, table: table) }
    guard let json = try? JSONRenderer.renderBytes(report),
        (try? JSONSerialization.jsonObject(with: json)) is [String: Any]
    else { preconditionFailure("the JSON report does not parse") }
    var redacting = ReportBuilder()
    redacting.redactor = Redactor(salt: "fuzz", summary: summary)
    _ = TextRenderer().render(redacting.build(summary))

    // The HTML page, charts included: nothing the logs hold reaches it unescaped or invisible.
    var charting = ReportBuilder()
    charting.includesCharts = true
    let page = HTMLRenderer().render(charting.build(summary))
    precondition(
        !page.unicodeScalars.contains { Sanitize.isUnsafe($0) && $0 != "\n" && $0 != "\t" },
        "a control or invisible character reached the HTML page")
    precondition(page.components(separatedBy: "<script").count == 2, "a script element from the logs")

    // The JSON report written in pieces is the whole document, byte for byte.
    var pieces = Data()
    guard
        (try? JSONRenderer.write(
            report,
            to: {
                pieces.append($0); return true
            })) == true, pieces == json
    else {
        preconditionFailure("the JSON report written in pieces differs")
    }

    // Summary files: written in pieces as encoded whole, and read back equal.
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.sortedKeys]
    var summaryPieces: [UInt8] = []
    guard (try? SummaryFile.writeJSON(summary, to: { summaryPieces += $0 })) != nil,
        let whole = try? encoder.encode(summary), summaryPieces == Array(whole)
    else { preconditionFailure("the summary written in pieces differs") }
    guard let file = try? SummaryFile.encode(summary), (try? SummaryFile.decode(file, path: "fuzz")) == summary else {
        preconditionFailure("a summary file does not read back equal")
    }

    // A per-minute table read from made-up bytes: refused or read, never a crash; read, it round-trips.
    let encoded = Data("\"\(Data(bytes).base64EncodedString())\"".utf8)
    if let table = try? JSONDecoder().decode(MinuteTable<TimelineTally>.self, from: encoded) {
        guard let again = try? encoder.encode(table),
            (try? JSONDecoder().decode(MinuteTable<TimelineTally>.self, from: again)) == table
        else { preconditionFailure("a minute table does not round-trip") }
    }
    // Logon events read from made-up bytes: refused, or read exactly as Foundation's decoder reads them.
    if let read = bytes.withUnsafeBufferPointer({ try? LogonEventReader.read($0, from: 0) }) {
        precondition(read.end <= bytes.count, "reader went past the end")
        let list = Data(bytes[..<read.end])
        guard (try? JSONDecoder().decode([LogonEvent].self, from: list)) == Array(read.events) else {
            preconditionFailure("the logon reader and Foundation's decoder disagree")
        }
    }
    // The same bytes as a summary's JSON, split as merging splits it: in pieces of 3 as read whole, and when the
    // events are read, they are what reading their list whole gives.
    func split(_ size: Int) -> SummarySplitter? {
        var splitter = SummarySplitter()
        for start in stride(from: 0, to: bytes.count, by: size) {
            do {
                try bytes[start..<min(start + size, bytes.count)].withUnsafeBufferPointer { try splitter.add($0) }
            } catch {
                return nil
            }
        }
        return splitter
    }
    let splitPieces = split(3)
    let splitWhole = split(max(bytes.count, 1))
    precondition(
        splitPieces?.isComplete == splitWhole?.isComplete && splitPieces?.rest == splitWhole?.rest
            && splitPieces?.events == splitWhole?.events
            && splitPieces?.users == splitWhole?.users && splitPieces?.clients == splitWhole?.clients
            && splitPieces?.files == splitWhole?.files
            && splitPieces?.timeline == splitWhole?.timeline && splitPieces?.probeMinutes == splitWhole?.probeMinutes
            && splitPieces?.logonsByBackend == splitWhole?.logonsByBackend, "the splitter depends on the pieces")
    // Read through the splitter, a summary is what Foundation reads whole (where Foundation reads the rest).
    if let splitWhole, splitWhole.isComplete,
        var split = try? JSONDecoder().decode(Summary.self, from: Data(splitWhole.rest)),
        let direct = try? JSONDecoder().decode(Summary.self, from: Data(bytes))
    {
        splitWhole.fill(&split)
        precondition(split == direct, "the splitter and Foundation read another summary")
    }
    // Base64 as the summary writes it reads back as written.
    var written: [UInt8] = []
    Base64.writeJSONString(bytes) { written += $0 }
    precondition(Base64.decode(jsonString: written) == bytes, "base64 does not round-trip")
    if let splitWhole, splitWhole.isComplete, splitWhole.found.contains(.logons),
        let key = SummaryFile.topLevelValue(in: bytes, key: "logons")
    {
        guard let list = bytes.withUnsafeBufferPointer({ try? LogonEventReader.read($0, from: key) }),
            Array(list.events) == Array(splitWhole.events)
        else { preconditionFailure("the splitter read other events") }
    }
    return 0
}
