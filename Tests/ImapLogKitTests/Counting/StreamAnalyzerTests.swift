import Foundation
import Testing

@testable import ImapLogDiagnosis
@testable import ImapLogKit
@testable import ImapLogReport

@Suite("Stream analysis")
struct StreamAnalyzerTests {
    private let h = TestSupport.header

    /// One proxied user session on CAS01 and one failed wrong-password session.
    private var frontEndLog: String {
        h + #"""
            2026-11-16T07:00:01.000Z,00000000000000A1,0,10.0.1.11:993,10.20.1.5:50001,,3,0,53,OpenSession,,\#r
            2026-11-16T07:00:01.100Z,00000000000000A1,1,10.0.1.11:993,10.20.1.5:50001,,1,15,143,capability,,R=ok\#r
            2026-11-16T07:00:01.300Z,00000000000000A1,2,10.0.1.11:993,10.20.1.5:50001,alice@contoso.com,120,41,30,login,alice@contoso.com *****,R=ok;Msg=Proxy:MBX01.contoso.com:1993:SSL\#r
            2026-11-16T07:00:31.300Z,00000000000000A1,3,10.0.1.11:993,10.20.1.5:50001,alice@contoso.com,30000,100,9000,proxy,MBX01.contoso.com:1993:SSL,\#r
            2026-11-16T07:00:40.000Z,00000000000000A1,4,10.0.1.11:993,10.20.1.5:50001,alice@contoso.com,0,0,0,CloseSession,,\#r
            2026-11-16T07:01:00.000Z,00000000000000A2,0,10.0.1.11:993,10.20.1.6:50002,,3,0,53,OpenSession,,\#r
            2026-11-16T07:01:00.200Z,00000000000000A2,1,10.0.1.11:993,10.20.1.6:50002,bob@contoso.com,60,41,23,login,bob@contoso.com *****,"R=""a1 NO LOGIN failed."";Msg=""AuthFailed:LogonDenied,User: bob@contoso.com"""\#r
            2026-11-16T07:01:00.400Z,00000000000000A2,2,10.0.1.11:993,10.20.1.6:50002,bob@contoso.com,0,0,0,CloseSession,,\#r

            """#
    }

    @Test func everyLineIsAccountedFor() {
        let s = TestSupport.analyse(
            frontEndLog + "\r\njunk line\r\n2026-11-16T07:02:00.000Z,00000000000000A3", role: .frontEnd)
        #expect(s.lines == 6 + 8 + 3)
        #expect(s.headerLines == 6 && s.records == 8 && s.skipped == 3)
        #expect(TestSupport.linesAddUp(s))
        #expect(s.skippedByReason[.blankLine]?.count == 1)
        #expect(s.skippedByReason[.tooFewFields]?.example == "test.LOG:16")
        #expect(s.files.first?.notices.contains { $0.contains("no line end") } == true)
    }

    @Test func sessionsCommandsAndTheBackEndTheyWereProxiedTo() throws {
        let s = TestSupport.analyse(frontEndLog, role: .frontEnd)
        #expect(s.sessions.total == 2 && s.sessions.loggedOnProxied == 1 && s.sessions.failedLogon == 1)
        let fe = try #require(s.servers[ServerKey(name: "10.0.1.11", role: .frontEnd)])
        #expect(fe.sessions == 2 && fe.own.count == 4 && fe.own.failures == 1)
        let be = try #require(s.servers[ServerKey(name: "mbx01.contoso.com", role: .backEnd)])
        #expect(be.proxiedSessions == 1 && be.proxied.count == 2 && be.proxied.failures == 0)
        #expect(s.serverSpellings["mbx01.contoso.com"] == "MBX01.contoso.com")
        // Proxy rows are counted but their 30 s are not latency.
        #expect(s.commands["proxy"]?.count == 1 && s.commands["proxy"]?.latency.count == 0)
        #expect(s.commands["login"]?.latency.max == 120)
        // Sizes are counted: the proxy row says what the front end relayed to and from MBX01.
        #expect(s.commands["proxy"]?.requestBytes == 100 && s.commands["proxy"]?.responseBytes == 9000)
        #expect(be.proxied.responseBytes == 30 + 9000)
        let error = try #require(s.errors.first)
        #expect(
            error.key == ErrorKey(errorClass: .authentication, code: "AuthFailed:LogonDenied", message: "LOGIN failed.")
        )
        #expect(error.value.example == "test.LOG:13")
        #expect(s.users["bob@contoso.com"]?.credentialFailures == 1)
        #expect(s.users["alice@contoso.com"]?.credentialFailures == 0)
        // Logons per back end and minute, the last minute of the stream included.
        let minute = try #require(Timestamp.parse("2026-11-16T07:00:00.000Z")) / 60_000
        // Keyed by front end and back end (`LogonPath`).
        let path = LogonPath(frontEnd: "10.0.1.11", backEnd: "mbx01.contoso.com").key
        #expect(path == "10.0.1.11>mbx01.contoso.com")
        #expect(s.logonsByBackend[path]?.entries.map(\.minute) == [minute])
        #expect(s.logonsByBackend[path]?[minute]?.logons == 1)
        let all = s.logonsByBackend.values.flatMap(\.values)
        #expect(all.map(\.logons).reduce(0, +) == 2 && all.map(\.credentialFailures).reduce(0, +) == 1)
    }

    @Test func aProxyRowNamingAnotherBackEndMovesTheSession() throws {
        // Repeated proxy rows are read by a shortcut when they name the session's back end; these name it
        // with a trailing dot, in capitals, then a longer name that starts with it, then another server.
        let log =
            h + #"""
                2026-11-16T07:00:01.000Z,00000000000000B1,0,10.0.1.11:993,10.20.1.5:50001,,3,0,53,OpenSession,,\#r
                2026-11-16T07:00:01.300Z,00000000000000B1,1,10.0.1.11:993,10.20.1.5:50001,alice@contoso.com,120,41,30,login,alice@contoso.com *****,R=ok;Msg=Proxy:MBX01.contoso.com:1993:SSL\#r
                2026-11-16T07:00:31.300Z,00000000000000B1,2,10.0.1.11:993,10.20.1.5:50001,alice@contoso.com,30000,1,1,proxy,MBX01.contoso.com.:1993:SSL,\#r
                2026-11-16T07:01:01.300Z,00000000000000B1,3,10.0.1.11:993,10.20.1.5:50001,alice@contoso.com,30000,1,1,proxy,MBX01.CONTOSO.COM:1993:SSL,\#r
                2026-11-16T07:01:31.300Z,00000000000000B1,4,10.0.1.11:993,10.20.1.5:50001,alice@contoso.com,30000,1,1,proxy,MBX01.contoso.com2:1993:SSL,\#r
                2026-11-16T07:02:01.300Z,00000000000000B1,5,10.0.1.11:993,10.20.1.5:50001,alice@contoso.com,30000,1,1,proxy,MBX01.contoso.com2:1993:SSL,\#r
                2026-11-16T07:02:31.300Z,00000000000000B1,6,10.0.1.11:993,10.20.1.5:50001,alice@contoso.com,30000,1,1,proxy,MBX03.contoso.com,\#r
                2026-11-16T07:02:40.000Z,00000000000000B1,7,10.0.1.11:993,10.20.1.5:50001,alice@contoso.com,0,0,0,CloseSession,,\#r

                """#
        let s = TestSupport.analyse(log, role: .frontEnd)
        let proxied = { (name: String) in s.servers[ServerKey(name: name, role: .backEnd)]?.proxied.count ?? 0 }
        // The login and the first two proxy rows went to MBX01; two to the longer name; the last to MBX03.
        #expect(proxied("mbx01.contoso.com") == 3)
        #expect(proxied("mbx01.contoso.com2") == 2)
        #expect(proxied("mbx03.contoso.com") == 1)
        #expect(s.servers[ServerKey(name: "mbx03.contoso.com", role: .backEnd)]?.proxiedSessions == 1)
    }

    @Test func serversNamedByAddressRowAfterRowAreCountedByAddressAndPort() {
        // Standard input names no server: each row's own endpoint does. Runs of the same endpoint reuse the last
        // one read; every change (another address, another port, brackets, a loopback) must be read afresh.
        let endpoints: [(String, Int)] = [
            ("[fe80::1]:993", 3), ("10.0.1.11:1993", 2), ("10.0.1.11:993", 2), ("[fe80::1]:1993", 1),
            ("127.0.0.1:993", 2), ("10.0.1.111:993", 1), ("10.0.1.11:993", 1), ("[fe80::1]:993", 1),
            ("fe80::1:993", 1), ("10.0.1.11:993", 1), (" 10.0.1.11:993", 1), ("10.0.1.1:993", 1),
        ]
        var rows = ""
        var id = 0
        for (endpoint, count) in endpoints {
            for _ in 0..<count {
                id += 1
                let endpointField = endpoint.hasPrefix(" ") ? "\"\(endpoint)\"" : endpoint
                rows +=
                    "2026-11-16T07:00:\(String(format: "%02d", id)).000Z,\(String(format: "%016X", id)),0,"
                    + "\(endpointField),10.20.1.5:50001,alice@contoso.com,5,1,1,noop,,R=ok\r\n"
            }
        }
        let s = TestSupport.analyse(h + rows)
        let records = { (name: String, role: Role) in s.servers[ServerKey(name: name, role: role)]?.records ?? 0 }
        #expect(records("fe80::1", .frontEnd) == 4)
        #expect(records("fe80::1", .backEnd) == 1)
        #expect(records("10.0.1.11", .backEnd) == 2)
        // Five rows; the two loopback ones belong to no address here, since no front-end address holds nine
        // tenths of the front-end rows (several servers piped in one stream cannot be told apart there).
        #expect(records("10.0.1.11", .frontEnd) == 5)
        #expect(records("(loopback, server unknown)", .frontEnd) == 2)
        #expect(records("10.0.1.111", .frontEnd) == 1)
        #expect(records("10.0.1.1", .frontEnd) == 1)
        #expect(records("fe80::1:993", .unknown) == 1)
        #expect(s.records == 17)
        // The address read from a remembered endpoint is the one a fresh read gives (without brackets).
        #expect(s.servers[ServerKey(name: "fe80::1", role: .frontEnd)]?.addresses == ["fe80::1"])
        #expect(s.servers[ServerKey(name: "10.0.1.11", role: .frontEnd)]?.addresses == ["10.0.1.11"])
    }

    @Test func theServerAStreamMostlyNamesIsTheOneWithTheMostRowsNotRuns() {
        // 10.0.1.12 in one run of six rows, 10.0.1.13 in three runs of one: the stream is 10.0.1.12; its loopback
        // row counts there only once it holds nine tenths of the rows.
        let endpoints =
            ["10.0.1.13", "10.0.1.14", "10.0.1.13", "10.0.1.14", "10.0.1.13"] + Array(repeating: "10.0.1.12", count: 6)
            + ["127.0.0.1"]
        var rows = ""
        for (id, address) in endpoints.enumerated() {
            rows +=
                "2026-11-16T07:00:\(String(format: "%02d", id)).000Z,\(String(format: "%016X", id + 1)),0,"
                + "\(address):993,10.20.1.5:50001,alice@contoso.com,5,1,1,noop,,R=ok\r\n"
        }
        let s = TestSupport.analyse(h + rows)
        #expect(s.files.first?.server == "10.0.1.12")
        #expect(s.servers[ServerKey(name: "10.0.1.12", role: .frontEnd)]?.records == 6)
        #expect(s.servers[ServerKey(name: "10.0.1.13", role: .frontEnd)]?.records == 3)
        #expect(s.servers[ServerKey(name: "(loopback, server unknown)", role: .frontEnd)]?.records == 1)
        // Forty rows of 10.0.1.12 against 10.0.1.13's three: nine tenths, the loopback row is 10.0.1.12's.
        var most = ""
        for (id, address) in (Array(repeating: "10.0.1.12", count: 40) + ["10.0.1.13", "127.0.0.1"]).enumerated() {
            most +=
                "2026-11-16T07:01:\(String(format: "%02d", id)).000Z,\(String(format: "%016X", id + 100)),0,"
                + "\(address):993,10.20.1.5:50001,alice@contoso.com,5,1,1,noop,,R=ok\r\n"
        }
        let m = TestSupport.analyse(h + most)
        #expect(m.servers[ServerKey(name: "10.0.1.12", role: .frontEnd)]?.records == 41)
    }

    @Test func probeTrafficIsToldApartAndKept() throws {
        let log =
            h + #"""
                2026-11-16T07:00:01.000Z,00000000000000B1,0,127.0.0.1:993,127.0.0.1:40001,,3,0,53,OpenSession,,\#r
                2026-11-16T07:00:01.100Z,00000000000000B1,1,127.0.0.1:993,127.0.0.1:40001,,1,15,143,capability,,R=ok\#r
                2026-11-16T07:00:01.200Z,00000000000000B1,2,127.0.0.1:993,127.0.0.1:40001,,0,0,0,CloseSession,,\#r
                2026-11-16T07:00:02.000Z,00000000000000B2,0,127.0.0.1:993,127.0.0.1:40002,,3,0,53,OpenSession,,\#r
                2026-11-16T07:00:02.300Z,00000000000000B2,1,127.0.0.1:993,127.0.0.1:40002,HealthMailboxabc@contoso.com,900,20,60,login,HealthMailboxabc@contoso.com *****,"R=""z NO LOGIN failed. [Error=ConnectionFailedTransient Proxy=MBX02.contoso.com:1993:SSL]"""\#r
                2026-11-16T07:00:02.400Z,00000000000000B2,2,127.0.0.1:993,127.0.0.1:40002,HealthMailboxabc@contoso.com,0,0,0,CloseSession,,\#r

                """#
        let s = TestSupport.analyse(log, role: .frontEnd)
        let kinds = Dictionary(grouping: s.probes.sessions, by: { $0.key.kind }).mapValues {
            $0.reduce(0) { $0 + $1.value.sessions }
        }
        #expect(kinds == [.proxyTest: 1, .customerTouchPoint: 1])
        #expect(s.probes.records == 6 && s.probes.commands.failures == 1)
        #expect(s.errors.keys.first?.code == "ConnectionFailedTransient" && s.errors.keys.first?.errorClass == .store)
        // A front end known only by loopback rows keeps a name ("localhost"), never the placeholder.
        #expect(s.servers.keys.contains(ServerKey(name: "localhost", role: .frontEnd)))
        #expect(s.servers[ServerKey(name: "mbx02.contoso.com", role: .backEnd)]?.proxiedFailureClasses[.store] == 1)

        var options = AnalysisOptions()
        options.excludesProbes = true
        let without = TestSupport.analyse(log, role: .frontEnd, options: options)
        #expect(without.commands.isEmpty && without.sessions.total == 0)
        #expect(without.probes.records == 6)
    }

    @Test func aBackEndKnownOnlyByAddressTakesTheNameItsLogonsGive() {
        let log =
            h + #"""
                2026-11-16T07:00:01.000Z,0000000000000C01,0,10.0.2.21:1993,10.0.1.11:41000,,0,0,53,OpenSession,,\#r
                2026-11-16T07:00:01.100Z,0000000000000C01,1,10.0.2.21:1993,10.0.1.11:41000,alice@contoso.com,40,60,30,login,alice@contoso.com *****,"R=ok;Msg=""Location: ServerFqdn: MBX01.contoso.com, DatabaseName: DB01"""\#r
                2026-11-16T07:00:01.200Z,0000000000000C01,2,10.0.2.21:1993,10.0.1.11:41000,alice@contoso.com,900000,0,0,idle,,R=ok\#r

                """#
        let s = TestSupport.analyse(log)
        #expect(Array(s.servers.keys) == [ServerKey(name: "mbx01.contoso.com", role: .backEnd)])
        #expect(s.servers.values.first?.addresses == ["10.0.2.21"])
        // IDLE is counted, but its 15 minutes are no latency.
        #expect(s.commands["idle"]?.count == 1 && s.commands["idle"]?.latency.count == 0)
        #expect(s.sessions.openAtEnd == 1 && s.sessions.loggedOn == 1)
    }

    @Test func exchange2010EventsArePairedIntoCommands() throws {
        let bytes = EdgeCaseBytes.legacy
        let s = LogAnalysis.analyse(bytes: bytes, path: "legacy.LOG")
        #expect(s.files.first?.format == .protocolEvents)
        #expect(s.commands["login"]?.count == 1 && s.commands["select"]?.count == 1)
        #expect(s.commands["uid+fetch"]?.latency.max == 900)
        #expect(s.commands["examine"]?.failures == 1)
        #expect(s.users["dave.thomas"]?.commands == 4)  // LOGIN and the three commands after it
        #expect(s.sessions.total == 1 && s.sessions.loggedOn == 1)
        #expect(TestSupport.linesAddUp(s))
    }

    @Test func filtersSelectRecordsButTheLinesStillAddUp() {
        var options = AnalysisOptions()
        options.users = ["bob*"]
        let s = TestSupport.analyse(frontEndLog, role: .frontEnd, options: options)
        #expect(s.records == 8 && TestSupport.linesAddUp(s))
        // bob's login and CloseSession pass; his OpenSession (no user yet) and alice's rows do not.
        #expect(s.commands["login"]?.count == 1 && s.filteredOut == 6)
        options = AnalysisOptions()
        options.servers = ["mbx01"]
        let proxied = TestSupport.analyse(frontEndLog, role: .frontEnd, options: options)
        #expect(proxied.commands["login"]?.count == 1 && proxied.commands["proxy"]?.count == 1)
        options = AnalysisOptions()
        options.since = Timestamp.parse("2026-11-16T07:01:00Z")
        #expect(TestSupport.analyse(frontEndLog, role: .frontEnd, options: options).records == 8)
        #expect(TestSupport.analyse(frontEndLog, role: .frontEnd, options: options).filteredOut == 5)
    }

    @Test func aRefusalIn2010sFormatTakesItsCauseFromTheContext() throws {
        let log = """
            #Fields: date-time,connector-id,session-id,sequence-number,local-endpoint,remote-endpoint,event,data,context\r
            2026-11-21T07:00:00.000Z,IMAP4,0A,0,10.0.2.22:143,10.0.1.11:50000,+,,\r
            2026-11-21T07:00:01.000Z,IMAP4,0A,1,10.0.2.22:143,10.0.1.11:50000,<,a1 LOGIN ann,\r
            2026-11-21T07:00:02.000Z,IMAP4,0A,2,10.0.2.22:143,10.0.1.11:50000,>,a1 NO LOGIN failed.,Excpt=MailboxOfflineException\r

            """
        let s = TestSupport.analyse(log, role: .backEnd)
        let error = try #require(s.errors.first)
        #expect(error.key.code == "MailboxOfflineException" && error.key.errorClass == .store)
    }
}

/// The 2010 sample from the edge cases, as bytes.
enum EdgeCaseBytes {
    static var legacy: [UInt8] {
        SampleEdgeCases.file(named: "EX2010/IMAP420261121-1.LOG")
    }

}
