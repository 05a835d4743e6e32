import CBuildInfo
import Foundation
import ImapLogDiagnosis
import ImapLogKit
import ImapLogReport

/// The command-line tool: options in, report out, exit status.
///
/// All policy lives here.
@main
enum Command {
    static let version = String(cString: imaplog_build_version())

    /// Exit statuses, following BSD's sysexits (and the plugin convention with --check).
    enum ExitStatus: Equatable {
        case success
        case usage
        case noRecords
        case noInput
        case ioError
        /// --check: 0 OK, 1 WARNING, 2 CRITICAL, 3 UNKNOWN.
        case check(Int32)

        /// Whether this is a monitoring plugin's status (`--check`).
        var isCheck: Bool {
            if case .check = self { return true }
            return false
        }

        var rawValue: Int32 {
            switch self {
            case .success: return 0
            case .usage: return 64
            case .noRecords: return 65
            case .noInput: return 66
            case .ioError: return 74
            case .check(let code): return code
            }
        }
    }

    static func main() {
        Platform.ignoreBrokenPipeSignal()
        Platform.returnFreedMemoryPromptly()
        let arguments = Array(CommandLine.arguments.dropFirst())
        var status = run(arguments: arguments, environment: ProcessInfo.processInfo.environment)
        // A full share may refuse the last writes only when the file is closed (NFS, SMB).
        if case .failed(let code) = Platform.closeStandardOutput(), status != .ioError {
            status = outputFailed(code, isCheck: status.isCheck)
        }
        exit(status.rawValue)
    }

    /// The clock: `IMAPLOG_NOW` (an ISO time) when set, so a check on logs replayed later reads as it did
    /// live, and outputs stay reproducible; else the machine's.
    static func now(_ environment: [String: String]) -> Int64 {
        environment["IMAPLOG_NOW"].flatMap { Timestamp.parse($0) } ?? Platform.nowMilliseconds()
    }

