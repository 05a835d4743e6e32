import ImapLogKit
import Testing

@testable import ImapLogCommand
@testable import ImapLogReport

/// The rows the HTML report cites, as the command line reads them again.
@Suite("Cited rows read again for the HTML report")
struct HTMLRowsTests {
    static func file(first: String?, last: String?) -> Report.File {
        Report.File(
            summary: FileSummary.of(
                path: "a.LOG", role: .frontEnd, server: nil, format: nil, lines: 10, headerLines: 0, records: 10,
                skipped: 0, first: first.flatMap(Timestamp.parse), last: last.flatMap(Timestamp.parse), notices: [],
                error: nil))
    }

    @Test func aRowOutsideItsFileTimesIsNotTheRowCited() {
        let file = Self.file(first: "2026-11-17T09:00:00.000Z", last: "2026-11-17T09:59:59.999Z")
        #expect(Invocation.isRow("2026-11-17T09:55:00.809Z,00000000000000F1,2,127.0.0.1:993", of: file))
        #expect(!Invocation.isRow("2026-11-18T09:55:00.809Z,00000000000000F1,2", of: file))
        #expect(!Invocation.isRow("#Fields: dateTime,sessionId", of: file))
        #expect(!Invocation.isRow("", of: file))
        // A file with no timed record says nothing against a row.
        #expect(Invocation.isRow("anything", of: Self.file(first: nil, last: nil)))
    }
}
