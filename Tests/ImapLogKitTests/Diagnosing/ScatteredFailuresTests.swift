import Testing

@testable import ImapLogDiagnosis
@testable import ImapLogKit
@testable import ImapLogReport

/// Refused logons all towards one back end, each alone in its episode: scattered in time, which is what the
/// monitor's summary says, not "spread over the back ends"; no server is blamed.
@Suite("Failures scattered in time")
struct ScatteredFailuresTests {
    /// `count` refused logons to MBX02, `gapMinutes` apart, and one that succeeds beside each.
    private func log(count: Int, gapMinutes: Int) -> String {
        var rows = ""
        for n in 0..<count {
            let minutes = n * gapMinutes
            let at = "2026-11-\(16 + minutes / 1440)T\(two(minutes / 60 % 24)):\(two(minutes % 60)):01.000Z"
            rows +=
                "\(at),\(String(n + 1, radix: 16)),1,10.0.1.11:993,10.20.1.5:5000,u\(n),20,30,20,login,u\(n) *****,"
                + #""R=""a1 NO LOGIN failed."";Msg=Proxy:MBX02.contoso.com:1993:SSL;ErrMsg=MailboxOffline""#
                + "\r\n"
                + "\(at),\(String(n + 0x1000, radix: 16)),1,10.0.1.11:993,10.20.1.6:5000,v\(n),20,30,20,login,"
                + "v\(n) *****,R=ok;Msg=Proxy:MBX01.contoso.com:1993:SSL\r\n"
        }
        return TestSupport.header + rows
    }

    private func two(_ value: Int) -> String { value < 10 ? "0\(value)" : "\(value)" }

    private func report(_ text: String, _ language: Language = .english) -> Report {
        var builder = ReportBuilder()
        builder.request.monitors = [.customerTouchPoint]
        builder.request.source = "option"
        builder.request.language = language
        return builder.build(TestSupport.analyse(text, role: .frontEnd))
    }

    @Test func failuresHoursApartAreScatteredNotSpread() throws {
        let r = report(log(count: 12, gapMinutes: 120))
        let ctp = try #require(r.monitors.first)
        #expect(ctp.summary.hasPrefix("ImapCTPMonitor: 12 server-side logon failures, all towards MBX02.contoso.com"))
        #expect(ctp.summary.contains("never 3 close together"))
        #expect(r.verdict.suspects.isEmpty)
        let french = try #require(report(log(count: 12, gapMinutes: 120), .french).monitors.first)
        #expect(french.summary.contains("tous vers MBX02.contoso.com"))
    }

    /// The same failures close together make an episode, and MBX02 is the suspect.
    @Test func theSameFailuresCloseTogetherBlameTheBackEnd() {
        let r = report(log(count: 12, gapMinutes: 2))
        #expect(r.verdict.suspects.first?.server == "MBX02.contoso.com")
    }

    /// Failures towards a name no host name could be are counted towards no back end, and said so.
    @Test func failuresTowardsNoNamedBackEndBlameNoServer() throws {
        let r = report(log(count: 12, gapMinutes: 2).replacing("MBX02.contoso.com", with: "MBX01 x"))
        let ctp = try #require(r.monitors.first)
        #expect(
            ctp.summary.hasPrefix("ImapCTPMonitor: 12 server-side logon failures, towards no back end the logs name"))
        #expect(r.verdict.suspects.isEmpty)
    }
}
