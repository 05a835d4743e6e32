import ImapLogDiagnosis
import ImapLogKit

/// Renders a report for people: the answer first (what stands out), then evidence tables.
public struct TextRenderer: Sendable {
    /// Columns to fit.
    public var width = 100
    /// ANSI colour (the caller decides: a terminal, and no `NO_COLOR`).
    public var usesColor = false
    /// Rows of the commands, errors and files tables.
    public var top = 10

    /// The wording of the report being rendered.
    private var words = Words(language: .english)

    public init() {}

    public func render(_ report: Report) -> String {
        var renderer = self
        renderer.words = Words(language: report.language)
        return renderer.renderBody(report)
    }

    private func renderBody(_ report: Report) -> String {
        let w = words
        var out: [String] = []
        let input = report.input
        var head =
            "imaplog \(report.tool.version): "
            + w(
                "\(w.count(input.fileCount)) file\(input.fileCount == 1 ? "" : "s"), \(w.count(input.lines)) lines = \(w.count(input.records)) records + \(w.count(input.headerLines)) header + \(w.count(input.skipped)) skipped",
                "\(w.count(input.fileCount)) fichier\(input.fileCount == 1 ? "" : "s"), \(w.count(input.lines)) lignes = \(w.count(input.records)) enregistrements + \(w.count(input.headerLines)) en-tête + \(w.count(input.skipped)) ignorées"
            )
        if input.filteredOut > 0 {
            head +=
                " ("
                + w(
                    "\(w.count(input.filteredOut)) records filtered out",
                    "\(w.count(input.filteredOut)) enregistrements écartés par les filtres") + ")"
        }
        out.append(bold(head))
        if let first = input.first, let last = input.last {
            out.append(
                w(
                    "from \(Format.shortTime(first)) to \(Format.shortTime(last)) UTC",
                    "du \(Format.shortTime(first)) au \(Format.shortTime(last)) UTC"))
        }
        out.append("")
        if let alert = report.alert {
            out += fromTheAlert(alert, servers: report.servers.map(\.server) + report.input.files.compactMap(\.server))
            out.append("")
        }
        out += diagnosis(report)

        out.append(bold(w("WHAT STANDS OUT", "CE QUI RESSORT")))
        for finding in report.findings {
            let label: String
            switch finding.severity {
            case .critical: label = color("CRIT", 31)
            case .warning: label = color(w("WARN", "ATTN"), 33)
            case .info: label = color("INFO", 36)
            }
            out += wrap(Sanitize.terminal(finding.text), first: "  \(label) ", rest: "       ")
        }
        out.append("")

        if !report.servers.isEmpty {
            out.append(bold(w("SERVERS", "SERVEURS")))
            out += wrap(
                w(
                    "A back end whose own logs were not read is described as the front ends saw it (seen from front ends).",
                    "Un serveur de boîtes aux lettres dont les journaux n'ont pas été lus est décrit tel que les serveurs d'accès client l'ont vu (vu des accès client)."
                ),
                first: "  ", rest: "  ")
            var table = TextTable(
                [
                    (w("server", "serveur"), .left), (w("role", "rôle"), .left), (w("seen from", "vu de"), .left),
                    ("sessions", .right), (w("commands", "commandes"), .right), (w("failed", "échecs"), .right),
                    (w("rate", "taux"), .right), ("p50 ms", .right), ("p90 ms", .right), ("p99 ms", .right),
                    ("max ms", .right),
                ], optional: [2, 3, 7, 10])
            for s in report.servers {
                table.add([
                    s.server, w.role(s.role),
                    s.seenFrom == "ownLogs" ? w("own logs", "ses journaux") : w("front ends", "accès client"),
                    w.count(s.sessions), w.count(s.commands), w.count(s.failures), w.percent(s.failureRate),
                    w.millis(s.latencyMs.p50), w.millis(s.latencyMs.p90),
                    w.millis(s.latencyMs.p99), w.millis(s.latencyMs.max),
                ])
            }
            out += table.render(width: width)
            let proxied = report.servers.filter { $0.proxied != nil && $0.seenFrom == "ownLogs" }
            if !proxied.isEmpty {
                out.append("")
                out.append(
                    w(
                        "  As back ends, seen from the front ends that proxied to them:",
                        "  Comme serveurs de boîtes aux lettres, vus des serveurs d'accès client qui leur ont relayé des sessions :"
                    ))
                var p = TextTable([
                    (w("server", "serveur"), .left), ("sessions", .right), (w("commands", "commandes"), .right),
                    (w("failed", "échecs"), .right), (w("rate", "taux"), .right),
                    ("p90 ms", .right),
                ])
                for s in proxied {
                    guard let x = s.proxied else { continue }
                    p.add([
                        s.server, w.count(x.sessions), w.count(x.commands), w.count(x.failures),
                        w.percent(x.failureRate), w.millis(x.latencyMs.p90),
                    ])
                }
                out += p.render(width: width)
            }
            out.append("")
        }

        if !report.commands.isEmpty {
            out.append(
                bold(w("COMMANDS", "COMMANDES"))
                    + w("  (latency leaves out IDLE and proxy rows)", "  (la latence exclut IDLE et les lignes proxy)"))
            var table = TextTable(
                [
                    (w("command", "commande"), .left), (w("count", "nombre"), .right), (w("failed", "échecs"), .right),
                    ("p50 ms", .right), ("p90 ms", .right), ("p99 ms", .right), ("max ms", .right),
                    (w("mean ms", "moy. ms"), .right),
                ], optional: [6, 7])
            for c in report.commands.prefix(max(top, 15)) {
                let l = c.latencyMs
                let figures =
                    l.samples == 0
                    ? ["-", "-", "-", "-", "-"]
                    : [
                        w.millis(l.p50), w.millis(l.p90), w.millis(l.p99), w.millis(l.max),
                        w.number(l.mean),
                    ]
                table.add([c.command, Format.count(c.count), Format.count(c.failures)] + figures)
            }
            out += table.render(width: width)
            if report.commands.count > max(top, 15) {
                out.append("  … \(report.commands.count - max(top, 15))" + w(" more", " de plus"))
            }
            out.append("")
        }

        if !report.errors.isEmpty {
            out.append(bold(w("ERRORS", "ERREURS")))
            var table = TextTable(
                [
                    (w("class", "classe"), .left), ("code", .left), (w("count", "nombre"), .right),
                    (w("servers", "serveurs"), .left),
                    (w("first seen at", "vue d'abord en"), .left), ("message", .left),
                ], optional: [4])
            for e in report.errors.prefix(top) {
                table.add([
                    w.errorClass(e.errorClass.rawValue), e.code, w.count(e.count), e.servers.joined(separator: " "),
                    e.example ?? "", e.message,
                ])
            }
            out += table.render(width: width)
            if report.errors.count > top {
                out.append(
                    "  … \(report.errors.count - top)"
                        + w(" more (--top N, or --format json)", " de plus (--top N, ou --format json)"))
            }
            out.append("")
        }

        for (isUsers, parties) in [(true, report.users), (false, report.clients)]
        where !parties.isEmpty {
            out.append(
                bold(
                    isUsers
                        ? w("TOP USERS", "PRINCIPAUX UTILISATEURS")
                        : w("TOP CLIENT ADDRESSES", "PRINCIPALES ADRESSES CLIENTES")))
            var table = TextTable(
                [
                    (isUsers ? w("user", "utilisateur") : w("address", "adresse"), .left),
                    (w("commands", "commandes"), .right), (w("failed", "échecs"), .right),
                    (w("failed logons", "connexions échouées"), .right),
                    (w("refused credentials", "identifiants refusés"), .right), ("sessions", .right),
                ], optional: [5])
            for p in parties {
                table.add([
                    p.name, w.count(p.commands), w.count(p.failures), w.count(p.failedLogons),
                    w.count(p.credentialFailures), w.count(p.sessions),
                ])
            }
            out += table.render(width: width)
            out.append("")
        }

        let s = report.sessions
        if s.total > 0 {
            out.append(bold("SESSIONS"))
            let sentence = w(
                "\(w.count(s.total)) sessions: \(w.count(s.loggedOnProxied)) logged on and proxied, \(w.count(s.loggedOn)) logged on, \(w.count(s.failedLogon)) failed to log on, \(w.count(s.neverAuthenticated)) never authenticated; \(w.count(s.openAtEnd)) still open when the logs end",
                "\(w.count(s.total)) sessions : \(w.count(s.loggedOnProxied)) authentifiées et relayées, \(w.count(s.loggedOn)) authentifiées, \(w.count(s.failedLogon)) en échec d'authentification, \(w.count(s.neverAuthenticated)) jamais authentifiées ; \(w.count(s.openAtEnd)) encore ouvertes à la fin des journaux"
            )
            out += wrap(sentence, first: "  ", rest: "  ")
            out.append("")
        }

        out.append(
            bold(w("EXCHANGE'S OWN PROBES", "SONDES D'EXCHANGE"))
                + w("  (counted apart, never thrown away)", "  (comptées à part, jamais écartées)"))
        if report.probes.sessions.isEmpty {
            out.append(w("  none seen", "  aucune"))
        } else {
            var table = TextTable(
                [
                    (w("probe", "sonde"), .left), (w("server", "serveur"), .left), (w("role", "rôle"), .left),
                    ("sessions", .right), (w("failed", "échecs"), .right), (w("first", "première"), .left),
                    (w("last", "dernière"), .left),
                ], optional: [5, 6])
            for p in report.probes.sessions {
                table.add([
                    p.probe, p.server, w.role(p.role), w.count(p.sessions), w.count(p.failedSessions),
                    Format.shortTime(p.first), Format.shortTime(p.last),
                ])
            }
            out += table.render(width: width)
        }
        out.append("")

        if !report.timeline.isEmpty {
            out += timeline(report)
            out.append("")
        }

        if let pop3 = report.pop3 { out += pop3Section(pop3) }

        out.append(bold(w("INPUT", "ENTRÉE")))
        var files = TextTable(
            [
                (w("file", "fichier"), .left), (w("role", "rôle"), .left), (w("server", "serveur"), .left),
                (w("lines", "lignes"), .right), (w("records", "enreg."), .right), (w("skipped", "ignorées"), .right),
            ], optional: [1])
        for f in report.input.fileSummaries.prefix(top) {
            files.add([
                f.path, w.role(f.role), f.server ?? "-", w.count(f.lines), w.count(f.records), w.count(f.skipped),
            ])
        }
        out += files.render(width: width)
        if report.input.fileCount > top {
            out.append("  … \(report.input.fileCount - top)" + w(" more files", " fichiers de plus"))
        }
        if report.input.ignoredFiles > 0 {
            out.append(
                "  \(w.count(report.input.ignoredFiles))"
                    + w(
                        " other files in those folders are not protocol logs",
                        " autres fichiers de ces dossiers ne sont pas des journaux de protocole"))
        }
        if !report.input.skippedByReason.isEmpty {
            out.append(w("  Skipped lines:", "  Lignes ignorées :"))
            for (reason, count) in report.input.skippedByReason.sorted(by: { ($1.value, $0.key) < ($0.value, $1.key) })
            {
                let example =
                    report.input.skippedExamples[reason].map {
                        w(", first at ", ", première en ") + Sanitize.terminal($0)
                    } ?? ""
                out += wrap("\(w.count(count)) \(w.skipReason(reason))\(example)", first: "    ", rest: "      ")
            }
        }
        let notices = report.input.fileSummaries.flatMap { f in f.notices.map { "\(f.path): \(w.notice($0))" } }
        let errors = report.input.fileSummaries.compactMap { f in f.error }
        for text in (notices.prefix(top) + errors) { out += wrap(Sanitize.terminal(text), first: "  ", rest: "    ") }
        if notices.count > top { out.append("  … \(notices.count - top)" + w(" more notices", " remarques de plus")) }
        if !report.overflow.isEmpty {
            out.append(
                w(
                    "  Tables full (records counted under (other); open sessions settled early): ",
                    "  Tables pleines (enregistrements comptés sous (other) ; sessions ouvertes soldées tôt) : ")
                    + report.overflow.sorted { $0.key < $1.key }.map { "\($0.key) \(w.count($0.value))" }
                    .joined(separator: ", ")
            )
        }
        return out.joined(separator: "\n") + "\n"
    }