    static func run(arguments: [String], environment: [String: String]) -> ExitStatus {
        let options: Options
        do {
            options = try Options.parse(arguments, now: now(environment))
        } catch {
            if arguments.contains("--check") {
                let unknown = CheckRenderer.Status.unknown.rawValue
                let written = write(CheckRenderer.unknown("bad command line: \(error.message)").1 + "\n")
                return finish(written, isCheck: true, status: .check(unknown), closedPipe: .check(unknown))
            }
            printError("imaplog: \(error.message)\nRun 'imaplog --help' for the options.")
            return .usage
        }
        if options.showsHelp {
            return finish(write(Options.help + "\n"), isCheck: false, status: .success)
        }
        if options.showsVersion {
            return finish(write("imaplog \(version)\n"), isCheck: false, status: .success)
        }
        // Where the summary is to go is checked before the analysis it waits for (nothing is created yet).
        if let target = options.saveSummaryPath, let refused = OutputFile.check(target) {
            return fail(options, .ioError, summaryFailure(refused))
        }

        // The alert, when given: monitors, servers and time.
        var request = DiagnosisRequest()
        request.language = options.language
        request.monitors = options.monitors
        request.source = options.monitors.isEmpty ? "logs" : "option"
        request.serverNames = options.serverNames
        // A check runs on live logs: logs that stopped while the clock goes on are a finding.
        if options.isCheck { request.now = now(environment) }
        if let alertPath = options.alertPath {
            let zone = options.alertTimeZone.flatMap(AlertParser.timeZone(named:)) ?? TimeZone.current
            guard let alert = readAlert(alertPath, timeZone: zone) else {
                return fail(
                    options, .noInput,
                    "imaplog: \(Sanitize.terminal(alertPath)): cannot read the alert file. Check the path, or save the alert (or the output of Get-ServerHealth, Invoke-MonitoringProbe) to a file; --alert - reads it from standard input."
                )
            }
            if alert.monitors.isEmpty && !alert.otherHealthSets.isEmpty {
                let sets = alert.otherHealthSets.joined(separator: ", ")
                return fail(
                    options, .noRecords,
                    "imaplog: \(Sanitize.terminal(alertPath)): the alert is about \(Sanitize.terminal(sets)), not an IMAP health set (IMAP, IMAP.Proxy, IMAP.Protocol): imaplog reads IMAP4 logs only. Follow that health set's own troubleshooting.",
                    check: "the alert is about \(sets), not IMAP")
            }
            if alert.isTruncated && !options.isCheck {
                printError(
                    "imaplog: \(Sanitize.terminal(alertPath)): the alert is longer than imaplog reads (\(AlertParser.maximumBytes >> 20) MiB, lines of \(AlertParser.maximumLineLength) characters): only that much was read."
                )
            }
            if let unreadable = alert.unreadableTime, !options.isCheck {
                printError(
                    "imaplog: \(Sanitize.terminal(alertPath)): the alert's time \"\(Sanitize.terminal(unreadable))\" cannot be read (a field is out of range): left out, the analysis is not centred on it."
                )
            }
            request.alert = alert
            if request.monitors.isEmpty && !alert.monitors.isEmpty {
                request.monitors = alert.monitors
                request.source = "alert"
            }
        }

        if options.isMerge { return merge(options, request: request) }

        var paths = options.paths
        if paths.isEmpty {
            if Platform.isTerminal(Platform.standardInput) {
                guard let answer = askForPath() else {
                    printError("imaplog: no path given. Run 'imaplog --help' for how to name the logs.")
                    return .usage
                }
                paths = [answer]
            } else {
                paths = ["-"]
            }
        }

        let plan = InputDiscovery.plan(paths: paths)
        if plan.duplicateCount > 0 && !options.isCheck {
            let logs = plan.duplicateCount == 1 ? "1 log was" : "\(plan.duplicateCount) logs were"
            printError("imaplog: \(logs) named more than once; each is read once.")
        }
        var analysisOptions = AnalysisOptions()
        analysisOptions.since = options.since
        analysisOptions.until = options.until
        analysisOptions.servers = options.servers
        analysisOptions.users = options.users
        analysisOptions.commands = options.commands
        analysisOptions.excludesProbes = options.excludesProbes
        analysisOptions.workerCount = options.jobs
        // The alert's time centres the analysis: an hour before it to half an hour after.
        var centredOnAlert = false
        if let time = request.alert?.time, options.since == nil, options.until == nil {
            analysisOptions.since = time - 3_600_000
            analysisOptions.until = time + 1_800_000
            centredOnAlert = true
            request.alert?.windowFrom = Timestamp.format(time - 3_600_000, withMilliseconds: false)
            request.alert?.windowTo = Timestamp.format(time + 1_800_000, withMilliseconds: false)
        }
        var result = LogAnalysis.run(plan: plan, options: analysisOptions)
        if centredOnAlert && result.summary.records > 0 && result.summary.filteredOut == result.summary.records {
            printError("imaplog: the alert's time is outside these logs: analysing all of them.")
            request.alert?.windowFrom = nil
            request.alert?.windowTo = nil
            analysisOptions.since = nil
            analysisOptions.until = nil
            result = LogAnalysis.run(plan: plan, options: analysisOptions)
        }
        if !options.isCheck {
            for problem in result.problems { printError("imaplog: \(Sanitize.terminal(problem.message))") }
        }

        // One owner of the summary, so the report can free it before rendering.
        var summary = result.summary
        let problems = result.problems
        result.summary = Summary()
        if let target = options.saveSummaryPath, plan.inputCount > 0 {
            return save(summary, to: target, problems: problems)
        }
        if plan.inputCount == 0 || (summary.lines == 0 && !problems.isEmpty) {
            if problems.isEmpty { printError("imaplog: nothing to read.") }
            let reason = problems.first?.message ?? "nothing to read"
            return fail(options, .noInput, nil, check: reason)
        }

        return report(
            &summary, pop3: result.pop3, options: options, request: request, problems: problems,
            notRead: plan.problems, environment: environment)
    }

