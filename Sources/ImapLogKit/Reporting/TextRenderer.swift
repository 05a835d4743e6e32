/// Renders a report for people: the answer first (what stands out), then evidence tables.
public struct TextRenderer: Sendable {
    /// Columns to fit.
    public var width = 100
    /// ANSI colour (the caller decides: a terminal, and no `NO_COLOR`).
    public var usesColor = false
    /// Rows of the commands, errors and files tables.
    public var top = 10

    public init() {}

    public func render(_ report: Report) -> String {
        let w = Words(language: report.language)
        var out: [String] = []
        let input = report.input
        var head =
            "imaplog \(report.tool.version): \(Format.count(input.files.count)) file"
            + (input.files.count == 1 ? "" : "s") + ", \(Format.count(input.lines)) lines = "
            + "\(Format.count(input.records)) records + \(Format.count(input.headerLines)) header + "
            + "\(Format.count(input.skipped)) skipped"
        if input.filteredOut > 0 { head += " (\(Format.count(input.filteredOut)) records filtered out)" }
        out.append(bold(head))
        if let first = input.first, let last = input.last {
            out.append("from \(Format.shortTime(first)) to \(Format.shortTime(last)) UTC")
        }
        out.append("")
        out += diagnosis(report)

        out.append(bold(w("WHAT STANDS OUT", "CE QUI RESSORT")))
        for finding in report.findings {
            let label: String
            switch finding.severity {
            case .critical: label = color("CRIT", 31)
            case .warning: label = color("WARN", 33)
            case .info: label = color("INFO", 36)
            }
            out += wrap(Sanitize.terminal(finding.text), first: "  \(label) ", rest: "       ")
        }
        out.append("")

        if !report.servers.isEmpty {
            out.append(bold("SERVERS"))
            out += wrap(
                "A back end whose own logs were not read is described as the front ends saw it (seen from front ends).",
                first: "  ", rest: "  ")
            var table = TextTable(
                [
                    ("server", .left), ("role", .left), ("seen from", .left), ("sessions", .right),
                    ("commands", .right),
                    ("failed", .right), ("rate", .right), ("p50 ms", .right), ("p90 ms", .right), ("p99 ms", .right),
                    ("max ms", .right),
                ], optional: [2, 3, 7, 10])
            for s in report.servers {
                table.add([
                    s.server, roleLabel(s.role), s.seenFrom == "ownLogs" ? "own logs" : "front ends",
                    Format.count(s.sessions), Format.count(s.commands), Format.count(s.failures),
                    Format.percent(s.failureRate), Format.millis(s.latencyMs.p50), Format.millis(s.latencyMs.p90),
                    Format.millis(s.latencyMs.p99), Format.millis(s.latencyMs.max),
                ])
            }
            out += table.render(width: width)
            let proxied = report.servers.filter { $0.proxied != nil && $0.seenFrom == "ownLogs" }
            if !proxied.isEmpty {
                out.append("")
                out.append("  As back ends, seen from the front ends that proxied to them:")
                var p = TextTable([
                    ("server", .left), ("sessions", .right), ("commands", .right), ("failed", .right), ("rate", .right),
                    ("p90 ms", .right),
                ])
                for s in proxied {
                    guard let x = s.proxied else { continue }
                    p.add([
                        s.server, Format.count(x.sessions), Format.count(x.commands), Format.count(x.failures),
                        Format.percent(x.failureRate), Format.millis(x.latencyMs.p90),
                    ])
                }
                out += p.render(width: width)
            }
            out.append("")
        }

        if !report.commands.isEmpty {
            out.append(bold("COMMANDS") + "  (latency leaves out IDLE and proxy rows)")
            var table = TextTable(
                [
                    ("command", .left), ("count", .right), ("failed", .right), ("p50 ms", .right), ("p90 ms", .right),
                    ("p99 ms", .right), ("max ms", .right), ("mean ms", .right),
                ], optional: [6, 7])
            for c in report.commands.prefix(max(top, 15)) {
                let l = c.latencyMs
                let figures =
                    l.samples == 0
                    ? ["-", "-", "-", "-", "-"]
                    : [
                        Format.millis(l.p50), Format.millis(l.p90), Format.millis(l.p99), Format.millis(l.max),
                        "\(l.mean)",
                    ]
                table.add([c.command, Format.count(c.count), Format.count(c.failures)] + figures)
            }
            out += table.render(width: width)
            if report.commands.count > max(top, 15) { out.append("  … \(report.commands.count - max(top, 15)) more") }
            out.append("")
        }

        if !report.errors.isEmpty {
            out.append(bold("ERRORS"))
            var table = TextTable(
                [
                    ("class", .left), ("code", .left), ("count", .right), ("servers", .left), ("first seen at", .left),
                    ("message", .left),
                ], optional: [4])
            for e in report.errors.prefix(top) {
                table.add([
                    e.errorClass.rawValue, e.code, Format.count(e.count), e.servers.joined(separator: " "),
                    e.example ?? "", e.message,
                ])
            }
            out += table.render(width: width)
            if report.errors.count > top {
                out.append("  … \(report.errors.count - top) more (--top N, or --format json)")
            }
            out.append("")
        }

        for (title, parties) in [("TOP USERS", report.users), ("TOP CLIENT ADDRESSES", report.clients)]
        where !parties.isEmpty {
            out.append(bold(title))
            var table = TextTable(
                [
                    (title == "TOP USERS" ? "user" : "address", .left), ("commands", .right), ("failed", .right),
                    ("failed logons", .right), ("refused credentials", .right), ("sessions", .right),
                ], optional: [5])
            for p in parties {
                table.add([
                    p.name, Format.count(p.commands), Format.count(p.failures), Format.count(p.failedLogons),
                    Format.count(p.credentialFailures), Format.count(p.sessions),
                ])
            }
            out += table.render(width: width)
            out.append("")
        }

        let s = report.sessions
        if s.total > 0 {
            out.append(bold("SESSIONS"))
            out += wrap(
                "\(Format.count(s.total)) sessions: \(Format.count(s.loggedOnProxied)) logged on and proxied, "
                    + "\(Format.count(s.loggedOn)) logged on, \(Format.count(s.failedLogon)) failed to log on, "
                    + "\(Format.count(s.neverAuthenticated)) never authenticated; "
                    + "\(Format.count(s.openAtEnd)) still open when the logs end", first: "  ", rest: "  ")
            out.append("")
        }

        out.append(bold("EXCHANGE'S OWN PROBES") + "  (counted apart, never thrown away)")
        if report.probes.sessions.isEmpty {
            out.append("  none seen")
        } else {
            var table = TextTable(
                [
                    ("probe", .left), ("server", .left), ("role", .left), ("sessions", .right), ("failed", .right),
                    ("first", .left), ("last", .left),
                ], optional: [5, 6])
            for p in report.probes.sessions {
                table.add([
                    p.probe, p.server, roleLabel(p.role), Format.count(p.sessions), Format.count(p.failedSessions),
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

        out.append(bold("INPUT"))
        var files = TextTable(
            [
                ("file", .left), ("role", .left), ("server", .left), ("lines", .right), ("records", .right),
                ("skipped", .right),
            ], optional: [1])
        for f in report.input.files.prefix(top) {
            files.add([
                f.path, roleLabel(f.role), f.server ?? "-", Format.count(f.lines), Format.count(f.records),
                Format.count(f.skipped),
            ])
        }
        out += files.render(width: width)
        if report.input.files.count > top { out.append("  … \(report.input.files.count - top) more files") }
        if report.input.ignoredFiles > 0 {
            out.append(
                "  \(Format.count(report.input.ignoredFiles)) other files in those folders are not protocol logs")
        }
        if !report.input.skippedByReason.isEmpty {
            out.append("  Skipped lines:")
            for (reason, count) in report.input.skippedByReason.sorted(by: { ($1.value, $0.key) < ($0.value, $1.key) })
            {
                let example = report.input.skippedExamples[reason].map { ", first at \(Sanitize.terminal($0))" } ?? ""
                out += wrap("\(Format.count(count)) \(reason)\(example)", first: "    ", rest: "      ")
            }
        }
        let notices = report.input.files.flatMap { f in f.notices.map { "\(f.path): \($0)" } }
        let errors = report.input.files.compactMap { f in f.error }
        for text in (notices.prefix(top) + errors) { out += wrap(Sanitize.terminal(text), first: "  ", rest: "    ") }
        if notices.count > top { out.append("  … \(notices.count - top) more notices") }
        if !report.overflow.isEmpty {
            out.append(
                "  Tables full (distinct keys beyond the limit were pooled): "
                    + report.overflow.sorted { $0.key < $1.key }.map { "\($0.key) \($0.value)" }.joined(separator: ", ")
            )
        }
        return out.joined(separator: "\n") + "\n"
    }

    /// The answer first: the verdict, the next steps, then the evidence for each suspect.
    private func diagnosis(_ report: Report) -> [String] {
        let w = Words(language: report.language)
        var out: [String] = []
        var title = w("VERDICT", "VERDICT")
        if let monitor = report.monitor {
            title += "  (\(monitor.name)" + (monitor.probe.map { ", \($0)" } ?? "") + ", " + monitor.healthSet + ")"
        }
        out.append(bold(title))
        out += wrap(Sanitize.terminal(report.verdict.summary), first: "  ", rest: "  ")
        if report.monitors.count > 1 {
            for result in report.monitors where report.monitor == nil ? result.fired : true {
                out += wrap(Sanitize.terminal(result.summary), first: "  - ", rest: "    ")
            }
        }
        out.append("")
        if !report.nextSteps.isEmpty {
            out.append(bold(w("NEXT STEPS", "ÉTAPES SUIVANTES")))
            for (index, step) in report.nextSteps.enumerated() {
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
                    + w.decimal(suspect.confidence) + ", \(suspect.monitor): " + w.count(suspect.failures)
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
        var out = [
            bold("TIMELINE") + "  (\(report.timelineBucketMinutes)-minute buckets; ▁…█ requests, failures below)"
        ]
        let times = Array(Set(report.timeline.map(\.time))).sorted()
        guard let firstTime = times.first, let lastTime = times.last else { return out }
        let startMinute = minuteOf(firstTime)
        let bucketCount = (minuteOf(lastTime) - startMinute) / Int64(report.timelineBucketMinutes) + 1
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
                Int((minuteOf(bucket.time) - startMinute) / Int64(report.timelineBucketMinutes)) / perColumn)
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
                        + " failures (peak \(failures.max() ?? 0))")
            }
        }
        return out
    }

    private func minuteOf(_ iso: String) -> Int64 {
        (Timestamp.parse(iso) ?? 0) / 60_000
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

    private func roleLabel(_ role: Role) -> String {
        switch role {
        case .frontEnd: return "front end"
        case .backEnd: return "back end"
        case .unknown: return "unknown"
        }
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