    /// POP3's own section: never part of the IMAP verdict, tables or findings.
    private func pop3Section(_ pop3: Report.POP3) -> [String] {
        let w = words
        let s = pop3.sessions
        var out = [
            bold("POP3")
                + w(
                    "  (read apart: never counted into the IMAP monitors)",
                    "  (lu à part : jamais compté dans les moniteurs IMAP)")
        ]
        out += wrap(
            w(
                "\(w.count(pop3.records)) records, \(w.count(s.total)) sessions: \(w.count(s.loggedOn + s.loggedOnProxied)) logged on, \(w.count(s.failedLogon)) failed to log on (\(w.count(pop3.credentialFailures)) logons refused for the user's credentials).",
                "\(w.count(pop3.records)) enregistrements, \(w.count(s.total)) sessions : \(w.count(s.loggedOn + s.loggedOnProxied)) authentifiées, \(w.count(s.failedLogon)) en échec d'authentification (\(w.count(pop3.credentialFailures)) refus pour identifiants invalides)."
            ), first: "  ", rest: "  ")
        var servers = TextTable(
            [
                (w("server", "serveur"), .left), (w("role", "rôle"), .left), ("sessions", .right),
                (w("commands", "commandes"), .right), (w("failed", "échecs"), .right),
            ], optional: [])
        for server in pop3.servers {
            servers.add([
                Sanitize.terminal(server.server), w.role(server.role), w.count(server.sessions),
                w.count(server.commands),
                w.count(server.failures),
            ])
        }
        out += servers.render(width: width)
        for error in pop3.errors {
            out += wrap(
                Sanitize.terminal(
                    "\(w.errorClass(error.errorClass.rawValue)) \(error.code) ×\(w.count(error.count))"
                        + (error.message.isEmpty ? "" : " \"\(error.message)\"") + " ("
                        + error.servers.joined(separator: ", ")
                        + ")"), first: "  - ", rest: "    ")
        }
        out.append("")
        return out
    }

