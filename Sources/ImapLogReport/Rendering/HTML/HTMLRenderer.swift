import Foundation
import ImapLogDiagnosis
import ImapLogKit

/// Renders a report as one self-contained HTML page: the answer first, then a chart per server, then the tables.
///
/// Inline CSS and SVG, a small script allowed by its hash for conveniences (copying a command, sorting a table);
/// nothing is loaded, so the page opens offline, from a mail or a share, and reads the same with scripts off.
/// Every string is escaped with `HTMLEscape.text` as it is written; no text from a log ever reaches an attribute
/// other than a quoted `aria-label` or `title`, and never a `href`, `style`, `class`, `id` or the script.
package struct HTMLRenderer {
    /// A row a suspect cites, read again from its log by the command line.
    package enum EvidenceRow: Sendable, Equatable {
        /// The row's text (made safe here), cut to a bound by whoever read it.
        case text(String)
        /// The file is gone, changed, or was standard input.
        case notReadable
    }

    /// Rows of the errors, users, clients and files tables.
    package var top = 10
    /// The cited rows' text, by `path:line` as the report cites them.
    package var rows: [String: EvidenceRow] = [:]
    /// The command line that made the report, shown at its end (already redacted when the report is).
    package var commandLine = ""
    /// The zone of `--tz`: times are then also said in it.
    package var timeZone: TimeZone?

    package init() {}

    /// The page of `report`.
    package func render(_ report: Report) -> String {
        let page = Page(renderer: self, report: report, phrasebook: Phrasebook(language: report.language))
        return page.render()
    }
}

/// One page being written.
struct Page {
    let renderer: HTMLRenderer
    let report: Report
    let phrasebook: Phrasebook

    /// Shorthand: escaped text.
    func e(_ text: String) -> String { HTMLEscape.text(text) }

    func render() -> String {
        let p = phrasebook
        var out = "<!DOCTYPE html>\n<html lang=\"\(report.language.rawValue)\">\n<head>\n<meta charset=\"utf-8\">\n"
        out += "<meta http-equiv=\"Content-Security-Policy\" content=\"\(HTMLAssets.contentSecurityPolicy)\">\n"
        out += "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
        out += "<meta name=\"referrer\" content=\"no-referrer\">\n"
        out += "<meta name=\"generator\" content=\"imaplog \(e(report.tool.version))\">\n"
        var title = p.say(.pageTitle)
        if let monitor = report.monitor.value { title += " (\(monitor.name))" }
        out += "<title>\(e(title))</title>\n<style>\(HTMLAssets.style)</style>\n</head>\n"
        out += "<body data-copy=\"\(e(p.say(.copy)))\" data-copied=\"\(e(p.say(.copied)))\">\n<main>\n"
        out += header()
        out += verdict()
        if let alert = report.alert { out += fromTheAlert(alert) }
        out += nextSteps()
        out += evidence()
        out += findings()
        out += charts()
        out += tables()
        out += footer()
        out += "</main>\n<script>\(HTMLAssets.script)</script>\n</body>\n</html>\n"
        return out
    }

    // MARK: - The answer

    private func header() -> String {
        let p = phrasebook
        let input = report.input
        var out = "<header class=\"top\">\n<h1>\(e(p.say(.pageTitle)))</h1>\n"
        var counts = p.say(
            .fileCounts(
                files: input.fileCount, lines: input.lines, records: input.records, headerLines: input.headerLines,
                skipped: input.skipped))
        if input.filteredOut > 0 { counts += " (" + p.say(.filteredOut(records: input.filteredOut)) + ")" }
        out += "<p>\(e(counts))</p>\n"
        if let first = input.first, let last = input.last {
            out += "<p>\(e(p.say(.spanUTC(from: p.time(first), to: p.time(last)))))"
            if let zone = renderer.timeZone {
                out +=
                    "; " + e(p.say(.spanLocal(from: local(first, zone), to: local(last, zone), zone: zone.identifier)))
            }
            out += "</p>\n"
        }
        // Links to the page's own sections, by fixed names: nothing from a log reaches a `href`.
        var links: [(String, String)] = []
        if !report.nextSteps.isEmpty { links.append(("steps", p.say(.nextSteps))) }
        if !report.verdict.suspects.isEmpty { links.append(("evidence", p.say(.evidence))) }
        if report.charts.map({ !$0.servers.isEmpty }) == true { links.append(("charts", p.say(.charts))) }
        links.append(("tables", p.say(.tables)))
        out += "<nav class=\"toc\">" + links.map { "<a href=\"#\($0.0)\">\(e($0.1))</a>" }.joined() + "</nav>\n"
        return out + "</header>\n"
    }

    /// An ISO time in `zone`, as `2026-11-17 10:53`.
    func local(_ iso: String, _ zone: TimeZone) -> String {
        guard let millis = Timestamp.parse(iso) else { return iso }
        let offset = zone.secondsFromGMT(for: Date(timeIntervalSince1970: Double(millis) / 1000))
        return Format.shortTime(Timestamp.format(millis + Int64(offset) * 1000, withMilliseconds: false))
    }

