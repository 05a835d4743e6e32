import ImapLogKit

/// ImapCTPMonitor (health set IMAP): ImapCTPProbe logs on to each mailbox database through the front end, as
/// `HealthMailbox…` over 127.0.0.1:993; the monitor fires after 5 consecutive failures within 1,200 s.
///
/// The rule reads every side it has: the front ends' logons per back end they proxied to, the back ends' own
/// logons (when only their logs were collected), the probe sessions and the users'. It compares front end ×
/// back end: a front end failing towards every back end while its peers reach them is the suspect, and its
/// failures are set aside before the back ends are compared; a back end where server-side failures concentrate,
/// against the other back ends and its own earlier baseline, is the other kind of suspect. Wrong passwords never
/// blame a server; the monitoring account's own refused logons blame the account, not a server.
enum CustomerTouchPointRule {
    /// Consecutive probe failures that fire the monitor (Exchange's definition).
    static let consecutiveFailures = 5
    /// Server-side failures below which no server is named.
    static let minimumFaults = 3
    /// Failures at which a concentration is taken as fully sure (fewer scale the confidence down).
    static let faultsForFullConfidence = 10.0
    /// A suspect below this confidence is not named.
    static let minimumConfidence = 0.2
    /// Fault minutes further apart than this are separate episodes (twice the monitor's 1,200 s window).
    static let episodeGapMinutes: Int64 = 40
    /// How far back before an episode its own baseline is read.
    static let baselineMinutes: Int64 = 120
    /// The share of its own logons a front end naming no back end must fail on the server side to be named.
    static let ownLogonsRate = 0.05
    /// How much a recovered fault's confidence is scaled down.
    static let recoveredScale = 0.4
    /// How much a verdict judged on users' logons alone (no probe session) is scaled down.
    static let usersOnlyScale = 0.8
}

extension Diagnoser {
    /// Logon tables by route, names made canonical.
    struct LogonViews {
        /// Front end → back end → minutes (back end "" when none was named).
        var frontEnds: [String: [String: MinuteTable<LogonTally>]] = [:]
        /// Back end → its own log's minutes.
        var backEnds: [String: MinuteTable<LogonTally>] = [:]
    }

    func logonViews() -> LogonViews {
        var views = LogonViews()
        for (key, minutes) in summary.logonsByBackend {
            let path = LogonPath(key: key)
            let backEnd = path.backEnd.isEmpty ? "" : names.canonical(path.backEnd)
            if path.isBackEndView {
                views.backEnds[backEnd, default: MinuteTable()].merge(minutes)
            } else {
                let frontEnd = path.frontEnd.isEmpty ? "" : names.canonical(path.frontEnd)
                views.frontEnds[frontEnd, default: [:]][backEnd, default: MinuteTable()].merge(minutes)
            }
        }
        return views
    }

