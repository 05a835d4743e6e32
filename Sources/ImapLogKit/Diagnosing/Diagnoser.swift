/// Applies each monitor's rule to the logs as Exchange would see them, and names the servers to blame.
///
/// Every rule reads the mergeable `Summary`, so a diagnosis of merged summaries equals that of one run.
struct Diagnoser {
    let summary: Summary
    let names: NameTable
    let servers: [Report.Server]
    let words: Words
    let stitcher: Stitcher

    /// Runs the rules of `request.monitors` (all of them when none is named).
    func diagnose(_ request: DiagnosisRequest) -> (results: [MonitorResult], verdict: Verdict) {
        let asked = request.monitors.isEmpty ? Monitor.allCases : request.monitors
        let results = asked.map(run).map { result in
            var sorted = result
            sorted.suspects.sort { ($1.confidence, $0.server) < ($0.confidence, $1.server) }
            return sorted
        }
        let w = words
        let considered = request.monitors.isEmpty ? results.filter(\.fired) : results
        let suspects = considered.flatMap(\.suspects).sorted {
            ($1.confidence, $0.server, $0.monitor) < ($0.confidence, $1.server, $1.monitor)
        }
        let summary: String
        if let top = suspects.first {
            summary =
                w("Most likely responsible: ", "Responsable le plus probable : ") + "\(top.server) ("
                + w.role(top.role) + "), " + w("confidence ", "confiance ") + w.decimal(top.confidence) + ". "
                + top.rule
        } else if request.monitors.isEmpty && considered.isEmpty {
            summary = w(
                "No monitor's condition shows in these logs: no server to blame.",
                "Aucune condition de moniteur n'apparaît dans ces journaux : aucun serveur à mettre en cause.")
        } else {
            summary = considered.map(\.summary).joined(separator: " ")
        }
        return (results, Verdict(summary: summary, suspects: Array(suspects.prefix(10))))
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

    // MARK: - ImapCTPMonitor

    /// The ImapCTPMonitor rule: failed logons at the front ends, grouped by the back end they were proxied to.
    ///
    /// The back end where server-side failures concentrate, against the other back ends and its own earlier
    /// baseline, is the suspect. Wrong passwords never count; ProxyNotAuthenticated and routing failures point
    /// at the front end.
    private func customerTouchPoint() -> MonitorResult {
        let w = words
        let name = Monitor.customerTouchPoint.rawValue
        // Merged by canonical name; a name seen once shares the summary's table instead of copying it.
        var perBackend: [String: MinuteTable<LogonTally>] = [:]
        for (name, minutes) in summary.logonsByBackend {
            let backend = name.isEmpty ? "" : names.canonical(name)
            perBackend[backend, default: MinuteTable()].merge(minutes)
        }
        // Minute tables are read in passes, never copied whole: a year of them is half a million minutes.
        var allFaults = 0
        var credentialFailures = 0
        for minutes in perBackend.values {
            for (_, tally) in minutes {
                allFaults += tally.serverFaults
                credentialFailures += tally.credentialFailures
            }
        }
        let probeTotals = probeSessions(kind: .customerTouchPoint, role: .frontEnd)
        var suspects: [Suspect] = []

        for (backend, minutes) in perBackend.sorted(by: { $0.key < $1.key }) where !backend.isEmpty {
            // The first and last minutes with a server-side fault, then the logons in that window and before it.
            var firstFault: Int64?
            var lastFault: Int64?
            var backendFaults = 0
            for (minute, tally) in minutes where tally.serverFaults > 0 {
                if firstFault == nil { firstFault = minute }
                lastFault = minute
                backendFaults += tally.serverFaults
            }
            guard let first = firstFault, let last = lastFault else { continue }
            var inWindow = LogonTally()
            var before = LogonTally()
            for (minute, tally) in minutes where minute <= last {
                if minute < first { before.merge(tally) } else { inWindow.merge(tally) }
            }
            var others = LogonTally()
            for (other, otherMinutes) in perBackend where other != backend && !other.isEmpty {
                for (minute, tally) in otherMinutes where minute >= first && minute <= last { others.merge(tally) }
            }
            let faults = inWindow.serverFaults
            guard faults >= 3 else { continue }
            let rate = Double(faults) / Double(max(inWindow.logons, 1))
            let otherRate = Double(others.serverFaults) / Double(max(others.logons, 1))
            let baseRate = before.logons > 0 ? Double(before.serverFaults) / Double(before.logons) : 0
            let share = Double(backendFaults) / Double(max(allFaults, 1))
            let contrast = max(0, rate - max(otherRate, baseRate)) / max(rate, 0.0001)
            let confidence = share * contrast * min(1, Double(faults) / 10)
            guard confidence >= 0.2 else { continue }
            let display = names.display(backend)
            let window = Suspect.Window(from: minuteTime(first), to: minuteTime(last + 1))
            var evidence = [
                w(
                    "\(w.count(faults)) of \(w.count(inWindow.logons)) logons proxied to \(display) failed on the server side between \(clock(first)) and \(clock(last + 1)) (\(w.percent(rate))), against \(w.percent(otherRate)) on the other back ends then",
                    "\(w.count(faults)) ouvertures de session sur \(w.count(inWindow.logons)) relayées vers \(display) ont échoué côté serveur entre \(clock(first)) et \(clock(last + 1)) (\(w.percent(rate))), contre \(w.percent(otherRate)) sur les autres serveurs de boîtes aux lettres"
                )
                    + (before.logons > 0
                        ? w(
                            " and \(w.percent(baseRate)) on \(display) before.",
                            " et \(w.percent(baseRate)) sur \(display) auparavant.")
                        : ".")
            ]
            if let probes = probeTotals[backend], probes.sessions > 0 {
                evidence.append(
                    w(
                        "ImapCTPProbe: \(w.count(probes.failedSessions)) of \(w.count(probes.sessions)) probe sessions through \(display) failed.",
                        "ImapCTPProbe : \(w.count(probes.failedSessions)) sessions de sonde sur \(w.count(probes.sessions)) via \(display) en échec."
                    ))
            }
            if let error = topError(servers: [backend]) {
                evidence.append(w("Most frequent error: ", "Erreur la plus fréquente : ") + error)
            }
            if let own = ownLogEvidence(backend) { evidence.append(own) }
            if let linked = linkedEvidence(backend) { evidence.append(linked) }
            let tally = servers.first { names.canonical($0.server.lowercased()) == backend && $0.role == .backEnd }
            let examples = Array(
                ((probeTotals[backend]?.examples ?? []) + (tally?.proxied?.examples ?? [])
                    + (tally?.examples ?? [])).uniqued().prefix(5))
            suspects.append(
                Suspect(
                    server: display, role: .backEnd, confidence: rounded(confidence),
                    rule: w(
                        "Logons proxied to \(display) fail while the other back ends serve theirs.",
                        "Les ouvertures de session relayées vers \(display) échouent alors que les autres serveurs de boîtes aux lettres servent les leurs."
                    ),
                    monitor: name, failures: faults, total: inWindow.logons, rate: rounded(rate),
                    baselineRate: rounded(max(otherRate, baseRate)), window: window, evidence: evidence,
                    examples: examples))
        }

        // The front end itself: it cannot authenticate to the back ends (certificates, configuration) or
        // route to them.
        for server in servers where server.role == .frontEnd {
            let faults =
                (server.failuresByClass[ErrorClass.deployment.rawValue] ?? 0)
                + (server.failuresByClass[ErrorClass.routing.rawValue] ?? 0)
            guard faults >= 3 else { continue }
            let share = Double(faults) / Double(max(allFaults, faults))
            let confidence = share * min(1, Double(faults) / 10)
            guard confidence >= 0.2 else { continue }
            var evidence = [
                w(
                    "\(w.count(faults)) logons failed at \(server.server) before reaching a back end (deployment or routing errors).",
                    "\(w.count(faults)) ouvertures de session ont échoué sur \(server.server) avant d'atteindre un serveur de boîtes aux lettres (erreurs de déploiement ou de routage)."
                )
            ]
            if let error = topError(
                servers: [names.canonical(server.server.lowercased())], classes: [.deployment, .routing])
            {
                evidence.append(w("Most frequent error: ", "Erreur la plus fréquente : ") + error)
            }
            suspects.append(
                Suspect(
                    server: server.server, role: .frontEnd, confidence: rounded(confidence),
                    rule: w(
                        "\(server.server) cannot hand logons to a back end: ProxyNotAuthenticated points at its certificate or authentication settings.",
                        "\(server.server) ne parvient pas à relayer les ouvertures de session : ProxyNotAuthenticated met en cause son certificat ou ses paramètres d'authentification."
                    ),
                    monitor: name, failures: faults, total: server.commands,
                    rate: rounded(Double(faults) / Double(max(server.commands, 1))),
                    baselineRate: nil, window: nil, evidence: evidence, examples: Array(server.examples.prefix(5))))
        }

        let probeFailures = probeTotals.values.reduce(0) { $0 + $1.failedSessions }
        let fired = probeFailures >= 5 || allFaults >= 5
        let summaryText: String
        if !suspects.isEmpty {
            summaryText =
                w("ImapCTPMonitor: the failures point at ", "ImapCTPMonitor : les échecs désignent ")
                + suspects.sorted { $0.confidence > $1.confidence }.map(\.server).joined(separator: ", ") + "."
        } else if allFaults == 0, let refusals = monitoringAccountRefusals(role: .frontEnd) {
            summaryText = w("ImapCTPMonitor: ", "ImapCTPMonitor : ") + refusals
        } else if allFaults == 0 && credentialFailures > 0 {
            summaryText = w(
                "ImapCTPMonitor: only users' wrong passwords (\(w.count(credentialFailures)) logons refused for their credentials); no server is at fault.",
                "ImapCTPMonitor : uniquement des mots de passe erronés (\(w.count(credentialFailures)) ouvertures de session refusées pour identifiants invalides) ; aucun serveur n'est en cause."
            )
        } else if allFaults == 0 {
            summaryText = w(
                "ImapCTPMonitor: no failed logon in these logs. Was protocol logging on while the probe failed? Check the time window.",
                "ImapCTPMonitor : aucune ouverture de session en échec dans ces journaux. La journalisation était-elle active pendant l'échec de la sonde ? Vérifiez la période."
            )
        } else {
            summaryText = w(
                "ImapCTPMonitor: \(w.count(allFaults)) server-side logon failures, spread over the back ends: no single mailbox server stands out. Look at the front end and the network.",
                "ImapCTPMonitor : \(w.count(allFaults)) échecs côté serveur, répartis sur les serveurs de boîtes aux lettres : aucun ne se distingue. Examinez le serveur d'accès client et le réseau."
            )
        }
        return MonitorResult(name: name, fired: fired, summary: summaryText, suspects: suspects)
    }

    /// What the monitoring account's refused logons logged by the servers in `role` (their own logs) say, if any.
    private func monitoringAccountRefusals(role: Role) -> String? {
        let refusals = servers.filter { $0.role == role && $0.seenFrom == "ownLogs" }.reduce(0) {
            $0 + ($1.failuresByClass[ErrorClass.monitoringAccount.rawValue] ?? 0)
        }
        guard refusals > 0 else { return nil }
        let w = words
        return w(
            "The monitoring account's own logons were refused (\(w.count(refusals))): the health mailbox account (HealthMailbox…) is broken (its password, a disabled account, Active Directory), not a server; users' wrong passwords never explain this.",
            "Les ouvertures de session du compte de surveillance lui-même ont été refusées (\(w.count(refusals))) : le compte de la boîte aux lettres de contrôle d'intégrité (HealthMailbox…) est en cause (son mot de passe, un compte désactivé, Active Directory), pas un serveur ; le mot de passe erroné d'un utilisateur ne l'explique jamais."
        )
    }

    private struct ProbeTotals {
        var sessions = 0
        var failedSessions = 0
        var examples: [String] = []
    }

    /// Probe sessions of a kind, by the back end they went to (canonical; empty when none was named).
    private func probeSessions(kind: ProbeKind, role: Role) -> [String: ProbeTotals] {
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
    private func ownLogEvidence(_ backend: String) -> String? {
        guard
            let own = servers.first(where: {
                names.canonical($0.server.lowercased()) == backend && $0.role == .backEnd && $0.seenFrom == "ownLogs"
            }),
            own.failures > 0
        else { return nil }
        let store = own.failuresByClass[ErrorClass.store.rawValue] ?? 0
        let w = words
        return w(
            "Its own log agrees: \(w.count(own.failures)) failures, \(w.count(store)) of them store errors",
            "Son propre journal le confirme : \(w.count(own.failures)) échecs, dont \(w.count(store)) erreurs de banque d'informations"
        )
            + (own.examples.first.map { w(" (first at \($0)).", " (premier en \($0)).") } ?? ".")
    }

    /// What the back end's own log says about the front-end failures proxied to it, logon by logon.
    private func linkedEvidence(_ backend: String) -> String? {
        let linked = Array(
            stitcher.pairs.filter { $0.frontEnd.failed && names.canonical($0.frontEnd.backend) == backend })
        guard !linked.isEmpty else { return nil }
        let failedThere = linked.filter(\.backEnd.failed)
        var codes: [String: Int] = [:]
        for pair in failedThere {
            codes[pair.backEnd.errorCode.isEmpty ? "NO" : pair.backEnd.errorCode, default: 0] += 1
        }
        let listed = codes.sorted { ($1.value, $0.key) < ($0.value, $1.key) }.prefix(3)
            .map { "\($0.key) ×\(words.count($0.value))" }.joined(separator: ", ")
        let w = words
        let display = names.display(backend)
        var text = w(
            "Linked logon by logon: \(w.count(failedThere.count)) of the \(w.count(linked.count)) failed logons found in \(display)'s own log failed there too",
            "Rapprochées une à une : \(w.count(failedThere.count)) des \(w.count(linked.count)) ouvertures de session en échec retrouvées dans le journal de \(display) y ont aussi échoué"
        )
        if !listed.isEmpty { text += " (\(listed))" }
        if let first = failedThere.first {
            text += w(", first at \(first.backEnd.example)", ", première en \(first.backEnd.example)")
        }
        text += "."
        // Past the bound on logon events, the linking sees a sample of users: say so with the counts.
        if let level = summary.logonSampling, level > 0, level < 63 {
            let one = w.count(1 << level)
            text += w(
                " (Logons of one user in about \(one) were kept for linking.)",
                " (Les ouvertures de session d'environ un utilisateur sur \(one) ont été gardées pour le rapprochement.)"
            )
        }
        return text
    }

    // MARK: - ImapProxyTestMonitor, ImapSelfTestMonitor

    /// The lightweight probes that run every minute from the server itself: sessions that fail, crawl, or stop
    /// appearing for more than four intervals while the rest of the logs go on.
    private func probeHeartbeat(_ kind: ProbeKind, monitor: Monitor, role: Role) -> MonitorResult {
        let w = words
        let name = monitor.rawValue
        var byServer: [String: MinuteTable<ProbeMinuteTally>] = [:]
        for (key, minutes) in summary.probes.minutes where key.kind == kind && key.server.role == role {
            byServer[names.canonical(key.server.name), default: MinuteTable()].merge(minutes)
        }
        guard !byServer.isEmpty else {
            let logs =
                role == .frontEnd
                ? w("front-end (IMAP4*.LOG)", "d'accès client (IMAP4*.LOG)")
                : w("back-end (IMAP4BE*.LOG)", "de boîtes aux lettres (IMAP4BE*.LOG)")
            return MonitorResult(
                name: name, fired: false,
                summary: w(
                    "\(name): no \(kind.rawValue) sessions in these logs; it needs the \(logs) logs of the server in the alert.",
                    "\(name) : aucune session \(kind.rawValue) dans ces journaux ; il faut les journaux \(logs) du serveur de l'alerte."
                ),
                suspects: [])
        }
        // The last minute any server logged (only its maximum is needed: no set of every minute).
        let lastActiveMinute = summary.timeline.values.compactMap(\.lastMinute).max()
        var suspects: [Suspect] = []
        for (server, minutes) in byServer.sorted(by: { $0.key < $1.key }) {
            // One pass over the minutes (a year of them is half a million): the gaps between them, the runs of
            // failing or crawling minutes (four in a row fire the monitor), the totals.
            var candidates: [(Int64, Int64)] = []
            var previous: Int64?
            var failingRun = 0
            var longestRun = 0
            var runEnd: Int64 = 0
            var failed = 0
            var total = 0
            for (minute, t) in minutes {
                if let previous, minute - previous > 4 { candidates.append((previous, minute)) }
                previous = minute
                if t.failedSessions > 0 || t.longestMs >= 10_000 {
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
            if let previous, lastLogged + 1 - previous > 4 { candidates.append((previous, lastLogged + 1)) }
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
                    let covered = coveredMinutes.countBelow(b) - coveredMinutes.countBelow(a + 1)
                    if covered * 2 >= b - a - 1 { gaps.append((a + 1, b)) }
                }
            }
            // A gap at the very end, with the server's own logs ending too, may also be logs copied earlier than
            // the others: less sure, the longer the others go on the surer.
            let ownLast = ownTables.values.compactMap(\.lastMinute).max() ?? 0
            let isTailOnly = gaps.count == 1 && gaps[0].1 == lastLogged + 1 && ownLast < gaps[0].0
            let longestGap = gaps.map { $0.1 - $0.0 }.max() ?? 0
            guard longestGap > 0 || longestRun >= 4 else { continue }
            let display = names.display(server)
            let confidence = longestRun >= 4 || !isTailOnly ? 0.9 : rounded(0.5 + min(0.4, Double(longestGap - 4) / 50))
            var evidence: [String] = []
            var window: Suspect.Window?
            if isTailOnly {
                evidence.append(
                    w(
                        "Its own logs end at \(clock(ownLast + 1)) while the others go on until \(clock(lastLogged + 1)): a hung IMAP4 service, or its logs were copied earlier.",
                        "Ses propres journaux s'arrêtent à \(clock(ownLast + 1)) alors que les autres continuent jusqu'à \(clock(lastLogged + 1)) : service IMAP4 bloqué, ou journaux copiés plus tôt."
                    ))
            }
            if let gap = gaps.max(by: { ($0.1 - $0.0) < ($1.1 - $1.0) }) {
                evidence.append(
                    w(
                        "No \(kind.rawValue) session on \(display) from \(clock(gap.0)) to \(clock(gap.1)) (\(gap.1 - gap.0) minutes; the probe runs every minute) while other logs go on.",
                        "Aucune session \(kind.rawValue) sur \(display) de \(clock(gap.0)) à \(clock(gap.1)) (\(gap.1 - gap.0) minutes ; la sonde tourne chaque minute) alors que les autres journaux continuent."
                    ))
                window = Suspect.Window(from: minuteTime(gap.0), to: minuteTime(gap.1))
            }
            if longestRun >= 4 {
                evidence.append(
                    w(
                        "\(longestRun) minutes in a row of failing or slow (≥ 10 s) \(kind.rawValue) sessions, up to \(clock(runEnd + 1)).",
                        "\(longestRun) minutes d'affilée de sessions \(kind.rawValue) en échec ou lentes (≥ 10 s), jusqu'à \(clock(runEnd + 1))."
                    ))
                if window == nil {
                    window = Suspect.Window(
                        from: minuteTime(runEnd - Int64(longestRun) + 1), to: minuteTime(runEnd + 1))
                }
            }
            evidence.append(
                w(
                    "\(w.count(failed)) of \(w.count(total)) \(kind.rawValue) sessions failed.",
                    "\(w.count(failed)) sessions \(kind.rawValue) sur \(w.count(total)) en échec."))
            let examples = summary.probes.sessions.filter {
                $0.key.kind == kind && names.canonical($0.key.server.name) == server
            }
            .sorted(by: { $0.key < $1.key }).flatMap(\.value.examples)
            let rule =
                role == .frontEnd
                ? w(
                    "The IMAP4 service on \(display) stops answering its own proxy probe.",
                    "Le service IMAP4 de \(display) ne répond plus à sa propre sonde de proxy.")
                : w(
                    "The IMAP4 back-end service on \(display) stops answering its own self-test.",
                    "Le service IMAP4 principal de \(display) ne répond plus à son propre autotest.")
            suspects.append(
                Suspect(
                    server: display, role: role, confidence: confidence, rule: rule,
                    monitor: name, failures: failed + Int(longestGap), total: total + Int(longestGap),
                    rate: rounded(Double(failed + Int(longestGap)) / Double(max(total + Int(longestGap), 1))),
                    baselineRate: nil, window: window, evidence: evidence, examples: Array(examples.prefix(5))))
        }
        let summaryText =
            suspects.isEmpty
            ? w(
                "\(name): \(kind.rawValue) ran every minute on \(byServer.keys.sorted().map(names.display).joined(separator: ", ")) without four failures in a row or a gap.",
                "\(name) : \(kind.rawValue) a tourné chaque minute sur \(byServer.keys.sorted().map(names.display).joined(separator: ", ")) sans quatre échecs d'affilée ni interruption."
            )
            : w(
                "\(name): \(kind.rawValue) stops or fails on ", "\(name) : \(kind.rawValue) s'interrompt ou échoue sur "
            )
                + suspects.map(\.server).sorted().joined(separator: ", ") + "."
        return MonitorResult(name: name, fired: !suspects.isEmpty, summary: summaryText, suspects: suspects)
    }

    // MARK: - ImapDeepTestMonitor

    /// Back-end logons by ImapDeepTestProbe, and the store errors in each mailbox server's own log.
    private func deepTest() -> MonitorResult {
        let w = words
        let name = Monitor.deepTest.rawValue
        let probes = Dictionary(
            grouping: summary.probes.sessions.filter { $0.key.kind == .deepTest && $0.key.server.role == .backEnd }
        ) {
            names.canonical($0.key.server.name)
        }
        guard !probes.isEmpty else {
            return MonitorResult(
                name: name, fired: false,
                summary: w(
                    "\(name): no ImapDeepTestProbe sessions in these logs; it needs the mailbox servers' IMAP4BE*.LOG.",
                    "\(name) : aucune session ImapDeepTestProbe dans ces journaux ; il faut les journaux IMAP4BE*.LOG des serveurs de boîtes aux lettres."
                ),
                suspects: [])
        }
        let allFailed = probes.values.reduce(0) { $0 + $1.reduce(0) { $0 + $1.value.failedSessions } }
        var suspects: [Suspect] = []
        for (server, unsorted) in probes.sorted(by: { $0.key < $1.key }) {
            let entries = unsorted.sorted { $0.key < $1.key }
            let failed = entries.reduce(0) { $0 + $1.value.failedSessions }
            let total = entries.reduce(0) { $0 + $1.value.sessions }
            guard failed >= 3 else { continue }
            let otherFailed = allFailed - failed
            let otherTotal = probes.filter { $0.key != server }.values.reduce(0) {
                $0 + $1.reduce(0) { $0 + $1.value.sessions }
            }
            let rate = Double(failed) / Double(max(total, 1))
            let otherRate = Double(otherFailed) / Double(max(otherTotal, 1))
            let confidence =
                Double(failed) / Double(max(allFailed, 1)) * max(0, rate - otherRate) / max(rate, 0.0001)
                * min(1, Double(failed) / 5)
            guard confidence >= 0.2 else { continue }
            let display = names.display(server)
            var evidence = [
                w(
                    "ImapDeepTestProbe: \(w.count(failed)) of \(w.count(total)) sessions on \(display) failed (\(w.percent(rate))), against \(w.percent(otherRate)) on the other mailbox servers.",
                    "ImapDeepTestProbe : \(w.count(failed)) sessions sur \(w.count(total)) en échec sur \(display) (\(w.percent(rate))), contre \(w.percent(otherRate)) sur les autres serveurs de boîtes aux lettres."
                )
            ]
            if let own = ownLogEvidence(server) { evidence.append(own) }
            if let error = topError(servers: [server]) {
                evidence.append(w("Most frequent error: ", "Erreur la plus fréquente : ") + error)
            }
            let first = entries.compactMap(\.value.first).min()
            let last = entries.compactMap(\.value.last).max()
            suspects.append(
                Suspect(
                    server: display, role: .backEnd, confidence: rounded(confidence),
                    rule: w(
                        "\(display) fails its own deep test: the mailbox databases it serves cannot be opened over IMAP.",
                        "\(display) échoue à son propre test approfondi : les bases de boîtes aux lettres qu'il héberge ne s'ouvrent pas en IMAP."
                    ),
                    monitor: name, failures: failed, total: total, rate: rounded(rate),
                    baselineRate: rounded(otherRate),
                    window: first.flatMap { f in
                        last.map { Suspect.Window(from: Timestamp.format(f), to: Timestamp.format($0)) }
                    },
                    evidence: evidence, examples: Array(entries.flatMap(\.value.examples).prefix(5))))
        }
        var summaryText =
            suspects.isEmpty
            ? w(
                "\(name): ImapDeepTestProbe failed \(w.count(allFailed)) times, not concentrated on one mailbox server.",
                "\(name) : ImapDeepTestProbe a échoué \(w.count(allFailed)) fois, sans se concentrer sur un serveur de boîtes aux lettres."
            )
            : w("\(name): the deep test fails on ", "\(name) : le test approfondi échoue sur ")
                + suspects.map(\.server).sorted().joined(separator: ", ") + "."
        // A broken health mailbox fails the deep test on every mailbox server: the account, not a server.
        if suspects.isEmpty, let refusals = monitoringAccountRefusals(role: .backEnd) { summaryText += " " + refusals }
        return MonitorResult(name: name, fired: allFailed >= 5, summary: summaryText, suspects: suspects)
    }

    // MARK: - AverageCommandProcessingTimeGt60sMonitor

    /// Rebuilds the counter from the logs: each server's mean command time in 5-minute samples (IDLE left out);
    /// the monitor fires where two samples in a row exceed 60,000 ms.
    private func averageCommandProcessingTime() -> MonitorResult {
        let w = words
        let name = Monitor.averageCommandProcessingTime.rawValue
        // Per server, its tables (several spellings of one server are one server).
        var tables: [ServerKey: [MinuteTable<TimelineTally>]] = [:]
        for (key, minutes) in summary.timeline {
            tables[ServerKey(name: names.canonical(key.name), role: key.role), default: []].append(minutes)
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
                guard mean > 60_000 else { return }
                if var run = current, start - run.to == 5 {
                    run.to = start
                    run.length += 1
                    run.worst = max(run.worst, mean)
                    run.commands += count
                    current = run
                } else {
                    current = (start, start, 1, mean, count)
                }
                if let run = current, run.length >= 2, run.length > longest?.length ?? 0 { longest = run }
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
                    rule: w(
                        "Commands on \(display) took more than 60 s on average for \(longest.length * 5) minutes: the counter the monitor watches.",
                        "Les commandes sur \(display) ont pris plus de 60 s en moyenne pendant \(longest.length * 5) minutes : le compteur surveillé par le moniteur."
                    ),
                    monitor: name, failures: longest.length, total: sampleCount,
                    rate: rounded(Double(longest.length) / Double(max(sampleCount, 1))),
                    baselineRate: nil, window: Suspect.Window(from: minuteTime(from), to: minuteTime(to + 5)),
                    evidence: [
                        w(
                            "\(longest.length) 5-minute samples in a row above 60,000 ms from \(clock(from)) to \(clock(to + 5)); worst \(w.count(Int(worst))) ms over \(w.count(commands)) commands.",
                            "\(longest.length) échantillons de 5 minutes d'affilée au-dessus de 60 000 ms de \(clock(from)) à \(clock(to + 5)) ; pire \(w.count(Int(worst))) ms sur \(w.count(commands)) commandes."
                        )
                    ],
                    examples: []))
        }
        let summaryText: String
        if !suspects.isEmpty {
            summaryText =
                w("\(name): fires on ", "\(name) : se déclenche sur ")
                + suspects.map(\.server).sorted().joined(separator: ", ") + "."
        } else if let (server, sample, mean) = highest {
            summaryText = w(
                "\(name): no server averages over 60 s for two samples in a row; the highest 5-minute mean is \(w.count(Int(mean))) ms on \(names.display(server.name)) at \(clock(sample)).",
                "\(name) : aucun serveur ne dépasse 60 s de moyenne sur deux échantillons consécutifs ; la moyenne sur 5 minutes la plus haute est \(w.count(Int(mean))) ms sur \(names.display(server.name)) à \(clock(sample))."
            )
        } else {
            summaryText = w(
                "\(name): no command durations in these logs.", "\(name) : aucune durée de commande dans ces journaux.")
        }
        return MonitorResult(name: name, fired: !suspects.isEmpty, summary: summaryText, suspects: suspects)
    }