    /// The severity of the answer, as the check line would say it.
    private var severity: String {
        switch CheckRenderer.status(of: report) {
        case .critical: return "critical"
        case .warning: return "warning"
        case .ok: return "ok"
        case .unknown: return "unknown"
        }
    }

    private func verdict() -> String {
        let p = phrasebook
        var title = p.say(.verdict)
        if let monitor = report.monitor.value {
            title += " (\(monitor.name)" + (monitor.probe.map { ", \($0)" } ?? "") + ", " + monitor.healthSet + ")"
        }
        var out = "<section class=\"verdict \(severity)\" id=\"verdict\">\n<h2>\(e(title))</h2>\n"
        out += "<p class=\"answer\">\(e(report.verdict.summary))</p>\n"
        if let suspect = report.verdict.suspects.first {
            out += "<p>" + confidence(suspect.confidence)
            if let window = suspect.window {
                out += " · " + e(p.say(.window(from: p.time(window.from), to: p.time(window.to))))
                if let zone = renderer.timeZone {
                    out += " (" + e("\(local(window.from, zone)) → \(local(window.to, zone)) \(zone.identifier)") + ")"
                }
            }
            out += "</p>\n"
        }
        if report.monitors.count > 1 {
            let others = report.monitors.filter {
                (report.monitor.value == nil ? $0.fired : true) && !report.verdict.summary.contains($0.summary)
            }
            if !others.isEmpty {
                out += "<ul>\n" + others.map { "<li>\(e($0.summary))</li>\n" }.joined() + "</ul>\n"
            }
        }
        return out + "</section>\n"
    }

    /// A confidence as words and a small bar (numbers only reach the SVG).
    private func confidence(_ value: Double) -> String {
        let p = phrasebook
        let width = Int((max(0, min(1, value)) * 80).rounded())
        return e(p.say(.confidence(p.decimal(value))))
            + "<svg class=\"meter\" width=\"80\" height=\"8\" viewBox=\"0 0 80 8\" aria-hidden=\"true\">"
            + "<rect width=\"80\" height=\"8\" rx=\"2\" fill=\"#d0d7de\"/>"
            + "<rect width=\"\(width)\" height=\"8\" rx=\"2\" fill=\"#57606a\"/></svg>"
    }

    private func fromTheAlert(_ alert: Alert) -> String {
        let p = phrasebook
        let parts = TextRenderer.alertParts(
            alert, servers: report.servers.map(\.server) + report.input.files.compactMap(\.server), phrasebook: p)
        return "<section id=\"alert\">\n<h2>\(e(p.say(.fromTheAlert)))</h2>\n<p>"
            + e(parts.joined(separator: p.say(.alertPartsSeparator)) + ".") + "</p>\n</section>\n"
    }

    private func nextSteps() -> String {
        guard !report.nextSteps.isEmpty else { return "" }
        let p = phrasebook
        var out = "<section id=\"steps\">\n<h2>\(e(p.say(.nextSteps)))</h2>\n"
        let isForSeveralMonitors = Set(report.nextSteps.compactMap(\.monitor)).count > 1
        var monitor: String?
        var isListOpen = false
        for (index, step) in report.nextSteps.enumerated() {
            if isForSeveralMonitors, let next = step.monitor, next != monitor {
                if isListOpen { out += "</ol>\n" }
                out += "<p class=\"monitor\">\(e(next))</p>\n"
                isListOpen = false
                monitor = next
            }
            if !isListOpen {
                out += "<ol class=\"steps\" start=\"\(index + 1)\">\n"
                isListOpen = true
            }
            out += "<li><p>\(e(step.text))</p>"
            if let command = step.command {
                out += "<div class=\"cmd\"><pre><code>\(e(command))</code></pre></div>"
            }
            out += "</li>\n"
        }
        if isListOpen { out += "</ol>\n" }
        return out + "</section>\n"
    }

    private func evidence() -> String {
        guard !report.verdict.suspects.isEmpty else { return "" }
        let p = phrasebook
        var out = "<section id=\"evidence\">\n<h2>\(e(p.say(.evidence)))</h2>\n"
        for suspect in report.verdict.suspects {
            out +=
                "<div class=\"suspect\">\n<h3>"
                + e(
                    p.say(
                        .suspect(
                            server: suspect.server, role: suspect.role, confidence: suspect.confidence,
                            monitor: suspect.monitor, failures: suspect.failures, total: suspect.total)))
                + "</h3>\n"
            if let window = suspect.window {
                out += "<p class=\"muted\">\(e(p.say(.window(from: p.time(window.from), to: p.time(window.to)))))"
                if suspect.hasRecovered { out += " · " + e(p.say(.recovered)) }
                out += "</p>\n"
            }
            if !suspect.evidence.isEmpty {
                out += "<ul>\n" + suspect.evidence.map { "<li>\(e($0))</li>\n" }.joined() + "</ul>\n"
            }
            if !suspect.examples.isEmpty {
                out += "<p class=\"monitor\">\(e(p.say(.rows)))</p>\n"
                out += "<div class=\"scroll\"><table class=\"rows\">\n<tbody>\n"
                for place in suspect.examples {
                    let text: String
                    switch renderer.rows[place] {
                    case .text(let row): text = "<code>\(e(row))</code>"
                    case .notReadable, nil: text = "<span class=\"muted\">\(e(p.say(.notReadableNow)))</span>"
                    }
                    out += "<tr><td><code>\(e(place))</code></td><td>\(text)</td></tr>\n"
                }
                out += "</tbody>\n</table></div>\n"
            }
            out += "</div>\n"
        }
        return out + "</section>\n"
    }

