import ImapLogKit
import Testing

@testable import ImapLogCommand

@Suite("How the report is written")
struct ReportRenderingTests {
    @Test func colourOnlyOnATerminalUnlessAskedFor() {
        let plain: [String: String] = ["TERM": "xterm"]
        #expect(ReportRendering.usesColor(.auto, isTerminal: true, environment: plain))
        #expect(!ReportRendering.usesColor(.auto, isTerminal: false, environment: plain))
        #expect(!ReportRendering.usesColor(.auto, isTerminal: true, environment: ["NO_COLOR": "1"]))
        #expect(ReportRendering.usesColor(.auto, isTerminal: true, environment: ["NO_COLOR": ""]))
        #expect(!ReportRendering.usesColor(.auto, isTerminal: true, environment: ["TERM": "dumb"]))
        #expect(ReportRendering.usesColor(.always, isTerminal: false, environment: ["NO_COLOR": "1"]))
        #expect(!ReportRendering.usesColor(.never, isTerminal: true, environment: plain))
    }

    @Test func theTextIsAsWideAsTheTerminalThenColumnsThen120() {
        func width(columns: Int?, _ environment: [String: String]) -> Int {
            ReportRendering.textRenderer(
                top: 10, color: .auto, isTerminal: false, columns: columns, environment: environment
            ).width
        }
        #expect(width(columns: 150, ["COLUMNS": "90"]) == 150)
        #expect(width(columns: nil, ["COLUMNS": "90"]) == 90)
        #expect(width(columns: nil, ["COLUMNS": "wide"]) == 120)
        #expect(width(columns: nil, [:]) == 120)
        #expect(width(columns: 20, [:]) == 60)
    }

    @Test func linesWithoutRecordsAreExplained() {
        #expect(
            ReportRendering.noRecordsMessage(lines: 3, skippedByReason: [:])
                == "imaplog: read 3 lines but found no log records. Are these Exchange IMAP4/POP3 protocol logs?")
    }
}
