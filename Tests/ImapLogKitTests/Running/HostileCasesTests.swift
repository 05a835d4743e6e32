import Foundation
import Testing

@testable import ImapLogDiagnosis
@testable import ImapLogKit
@testable import ImapLogReport

/// The hostile inputs of the issue, one by one: each is read without a crash, every line is accounted for,
/// and what was skipped is said, with why and where.
@Suite("Hostile input, case by case")
struct HostileCasesTests {
    struct Case: CustomTestStringConvertible, Sendable {
        var name: String
        var bytes: [UInt8]
        var records: Int
        /// Skip reasons expected, with the line of their first example.
        var skips: [SkipReason: (count: Int, line: Int)]
        var testDescription: String { name }
    }

    static let header = Array(TestSupport.header.utf8)
    static func row(
        _ time: String = "2026-11-16T09:00:00.000Z", user: String = "bob@contoso.com",
        duration: String = "12", command: String = "select", context: String = "R=ok"
    ) -> [UInt8] {
        Array(
            "\(time),00000000000000A1,1,10.0.1.11:993,10.20.30.40:5000,\(user),\(duration),20,30,\(command),INBOX,\(context)\r\n"
                .utf8)
    }

    static let cases: [Case] = [
        Case(
            name: "binary file",
            bytes: [0x7F, 0x45, 0x4C, 0x46, 0x02, 0x01, 0x00, 0x00, 0x0A, 0x00, 0x01, 0x0A, 0xFF, 0xD8],
            records: 0, skips: [.binaryData: (2, 1), .tooFewFields: (1, 3)]),
        Case(
            name: "Latin-1 user name",
            bytes: header + Array("2026-11-16T09:00:00.000Z,00000000000000A1,1,10.0.1.11:993,10.20.30.40:5000,zo".utf8)
                + [0xE9] + Array(",12,20,30,select,INBOX,R=ok\r\n".utf8),
            records: 1, skips: [:]),
        Case(
            name: "NUL bytes",
            bytes: header + Array("2026-11-16T09:00:00.000Z,A1,1,h:993,c:1,u\u{0},1,1,1,noop,,R=ok\r\n".utf8)
                + [0x00, 0x00, 0x00, 0x0A],
            records: 1, skips: [.binaryData: (1, 8)]),
        Case(
            name: "1 MB line", bytes: header + [UInt8](repeating: 0x41, count: 1 << 20) + [0x0A] + row(),
            records: 1, skips: [.overlongLine: (1, 7)]),
        Case(
            // Found trying a hostile copy of a story: a long line that fits in the read buffer was not capped.
            name: "100 KB line inside one read",
            bytes: header + row() + [UInt8](repeating: 0x2C, count: 100_000) + [0x0A] + row(),
            records: 2, skips: [.overlongLine: (1, 8)]),
        Case(
            name: "unterminated quote",
            bytes: header + row(context: "\"R=\"\"a1 NO LOGIN failed.") + row() + row() + Array("a stray line\r\n".utf8)
                + row(),
            records: 4, skips: [.quotedContinuation: (0, 0), .tooFewFields: (1, 10)]),
        Case(
            name: "unknown, missing and duplicate fields",
            bytes: Array("#Fields: puid,dateTime,sessionId,sessionId,command,duration\r\n".utf8)
                + Array("x,2026-11-16T09:00:00.000Z,A1,B2,login,5\r\nx,2026-11-16T09:00:01.000Z,A1,B2\r\n".utf8),
            records: 1, skips: [.tooFewFields: (1, 3)]),
        Case(
            name: "field list without time or command",
            bytes: Array("#Fields: user,context\r\nbob,R=ok\r\n".utf8), records: 0, skips: [.unusableFieldList: (1, 2)]),
        Case(
            name: "malformed and out-of-order timestamps",
            bytes: header + row("2026-11-16T10:00:00.000Z") + row("2026-13-40T99:00:00.000Z") + row("yesterday")
                + row("2026-11-16T08:00:00.000Z"),
            records: 2, skips: [.badTimestamp: (2, 8)]),
        Case(
            name: "negative and overflowing numbers",
            bytes: header + row(duration: "-5") + row(duration: "99999999999999999999999") + row(duration: "1e9"),
            records: 3, skips: [:]),
        Case(name: "empty file", bytes: [], records: 0, skips: [:]),
        Case(name: "only line ends", bytes: Array("\r\n\n\r\n".utf8), records: 0, skips: [.blankLine: (3, 1)]),
        Case(
            name: "cut mid-line", bytes: header + row() + Array(row().prefix(40)), records: 1,
            skips: [.tooFewFields: (1, 8)]),
    ]

    @Test(arguments: cases)
    func everyLineIsAccountedForAndSkipsAreExplained(_ c: Case) throws {
        let summary = LogAnalysis.analyse(bytes: c.bytes, path: "hostile.LOG")
        let newlines = c.bytes.reduce(0) { $0 + ($1 == 0x0A ? 1 : 0) }
        #expect(summary.lines == newlines + (c.bytes.isEmpty || c.bytes.last == 0x0A ? 0 : 1))
        #expect(TestSupport.linesAddUp(summary))
        #expect(summary.records == c.records)
        for (reason, expected) in c.skips where expected.count > 0 {
            let tally = try #require(summary.skippedByReason[reason], "\(reason)")
            #expect(tally.count == expected.count, "\(reason)")
            #expect(tally.example == "hostile.LOG:\(expected.line)", "\(reason)")
        }
        let expectedSkips = c.skips.values.reduce(0) { $0 + $1.count }
        #expect(summary.skipped == expectedSkips)
        // The report says it too, in every format, and stays valid.
        let report = ReportBuilder().build(summary)
        let text = TextRenderer().render(report)
        for (reason, expected) in c.skips where expected.count > 0 { #expect(text.contains(reason.rawValue)) }
        #expect(!text.unicodeScalars.contains { $0.value == 0 })
        #expect(try JSONSerialization.jsonObject(with: JSONRenderer.renderBytes(report)) is [String: Any])
    }

    @Test func aLatin1NameIsKeptAsReplacementCharactersNotDropped() throws {
        let latin1 = try #require(Self.cases.first { $0.name == "Latin-1 user name" })
        let summary = LogAnalysis.analyse(bytes: latin1.bytes, path: "x.LOG")
        #expect(summary.users.keys.contains("zo\u{FFFD}"))
    }

    /// A log still being written: what is there when it is read is analysed, the cut last line is noticed.
    @Test func aFileStillBeingWrittenIsReadAsFarAsItGoes() throws {
        let folder = TestSupport.temporaryFolder()
        defer { TestSupport.remove(folder) }
        let path = folder + "/IMAP42026111609-1.LOG"
        TestSupport.write(Self.header + Self.row() + Array(Self.row().prefix(30)), to: path)
        let first = LogAnalysis.run(plan: InputDiscovery.plan(paths: [path]), options: .init()).summary
        #expect(first.records == 1 && first.lines == 8)
        #expect(first.files.first?.notices.contains { $0.contains("no line end") } == true)
        // The writer goes on: the next run sees the finished line.
        let handle = try #require(FileHandle(forWritingAtPath: path))
        handle.seekToEndOfFile()
        handle.write(Data(Self.row().dropFirst(30)))
        handle.closeFile()
        let second = LogAnalysis.run(plan: InputDiscovery.plan(paths: [path]), options: .init()).summary
        #expect(second.records == 2 && second.skipped == 0)
    }
}