    /// What was taken from the alert: the monitors, the servers, the time and how it was read, the window.
    private func fromTheAlert(_ alert: Alert, servers: [String]) -> [String] {
        let w = words
        var out = [bold(w("FROM THE ALERT", "D'APRÈS L'ALERTE"))]
        var parts: [String] = []
        if !alert.monitors.isEmpty {
            parts.append(
                w("failing: ", "en échec : ") + alert.monitors.map(\.rawValue).joined(separator: ", "))
        } else if alert.isAllHealthy {
            parts.append(
                w(
                    "every IMAP monitor in it is Healthy: the problem has cleared (the runbook's \"verify the issue still exists\"); the logs are read for what happened before",
                    "tous ses moniteurs IMAP sont sains : le problème a disparu (l'étape « vérifier que le problème persiste » de la procédure) ; les journaux sont lus pour ce qui s'est passé avant"
                ))
        } else {
            parts.append(
                w(
                    "no failing monitor named: every rule runs",
                    "aucun moniteur en échec nommé : toutes les règles s'appliquent"))
        }
        if !alert.servers.isEmpty {
            // One name per server (CAS03 and cas03.tailspin.co.uk are one), and whether its logs were read.
            var listed: [String] = []
            for name in alert.servers.sorted(by: { $0.count > $1.count })
            where !listed.contains(where: { ServerNames.sameServer($0.lowercased(), name.lowercased()) }) {
                listed.append(name)
            }
            let read = listed.map { name in
                servers.contains { ServerNames.sameServer($0.lowercased(), name.lowercased()) }
                    ? name : name + w(" (none of its logs were read)", " (aucun de ses journaux n'a été lu)")
            }
            parts.append(w("server ", "serveur ") + read.joined(separator: ", "))
        }
        if !alert.mailboxServers.isEmpty {
            parts.append(
                w("mailbox servers named ", "serveurs de boîtes aux lettres nommés ")
                    + alert.mailboxServers.joined(separator: ", "))
        }
        if let time = alert.time, let text = alert.timeText {
            let utc = Format.shortTime(Timestamp.format(time, withMilliseconds: false))
            parts.append(
                alert.timeIsLocal
                    ? w(
                        "time \"\(text)\", read as local time in \(alert.timeZone ?? "UTC") (--tz to change): \(utc) UTC",
                        "heure « \(text) », lue comme heure locale de \(alert.timeZone ?? "UTC") (--tz pour la changer) : \(utc) UTC"
                    )
                    : w("time \(utc) UTC", "heure \(utc) UTC"))
        }
        if let from = alert.windowFrom, let to = alert.windowTo {
            parts.append(
                w(
                    "logs analysed from \(Format.shortTime(from)) to \(Format.shortTime(to)) UTC (an hour before to half an hour after)",
                    "journaux analysés du \(Format.shortTime(from)) au \(Format.shortTime(to)) UTC (une heure avant à une demi-heure après)"
                ))
        } else if alert.time != nil {
            parts.append(
                w(
                    "its time is outside the logs: all of them analysed",
                    "son heure est hors des journaux : tous analysés"))
        }
        out += wrap(Sanitize.terminal(parts.joined(separator: "; ") + "."), first: "  ", rest: "  ")
        return out
    }

