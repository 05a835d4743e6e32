import ImapLogDiagnosis
import ImapLogKit
import ImapLogReport

extension Invocation {
    /// Reads the logs named (or standard input), then reports on them or saves their summary.
    func analyseLogs(request: DiagnosisRequest) -> ExitStatus {
        var request = request
        var paths = options.paths
        if paths.isEmpty {
            if console.isInputTerminal {
                guard let answer = askForPath() else {
                    console.say("imaplog: no path given. Run 'imaplog --help' for how to name the logs.")
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
            console.say("imaplog: \(logs) named more than once; each is read once.")
        }
        var result: AnalysisResult
        let isWindowDropped: Bool
        (result, isWindowDropped) = AlertWindow.analyse(analysisOptions, request: &request) {
            LogAnalysis.run(plan: plan, options: $0)
        }
        if isWindowDropped {
            console.say("imaplog: the alert's time is outside these logs: analysing all of them.")
        }
        if !options.isCheck {
            for problem in result.problems { console.say("imaplog: \(Sanitize.terminal(problem.message))") }
        }

        // One owner of the summary, so the report can free it before rendering.
        var summary = result.summary
        let problems = result.problems
        result.summary = Summary()
        if let target = options.saveSummaryPath, plan.inputCount > 0 {
            return SummarySaving(console: console).save(summary, to: target, problems: problems)
        }
        if plan.inputCount == 0 || (summary.lines == 0 && !problems.isEmpty) {
            if problems.isEmpty { console.say("imaplog: nothing to read.") }
            let reason = problems.first?.message ?? "nothing to read"
            return fail(.noInput, nil, check: reason)
        }
        return report(
            &summary, pop3: result.pop3, request: request, problems: problems, notRead: plan.problems,
            inputs: plan.streams.flatMap { $0 })
    }

    /// The filters and the number of workers, as the analysis takes them.
    var analysisOptions: AnalysisOptions {
        var analysisOptions = AnalysisOptions()
        analysisOptions.since = options.since
        analysisOptions.until = options.until
        analysisOptions.servers = options.servers
        analysisOptions.users = options.users
        analysisOptions.commands = options.commands
        analysisOptions.excludesProbes = options.excludesProbes
        analysisOptions.workerCount = options.jobs
        return analysisOptions
    }

    /// Asks on the terminal for the log path, accepting what an admin pastes (`PastedPath.clean`).
    func askForPath() -> String? {
        console.say(
            "Path to the IMAP4 protocol logs (a folder or a file; Get-ImapSettings shows LogFileLocation):",
            newline: false)
        console.say(" ", newline: false)
        guard let line = console.readLine() else { return nil }
        let path = PastedPath.clean(line, home: environment["HOME"])
        return path.isEmpty ? nil : path
    }
}
