import ImapLogKit

/// AverageCommandProcessingTimeGt60sMonitor (health set IMAP): the counter `MSExchangeImap4\Average Command
/// Processing Time (milliseconds)` above 60,000 ms for 2 consecutive samples (5-minute samples, 900 s window).
///
/// The rule rebuilds the counter from the logs: each server's mean command time in 5-minute samples, IDLE and the
/// front end's proxy rows left out.
enum AverageCommandProcessingTimeRule {
    /// The counter's threshold, in ms.
    static let thresholdMs = 60_000.0
    /// Samples in a row above it that fire the monitor.
    static let consecutiveSamples = 2
    /// The counter's sampling interval, in minutes.
    static let sampleMinutes: Int64 = 5
    /// The p90 command time, in ms, from which a server crawls though the counter stays below its threshold.
    ///
    /// Such a server (with `slowP90Ratio`) is still named, less surely: the fast commands (probes' CAPABILITY) pull
    /// the mean down where the ones users wait on crawl.
    static let slowP90Ms: Int64 = 10_000
    /// How many times its peers' p90 a crawling server's must be.
    static let slowP90Ratio: Int64 = 10
    /// The confidence of that reading, and when the alert names the server.
    static let slowConfidence = 0.6
    static let slowNamedConfidence = 0.8
}

extension Diagnoser {
    /// Rebuilds the counter from the logs: each server's mean command time in 5-minute samples (IDLE left out);
    /// the monitor fires where two samples in a row exceed 60,000 ms.
    func averageCommandProcessingTime() -> MonitorResult {
        typealias Rule = AverageCommandProcessingTimeRule
        let name = Monitor.averageCommandProcessingTime.rawValue
        // Per server, its tables (several spellings of one server are one server).
        var tables: [ServerKey: [MinuteTable<TimelineTally>]] = [:]
        for (key, minutes) in summary.timeline {
            tables[ServerKey.named(names.canonical(key.name), role: key.role), default: []].append(minutes)
        }
        /// A run of 5-minute samples in a row above 60 s.
        typealias Run = (from: Int64, to: Int64, length: Int, worst: Double, commands: Int)
        var suspects: [Suspect] = []
        var highest: (ServerKey, Int64, Double)?
        for (server, serverTables) in tables.sorted(by: { $0.key < $1.key }) {
            // One pass over the server's 5-minute samples in time order (a year holds a hundred thousand of them
            // a server): no list of them is kept, only the longest run so far (the earliest of equal ones).
            var longest: Run?
            var current: Run?
            var sampleCount = 0
            func close(_ start: Int64, _ sum: Int64, _ count: Int) {
                sampleCount += 1
                let mean = Double(sum) / Double(max(count, 1))
                // In time order, so a tie goes to the earliest sample whatever the dictionary's order.
                if highest == nil || mean > highest.unsafelyUnwrapped.2 { highest = (server, start, mean) }
                guard mean > AverageCommandProcessingTimeRule.thresholdMs else { return }
                if var run = current, start - run.to == AverageCommandProcessingTimeRule.sampleMinutes {
                    run.to = start
                    run.length += 1
                    run.worst = max(run.worst, mean)
                    run.commands += count
                    current = run
                } else {
                    current = (start, start, 1, mean, count)
                }
                if let run = current, run.length >= AverageCommandProcessingTimeRule.consecutiveSamples,
                    run.length > longest?.length ?? 0
                {
                    longest = run
                }
            }
            // The tables' minutes merged in time order; a sample sums the minutes of its five.
            var iterators = serverTables.map { $0.makeIterator() }
            var heads = iterators.indices.map { iterators[$0].next() }
            var sample: (start: Int64, sum: Int64, count: Int)?
            while true {
                var pick = -1
                for i in heads.indices {
                    if let head = heads[i], pick < 0 || head.minute < heads[pick].unsafelyUnwrapped.minute { pick = i }
                }
                guard pick >= 0, let (minute, tally) = heads[pick] else { break }
                heads[pick] = iterators[pick].next()
                guard tally.latencyCount > 0 else { continue }
                let start = minute - ((minute % 5) + 5) % 5
                if let open = sample, open.start == start {
                    sample = (start, open.sum + tally.latencySum, open.count + tally.latencyCount)
                } else {
                    if let open = sample { close(open.start, open.sum, open.count) }
                    sample = (start, tally.latencySum, tally.latencyCount)
                }
            }
            if let open = sample { close(open.start, open.sum, open.count) }
            guard let longest else { continue }
            let from = longest.from
            let to = longest.to
            let display = names.display(server.name)
            let (worst, commands) = (longest.worst, longest.commands)
            suspects.append(
                Suspect(
                    server: display, role: server.role, confidence: 0.95,
                    rule: .averageTimeAbove(
                        server: display, thresholdSeconds: Int(Rule.thresholdMs / 1000),
                        minutes: longest.length * Int(Rule.sampleMinutes)),
                    monitor: name, failures: longest.length, total: sampleCount,
                    rate: rounded(Double(longest.length) / Double(max(sampleCount, 1))),
                    baselineRate: nil, window: Suspect.Window(from: minuteTime(from), to: minuteTime(to + 5)),
                    evidence: [
                        .averageTimeSamplesAbove(
                            samples: longest.length, sampleMinutes: Int(Rule.sampleMinutes),
                            thresholdMs: Int(Rule.thresholdMs), from: minuteTime(from), to: minuteTime(to + 5),
                            worstMs: Int(worst), commands: commands)
                    ],
                    examples: []))
        }
        if suspects.isEmpty {
            // The counter stays below 60 s: not the monitor's condition, so it does not fire; asked about it (an
            // alert, --monitor), the server that crawls is still named.
            let slow = slowerThanPeers()
            if !slow.isEmpty {
                return MonitorResult(
                    name: name, fired: false,
                    summary: [
                        .averageTimeCrawlsOn(
                            servers: slow.map(\.server).sorted(), sampleMinutes: Int(Rule.sampleMinutes),
                            thresholdSeconds: Int(Rule.thresholdMs / 1000))
                    ], suspects: slow)
            }
        }
        let summaryText: Sentence
        if !suspects.isEmpty {
            summaryText = .averageTimeFiresOn(servers: suspects.map(\.server).sorted())
        } else if let (server, sample, mean) = highest {
            summaryText = .averageTimeHighest(
                thresholdSeconds: Int(Rule.thresholdMs / 1000), needed: Rule.consecutiveSamples,
                sampleMinutes: Int(Rule.sampleMinutes), meanMs: Int(mean), server: names.display(server.name),
                at: minuteTime(sample))
        } else {
            return MonitorResult(
                name: name, fired: false, summary: [.averageTimeNoDurations], suspects: [],
                cause: MonitorResult.Cause.noData)
        }
        return MonitorResult(name: name, fired: !suspects.isEmpty, summary: [summaryText], suspects: suspects)
    }

