import Foundation
import Testing

@testable import ImapLogDiagnosis
@testable import ImapLogKit
@testable import ImapLogReport

/// Text from the logs on its way to a terminal or a spreadsheet: formulas after a `;`, invisible characters.
@Suite("Escaping for terminals and spreadsheets")
struct EscapingTests {
    @Test func aFormulaAfterASemicolonIsNeutralisedAndTheCellQuoted() {
        // A spreadsheet set for French splits `x;=cmd…` at the `;` and runs the second half.
        #expect(Sanitize.csvCell("x;=cmd|' /C calc'!A0") == "\"x;'=cmd|' /C calc'!A0\"")
        #expect(Sanitize.csvCell("a;b") == "\"a;b\"")
        #expect(Sanitize.csvCell("=1;-2;+3;@4;5") == "\"'=1;'-2;'+3;'@4;5\"")
        #expect(Sanitize.csvCell(";=1") == "\";'=1\"")
        #expect(Sanitize.csvCell("a,=b") == "\"a,=b\"")
        #expect(Sanitize.csvCell("\t=1;\r-2") == "\"\\x09=1;\\x0D-2\"")
        #expect(Sanitize.csvCell("plain") == "plain")
    }

    @Test(arguments: [
        ("\u{200B}", "\\u{200B}"), ("\u{FEFF}", "\\u{FEFF}"), ("\u{2028}", "\\u{2028}"), ("\u{2029}", "\\u{2029}"),
        ("\u{202A}", "\\u{202A}"), ("\u{202E}", "\\u{202E}"), ("\u{2066}", "\\u{2066}"), ("\u{2069}", "\\u{2069}"),
        ("\u{2060}", "\\u{2060}"), ("\u{200D}", "\\u{200D}"), ("\u{E0041}", "\\u{E0041}"), ("\u{00AD}", "\\xAD"),
        ("\u{061C}", "\\u{061C}"),
    ])
    func invisibleCharactersAreMadeVisible(character: String, shown: String) {
        #expect(Sanitize.terminal("ad\(character)min") == "ad\(shown)min")
        #expect(Sanitize.csvCell("ad\(character)min") == "ad\(shown)min")
    }

    @Test func visibleTextPassesAsItIs() {
        for text in ["café", "Überprüfung", "日本語", "😀", "a b", "ñ"] {
            #expect(Sanitize.terminal(text) == text)
        }
    }

    @Test func logTextIsNeutralisedButTheReportsNumbersStayNumbers() {
        let user = "x;=cmd|' /C calc'!A0\u{200B}\u{FEFF}"
        let log =
            TestSupport.header + "2026-11-16T07:00:01.000Z,00000000000000A1,1,10.0.1.11:993,10.20.1.5:50001,"
            + "\"\(user)\",5,0,0,login,x,\"R=\"\"a NO LOGIN failed.\"\"\"\r\n"
        var builder = ReportBuilder()
        builder.top = 5
        var r = builder.build(TestSupport.analyse(log))
        let users = CSVRenderer.render(r, table: .users)
        // User names are case-folded.
        #expect(users.contains("\r\n\"x;'=cmd|' /c calc'!a0\\u{200B}\\u{FEFF}\","))
        #expect(!users.contains("\u{200B}") && !users.contains("\u{FEFF}"))
        var renderer = TextRenderer()
        renderer.width = 200
        let text = renderer.render(r)
        #expect(!text.contains("\u{200B}") && !text.contains("\u{FEFF}"))
        // A number the report writes (here made negative) is a number for a spreadsheet, not text.
        r.servers[0].failures = -3
        r.servers[0].failureRate = -0.5
        let servers = CSVRenderer.render(r, table: .servers).split(separator: "\r\n")
        #expect(servers[1].split(separator: ",")[5] == "-3")
        #expect(servers[1].split(separator: ",")[6] == "-0.5")
        #expect(!servers[1].contains("'"))
    }
}