    // MARK: - RequestsQueuedGt500Monitor

    /// Not an IMAP monitor: say so, and report the peak of IMAP commands in flight per server instead.
    private func requestsQueued() -> MonitorResult {
        let w = words
        let name = Monitor.requestsQueued.rawValue
        var peaks: [ServerKey: InFlightPeak] = [:]
        for (key, peak) in summary.peakInFlight {
            peaks[ServerKey(name: names.canonical(key.name), role: key.role), default: InFlightPeak()].merge(peak)
        }
        let listed = peaks.sorted { ($1.value.peak, $0.key) < ($0.value.peak, $1.key) }.prefix(5).map {
            "\(names.display($0.key.name)) \(w.count($0.value.peak)) (\(clock($0.value.at / 60_000)))"
        }
        let summaryText = w(
            "\(name) watches ActiveSync's task queue (MSExchange Throttling\\Task queue length), not IMAP: the IMAP page copied it from the ActiveSync one. In these IMAP logs the most commands in flight at once were: \(listed.joined(separator: ", ")).",
            "\(name) surveille la file de tâches d'ActiveSync (MSExchange Throttling\\Task queue length), pas IMAP : la page IMAP l'a copié de celle d'ActiveSync. Dans ces journaux IMAP, le plus de commandes simultanées : \(listed.joined(separator: ", "))."
        )
        return MonitorResult(name: name, fired: false, summary: summaryText, suspects: [])
    }

    // MARK: - Helpers

    /// The commonest server-side error on these servers, as "Code (class) ×count".
    private func topError(servers wanted: [String], classes: Set<ErrorClass>? = nil) -> String? {
        let candidates = summary.errors.filter { key, tally in
            key.errorClass.pointsAtAServer
                && (classes == nil || classes.unsafelyUnwrapped.contains(key.errorClass))
                && tally.servers.contains { wanted.contains(names.canonical($0)) }
        }
        guard let (key, tally) = candidates.max(by: { ($0.value.count, $1.key) < ($1.value.count, $0.key) }) else {
            return nil
        }
        return "\(key.code) (\(words.errorClass(key.errorClass.rawValue))) ×\(words.count(tally.count))"
            + (key.message.isEmpty ? "" : " \"\(key.message)\"")
    }

    private func minuteTime(_ minute: Int64) -> String {
        Timestamp.format(minute * 60_000, withMilliseconds: false)
    }

    private func clock(_ minute: Int64) -> String {
        Format.shortTime(minuteTime(minute))
    }

    private func rounded(_ value: Double) -> Double { (value * 100).rounded() / 100 }

}