    /// Renders the report of `summary` in the format asked for, and picks the exit status.
    ///
    /// The summary is emptied once the report is built: its per-minute tables are the largest thing held.
    ///
    /// - Parameters:
    ///   - problems: every input that could not be read, or not whole (exit 74).
    ///   - notRead: the paths among them not read at all, listed in the report.
    static func report(
        _ summary: inout Summary, pop3: Summary? = nil, options: Options, request: DiagnosisRequest,
        problems: [ImapLogError], notRead: [ImapLogError] = [], environment: [String: String]
    ) -> ExitStatus {
        var builder = ReportBuilder()
        builder.pop3 = pop3
        builder.problems = notRead
        builder.top = options.top
        builder.bucketMinutes = options.bucketMinutes
        builder.version = version
        builder.request = request
        let redactor = options.redacts ? Redactor(salt: options.redactionSalt, summary: summary) : nil
        builder.redactor = redactor
        let (records, lines, skippedByReason) = (summary.records, summary.lines, summary.skippedByReason)
        let report = builder.build(releasing: &summary)
        summary = Summary()
        Platform.releaseFreeMemory()

        if options.isCheck {
            let (status, line) =
                records == 0
                ? CheckRenderer.unknown("no log records in \(lines) lines read")
                : CheckRenderer.render(report)
            let written = write(line + "\n")
            return finish(written, isCheck: true, status: .check(status.rawValue), closedPipe: .check(status.rawValue))
        }
        let isUndetermined = report.verdict.isUndetermined

        var output: String
        switch options.format {
        case .text:
            var renderer = TextRenderer()
            let isTerminal = Platform.isTerminal(Platform.standardOutput)
            renderer.width =
                Platform.terminalColumns(Platform.standardOutput)
                ?? environment["COLUMNS"].flatMap(Int.init) ?? 120
            renderer.width = max(60, renderer.width)
            renderer.top = options.top
            switch options.color {
            case .always: renderer.usesColor = true
            case .never: renderer.usesColor = false
            case .auto:
                renderer.usesColor =
                    isTerminal && environment["NO_COLOR", default: ""].isEmpty
                    && environment["TERM"] != "dumb"
            }
            output = renderer.render(report)
        case .json:
            do {
                // Written in pieces as encoded, without building the whole document.
                output = ""
                var written = Platform.WriteOutcome.written
                _ = try JSONRenderer.write(report) { piece in
                    written = piece.withUnsafeBytes { Platform.writeAll(Platform.standardOutput, $0) }
                    return written == .written
                }
                // The reader went away (end quietly), or the disk is full (exit 74).
                if written != .written { return finish(written, isCheck: false, status: .success) }
            } catch {
                printError("imaplog: could not encode the report as JSON (\(error)).")
                return .ioError
            }
        case .csv:
            output = CSVRenderer.render(report, table: options.table)
        }
        let written = write(output)
        // The reader went away: end quietly; a full disk: exit 74.
        if written != .written { return finish(written, isCheck: false, status: .success) }

        if records == 0 {
            let reasons = skippedByReason.sorted { $0.value.count > $1.value.count }
                .map { "\($0.value.count) \($0.key.rawValue)" }.joined(separator: ", ")
            printError(
                "imaplog: read \(lines) lines but found no log records"
                    + (reasons.isEmpty ? "." : " (\(reasons)).")
                    + " Are these Exchange IMAP4/POP3 protocol logs?")
            return problems.isEmpty ? .noRecords : .ioError
        }
        if !problems.isEmpty { return .ioError }
        // The logs could not answer (filters left nothing, the monitors' data is absent): no all-clear.
        return isUndetermined ? .noRecords : .success
    }

    /// Writes the summary (the map step of a fleet analysis) instead of a report.
    ///
    /// Written as it is compressed, not held whole (a year of five servers: 16 MB), as `OutputFile` writes: to a
    /// new file beside the target that takes its place once complete (so a failed run leaves no half summary, and
    /// a link planted beside it is never followed), or straight to a FIFO or device; every write checked.
    static func save(_ summary: Summary, to target: String, problems: [ImapLogError]) -> ExitStatus {
        let output: OutputFile
        switch OutputFile.open(target) {
        case .success(let opened): output = opened
        case .failure(let failure):
            printError(summaryFailure(failure))
            return .ioError
        }
        do {
            try SummaryFile.write(summary) { output.write($0) }
        } catch {
            output.discard()
            printError("imaplog: could not encode the summary (\(error)).")
            return .ioError
        }
        if case .failure(let failure) = output.commit() {
            printError(summaryFailure(failure))
            return .ioError
        }
        printError(
            "imaplog: summary of \(summary.records) records from \(summary.files.count) files written to \(target).")
        if summary.records == 0 { return problems.isEmpty ? .noRecords : .ioError }
        return problems.isEmpty ? .success : .ioError
    }

    /// What to say when the summary cannot be written to `failure.path`.
    static func summaryFailure(_ failure: OutputFile.Failure) -> String {
        let place = failure.path == "-" ? "standard output" : failure.path
        return "imaplog: \(place): cannot write the summary there: \(failure.reason)."
    }

