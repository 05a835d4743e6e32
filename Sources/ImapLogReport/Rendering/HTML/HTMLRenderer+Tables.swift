import ImapLogDiagnosis
import ImapLogKit

/// The text report's tables, as HTML tables: servers, commands, errors, users, clients, sessions, probes, POP3,
/// and the input with what was skipped.
extension Page {
    typealias Cell = HTMLTable.Cell

    private func count(_ value: Int) -> Cell { .number(phrasebook.count(value), Double(value)) }
    private func millis(_ value: Int64) -> Cell { .number(phrasebook.millis(value), Double(value)) }
    private func rate(_ value: Double) -> Cell { .number(phrasebook.percent(value), value) }

    func tables() -> String {
        let p = phrasebook
        var out = "<section id=\"tables\">\n"
        out += servers()
        if !report.commands.isEmpty {
            out += "<h2>\(e(p.say(.commands)))</h2>\n<p class=\"muted\">\(e(p.say(.latencyNote)))</p>\n"
            var table = HTMLTable([
                (p.say(.commandColumn), false), (p.say(.countColumn), true), (p.say(.failedColumn), true),
                ("p50 ms", true), ("p90 ms", true), ("p99 ms", true), ("max ms", true), (p.say(.meanMsColumn), true),
            ])
            let shown = max(renderer.top, 15)
            for c in report.commands.prefix(shown) {
                let l = c.latencyMs
                let figures: [Cell] =
                    l.samples == 0
                    ? Array(repeating: .text("-"), count: 5)
                    : [millis(l.p50), millis(l.p90), millis(l.p99), millis(l.max), .number(p.number(l.mean), l.mean)]
                table.add([.text(c.command), count(c.count), count(c.failures)] + figures)
            }
            out += table.render()
            if report.commands.count > shown {
                out += "<p class=\"muted\">\(e(p.say(.more(report.commands.count - shown))))</p>\n"
            }
        }
        out += errors()
        for (isUsers, parties) in [(true, report.users), (false, report.clients)] where !parties.isEmpty {
            out += "<h2>\(e(p.say(isUsers ? .topUsers : .topClientAddresses)))</h2>\n"
            var table = HTMLTable([
                (p.say(isUsers ? .userColumn : .addressColumn), false), (p.say(.commandsColumn), true),
                (p.say(.failedColumn), true), (p.say(.failedLogonsColumn), true),
                (p.say(.refusedCredentialsColumn), true), ("sessions", true),
            ])
            for party in parties {
                table.add([
                    .text(party.name), count(party.commands), count(party.failures), count(party.failedLogons),
                    count(party.credentialFailures), count(party.sessions),
                ])
            }
            out += table.render()
        }
        let s = report.sessions
        if s.total > 0 {
            out +=
                "<h2>\(e(p.say(.sessions)))</h2>\n<p>"
                + e(
                    p.say(
                        .sessionCounts(
                            total: s.total, loggedOnProxied: s.loggedOnProxied, loggedOn: s.loggedOn,
                            failedLogon: s.failedLogon, neverAuthenticated: s.neverAuthenticated,
                            openAtEnd: s.openAtEnd))) + "</p>\n"
        }
        out += probes()
        if let pop3 = report.pop3 { out += pop3Section(pop3) }
        out += input()
        return out + "</section>\n"
    }

    private func servers() -> String {
        guard !report.servers.isEmpty else { return "" }
        let p = phrasebook
        var out = "<h2>\(e(p.say(.servers)))</h2>\n<p class=\"muted\">\(e(p.say(.seenFromFrontEndsNote)))</p>\n"
        var table = HTMLTable([
            (p.say(.serverColumn), false), (p.say(.roleColumn), false), (p.say(.seenFromColumn), false),
            ("sessions", true), (p.say(.commandsColumn), true), (p.say(.failedColumn), true),
            (p.say(.rateColumn), true),
            ("p50 ms", true), ("p90 ms", true), ("p99 ms", true), ("max ms", true),
        ])
        for s in report.servers {
            table.add([
                .text(s.server), .text(p.role(s.role)),
                .text(p.say(s.seenFrom == "ownLogs" ? .seenFromOwnLogs : .seenFromFrontEnds)), count(s.sessions),
                count(s.commands), count(s.failures), rate(s.failureRate), millis(s.latencyMs.p50),
                millis(s.latencyMs.p90), millis(s.latencyMs.p99), millis(s.latencyMs.max),
            ])
        }
        out += table.render()
        let proxied = report.servers.filter { $0.proxied != nil && $0.seenFrom == "ownLogs" }
        if !proxied.isEmpty {
            out += "<p>\(e(p.say(.asBackEnds)))</p>\n"
            var asBackEnds = HTMLTable([
                (p.say(.serverColumn), false), ("sessions", true), (p.say(.commandsColumn), true),
                (p.say(.failedColumn), true), (p.say(.rateColumn), true), ("p90 ms", true),
            ])
            for s in proxied {
                guard let x = s.proxied else { continue }
                asBackEnds.add([
                    .text(s.server), count(x.sessions), count(x.commands), count(x.failures), rate(x.failureRate),
                    millis(x.latencyMs.p90),
                ])
            }
            out += asBackEnds.render()
        }
        return out
    }