    /// The answer first: the verdict, the next steps, then the evidence for each suspect.
    private func diagnosis(_ report: Report) -> [String] {
        let w = words
        var out: [String] = []
        var title = w("VERDICT", "VERDICT")
        if let monitor = report.monitor.value {
            title += "  (\(monitor.name)" + (monitor.probe.map { ", \($0)" } ?? "") + ", " + monitor.healthSet + ")"
        }
        out.append(bold(title))
        out += wrap(Sanitize.terminal(report.verdict.summary), first: "  ", rest: "  ")
        if report.monitors.count > 1 {
            // Each rule's sentence, unless the verdict already is that sentence.
            for result in report.monitors
            where (report.monitor.value == nil ? result.fired : true)
                && !report.verdict.summary.contains(result.summary)
            {
                out += wrap(Sanitize.terminal(result.summary), first: "  - ", rest: "    ")
            }
        }
        out.append("")
        if !report.nextSteps.isEmpty {
            out.append(bold(w("NEXT STEPS", "ÉTAPES SUIVANTES")))
            let isForSeveralMonitors = Set(report.nextSteps.compactMap(\.monitor)).count > 1
            var monitor: String?
            for (index, step) in report.nextSteps.enumerated() {
                if isForSeveralMonitors, let next = step.monitor, next != monitor {
                    out.append("  " + bold(next))
                    monitor = next
                }
                out += wrap(Sanitize.terminal(step.text), first: "  \(index + 1). ", rest: "     ")
                if let command = step.command { out.append("       " + color(Sanitize.terminal(command), 36)) }
            }
            out.append("")
        }
        if !report.verdict.suspects.isEmpty {
            out.append(bold(w("EVIDENCE", "PREUVES")))
            for suspect in report.verdict.suspects {
                var head =
                    "\(suspect.server) (\(w.role(suspect.role))), " + w("confidence ", "confiance ")
                    + w.decimal(suspect.confidence) + ", \(suspect.monitor)" + w(": ", " : ")
                    + w.count(suspect.failures)
                    + w(" of ", " sur ")
                    + w.count(suspect.total) + w(" failed", " en échec")
                if let window = suspect.window {
                    head += ", \(Format.shortTime(window.from)) → \(Format.shortTime(window.to)) UTC"
                }
                out += wrap(Sanitize.terminal(head), first: "  ", rest: "    ")
                for line in suspect.evidence { out += wrap(Sanitize.terminal(line), first: "    - ", rest: "      ") }
                if !suspect.examples.isEmpty {
                    out.append("    " + w("rows to read: ", "lignes à lire : "))
                    for example in suspect.examples { out.append("      " + Sanitize.terminal(example)) }
                }
            }
            out.append("")
        }
        return out
    }