    private func findings() -> String {
        guard !report.findings.isEmpty else { return "" }
        let p = phrasebook
        var out = "<section id=\"findings\">\n<h2>\(e(p.say(.whatStandsOut)))</h2>\n<ul class=\"findings\">\n"
        for finding in report.findings {
            let (label, kind): (String, String)
            switch finding.severity {
            case .critical: (label, kind) = ("CRIT", "critical")
            case .warning: (label, kind) = (p.say(.warn), "warning")
            case .info: (label, kind) = ("INFO", "info")
            }
            out += "<li><span class=\"badge \(kind)\">\(e(label))</span>\(e(finding.text))</li>\n"
        }
        return out + "</ul>\n</section>\n"
    }

    // MARK: - Charts

    private func charts() -> String {
        guard let series = report.charts, !series.servers.isEmpty else { return "" }
        let p = phrasebook
        var out = "<section id=\"charts\">\n<h2>\(e(p.say(.charts)))</h2>\n"
        out += "<p class=\"muted\">\(e(p.say(.chartsNote(bucketMinutes: series.bucketMinutes))))</p>\n"
        out += legend(
            hasProbes: series.servers.contains(where: \.hasProbes),
            hasWindow: report.verdict.suspects.contains { $0.window != nil })
        let chart = SVGChart(series: series, phrasebook: p)
        for server in series.servers {
            let windows = report.verdict.suspects.filter {
                $0.server.lowercased() == server.server.lowercased() && $0.role == server.role
            }.compactMap { suspect -> SVGChart.Window? in
                guard let window = suspect.window, let from = Timestamp.parse(window.from),
                    let to = Timestamp.parse(window.to)
                else { return nil }
                return SVGChart.Window(from: BucketStart(millis: from).minute, to: BucketStart(millis: to).minute)
            }
            out +=
                "<figure class=\"chart\">\n<figcaption>\(e(server.server)) "
                + "<span class=\"muted\">(\(e(p.role(server.role))))</span></figcaption>\n"
            out += "<div class=\"plot\">" + chart.render(server, windows: windows) + "</div>\n</figure>\n"
        }
        out += "<p class=\"muted\">\(e(p.say(.latencyMeanNote)))</p>\n"
        return out + "</section>\n"
    }

    private func legend(hasProbes: Bool, hasWindow: Bool) -> String {
        let p = phrasebook
        var items: [(String, String, Bool)] = [
            (HTMLAssets.Palette.skyBlue, p.say(.legendCommands), false),
            (HTMLAssets.Palette.black, p.say(.legendLogons), true),
            (HTMLAssets.Palette.vermilion, p.say(.legendServerFaults), false),
            (HTMLAssets.Palette.orange, p.say(.legendCredentials), false),
            (HTMLAssets.Palette.reddishPurple, p.say(.legendOtherFailures), false),
            (HTMLAssets.Palette.blue, p.say(.legendLatency), true),
        ]
        if hasProbes {
            items += [
                (HTMLAssets.Palette.bluishGreen, p.say(.legendProbesOK), false),
                (HTMLAssets.Palette.vermilion, p.say(.legendProbesFailed), false),
                (HTMLAssets.Palette.lightGrey, p.say(.legendProbeGap), false),
            ]
        }
        if hasWindow { items.append((HTMLAssets.Palette.yellow, p.say(.legendSuspectWindow), false)) }
        var out = "<div class=\"legend\">"
        for (colour, text, isLine) in items {
            let mark =
                isLine
                ? "<line x1=\"0\" y1=\"5\" x2=\"14\" y2=\"5\" stroke=\"\(colour)\" stroke-width=\"2\"/>"
                : "<rect width=\"14\" height=\"10\" fill=\"\(colour)\"/>"
            out += "<span><svg width=\"14\" height=\"10\" aria-hidden=\"true\">\(mark)</svg>\(e(text))</span>"
        }
        return out + "</div>\n"
    }

    // MARK: - Footer

    private func footer() -> String {
        let p = phrasebook
        var out = "<footer>\n<p>\(e(p.say(.madeBy(version: report.tool.version))))</p>\n"
        if !renderer.commandLine.isEmpty {
            out +=
                "<p>\(e(p.say(.commandLine))):</p>\n<div class=\"cmd\"><pre><code>"
                + e(renderer.commandLine) + "</code></pre></div>\n"
        }
        out += "<p>\(e(p.say(.escapedNote)))</p>\n"
        return out + "</footer>\n"
    }
}
