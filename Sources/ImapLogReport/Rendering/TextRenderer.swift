import ImapLogDiagnosis
import ImapLogKit

/// Renders a report for people: the answer first (what stands out), then evidence tables.
package struct TextRenderer: Sendable {
    /// Columns to fit.
    package var width = 100
    /// ANSI colour (the caller decides: a terminal, and no `NO_COLOR`).
    package var usesColor = false
    /// Rows of the commands, errors and files tables.
    package var top = 10

    /// The words of the report being rendered.
    private var phrasebook = Phrasebook(language: .english)

    package init() {}

    package func render(_ report: Report) -> String {
        var renderer = self
        renderer.phrasebook = Phrasebook(language: report.language)
        return renderer.renderBody(report)
    }

    private func renderBody(_ report: Report) -> String {
        let p = phrasebook
        var out: [String] = []
        let input = report.input
        var head =
            "imaplog \(report.tool.version): "
            + p.say(
                .fileCounts(
                    files: input.fileCount, lines: input.lines, records: input.records, headerLines: input.headerLines,
                    skipped: input.skipped))
        if input.filteredOut > 0 {
            head += " (" + p.say(.filteredOut(records: input.filteredOut)) + ")"
        }
        out.append(bold(head))
        if let first = input.first, let last = input.last {
            out.append(p.say(.span(from: first, to: last)))
        }
        out.append("")
        if let alert = report.alert {
            out += fromTheAlert(alert, servers: report.servers.map(\.server) + report.input.files.compactMap(\.server))
            out.append("")
        }
        out += diagnosis(report)

        out.append(bold(p.say(.whatStandsOut)))
        for finding in report.findings {
            let label: String
            switch finding.severity {
            case .critical: label = color("CRIT", 31)
            case .warning: label = color(p.say(.warn), 33)
            case .info: label = color("INFO", 36)
            }
            out += wrap(Sanitize.terminal(finding.text), first: "  \(label) ", rest: "       ")
        }
        out.append("")

        if !report.servers.isEmpty {
            out.append(bold(p.say(.servers)))
            out += wrap(p.say(.seenFromFrontEndsNote), first: "  ", rest: "  ")
            var table = TextTable(
                [
                    (p.say(.serverColumn), .left), (p.say(.roleColumn), .left), (p.say(.seenFromColumn), .left),
                    ("sessions", .right), (p.say(.commandsColumn), .right), (p.say(.failedColumn), .right),
                    (p.say(.rateColumn), .right), ("p50 ms", .right), ("p90 ms", .right), ("p99 ms", .right),
                    ("max ms", .right),
                ], optional: [2, 3, 7, 10])
            for s in report.servers {
                table.add([
                    s.server, p.role(s.role), p.say(s.seenFrom == "ownLogs" ? .seenFromOwnLogs : .seenFromFrontEnds),
                    p.count(s.sessions), p.count(s.commands), p.count(s.failures), p.percent(s.failureRate),
                    p.millis(s.latencyMs.p50), p.millis(s.latencyMs.p90),
                    p.millis(s.latencyMs.p99), p.millis(s.latencyMs.max),
                ])
            }
            out += table.render(width: width)
            let proxied = report.servers.filter { $0.proxied != nil && $0.seenFrom == "ownLogs" }
            if !proxied.isEmpty {
                out.append("")
                out.append("  " + p.say(.asBackEnds))
                var asBackEnds = TextTable([
                    (p.say(.serverColumn), .left), ("sessions", .right), (p.say(.commandsColumn), .right),
                    (p.say(.failedColumn), .right), (p.say(.rateColumn), .right),
                    ("p90 ms", .right),
                ])
                for s in proxied {
                    guard let x = s.proxied else { continue }
                    asBackEnds.add([
                        s.server, p.count(x.sessions), p.count(x.commands), p.count(x.failures),
                        p.percent(x.failureRate), p.millis(x.latencyMs.p90),
                    ])
                }
                out += asBackEnds.render(width: width)
            }
            out.append("")
        }

        if !report.commands.isEmpty {
            out.append(bold(p.say(.commands)) + "  " + p.say(.latencyNote))
            var table = TextTable(
                [
                    (p.say(.commandColumn), .left), (p.say(.countColumn), .right), (p.say(.failedColumn), .right),
                    ("p50 ms", .right), ("p90 ms", .right), ("p99 ms", .right), ("max ms", .right),
                    (p.say(.meanMsColumn), .right),
                ], optional: [6, 7])
            for c in report.commands.prefix(max(top, 15)) {
                let l = c.latencyMs
                let figures =
                    l.samples == 0
                    ? ["-", "-", "-", "-", "-"]
                    : [
                        p.millis(l.p50), p.millis(l.p90), p.millis(l.p99), p.millis(l.max),
                        p.number(l.mean),
                    ]
                table.add([c.command, Format.count(c.count), Format.count(c.failures)] + figures)
            }
            out += table.render(width: width)
            if report.commands.count > max(top, 15) {
                out.append("  " + p.say(.more(report.commands.count - max(top, 15))))
            }
            out.append("")
        }

        if !report.errors.isEmpty {
            out.append(bold(p.say(.errors)))
            var table = TextTable(
                [
                    (p.say(.classColumn), .left), ("code", .left), (p.say(.countColumn), .right),
                    (p.say(.serversColumn), .left),
                    (p.say(.firstSeenAtColumn), .left), ("message", .left),
                ], optional: [4])
            for e in report.errors.prefix(top) {
                table.add([
                    p.errorClass(e.errorClass), e.code, p.count(e.count), e.servers.joined(separator: " "),
                    e.example ?? "", e.message,
                ])
            }
            out += table.render(width: width)
            if report.errors.count > top {
                out.append("  " + p.say(.moreErrors(report.errors.count - top)))
            }
            out.append("")
        }

        for (isUsers, parties) in [(true, report.users), (false, report.clients)]
        where !parties.isEmpty {
            out.append(bold(p.say(isUsers ? .topUsers : .topClientAddresses)))
            var table = TextTable(
                [
                    (p.say(isUsers ? .userColumn : .addressColumn), .left),
                    (p.say(.commandsColumn), .right), (p.say(.failedColumn), .right),
                    (p.say(.failedLogonsColumn), .right),
                    (p.say(.refusedCredentialsColumn), .right), ("sessions", .right),
                ], optional: [5])
            for party in parties {
                table.add([
                    party.name, p.count(party.commands), p.count(party.failures), p.count(party.failedLogons),
                    p.count(party.credentialFailures), p.count(party.sessions),
                ])
            }
            out += table.render(width: width)
            out.append("")
        }

        let s = report.sessions
        if s.total > 0 {
            out.append(bold("SESSIONS"))
            let sentence = p.say(
                .sessionCounts(
                    total: s.total, loggedOnProxied: s.loggedOnProxied, loggedOn: s.loggedOn,
                    failedLogon: s.failedLogon, neverAuthenticated: s.neverAuthenticated, openAtEnd: s.openAtEnd))
            out += wrap(sentence, first: "  ", rest: "  ")
            out.append("")
        }

        out.append(bold(p.say(.probes)) + "  " + p.say(.probesNote))
        if report.probes.sessions.isEmpty {
            out.append("  " + p.say(.noneSeen))
        } else {
            var table = TextTable(
                [
                    (p.say(.probeColumn), .left), (p.say(.serverColumn), .left), (p.say(.roleColumn), .left),
                    ("sessions", .right), (p.say(.failedColumn), .right), (p.say(.firstColumn), .left),
                    (p.say(.lastColumn), .left),
                ], optional: [5, 6])
            for probe in report.probes.sessions {
                table.add([
                    probe.probe, probe.server, p.role(probe.role), p.count(probe.sessions),
                    p.count(probe.failedSessions), Format.shortTime(probe.first), Format.shortTime(probe.last),
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

        out.append(bold(p.say(.input)))
        var files = TextTable(
            [
                (p.say(.fileColumn), .left), (p.say(.roleColumn), .left), (p.say(.serverColumn), .left),
                (p.say(.linesColumn), .right), (p.say(.recordsColumn), .right), (p.say(.skippedColumn), .right),
            ], optional: [1])
        for f in report.input.fileSummaries.prefix(top) {
            files.add([
                f.path, p.role(f.role), f.server ?? "-", p.count(f.lines), p.count(f.records), p.count(f.skipped),
            ])
        }
        out += files.render(width: width)
        if report.input.fileCount > top {
            out.append("  " + p.say(.moreFiles(report.input.fileCount - top)))
        }
        if report.input.ignoredFiles > 0 {
            out.append("  " + p.say(.otherFilesIgnored(report.input.ignoredFiles)))
        }
        if !report.input.skippedByReason.isEmpty {
            out.append("  " + p.say(.skippedLines))
            for (reason, count) in report.input.skippedByReason.sorted(by: { ($1.value, $0.key) < ($0.value, $1.key) })
            {
                let example = report.input.skippedExamples[reason].map { Sanitize.terminal($0) }
                out += wrap(
                    p.say(.skippedFor(count: count, reason: reason, firstAt: example)), first: "    ", rest: "      ")
            }
        }
        let notices = report.input.fileSummaries.flatMap { f in f.notices.map { "\(f.path): \(p.notice($0))" } }
        let errors = report.input.fileSummaries.compactMap { f in f.error }
        for text in (notices.prefix(top) + errors) { out += wrap(Sanitize.terminal(text), first: "  ", rest: "    ") }
        if notices.count > top { out.append("  " + p.say(.moreNotices(notices.count - top))) }
        let problems = report.input.problems
        if !problems.isEmpty {
            out.append("  " + p.say(.notRead))
            for problem in problems.prefix(top) {
                out += wrap(Sanitize.terminal(problem.error), first: "    ", rest: "      ")
            }
            if problems.count > top { out.append("    " + p.say(.morePathsNotRead(problems.count - top))) }
        }
        if !report.overflow.isEmpty {
            let pooled = report.overflow.sorted { $0.key < $1.key }.map { (table: $0.key, pooled: $0.value) }
            out.append("  " + p.say(.tablesFull(pooled)))
        }
        return out.joined(separator: "\n") + "\n"
    }

    /// POP3's own section: never part of the IMAP verdict, tables or findings.
    private func pop3Section(_ pop3: Report.POP3) -> [String] {
        let p = phrasebook
        let s = pop3.sessions
        var out = [bold("POP3") + "  " + p.say(.pop3Note)]
        out += wrap(
            p.say(
                .pop3Counts(
                    records: pop3.records, sessions: s.total, loggedOn: s.loggedOn + s.loggedOnProxied,
                    failedLogon: s.failedLogon, credentialFailures: pop3.credentialFailures)),
            first: "  ", rest: "  ")
        var servers = TextTable(
            [
                (p.say(.serverColumn), .left), (p.say(.roleColumn), .left), ("sessions", .right),
                (p.say(.commandsColumn), .right), (p.say(.failedColumn), .right),
            ], optional: [])
        for server in pop3.servers {
            servers.add([
                Sanitize.terminal(server.server), p.role(server.role), p.count(server.sessions),
                p.count(server.commands),
                p.count(server.failures),
            ])
        }
        out += servers.render(width: width)
        for error in pop3.errors {
            out += wrap(
                Sanitize.terminal(
                    "\(p.errorClass(error.errorClass)) \(error.code) ×\(p.count(error.count))"
                        + (error.message.isEmpty ? "" : " \"\(error.message)\"") + " ("
                        + error.servers.joined(separator: ", ")
                        + ")"), first: "  - ", rest: "    ")
        }
        out.append("")
        return out
    }

    /// What was taken from the alert: the monitors, the servers, the time and how it was read, the window.
    private func fromTheAlert(_ alert: Alert, servers: [String]) -> [String] {
        let p = phrasebook
        var out = [bold(p.say(.fromTheAlert))]
        let parts = Self.alertParts(alert, servers: servers, phrasebook: p)
        out += wrap(
            Sanitize.terminal(parts.joined(separator: p.say(.alertPartsSeparator)) + "."), first: "  ", rest: "  ")
        return out
    }

    /// What was taken from the alert, part by part, in the report's language (the HTML report says the same).
    static func alertParts(_ alert: Alert, servers: [String], phrasebook p: Phrasebook) -> [String] {
        var parts: [String] = []
        if !alert.monitors.isEmpty {
            parts.append(p.say(.alertFailing(monitors: alert.monitors.map(\.rawValue))))
        } else if alert.isAllHealthy {
            parts.append(p.say(.alertAllHealthy))
        } else {
            parts.append(p.say(.alertNoFailingMonitor))
        }
        if !alert.servers.isEmpty {
            // One name per server (CAS03 and cas03.tailspin.co.uk are one), and whether its logs were read.
            var listed: [String] = []
            for name in alert.servers.sorted(by: { $0.count > $1.count })
            where !listed.contains(where: { ServerNames.sameServer($0.lowercased(), name.lowercased()) }) {
                listed.append(name)
            }
            let named = listed.map { name in
                (name: name, isRead: servers.contains { ServerNames.sameServer($0.lowercased(), name.lowercased()) })
            }
            parts.append(p.say(.alertServers(named)))
        }
        if !alert.mailboxServers.isEmpty {
            parts.append(p.say(.alertMailboxServers(alert.mailboxServers)))
        }
        if let time = alert.time, let text = alert.timeText {
            let utc = Timestamp.format(time, withMilliseconds: false)
            parts.append(
                p.say(
                    alert.timeIsLocal
                        ? .alertLocalTime(text: text, timeZone: alert.timeZone ?? "UTC", utc: utc)
                        : .alertTime(utc: utc)))
        }
        if let from = alert.windowFrom, let to = alert.windowTo {
            parts.append(p.say(.alertWindow(from: from, to: to)))
        } else if alert.time != nil {
            parts.append(p.say(.alertTimeOutsideLogs))
        } else if let text = alert.unreadableTime {
            parts.append(p.say(.alertTimeUnreadable(text: text)))
        }
        if alert.isTruncated {
            parts.append(
                p.say(.alertCut(mebibytes: AlertParser.maximumBytes >> 20, lineLength: AlertParser.maximumLineLength)))
        }
        return parts
    }

    /// The answer first: the verdict, the next steps, then the evidence for each suspect.
    private func diagnosis(_ report: Report) -> [String] {
        let p = phrasebook
        var out: [String] = []
        var title = p.say(.verdict)
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
            out.append(bold(p.say(.nextSteps)))
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
            out.append(bold(p.say(.evidence)))
            for suspect in report.verdict.suspects {
                var head = p.say(
                    .suspect(
                        server: suspect.server, role: suspect.role, confidence: suspect.confidence,
                        monitor: suspect.monitor, failures: suspect.failures, total: suspect.total))
                if let window = suspect.window {
                    head += ", \(Format.shortTime(window.from)) → \(Format.shortTime(window.to)) UTC"
                }
                out += wrap(Sanitize.terminal(head), first: "  ", rest: "    ")
                for line in suspect.evidence { out += wrap(Sanitize.terminal(line), first: "    - ", rest: "      ") }
                if !suspect.examples.isEmpty {
                    out.append("    " + p.say(.rowsToRead) + " ")
                    for example in suspect.examples { out.append("      " + Sanitize.terminal(example)) }
                }
            }
            out.append("")
        }
        return out
    }

    /// One sparkline of requests and one of failures per server, over the whole span.
    private func timeline(_ report: Report) -> [String] {
        let p = phrasebook
        var out = [bold(p.say(.timeline)) + "  " + p.say(.timelineNote(bucketMinutes: report.timelineBucketMinutes))]
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
                        + " " + p.say(.failuresPeak(failures.max() ?? 0)))
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
