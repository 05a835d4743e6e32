import ImapLogDiagnosis
import ImapLogKit

/// One server's small-multiple chart as inline SVG: commands, failures by kind, mean latency and probe sessions
/// per bucket, on the time axis every server's chart shares, with the suspect's window shaded.
///
/// Only numbers and the report's own words reach the SVG; the server's name is escaped like all text.
struct SVGChart {
    let series: ChartSeries
    let phrasebook: Phrasebook

    /// The drawing's size in its own units (the page scales it to its width).
    static let width = 760.0
    static let left = 84.0
    static let right = 8.0
    static let panelHeight = 54.0
    static let probeHeight = 12.0
    static let gap = 8.0
    static let axisHeight = 22.0

    private var plotWidth: Double { Self.width - Self.left - Self.right }

    /// A suspect's window, in minutes since 1970.
    struct Window {
        var from: Int64
        var to: Int64
    }

    /// The SVG of `server`, with `windows` shaded.
    func render(_ server: ChartSeries.Server, windows: [Window]) -> String {
        let p = phrasebook
        let hasProbes = series.servers.contains(where: \.hasProbes)
        var y = 4.0
        var body = ""
        // Commands.
        // Commands, with the logons on the server's routes as a line on the same scale.
        body += panel(
            y: y, label: p.say(.commandsPanel),
            stacks: [(server.requests, HTMLAssets.Palette.skyBlue)], line: server.hasLogons ? server.logons : nil)
        y += Self.panelHeight + Self.gap
        // Failures by kind, stacked: logons the server failed, logons refused for credentials, the rest.
        let other = zip(server.failures, zip(server.serverFaults, server.credentialFailures)).map {
            max(0, $0 - $1.0 - $1.1)
        }
        body += panel(
            y: y, label: p.say(.failuresPanel),
            stacks: [
                (server.serverFaults, HTMLAssets.Palette.vermilion),
                (server.credentialFailures, HTMLAssets.Palette.orange),
                (other, HTMLAssets.Palette.reddishPurple),
            ])
        y += Self.panelHeight + Self.gap
        body += latencyPanel(y: y, values: server.meanLatencyMs)
        y += Self.panelHeight + Self.gap
        if hasProbes {
            body += probeStrip(y: y, server: server)
            y += Self.probeHeight + Self.gap
        }
        let plotBottom = y - Self.gap
        var shading = ""
        for window in windows {
            guard let x0 = x(minute: window.from), let x1 = x(minute: window.to, end: true), x1 > x0 else { continue }
            shading +=
                "<rect class=\"window\" x=\"\(n(x0))\" y=\"0\" width=\"\(n(max(1, x1 - x0)))\" height=\"\(n(plotBottom))\" "
                + "fill=\"\(HTMLAssets.Palette.yellow)\" fill-opacity=\"0.35\"/>"
        }
        let height = y + Self.axisHeight - Self.gap
        return "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 \(n(Self.width)) \(n(height))\" role=\"img\" "
            + "aria-label=\"\(HTMLEscape.text(server.server))\">" + shading + body + axis(y: plotBottom) + "</svg>"
    }

    /// The x of a minute's place on the axis, or nil outside it.
    private func x(minute: Int64, end: Bool = false) -> Double? {
        let span = Double(series.bucketCount * series.bucketMinutes)
        let offset = Double(minute - series.firstMinute) + (end ? 1 : 0)
        let clamped = min(max(offset, 0), span)
        return Self.left + clamped / span * plotWidth
    }

    private func x(bucket: Int) -> Double {
        Self.left + Double(bucket) / Double(max(1, series.bucketCount)) * plotWidth
    }