    /// One sparkline of requests and one of failures per server, over the whole span.
    private func timeline(_ report: Report) -> [String] {
        let w = words
        var out = [
            bold(w("TIMELINE", "CHRONOLOGIE"))
                + w(
                    "  (\(report.timelineBucketMinutes)-minute buckets; ▁…█ requests, failures below)",
                    "  (intervalles de \(report.timelineBucketMinutes) minutes ; ▁…█ requêtes, échecs en dessous)")
        ]
        guard let startMinute = report.timeline.lazy.map(\.minute).min(),
            let lastMinute = report.timeline.lazy.map(\.minute).max()
        else { return out }
        let bucketCount = (lastMinute - startMinute) / Int64(report.timelineBucketMinutes) + 1
        let firstTime = Timestamp.format(startMinute * 60_000, withMilliseconds: false)
        let lastTime = Timestamp.format(lastMinute * 60_000, withMilliseconds: false)
        let labelWidth = min(28, (report.timeline.map { $0.server.count + 4 }.max() ?? 10))
        let columns = max(10, width - labelWidth - 6)
        let perColumn = max(1, Int((bucketCount + Int64(columns) - 1) / Int64(columns)))
        let cellCount = Int((bucketCount + Int64(perColumn) - 1) / Int64(perColumn))
        var series: [String: ([Int], [Int])] = [:]
        for bucket in report.timeline {
            let key = "\(bucket.server) \(bucket.role == .frontEnd ? "FE" : bucket.role == .backEnd ? "BE" : "?")"
            var entry = series[key] ?? ([Int](repeating: 0, count: cellCount), [Int](repeating: 0, count: cellCount))
            let index = min(
                cellCount - 1,
                Int((bucket.minute - startMinute) / Int64(report.timelineBucketMinutes)) / perColumn)
            entry.0[index] += bucket.requests
            entry.1[index] += bucket.failures
            series[key] = entry
        }
        out.append(
            "  \(String(repeating: " ", count: labelWidth)) \(Format.shortTime(firstTime)) → \(Format.shortTime(lastTime)) UTC"
        )
        for (key, (requests, failures)) in series.sorted(by: { $0.key < $1.key }) {
            let label = Sanitize.terminal(key)
            let padded =
                label.count > labelWidth
                ? String(label.prefix(labelWidth - 1)) + "…"
                : label + String(repeating: " ", count: labelWidth - label.count)
            out.append("  \(padded) \(spark(requests))")
            if failures.contains(where: { $0 > 0 }) {
                out.append(
                    "  \(String(repeating: " ", count: labelWidth)) " + color(spark(failures, blankZero: true), 31)
                        + w(" failures (peak \(failures.max() ?? 0))", " échecs (pic \(failures.max() ?? 0))"))
            }
        }
        return out
    }