    /// `imaplog merge FILE…`: merges summaries in a fixed order (by their first file), so the report does not
    /// depend on the order they are named in, and reports as one run over all their logs would.
    ///
    /// The order comes from each file's first line, so the summaries are decoded one at a time, merged and
    /// let go: memory holds the merged summary and one file's, not every file's.
    ///
    /// A summary that cannot be read, or that `SummaryFile.decode` refuses (damaged, or past a bound), is named,
    /// left out and listed among the report's files with why; the others are merged and reported, and the run
    /// exits 74. Only when none is left is there no report (66).
    static func merge(_ options: Options, request: DiagnosisRequest) -> ExitStatus {
        // Files named, folders' files, patterns' matches (a job engine's thousands of parts: `merge 'parts/*'`).
        let (candidates, problems) = InputDiscovery.summaryFiles(options.paths)
        var leftOut: [ImapLogError] = []
        func leaveOut(_ error: ImapLogError) {
            leftOut.append(error)
            if !options.isCheck { printError("imaplog: \(Sanitize.terminal(error.message))") }
        }
        for problem in problems { leaveOut(problem) }
        var keyed: [(key: String, index: Int, path: String)] = []
        var seen = Set<String>()
        var repeated = 0
        var passedOver = 0
        for (index, (path, named)) in candidates.enumerated() {
            guard seen.insert(Platform.canonicalPath(path) ?? path).inserted else {
                repeated += 1
                continue
            }
            do {
                keyed.append((try SummaryFile.mergeKey(contentsOf: path), index, path))
            } catch {
                // In a folder, a file that is not a summary is passed over; named, it is left out, and said.
                if named { leaveOut(Self.summaryProblem(error, path: path)) } else { passedOver += 1 }
            }
        }
        if !options.isCheck {
            if repeated > 0 {
                let files = repeated == 1 ? "1 summary file was" : "\(repeated) summary files were"
                printError("imaplog: \(files) named more than once; each is merged once.")
            }
            if passedOver > 0 {
                printError(
                    passedOver == 1
                        ? "imaplog: 1 file in the folders named is not a summary: passed over."
                        : "imaplog: \(passedOver) files in the folders named are not summaries: passed over.")
            }
        }
        guard !keyed.isEmpty else {
            let named = Sanitize.terminal(options.paths.joined(separator: " "))
            return fail(
                options, .noInput, leftOut.isEmpty ? "imaplog: no imaplog summary in \(named)." : nil,
                check: Sanitize.terminal(leftOut.first?.message ?? "no imaplog summary"))
        }
        keyed.sort { ($0.key, $0.index) < ($1.key, $1.index) }
        var merged = Summary()
        var mergedCount = 0
        // Lines of the summaries merged: their sum is held to `Summary.lineLimit`, which bounds every merged count.
        var lines = 0
        // A log in two summaries (the same name, lines and times) was most likely summarized twice. Each is
        // remembered by a 64-bit hash of those (40,000 files: 0.6 MB, not 6.5): that two of 40,000 different logs
        // pass for one has odds under one in ten billion.
        var logs = Set<Int>()
        var overlapping = 0
        for (_, _, path) in keyed {
            let summary: Summary
            do {
                // Read as it streams from disk: the file is not held whole; checked against every bound as read.
                summary = try SummaryFile.decode(contentsOf: path)
            } catch {
                leaveOut(Self.summaryProblem(error, path: path))
                continue
            }
            // At most `lineLimit` each (checked as decoded): neither sum can overflow.
            guard lines + summary.lines <= Summary.lineLimit else {
                leaveOut(
                    .badSummary(
                        path: path,
                        reason:
                            "refused: with it the summaries would account for more than \(Summary.lineLimit) lines"))
                continue
            }
            lines += summary.lines
            for file in summary.files {
                var hasher = Hasher()
                hasher.combine(file.path)
                hasher.combine(file.lines)
                hasher.combine(file.records)
                hasher.combine(file.first)
                hasher.combine(file.last)
                if !logs.insert(hasher.finalize()).inserted { overlapping += 1 }
            }
            merged.merge(summary)
            mergedCount += 1
        }
        guard mergedCount > 0 else {
            return fail(options, .noInput, nil, check: leftOut.first.map { Sanitize.terminal($0.message) })
        }
        // The summaries left out are listed with the files, each with why: the report and its JSON say them.
        for problem in leftOut {
            merged.files.append(
                .of(
                    path: problem.path, role: .unknown, server: nil, format: nil, lines: 0, headerLines: 0, records: 0,
                    skipped: 0, first: nil, last: nil, notices: [], error: problem.message))
        }
        if overlapping > 0 && !options.isCheck {
            let logs = overlapping == 1 ? "1 log is" : "\(overlapping) logs are"
            printError(
                "imaplog: \(logs) in more than one summary (the same name, lines and times): counted once for each."
                    + " Was a server's share summarized twice?")
        }
        return report(
            &merged, options: options, request: request, problems: leftOut,
            environment: ProcessInfo.processInfo.environment)
    }

    /// What to say of a summary file that could not be read: its own message when it is one imaplog's reading
    /// gives, else that it could not be read.
    private static func summaryProblem(_ error: ImapLogError, path: String) -> ImapLogError {
        switch error {
        case .badSummary, .cannotOpen, .notFound: error
        default: .badSummary(path: path, reason: "cannot read this summary file")
        }
    }

