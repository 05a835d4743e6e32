import ImapLogKit

/// Applies each monitor's rule to the logs as Exchange would see them, and names the servers to blame.
///
/// Every rule reads the mergeable `Summary`, so a diagnosis of merged summaries equals that of one run.
package struct Diagnoser {
    let summary: Summary
    let names: NameTable
    let servers: [ServerFigures]
    let words: Words
    let stitcher: Stitcher
    /// What the alert said, when one was given: a server it names is corroborated, a cleared alert clears.
    var alert: Alert?

    package init(
        summary: Summary, names: NameTable, servers: [ServerFigures], words: Words, stitcher: Stitcher, alert: Alert?
    ) {
        self.summary = summary
        self.names = names
        self.servers = servers
        self.words = words
        self.stitcher = stitcher
        self.alert = alert
    }

    /// Failed commands outside the alert's window from which the verdict mentions them.
    static let hiddenFailuresWorthSaying = 5

    /// Minutes without a row, in live use, after which the logs are said to have stopped: ImapProxyTestProbe and
    /// ImapSelfTestProbe write a session every minute on every server, so ten silent minutes are no lull.
    static let staleAfterMinutes: Int64 = 10

    /// Runs the rules of `request.monitors` (all of them when none is named).
    package func diagnose(_ request: DiagnosisRequest) -> (results: [MonitorResult], verdict: Verdict) {
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
        // The alert's window leaves failures out: say so, or a fault still going on after it goes unseen.
        if let from = alert?.windowFrom, let to = alert?.windowTo, let hidden = self.summary.filteredOutFailures,
            hidden >= Self.hiddenFailuresWorthSaying
        {
            summary +=
                " "
                + w(
                    "Outside the alert's window (\(Format.shortTime(from)) – \(Format.shortTime(to)) UTC) the logs hold \(w.count(hidden)) more failed commands: run again with --since and --until around them to see what they say.",
                    "Hors de la période de l'alerte (\(Format.shortTime(from)) – \(Format.shortTime(to)) UTC), les journaux contiennent \(w.count(hidden)) autres commandes en échec : relancez avec --since et --until autour d'elles pour voir ce qu'elles disent."
                )
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
