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
public indirect enum Sentence: Sendable, Hashable {
    /// Words not yet made data: removed once every stage speaks in sentences.
    case text(String)

    // MARK: - Verdict (Diagnoser)

    /// The verdict's first sentence: the surest suspect, what its rule found, and whether it has recovered.
    case mostLikelyResponsible(server: String, role: Role, confidence: Double, rule: Sentence, hasRecovered: Bool)
    /// "I cannot tell:" and why.
    case cannotTell([Sentence])
    /// The alert's time (ISO) is outside the logs, and nothing in them shows a monitor's condition.
    case alertTimeNotCovered(time: String)
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
        failedThere: Int, linked: Int, server: String, codes: [CodeCount], firstAt: String?, oneUserIn: Int?)
    /// The commonest server-side error.
    case mostFrequentError(ErrorMention)

    // MARK: - ImapCTPMonitor

    // MARK: - ImapProxyTestMonitor, ImapSelfTestMonitor

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

    // MARK: - What stands out (Findings)
}

/// An error code and how often it was seen.
public struct CodeCount: Sendable, Hashable {
    public var code: String
    public var count: Int

    package init(code: String, count: Int) {
        self.code = code
        self.count = count
    }
}

/// A server-side error as sentences cite it: `Code (class) ×count "message"`.
public struct ErrorMention: Sendable, Hashable {
    public var code: String
    public var errorClass: ErrorClass
    public var count: Int
    /// The error's message as the logs wrote it (log text: redacted with the report).
    public var message: String

    package init(code: String, errorClass: ErrorClass, count: Int, message: String) {
        self.code = code
        self.errorClass = errorClass
        self.count = count
        self.message = message
    }
}
