import ImapLogKit

/// ImapDeepTestMonitor (health set IMAP.Protocol): ImapDeepTestProbe logs on to each active database of a mailbox
/// server over 127.0.0.1:1993; the monitor fires after 5 consecutive failures within 900 s.
///
/// The rule reads each mailbox server's own deep-test sessions against the other mailbox servers'. With no probe
/// session in the logs, it falls back to the users' store errors in the mailbox servers' own logs, says so, and is
/// less sure.
enum DeepTestRule {
    /// Consecutive probe failures that fire the monitor (Exchange's definition).
    static let consecutiveFailures = 5
    /// Failed probe sessions below which no server is named.
    static let minimumFailures = 3
    /// A suspect below this confidence is not named.
    static let minimumConfidence = 0.2
    /// Users' store errors a mailbox server needs, with no probe in the logs, to be named.
    static let minimumStoreErrors = 5
    /// The share of its commands that must fail with store errors.
    static let minimumStoreRate = 0.05
    /// The highest confidence a verdict judged on users' traffic alone reaches.
    static let usersOnlyConfidence = 0.6
}

extension Diagnoser {
    /// The ImapDeepTestMonitor rule.
    func deepTest() -> MonitorResult {
        typealias Rule = DeepTestRule
        let name = Monitor.deepTest.rawValue
        let probes = Dictionary(
            grouping: summary.probes.sessions.filter { $0.key.kind == .deepTest && $0.key.server.role == .backEnd }
        ) {
            names.canonical($0.key.server.name)
        }
        guard !probes.isEmpty else { return deepTestFromUsers(probesFailed: nil) }
        let allFailed = probes.values.reduce(0) { $0 + $1.reduce(0) { $0 + $1.value.failedSessions } }
        // The minutes with a failed deep test, per server: the window is the failures', not the probes' span.
        var failingMinutes: [String: (first: Int64, last: Int64)] = [:]
        for (key, minutes) in summary.probes.minutes where key.kind == .deepTest && key.server.role == .backEnd {
            let server = names.canonical(key.server.name)
            for (minute, tally) in minutes where tally.failedSessions > 0 {
                let known = failingMinutes[server]
                failingMinutes[server] = (min(known?.first ?? minute, minute), max(known?.last ?? minute, minute))
            }
        }
        var suspects: [Suspect] = []
        for (server, unsorted) in probes.sorted(by: { $0.key < $1.key }) {
            let entries = unsorted.sorted { $0.key < $1.key }
            let failed = entries.reduce(0) { $0 + $1.value.failedSessions }
            let total = entries.reduce(0) { $0 + $1.value.sessions }
            guard failed >= Rule.minimumFailures else { continue }
            let otherFailed = allFailed - failed
            let otherTotal = probes.filter { $0.key != server }.values.reduce(0) {
                $0 + $1.reduce(0) { $0 + $1.value.sessions }
            }
            let rate = Double(failed) / Double(max(total, 1))
            let otherRate = Double(otherFailed) / Double(max(otherTotal, 1))
            let confidence =
                Double(failed) / Double(max(allFailed, 1)) * max(0, rate - otherRate) / max(rate, 0.0001)
                * min(1, Double(failed) / Double(Rule.consecutiveFailures))
            guard confidence >= Rule.minimumConfidence else { continue }
            let display = names.display(server)
            var evidence: [Sentence] = [
                .deepTestProbeFailures(
                    failed: failed, total: total, server: display, rate: rate,
                    otherRate: otherTotal > 0 ? otherRate : nil)
            ]
            if let own = ownLogEvidence(server) { evidence.append(own) }
            if let error = topError(servers: [server], role: .backEnd) {
                evidence.append(.mostFrequentError(error))
            }
            suspects.append(
                Suspect(
                    server: display, role: .backEnd, confidence: rounded(confidence),
                    rule: .deepTestFailsOwn(server: display),
                    monitor: name, failures: failed, total: total, rate: rounded(rate),
                    baselineRate: otherTotal > 0 ? rounded(otherRate) : nil,
                    window: failingMinutes[server].map {
                        Suspect.Window(from: minuteTime($0.first), to: minuteTime($0.last + 1))
                    },
                    evidence: evidence, examples: Array(entries.flatMap(\.value.examples).prefix(5))))
        }
        if suspects.isEmpty && monitoringAccountRefusals(role: .backEnd) == nil {
            // Too few probe failures to say: the users' store errors may.
            let users = deepTestFromUsers(probesFailed: allFailed)
            if !users.suspects.isEmpty { return users }
        }
        let failingServers = probes.filter { $0.value.contains { $0.value.failedSessions > 0 } }.keys.sorted()
        var summaryText: [Sentence] =
            suspects.isEmpty
            ? (failingServers.count == 1
                ? [
                    .deepTestTooFewFailures(
                        failed: allFailed, server: names.display(failingServers[0]), needed: Rule.consecutiveFailures)
                ]
                : [.deepTestFailuresSpread(failed: allFailed)])
            : [.deepTestFailsOn(servers: suspects.map(\.server).sorted())]
        // A broken health mailbox fails the deep test on every mailbox server: the account, not a server.
        var cause: String?
        if suspects.isEmpty, let refusals = monitoringAccountRefusals(role: .backEnd) {
            summaryText.append(refusals)
            cause = MonitorResult.Cause.monitoringAccount
        }
        return MonitorResult(
            name: name, fired: allFailed >= Rule.consecutiveFailures, summary: summaryText, suspects: suspects,
            cause: cause)
    }

