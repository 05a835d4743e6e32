import Foundation
import ImapLogKit

/// The command-line tool: options in, report out, exit status.
///
/// All policy lives here.
@main
enum Command {
    static let version = "0.1.0"

    /// Exit statuses, following BSD's sysexits.
    enum ExitStatus: Int32 {
        case success = 0
        case usage = 64
        case noRecords = 65
        case noInput = 66
        case ioError = 74
    }

    static func main() {
        Platform.ignoreBrokenPipeSignal()
        let arguments = Array(CommandLine.arguments.dropFirst())
        let status = run(arguments: arguments, environment: ProcessInfo.processInfo.environment)
        exit(status.rawValue)
    }

    static func run(arguments: [String], environment: [String: String]) -> ExitStatus {
        let options: Options
        do {
            options = try Options.parse(arguments, now: Platform.nowMilliseconds())
        } catch {
            printError("imaplog: \(error.message)\nRun 'imaplog --help' for the options.")
            return .usage
        }
        if options.showsHelp {
            write(Options.help + "\n")
            return .success
        }
        if options.showsVersion {
            write("imaplog \(version)\n")
            return .success
        }

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
        var analysisOptions = AnalysisOptions()
        analysisOptions.since = options.since
        analysisOptions.until = options.until
        analysisOptions.servers = options.servers
        analysisOptions.users = options.users
        analysisOptions.commands = options.commands
        analysisOptions.excludesProbes = options.excludesProbes
        analysisOptions.workerCount = options.jobs
        let result = LogAnalysis.run(plan: plan, options: analysisOptions)
        for problem in result.problems { printError("imaplog: \(Sanitize.terminal(problem.message))") }

        let summary = result.summary
        if plan.inputs.isEmpty || (summary.lines == 0 && !result.problems.isEmpty) {
            if result.problems.isEmpty { printError("imaplog: nothing to read.") }
            return .noInput
        }

        var builder = ReportBuilder()
        builder.top = options.top
        builder.bucketMinutes = options.bucketMinutes
        builder.version = version
        builder.ignoredFiles = plan.ignoredFileCount
        let report = builder.build(summary)

        let output: String
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
                output = try JSONRenderer.render(report)
            } catch {
                printError("imaplog: could not encode the report as JSON (\(error)).")
                return .ioError
            }
        case .csv:
            output = CSVRenderer.render(report, table: options.table)
        }
        guard write(output) else { return .success }  // the reader went away: end quietly

        if summary.records == 0 {
            let reasons = summary.skippedByReason.sorted { $0.value.count > $1.value.count }
                .map { "\($0.value.count) \($0.key.rawValue)" }.joined(separator: ", ")
            printError(
                "imaplog: read \(summary.lines) lines but found no log records"
                    + (reasons.isEmpty ? "." : " (\(reasons)).")
                    + " Are these Exchange IMAP4/POP3 protocol logs?")
            return result.problems.isEmpty ? .noRecords : .ioError
        }
        return result.problems.isEmpty ? .success : .ioError
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

    /// Writes to standard output; false when the reader has gone (closed pipe).
    @discardableResult
    static func write(_ text: String) -> Bool {
        var text = text
        let outcome = text.withUTF8 { Platform.writeAll(Platform.standardOutput, UnsafeRawBufferPointer($0)) }
        return outcome != .closedPipe
    }

    static func printError(_ text: String, newline: Bool = true) {
        var line = newline ? text + "\n" : text
        _ = line.withUTF8 { Platform.writeAll(Platform.standardError, UnsafeRawBufferPointer($0)) }
    }
}

extension String {
    /// Without leading and trailing white space (spaces, tabs, newlines).
    func trimmingSpaces() -> String {
        trimmingCharacters(in: .whitespacesAndNewlines)
    }
}
