import ImapLogDiagnosis
import ImapLogKit

/// What stands out in a report, in plain words: failing back ends, slow servers, wrong passwords, failing probes.
///
/// Deliberately simple rules; the per-monitor diagnosis builds on the same numbers.
enum Findings {
    /// A finding as data: what it says is a `Sentence`, made into words with the rest of the report.
    struct Item: Equatable {
        var severity: Report.Finding.Severity
        var kind: String
        var server: String?
        var sentence: Sentence
        /// The role of `server` the finding is about (a multi-role server has two).
        var role: Role?
    }

    /// Errors that say nothing against a server: a password (the user's or the monitoring account's), the
    /// client's own mistakes.
    static let notServerFaults = Set(ErrorClass.allCases.filter { !$0.pointsAtAServer }.map(\.rawValue))

    /// The findings made to agree with the verdict, which reads the same logs more closely.
    ///
    /// Every suspect stands first, as sure as the verdict is (CRITICAL from `CheckRenderer.criticalConfidence`,
    /// a recovered fault INFO), and its own failure finding goes (one count for one fault); with no suspect, no
    /// server finding is CRITICAL: no rule singles it out.
    static func reconcile(_ findings: [Item], with verdict: Verdict) -> [Item] {
        var suspects: [Item] = []
        var named = Set<String>()
        for suspect in verdict.suspects where named.insert(suspect.server.lowercased()).inserted {
            let severity: Report.Finding.Severity =
                suspect.hasRecovered
                ? .info : suspect.confidence >= CheckRenderer.criticalConfidence ? .critical : .warning
            let sentence = Sentence.suspectFinding(
                server: suspect.server, role: suspect.role, monitor: suspect.monitor, failures: suspect.failures,
                total: suspect.total, from: suspect.window?.from, to: suspect.window?.to,
                confidence: suspect.confidence, hasRecovered: suspect.hasRecovered)
            suspects.append(.init(severity: severity, kind: "suspect", server: suspect.server, sentence: sentence))
        }
        let hasBackEndSuspect = verdict.suspects.contains { $0.role == .backEnd && !$0.hasRecovered }
        let rest = findings.compactMap { finding -> Item? in
            guard let server = finding.server else { return finding }
            // A front end is slow while a back end it proxies to crawls or refuses: the back end's doing, not its.
            if hasBackEndSuspect && finding.kind == "latency" && finding.role == .frontEnd
                && !verdict.suspects.contains(where: { $0.role == .frontEnd && $0.server == server })
            {
                return nil
            }
            if finding.kind == "failures"
                && verdict.suspects.contains(where: {
                    ServerNames.sameServer($0.server.lowercased(), server.lowercased())
                })
            {
                return nil
            }
            var capped = finding
            if verdict.suspects.isEmpty && capped.severity == .critical { capped.severity = .warning }
            // A front end's failures while a back end is the suspect are mostly that back end's, relayed.
            if hasBackEndSuspect && finding.kind == "failures" && finding.role == .frontEnd
                && !verdict.suspects.contains(where: { $0.role == .frontEnd && $0.server == server })
            {
                capped.severity = .info
                capped.sentence = .relayed(capped.sentence)
            }
            return capped
        }
        // Most serious first, in the order found within a severity.
        let ordered = rest.enumerated().sorted { ($0.element.severity, $0.offset) < ($1.element.severity, $1.offset) }
        return suspects + ordered.map(\.element)
    }

    /// Users refused from one address above which the finding calls it a spray.
    static let sprayUsers = 10

