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
        let w = words
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
            let comparison =
                otherTotal > 0
                ? w(
                    ", against \(w.percent(otherRate)) on the other mailbox servers.",
                    ", contre \(w.percent(otherRate)) sur les autres serveurs de boîtes aux lettres.")
                : w(
                    " (no other mailbox server's deep tests were read to compare).",
                    " (aucun test approfondi d'un autre serveur de boîtes aux lettres à comparer).")
            var evidence = [
                w(
                    "ImapDeepTestProbe: \(w.count(failed)) of \(w.count(total)) sessions on \(display) failed (\(w.percent(rate)))",
                    "ImapDeepTestProbe : \(w.count(failed)) sessions sur \(w.count(total)) en échec sur \(display) (\(w.percent(rate)))"
                ) + comparison
            ]
            if let own = ownLogEvidence(server) { evidence.append(own) }
            if let error = topError(servers: [server], role: .backEnd) {
                evidence.append(w("Most frequent error: ", "Erreur la plus fréquente : ") + error)
            }
            suspects.append(
                Suspect(
                    server: display, role: .backEnd, confidence: rounded(confidence),
                    rule: w(
                        "\(display) fails its own deep test: the mailbox databases it serves cannot be opened over IMAP.",
                        "\(display) échoue à son propre test approfondi : les bases de boîtes aux lettres qu'il héberge ne s'ouvrent pas en IMAP."
                    ),
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
        var summaryText =
            suspects.isEmpty
            ? (failingServers.count == 1
                ? w(
                    "\(name): ImapDeepTestProbe failed \(w.count(allFailed)) time(s), all on \(names.display(failingServers[0])): fewer than the \(Rule.consecutiveFailures) in a row that fire the monitor.",
                    "\(name) : ImapDeepTestProbe a échoué \(w.count(allFailed)) fois, toutes sur \(names.display(failingServers[0])) : moins que les \(Rule.consecutiveFailures) d'affilée qui déclenchent le moniteur."
                )
                : w(
                    "\(name): ImapDeepTestProbe failed \(w.count(allFailed)) times, not concentrated on one mailbox server.",
                    "\(name) : ImapDeepTestProbe a échoué \(w.count(allFailed)) fois, sans se concentrer sur un serveur de boîtes aux lettres."
                ))
            : w("\(name): the deep test fails on ", "\(name) : le test approfondi échoue sur ")
                + suspects.map(\.server).sorted().joined(separator: ", ") + "."
        // A broken health mailbox fails the deep test on every mailbox server: the account, not a server.
        var cause: String?
        if suspects.isEmpty, let refusals = monitoringAccountRefusals(role: .backEnd) {
            summaryText += " " + refusals
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
        let w = words
        let name = Monitor.deepTest.rawValue
        let own = servers.filter { $0.role == .backEnd && $0.seenFrom == "ownLogs" }
        guard !own.isEmpty else {
            return MonitorResult(
                name: name, fired: false,
                summary: w(
                    "\(name): no mailbox server's own log (IMAP4BE*.LOG) in these logs, so neither its deep tests nor its users' store errors can be read.",
                    "\(name) : aucun journal de serveur de boîtes aux lettres (IMAP4BE*.LOG) dans ces journaux : ni ses tests approfondis ni les erreurs de banque d'informations de ses utilisateurs ne peuvent être lus."
                ),
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
            var evidence = [
                (probesFailed.map {
                    w(
                        "ImapDeepTestProbe failed \(w.count($0)) time(s) only: judged on the users' commands too. ",
                        "ImapDeepTestProbe n'a échoué que \(w.count($0)) fois : jugé aussi sur les commandes des utilisateurs. "
                    )
                }
                    ?? w(
                        "No ImapDeepTestProbe session in these logs: judged on the users' commands. ",
                        "Aucune session ImapDeepTestProbe dans ces journaux : jugé sur les commandes des utilisateurs. "
                    ))
                    + w(
                        "\(w.count(errors)) of \(w.count(server.commands)) commands in \(server.server)'s own log failed with store errors (\(w.percent(rate))), against \(w.percent(otherRate)) on the other mailbox servers.",
                        "\(w.count(errors)) commandes sur \(w.count(server.commands)) du journal de \(server.server) ont échoué sur des erreurs de banque d'informations (\(w.percent(rate))), contre \(w.percent(otherRate)) sur les autres serveurs de boîtes aux lettres."
                    )
            ]
            if let error = topError(servers: [names.canonical(server.server.lowercased())], classes: [.store]) {
                evidence.append(w("Most frequent error: ", "Erreur la plus fréquente : ") + error)
            }
            suspects.append(
                Suspect(
                    server: server.server, role: .backEnd, confidence: rounded(confidence),
                    rule: w(
                        "Users' commands on \(server.server) fail with store errors: what its deep test would meet.",
                        "Les commandes des utilisateurs sur \(server.server) échouent sur des erreurs de banque d'informations : ce que son test approfondi rencontrerait."
                    ),
                    monitor: name, failures: errors, total: server.commands, rate: rounded(rate),
                    baselineRate: others.isEmpty ? nil : rounded(otherRate), window: failureWindow(server),
                    evidence: evidence,
                    examples: Array(server.examples.prefix(5))))
        }
        return MonitorResult(
            name: name, fired: !suspects.isEmpty,
            summary: suspects.isEmpty
                ? w(
                    "\(name): no ImapDeepTestProbe session in these logs, and no mailbox server's users meet store errors.",
                    "\(name) : aucune session ImapDeepTestProbe dans ces journaux, et les utilisateurs d'aucun serveur de boîtes aux lettres ne rencontrent d'erreurs de banque d'informations."
                )
                : (probesFailed == nil
                    ? w(
                        "\(name): no deep-test session in these logs; the users' store errors point at ",
                        "\(name) : aucune session de test approfondi dans ces journaux ; les erreurs de banque d'informations des utilisateurs désignent "
                    )
                    : w(
                        "\(name): too few deep tests failed to say; the users' store errors point at ",
                        "\(name) : trop peu de tests approfondis en échec pour conclure ; les erreurs de banque d'informations des utilisateurs désignent "
                    )) + suspects.map(\.server).sorted().joined(separator: ", ") + ".",
            suspects: suspects)
    }
}
