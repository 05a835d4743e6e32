// libFuzzer entry point: the record parser, the context decoder and everything after them, on bytes the
// fuzzer makes up. Compiled together with ImapLogKit's sources by Fuzz/run.sh (not part of the package).
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
        for part in [facts.tag, facts.responseText, facts.errorCode, facts.backend, facts.location] where !part.isEmpty {
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
    guard let redacted = try? Redactor(salt: "fuzz", summary: summary).redact(report) else {
        preconditionFailure("redaction failed")
    }
    _ = TextRenderer().render(redacted)
    return 0
}