    /// Ends a run that cannot produce a report: the message, or the monitoring plugin's UNKNOWN line.
    static func fail(_ options: Options, _ status: ExitStatus, _ message: String?, check reason: String? = nil)
        -> ExitStatus
    {
        if options.isCheck {
            let unknown = ExitStatus.check(CheckRenderer.Status.unknown.rawValue)
            let written = write(CheckRenderer.unknown(reason ?? message ?? "no input").1 + "\n")
            return finish(written, isCheck: true, status: unknown, closedPipe: unknown)
        }
        if let message { printError(message) }
        return status
    }

    /// The alert in a file or standard input, read as it comes: 64 KiB at a time, at most
    /// `AlertParser.maximumBytes` (a file of any size, or `/dev/zero`, costs no more); nil when it cannot be read.
    ///
    /// Raw bytes: a UTF-16 file piped in stays UTF-16.
    static func readAlert(_ path: String, timeZone: TimeZone) -> Alert? {
        let handle = path == "-" ? FileHandle.standardInput : FileHandle(forReadingAtPath: path)
        guard let handle else { return nil }
        var reader = AlertReader(timeZone: timeZone)
        do {
            while !reader.isFull, let chunk = try handle.read(upToCount: 65_536), !chunk.isEmpty {
                chunk.withUnsafeBytes { reader.read($0) }
            }
        } catch {
            return nil
        }
        return reader.finish()
    }

    /// Asks on the terminal for the log path, accepting what an admin pastes: quotes, trailing spaces,
    /// PowerShell's `& '…'`, `~`.
    static func askForPath() -> String? {
        printError(
            "Path to the IMAP4 protocol logs (a folder or a file; Get-ImapSettings shows LogFileLocation):",
            newline: false)
        printError(" ", newline: false)
        guard let line = readLine(strippingNewline: true) else { return nil }
        let path = cleanPastedPath(line, home: ProcessInfo.processInfo.environment["HOME"])
        return path.isEmpty ? nil : path
    }

    /// Tidies a pasted path.
    static func cleanPastedPath(_ text: String, home: String?) -> String {
        var path = text.trimmingSpaces()
        if path.hasPrefix("& ") { path = String(path.dropFirst(2)).trimmingSpaces() }
        for quote in ["\"", "'"] where path.count >= 2 && path.hasPrefix(quote) && path.hasSuffix(quote) {
            path = String(path.dropFirst().dropLast())
        }
        if path.hasPrefix("file://") { path = String(path.dropFirst(7)) }
        if let home, path == "~" || path.hasPrefix("~/") { path = home + path.dropFirst() }
        return path.trimmingSpaces()
    }

    /// Writes to standard output.
    static func write(_ text: String) -> Platform.WriteOutcome {
        var text = text
        return text.withUTF8 { Platform.writeAll(Platform.standardOutput, UnsafeRawBufferPointer($0)) }
    }

    /// The exit status once the output was written: `status`, `closedPipe` when the reader went away (it had what
    /// it wanted: `imaplog … | head`), or 74 (UNKNOWN with `--check`) with a message when the write failed (a full
    /// disk or share), never a success.
    static func finish(
        _ outcome: Platform.WriteOutcome, isCheck: Bool, status: ExitStatus, closedPipe: ExitStatus = .success
    ) -> ExitStatus {
        switch outcome {
        case .written: return status
        case .closedPipe: return closedPipe
        case .failed(let code): return outputFailed(code, isCheck: isCheck)
        }
    }

    /// Says that standard output could not be written; the status to end with.
    static func outputFailed(_ code: Int32, isCheck: Bool) -> ExitStatus {
        printError("imaplog: cannot write to standard output (\(Platform.describe(errorNumber: code))).")
        return isCheck ? .check(CheckRenderer.Status.unknown.rawValue) : .ioError
    }

    /// Writes a message to standard error, each line made safe for a terminal (paths and values the user gave, or
    /// a file share held, may carry escape sequences).
    static func printError(_ text: String, newline: Bool = true) {
        var line = text.split(separator: "\n", omittingEmptySubsequences: false)
            .map { Sanitize.terminal(String($0)) }.joined(separator: "\n")
        if newline { line += "\n" }
        _ = line.withUTF8 { Platform.writeAll(Platform.standardError, UnsafeRawBufferPointer($0)) }
    }
}

extension String {
    /// Without leading and trailing white space (spaces, tabs, newlines).
    func trimmingSpaces() -> String {
        trimmingCharacters(in: .whitespacesAndNewlines)
    }
}
