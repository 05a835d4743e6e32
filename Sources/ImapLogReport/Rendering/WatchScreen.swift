import ImapLogDiagnosis
import ImapLogKit

/// Draws `imaplog watch`'s live screen, redrawn at each look as `top` does: the verdict and since when it has held,
/// each server's last minutes, servers gone quiet, the newest failures, and how far behind the reading is.
///
/// Every line fits `width` columns (cut with `…`), and every text from a log or a path is made safe for a terminal.
package struct WatchScreen: Sendable {
    package var width = 80
    /// Most rows of the screen used; nil: as many as there is to show.
    package var height: Int?
    package var words: WatchWords
    /// Seconds between looks, as written in the title (`5`, `0.5`).
    package var interval: String

    package init(language: Language, interval: String) {
        words = WatchWords(language: language)
        self.interval = interval
    }

    /// The screen's lines for `status`, without the terminal's control sequences.
    package func lines(_ status: WatchStatus) -> [String] {
        var lines: [String] = []
        lines.append(words.title(files: status.files, seconds: interval))
        lines.append(
            words.reading(
                time: clock(status.time), lines: status.lines, behind: status.bytesBehind,
                newest: status.newestRow.map(clock)))
        lines.append("")

        lines.append(words.verdictHeading(since: clock(status.verdictSince)))
        if status.records == 0 {
            lines += wrap(words.waiting, indent: "  ")
        } else if let top = status.verdict.suspects.first {
            lines.append(
                "  "
                    + words.suspect(
                        server: Sanitize.terminal(top.server), role: words.role(top.role),
                        confidence: Int((top.confidence * 100).rounded()), hasRecovered: top.hasRecovered))
        } else {
            lines.append("  " + words.noSuspect)
        }
        if status.records > 0 {
            lines += wrap(Sanitize.terminal(status.verdict.summary), indent: "  ").prefix(4)
        }
        if let top = status.verdict.suspects.first, !top.hasRecovered,
            let row = status.servers.first(where: { $0.server == top.server && $0.role == top.role }),
            row.logonsLast5Minutes > 0, row.failedLast5Minutes == 0
        {
            lines += wrap(
                words.succeedingAgain(Sanitize.terminal(top.server), minutes: Diagnoser.Recovery.minutes), indent: "  ")
        }
        lines.append("")

        lines += serverTable(status.servers)
        for server in status.servers where server.state == "quiet" {
            lines.append(words.quiet(server: Sanitize.terminal(server.server), minutes: server.quietMinutes ?? 0))
        }
        lines.append("")

        lines.append(words.newestFailures)
        if status.newestFailures.isEmpty { lines.append("  " + words.noFailures) }
        for failure in status.newestFailures {
            // Short names and the file's own name: the line must keep its `file:line` within the width.
            let route = failure.backend.map { "\(short(failure.server)) → \(short($0))" } ?? short(failure.server)
            let file = failure.example.split(whereSeparator: { $0 == "/" || $0 == "\\" || $0 == "!" }).last
            let time = String(clock(failure.time).prefix(8))
            lines.append(
                "  \(time)  \(Sanitize.terminal(route))  \(Sanitize.terminal(failure.error))  "
                    + Sanitize.terminal(file.map(String.init) ?? failure.example))
        }
        if !status.problems.isEmpty {
            lines.append("")
            lines.append(words.problems)
            lines += status.problems.prefix(3).map { "  " + Sanitize.terminal($0) }
        }
        var cut = lines.map(fitted)
        if let height, cut.count > height { cut.removeLast(cut.count - height) }
        return cut
    }

    /// The screen as written to the terminal: home, each line cleared to its end, the rest of the screen cleared.
    package func render(_ status: WatchStatus) -> String {
        "\u{1B}[H" + lines(status).map { $0 + "\u{1B}[K\r\n" }.joined() + "\u{1B}[J"
    }

    /// The servers' table: a heading and a row each (at most 12), aligned.
    private func serverTable(_ servers: [WatchStatus.ServerActivity]) -> [String] {
        guard !servers.isEmpty else { return [words.noLogons] }
        let nameWidth = max(8, min(20, servers.map { Sanitize.terminal($0.server).count }.max() ?? 0))
        let columns = words.columns
        func row(_ cells: [String]) -> String {
            pad(cells[0], nameWidth) + " " + pad(cells[1], 7) + leftPad(cells[2], 10) + leftPad(cells[3], 5)
                + leftPad(cells[4], 10) + leftPad(cells[5], 5) + leftPad(cells[6], 9) + "  " + cells[7]
        }
        var lines = [row(columns)]
        for server in servers.prefix(12) {
            lines.append(
                row([
                    Sanitize.terminal(server.server), words.shortRole(server.role), "\(server.logonsLastMinute)",
                    "\(server.logonsLast5Minutes)", "\(server.failedLastMinute)", "\(server.failedLast5Minutes)",
                    server.p90Ms.map { "\($0) ms" } ?? "–", words.state(server.state),
                ]))
        }
        lines.append(words.failedExplained)
        return lines
    }

    /// A host name's first label (`MBX02` of `MBX02.contoso.com`); an address as it is.
    private func short(_ name: String) -> String {
        HostName.isAddress(name) ? name : String(name.prefix { $0 != "." })
    }

    /// `HH:MM:SS UTC` from an ISO time (or the text as it is).
    private func clock(_ iso: String) -> String {
        guard let t = iso.firstIndex(of: "T") else { return iso }
        return String(iso[iso.index(after: t)...].prefix(8)) + " UTC"
    }

    private func pad(_ text: String, _ count: Int) -> String {
        text.count >= count ? String(text.prefix(count)) : text + String(repeating: " ", count: count - text.count)
    }

    private func leftPad(_ text: String, _ count: Int) -> String {
        text.count >= count ? text : String(repeating: " ", count: count - text.count) + text
    }

    /// A line cut to the screen's width.
    private func fitted(_ line: String) -> String {
        line.count <= width ? line : String(line.prefix(max(1, width - 1))) + "…"
    }

    /// Words wrapped at `width`, each line after `indent`.
    private func wrap(_ text: String, indent: String) -> [String] {
        var lines: [String] = []
        var current = indent
        for word in text.split(separator: " ") {
            if current.count + word.count + 1 > width && current != indent {
                lines.append(current)
                current = indent
            }
            current += (current == indent ? "" : " ") + word
        }
        if current != indent { lines.append(current) }
        return lines
    }
}