    private func errors() -> String {
        guard !report.errors.isEmpty else { return "" }
        let p = phrasebook
        var table = HTMLTable([
            (p.say(.classColumn), false), ("code", false), (p.say(.countColumn), true), (p.say(.serversColumn), false),
            (p.say(.firstSeenAtColumn), false), ("message", false),
        ])
        for error in report.errors.prefix(renderer.top) {
            table.add([
                .text(p.errorClass(error.errorClass)), .text(error.code), count(error.count),
                .text(error.servers.joined(separator: " ")), .text(error.example ?? ""), .text(error.message),
            ])
        }
        var out = "<h2>\(e(p.say(.errors)))</h2>\n" + table.render()
        if report.errors.count > renderer.top {
            out += "<p class=\"muted\">\(e(p.say(.moreErrors(report.errors.count - renderer.top))))</p>\n"
        }
        return out
    }

    private func probes() -> String {
        let p = phrasebook
        let out = "<h2>\(e(p.say(.probes)))</h2>\n<p class=\"muted\">\(e(p.say(.probesNote)))</p>\n"
        guard !report.probes.sessions.isEmpty else { return out + "<p>\(e(p.say(.noneSeen)))</p>\n" }
        var table = HTMLTable([
            (p.say(.probeColumn), false), (p.say(.serverColumn), false), (p.say(.roleColumn), false),
            ("sessions", true), (p.say(.failedColumn), true), (p.say(.firstColumn), false), (p.say(.lastColumn), false),
        ])
        for probe in report.probes.sessions {
            table.add([
                .text(probe.probe), .text(probe.server), .text(p.role(probe.role)), count(probe.sessions),
                count(probe.failedSessions), .text(Format.shortTime(probe.first)), .text(Format.shortTime(probe.last)),
            ])
        }
        return out + table.render()
    }

    private func pop3Section(_ pop3: Report.POP3) -> String {
        let p = phrasebook
        let s = pop3.sessions
        var out =
            "<h2>\(e(p.say(.pop3)))</h2>\n<p class=\"muted\">\(e(p.say(.pop3Note)))</p>\n<p>"
            + e(
                p.say(
                    .pop3Counts(
                        records: pop3.records, sessions: s.total, loggedOn: s.loggedOn + s.loggedOnProxied,
                        failedLogon: s.failedLogon, credentialFailures: pop3.credentialFailures))) + "</p>\n"
        var servers = HTMLTable([
            (p.say(.serverColumn), false), (p.say(.roleColumn), false), ("sessions", true),
            (p.say(.commandsColumn), true), (p.say(.failedColumn), true),
        ])
        for server in pop3.servers {
            servers.add([
                .text(server.server), .text(p.role(server.role)), count(server.sessions), count(server.commands),
                count(server.failures),
            ])
        }
        out += servers.render()
        if !pop3.errors.isEmpty {
            var errors = HTMLTable([
                (p.say(.classColumn), false), ("code", false), (p.say(.countColumn), true),
                (p.say(.serversColumn), false), ("message", false),
            ])
            for error in pop3.errors {
                errors.add([
                    .text(p.errorClass(error.errorClass)), .text(error.code), count(error.count),
                    .text(error.servers.joined(separator: ", ")), .text(error.message),
                ])
            }
            out += errors.render()
        }
        return out
    }

    private func input() -> String {
        let p = phrasebook
        let input = report.input
        var out = "<h2>\(e(p.say(.input)))</h2>\n"
        var files = HTMLTable([
            (p.say(.fileColumn), false), (p.say(.roleColumn), false), (p.say(.serverColumn), false),
            (p.say(.linesColumn), true), (p.say(.recordsColumn), true), (p.say(.skippedColumn), true),
        ])
        for f in input.fileSummaries.prefix(renderer.top) {
            files.add([
                .text(f.path), .text(p.role(f.role)), .text(f.server ?? "-"), count(f.lines), count(f.records),
                count(f.skipped),
            ])
        }
        out += files.render()
        var notes: [String] = []
        if input.fileCount > renderer.top { notes.append(p.say(.moreFiles(input.fileCount - renderer.top))) }
        if input.ignoredFiles > 0 { notes.append(p.say(.otherFilesIgnored(input.ignoredFiles))) }
        var skipped: [String] = []
        for (reason, lines) in input.skippedByReason.sorted(by: { ($1.value, $0.key) < ($0.value, $1.key) }) {
            skipped.append(p.say(.skippedFor(count: lines, reason: reason, firstAt: input.skippedExamples[reason])))
        }
        let notices = input.fileSummaries.flatMap { f in f.notices.map { "\(f.path): \(p.notice($0))" } }
        let fileErrors = input.fileSummaries.compactMap(\.error)
        var more: [String] = notices.prefix(renderer.top) + fileErrors
        if notices.count > renderer.top { more.append(p.say(.moreNotices(notices.count - renderer.top))) }
        if !input.problems.isEmpty {
            more.append(p.say(.notRead))
            more += input.problems.prefix(renderer.top).map(\.error)
            if input.problems.count > renderer.top {
                more.append(p.say(.morePathsNotRead(input.problems.count - renderer.top)))
            }
        }
        if !report.overflow.isEmpty {
            let pooled = report.overflow.sorted { $0.key < $1.key }.map { (table: $0.key, pooled: $0.value) }
            more.append(p.say(.tablesFull(pooled)))
        }
        out += notes.map { "<p class=\"muted\">\(e($0))</p>\n" }.joined()
        if !skipped.isEmpty || !more.isEmpty {
            out += "<h3>\(e(p.say(.skippedAndNotices)))</h3>\n"
            if !skipped.isEmpty {
                out +=
                    "<p>\(e(p.say(.skippedLines)))</p>\n<ul>\n"
                    + skipped.map { "<li>\(e($0))</li>\n" }.joined() + "</ul>\n"
            }
            if !more.isEmpty { out += "<ul>\n" + more.map { "<li>\(e($0))</li>\n" }.joined() + "</ul>\n" }
        }
        return out
    }
}