    /// The ImapCTPMonitor rule.
    func customerTouchPoint() -> MonitorResult {
        typealias Rule = CustomerTouchPointRule
        let name = Monitor.customerTouchPoint.rawValue
        let views = logonViews()
        let probeTotals = ctpProbeSessions()
        let probeFailures = probeTotals.values.reduce(0) { $0 + $1.failedSessions }
        let monitoringAccountFailures = summary.errors.filter { $0.key.errorClass == .monitoringAccount }
            .reduce(0) { $0 + $1.value.count }
        if views.frontEnds.isEmpty && views.backEnds.isEmpty && probeTotals.isEmpty {
            return MonitorResult(
                name: name, fired: false,
                summary: [.ctpNoLogon], suspects: [], cause: MonitorResult.Cause.noData)
        }
        let lastMinute = logsEnd.map { $0 / 60_000 } ?? 0

        // Totals per front end and back end, read once (a year is half a million minutes).
        var totals: [String: [String: LogonTally]] = [:]
        for (frontEnd, byBackEnd) in views.frontEnds {
            for (backEnd, minutes) in byBackEnd {
                var sum = LogonTally.empty
                for (_, tally) in minutes { sum.merge(tally) }
                totals[frontEnd, default: [:]][backEnd] = sum
            }
        }
        var credentialFailures = 0
        for byBackEnd in totals.values {
            for tally in byBackEnd.values { credentialFailures += tally.credentialFailures }
        }
        if views.frontEnds.isEmpty {
            for minutes in views.backEnds.values {
                for (_, t) in minutes { credentialFailures += t.credentialFailures }
            }
        }

        let allFrontEndFaults = totals.values.reduce(0) { $0 + $1.values.reduce(0) { $0 + $1.serverFaults } }

        // 1. Front ends that fail towards every back end they reach while their peers reach those back ends, episode
        // by episode (a folder of many days holds several incidents).
        var suspects: [Suspect] = []
        var setAside: [String: [(Int64, Int64)]] = [:]
        // Each front end's logons towards the back ends it named, and every named front end's towards each back
        // end (its peers' are those less its own): episodes weighed by span sums, not by reading tables again.
        var towards: [String: [String: MinuteTable<LogonTally>]] = [:]
        for (frontEnd, byBackEnd) in views.frontEnds where !frontEnd.isEmpty {
            for (backEnd, minutes) in byBackEnd where !backEnd.isEmpty {
                towards[backEnd, default: [:]][frontEnd] = minutes
            }
        }
        var allTowards: [String: LogonSeries] = [:]
        for (backEnd, byFrontEnd) in towards {
            var merged = MinuteTable<LogonTally>()
            for minutes in byFrontEnd.values { merged.merge(minutes) }
            allTowards[backEnd] = LogonSeries(merged)
        }
        for (frontEnd, byBackEnd) in views.frontEnds.sorted(by: { $0.key < $1.key }) where !frontEnd.isEmpty {
            let named = byBackEnd.filter { !$0.key.isEmpty }
            let cells = LogonCells(named)
            let faultMinutes = cells.faultMinutes
            var best:
                (confidence: Double, own: LogonTally, peerRate: Double, reached: [String], window: (Int64, Int64))?
            for (first, last) in Self.episodes(faultMinutes) {
                var own = LogonTally.empty
                var byReached: [String: LogonTally] = [:]
                for (backEnd, tally) in cells.routes(from: first, through: last) where tally.logons > 0 {
                    own.merge(tally)
                    byReached[backEnd] = tally
                }
                let reached = byReached.keys.sorted()
                guard own.serverFaults >= Rule.minimumFaults, !reached.isEmpty,
                    byReached.values.allSatisfy({ $0.serverFaults > 0 })
                else { continue }
                // Back end by back end, how much worse this front end fares than its peers towards it. Without a
                // peer reaching the same back ends, a front end failing, the network failing and every back end
                // failing look the same.
                var peers = LogonTally.empty
                var contrasts: [Double] = []
                for backEnd in reached {
                    guard let mine = byReached[backEnd] else { continue }
                    let everyone = allTowards[backEnd]?.sum(from: first, through: last) ?? .empty
                    let peer = everyone.subtracting(mine)
                    peers.merge(peer)
                    guard peer.logons > 0 else { continue }
                    let rate = Double(mine.serverFaults) / Double(max(mine.logons, 1))
                    let peerRate = Double(peer.serverFaults) / Double(max(peer.logons, 1))
                    contrasts.append(max(0, rate - peerRate) / max(rate, 0.0001))
                }
                guard !contrasts.isEmpty else { continue }
                let peerRate = Double(peers.serverFaults) / Double(max(peers.logons, 1))
                // The median back end: a real fault on one back end beside it (its peers fail there too) does not
                // hide a front end that fails towards all the others.
                let contrast = contrasts.sorted()[contrasts.count / 2]
                let coverage = contrasts.count >= 2 || reached.count == 1 ? 1.0 : 0.8
                let confidence =
                    contrast * coverage * min(1, Double(own.serverFaults) / Rule.faultsForFullConfidence)
                guard confidence >= Rule.minimumConfidence else { continue }
                setAside[frontEnd, default: []].append((first, last))
                if best == nil || confidence > best.unsafelyUnwrapped.confidence {
                    best = (confidence, own, peerRate, reached, (first, last))
                }
            }
            guard let best else { continue }
            let display = names.display(frontEnd)
            let own = best.own
            let rate = Double(own.serverFaults) / Double(max(own.logons, 1))
            let (first, last) = best.window
            var evidence: [Sentence] = [
                .ctpFrontEndFailsTowardsAll(
                    failures: own.serverFaults, logons: own.logons, server: display, from: minuteTime(first),
                    to: minuteTime(last + 1), backEnds: best.reached.map(names.display), peerRate: best.peerRate)
            ]
            if let error = topError(servers: [frontEnd]) {
                evidence.append(.mostFrequentError(error))
            }
            let tally = servers.first { names.canonical($0.server.lowercased()) == frontEnd && $0.role == .frontEnd }
            suspects.append(
                Suspect(
                    server: display, role: .frontEnd, confidence: rounded(best.confidence),
                    rule: .ctpFrontEndHandsOffNone(server: display),
                    monitor: name, failures: own.serverFaults, total: own.logons, rate: rounded(rate),
                    baselineRate: rounded(best.peerRate),
                    window: Suspect.Window(from: minuteTime(first), to: minuteTime(last + 1)), evidence: evidence,
                    examples: Array((tally?.examples ?? []).prefix(5))))
        }
        // 1b. Front ends whose logons name no back end (Exchange 2010's, where the Client Access server opens the
        // mailbox itself): one failing its own logons while its peers serve theirs.
        for (frontEnd, byBackEnd) in views.frontEnds.sorted(by: { $0.key < $1.key })
        where !frontEnd.isEmpty && setAside[frontEnd] == nil {
            guard let mine = byBackEnd[""], let own = totals[frontEnd]?[""], own.serverFaults >= Rule.minimumFaults
            else { continue }
            var peers = LogonTally.empty
            for (other, otherTotals) in totals where other != frontEnd && !other.isEmpty {
                if let tally = otherTotals[""] { peers.merge(tally) }
            }
            guard peers.logons > 0 else { continue }
            let rate = Double(own.serverFaults) / Double(max(own.logons, 1))
            let peerRate = Double(peers.serverFaults) / Double(peers.logons)
            guard own.serverFaults >= 2 * peers.serverFaults, rate >= Rule.ownLogonsRate, rate >= 3 * peerRate else {
                continue
            }
            let confidence =
                (rate - peerRate) / rate * min(1, Double(own.serverFaults) / Rule.faultsForFullConfidence)
            guard confidence >= Rule.minimumConfidence else { continue }
            let faultMinutes = mine.filter { $0.1.serverFaults > 0 }.map(\.0)
            guard let first = faultMinutes.min(), let last = faultMinutes.max() else { continue }
            setAside[frontEnd, default: []].append((first, last))
            let display = names.display(frontEnd)
            var evidence: [Sentence] = [
                .ctpFrontEndFailsItsLogons(
                    failures: own.serverFaults, logons: own.logons, server: display, from: minuteTime(first),
                    to: minuteTime(last + 1), peerRate: peerRate)
            ]
            if let error = topError(servers: [frontEnd]) { evidence.append(.mostFrequentError(error)) }
            let tally = servers.first { names.canonical($0.server.lowercased()) == frontEnd && $0.role == .frontEnd }
            suspects.append(
                Suspect(
                    server: display, role: .frontEnd, confidence: rounded(confidence),
                    rule: .ctpFrontEndServesNone(server: display), monitor: name, failures: own.serverFaults,
                    total: own.logons, rate: rounded(rate), baselineRate: rounded(peerRate),
                    window: Suspect.Window(from: minuteTime(first), to: minuteTime(last + 1)), evidence: evidence,
                    examples: Array((tally?.examples ?? []).prefix(5))))
        }
        let suspectFrontEnds = Set(setAside.keys)

        // 2. Back ends, from the front ends' logons less those of the episodes set aside above; a back end no front
        // end's log reached is read from its own log.
        var perBackEnd: [String: MinuteTable<LogonTally>] = [:]
        var fromOwnLog = Set<String>()
        for (frontEnd, byBackEnd) in views.frontEnds {
            let episodes = setAside[frontEnd] ?? []
            for (backEnd, minutes) in byBackEnd {
                guard !episodes.isEmpty else {
                    perBackEnd[backEnd, default: MinuteTable()].merge(minutes)
                    continue
                }
                var kept = MinuteTable<LogonTally>()
                for (minute, tally) in minutes where !episodes.contains(where: { minute >= $0.0 && minute <= $0.1 }) {
                    kept.add(tally, at: minute)
                }
                perBackEnd[backEnd, default: MinuteTable()].merge(kept)
            }
        }
        for (backEnd, minutes) in views.backEnds where perBackEnd[backEnd] == nil && !backEnd.isEmpty {
            perBackEnd[backEnd] = minutes
            fromOwnLog.insert(backEnd)
        }
        var allFaults = 0
        var faultsByBackEnd: [String: Int] = [:]
        for (backEnd, minutes) in perBackEnd {
            for (_, tally) in minutes where tally.serverFaults > 0 {
                allFaults += tally.serverFaults
                faultsByBackEnd[backEnd, default: 0] += tally.serverFaults
            }
        }
        let backEndCells = LogonCells(perBackEnd.filter { !$0.key.isEmpty })
        for (backEnd, minutes) in perBackEnd.sorted(by: { $0.key < $1.key }) where !backEnd.isEmpty {
            let series = LogonSeries(minutes)
            // Fewer server-side failures in all than an episode needs: nothing to weigh.
            guard series.total.serverFaults >= Rule.minimumFaults,
                var suspect = backEndSuspect(backEnd, series, others: backEndCells, probeTotals: probeTotals)
            else {
                continue
            }
            // Recovered: the last failure long before the logs end, and logons succeeding since.
            if let lastFault = suspect.lastFaultMinute, lastMinute - lastFault >= Diagnoser.Recovery.minutes {
                let since = series.sum(after: lastFault)
                if since.logons >= Rule.minimumFaults && since.serverFaults == 0 {
                    suspect.value.hasRecovered = true
                    suspect.value.confidence = rounded(suspect.value.confidence * Rule.recoveredScale)
                    suspect.value.evidence.append(
                        .ctpRecovered(
                            lastFailure: minuteTime(lastFault), minutesBeforeEnd: Int(lastMinute - lastFault),
                            logonsSince: since.logons))
                    suspect.value.rule = .ctpBackEndRecovered(server: suspect.value.server)
                }
            }
            if fromOwnLog.contains(backEnd) {
                suspect.value.evidence.insert(.ctpReadFromOwnLog(server: suspect.value.server), at: 0)
            }
            suspects.append(suspect.value)
        }
        if probeTotals.isEmpty && !suspects.isEmpty {
            for index in suspects.indices {
                suspects[index].confidence = rounded(suspects[index].confidence * Rule.usersOnlyScale)
                suspects[index].evidence.append(.ctpJudgedOnUsers)
            }
        }
        suspects.removeAll { $0.confidence < Rule.minimumConfidence }

        // 3. The front ends' own deployment and routing failures, before any back end is reached.
        for server in servers where server.role == .frontEnd {
            let canonical = names.canonical(server.server.lowercased())
            guard !suspectFrontEnds.contains(canonical) else { continue }
            // Routing errors (WrongServer, MdbOffline) come with a database failing over: they blame a front end
            // only when it fails towards every back end (above), never on their own.
            let faults = server.failuresByClass[ErrorClass.deployment.rawValue] ?? 0
            guard faults >= Rule.minimumFaults else { continue }
            let share = Double(faults) / Double(max(allFrontEndFaults, faults))
            let confidence = share * min(1, Double(faults) / Rule.faultsForFullConfidence)
            guard confidence >= Rule.minimumConfidence else { continue }
            var evidence: [Sentence] = [.ctpDeploymentErrors(failures: faults, server: server.server)]
            if let error = topError(servers: [canonical], classes: [.deployment]) {
                evidence.append(.mostFrequentError(error))
            }
            suspects.append(
                Suspect(
                    server: server.server, role: .frontEnd, confidence: rounded(confidence),
                    rule: .ctpProxyNotAuthenticated(server: server.server),
                    monitor: name, failures: faults, total: server.commands,
                    rate: rounded(Double(faults) / Double(max(server.commands, 1))),
                    baselineRate: nil, window: nil, evidence: evidence, examples: Array(server.examples.prefix(5))))
        }

        let fired =
            probeFailures >= Rule.consecutiveFailures || allFaults >= Rule.consecutiveFailures
            || monitoringAccountFailures >= Rule.consecutiveFailures || !suspects.isEmpty
        if !suspects.isEmpty {
            return MonitorResult(
                name: name, fired: fired,
                summary: [
                    .ctpFailuresPointAt(servers: suspects.sorted { $0.confidence > $1.confidence }.map(\.server))
                ],
                suspects: suspects)
        }
        if monitoringAccountFailures >= Rule.minimumFaults,
            let refusals = monitoringAccountRefusals(role: .frontEnd) ?? monitoringAccountRefusals(role: .backEnd)
        {
            return MonitorResult(
                name: name, fired: true, summary: [.ctpMonitoringAccount(refusals: refusals)],
                suspects: [], cause: MonitorResult.Cause.monitoringAccount)
        }
        let throttled = summary.errors.filter { $0.key.errorClass == .throttling }.reduce(0) { $0 + $1.value.count }
        if allFaults == 0 && throttled > 0 {
            return MonitorResult(
                name: name, fired: fired,
                summary: [.ctpOnlyThrottling(throttled: throttled, credentialFailures: credentialFailures)],
                suspects: [], cause: MonitorResult.Cause.credentials)
        }
        if allFaults == 0 && credentialFailures > 0 {
            return MonitorResult(
                name: name, fired: fired,
                summary: [.ctpOnlyWrongPasswords(credentialFailures: credentialFailures)],
                suspects: [], cause: MonitorResult.Cause.credentials)
        }
        if allFaults == 0 {
            return MonitorResult(
                name: name, fired: fired,
                summary: [.ctpNoFailedLogon],
                suspects: [])
        }
        // All on one back end, yet never enough close together to make an episode (too few, or scattered in
        // time): not spread over the back ends.
        if faultsByBackEnd.count == 1, let (backEnd, faults) = faultsByBackEnd.first, backEnd.isEmpty {
            // No back end named, or only names that are not host names: nothing to blame, and nothing spread.
            return MonitorResult(
                name: name, fired: fired, summary: [.ctpFailuresUnnamed(failures: faults)], suspects: [])
        }
        if faultsByBackEnd.count == 1, let (backEnd, faults) = faultsByBackEnd.first, !backEnd.isEmpty {
            return MonitorResult(
                name: name, fired: fired,
                summary: [
                    .ctpFailuresScattered(failures: faults, server: names.display(backEnd), needed: Rule.minimumFaults)
                ],
                suspects: [])
        }
        return MonitorResult(
            name: name, fired: fired,
            summary: [.ctpFailuresSpread(failures: allFaults)],
            suspects: [])
    }

