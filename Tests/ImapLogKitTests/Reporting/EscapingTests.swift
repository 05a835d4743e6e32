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

    /// JSON keeps the same strings for a reader, but DEL, C1 controls (U+009B is a terminal's CSI), bidirectional
    /// and invisible characters are `\u` escapes, so `--format json` shown on a terminal carries nothing live.
    @Test func jsonWritesInvisibleAndControlCharactersAsEscapes() throws {
        let user = "\u{9B}31mbob\u{202E}eve\u{200B}\u{2028}\u{7F}\u{E0041}café"
        let log =
            TestSupport.header + "2026-11-16T07:00:01.000Z,00000000000000A1,1,10.0.1.11:993,10.20.1.5:50001,"
            + "\(user),5,0,0,login,x,R=ok\r\n"
        let report = ReportBuilder().build(TestSupport.analyse(log))
        var streamed = Data()
        _ = try JSONRenderer.write(report) { piece in
            streamed.append(piece)
            return true
        }
        for json in [try JSONRenderer.renderBytes(report), streamed] {
            let text = String(decoding: json, as: UTF8.self)
            #expect(!text.unicodeScalars.contains { $0.value == 0x7F || Sanitize.isUnsafe($0) && $0.value >= 0x20 })
            #expect(text.contains("\\u009B31mbob\\u202Eeve\\u200B\\u2028\\u007F\\uDB40\\uDC41café"))
            let decoded = try #require(try JSONSerialization.jsonObject(with: json) as? [String: Any])
            let users = try #require(decoded["users"] as? [[String: Any]])
            #expect(users.contains { $0["name"] as? String == user.lowercased() })
        }
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
