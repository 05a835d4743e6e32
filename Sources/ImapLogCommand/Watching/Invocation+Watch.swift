import Foundation
import ImapLogDiagnosis
import ImapLogKit
import ImapLogReport

extension Invocation {
    /// `imaplog watch PATH…`: follows the logs (`LogFollower`), shows the verdict as it changes, and at Ctrl-C,
    /// SIGTERM or `q` prints the full report of everything read, as a batch run over the same lines would.
    ///
    /// On a terminal (and `--format text`), one screen redrawn at each look (`WatchScreen`); otherwise JSON lines:
    /// an `update` at each look, a `change` when the first suspect or a server's state changes, and a `final`
    /// line with the whole report. Exit 0 after a clean stop; 74 when the output cannot be written.
    func watch(request: DiagnosisRequest) -> ExitStatus {
        let isScreen = console.isOutputTerminal && options.format == .text
        Platform.catchStopSignals()
        let follower = LogFollower(paths: options.paths, options: analysisOptions, startsAtEnd: options.startsAtEnd)
        // One key for the whole watch, so a user's pseudonym stays the same from one look to the next.
        let salt = options.redactionSalt ?? Self.randomSalt()
        let keys = isScreen && console.isInputTerminal ? Platform.enterKeyMode(Platform.standardInput) : nil
        defer { if let keys { Platform.restore(keys, on: Platform.standardInput) } }
        let screen = WatchScreen(language: options.language, interval: Self.seconds(options.interval))
        if isScreen {
            // The terminal's other screen (as `top` and `less` use), cursor hidden: the shell's screen comes back
            // at the end, and the report is printed there.
            guard console.write("\u{1B}[?1049h\u{1B}[?25l") == .written else { return .success }
        }
        var tracker = WatchTracker()
        var verdict: Report.Verdict?
        var builtAt = Int64.min
        var nextRefresh = Int64.min
        var recent: [WatchStatus.ServerActivity] = []
        var newestFailures: [WatchStatus.FailedLogon] = []
        var ended: Platform.WriteOutcome = .written
        var isStopped = false
        while !isStopped {
            let progress = follower.poll()
            let now = Platform.nowMilliseconds()
            tracker.note(progress, now: now)
            // The verdict again when rows came, and once a minute; at most as often as it costs twenty times what it
            // takes (a long history under a steady flow of rows: the watch stays a small part of a core).
            if (progress.lines > 0 && now >= nextRefresh) || verdict == nil || now - builtAt >= 60_000 {
                follower.refreshLive()
                let builder = reportBuilder(
                    summary: follower.live, pop3: nil, request: request, notRead: [],
                    redactor: options.redacts ? Redactor(salt: salt, summary: follower.live) : nil)
                verdict = builder.verdict(of: follower.live)
                recent = RecentActivity.servers(of: follower.live)
                newestFailures = RecentActivity.newestFailures(of: follower.live, count: 5)
                builtAt = now
                let cost = Platform.nowMilliseconds() - now
                nextRefresh = now + max(Int64(options.interval * 1000), Self.costShare * cost)
            }
            guard let verdict else { break }
            let verdictChange = tracker.noteVerdict(verdict, now: now)
            let status = WatchStatus(
                time: Timestamp.format(now, withMilliseconds: false), lines: follower.linesRead,
                records: follower.recordsRead, files: follower.fileCount, bytesBehind: progress.bytesBehind,
                newestRow: follower.newestRow.map { Timestamp.format($0, withMilliseconds: false) },
                verdict: verdict, verdictSince: Timestamp.format(tracker.verdictSince, withMilliseconds: false),
                servers: tracker.servers(recent, now: now), newestFailures: newestFailures,
                problems: progress.problems.map(\.message)
                    + follower.goneFiles.prefix(3).map { "\($0): no longer there (the lines read are counted)" })
            let stateChanges = tracker.noteStates(status.servers)
            if isScreen {
                var drawn = screen
                drawn.width = console.outputColumns ?? ReportRendering.minimumWidth
                // The last row stays empty: writing into it would scroll the screen.
                drawn.height = Platform.terminalRows(Platform.standardOutput).map { max(1, $0 - 1) }
                ended = console.write(drawn.render(status))
            } else {
                var lines: [Data] = []
                if let verdictChange {
                    lines.append(
                        (try? JSONLines.line(
                            WatchChange(
                                time: status.time, what: "suspect", server: verdict.suspects.first?.server,
                                from: verdictChange.from, to: verdictChange.to, verdict: verdict))) ?? Data())
                }
                for change in stateChanges {
                    lines.append(
                        (try? JSONLines.line(
                            WatchChange(
                                time: status.time, what: "server", server: change.server, from: change.from,
                                to: change.to, verdict: nil))) ?? Data())
                }
                lines.append((try? JSONLines.line(status)) ?? Data())
                for line in lines where ended == .written {
                    ended = line.withUnsafeBytes { console.writeOutput($0) }
                }
            }
            guard ended == .written else { break }
            // Catching up: the next look at once. Otherwise wait, waking for `q` or a stop signal.
            if progress.bytesBehind > 0 && progress.lines > 0 {
                isStopped = Platform.isStopRequested
            } else {
                isStopped = waitForNextLook(keys: keys != nil)
            }
        }
        if isScreen { _ = console.write("\u{1B}[?25h\u{1B}[?1049l") }
        if ended != .written { return console.finish(ended, isCheck: false, status: .success) }
        let result = follower.finish()
        return finalReport(result, notRead: follower.notRead, request: request, salt: salt, isScreen: isScreen)
    }

