import ImapLogKit

/// Something the report says, as data: which statement, and the values it is made of.
///
/// No rule writes words. The report's last stage makes each sentence in one place per language
/// (`ImapLogReport/Wording/`), so the English and the French reports say the same thing, and redaction meets
/// every value with its kind: a server name is never hidden, a user, a client address or a line of log text is
/// always looked at.
///
/// Values are kept as found: counts as numbers, times as the report's ISO text, servers as the names the report
/// shows, log text (error messages) as the logs wrote it.
package indirect enum Sentence: Sendable, Hashable {
    // MARK: - Verdict (Diagnoser)

    /// The verdict's first sentence: the surest suspect, what its rule found, and whether it has recovered.
    case mostLikelyResponsible(server: String, role: Role, confidence: Double, rule: Sentence, hasRecovered: Bool)
    /// "I cannot tell:" and why.
    case cannotTell([Sentence])
    /// The alert's time (ISO) is outside the logs, and nothing in them shows a monitor's condition.
    case alertTimeNotCovered(time: String)
    /// The alert's time (ISO) is `hours` away from the logs' (`logsAfter`: they start after it, else end before).
    case alertFarFromLogs(time: String, hours: Int, logsAfter: Bool)
    /// What the logs show of their own time, said after `alertFarFromLogs`.
    case whatTheLogsShow(Sentence)
    /// None of the alert's servers' own logs were read (as the alert spells them).
    case alertServerNotRead(servers: [String])
    /// What the logs cover: their time span (ISO, nil when no row is timed) and servers (the first eight).
    case coverage(from: String?, to: String?, servers: [String], hasMoreServers: Bool)
    /// Only POP3 logs were read.
    case onlyPOP3(records: Int)
    /// No record at all.
    case noRecord(lines: Int, skipped: Int)
    /// The filters left none of the records.
    case filtersLeftNothing(records: Int)
    /// Every rule ran and none saw its condition.
    case noCondition
    /// Every rule that had data saw nothing; the others had none.
    case noConditionWhileBlind(checked: [String], blind: [Sentence])
    /// Several monitors in question, no suspect: their own sentences follow.
    case noServerStandsOut
    /// Failed commands the alert's window left out (times ISO).
    case failuresOutsideAlertWindow(from: String, to: String, failures: Int)
    /// The newest row is old while the clock goes on (live use).
    case logsStopped(minutes: Int, lastRow: String)
    /// Before what the logs said up to their last row.
    case upToThen
    /// The alert shows every IMAP monitor Healthy again.
    case alertShowsHealthy
    /// A suspect's traffic has run clean since its fault's end (`since` ISO).
    case recoveredSince(since: String, minutesBeforeEnd: Int, requests: Int, failures: Int)
    /// The monitoring account's own logons were refused.
    case monitoringAccountRefused(count: Int)
    /// A back end's own log agrees (`firstAt` is `path:line`).
    case ownLogAgrees(failures: Int, storeErrors: Int, firstAt: String?)
    /// Front-end failures linked logon by logon to a back end's own rows (`codes`: its error codes, most first).
    case linkedLogons(
        failedThere: Int, linked: Int, server: String, codes: [NamedCount], firstAt: String?, oneUserIn: Int?)
    /// The commonest server-side error.
    case mostFrequentError(ErrorMention)

    // MARK: - ImapCTPMonitor

    /// No logon at all, neither at a front end nor at a back end.
    case ctpNoLogon
    /// A front end's logons failing towards every back end it reached (times ISO), against its peers' rate.
    case ctpFrontEndFailsTowardsAll(
        failures: Int, logons: Int, server: String, from: String, to: String, backEnds: [String], peerRate: Double)
    /// The rule against a front end that hands logons to no back end while its peers do.
    case ctpFrontEndHandsOffNone(server: String)
    /// A back end's logons all succeeding since its last failure (ISO), long before the logs end.
    case ctpRecovered(lastFailure: String, minutesBeforeEnd: Int, logonsSince: Int)
    /// The rule against a back end whose logons failed for a while, then recovered.
    case ctpBackEndRecovered(server: String)
    /// A back end read from its own log, no front end's log holding its logons.
    case ctpReadFromOwnLog(server: String)
    /// No probe session: judged on users' logons alone.
    case ctpJudgedOnUsers
    /// A front end's logons failing with deployment errors.
    case ctpDeploymentErrors(failures: Int, server: String)
    /// The rule against a front end whose ProxyNotAuthenticated points at its certificate or settings.
    case ctpProxyNotAuthenticated(server: String)
    /// The failures point at these servers, surest first.
    case ctpFailuresPointAt(servers: [String])
    /// The monitor's failures are the monitoring account's refused logons (the refusals' sentence follows).
    case ctpMonitoringAccount(refusals: Sentence)
    /// No server-side failure: commands refused by throttling, logons for the users' credentials.
    case ctpOnlyThrottling(throttled: Int, credentialFailures: Int)
    /// No server-side failure: users' wrong passwords only.
    case ctpOnlyWrongPasswords(credentialFailures: Int)
    /// No failed logon at all.
    case ctpNoFailedLogon
    /// Server-side failures spread over the back ends, none standing out.
    case ctpFailuresSpread(failures: Int)
    /// Server-side failures all towards one back end, but never `needed` of them close enough to make an episode.
    case ctpFailuresScattered(failures: Int, server: String, needed: Int)
    /// Server-side failures towards no back end the logs name (none given, or a name no host name could be).
    case ctpFailuresUnnamed(failures: Int)
    /// A back end's server-side failures (times ISO), against the other back ends' and its own earlier rate (nil:
    /// none to compare).
    case ctpBackEndFailures(
        failures: Int, logons: Int, server: String, from: String, to: String, rate: Double, otherRate: Double?,
        baselineRate: Double?)
    /// ImapCTPProbe sessions through a back end that failed.
    case ctpProbeFailures(failed: Int, total: Int, server: String)
    /// The rule against a back end whose proxied logons fail while the others serve theirs.
    case ctpBackEndFails(server: String)

    /// A front end whose logons name no back end (Exchange 2010) fails them on the server side, against its peers.
    case ctpFrontEndFailsItsLogons(
        failures: Int, logons: Int, server: String, from: String, to: String, peerRate: Double)
    /// The rule against a front end that serves none of its own logons.
    case ctpFrontEndServesNone(server: String)

    // MARK: - ImapProxyTestMonitor, ImapSelfTestMonitor

    /// No session of the probe in these logs: it needs the `role`'s logs (front or back end) of the alert's server.
    case probeNoSessions(monitor: Monitor, probe: ProbeKind, role: Role)
    /// A server's own logs end (ISO `ownEnd`) before the others' (`othersEnd`), and nothing else says it hung.
    case probeLogsEndEarly(server: String, ownEnd: String, othersEnd: String)
    /// Its own logs end before the others', its clients moving to its peers (`loadShift`-fold) or the alert naming it.
    case probeOwnLogsEnd(ownEnd: String, othersEnd: String, loadShift: Double?, isNamed: Bool)
    /// No session of the probe on a server from `from` to `to` (ISO), `minutes` long, while other logs go on.
    case probeGap(probe: ProbeKind, server: String, from: String, to: String, minutes: Int)
    /// Minutes in a row of failing or slow (at least `slowSeconds`) sessions of the probe, up to `until` (ISO).
    case probeFailingRun(minutes: Int, slowSeconds: Int, probe: ProbeKind, until: String)
    /// How many of the probe's sessions failed.
    case probeSessionsFailed(failed: Int, total: Int, probe: ProbeKind)
    /// The rule against a server that stops answering its own probe (proxy probe on a front end, else self-test).
    case probeUnanswered(server: String, role: Role)
    /// The probe stops on most servers at once (`at` ISO): its scheduler or the log collection, not one server.
    case probeStopsEverywhere(probe: ProbeKind, at: String)
    /// The probe ran every minute on these servers, without `needed` failures in a row or a gap.
    case probeRanEveryMinute(monitor: Monitor, probe: ProbeKind, servers: [String], needed: Int)
    /// What the monitor's rule saw but cannot pin on one server, no server named.
    case probeInDoubt(monitor: Monitor, why: [Sentence])
    /// The probe stops or fails on these servers.
    case probeStopsOrFailsOn(monitor: Monitor, probe: ProbeKind, servers: [String])

    // MARK: - ImapDeepTestMonitor

    /// A mailbox server's own deep-test sessions that failed, against the others' rate (nil: none to compare).
    case deepTestProbeFailures(failed: Int, total: Int, server: String, rate: Double, otherRate: Double?)
    /// The rule against a mailbox server failing its own deep test.
    case deepTestFailsOwn(server: String)
    /// Deep tests failed on one server, fewer times than the `needed` in a row that fire the monitor.
    case deepTestTooFewFailures(failed: Int, server: String, needed: Int)
    /// Deep tests failed, spread over several servers.
    case deepTestFailuresSpread(failed: Int)
    /// The deep test fails on these servers.
    case deepTestFailsOn(servers: [String])
    /// No mailbox server's own log: neither deep tests nor store errors can be read.
    case deepTestNoOwnLog
    /// Judged on users' store errors, with too few (or no: nil) deep tests failing.
    case deepTestJudgedOnUsers(
        probesFailed: Int?, storeErrors: Int, commands: Int, server: String, rate: Double, otherRate: Double)
    /// The rule against a mailbox server whose users meet store errors.
    case usersMeetStoreErrors(server: String)
    /// No deep test, and no store errors either.
    case deepTestNoStoreErrors
    /// The users' store errors point at these servers (`hadProbes`: some deep tests failed, too few to say).
    case storeErrorsPointAt(servers: [String], hadProbes: Bool)

    // MARK: - AverageCommandProcessingTimeGt60sMonitor, RequestsQueuedGt500Monitor

    /// The rule against a server whose commands averaged over `thresholdSeconds` for `minutes`: the watched counter.
    case averageTimeAbove(server: String, thresholdSeconds: Int, minutes: Int)
    /// Samples in a row above the threshold from `from` to `to` (ISO), the worst mean and the commands they hold.
    case averageTimeSamplesAbove(
        samples: Int, sampleMinutes: Int, thresholdMs: Int, from: String, to: String, worstMs: Int, commands: Int)
    /// No sample's mean above the threshold, but commands crawl on these servers.
    case averageTimeCrawlsOn(servers: [String], sampleMinutes: Int, thresholdSeconds: Int)
    /// The monitor fires on these servers.
    case averageTimeFiresOn(servers: [String])
    /// No server over the threshold for `needed` samples in a row; the highest sample mean, where and when (ISO).
    case averageTimeHighest(
        thresholdSeconds: Int, needed: Int, sampleMinutes: Int, meanMs: Int, server: String, at: String)
    /// No command durations in these logs.
    case averageTimeNoDurations
    /// The rule against a server whose commands crawl against its peers' while the counter stays below.
    case commandsCrawl(server: String)
    /// A crawling server's p90 and p99 against its peers' p90 (`role`), no sample mean above `thresholdMs`.
    case commandsCrawlAgainstPeers(
        p90Ms: Int, p99Ms: Int, commands: Int, peersP90Ms: Int, role: Role, sampleMinutes: Int, thresholdMs: Int,
        isNamed: Bool)
    /// RequestsQueuedGt500Monitor watches ActiveSync, not IMAP; the most IMAP commands in flight at once, by server.
    case requestsQueuedNotImap(peaks: [PeakInFlight])

    /// A server's most IMAP commands in flight at once, first reached at `at` (ISO), as `requestsQueuedNotImap` says.
    package struct PeakInFlight: Sendable, Hashable {
        package var server: String
        package var peak: Int
        package var at: String

        package init(server: String, peak: Int, at: String) {
            self.server = server
            self.peak = peak
            self.at = at
        }
    }

    // MARK: - Next steps (Runbook)

    /// A server as a step names it (within a step): its name, and where the name came from when not the logs.
    case stepServer(StepServer)
    /// The server a step is about (within a step): the one found, or what stands for it.
    case stepTarget(StepTarget)
    /// Check which IMAP monitors are still unhealthy on a server (no monitor fired, none was named).
    case checkIMAPMonitors(on: StepTarget)
    /// The logs know a server only by its address: find its name, or give it with --name.
    case findServerName(address: String)
    /// Check that the monitor is still unhealthy on a server.
    case checkMonitorUnhealthy(Monitor, on: StepTarget)
    /// Run the monitor's probe again, and how to read what it says.
    case runItsProbeAgain
    /// If store errors go on, move the active databases off a mailbox server.
    case moveDatabasesIfStoreErrorsGoOn(off: StepServer)
    /// If the probe still fails, move the active databases off a mailbox server.
    case moveDatabasesIfProbeStillFails(off: StepServer)
    /// Still unhealthy: move the active databases off a mailbox server.
    case moveDatabasesIfStillUnhealthy(off: StepServer)
    /// Once the probe succeeds again, let databases be activated again on a server (undoing the move).
    case letDatabasesBack(off: StepServer)
    /// The last step: contact Microsoft Support.
    case contactSupport
    /// The fault on a server ended long before the logs do: restart nothing, check the monitor is healthy again.
    case faultEnded(on: StepTarget)
    /// The monitoring account's own logons are refused: check the health mailboxes' accounts.
    case checkHealthMailboxes
    /// Restarting the Health Manager on a server resets its health mailboxes' credentials.
    case restartHealthManager(on: StepTarget)
    /// A front end cannot authenticate to the back ends: check the certificate IMAP uses there.
    case checkCertificate(frontEnd: StepServer)
    /// Compare with the front end's IMAP settings.
    case compareIMAPSettings
    /// Look at the mailbox server the failing logons were proxied to: are its IMAP.Protocol monitors unhealthy?
    case checkBackEndMonitors(backEnd: StepServer)
    /// If they are, restart the IMAP4 back-end service on that mailbox server first.
    case restartBackEndIfUnhealthy(backEnd: StepServer)
    /// Restart the IMAP4 service on a Client Access server (if the mailbox server is healthy), then the server.
    case restartIMAP4ThenServer(on: StepServer, ifHealthy: StepServer?)
    /// Run the probe again.
    case runProbeAgain
    /// Turn protocol logging off again, then restart the IMAP4 service.
    case turnProtocolLoggingOff
    /// Restart the IMAP4 service on a server.
    case restartIMAP4(on: StepServer)
    /// The monitor takes ImapProxy offline: check that it is active again.
    case checkImapProxyActive
    /// If ImapProxy stays inactive, bring it back.
    case bringImapProxyBack
    /// If the probe still fails, restart the server, then run the probe again.
    case restartServerIfProbeFails(StepServer)
    /// Restart the IMAP4 back-end service on a mailbox server.
    case restartIMAP4BackEnd(on: StepServer)
    /// With no active database copy left on it, restart the mailbox server, then run the probe again.
    case restartServerWithNoActiveCopy(StepServer)
    /// Wait, check the IMAP health sets, and check again as many minutes later.
    case waitAndCheckHealth(minutes: Int)
    /// Still unhealthy: restart the server.
    case restartServerIfStillUnhealthy(StepServer)
    /// RequestsQueuedGt500Monitor belongs to ActiveSync: check the ActiveSync health set on a server.
    case checkActiveSyncHealthSet(on: StepTarget)
    /// Then follow the ActiveSync health set's troubleshooting steps.
    case followActiveSyncSteps

    /// Exchange 2010 has no health set: test IMAP4 through the Client Access server.
    case testImapConnectivity(on: StepTarget)
    /// Test again.
    case testAgain

    // MARK: - What stands out (Findings)

    /// A suspect of the verdict as a finding (window times ISO).
    case suspectFinding(
        server: String, role: Role, monitor: String, failures: Int, total: Int, from: String?, to: String?,
        confidence: Double, hasRecovered: Bool)
    /// A front end's failure finding while a back end is the suspect: mostly that back end's failures, relayed.
    case relayed(Sentence)
    /// A server's server-side failures (`proxied`: as the front ends saw them), by class, with its commonest error
    /// and, when it stands out by concentration rather than rate, its peers' figures.
    case serverFailures(
        server: String, role: Role, failures: Int, commands: Int, proxied: Bool, rate: Double, classes: [NamedCount],
        topError: ErrorMention?, peers: Share?)
    /// A server much slower than its peers (milliseconds).
    case serverSlow(server: String, role: Role, p90: Int, p99: Int, peersP90: Int)
    /// A slow spell: `windows` of the server's `bucketMinutes`-minute windows (times ISO), its worst mean against
    /// its peers' (milliseconds).
    case serverSlowSpell(
        server: String, role: Role, from: String, to: String, windows: Int, bucketMinutes: Int, worstMean: Int,
        peersMean: Int)
    /// Logons refused for users' credentials: the codes, the users most refused (of `userCount`), and one address
    /// most of them came from, when it looks like a spray.
    case wrongPasswords(refused: Int, codes: [String], users: [NamedCount], userCount: Int, spray: NamedCount?)
    /// Logons of Exchange's monitoring account refused, with the codes.
    case monitoringAccountFinding(refused: Int, codes: [String])
    /// Exchange's own probes that failed, by probe.
    case probesFailed([NamedShare])
    /// Nothing stands out: the figures, and the commonest server-side error with its first row.
    case overview(commands: Int, serverEntries: Int, failureRate: Double, topError: ErrorMention?, firstAt: String?)
}

/// A name and a count: an error class or code, a user, a client address.
package struct NamedCount: Sendable, Hashable {
    package var name: String
    package var count: Int

    package init(name: String, count: Int) {
        self.name = name
        self.count = count
    }
}

/// A name and its share: a probe's failed sessions of its total.
package struct NamedShare: Sendable, Hashable {
    package var name: String
    package var share: Share

    package init(name: String, share: Share) {
        self.name = name
        self.share = share
    }
}

/// So many failed of a total.
package struct Share: Sendable, Hashable {
    package var failed: Int
    package var total: Int

    package init(failed: Int, total: Int) {
        self.failed = failed
        self.total = total
    }
}

/// A server-side error as sentences cite it: `Code (class) ×count "message"`.
package struct ErrorMention: Sendable, Hashable {
    package var code: String
    package var errorClass: ErrorClass
    package var count: Int
    /// The error's message as the logs wrote it (log text: redacted with the report).
    package var message: String

    package init(code: String, errorClass: ErrorClass, count: Int, message: String) {
        self.code = code
        self.errorClass = errorClass
        self.count = count
        self.message = message
    }
}