    /// A panel of stacked bars, one stack per bucket, on a scale from 0 to its highest stack.
    private func panel(y: Double, label: String, stacks: [([Int], String)], line: [Int]? = nil) -> String {
        let count = series.bucketCount
        var totals = [Int](repeating: 0, count: count)
        for (values, _) in stacks { for i in 0..<min(count, values.count) { totals[i] += values[i] } }
        let peak = max(totals.max() ?? 0, line?.max() ?? 0)
        var out = frame(y: y, height: Self.panelHeight, label: label, peak: p(peak))
        guard peak > 0 else { return out }
        let barWidth = plotWidth / Double(max(1, count))
        var base = [Double](repeating: y + Self.panelHeight, count: count)
        for (values, colour) in stacks where values.contains(where: { $0 > 0 }) {
            var path = ""
            for i in 0..<min(count, values.count) where values[i] > 0 {
                let h = Double(values[i]) / Double(peak) * Self.panelHeight
                path += "M\(n(x(bucket: i) + barWidth / 2)) \(n(base[i]))v-\(n(max(0.5, h)))"
                base[i] -= h
            }
            out +=
                "<path d=\"\(path)\" stroke=\"\(colour)\" stroke-width=\"\(n(max(1, barWidth * 0.85)))\" fill=\"none\"/>"
        }
        if let line {
            out += linePath(line.map { Double($0) }, y: y, peak: Double(peak), colour: HTMLAssets.Palette.black)
        }
        return out
    }

    /// A line over a panel's buckets, broken where a value is nil.
    private func linePath(_ values: [Double?], y: Double, peak: Double, colour: String) -> String {
        let barWidth = plotWidth / Double(max(1, series.bucketCount))
        var path = ""
        var isDrawing = false
        for (i, value) in values.enumerated() {
            guard let value else {
                isDrawing = false
                continue
            }
            let px = x(bucket: i) + barWidth / 2
            let py = y + Self.panelHeight - value / peak * Self.panelHeight
            path += (isDrawing ? "L" : "M") + "\(n(px)) \(n(py))"
            isDrawing = true
        }
        return "<path d=\"\(path)\" stroke=\"\(colour)\" stroke-width=\"1.5\" fill=\"none\"/>"
    }

    /// The mean latency as a line broken where a bucket has no timed command.
    private func latencyPanel(y: Double, values: [Double?]) -> String {
        let peak = values.compactMap { $0 }.max() ?? 0
        let out = frame(
            y: y, height: Self.panelHeight, label: phrasebook.say(.latencyPanel),
            peak: phrasebook.millis(Int64(peak.rounded())))
        guard peak > 0 else { return out }
        return out + linePath(values, y: y, peak: peak, colour: HTMLAssets.Palette.blue)
    }

    /// Probe sessions as a strip: a mark per bucket with sessions, its failed share in vermilion from the bottom,
    /// a light grey mark in a gap (`probeGaps`).
    private func probeStrip(y: Double, server: ChartSeries.Server) -> String {
        var out =
            "<text x=\"\(n(Self.left - 4))\" y=\"\(n(y + Self.probeHeight - 2))\" text-anchor=\"end\">"
            + HTMLEscape.text(phrasebook.say(.probesPanel)) + "</text>"
        guard server.hasProbes else {
            return out + "<text x=\"\(n(Self.left + 4))\" y=\"\(n(y + Self.probeHeight - 2))\">"
                + HTMLEscape.text(phrasebook.say(.noProbeSessions)) + "</text>"
        }
        let barWidth = plotWidth / Double(max(1, series.bucketCount))
        let stroke = n(max(1, barWidth * 0.85))
        var ok = ""
        var failed = ""
        var gaps = ""
        let quiet = Self.probeGaps(server.probeSessions, bucketMinutes: series.bucketMinutes)
        for i in 0..<server.probeSessions.count {
            let mid = n(x(bucket: i) + barWidth / 2)
            let sessions = server.probeSessions[i]
            if sessions > 0 {
                // The failed share of the bucket's sessions, from the bottom: one failure in a day of probes is
                // a sliver, a bucket where every probe failed is all vermilion.
                let share = min(1, Double(server.failedProbeSessions[i]) / Double(sessions))
                let failedHeight = share > 0 ? max(3, share * Self.probeHeight) : 0
                if failedHeight < Self.probeHeight {
                    ok += "M\(mid) \(n(y))v\(n(Self.probeHeight - failedHeight))"
                }
                if failedHeight > 0 {
                    failed += "M\(mid) \(n(y + Self.probeHeight - failedHeight))v\(n(failedHeight))"
                }
            } else if quiet.contains(i) {
                gaps += "M\(mid) \(n(y))v\(n(Self.probeHeight))"
            }
        }
        for (path, colour) in [
            (ok, HTMLAssets.Palette.bluishGreen), (failed, HTMLAssets.Palette.vermilion),
            (gaps, HTMLAssets.Palette.lightGrey),
        ] where !path.isEmpty {
            out += "<path d=\"\(path)\" stroke=\"\(colour)\" stroke-width=\"\(stroke)\" fill=\"none\"/>"
        }
        return out
    }

