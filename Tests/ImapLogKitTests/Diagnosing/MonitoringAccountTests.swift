import Testing

@testable import ImapLogDiagnosis
@testable import ImapLogKit
@testable import ImapLogReport

/// The monitoring account's refused logons blame its account: not users' passwords, not a mailbox server.
@Suite("Monitoring account")
struct MonitoringAccountTests {
    /// Six ImapCTPProbe logons refused on a front end, through MBX01, and one user's wrong password.
    private var log: String {
        var rows = ""
        for n in 1...6 {
            let id = "00000000000000F\(n)"
            let user = "HealthMailbox0123456789abcdef@contoso.com"
            let at = "2026-11-16T07:0\(n):01"
            rows +=
                "\(at).000Z,\(id),0,10.0.1.11:993,127.0.0.1:5000\(n),,3,0,53,OpenSession,,\r\n"
                + "\(at).200Z,\(id),1,10.0.1.11:993,127.0.0.1:5000\(n),\(user),60,41,23,login,\(user) *****,"
                + #""R=""z NO [Error=AuthFailed:LogonDenied Proxy=MBX01.contoso.com:1993:SSL] LOGIN failed."""#
                + "\r\n" + "\(at).400Z,\(id),2,10.0.1.11:993,127.0.0.1:5000\(n),\(user),0,0,0,CloseSession,,\r\n"
        }
        rows +=
            "2026-11-16T07:09:00.200Z,00000000000000A1,1,10.0.1.11:993,10.20.1.6:50003,bob@contoso.com,60,41,23,"
            + #"login,bob@contoso.com *****,"R=""a1 NO LOGIN failed."";Msg=""AuthFailed:LogonDenied,User: bob"""#
            + "\r\n"
        return TestSupport.header + rows
    }

    private func report(_ language: Language) -> Report {
        var builder = ReportBuilder()
        builder.request.monitors = [.customerTouchPoint]
        builder.request.source = "option"
        builder.request.language = language
        return builder.build(TestSupport.analyse(log, role: .frontEnd))
    }

    @Test func aFindingOfItsOwnAndNoServerOrWrongPasswordBlamed() throws {
        let r = report(.english)
        let monitoring = try #require(r.findings.first { $0.kind == "monitoringAccount" })
        #expect(monitoring.text.hasPrefix("6 logons of Exchange's monitoring account"))
        #expect(monitoring.text.contains("(AuthFailed:LogonDenied)"))
        let wrongPasswords = try #require(r.findings.first { $0.kind == "authentication" })
        #expect(wrongPasswords.text.hasPrefix("1 logons refused for the user's credentials"))
        #expect(!r.findings.contains { $0.kind == "failures" })
        #expect(r.verdict.suspects.isEmpty)
        let ctp = try #require(r.monitors.first)
        #expect(ctp.summary.hasPrefix("ImapCTPMonitor: The monitoring account's own logons were refused (6)"))
        #expect(r.errors.contains { $0.errorClass == .monitoringAccount && $0.count == 6 })
    }

    @Test func itsNameInBothLanguages() {
        #expect(Words(language: .english).errorClass("monitoringAccount") == "monitoring account")
        #expect(Words(language: .french).errorClass("monitoringAccount") == "compte de surveillance")
        #expect(Words(language: .english).errorClass("store") == "store")
        let r = report(.french)
        #expect(r.findings.contains { $0.kind == "monitoringAccount" && $0.text.contains("compte de surveillance") })
        #expect(!ErrorClass.monitoringAccount.pointsAtAServer && !ErrorClass.authentication.pointsAtAServer)
        #expect(ErrorClass.store.pointsAtAServer)
    }
}
