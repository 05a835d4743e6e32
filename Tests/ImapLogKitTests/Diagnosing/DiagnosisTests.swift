import Foundation
import Testing

@testable import ImapLogDiagnosis
@testable import ImapLogKit
@testable import ImapLogReport

@Suite("Verdicts on the sample stories")
struct VerdictTests {
    private func report(_ story: String, _ monitors: [Monitor] = [], language: Language = .english) -> Report {
        let plan = InputDiscovery.plan(paths: [TestSupport.sampleLogs + "/" + story])
        var builder = ReportBuilder()
        builder.request.monitors = monitors
        builder.request.source = monitors.isEmpty ? "logs" : "option"
        builder.request.language = language
        return builder.build(LogAnalysis.run(plan: plan, options: .init()).summary)
    }

    @Test(arguments: [
        ("02-mbx02-refusing-logons", Monitor.customerTouchPoint, "MBX02.contoso.com", Role.backEnd),
        ("02-mbx02-refusing-logons", Monitor.deepTest, "MBX02.contoso.com", Role.backEnd),
        ("03-slow-mbx03", Monitor.averageCommandProcessingTime, "MBX03.contoso.com", Role.backEnd),
        ("07-cas02-imap4-hung", Monitor.proxyTest, "CAS02", Role.frontEnd),
        ("08-cas01-certificate", Monitor.customerTouchPoint, "CAS01", Role.frontEnd),
        ("09-only-backend-logs", Monitor.customerTouchPoint, "MBX02.contoso.com", Role.backEnd),
        ("09-only-backend-logs", Monitor.deepTest, "MBX02.contoso.com", Role.backEnd),
        ("14-multirole-2016", Monitor.averageCommandProcessingTime, "EX02.contoso.com", Role.backEnd),
    ])
    func theFirstSuspectIsTheServerAtFault(story: String, monitor: Monitor, server: String, role: Role) throws {
        let r = report(story, [monitor])
        let top = try #require(r.verdict.suspects.first)
        #expect(top.server == server && top.role == role && top.monitor == monitor.rawValue)
        #expect(top.confidence >= CheckRenderer.criticalConfidence)
        #expect(r.monitor.value?.name == monitor.rawValue && r.monitor.value?.source == "option")
        #expect(r.nextSteps.contains { $0.command?.contains(server) == true })
        #expect(CheckRenderer.status(of: r) == .critical)
        // With no monitor named, every rule runs and the same server comes first.
        #expect(report(story).verdict.suspects.first?.server == server)
    }