    /// The longest episode of failures in a server's own timeline, when it has one.
    private func failureWindow(_ server: ServerFigures) -> Suspect.Window? {
        let canonical = names.canonical(server.server.lowercased())
        var minutes: [Int64] = []
        for (key, table) in summary.timeline where key.role == server.role && names.canonical(key.name) == canonical {
            for (minute, tally) in table where tally.failures > 0 { minutes.append(minute) }
        }
        guard let longest = Self.episodes(minutes).max(by: { ($0.1 - $0.0) < ($1.1 - $1.0) }) else { return nil }
        return Suspect.Window(from: minuteTime(longest.0), to: minuteTime(longest.1 + 1))
    }

    /// With no deep-test session, or too few failing: the users' store errors in the mailbox servers' own logs.
    ///
    /// - Parameter probesFailed: the deep-test sessions that failed, nil when there was none at all.
    private func deepTestFromUsers(probesFailed: Int?) -> MonitorResult {
        typealias Rule = DeepTestRule
        let name = Monitor.deepTest.rawValue
        let own = servers.filter { $0.role == .backEnd && $0.seenFrom == "ownLogs" }
        guard !own.isEmpty else {
            return MonitorResult(
                name: name, fired: false,
                summary: [.deepTestNoOwnLog],
                suspects: [], cause: MonitorResult.Cause.noData)
        }
        func storeErrors(_ server: ServerFigures) -> Int { server.failuresByClass[ErrorClass.store.rawValue] ?? 0 }
        let allStore = own.reduce(0) { $0 + storeErrors($1) }
        var suspects: [Suspect] = []
        let named = (alert?.servers ?? []) + (alert?.mailboxServers ?? [])
        for server in own {
            let errors = storeErrors(server)
            let rate = Double(errors) / Double(max(server.commands, 1))
            // The server the alert names needs less to be shown at fault: the alert already says it failed.
            let isNamed = named.contains { ServerNames.sameServer($0.lowercased(), server.server.lowercased()) }
            guard
                isNamed
                    ? errors >= Rule.minimumFailures
                    : errors >= Rule.minimumStoreErrors && rate >= Rule.minimumStoreRate
            else { continue }
            let others = own.filter { $0.server != server.server }
            let otherErrors = others.reduce(0) { $0 + storeErrors($1) }
            let otherCommands = others.reduce(0) { $0 + $1.commands }
            let otherRate = Double(otherErrors) / Double(max(otherCommands, 1))
            let contrast = max(0, rate - otherRate) / max(rate, 0.0001)
            let confidence =
                Rule.usersOnlyConfidence * Double(errors) / Double(max(allStore, 1)) * contrast
                * (isNamed ? 1 : min(1, Double(errors) / 10))
            guard confidence >= Rule.minimumConfidence else { continue }
            var evidence: [Sentence] = [
                .deepTestJudgedOnUsers(
                    probesFailed: probesFailed, storeErrors: errors, commands: server.commands, server: server.server,
                    rate: rate, otherRate: otherRate)
            ]
            if let error = topError(servers: [names.canonical(server.server.lowercased())], classes: [.store]) {
                evidence.append(.mostFrequentError(error))
            }
            suspects.append(
                Suspect(
                    server: server.server, role: .backEnd, confidence: rounded(confidence),
                    rule: .usersMeetStoreErrors(server: server.server),
                    monitor: name, failures: errors, total: server.commands, rate: rounded(rate),
                    baselineRate: others.isEmpty ? nil : rounded(otherRate), window: failureWindow(server),
                    evidence: evidence,
                    examples: Array(server.examples.prefix(5))))
        }
        return MonitorResult(
            name: name, fired: !suspects.isEmpty,
            summary: suspects.isEmpty
                ? [.deepTestNoStoreErrors]
                : [.storeErrorsPointAt(servers: suspects.map(\.server).sorted(), hadProbes: probesFailed != nil)],
            suspects: suspects)
    }
}