    /// Waits for the interval; returns whether the watch is to stop (Ctrl-C, SIGTERM, `q`).
    private func waitForNextLook(keys: Bool) -> Bool {
        let end = Platform.nowMilliseconds() + Int64(options.interval * 1000)
        while true {
            if Platform.isStopRequested { return true }
            let left = end - Platform.nowMilliseconds()
            if left <= 0 { return false }
            if Platform.wait(milliseconds: Int(min(left, 250)), forInputOn: keys ? Platform.standardInput : nil) {
                while let key = Platform.readKey(Platform.standardInput) {
                    if key == UInt8(ascii: "q") || key == UInt8(ascii: "Q") { return true }
                }
            }
        }
    }

    /// Writes the report of everything read, as a batch run would, and ends the watch.
    private func finalReport(
        _ result: AnalysisResult, notRead: [ImapLogError], request: DiagnosisRequest, salt: String, isScreen: Bool
    )
        -> ExitStatus
    {
        var summary = result.summary
        for problem in result.problems { console.say("imaplog: \(Sanitize.terminal(problem.message))") }
        let builder = reportBuilder(
            summary: summary, pop3: result.pop3, request: request, notRead: notRead,
            redactor: options.redacts ? Redactor(salt: salt, summary: summary) : nil)
        let report = builder.build(releasing: &summary)
        let written: Platform.WriteOutcome
        if options.format == .text && isScreen {
            let renderer = ReportRendering.textRenderer(
                top: options.top, color: options.color, isTerminal: console.isOutputTerminal,
                columns: console.outputColumns, environment: environment)
            written = console.write(renderer.render(report))
        } else {
            let time = Timestamp.format(Platform.nowMilliseconds(), withMilliseconds: false)
            guard let line = try? JSONLines.line(WatchFinal(time: time, report: report)) else {
                console.say("imaplog: could not encode the report as JSON.")
                return .ioError
            }
            written = line.withUnsafeBytes { console.writeOutput($0) }
        }
        return console.finish(written, isCheck: false, status: .success)
    }

    /// How many times its own cost a refresh of the live verdict waits: at most a twentieth of a core.
    static let costShare: Int64 = 20

    /// `5`, `0.5`: the interval as the screen's title says it.
    static func seconds(_ interval: Double) -> String {
        interval == interval.rounded() ? String(Int(interval)) : String(interval)
    }

    /// A key for the pseudonyms of one watch.
    static func randomSalt() -> String {
        var generator = SystemRandomNumberGenerator()
        return (0..<32).map { _ in String(UInt8.random(in: 0...255, using: &generator), radix: 16) }.joined()
    }
}

/// A `change` line: the first suspect, or a server's state, is another than at the last look.
struct WatchChange: Encodable {
    var type = "change"
    var time: String
    /// `suspect` or `server`.
    var what: String
    var server: String?
    var from: String?
    var to: String
    /// With a new suspect: the verdict as the JSON report has it.
    var verdict: Report.Verdict?
}

/// The last line: the whole report, as `--format json` writes it for a batch run over the same lines.
struct WatchFinal: Encodable {
    var type = "final"
    var time: String
    var report: Report
}