    @Test func aServerLoggedUnderTwoSpellingsIsOneServerForTheSlowCommandsRule() throws {
        // MBX03's timeline split between its short name (as a folder names it) and its FQDN (as proxy rows and its
        // logons name it): the rule sums their 5-minute samples and says exactly what it says of the table whole.
        let plan = InputDiscovery.plan(paths: [TestSupport.sampleLogs + "/03-slow-mbx03"])
        let summary = LogAnalysis.run(plan: plan, options: .init()).summary
        let key = try #require(summary.timeline.keys.first { $0.name == "mbx03.contoso.com" && $0.role == .backEnd })
        var split = summary
        var a = MinuteTable<TimelineTally>()
        var b = MinuteTable<TimelineTally>()
        for (index, entry) in try #require(summary.timeline[key]).enumerated() {
            if index % 2 == 0 { a.add(entry.value, at: entry.minute) } else { b.add(entry.value, at: entry.minute) }
        }
        split.timeline[key] = a
        split.timeline[ServerKey(name: "mbx03", role: .backEnd)] = b
        split.servers[ServerKey(name: "mbx03", role: .backEnd)] = .init()
        var builder = ReportBuilder()
        builder.request.monitors = [.averageCommandProcessingTime]
        let whole = try #require(builder.build(summary).monitors.first)
        let parts = try #require(builder.build(split).monitors.first)
        #expect(whole.fired && whole.suspects.first?.server == "MBX03.contoso.com")
        #expect(parts == whole)
    }

    @Test func theSlowCommandsRuleNamesTheLongestRunAndTheEarliestOfEqualOnes() throws {
        // One back end's 5-minute samples (minutes from a day's start): means in ms, 0 for a quiet sample.
        let day: Int64 = 29_000_000 - 29_000_000 % 1440
        func timeline(_ means: [Int64], split: Bool = false) -> [ServerKey: MinuteTable<TimelineTally>] {
            var a = MinuteTable<TimelineTally>()
            var b = MinuteTable<TimelineTally>()
            for (index, mean) in means.enumerated() where mean > 0 {
                // Two minutes of each sample, 3 commands each, the sample's mean; under two spellings if `split`.
                for (k, minute) in [day + Int64(index) * 5 + 1, day + Int64(index) * 5 + 3].enumerated() {
                    let tally = TimelineTally(requests: 3, failures: 0, latencySum: 3 * mean, latencyCount: 3)
                    if split && k == 1 { b.add(tally, at: minute) } else { a.add(tally, at: minute) }
                }
            }
            var tables = [ServerKey(name: "mbx01", role: .backEnd): a]
            if split { tables[ServerKey(name: "mbx01.contoso.com", role: .backEnd)] = b }
            return tables
        }
        func result(_ means: [Int64], split: Bool = false) throws -> Report.MonitorResult {
            var summary = Summary()
            summary.timeline = timeline(means, split: split)
            var file = FileSummary(path: "mbx01.LOG", role: .backEnd)
            file.records = 1_000
            summary.files = [file]
            // Both spellings seen as servers, so they are known to be one.
            for name in ["mbx01", "mbx01.contoso.com"] {
                summary.servers[ServerKey(name: name, role: .backEnd)] = .init()
            }
            var builder = ReportBuilder()
            builder.request.monitors = [.averageCommandProcessingTime]
            return try #require(builder.build(summary).monitors.first)
        }
        // Runs of 2 (samples 1-2), 1 (4, alone: no run), 3 (6-8, worst 95 s), 3 again (11-13), a gap at 9.
        let means: [Int64] = [
            1_000, 61_000, 62_000, 500, 70_000, 0, 90_000, 95_000, 61_000, 0, 0, 99_000, 99_000, 99_000,
        ]
        for split in [false, true] {
            let monitor = try result(means, split: split)
            let suspect = try #require(monitor.suspects.first)
            #expect(monitor.fired && monitor.suspects.count == 1)
            #expect(suspect.failures == 3 && suspect.total == means.filter { $0 > 0 }.count)
            #expect(suspect.window?.from == Timestamp.format((day + 30) * 60_000, withMilliseconds: false))
            #expect(suspect.window?.to == Timestamp.format((day + 45) * 60_000, withMilliseconds: false))
            #expect(suspect.evidence.first?.contains("worst 95,000 ms over 18 commands") == true)
        }
        // A longer run later wins; no run at all names the highest sample, the earliest of equal ones.
        let longer = try #require(try result(means + [0, 80_000, 80_000, 80_000, 80_000]).suspects.first)
        #expect(longer.failures == 4)
        let quiet = try result([1_000, 61_000, 2_000, 61_000, 500])
        #expect(!quiet.fired && quiet.summary.contains("61,000 ms"))
        #expect(quiet.summary.contains(Format.shortTime(Timestamp.format((day + 5) * 60_000, withMilliseconds: false))))
    }

    @Test(arguments: ["01-quiet-morning", "04-wrong-passwords", "05-collected-archives"])
    func noSuspectWhereNoServerIsAtFault(story: String) {
        let r = report(story)
        #expect(r.verdict.suspects.isEmpty)
        #expect(!r.monitors.contains { $0.fired })
        #expect(CheckRenderer.status(of: r) == .ok)
        for monitor in Monitor.allCases { #expect(report(story, [monitor]).verdict.suspects.isEmpty, "\(monitor)") }
    }

    @Test func aFrontEndsCertificateBlamesItAndNoMailboxServer() throws {
        let r = report("08-cas01-certificate")
        #expect(r.verdict.suspects.map(\.server) == ["CAS01"])
        #expect(!r.findings.contains { $0.server?.hasPrefix("MBX") == true && $0.severity == .critical })
        #expect(r.nextSteps.contains { $0.command?.contains("Get-ExchangeCertificate -Server 'CAS01'") == true })
        #expect(!r.nextSteps.contains { $0.command?.contains("MBX") == true })
    }

    @Test func withNoProbeTheVerdictFallsBackToUsersAndSaysSo() throws {
        let r = report("10-no-probe-traffic", [.customerTouchPoint])
        let top = try #require(r.verdict.suspects.first)
        #expect(top.server == "MBX01.contoso.com" && top.confidence < 1)
        #expect(top.evidence.contains { $0.contains("No ImapCTPProbe session in these logs") })
        let deep = try #require(report("10-no-probe-traffic", [.deepTest]).verdict.suspects.first)
        #expect(deep.server == "MBX01.contoso.com" && deep.confidence <= DeepTestRule.usersOnlyConfidence)
    }

    @Test func aBrokenMonitoringAccountBlamesNoServer() {
        let r = report("11-broken-monitoring-account")
        #expect(r.verdict.suspects.isEmpty)
        let ctp = r.monitors.first { $0.name == Monitor.customerTouchPoint.rawValue }
        #expect(ctp?.fired == true && ctp?.cause == MonitorResult.Cause.monitoringAccount)
        #expect(r.nextSteps.contains { $0.command?.contains("Get-Mailbox -Monitoring") == true })
    }

    @Test func popIsReportedApartAndBlamesNothingInIMAP() throws {
        let plan = InputDiscovery.plan(paths: [TestSupport.sampleLogs + "/12-pop3-beside-imap"])
        let result = LogAnalysis.run(plan: plan, options: .init())
        let pop3 = try #require(result.pop3)
        #expect(pop3.sessions.failedLogon > 0)
        var builder = ReportBuilder()
        builder.pop3 = result.pop3
        let r = builder.build(result.summary)
        #expect(r.verdict.suspects.isEmpty && !r.monitors.contains { $0.fired })
        #expect(!r.errors.contains { $0.message.contains("-ERR") || $0.message.contains("Authentication failure") })
        #expect(r.pop3?.credentialFailures == 16)
        // Every line is still accounted for, POP3's too.
        #expect(r.input.lines == r.input.records + r.input.headerLines + r.input.skipped)
        #expect(r.input.fileCount == 10)
    }

    @Test func aBlipLongOverIsRecoveredAndLowConfidence() throws {
        let r = report("13-failover-blip")
        let top = try #require(r.verdict.suspects.first)
        #expect(top.server == "MBX03.contoso.com" && top.hasRecovered && top.confidence < 0.5)
        #expect(r.verdict.suspects.count == 1)
        #expect(CheckRenderer.status(of: r) == .warning)
    }

    @Test(arguments: [
        "01-quiet-morning", "02-mbx02-refusing-logons", "03-slow-mbx03", "04-wrong-passwords", "05-collected-archives",
        "06-edge-cases", "07-cas02-imap4-hung", "08-cas01-certificate", "09-only-backend-logs", "10-no-probe-traffic",
        "11-broken-monitoring-account", "12-pop3-beside-imap", "13-failover-blip", "14-multirole-2016",
    ])
    func theFindingsNeverContradictTheVerdict(story: String) {
        let r = report(story)
        let flagged = r.findings.filter { $0.kind == "suspect" }
        // Every suspect stands in WHAT STANDS OUT, as sure as the verdict says, and nothing else is CRITICAL when
        // the verdict names nobody.
        var seen = Set<String>()
        for suspect in r.verdict.suspects where seen.insert(suspect.server).inserted {
            // A server suspected by several rules stands once, as its surest suspicion (the verdict's order).
            let finding = flagged.first { $0.server == suspect.server }
            #expect(finding != nil, "\(story): \(suspect.server) missing from the findings")
            let expected: Report.Finding.Severity =
                suspect.hasRecovered
                ? .info : suspect.confidence >= CheckRenderer.criticalConfidence ? .critical : .warning
            #expect(finding?.severity == expected, "\(story): \(suspect.server)")
        }
        if r.verdict.suspects.isEmpty { #expect(!r.findings.contains { $0.severity == .critical }, "\(story)") }
        // One count for one fault: a suspect's own failure finding is not given a second time.
        for suspect in r.verdict.suspects {
            #expect(!r.findings.contains { $0.kind == "failures" && $0.server == suspect.server }, "\(story)")
        }
    }

    @Test func noComparisonWithServersThatWereNotRead() throws {
        // Only MBX02's own log: nothing to compare it with, and the report must not claim a 0 % elsewhere.
        let plan = InputDiscovery.plan(paths: [TestSupport.sampleLogs + "/02-mbx02-refusing-logons/MBX02"])
        var builder = ReportBuilder()
        builder.request.monitors = [.customerTouchPoint, .deepTest]
        let r = builder.build(LogAnalysis.run(plan: plan, options: .init()).summary)
        #expect(r.verdict.suspects.first?.server == "MBX02.contoso.com")
        for suspect in r.verdict.suspects {
            #expect(
                !suspect.evidence.contains { $0.contains("on the other") && $0.contains("0%") }, "\(suspect.evidence)")
            #expect(suspect.evidence.contains { $0.contains("to compare") })
        }
    }

    @Test func theDeepTestWindowIsItsFailuresNotTheProbesSpan() throws {
        let top = try #require(report("02-mbx02-refusing-logons", [.deepTest]).verdict.suspects.first)
        // The deep tests run from 09:40; MBX02's databases go offline at 09:52.
        #expect(top.window?.from == "2026-11-17T09:55:00Z")
    }

    @Test func wrongPasswordsAreSaidToBeNoServersFault() {
        let r = report("04-wrong-passwords", [.customerTouchPoint])
        #expect(r.verdict.summary.contains("only users' wrong passwords"))
        // Nothing to restart: only the checks.
        #expect(!r.nextSteps.contains { $0.command?.contains("Restart") == true })
    }

    @Test func theRunbooksMistakesAreCorrected() {
        let steps = report("02-mbx02-refusing-logons", [.customerTouchPoint]).nextSteps.compactMap(\.command)
        #expect(steps.contains { $0.contains("-ProtocolLogEnabled $false") })
        #expect(steps.allSatisfy { !$0.contains("ProtocolLoggingEnabled") && !$0.contains("HealtSetName") })
        #expect(steps.contains { $0.contains("$_.HealthSetName -like \"IMAP*\"") })
        let queued = report("03-slow-mbx03", [.requestsQueued])
        #expect(queued.verdict.summary.contains("ActiveSync"))
        #expect(queued.nextSteps.first?.command?.contains("ActiveSync*") == true)
    }

    @Test func theFrenchReportIsFrench() throws {
        let r = report("02-mbx02-refusing-logons", [.customerTouchPoint], language: .french)
        #expect(r.verdict.summary.hasPrefix("Responsable le plus probable : MBX02.contoso.com (boîtes aux lettres)"))
        #expect(r.nextSteps.first?.text.hasPrefix("Vérifiez") == true)
        let text = TextRenderer().render(r)
        // Log text ("LOGIN failed.") is never translated; the report's own words are.
        for english in [
            "Check that", "Most likely", "NEXT STEPS", "WHAT STANDS OUT", "front end", "back end", "proxied commands",
            "sessions:", "Skipped lines", "seen from", "EVIDENCE", "(store)", " of ",
        ] {
            #expect(!text.contains(english), "\(english)")
        }
        #expect(!text.contains("autorité"))  // Client Access is "accès client", never a certificate authority
        #expect(text.contains("accès client"))
    }
}