    /// ImapCTPProbe sessions by the back end they reached: the front ends' (where the probe starts), else, with only
    /// mailbox servers' logs, the back-end leg each logged itself.
    func ctpProbeSessions() -> [String: ProbeTotals] {
        let frontEnds = probeSessions(kind: .customerTouchPoint, role: .frontEnd)
        guard frontEnds.isEmpty else { return frontEnds }
        var byServer: [String: ProbeTotals] = [:]
        for (key, tally) in summary.probes.sessions.sorted(by: { $0.key < $1.key })
        where key.kind == .customerTouchPoint && key.server.role == .backEnd {
            let server = names.canonical(key.server.name)
            byServer[server, default: ProbeTotals()].sessions += tally.sessions
            byServer[server, default: ProbeTotals()].failedSessions += tally.failedSessions
            byServer[server, default: ProbeTotals()].examples += tally.examples
        }
        return byServer
    }

    /// Runs of fault minutes no more than `CustomerTouchPointRule.episodeGapMinutes` apart, as (first, last).
    static func episodes(_ minutes: [Int64]) -> [(Int64, Int64)] {
        var runs: [(Int64, Int64)] = []
        for minute in minutes.sorted() {
            if let last = runs.last, minute - last.1 <= CustomerTouchPointRule.episodeGapMinutes {
                runs[runs.count - 1].1 = minute
            } else {
                runs.append((minute, minute))
            }
        }
        return runs
    }

