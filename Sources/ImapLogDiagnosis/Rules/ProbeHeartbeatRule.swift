import ImapLogKit

/// ImapProxyTestMonitor (IMAP.Proxy) and ImapSelfTestMonitor (IMAP.Protocol): their probes run every 60 s on the
/// server itself and the monitor fires after 4 consecutive failures (240 s).
enum ProbeHeartbeatRule {
    /// Failures (or missing minutes) in a row that fire the monitor (Exchange's definition).
    static let consecutiveFailures: Int64 = 4
    /// A probe session this slow counts as a failure (the probe's own time-out is of this order).
    static let slowSessionMs: Int64 = 10_000
    /// Minutes apart within which probes stopping on every server count as stopping together.
    static let togetherMinutes: Int64 = 2
    /// Minutes the other logs may skip inside a stretch they cover (a quiet minute between two probes).
    static let probeGapTolerance: Int64 = 5
    /// When a server's logs simply end, its peers' traffic must rise this much after to say its clients moved.
    static let loadShiftRatio = 1.25
    /// The half hours compared, before and after it stopped.
    static let loadShiftMinutes: Int64 = 30
    /// Peers' requests in the half hour before, below which the comparison says nothing.
    static let minimumRequestsToCompare = 60
}

extension Diagnoser {
    /// The lightweight probes that run every minute from the server itself: sessions that fail, crawl, or stop
    /// appearing for more than four intervals while the rest of the logs go on.
    func probeHeartbeat(_ kind: ProbeKind, monitor: Monitor, role: Role) -> MonitorResult {
        let name = monitor.rawValue
        var byServer: [String: MinuteTable<ProbeMinuteTally>] = [:]
        for (key, minutes) in summary.probes.minutes where key.kind == kind && key.server.role == role {
            byServer[names.canonical(key.server.name), default: MinuteTable()].merge(minutes)
        }
        guard !byServer.isEmpty else {
            return MonitorResult(
                name: name, fired: false, summary: [.probeNoSessions(monitor: monitor, probe: kind, role: role)],
                suspects: [], cause: MonitorResult.Cause.noData)
        }
        // The last minute any server logged (only its maximum is needed: no set of every minute).
        let lastActiveMinute = summary.timeline.values.compactMap(\.lastMinute).max()
        var suspects: [Suspect] = []
        var uncertain: [Sentence] = []
        // Every server's probe stopping in the same minutes while other rows go on is no one server's gap: the
        // probes' scheduler (the Health Manager) or the collection stopped. Their gaps to the end are set aside.
        let lastProbes = byServer.values.compactMap(\.lastMinute)
        var probesStopTogether: Int64?
        if byServer.count >= 2, let earliest = lastProbes.min(), let latest = lastProbes.max(),
            latest - earliest <= ProbeHeartbeatRule.togetherMinutes, let lastActiveMinute,
            lastActiveMinute - latest > ProbeHeartbeatRule.consecutiveFailures
        {
            probesStopTogether = earliest
            uncertain.append(.probeStopsEverywhere(probe: kind, at: minuteTime(earliest + 1)))
        }
        for (server, minutes) in byServer.sorted(by: { $0.key < $1.key }) {
            // One pass over the minutes (a year of them is half a million): the gaps between them, the runs of
            // failing or crawling minutes (four in a row fire the monitor), the totals.
            var candidates: [(Int64, Int64)] = []
            var previous: Int64?
            var failingRun: Int64 = 0
            var longestRun: Int64 = 0
            var runEnd: Int64 = 0
            var failed = 0
            var total = 0
            for (minute, t) in minutes {
                if let previous, minute - previous > ProbeHeartbeatRule.consecutiveFailures {
                    candidates.append((previous, minute))
                }
                previous = minute
                if t.failedSessions > 0 || t.longestMs >= ProbeHeartbeatRule.slowSessionMs {
                    failingRun += 1
                    if failingRun > longestRun {
                        longestRun = failingRun
                        runEnd = minute
                    }
                } else {
                    failingRun = 0
                }
                failed += t.failedSessions
                total += t.sessions
            }
            // Gaps: more than four probe intervals without a session, in time the logs really cover: in at least
            // half the gap's minutes the same probe runs on other servers, or this server itself logs.
            let ownTables = summary.timeline.filter { names.canonical($0.key.name) == server && $0.key.role == role }
            var gaps: [(Int64, Int64)] = []
            let lastLogged = lastActiveMinute ?? previous ?? 0
            if let previous, lastLogged + 1 - previous > ProbeHeartbeatRule.consecutiveFailures {
                candidates.append((previous, lastLogged + 1))
            }
            if !candidates.isEmpty {
                // Only then the minutes covered (a probe running every minute has no candidate at all), and only
                // those inside a candidate: the others' minutes and this server's own, read table by table.
                let starts = candidates.map(\.0)
                var inGaps: [Int64] = []
                func keepIfInGap(_ minute: Int64) {
                    // The last candidate starting before the minute (candidates are in time order, apart).
                    let k = starts.countBelow(minute) - 1
                    if k >= 0 && minute < candidates[k].1 { inGaps.append(minute) }
                }
                for table in ownTables.values {
                    for (minute, _) in table { keepIfInGap(minute) }
                }
                for (other, otherMinutes) in byServer where other != server {
                    for (minute, _) in otherMinutes { keepIfInGap(minute) }
                }
                // Counted by binary search over the covered minutes, not minute by minute: timestamps years apart
                // (damaged or hostile logs) make gaps of millions of minutes.
                inGaps.sort()
                var coveredMinutes: [Int64] = []
                for minute in inGaps where coveredMinutes.last != minute { coveredMinutes.append(minute) }
                for (a, b) in candidates {
                    let start = coveredMinutes.countBelow(a + 1)
                    let covered = coveredMinutes.countBelow(b) - start
                    if covered * 2 >= b - a - 1 {
                        gaps.append((a + 1, b))
                        continue
                    }
                    // A gap that runs on into time nobody logged (the night, the days between collected logs):
                    // the stretch right after the last probe that the other logs do cover.
                    var end = a
                    var index = start
                    while index < coveredMinutes.count, coveredMinutes[index] < b,
                        coveredMinutes[index] - end <= ProbeHeartbeatRule.probeGapTolerance
                    {
                        end = coveredMinutes[index]
                        index += 1
                    }
                    if end - a > ProbeHeartbeatRule.consecutiveFailures { gaps.append((a + 1, end + 1)) }
                }
            }
            if let stop = probesStopTogether { gaps.removeAll { $0.0 > stop } }
            // A gap at the very end, with the server's own logs ending too, may also be logs copied earlier than
            // the others: less sure, the longer the others go on the surer.
            let ownLast = ownTables.values.compactMap(\.lastMinute).max() ?? 0
            let isTailOnly = gaps.count == 1 && gaps[0].1 == lastLogged + 1 && ownLast < gaps[0].0
            let longestGap = gaps.map { $0.1 - $0.0 }.max() ?? 0
            guard longestGap > 0 || longestRun >= ProbeHeartbeatRule.consecutiveFailures else { continue }
            let display = names.display(server)
            var confidence = 0.9
            var evidence: [Sentence] = []
            var window: Suspect.Window?
            if isTailOnly && longestRun < ProbeHeartbeatRule.consecutiveFailures {
                // Its logs simply end: a hung service, or logs copied earlier. Only what else shows tells which: the
                // alert naming it, or its clients moving to its peers (a load balancer's doing, when it hangs).
                let named = alert?.servers.contains { ServerNames.sameServer($0.lowercased(), server) } ?? false
                let shift = loadShift(from: server, role: role, at: ownLast + 1, until: lastLogged)
                let moved = shift.map { $0 >= ProbeHeartbeatRule.loadShiftRatio } ?? false
                let (ownEnd, othersEnd) = (minuteTime(ownLast + 1), minuteTime(lastLogged + 1))
                guard named || moved else {
                    uncertain.append(.probeLogsEndEarly(server: display, ownEnd: ownEnd, othersEnd: othersEnd))
                    continue
                }
                confidence = named ? 0.9 : 0.8
                evidence.append(
                    .probeOwnLogsEnd(
                        ownEnd: ownEnd, othersEnd: othersEnd, loadShift: moved ? shift : nil, isNamed: named))
            }
            if let gap = gaps.max(by: { ($0.1 - $0.0) < ($1.1 - $1.0) }) {
                evidence.append(
                    .probeGap(
                        probe: kind, server: display, from: minuteTime(gap.0), to: minuteTime(gap.1),
                        minutes: Int(gap.1 - gap.0)))
                window = Suspect.Window(from: minuteTime(gap.0), to: minuteTime(gap.1))
            }
            if longestRun >= ProbeHeartbeatRule.consecutiveFailures {
                evidence.append(
                    .probeFailingRun(
                        minutes: Int(longestRun), slowSeconds: Int(ProbeHeartbeatRule.slowSessionMs / 1000),
                        probe: kind, until: minuteTime(runEnd + 1)))
                if window == nil {
                    window = Suspect.Window(
                        from: minuteTime(runEnd - Int64(longestRun) + 1), to: minuteTime(runEnd + 1))
                }
            }
            evidence.append(.probeSessionsFailed(failed: failed, total: total, probe: kind))
            // The minutes it failed or hung (a slow session is the monitor's failure too), and those it missed.
            let failing = max(failed, Int(longestRun)) + Int(longestGap)
            let examples = summary.probes.sessions.filter {
                $0.key.kind == kind && names.canonical($0.key.server.name) == server
            }
            .sorted(by: { $0.key < $1.key }).flatMap(\.value.examples)
            suspects.append(
                Suspect(
                    server: display, role: role, confidence: confidence,
                    rule: .probeUnanswered(server: display, role: role),
                    monitor: name, failures: failing, total: total + Int(longestGap),
                    rate: rounded(Double(failing) / Double(max(total + Int(longestGap), 1))),
                    baselineRate: nil, window: window, evidence: evidence, examples: Array(examples.prefix(5))))
        }
        // Most servers' probes stopping in the same minutes is no one server hanging: the probes' scheduler (the
        // Health Manager) or the collection stopped.
        let starts = suspects.compactMap { $0.window.flatMap { Timestamp.parse($0.from) }.map { $0 / 60_000 } }
        if probesStopTogether == nil, suspects.count >= 2, suspects.count * 2 > byServer.count,
            starts.count == suspects.count,
            let earliest = starts.min(), let latest = starts.max(),
            latest - earliest <= ProbeHeartbeatRule.togetherMinutes
        {
            uncertain.append(.probeStopsEverywhere(probe: kind, at: minuteTime(earliest)))
            suspects = []
        }
        let summaryText: [Sentence] =
            suspects.isEmpty
            ? (uncertain.isEmpty
                ? [
                    .probeRanEveryMinute(
                        monitor: monitor, probe: kind, servers: byServer.keys.sorted().map(names.display),
                        needed: Int(ProbeHeartbeatRule.consecutiveFailures))
                ] : [.probeInDoubt(monitor: monitor, why: uncertain)])
            : [.probeStopsOrFailsOn(monitor: monitor, probe: kind, servers: suspects.map(\.server).sorted())]
                + uncertain
        // Logs that end early are no all-clear for the time they do not cover: said, as a condition to check.
        return MonitorResult(
            name: name, fired: !suspects.isEmpty || !uncertain.isEmpty, summary: summaryText, suspects: suspects)
    }

    /// How many times their traffic before the peers of a server in `role` carried after it stopped at `stop`:
    /// requests a minute over the half hour after (up to `until`) against the half hour before; nil when they
    /// logged too little to tell.
    private func loadShift(from server: String, role: Role, at stop: Int64, until last: Int64) -> Double? {
        let window = ProbeHeartbeatRule.loadShiftMinutes
        let after = (stop, min(stop + window, last + 1))
        guard after.1 - after.0 >= 5 else { return nil }
        var before = 0
        var since = 0
        for (key, minutes) in summary.timeline where key.role == role && names.canonical(key.name) != server {
            for (minute, tally) in minutes {
                if minute >= stop - window && minute < stop { before += tally.requests }
                if minute >= after.0 && minute < after.1 { since += tally.requests }
            }
        }
        guard before >= ProbeHeartbeatRule.minimumRequestsToCompare else { return nil }
        let perMinuteBefore = Double(before) / Double(window)
        let perMinuteAfter = Double(since) / Double(after.1 - after.0)
        return perMinuteAfter / perMinuteBefore
    }
}