    private func spark(_ values: [Int], blankZero: Bool = false) -> String {
        let blocks = Array("▁▂▃▄▅▆▇█")
        let peak = max(values.max() ?? 0, 1)
        return String(
            values.map { v in
                if v == 0 { return blankZero ? " " : blocks[0] }
                return blocks[min(7, max(0, Int((Double(v) / Double(peak) * 7).rounded(.up))))]
            })
    }

    private func wrap(_ text: String, first: String, rest: String) -> [String] {
        let limit = max(40, width - max(first.count, rest.count))
        var lines: [String] = []
        var current = ""
        for word in text.split(separator: " ", omittingEmptySubsequences: false) {
            if !current.isEmpty && current.count + 1 + word.count > limit {
                lines.append(current)
                current = String(word)
            } else {
                current += current.isEmpty ? String(word) : " " + word
            }
        }
        if !current.isEmpty || lines.isEmpty { lines.append(current) }
        return lines.enumerated().map { ($0.offset == 0 ? first : rest) + $0.element }
    }

    private func bold(_ text: String) -> String { usesColor ? "\u{1B}[1m\(text)\u{1B}[0m" : text }

    private func color(_ text: String, _ code: Int) -> String {
        usesColor ? "\u{1B}[\(code)m\(text)\u{1B}[0m" : text
    }
}
