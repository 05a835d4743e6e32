import ImapLogKit

/// Applies each monitor's rule to the logs as Exchange would see them, and names the servers to blame.
///
/// Every rule reads the mergeable `Summary`, so a diagnosis of merged summaries equals that of one run.
package struct Diagnoser {
    let summary: Summary
    let names: NameTable
    let servers: [ServerFigures]
    let stitcher: Stitcher
    /// The errors of each server (canonical name), in the summary's order: `topError` reads these, not every error
    /// for every suspect (600 suspects of 10,000 errors each were minutes).
    private let errorsByServer: [String: [ErrorKey]]
    /// What the alert said, when one was given: a server it names is corroborated, a cleared alert clears.
    var alert: Alert?
    /// The end of the span analysed (`--until`), when one was given.
    package var until: Int64?

    /// The newest time the counted rows vouch for.
    ///
    /// The logs' last row, or the end of the span analysed (`--until`, an alert's window) when the logs go on past
    /// it. Rows after it were read but not counted: time they cover is no time without failures, so no recovery may
    /// be seen in it.
    var logsEnd: Int64? {
        let last = summary.files.compactMap(\.last).max()
        let end = [until, alert?.windowTo.flatMap { Timestamp.parse($0) }].compactMap { $0 }.min()
        guard let last, let end else { return last }
        return min(last, end - 1)
    }

    package init(
        summary: Summary, names: NameTable, servers: [ServerFigures], stitcher: Stitcher, alert: Alert?
    ) {
        self.summary = summary
        self.names = names
        self.servers = servers
        self.stitcher = stitcher
        self.alert = alert
        var errorsByServer: [String: [ErrorKey]] = [:]
        for (key, tally) in summary.errors {
            for server in Set(tally.servers.map(names.canonical)) { errorsByServer[server, default: []].append(key) }
        }
        self.errorsByServer = errorsByServer
    }

    /// Failed commands outside the alert's window from which the verdict mentions them.
    static let hiddenFailuresWorthSaying = 5

    /// Minutes without a row, in live use, after which the logs are said to have stopped: ImapProxyTestProbe and
    /// ImapSelfTestProbe write a session every minute on every server, so ten silent minutes are no lull.
    static let staleAfterMinutes: Int64 = 10

    /// Hours between an alert's time and the logs' time beyond which the logs are of another time: turning
    /// protocol logging on and reproducing the failure takes minutes to hours, not half a day.
    static let alertFarHours = 12

    /// Whole hours from `time` to the nearest of the logs' rows (0 inside them), nil when no row is timed.
    private func hoursFromLogs(_ time: Int64) -> Int? {
        guard let first = summary.files.compactMap(\.first).min(), let last = summary.files.compactMap(\.last).max()
        else { return nil }
        let gap = time < first ? first - time : time > last ? time - last : 0
        return Int(gap / 3_600_000)
    }

    /// The alert's servers of which no log was read (each as the alert spells it), nil without an alert server.
    private func unreadAlertServers() -> [String]? {
        guard let named = alert?.servers, !named.isEmpty else { return nil }
        let read =
            summary.files.compactMap(\.server).map { $0.lowercased() }
            + servers.filter { $0.seenFrom == "ownLogs" }.map { $0.server.lowercased() }
        return named.filter { name in !read.contains { ServerNames.sameServer($0, name.lowercased()) } }
    }

    /// Runs the rules of `request.monitors` (all of them when none is named).
    package func diagnose(_ request: DiagnosisRequest) -> (results: [MonitorResult], verdict: Verdict) {
        if let missing = nothingAnalysed() {
            return ([], Verdict(summary: [.cannotTell([missing]), coverage()], suspects: [], isUndetermined: true))
        }
        let asked = request.monitors.isEmpty ? Monitor.allCases : request.monitors
        let affinity = AlertAffinity(self)
        let results = asked.map(run).map { result in
            var sorted = result
            // Servers past the run's limit, counted as one: never a suspect (no one can act on it).
            sorted.suspects = sorted.suspects.filter { $0.server != Summary.pooledKey }.map(recovered)
            sorted.suspects.sort {
                (affinity.of($1), $1.confidence, $0.server) < (affinity.of($0), $0.confidence, $1.server)
            }
            return sorted
        }
        let considered = request.monitors.isEmpty ? results.filter(\.fired) : results
        // What raised the alert first: a fault at the alert's time, on its server or behind it, before a surer one
        // of another time or place (two faults at once, two incidents in one day).
        let suspects = considered.flatMap(\.suspects).sorted {
            (affinity.of($1), $1.confidence, $0.server, $0.monitor)
                < (affinity.of($0), $0.confidence, $1.server, $1.monitor)
        }
        // Monitors whose data the logs do not hold: never reported as clear.
        let blind = results.filter { $0.cause == MonitorResult.Cause.noData }
        // An alert whose time the logs do not cover: what they show is of another time.
        if let time = alert?.time, alert?.windowFrom == nil, considered.allSatisfy({ !$0.fired }) {
            let at = Timestamp.format(time, withMilliseconds: false)
            return (
                results,
                Verdict(summary: [.alertTimeNotCovered(time: at), coverage()], suspects: [], isUndetermined: true)
            )
        }
        // An alert far from the logs' time: what they show may not be what raised it.
        if let time = alert?.time, alert?.windowFrom == nil, let top = suspects.first,
            let gap = hoursFromLogs(time), gap >= Self.alertFarHours
        {
            let said = Sentence.mostLikelyResponsible(
                server: top.server, role: top.role, confidence: top.confidence, rule: top.rule,
                hasRecovered: top.hasRecovered)
            return (
                results,
                Verdict(
                    summary: [
                        .alertFarFromLogs(
                            time: Timestamp.format(time, withMilliseconds: false), hours: gap,
                            logsAfter: time < (summary.files.compactMap(\.first).min() ?? time)),
                        .whatTheLogsShow(said), coverage(),
                    ], suspects: Array(suspects.prefix(10)), isUndetermined: true)
            )
        }
        // No suspect, and the alert's own server was not read: its view is missing, not clear.
        if suspects.isEmpty, let unread = unreadAlertServers(), !unread.isEmpty {
            return (
                results,
                Verdict(
                    summary: [.cannotTell([.alertServerNotRead(servers: unread)]), coverage()], suspects: [],
                    isUndetermined: true)
            )
        }
        var summary: [Sentence]
        var isUndetermined = false
        if let top = suspects.first {
            summary = [
                .mostLikelyResponsible(
                    server: top.server, role: top.role, confidence: top.confidence, rule: top.rule,
                    hasRecovered: top.hasRecovered)
            ]
        } else if !request.monitors.isEmpty && blind.count == results.count {
            isUndetermined = true
            summary = [.cannotTell(blind.flatMap(\.summary)), coverage()]
        } else if request.monitors.isEmpty && considered.isEmpty {
            let checked = results.filter { $0.cause != MonitorResult.Cause.noData }.map(\.name)
            summary =
                blind.isEmpty
                ? [.noCondition] : [.noConditionWhileBlind(checked: checked, blind: blind.flatMap(\.summary))]
        } else if considered.count > 1 {
            // Each monitor's own sentence follows the verdict.
            summary = [.noServerStandsOut]
        } else {
            summary = considered.flatMap(\.summary)
        }
        // The alert's window leaves failures out: say so, or a fault still going on after it goes unseen.
        if let from = alert?.windowFrom, let to = alert?.windowTo, let hidden = self.summary.filteredOutFailures,
            hidden >= Self.hiddenFailuresWorthSaying
        {
            summary.append(.failuresOutsideAlertWindow(from: from, to: to, failures: hidden))
        }
        let stale = staleness(now: request.now)
        if let stale {
            // Silence is no all-clear: said first when nobody is named.
            let said = Sentence.logsStopped(minutes: stale.minutes, lastRow: stale.lastRow)
            summary = suspects.isEmpty ? [said, .upToThen] + summary : summary + [said]
        }
        return (
            results,
            Verdict(
                summary: summary, suspects: Array(suspects.prefix(10)), isUndetermined: isUndetermined,
                staleMinutes: stale?.minutes)
        )
    }

    /// How well a suspect explains the alert.
    ///
    /// Its fault was on at the alert's time, and it is the alert's server or the mailbox server the alert's front
    /// end failed towards. Without an alert every suspect scores the same.
    struct AlertAffinity {
        /// Minutes before the alert within which a fault counts as on at its time (ImapCTPMonitor's 1,200 s, the
        /// longest monitor window).
        static let lookBackMinutes: Int64 = 20
        /// Minutes after the alert a fault may be first seen and still count (clocks and logging start late).
        static let lookAheadMinutes: Int64 = 5

        private let time: Int64?
        private let servers: [String]
        /// The back ends (canonical) the alert's own servers' logons failed towards.
        private let behind: Set<String>
        private let names: NameTable

        init(_ diagnoser: Diagnoser) {
            names = diagnoser.names
            time = diagnoser.alert?.time
            let named = (diagnoser.alert?.servers ?? []) + (diagnoser.alert?.mailboxServers ?? [])
            servers = named.map { diagnoser.names.canonical($0.lowercased()) }
            var behind = Set<String>()
            let fronts = Set(servers)
            for (key, minutes) in diagnoser.summary.logonsByBackend {
                let path = LogonPath(key: key)
                guard !path.isBackEndView, !path.backEnd.isEmpty,
                    fronts.contains(diagnoser.names.canonical(path.frontEnd))
                else { continue }
                if minutes.contains(where: { $0.1.serverFaults > 0 }) {
                    behind.insert(diagnoser.names.canonical(path.backEnd))
                }
            }
            self.behind = behind
        }

        /// 0 to 2: one for the time, one for the place.
        func of(_ suspect: Suspect) -> Int {
            var score = 0
            if let time, let window = suspect.window, let from = Timestamp.parse(window.from),
                let to = Timestamp.parse(window.to),
                time >= from - Self.lookAheadMinutes * 60_000, time <= to + Self.lookBackMinutes * 60_000
            {
                score += 1
            }
            let server = names.canonical(suspect.server.lowercased())
            if servers.contains(where: { ServerNames.sameServer($0, server) }) || behind.contains(server) {
                score += 1
            }
            return score
        }
    }

    /// A suspect whose fault is over: the alert shows every IMAP monitor Healthy again, or its own traffic since
    /// the fault's window, at least `Recovery.minutes` before the logs end, runs without failures or crawling.
    private func recovered(_ suspect: Suspect) -> Suspect {
        var s = suspect
        if alert?.isAllHealthy == true && !s.hasRecovered {
            s.hasRecovered = true
            s.confidence = rounded(s.confidence * CustomerTouchPointRule.recoveredScale)
            s.evidence.append(.alertShowsHealthy)
            return s
        }
        guard !s.hasRecovered, let to = s.window.flatMap({ Timestamp.parse($0.to) }).map({ $0 / 60_000 }),
            let last = logsEnd.map({ $0 / 60_000 }), last - to >= Recovery.minutes
        else { return s }
        let server = names.canonical(s.server.lowercased())
        var since = TimelineTally.empty
        var minutes = 0
        for (key, table) in summary.timeline where names.canonical(key.name) == server && key.role == s.role {
            for (minute, tally) in table where minute >= to {
                since.merge(tally)
                minutes += 1
            }
        }
        let mean = since.latencyCount > 0 ? Double(since.latencySum) / Double(since.latencyCount) : 0
        guard minutes >= Recovery.quietMinutes, since.requests > 0,
            Double(since.failures) <= Recovery.failureShare * Double(since.requests), mean < Recovery.slowMs
        else { return s }
        s.hasRecovered = true
        s.confidence = rounded(s.confidence * CustomerTouchPointRule.recoveredScale)
        s.evidence.append(
            .recoveredSince(
                since: minuteTime(to), minutesBeforeEnd: Int(last - to), requests: since.requests,
                failures: since.failures))
        return s
    }

    /// When a fault counts as over.
    package enum Recovery {
        /// Minutes between the fault's end and the logs' end (the longest monitor window, ImapCTPMonitor's 1,200 s).
        package static let minutes: Int64 = 20
        /// Minutes of the server's own traffic since, at the least.
        static let quietMinutes = 5
        /// The share of its requests that may fail since.
        static let failureShare = 0.05
        /// The mean command time it must stay under (the slow-commands monitor's 60 s).
        static let slowMs = 60_000.0
    }

    /// Why nothing could be analysed, or nil when some records were.
    private func nothingAnalysed() -> Sentence? {
        // POP3 logs are reported apart: their records answer nothing about IMAP.
        let records = summary.files.lazy.filter { !FileSummary.isPOP3(path: $0.path) }.reduce(0) { $0 + $1.records }
        guard records - summary.filteredOut <= 0 else { return nil }
        if records == 0 && summary.records > 0 { return .onlyPOP3(records: summary.records) }
        if records == 0 {
            return .noRecord(lines: summary.lines, skipped: summary.files.reduce(0) { $0 + $1.skipped })
        }
        return .filtersLeftNothing(records: records)
    }

    /// What the logs cover: their time span and servers.
    private func coverage() -> Sentence {
        let servers = Set(summary.files.compactMap(\.server)).sorted()
        return .coverage(
            from: summary.files.compactMap(\.first).min().map { Timestamp.format($0, withMilliseconds: false) },
            to: summary.files.compactMap(\.last).max().map { Timestamp.format($0, withMilliseconds: false) },
            servers: Array(servers.prefix(8)), hasMoreServers: servers.count > 8)
    }

    /// In live use, logs that stopped while the clock goes on: how many minutes ago, and the last row's time.
    private func staleness(now: Int64?) -> (minutes: Int, lastRow: String)? {
        guard let now, let last = summary.files.compactMap(\.last).max() else { return nil }
        let minutes = (now - last) / 60_000
        guard minutes >= Self.staleAfterMinutes else { return nil }
        return (Int(minutes), Timestamp.format(last, withMilliseconds: false))
    }

    private func run(_ monitor: Monitor) -> MonitorResult {
        switch monitor {
        case .customerTouchPoint: return customerTouchPoint()
        case .proxyTest: return probeHeartbeat(.proxyTest, monitor: .proxyTest, role: .frontEnd)
        case .selfTest: return probeHeartbeat(.selfTest, monitor: .selfTest, role: .backEnd)
        case .deepTest: return deepTest()
        case .averageCommandProcessingTime: return averageCommandProcessingTime()
        case .requestsQueued: return requestsQueued()
        }
    }

    /// What the monitoring account's refused logons logged by the servers in `role` (their own logs) say, if any.
    func monitoringAccountRefusals(role: Role) -> Sentence? {
        let refusals = servers.filter { $0.role == role && $0.seenFrom == "ownLogs" }.reduce(0) {
            $0 + ($1.failuresByClass[ErrorClass.monitoringAccount.rawValue] ?? 0)
        }
        return refusals > 0 ? .monitoringAccountRefused(count: refusals) : nil
    }

    struct ProbeTotals {
        var sessions = 0
        var failedSessions = 0
        var examples: [String] = []
    }

    /// Probe sessions of a kind, by the back end they went to (canonical; empty when none was named).
    func probeSessions(kind: ProbeKind, role: Role) -> [String: ProbeTotals] {
        var totals: [String: ProbeTotals] = [:]
        for (key, tally) in summary.probes.sessions.sorted(by: { $0.key < $1.key })
        where key.kind == kind && key.server.role == role {
            let backend = key.backend.isEmpty ? "" : names.canonical(key.backend)
            totals[backend, default: ProbeTotals()].sessions += tally.sessions
            totals[backend, default: ProbeTotals()].failedSessions += tally.failedSessions
            totals[backend, default: ProbeTotals()].examples += tally.examples
        }
        return totals
    }

    /// What a back end's own log says, when it was read.
    func ownLogEvidence(_ backend: String) -> Sentence? {
        guard
            let own = servers.first(where: {
                names.canonical($0.server.lowercased()) == backend && $0.role == .backEnd && $0.seenFrom == "ownLogs"
            }),
            own.failures > 0
        else { return nil }
        return .ownLogAgrees(
            failures: own.failures, storeErrors: own.failuresByClass[ErrorClass.store.rawValue] ?? 0,
            firstAt: own.examples.first)
    }

    /// What the back end's own log says about the front-end failures proxied to it, logon by logon.
    func linkedEvidence(_ backend: String) -> Sentence? {
        let linked = Array(
            stitcher.pairs.filter { $0.frontEnd.failed && names.canonical($0.frontEnd.backend) == backend })
        guard !linked.isEmpty else { return nil }
        let failedThere = linked.filter(\.backEnd.failed)
        var codes: [String: Int] = [:]
        for pair in failedThere {
            codes[pair.backEnd.errorCode.isEmpty ? "NO" : pair.backEnd.errorCode, default: 0] += 1
        }
        let listed = codes.sorted { ($1.value, $0.key) < ($0.value, $1.key) }.prefix(3)
            .map { NamedCount(name: $0.key, count: $0.value) }
        // Past the bound on logon events, the linking sees a sample of users: say so with the counts.
        let sampling = summary.logonSampling.flatMap { $0 > 0 && $0 < 63 ? 1 << $0 : nil }
        return .linkedLogons(
            failedThere: failedThere.count, linked: linked.count, server: names.display(backend), codes: Array(listed),
            firstAt: failedThere.first?.backEnd.example, oneUserIn: sampling)
    }

    // MARK: - Helpers

    /// The commonest server-side error on these servers.
    ///
    /// A back end's never counts deployment errors: a front end's ProxyNotAuthenticated names the back end it tried,
    /// but is the front end's certificate.
    func topError(servers wanted: [String], classes: Set<ErrorClass>? = nil, role: Role? = nil) -> ErrorMention? {
        let keys = Set(wanted.flatMap { errorsByServer[$0] ?? [] })
        let candidates = keys.compactMap { key -> (key: ErrorKey, value: ErrorTally)? in
            guard
                key.errorClass.pointsAtAServer && !(role == .backEnd && key.errorClass == .deployment)
                    && (classes == nil || classes.unsafelyUnwrapped.contains(key.errorClass)),
                let tally = summary.errors[key]
            else { return nil }
            return (key, tally)
        }
        guard let (key, tally) = candidates.max(by: { ($0.value.count, $1.key) < ($1.value.count, $0.key) }) else {
            return nil
        }
        return ErrorMention(code: key.code, errorClass: key.errorClass, count: tally.count, message: key.message)
    }

    func minuteTime(_ minute: Int64) -> String {
        Timestamp.format(minute * 60_000, withMilliseconds: false)
    }

    func rounded(_ value: Double) -> Double { (value * 100).rounded() / 100 }

}