@Suite("Diagnosis rules on small logs")
struct RuleTests {
    private let h = TestSupport.header

    private func diagnose(_ text: String, _ monitor: Monitor) -> Report {
        var builder = ReportBuilder()
        builder.request.monitors = [monitor]
        return builder.build(TestSupport.analyse(text, role: .frontEnd))
    }

    private func row(
        _ minute: Int, _ session: Int, _ seq: Int, _ command: String, _ context: String, user: String = "u@x",
        client: String = "10.20.1.1:5000"
    ) -> String {
        let time = String(format2(minute / 60)) + ":" + String(format2(minute % 60))
        return "2026-11-16T\(time):00.000Z,\(String(session, radix: 16)),\(seq),10.0.1.11:993,\(client),\(user),5,0,0,"
            + "\(command),,\(context)\r\n"
    }

    private func format2(_ n: Int) -> String { n < 10 ? "0\(n)" : "\(n)" }

    @Test func aProxiedLogonRefusedWithNoCodeIsTheBackEndsNotAWrongPassword() throws {
        // The front end accepted the credentials, proxied, and relayed the back end's bare NO.
        var log = h
        for i in 0..<20 {
            let backend = i % 2 == 0 ? "MBX01" : "MBX02"
            let outcome =
                backend == "MBX01"
                ? #""R=""a NO LOGIN failed."";Msg=Proxy:MBX01.x:1993:SSL""#
                : "R=ok;Msg=Proxy:MBX02.x:1993:SSL"
            log += row(8 * 60 + i, 300 + i, 1, "login", outcome, user: "user\(i)@x")
        }
        let r = diagnose(log, .customerTouchPoint)
        #expect(r.verdict.suspects.first?.server == "MBX01.x")
        #expect(!r.errors.contains { $0.errorClass == .authentication })
        #expect(r.errors.contains { $0.code == "RefusedByBackEnd" })
        #expect(r.users.allSatisfy { $0.credentialFailures == 0 })
    }

