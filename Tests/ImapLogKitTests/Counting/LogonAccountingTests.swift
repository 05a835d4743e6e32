import Testing

@testable import ImapLogDiagnosis
@testable import ImapLogKit
@testable import ImapLogReport

/// How logons are counted: whose failure it is, sessions cut by the log's start, POP3's verbs.
@Suite("Logon accounting")
struct LogonAccountingTests {
    private let h = TestSupport.header

    /// Two refused logons of Exchange's monitoring account on a front end and one user's wrong password.
    private var monitoringAccountLog: String {
        h + #"""
            2026-11-16T07:00:01.000Z,00000000000000C1,0,10.0.1.11:993,127.0.0.1:50001,,3,0,53,OpenSession,,\#r
            2026-11-16T07:00:01.200Z,00000000000000C1,1,10.0.1.11:993,127.0.0.1:50001,HealthMailbox0123456789abcdef@contoso.com,60,41,23,login,HealthMailbox0123456789abcdef@contoso.com *****,"R=""z NO LOGIN failed."";Msg=""AuthFailed:LogonDenied,User: HealthMailbox0123456789abcdef@contoso.com"""\#r
            2026-11-16T07:00:01.400Z,00000000000000C1,2,10.0.1.11:993,127.0.0.1:50001,HealthMailbox0123456789abcdef@contoso.com,0,0,0,CloseSession,,\#r
            2026-11-16T07:01:01.000Z,00000000000000C2,0,10.0.1.11:993,127.0.0.1:50002,,3,0,53,OpenSession,,\#r
            2026-11-16T07:01:01.200Z,00000000000000C2,1,10.0.1.11:993,127.0.0.1:50002,,60,41,23,login,HealthMailbox0123456789abcdef@contoso.com *****,"R=""z NO LOGIN failed."""\#r
            2026-11-16T07:01:01.400Z,00000000000000C2,2,10.0.1.11:993,127.0.0.1:50002,,0,0,0,CloseSession,,\#r
            2026-11-16T07:02:00.000Z,00000000000000C3,0,10.0.1.11:993,10.20.1.6:50003,,3,0,53,OpenSession,,\#r
            2026-11-16T07:02:00.200Z,00000000000000C3,1,10.0.1.11:993,10.20.1.6:50003,bob@contoso.com,60,41,23,login,bob@contoso.com *****,"R=""a1 NO LOGIN failed."";Msg=""AuthFailed:LogonDenied,User: bob@contoso.com"""\#r
            2026-11-16T07:02:00.400Z,00000000000000C3,2,10.0.1.11:993,10.20.1.6:50003,bob@contoso.com,0,0,0,CloseSession,,\#r

            """#
    }

    @Test func theMonitoringAccountsRefusedLogonsAreNotUsersWrongPasswords() throws {
        let s = TestSupport.analyse(monitoringAccountLog, role: .frontEnd)
        let errors = Dictionary(uniqueKeysWithValues: s.errors.map { ($0.key, $0.value.count) })
        #expect(
            errors == [
                ErrorKey(errorClass: .monitoringAccount, code: "AuthFailed:LogonDenied", message: "LOGIN failed."): 1,
                ErrorKey(errorClass: .monitoringAccount, code: "NO", message: "LOGIN failed."): 1,
                ErrorKey(errorClass: .authentication, code: "AuthFailed:LogonDenied", message: "LOGIN failed."): 1,
            ])
        // Failed logons all three; only bob's is a refused credential.
        #expect(s.sessions.failedLogon == 3)
        let probe = try #require(s.users["healthmailbox0123456789abcdef@contoso.com"])
        #expect(probe.failedLogons == 1 && probe.credentialFailures == 0)
        #expect(s.users["bob@contoso.com"]?.credentialFailures == 1)
        // Neither a credential failure nor a server's fault in the logons the ImapCTPMonitor rule reads.
        let logons = s.logonsByBackend.values.flatMap(\.values)
        #expect(logons.map(\.logons).reduce(0, +) == 3)
        #expect(logons.map(\.credentialFailures).reduce(0, +) == 1)
        #expect(logons.map(\.serverFaults).reduce(0, +) == 0)
        let fe = try #require(s.servers[ServerKey(name: "10.0.1.11", role: .frontEnd)])
        #expect(fe.failureClasses == [.monitoringAccount: 2, .authentication: 1])
        #expect(fe.examples.isEmpty)
    }

    @Test func aSessionThatBeganBeforeTheLogWasLoggedOn() throws {
        // The first rows of two sessions in an hourly file: their logons are in the previous file. A third
        // starts mid-session with its (failed) logon, a fourth with no user: it never logged on.
        let log =
            h + #"""
                2026-11-16T08:00:00.100Z,00000000000000D1,7,10.0.1.11:993,10.20.1.5:50001,alice@contoso.com,4,30,200,select,INBOX,R=ok\#r
                2026-11-16T08:00:00.300Z,00000000000000D1,8,10.0.1.11:993,10.20.1.5:50001,alice@contoso.com,0,0,0,CloseSession,,\#r
                2026-11-16T08:00:10.000Z,00000000000000D2,12,10.0.1.11:993,10.20.1.6:50002,carol@contoso.com,30000,10,900,proxy,MBX01.contoso.com:1993:SSL,\#r
                2026-11-16T08:00:20.000Z,00000000000000D2,13,10.0.1.11:993,10.20.1.6:50002,carol@contoso.com,0,0,0,CloseSession,,\#r
                2026-11-16T08:00:30.000Z,00000000000000D3,2,10.0.1.11:993,10.20.1.7:50003,bob@contoso.com,60,41,23,login,bob@contoso.com *****,"R=""a1 NO LOGIN failed."";Msg=""AuthFailed:LogonDenied,User: bob@contoso.com"""\#r
                2026-11-16T08:00:30.200Z,00000000000000D3,3,10.0.1.11:993,10.20.1.7:50003,bob@contoso.com,0,0,0,CloseSession,,\#r
                2026-11-16T08:00:40.000Z,00000000000000D4,1,10.0.1.11:993,10.20.1.8:50004,,1,15,143,capability,,R=ok\#r
                2026-11-16T08:00:40.200Z,00000000000000D4,2,10.0.1.11:993,10.20.1.8:50004,,0,0,0,CloseSession,,\#r

                """#
        let s = TestSupport.analyse(log, role: .frontEnd)
        #expect(s.sessions.total == 4)
        #expect(s.sessions.loggedOn == 1 && s.sessions.loggedOnProxied == 1)
        #expect(s.sessions.failedLogon == 1 && s.sessions.neverAuthenticated == 1)
        // Not a failed logon, nor a logon counted for the ImapCTPMonitor rule: none was seen.
        #expect(s.logonsByBackend.values.flatMap(\.values).map(\.logons).reduce(0, +) == 1)
    }

    /// A POP3 front end: a refused `pass`, a refused `auth`, a `user` refused outright, and two good logons.
    private var pop3Log: String {
        let refusal =
            #""R=""-ERR Authentication failure: unknown user name or bad password."";"#
            + #"Msg=""AuthFailed:LogonDenied,User: testuser"";ErrMsg=AuthFailed:LogonDenied""#
        return h.replacingOccurrences("IMAP4 Log", "POP3 Log") + #"""
            2026-11-16T07:00:01.000Z,00000000000000E1,0,10.0.1.11:995,10.20.1.5:50001,,3,0,40,OpenSession,,\#r
            2026-11-16T07:00:01.100Z,00000000000000E1,1,10.0.1.11:995,10.20.1.5:50001,,1,15,20,user,testuser,"R=""+OK"""\#r
            2026-11-16T07:00:01.300Z,00000000000000E1,2,10.0.1.11:995,10.20.1.5:50001,testuser,60,15,70,pass,*****,\#(refusal)\#r
            2026-11-16T07:00:01.400Z,00000000000000E1,3,10.0.1.11:995,10.20.1.5:50001,testuser,0,0,0,CloseSession,,\#r
            2026-11-16T07:01:01.000Z,00000000000000E2,0,10.0.1.11:995,10.20.1.6:50002,,3,0,40,OpenSession,,\#r
            2026-11-16T07:01:01.200Z,00000000000000E2,1,10.0.1.11:995,10.20.1.6:50002,testuser,60,30,70,auth,PLAIN,\#(refusal)\#r
            2026-11-16T07:01:01.400Z,00000000000000E2,2,10.0.1.11:995,10.20.1.6:50002,testuser,0,0,0,CloseSession,,\#r
            2026-11-16T07:02:01.000Z,00000000000000E3,0,10.0.1.11:995,10.20.1.7:50003,,3,0,40,OpenSession,,\#r
            2026-11-16T07:02:01.100Z,00000000000000E3,1,10.0.1.11:995,10.20.1.7:50003,testuser,1,15,70,user,testuser,\#(refusal)\#r
            2026-11-16T07:02:01.400Z,00000000000000E3,2,10.0.1.11:995,10.20.1.7:50003,testuser,0,0,0,CloseSession,,\#r
            2026-11-16T07:03:01.000Z,00000000000000E4,0,10.0.1.11:995,10.20.1.8:50004,,3,0,40,OpenSession,,\#r
            2026-11-16T07:03:01.100Z,00000000000000E4,1,10.0.1.11:995,10.20.1.8:50004,,1,15,20,user,alice,R=+OK\#r
            2026-11-16T07:03:01.300Z,00000000000000E4,2,10.0.1.11:995,10.20.1.8:50004,alice,60,15,30,pass,*****,"R=""+OK User successfully logged on."""\#r
            2026-11-16T07:03:01.400Z,00000000000000E4,3,10.0.1.11:995,10.20.1.8:50004,alice,0,0,0,CloseSession,,\#r
            2026-11-16T07:04:01.000Z,00000000000000E5,0,10.0.1.11:995,10.20.1.9:50005,,3,0,40,OpenSession,,\#r
            2026-11-16T07:04:01.200Z,00000000000000E5,1,10.0.1.11:995,10.20.1.9:50005,dave,60,30,30,auth,PLAIN,R=+OK\#r
            2026-11-16T07:04:01.400Z,00000000000000E5,2,10.0.1.11:995,10.20.1.9:50005,dave,0,0,0,CloseSession,,\#r

            """#
    }

    @Test func pop3RefusedLogonsAreFailedLogonsOfTheUsersCredentials() throws {
        let s = TestSupport.analyse(pop3Log, role: .frontEnd)
        let error = try #require(s.errors.first)
        #expect(s.errors.count == 1)
        #expect(
            error.key
                == ErrorKey(
                    errorClass: .authentication, code: "AuthFailed:LogonDenied",
                    message: "Authentication failure: unknown user name or bad password."))
        #expect(error.value.count == 3)
        #expect(s.users["testuser"]?.failedLogons == 3 && s.users["testuser"]?.credentialFailures == 3)
        #expect(s.sessions.failedLogon == 3 && s.sessions.loggedOn == 2 && s.sessions.neverAuthenticated == 0)
        // `user` accepted is not a logon yet (the password is checked on `pass`): only the refusals and the two
        // accepted `pass` and `auth` count.
        let logons = s.logonsByBackend.values.flatMap(\.values)
        #expect(logons.map(\.logons).reduce(0, +) == 5)
        #expect(logons.map(\.credentialFailures).reduce(0, +) == 3)
        #expect(s.commands["user"]?.failures == 1 && s.commands["pass"]?.failures == 1)
    }
}