    static func derive(
        servers: [Report.Server], errors: [Report.ErrorEntry], timeline: [Report.TimelineBucket], bucketMinutes: Int,
        summary: Summary
    ) -> [Item] {
        var findings: [Item] = []
        // The front ends' view of a back end when they proxied to it, else its own logs.
        func view(_ server: Report.Server) -> (commands: Int, faults: [String: Int], isProxied: Bool) {
            let (commands, byClass, isProxied) =
                server.proxied.map { ($0.commands, $0.failuresByClass, true) }
                ?? (server.commands, server.failuresByClass, false)
            // A front end's deployment errors (ProxyNotAuthenticated: its certificate) name the back end it tried,
            // but say nothing against it.
            let blamed = byClass.filter {
                !notServerFaults.contains($0.key)
                    && !(server.role == .backEnd && $0.key == ErrorClass.deployment.rawValue)
            }
            return (commands, blamed, isProxied)
        }
        // Each role's totals, once: a server's peers are its role less itself (the peers listed per server made
        // thousands of servers take minutes).
        let views = servers.map(view)
        var roleTotals: [Role: (servers: Int, failures: Int, commands: Int)] = [:]
        for (server, seen) in zip(servers, views) {
            let total = roleTotals[server.role] ?? (0, 0, 0)
            roleTotals[server.role] = (
                total.servers + 1, total.failures + seen.faults.values.reduce(0, +), total.commands + seen.commands
            )
        }
        for (server, seen) in zip(servers, views) {
            let (commands, serverFaults, isProxied) = seen
            let failures = serverFaults.values.reduce(0, +)
            guard failures >= 5 else { continue }
            // Either a high rate, or most of its role's server-side failures at several times its peers' rate
            // (a short incident in a long span of logs).
            let role = roleTotals[server.role] ?? (0, 0, 0)
            let hasPeers = role.servers > 1
            let peerFailures = role.failures - failures
            let peerCommands = role.commands - commands
            let rate = Double(failures) / Double(max(commands, 1))
            let peerRate = Double(peerFailures) / Double(max(peerCommands, 1))
            let isHighRate = rate >= 0.05
            let isConcentrated = hasPeers && failures >= 2 * peerFailures && rate >= 3 * peerRate
            guard isHighRate || isConcentrated else { continue }
            let top = errors.first {
                !notServerFaults.contains($0.errorClass.rawValue)
                    && $0.servers.contains(where: {
                        ServerNames.sameServer($0.lowercased(), server.server.lowercased())
                    })
            }
            let classes = serverFaults.sorted { ($1.value, $0.key) < ($0.value, $1.key) }.map {
                NamedCount(name: $0.key, count: $0.value)
            }
            let sentence = Sentence.serverFailures(
                server: server.server, role: server.role, failures: failures, commands: commands, proxied: isProxied,
                rate: rate, classes: classes,
                topError: top.map {
                    ErrorMention(code: $0.code, errorClass: $0.errorClass, count: $0.count, message: $0.message)
                },
                peers: isHighRate ? nil : Share(failed: peerFailures, total: peerCommands))
            let severity: Report.Finding.Severity =
                Double(failures) >= 0.2 * Double(max(commands, 1)) ? .critical : .warning
            findings.append(
                .init(
                    severity: severity, kind: "failures", server: server.server, sentence: sentence, role: server.role)
            )
        }
        // The slow windows of each server, in time order, found in one pass.
        var timelines: [ServerKey: [Report.TimelineBucket]] = [:]
        for bucket in timeline {
            timelines[ServerKey.named(bucket.server, role: bucket.role), default: []].append(bucket)
        }
        // Servers with a latency finding already, in either role.
        var slowServers = Set<String>()
        for role in [Role.frontEnd, .backEnd] {
            let peers = servers.filter { $0.role == role && $0.commands >= 20 }
            guard peers.count >= 2 else { continue }
            // The median of the others, read from the role's values sorted once around the server's own.
            let p90s = peers.map(\.latencyMs.p90).sorted()
            let means = peers.map(\.latencyMs.mean).sorted()
            let middle = (peers.count - 1) / 2
            func othersMedian<T: Comparable>(_ sorted: [T], _ own: T) -> T {
                middle < sorted.countBelow(own) ? sorted[middle] : sorted[middle + 1]
            }
            for server in peers {
                let reference = othersMedian(p90s, server.latencyMs.p90)
                guard server.latencyMs.p90 >= 1000, server.latencyMs.p90 >= 3 * max(reference, 1) else { continue }
                let sentence = Sentence.serverSlow(
                    server: server.server, role: role, p90: Int(server.latencyMs.p90), p99: Int(server.latencyMs.p99),
                    peersP90: Int(reference))
                findings.append(
                    .init(severity: .warning, kind: "latency", server: server.server, sentence: sentence, role: role))
                slowServers.insert(server.server)
            }
            // A slow spell in a long span: windows whose mean latency is far above what the peers do overall.
            for server in peers where !slowServers.contains(server.server) {
                let baseline = othersMedian(means, server.latencyMs.mean)
                let threshold = max(1000, 5 * baseline)
                let slow = (timelines[ServerKey.named(server.server, role: role)] ?? []).filter {
                    $0.requests >= 5 && $0.meanLatencyMs >= threshold
                }
                guard let first = slow.first, let last = slow.last,
                    let worst = slow.max(by: { $0.meanLatencyMs < $1.meanLatencyMs })
                else { continue }
                let sentence = Sentence.serverSlowSpell(
                    server: server.server, role: role, from: first.time, to: last.time, windows: slow.count,
                    bucketMinutes: bucketMinutes, worstMean: Int(worst.meanLatencyMs), peersMean: Int(baseline))
                findings.append(
                    .init(severity: .warning, kind: "latency", server: server.server, sentence: sentence, role: role))
                slowServers.insert(server.server)
            }
        }
        let authentication = errors.filter { $0.errorClass == .authentication }
        let wrongPasswords = authentication.reduce(0) { $0 + $1.count }
        if wrongPasswords > 0 {
            let users = summary.users.filter { $0.value.credentialFailures > 0 }
                .sorted { ($1.value.credentialFailures, $0.key) < ($0.value.credentialFailures, $1.key) }
            // Many users' refusals from one address: a password spray, or a device with a stale password.
            let refused = summary.clients.filter { $0.value.credentialFailures > 0 }
            let total = refused.values.reduce(0) { $0 + $1.credentialFailures }
            var spray: NamedCount?
            if users.count >= Self.sprayUsers,
                let (address, tally) = refused.max(by: {
                    ($0.value.credentialFailures, $1.key) < ($1.value.credentialFailures, $0.key)
                }),
                tally.credentialFailures * 10 >= total * 8
            {
                spray = NamedCount(name: address, count: tally.credentialFailures)
            }
            let sentence = Sentence.wrongPasswords(
                refused: wrongPasswords, codes: authentication.map(\.code).uniqued(),
                users: users.prefix(3).map { NamedCount(name: $0.key, count: $0.value.credentialFailures) },
                userCount: users.count, spray: spray)
            findings.append(.init(severity: .info, kind: "authentication", server: nil, sentence: sentence))
        }
        let monitoring = errors.filter { $0.errorClass == .monitoringAccount }
        let monitoringRefusals = monitoring.reduce(0) { $0 + $1.count }
        if monitoringRefusals > 0 {
            let sentence = Sentence.monitoringAccountFinding(
                refused: monitoringRefusals, codes: monitoring.map(\.code).uniqued())
            findings.append(.init(severity: .warning, kind: "monitoringAccount", server: nil, sentence: sentence))
        }
        let probeFailures = summary.probes.sessions.filter { $0.value.failedSessions > 0 }
        if !probeFailures.isEmpty {
            // ImapCTPProbe logs on through a front end, which hands the session to a back end: one probe, two
            // sessions. Counted where it starts, the front end, unless only back ends' logs were read.
            let hasFrontEndCTP = summary.probes.sessions.keys.contains {
                $0.kind == .customerTouchPoint && $0.server.role == .frontEnd
            }
            var byKind: [ProbeKind: (Int, Int)] = [:]
            for (key, tally) in summary.probes.sessions
            where !(key.kind == .customerTouchPoint && hasFrontEndCTP && key.server.role != .frontEnd) {
                let current = byKind[key.kind] ?? (0, 0)
                byKind[key.kind] = (current.0 + tally.failedSessions, current.1 + tally.sessions)
            }
            let parts = byKind.sorted { $0.key < $1.key }.filter { $0.value.0 > 0 }
                .map { NamedShare(name: $0.key.rawValue, share: Share(failed: $0.value.0, total: $0.value.1)) }
            findings.append(.init(severity: .warning, kind: "probes", server: nil, sentence: .probesFailed(parts)))
        }
        if findings.isEmpty {
            let commands = servers.reduce(0) { $0 + $1.commands }
            let failures = servers.reduce(0) { $0 + $1.failures }
            let top = errors.first { !notServerFaults.contains($0.errorClass.rawValue) }
            let sentence = Sentence.overview(
                commands: commands, serverEntries: servers.count,
                failureRate: Double(failures) / Double(max(commands, 1)),
                topError: top.map {
                    ErrorMention(code: $0.code, errorClass: $0.errorClass, count: $0.count, message: $0.message)
                }, firstAt: top?.example)
            findings.append(.init(severity: .info, kind: "overview", server: nil, sentence: sentence))
        }
        // The same order in every language: a multi-role server's back-end finding before its front end's.
        return findings.sorted {
            ($0.severity, $0.kind, $0.server ?? "", Self.rank($0.role)) < (
                $1.severity, $1.kind, $1.server ?? "", Self.rank($1.role)
            )
        }
    }

    private static func rank(_ role: Role?) -> Int {
        switch role {
        case .backEnd: return 0
        case .frontEnd: return 1
        case .unknown: return 2
        case nil: return 3
        }
    }
}