    @Test func twoBackEndsFailingAtOnceAreBothNamed() throws {
        var log = h
        for i in 0..<40 {
            let backend = ["MBX01", "MBX02", "MBX03", "MBX04"][i % 4]
            let outcome =
                backend == "MBX01" || backend == "MBX02"
                ? #""R=""a NO LOGIN failed."";Msg=Proxy:\#(backend).x:1993:SSL;ErrMsg=MailboxOffline""#
                : "R=ok;Msg=Proxy:\(backend).x:1993:SSL"
            log += row(8 * 60 + i, 400 + i, 1, "login", outcome)
        }
        let r = diagnose(log, .customerTouchPoint)
        #expect(Set(r.verdict.suspects.map(\.server)) == ["MBX01.x", "MBX02.x"])
        #expect(r.verdict.suspects.allSatisfy { $0.confidence >= CheckRenderer.criticalConfidence })
        // Steps for both.
        for server in ["MBX01.x", "MBX02.x"] {
            #expect(
                r.nextSteps.contains {
                    $0.command?.contains("Restart-Service MSExchangeIMAP4BE") == true
                        && $0.command?.contains(server) == true
                })
        }
    }

    @Test func manyUsersRefusedFromOneAddressIsCalledASpray() {
        var log = h
        for i in 0..<12 {
            log += row(
                8 * 60 + i, 700 + i, 1, "login",
                #""R=""a NO LOGIN failed."";Msg=""AuthFailed:LogonDenied,User: x"";ErrMsg=AuthFailed:LogonDenied""#,
                user: "victim\(i)@x", client: "203.0.113.77:4000")
        }
        let r = diagnose(log, .customerTouchPoint)
        #expect(r.verdict.suspects.isEmpty)
        let finding = r.findings.first { $0.kind == "authentication" }
        #expect(finding?.text.contains("12 of them from one address, 203.0.113.77: a password spray") == true)
    }

    @Test func aThrottledUserIsNoServersFault() {
        var log = h
        for i in 0..<12 {
            log += row(
                8 * 60 + i, 500 + i, 1, "login",
                #""R=""a NO LOGIN failed."";Msg=Proxy:MBX01.x:1993:SSL;ErrMsg=UserConnectionLimitReached""#,
                user: "marc@x")
            log += row(8 * 60 + i, 600 + i, 1, "login", "R=ok;Msg=Proxy:MBX02.x:1993:SSL", user: "ann\(i)@x")
        }
        let r = diagnose(log, .customerTouchPoint)
        #expect(r.verdict.suspects.isEmpty)
        #expect(r.verdict.summary.contains("No server is at fault"))
    }

    @Test func proxyNotAuthenticatedBlamesTheFrontEnd() throws {
        var log = h
        for i in 0..<12 {
            log += row(8 * 60 + i, 100 + i, 1, "login", #""R=""a NO LOGIN failed."";ErrMsg=ProxyNotAuthenticated""#)
        }
        let top = try #require(diagnose(log, .customerTouchPoint).verdict.suspects.first)
        #expect(top.role == .frontEnd && top.server == "10.0.1.11")
        #expect(
            diagnose(log, .customerTouchPoint).nextSteps.contains {
                $0.command?.contains("Get-ExchangeCertificate") == true
            })
    }

    @Test func failuresSpreadOverEveryBackEndSingleNoneOut() {
        var log = h
        for i in 0..<30 {
            let backend = ["MBX01", "MBX02", "MBX03"][i % 3]
            let outcome =
                i % 2 == 0
                ? #""R=""a NO LOGIN failed."";Msg=Proxy:\#(backend).x:1993:SSL;ErrMsg=ProxyTimeout""#
                : "R=ok;Msg=Proxy:\(backend).x:1993:SSL"
            log += row(8 * 60 + i, 200 + i, 1, "login", outcome)
        }
        let r = diagnose(log, .customerTouchPoint)
        #expect(r.verdict.suspects.isEmpty)
        #expect(r.verdict.summary.contains("spread over the back ends"))
    }

    @Test func logsThatSimplyEndEarlierAreOnlyAWarning() throws {
        // CAS01's logs (probes and all) end ten minutes before CAS02's: copied earlier, or hung? Not sure.
        var early = h
        var late = h
        for minute in 0..<30 {
            let time = "2026-11-16T08:\(format2(minute)):00.000Z"
            if minute < 20 {
                early +=
                    "\(time),\(String(0x100 + minute, radix: 16)),0,127.0.0.1:993,127.0.0.1:4000,,1,15,143,capability,,R=ok\r\n"
                early +=
                    "\(time),\(String(0x900 + minute, radix: 16)),0,10.0.1.11:993,10.20.1.1:5000,u@x,5,0,0,noop,,R=ok\r\n"
            }
            late +=
                "\(time),\(String(0x200 + minute, radix: 16)),0,127.0.0.1:993,127.0.0.1:4000,,1,15,143,capability,,R=ok\r\n"
            late +=
                "\(time),\(String(0xA00 + minute, radix: 16)),0,10.0.1.12:993,10.20.1.2:5000,v@x,5,0,0,noop,,R=ok\r\n"
        }
        var summary = LogAnalysis.analyse(bytes: Array(early.utf8), path: "cas01.LOG", role: .frontEnd)
        summary.merge(LogAnalysis.analyse(bytes: Array(late.utf8), path: "cas02.LOG", role: .frontEnd))
        var builder = ReportBuilder()
        builder.request.monitors = [.proxyTest]
        let report = builder.build(summary)
        // Nothing else says CAS01 hung (CAS02's traffic did not rise, no alert names it): no suspect, but no
        // all-clear either.
        #expect(report.verdict.suspects.isEmpty)
        #expect(report.verdict.summary.contains("10.0.1.11's own logs end at"))
        #expect(report.verdict.summary.contains("probably copied earlier"))
        #expect(CheckRenderer.status(of: report) == .warning)
        #expect(!report.nextSteps.contains { $0.command?.contains("Restart") == true })
        // The alert names it: then it is the suspect.
        var alert = Alert()
        alert.servers = ["10.0.1.11"]
        builder.request.alert = alert
        let named = try #require(builder.build(summary).verdict.suspects.first)
        #expect(named.server == "10.0.1.11" && named.role == .frontEnd)
    }

    @Test func aMailboxServerWhoseSelfTestFailsFourMinutesInARow() throws {
        var log = h
        for minute in 0..<12 {
            let time = "2026-11-16T08:\(format2(minute)):00.000Z"
            let outcome = minute >= 5 && minute < 10 ? #""R=""1 NO Server Unavailable. 15"""# : "R=ok"
            log +=
                "\(time),\(String(0x500 + minute, radix: 16)),1,127.0.0.1:1993,127.0.0.1:4000,,2,15,40,capability,,"
                + "\(outcome)\r\n"
            log +=
                "\(time),\(String(0xC00 + minute, radix: 16)),1,10.0.2.21:1993,10.0.1.11:5000,u@x,5,0,0,noop,,R=ok\r\n"
        }
        var builder = ReportBuilder()
        builder.request.monitors = [.selfTest]
        let report = builder.build(TestSupport.analyse(log, role: .backEnd))
        let top = try #require(report.verdict.suspects.first)
        #expect(top.monitor == "ImapSelfTestMonitor" && top.role == .backEnd && top.server == "10.0.2.21")
        #expect(top.evidence.contains { $0.hasPrefix("5 minutes in a row of failing or slow") })
        #expect(
            report.nextSteps.contains {
                // Exchange's cmdlets take names: the address is looked up.
                $0.command?.contains(
                    "IMAP.Protocol\\ImapSelfTestProbe -Server (Resolve-DnsName '10.0.2.21' -Type PTR)[0].NameHost")
                    == true
            })
    }

    @Test func aProxyProbeThatStopsWhileTheLogsGoOnIsAGap() throws {
        var log = h
        var session = 0x300
        for minute in 0..<30 {
            session += 1
            if minute < 10 {
                log += row(8 * 60 + minute, session, 0, "capability", "R=ok", user: "", client: "127.0.0.1:4000")
            }
            log += row(8 * 60 + minute, 0x900 + minute, 0, "noop", "R=ok")
        }
        let top = try #require(diagnose(log, .proxyTest).verdict.suspects.first)
        #expect(top.monitor == "ImapProxyTestMonitor" && top.window?.from == "2026-11-16T08:10:00Z")
    }
}