    /// Servers whose commands crawl against their peers', when no 5-minute mean crosses the threshold; back ends
    /// first (a front end waits on the back end it proxies to).
    private func slowerThanPeers() -> [Suspect] {
        typealias Rule = AverageCommandProcessingTimeRule
        let named = (alert?.servers ?? []) + (alert?.mailboxServers ?? [])
        for role in [Role.backEnd, .frontEnd] {
            let peers = servers.filter { $0.role == role && $0.latencyMs.samples > 0 }
            guard peers.count >= 2 else { continue }
            var suspects: [Suspect] = []
            // The peers' p90s sorted once: the median of the others is read from it around the server's own (a
            // list per server made thousands of servers take minutes).
            let p90s = peers.map(\.latencyMs.p90).sorted()
            let middle = (p90s.count - 1) / 2
            for server in peers {
                let p90 = server.latencyMs.p90
                let own = p90s.countBelow(p90)
                let reference = max(middle < own ? p90s[middle] : p90s[middle + 1], 1)
                guard p90 >= Rule.slowP90Ms, p90 >= Rule.slowP90Ratio * reference else { continue }
                let isNamed = named.contains { ServerNames.sameServer($0.lowercased(), server.server.lowercased()) }
                suspects.append(
                    Suspect(
                        server: server.server, role: role,
                        confidence: isNamed ? Rule.slowNamedConfidence : Rule.slowConfidence,
                        rule: .commandsCrawl(server: server.server),
                        monitor: Monitor.averageCommandProcessingTime.rawValue, failures: 0,
                        total: server.latencyMs.samples, rate: 0, baselineRate: nil,
                        window: failureOrSlowWindow(server),
                        evidence: [
                            .commandsCrawlAgainstPeers(
                                p90Ms: Int(p90), p99Ms: Int(server.latencyMs.p99), commands: server.latencyMs.samples,
                                peersP90Ms: Int(reference), role: role, sampleMinutes: Int(Rule.sampleMinutes),
                                thresholdMs: Int(Rule.thresholdMs), isNamed: isNamed)
                        ], examples: []))
            }
            if !suspects.isEmpty { return suspects }
        }
        return []
    }

    /// The minutes a server's mean command time stood at ten seconds or more, as a window.
    private func failureOrSlowWindow(_ server: ServerFigures) -> Suspect.Window? {
        let canonical = names.canonical(server.server.lowercased())
        var first: Int64?
        var last: Int64?
        for (key, table) in summary.timeline where key.role == server.role && names.canonical(key.name) == canonical {
            for (minute, tally) in table
            where tally.latencyCount > 0
                && tally.latencySum >= AverageCommandProcessingTimeRule.slowP90Ms * Int64(tally.latencyCount)
            {
                first = min(first ?? minute, minute)
                last = max(last ?? minute, minute)
            }
        }
        guard let first, let last else { return nil }
        return Suspect.Window(from: minuteTime(first), to: minuteTime(last + 1))
    }
}