    /// The buckets of `sessions` in a gap: a run of 5 minutes or more without a probe session, after the first.
    ///
    /// Probes run every minute or few; before the first, the logs may not reach that server yet. A run to the end
    /// of the logs is a gap: a server whose probes stopped (a hung service) shows it.
    static func probeGaps(_ sessions: [Int], bucketMinutes: Int) -> Set<Int> {
        guard let first = sessions.firstIndex(where: { $0 > 0 }) else { return [] }
        let shortest = max(1, (5 + bucketMinutes - 1) / bucketMinutes)
        var gaps = Set<Int>()
        var runStart: Int?
        for i in first...sessions.count {
            let isQuiet = i < sessions.count && sessions[i] == 0
            if isQuiet {
                if runStart == nil { runStart = i }
            } else if let start = runStart {
                if i - start >= shortest { gaps.formUnion(start..<i) }
                runStart = nil
            }
        }
        return gaps
    }

    /// A panel's frame: its baseline, its name and its highest value at the left.
    private func frame(y: Double, height: Double, label: String, peak: String) -> String {
        let bottom = y + height
        return "<line x1=\"\(n(Self.left))\" y1=\"\(n(bottom))\" x2=\"\(n(Self.width - Self.right))\" "
            + "y2=\"\(n(bottom))\" stroke=\"#d0d7de\"/>"
            + "<text x=\"\(n(Self.left - 4))\" y=\"\(n(y + 10))\" text-anchor=\"end\">"
            + HTMLEscape.text(phrasebook.say(.peak(peak))) + "</text>"
            + "<text class=\"label\" x=\"\(n(Self.left - 4))\" y=\"\(n(bottom - 2))\" text-anchor=\"end\">"
            + HTMLEscape.text(label) + "</text>"
    }

    /// Ticks and UTC times under the panels, about six, at round times.
    private func axis(y: Double) -> String {
        let spanMinutes = Int64(series.bucketCount * series.bucketMinutes)
        let steps: [Int64] = [1, 5, 10, 15, 30, 60, 120, 180, 360, 720, 1_440, 2_880, 10_080, 20_160, 43_200, 86_400]
        let step = steps.first { spanMinutes / $0 <= 6 } ?? steps.last ?? 1_440
        var first = series.firstMinute - ((series.firstMinute % step) + step) % step
        if first < series.firstMinute { first += step }
        var out = ""
        var minute = first
        let showsDate = spanMinutes > 1_440 || step >= 1_440
        while minute <= series.firstMinute + spanMinutes {
            guard let px = x(minute: minute) else { break }
            let text = Timestamp.format(minute * 60_000, withMilliseconds: false)
            let chars = Array(text)
            let label =
                showsDate
                ? String(chars[5..<10]) + (step < 1_440 ? " " + String(chars[11..<16]) : "")
                : String(chars[11..<16])
            out += "<line x1=\"\(n(px))\" y1=\"\(n(y))\" x2=\"\(n(px))\" y2=\"\(n(y + 4))\" stroke=\"#57606a\"/>"
            // A label at either end of the axis is kept inside the drawing.
            let anchor = px - Self.left < 20 ? "start" : Self.width - Self.right - px < 20 ? "end" : "middle"
            out += "<text x=\"\(n(px))\" y=\"\(n(y + 15))\" text-anchor=\"\(anchor)\">\(label)</text>"
            minute += step
        }
        out += "<text x=\"\(n(Self.left - 8))\" y=\"\(n(y + 15))\" text-anchor=\"end\">UTC</text>"
        return out
    }

    private func p(_ value: Int) -> String { phrasebook.count(value) }

    /// A coordinate with one decimal at most: the same bytes on every run, and a small page.
    private func n(_ value: Double) -> String {
        let tenths = Int((value * 10).rounded())
        let sign = tenths < 0 ? "-" : ""
        let magnitude = abs(tenths)
        return magnitude % 10 == 0 ? "\(sign)\(magnitude / 10)" : "\(sign)\(magnitude / 10).\(magnitude % 10)"
    }
}
