import ImapLogDiagnosis
import ImapLogKit
import ImapLogReport

/// One run of imaplog on a command line that parsed: what it asks for, and where its output goes.
struct Invocation {
    let options: Options
    let environment: [String: String]
    let console: any Console
    /// Now, in ms since 1970 (`Command.now`).
    let now: Int64

    /// Shows the help or the version, or reads the alert and then the logs (or the summaries, for `merge`).
    func run() -> ExitStatus {
        if options.showsHelp {
            return console.finish(console.write(HelpText.text + "\n"), isCheck: false, status: .success)
        }
        if options.showsVersion {
            return console.finish(console.write("imaplog \(Command.version)\n"), isCheck: false, status: .success)
        }
        // Where the summary is to go is checked before the analysis it waits for (nothing is created yet).
        if let target = options.saveSummaryPath, let refused = OutputFile.check(target) {
            return fail(.ioError, SummarySaving.message(refused))
        }
        if let target = options.outputPath, let refused = OutputFile.check(target) {
            return fail(.ioError, ReportOutput.message(refused))
        }

        var request = DiagnosisRequest()
        request.language = options.language
        request.monitors = options.monitors
        request.source = options.monitors.isEmpty ? "logs" : "option"
        request.serverNames = options.serverNames
        request.until = options.until
        // A check runs on live logs: logs that stopped while the clock goes on are a finding.
        if options.isCheck { request.now = now }
        if let alertPath = options.alertPath, let ended = readAlert(alertPath, into: &request) {
            return ended
        }
        if options.isWatch { return watch(request: request) }
        return options.isMerge ? merge(request: request) : analyseLogs(request: request)
    }

    /// Ends a run that cannot produce a report: the message, or the monitoring plugin's UNKNOWN line.
    func fail(_ status: ExitStatus, _ message: String?, check reason: String? = nil) -> ExitStatus {
        if options.isCheck {
            let written = console.write(CheckRenderer.unknown(reason ?? message ?? "no input").1 + "\n")
            return console.finish(written, isCheck: true, status: .check(.unknown), closedPipe: .check(.unknown))
        }
        if let message { console.say(message) }
        return status
    }
}