    /// A back end where server-side logon failures concentrate, against the other back ends then and its own
    /// earlier baseline; nil when it does not stand out.
    private func backEndSuspect(
        _ backEnd: String, _ minutes: LogonSeries, others routes: LogonCells, probeTotals: [String: ProbeTotals]
    ) -> (value: Suspect, lastFaultMinute: Int64?)? {
        typealias Rule = CustomerTouchPointRule
        // Each episode of server-side faults (a folder of many days holds several), then the logons in it, in the
        // baseline before it, and on the other back ends then; the surest episode stands for the back end.
        typealias Scored = (
            confidence: Double, first: Int64, last: Int64, inWindow: LogonTally, before: LogonTally,
            others: LogonTally, otherRate: Double
        )
        var best: Scored?
        for (first, last) in Self.episodes(minutes.faultMinutes) {
            let inWindow = minutes.sum(from: first, through: last)
            let faults = inWindow.serverFaults
            guard faults >= Rule.minimumFaults else { continue }
            let before = minutes.sum(from: first - Rule.baselineMinutes, through: first - 1)
            // The other back ends then, each on its own: their lower median is what a healthy one does, so a second
            // back end failing at the same time neither hides this one nor is hidden by it.
            var others = LogonTally.empty
            var otherRates: [Double] = []
            for (other, tally) in routes.routes(from: first, through: last) where other != backEnd {
                others.merge(tally)
                if tally.logons > 0 { otherRates.append(Double(tally.serverFaults) / Double(tally.logons)) }
            }
            let rate = Double(faults) / Double(max(inWindow.logons, 1))
            let otherRate = otherRates.isEmpty ? 0 : otherRates.sorted()[(otherRates.count - 1) / 2]
            let baseRate = before.logons > 0 ? Double(before.serverFaults) / Double(before.logons) : 0
            let contrast = max(0, rate - max(otherRate, baseRate)) / max(rate, 0.0001)
            let confidence = contrast * min(1, Double(faults) / Rule.faultsForFullConfidence)
            if best == nil || confidence > best.unsafelyUnwrapped.confidence {
                best = (confidence, first, last, inWindow, before, others, otherRate)
            }
        }
        guard let best, best.confidence >= Rule.minimumConfidence else { return nil }
        let (confidence, first, last, inWindow, before, others, _) = best
        let faults = inWindow.serverFaults
        let rate = Double(faults) / Double(max(inWindow.logons, 1))
        let otherRate = best.otherRate
        let baseRate = before.logons > 0 ? Double(before.serverFaults) / Double(before.logons) : 0
        let display = names.display(backEnd)
        var evidence: [Sentence] = [
            .ctpBackEndFailures(
                failures: faults, logons: inWindow.logons, server: display, from: minuteTime(first),
                to: minuteTime(last + 1), rate: rate, otherRate: others.logons > 0 ? otherRate : nil,
                baselineRate: before.logons > 0 ? baseRate : nil)
        ]
        if let probes = probeTotals[backEnd], probes.sessions > 0 {
            evidence.append(
                .ctpProbeFailures(failed: probes.failedSessions, total: probes.sessions, server: display))
        }
        if let error = topError(servers: [backEnd], role: .backEnd) {
            evidence.append(.mostFrequentError(error))
        }
        if let own = ownLogEvidence(backEnd) { evidence.append(own) }
        if let linked = linkedEvidence(backEnd) { evidence.append(linked) }
        let tally = servers.first { names.canonical($0.server.lowercased()) == backEnd && $0.role == .backEnd }
        let examples = Array(
            ((probeTotals[backEnd]?.examples ?? []) + (tally?.proxied?.examples ?? []) + (tally?.examples ?? []))
                .uniqued().prefix(5))
        let suspect = Suspect(
            server: display, role: .backEnd, confidence: rounded(confidence),
            rule: .ctpBackEndFails(server: display),
            monitor: Monitor.customerTouchPoint.rawValue, failures: faults, total: inWindow.logons, rate: rounded(rate),
            baselineRate: rounded(max(otherRate, baseRate)),
            window: Suspect.Window(from: minuteTime(first), to: minuteTime(last + 1)), evidence: evidence,
            examples: examples)
        return (suspect, last)
    }
}
