/// ImapProxyTestMonitor (IMAP.Proxy) and ImapSelfTestMonitor (IMAP.Protocol): their probes run every 60 s on the
/// server itself and the monitor fires after 4 consecutive failures (240 s).
enum ProbeHeartbeatRule {
    /// When a server's logs simply end, its peers' traffic must rise this much after to say its clients moved.
    static let loadShiftRatio = 1.25
    /// The half hours compared, before and after it stopped.
    static let loadShiftMinutes: Int64 = 30
    /// Peers' requests in the half hour before, below which the comparison says nothing.
    static let minimumRequestsToCompare = 60
}

/// Applies each monitor's rule to the logs as Exchange would see them, and names the servers to blame.
///
/// Every rule reads the mergeable `Summary`, so a diagnosis of merged summaries equals that of one run.
struct Diagnoser {
    let summary: Summary
    let names: NameTable
    let servers: [Report.Server]
    let words: Words
    let stitcher: Stitcher
    /// What the alert said, when one was given: a server it names is corroborated, a cleared alert clears.
    var alert: Alert?

    /// Minutes the other logs may skip inside a stretch they cover (a quiet minute between two probes).
    static let probeGapTolerance: Int64 = 5

    /// Minutes without a row, in live use, after which the logs are said to have stopped: ImapProxyTestProbe and
    /// ImapSelfTestProbe write a session every minute on every server, so ten silent minutes are no lull.
    static let staleAfterMinutes: Int64 = 10

    /// Runs the rules of `request.monitors` (all of them when none is named).
    func diagnose(_ request: DiagnosisRequest) -> (results: [MonitorResult], verdict: Verdict) {
        let w = words
        if let missing = nothingAnalysed() {
            return ([], Verdict(summary: missing + " " + coverage(), suspects: [], isUndetermined: true))
        }
        let asked = request.monitors.isEmpty ? Monitor.allCases : request.monitors
        let results = asked.map(run).map { result in
            var sorted = result
            sorted.suspects = sorted.suspects.map(recovered)
            sorted.suspects.sort { ($1.confidence, $0.server) < ($0.confidence, $1.server) }
            return sorted
        }
        let considered = request.monitors.isEmpty ? results.filter(\.fired) : results
        let suspects = considered.flatMap(\.suspects).sorted {
            ($1.confidence, $0.server, $0.monitor) < ($0.confidence, $1.server, $1.monitor)
        }
        // Monitors whose data the logs do not hold: never reported as clear.
        let blind = results.filter { $0.cause == MonitorResult.Cause.noData }
        // An alert whose time the logs do not cover: what they show is of another time.
        if let time = alert?.time, alert?.windowFrom == nil, considered.allSatisfy({ !$0.fired }) {
            let at = Format.shortTime(Timestamp.format(time, withMilliseconds: false))
            return (
                results,
                Verdict(
                    summary: w(
                        "I cannot tell: the logs do not cover the alert's time (\(at) UTC), and nothing in them shows a monitor's condition. Collect the logs of that time (protocol logging on), or check --tz.",
                        "Impossible de conclure : les journaux ne couvrent pas l'heure de l'alerte (\(at) UTC), et rien n'y montre la condition d'un moniteur. Collectez les journaux de ce moment (journalisation active), ou vérifiez --tz."
                    ) + " " + coverage(), suspects: [], isUndetermined: true)
            )
        }
        var summary: String
        var isUndetermined = false
        if let top = suspects.first {
            summary =
                w("Most likely responsible: ", "Responsable le plus probable : ") + "\(top.server) ("
                + w.role(top.role) + "), " + w("confidence ", "confiance ") + w.decimal(top.confidence) + ". "
                + top.rule
                + (top.hasRecovered
                    ? w(
                        " It has recovered since: nothing to restart now.",
                        " Il s'est rétabli depuis : rien à redémarrer maintenant.") : "")
        } else if !request.monitors.isEmpty && blind.count == results.count {
            isUndetermined = true
            summary =
                w("I cannot tell: ", "Impossible de conclure : ") + blind.map(\.summary).joined(separator: " ") + " "
                + coverage()
        } else if request.monitors.isEmpty && considered.isEmpty {
            let checked = results.filter { $0.cause != MonitorResult.Cause.noData }.map(\.name)
            summary = w(
                "No monitor's condition shows in these logs: no server to blame.",
                "Aucune condition de moniteur n'apparaît dans ces journaux : aucun serveur à mettre en cause.")
            if !blind.isEmpty {
                summary =
                    w(
                        "No condition shows for \(checked.joined(separator: ", ")). Not checked, for want of data: ",
                        "Aucune condition n'apparaît pour \(checked.joined(separator: ", ")). Non vérifiés, faute de données : "
                    ) + blind.map(\.summary).joined(separator: " ")
            }
        } else if considered.count > 1 {
            // Each monitor's own sentence follows the verdict.
            summary = w(
                "No server stands out; what each monitor's rule found:",
                "Aucun serveur ne se distingue ; ce que la règle de chaque moniteur a trouvé :")
        } else {
            summary = considered.map(\.summary).joined(separator: " ")
        }
        let stale = staleness(now: request.now)
        if let stale {
            // Silence is no all-clear: said first when nobody is named.
            summary =
                suspects.isEmpty
                ? stale.text + " " + w("Up to then: ", "Jusque-là : ") + summary : summary + " " + stale.text
        }
        return (
            results,
            Verdict(
                summary: summary, suspects: Array(suspects.prefix(10)), isUndetermined: isUndetermined,
                staleMinutes: stale?.minutes)
        )
    }

