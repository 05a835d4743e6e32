import ImapLogDiagnosis
import ImapLogKit

/// What stands out in a report, in plain words: failing back ends, slow servers, wrong passwords, failing probes.
///
/// Deliberately simple rules; the per-monitor diagnosis builds on the same numbers.
enum Findings {
    /// Errors that say nothing against a server: a password (the user's or the monitoring account's), the
    /// client's own mistakes.
    static let notServerFaults = Set(ErrorClass.allCases.filter { !$0.pointsAtAServer }.map(\.rawValue))

    /// The findings made to agree with the verdict, which reads the same logs more closely.
    ///
    /// Every suspect stands first, as sure as the verdict is (CRITICAL from `CheckRenderer.criticalConfidence`,
    /// a recovered fault INFO), and its own failure finding goes (one count for one fault); with no suspect, no
    /// server finding is CRITICAL: no rule singles it out.
    static func reconcile(_ findings: [Report.Finding], with verdict: Verdict, words w: Words) -> [Report.Finding] {
        var suspects: [Report.Finding] = []
        var named = Set<String>()
        for suspect in verdict.suspects where named.insert(suspect.server.lowercased()).inserted {
            let severity: Report.Finding.Severity =
                suspect.hasRecovered
                ? .info : suspect.confidence >= CheckRenderer.criticalConfidence ? .critical : .warning
            var text =
                "\(suspect.server) (\(w.role(suspect.role)))" + w(": ", " : ") + suspect.monitor + w(", ", ", ")
                + w(
                    "\(w.count(suspect.failures)) of \(w.count(suspect.total)) failed",
                    "\(w.count(suspect.failures)) sur \(w.count(suspect.total)) en échec")
            if let window = suspect.window {
                text += w(
                    " from \(Format.shortTime(window.from)) to \(Format.shortTime(window.to)) UTC",
                    " de \(Format.shortTime(window.from)) à \(Format.shortTime(window.to)) UTC")
            }
            text += w("; confidence ", " ; confiance ") + w.decimal(suspect.confidence)
            if suspect.hasRecovered { text += w("; recovered since", " ; rétabli depuis") }
            suspects.append(.init(severity: severity, kind: "suspect", server: suspect.server, text: text))
        }
        let hasBackEndSuspect = verdict.suspects.contains { $0.role == .backEnd && !$0.hasRecovered }
        let rest = findings.compactMap { finding -> Report.Finding? in
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
                capped.text += w(
                    " (mostly the suspect back end's failures, relayed)",
                    " (surtout les échecs du serveur de boîtes aux lettres en cause, relayés)")
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
        summary: Summary, words w: Words = Words(language: .english)
    ) -> [Report.Finding] {
        var findings: [Report.Finding] = []
        // The front ends' view of a back end when they proxied to it, else its own logs.
        func view(_ server: Report.Server) -> (commands: Int, faults: [String: Int], source: String) {
            let (commands, byClass, source) =
                server.proxied.map { ($0.commands, $0.failuresByClass, w("proxied commands", "commandes relayées")) }
                ?? (server.commands, server.failuresByClass, w("commands", "commandes"))
            // A front end's deployment errors (ProxyNotAuthenticated: its certificate) name the back end it tried,
            // but say nothing against it.
            let blamed = byClass.filter {
                !notServerFaults.contains($0.key)
                    && !(server.role == .backEnd && $0.key == ErrorClass.deployment.rawValue)
            }
            return (commands, blamed, source)
        }
        for server in servers {
            let (commands, serverFaults, source) = view(server)
            let failures = serverFaults.values.reduce(0, +)
            guard failures >= 5 else { continue }
            // Either a high rate, or most of its role's server-side failures at several times its peers' rate
            // (a short incident in a long span of logs).
            let peers = servers.filter { $0.role == server.role && $0.server != server.server }.map(view)
            let peerFailures = peers.reduce(0) { $0 + $1.faults.values.reduce(0, +) }
            let peerCommands = peers.reduce(0) { $0 + $1.commands }
            let rate = Double(failures) / Double(max(commands, 1))
            let peerRate = Double(peerFailures) / Double(max(peerCommands, 1))
            let isHighRate = rate >= 0.05
            let isConcentrated = !peers.isEmpty && failures >= 2 * peerFailures && rate >= 3 * peerRate
            guard isHighRate || isConcentrated else { continue }
            let top = errors.filter {
                !notServerFaults.contains($0.errorClass.rawValue)
                    && $0.servers.contains(where: {
                        ServerNames.sameServer($0.lowercased(), server.server.lowercased())
                    })
            }.first
            let classes = serverFaults.sorted { ($1.value, $0.key) < ($0.value, $1.key) }.map {
                "\(w.errorClass($0.key)) \(w.count($0.value))"
            }
            var text =
                "\(server.server) (\(w.role(server.role)))" + w(": ", " : ")
                + w(
                    "\(w.count(failures)) of \(w.count(commands)) \(source) failed",
                    "\(w.count(failures)) \(source) sur \(w.count(commands)) en échec")
            text += " (\(w.percent(rate)))" + w("; ", " ; ") + classes.joined(separator: ", ")
            if let top {
                text +=
                    w("; most often ", " ; le plus souvent ") + top.code
                    + (top.message.isEmpty ? "" : " \"\(top.message)\"")
            }
            if !isHighRate {
                text += w(
                    "; its peers: \(w.count(peerFailures)) of \(w.count(peerCommands))",
                    " ; ses pairs : \(w.count(peerFailures)) sur \(w.count(peerCommands))")
            }
            let severity: Report.Finding.Severity =
                Double(failures) >= 0.2 * Double(max(commands, 1)) ? .critical : .warning
            findings.append(
                .init(severity: severity, kind: "failures", server: server.server, text: text, role: server.role))
        }
        for role in [Role.frontEnd, .backEnd] {
            let peers = servers.filter { $0.role == role && $0.commands >= 20 }
            guard peers.count >= 2 else { continue }
            for server in peers {
                let others = peers.filter { $0.server != server.server }.map(\.latencyMs.p90).sorted()
                let reference = others[others.count / 2]
                guard server.latencyMs.p90 >= 1000, server.latencyMs.p90 >= 3 * max(reference, 1) else { continue }
                let text =
                    w(
                        "\(server.server) (\(w.role(role))) is slow: p90 \(w.count(Int(server.latencyMs.p90))) ms, p99 \(w.count(Int(server.latencyMs.p99))) ms, against p90 \(w.count(Int(reference))) ms on the other \(w.role(role))s",
                        "\(server.server) (\(w.role(role))) est lent : p90 \(w.count(Int(server.latencyMs.p90))) ms, p99 \(w.count(Int(server.latencyMs.p99))) ms, contre p90 \(w.count(Int(reference))) ms sur les autres serveurs (\(w.role(role)))"
                    )
                findings.append(
                    .init(severity: .warning, kind: "latency", server: server.server, text: text, role: role))
            }
            // A slow spell in a long span: windows whose mean latency is far above what the peers do overall.
            for server in peers where !findings.contains(where: { $0.kind == "latency" && $0.server == server.server })
            {
                let others = peers.filter { $0.server != server.server }.map(\.latencyMs.mean).sorted()
                let baseline = others[others.count / 2]
                let threshold = max(1000, 5 * baseline)
                let slow = timeline.filter {
                    $0.server == server.server && $0.role == role && $0.requests >= 5 && $0.meanLatencyMs >= threshold
                }
                guard let first = slow.first, let last = slow.last,
                    let worst = slow.max(by: { $0.meanLatencyMs < $1.meanLatencyMs })
                else { continue }
                let text =
                    w(
                        "\(server.server) (\(w.role(role))) was slow from \(Format.shortTime(first.time)) to \(Format.shortTime(last.time)) UTC (\(slow.count) of its \(bucketMinutes)-minute windows): mean \(w.count(Int(worst.meanLatencyMs))) ms a command at worst, against \(w.count(Int(baseline))) ms on the other \(w.role(role))s",
                        "\(server.server) (\(w.role(role))) a été lent de \(Format.shortTime(first.time)) à \(Format.shortTime(last.time)) UTC (\(slow.count) de ses fenêtres de \(bucketMinutes) minutes) : jusqu'à \(w.count(Int(worst.meanLatencyMs))) ms en moyenne par commande, contre \(w.count(Int(baseline))) ms sur les autres serveurs (\(w.role(role)))"
                    )
                findings.append(
                    .init(severity: .warning, kind: "latency", server: server.server, text: text, role: role))
            }
        }
        let authentication = errors.filter { $0.errorClass == .authentication }
        let wrongPasswords = authentication.reduce(0) { $0 + $1.count }
        if wrongPasswords > 0 {
            let users = summary.users.filter { $0.value.credentialFailures > 0 }
                .sorted { ($1.value.credentialFailures, $0.key) < ($0.value.credentialFailures, $1.key) }
            let named = users.prefix(3).map { "\($0.key) (\($0.value.credentialFailures))" }.joined(separator: ", ")
            var text =
                w(
                    "\(w.count(wrongPasswords)) logons refused for the user's credentials",
                    "\(w.count(wrongPasswords)) ouvertures de session refusées pour identifiants invalides")
                + " (\(authentication.map(\.code).uniqued().joined(separator: ", ")))"
            if !users.isEmpty {
                text += w(
                    " from \(w.count(users.count)) user\(users.count == 1 ? "" : "s"): \(named)",
                    ", \(w.count(users.count)) utilisateur\(users.count == 1 ? "" : "s") : \(named)")
            }
            // Many users' refusals from one address: a password spray, or a device with a stale password.
            let refused = summary.clients.filter { $0.value.credentialFailures > 0 }
            let total = refused.values.reduce(0) { $0 + $1.credentialFailures }
            if users.count >= Self.sprayUsers,
                let (address, tally) = refused.max(by: {
                    ($0.value.credentialFailures, $1.key) < ($1.value.credentialFailures, $0.key)
                }),
                tally.credentialFailures * 10 >= total * 8
            {
                text += w(
                    "; \(w.count(tally.credentialFailures)) of them from one address, \(address): a password spray (or one device with a stale password)",
                    " ; \(w.count(tally.credentialFailures)) d'entre elles d'une seule adresse, \(address) : une pulvérisation de mots de passe (ou un appareil au mot de passe périmé)"
                )
            }
            text += w(
                ". Wrong passwords or disabled accounts: not a server fault.",
                ". Mots de passe erronés ou comptes désactivés : aucun serveur n'est en cause.")
            findings.append(.init(severity: .info, kind: "authentication", server: nil, text: text))
        }
        let monitoring = errors.filter { $0.errorClass == .monitoringAccount }
        let monitoringRefusals = monitoring.reduce(0) { $0 + $1.count }
        if monitoringRefusals > 0 {
            let codes = " (\(monitoring.map(\.code).uniqued().joined(separator: ", ")))"
            let text = w(
                "\(w.count(monitoringRefusals)) logons of Exchange's monitoring account (HealthMailbox…) refused\(codes). The health mailbox account itself is broken (its password, a disabled account, Active Directory): no user's wrong password and no mailbox server explains this.",
                "\(w.count(monitoringRefusals)) ouvertures de session du compte de surveillance d'Exchange (HealthMailbox…) refusées\(codes). Le compte de la boîte aux lettres de contrôle d'intégrité est lui-même en cause (son mot de passe, un compte désactivé, Active Directory) : ni le mot de passe erroné d'un utilisateur ni un serveur de boîtes aux lettres ne l'expliquent."
            )
            findings.append(.init(severity: .warning, kind: "monitoringAccount", server: nil, text: text))
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
                .map {
                    w(
                        "\($0.key.rawValue) \(w.count($0.value.0)) of \(w.count($0.value.1)) sessions",
                        "\($0.key.rawValue) \(w.count($0.value.0)) sessions sur \(w.count($0.value.1))")
                }
            findings.append(
                .init(
                    severity: .warning, kind: "probes", server: nil,
                    text: w("Exchange's own probes failed: ", "Des sondes d'Exchange ont échoué : ")
                        + parts.joined(separator: ", ") + "."))
        }
        if findings.isEmpty {
            let commands = servers.reduce(0) { $0 + $1.commands }
            let failures = servers.reduce(0) { $0 + $1.failures }
            var text =
                w(
                    "No server stands out: \(w.count(commands)) commands on \(servers.count) server entries, \(w.percent(Double(failures) / Double(max(commands, 1)))) failed.",
                    "Aucun serveur ne se distingue : \(w.count(commands)) commandes sur \(servers.count) entrées de serveur, \(w.percent(Double(failures) / Double(max(commands, 1)))) en échec."
                )
            if let top = errors.first(where: { !notServerFaults.contains($0.errorClass.rawValue) }) {
                text +=
                    w(" Most frequent server-side error: ", " Erreur côté serveur la plus fréquente : ")
                    + "\(top.code) (\(w.errorClass(top.errorClass.rawValue))) ×\(w.count(top.count))"
                    + (top.example.map { w(", first at \($0)", ", première en \($0)") } ?? "") + "."
            }
            findings.append(.init(severity: .info, kind: "overview", server: nil, text: text))
        }
        return findings.sorted {
            ($0.severity, $0.kind, $0.server ?? "", $0.text) < ($1.severity, $1.kind, $1.server ?? "", $1.text)
        }
    }
}