@Suite("Linking back ends to front ends")
struct StitchingTests {
    @Test func aBackEndKnownOnlyByAddressTakesTheNameTheFrontEndsProxyTo() throws {
        var frontEnd = TestSupport.header
        var backEnd = TestSupport.header
        for i in 0..<6 {
            let t = "2026-11-16T07:0\(i):00"
            frontEnd +=
                "\(t).500Z,A\(i),2,10.0.1.11:993,10.20.1.\(i):5000,user\(i)@x,90,41,30,login,user\(i)@x *****,"
                + "R=ok;Msg=Proxy:MBX07.contoso.com:1993:SSL\r\n"
            // The back end's own log: no folder, no Location, only its address and the front end's as client.
            backEnd +=
                "\(t).450Z,B\(i),1,10.0.2.77:1993,10.0.1.11:4100\(i),user\(i)@x,40,60,30,login,user\(i)@x *****,R=ok\r\n"
        }
        var summary = LogAnalysis.analyse(bytes: Array(frontEnd.utf8), path: "fe.LOG")
        summary.merge(LogAnalysis.analyse(bytes: Array(backEnd.utf8), path: "be.LOG"))
        let report = ReportBuilder().build(summary)
        let mbx = try #require(report.servers.first { $0.role == .backEnd })
        #expect(mbx.server == "MBX07.contoso.com" && mbx.seenFrom == "ownLogs")
        #expect(mbx.addresses == ["10.0.2.77"] && mbx.proxied?.sessions == 6)
        #expect(!report.servers.contains { $0.server == "10.0.2.77" })
    }

    @Test func frontEndFailuresShowTheBackEndsOwnReason() {
        let plan = InputDiscovery.plan(paths: [TestSupport.sampleLogs + "/02-mbx02-refusing-logons"])
        var builder = ReportBuilder()
        builder.request.monitors = [.customerTouchPoint]
        let report = builder.build(LogAnalysis.run(plan: plan, options: .init()).summary)
        let evidence = report.verdict.suspects.first?.evidence ?? []
        #expect(
            evidence.contains {
                $0.hasPrefix("Linked logon by logon: 33 of the 33 failed logons")
                    && $0.contains("MailboxOfflineException ×33") && !$0.contains("were kept for linking")
            })
        // When the logon events were a sample of users, the counts say so.
        var sampled = LogAnalysis.run(plan: plan, options: .init()).summary
        sampled.logonSampling = 2
        let said = builder.build(sampled).verdict.suspects.first?.evidence ?? []
        #expect(
            said.contains {
                $0.hasPrefix("Linked logon by logon:")
                    && $0.hasSuffix("(Logons of one user in about 4 were kept for linking.)")
            })
    }
}