    /// A suspect whose fault is over: the alert shows every IMAP monitor Healthy again, or its own traffic since
    /// the fault's window, at least `Recovery.minutes` before the logs end, runs without failures or crawling.
    private func recovered(_ suspect: Suspect) -> Suspect {
        var s = suspect
        let w = words
        if alert?.isAllHealthy == true && !s.hasRecovered {
            s.hasRecovered = true
            s.confidence = rounded(s.confidence * CustomerTouchPointRule.recoveredScale)
            s.evidence.append(
                w(
                    "The alert shows every IMAP monitor Healthy again: the problem has cleared.",
                    "L'alerte montre tous les moniteurs IMAP de nouveau sains : le problème a disparu."))
            return s
        }
        guard !s.hasRecovered, let to = s.window.flatMap({ Timestamp.parse($0.to) }).map({ $0 / 60_000 }),
            let last = summary.files.compactMap(\.last).max().map({ $0 / 60_000 }), last - to >= Recovery.minutes
        else { return s }
        let server = names.canonical(s.server.lowercased())
        var since = TimelineTally()
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
            w(
                "It has recovered: since \(clock(to)), \(last - to) minutes before the logs end, its \(w.count(since.requests)) requests ran without the fault (\(w.count(since.failures)) failed).",
                "Il s'est rétabli : depuis \(clock(to)), \(last - to) minutes avant la fin des journaux, ses \(w.count(since.requests)) requêtes se sont déroulées sans la panne (\(w.count(since.failures)) en échec)."
            ))
        return s
    }

    /// When a fault counts as over.
    enum Recovery {
        /// Minutes between the fault's end and the logs' end (the longest monitor window, ImapCTPMonitor's 1,200 s).
        static let minutes: Int64 = 20
        /// Minutes of the server's own traffic since, at the least.
        static let quietMinutes = 5
        /// The share of its requests that may fail since.
        static let failureShare = 0.05
        /// The mean command time it must stay under (the slow-commands monitor's 60 s).
        static let slowMs = 60_000.0
    }

    /// Why nothing could be analysed, or nil when some records were.
    private func nothingAnalysed() -> String? {
        let w = words
        // POP3 logs are reported apart: their records answer nothing about IMAP.
        let records = summary.files.lazy.filter { !FileSummary.isPOP3(path: $0.path) }.reduce(0) { $0 + $1.records }
        guard records - summary.filteredOut <= 0 else { return nil }
        if records == 0 && summary.records > 0 {
            return w(
                "I cannot tell: only POP3 logs were read (\(w.count(summary.records)) records, reported below); the IMAP monitors need IMAP4*.LOG or IMAP4BE*.LOG.",
                "Impossible de conclure : seuls des journaux POP3 ont été lus (\(w.count(summary.records)) enregistrements, décrits plus bas) ; les moniteurs IMAP demandent IMAP4*.LOG ou IMAP4BE*.LOG."
            )
        }
        if records == 0 {
            return w(
                "I cannot tell: no log record was read (\(w.count(summary.lines)) lines, \(w.count(summary.files.reduce(0) { $0 + $1.skipped })) skipped). Are these Exchange IMAP4 protocol logs, and was protocol logging on?",
                "Impossible de conclure : aucun enregistrement lu (\(w.count(summary.lines)) lignes, \(w.count(summary.files.reduce(0) { $0 + $1.skipped })) ignorées). S'agit-il de journaux de protocole IMAP4 d'Exchange, et la journalisation était-elle active ?"
            )
        }
        return w(
            "I cannot tell: the filters (--since, --until, --server, --user, --command, or the alert's time window) left none of the \(w.count(records)) records.",
            "Impossible de conclure : les filtres (--since, --until, --server, --user, --command, ou la période de l'alerte) n'ont laissé aucun des \(w.count(records)) enregistrements."
        )
    }

    /// What the logs cover: their time span and servers.
    private func coverage() -> String {
        let w = words
        let firsts = summary.files.compactMap(\.first)
        let lasts = summary.files.compactMap(\.last)
        let servers = Set(summary.files.compactMap(\.server)).sorted()
        guard let first = firsts.min(), let last = lasts.max() else {
            return w("The logs hold no timed row.", "Les journaux ne contiennent aucune ligne datée.")
        }
        let span =
            "\(Format.shortTime(Timestamp.format(first, withMilliseconds: false))) – \(Format.shortTime(Timestamp.format(last, withMilliseconds: false))) UTC"
        let listed = servers.prefix(8).joined(separator: ", ") + (servers.count > 8 ? ", …" : "")
        return w("The logs cover \(span)", "Les journaux couvrent \(span)")
            + (servers.isEmpty ? "." : w(", servers \(listed).", ", serveurs \(listed)."))
    }

    /// In live use, logs that stopped while the clock goes on.
    private func staleness(now: Int64?) -> (text: String, minutes: Int)? {
        guard let now, let last = summary.files.compactMap(\.last).max() else { return nil }
        let minutes = (now - last) / 60_000
        guard minutes >= Self.staleAfterMinutes else { return nil }
        let w = words
        let at = Format.shortTime(Timestamp.format(last, withMilliseconds: false))
        let text = w(
            "The newest row is \(w.count(Int(minutes))) minutes old (\(at) UTC): the IMAP4 service may have stopped writing (hung), or protocol logging was turned off.",
            "La ligne la plus récente date de \(w.count(Int(minutes))) minutes (\(at) UTC) : le service IMAP4 a peut-être cessé d'écrire (bloqué), ou la journalisation du protocole a été désactivée."
        )
        return (text, Int(minutes))
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
    func monitoringAccountRefusals(role: Role) -> String? {
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
    func ownLogEvidence(_ backend: String) -> String? {
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
    func linkedEvidence(_ backend: String) -> String? {
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
                suspects: [], cause: MonitorResult.Cause.noData)
        }
        // The last minute any server logged (only its maximum is needed: no set of every minute).
        let lastActiveMinute = summary.timeline.values.compactMap(\.lastMinute).max()
        var suspects: [Suspect] = []
        var uncertain: [String] = []
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
                        coveredMinutes[index] - end <= Self.probeGapTolerance
                    {
                        end = coveredMinutes[index]
                        index += 1
                    }
                    if end - a > 4 { gaps.append((a + 1, end + 1)) }
                }
            }
            // A gap at the very end, with the server's own logs ending too, may also be logs copied earlier than
            // the others: less sure, the longer the others go on the surer.
            let ownLast = ownTables.values.compactMap(\.lastMinute).max() ?? 0
            let isTailOnly = gaps.count == 1 && gaps[0].1 == lastLogged + 1 && ownLast < gaps[0].0
            let longestGap = gaps.map { $0.1 - $0.0 }.max() ?? 0
            guard longestGap > 0 || longestRun >= 4 else { continue }
            let display = names.display(server)
            var confidence = 0.9
            var evidence: [String] = []
            var window: Suspect.Window?
            if isTailOnly && longestRun < 4 {
                // Its logs simply end: a hung service, or logs copied earlier. Only what else shows tells which: the
                // alert naming it, or its clients moving to its peers (a load balancer's doing, when it hangs).
                let named = alert?.servers.contains { ServerNames.sameServer($0.lowercased(), server) } ?? false
                let shift = loadShift(from: server, role: role, at: ownLast + 1, until: lastLogged)
                let moved = shift.map { $0 >= ProbeHeartbeatRule.loadShiftRatio } ?? false
                guard named || moved else {
                    uncertain.append(
                        w(
                            "\(display)'s own logs end at \(clock(ownLast + 1)) while the others go on until \(clock(lastLogged + 1)), but nothing else says it hung (its peers' traffic did not rise, and no alert names it): its logs were probably copied earlier. Collect them again to tell.",
                            "Les journaux de \(display) s'arrêtent à \(clock(ownLast + 1)) alors que les autres continuent jusqu'à \(clock(lastLogged + 1)), mais rien d'autre n'indique un blocage (le trafic de ses pairs n'a pas augmenté, aucune alerte ne le nomme) : ses journaux ont sans doute été copiés plus tôt. Collectez-les de nouveau pour trancher."
                        ))
                    continue
                }
                confidence = named ? 0.9 : 0.8
                evidence.append(
                    w(
                        "Its own logs end at \(clock(ownLast + 1)) while the others go on until \(clock(lastLogged + 1))",
                        "Ses propres journaux s'arrêtent à \(clock(ownLast + 1)) alors que les autres continuent jusqu'à \(clock(lastLogged + 1))"
                    )
                        + (moved
                            ? w(
                                ", and its peers' traffic rose \(w.decimal(shift ?? 1))-fold then: its clients moved to them, as a load balancer does when a server stops answering",
                                ", et le trafic de ses pairs a été multiplié par \(w.decimal(shift ?? 1)) : ses clients sont passés chez eux, comme le fait un équilibreur de charge quand un serveur ne répond plus"
                            ) : "")
                        + (named ? w("; the alert names it.", " ; l'alerte le nomme.") : "."))
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
        var summaryText =
            suspects.isEmpty
            ? (uncertain.isEmpty
                ? w(
                    "\(name): \(kind.rawValue) ran every minute on \(byServer.keys.sorted().map(names.display).joined(separator: ", ")) without four failures in a row or a gap.",
                    "\(name) : \(kind.rawValue) a tourné chaque minute sur \(byServer.keys.sorted().map(names.display).joined(separator: ", ")) sans quatre échecs d'affilée ni interruption."
                ) : w("\(name): ", "\(name) : ") + uncertain.joined(separator: " "))
            : w(
                "\(name): \(kind.rawValue) stops or fails on ", "\(name) : \(kind.rawValue) s'interrompt ou échoue sur "
            )
                + suspects.map(\.server).sorted().joined(separator: ", ") + "."
        if !suspects.isEmpty && !uncertain.isEmpty { summaryText += " " + uncertain.joined(separator: " ") }
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
            return MonitorResult(
                name: name, fired: false,
                summary: w(
                    "\(name): no command durations in these logs.",
                    "\(name) : aucune durée de commande dans ces journaux."),
                suspects: [], cause: MonitorResult.Cause.noData)
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
    ///
    /// A back end's never counts deployment errors: a front end's ProxyNotAuthenticated names the back end it tried,
    /// but is the front end's certificate.
    func topError(servers wanted: [String], classes: Set<ErrorClass>? = nil, role: Role? = nil) -> String? {
        let candidates = summary.errors.filter { key, tally in
            key.errorClass.pointsAtAServer && !(role == .backEnd && key.errorClass == .deployment)
                && (classes == nil || classes.unsafelyUnwrapped.contains(key.errorClass))
                && tally.servers.contains { wanted.contains(names.canonical($0)) }
        }
        guard let (key, tally) = candidates.max(by: { ($0.value.count, $1.key) < ($1.value.count, $0.key) }) else {
            return nil
        }
        return "\(key.code) (\(words.errorClass(key.errorClass.rawValue))) ×\(words.count(tally.count))"
            + (key.message.isEmpty ? "" : " \"\(key.message)\"")
    }

    func minuteTime(_ minute: Int64) -> String {
        Timestamp.format(minute * 60_000, withMilliseconds: false)
    }

    func clock(_ minute: Int64) -> String {
        Format.shortTime(minuteTime(minute))
    }

    func rounded(_ value: Double) -> Double { (value * 100).rounded() / 100 }

}
