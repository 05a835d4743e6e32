import ImapLogDiagnosis
import ImapLogKit
import ImapLogReport

extension Invocation {
    /// Builds the report of `summary`, writes it in the format asked for, and picks the exit status.
    ///
    /// The summary is emptied once the report is built: its per-minute tables are the largest thing held.
    ///
    /// - Parameters:
    ///   - problems: every input that could not be read, or not whole (exit 74).
    ///   - notRead: the paths among them not read at all, listed in the report.
    ///   - inputs: the logs read, from which the HTML report reads the rows it cites again.
    func report(
        _ summary: inout Summary, pop3: Summary? = nil, request: DiagnosisRequest, problems: [ImapLogError],
        notRead: [ImapLogError] = [], inputs: [LogInput] = []
    ) -> ExitStatus {
        // --output: the same run, its standard output a file that takes the target's place once complete.
        if let target = options.outputPath, !(console is FileConsole) {
            let file: OutputFile
            switch OutputFile.open(target) {
            case .success(let opened): file = opened
            case .failure(let failure):
                console.say(ReportOutput.message(failure))
                return options.isCheck ? .check(.unknown) : .ioError
            }
            let redirected = Invocation(
                options: options, environment: environment, console: FileConsole(inner: console, file: file), now: now)
            let status = redirected.report(
                &summary, pop3: pop3, request: request, problems: problems, notRead: notRead, inputs: inputs)
            if case .failure(let failure) = file.commit() {
                console.say(ReportOutput.message(failure))
                return options.isCheck ? .check(.unknown) : .ioError
            }
            return status
        }
        let redactor = options.redacts ? Redactor(salt: options.redactionSalt, summary: summary) : nil
        var builder = reportBuilder(
            summary: summary, pop3: pop3, request: request, notRead: notRead, redactor: redactor)
        builder.includesCharts = options.format == .html && !options.isCheck
        let (records, lines, skippedByReason) = (summary.records, summary.lines, summary.skippedByReason)
        let report = builder.build(releasing: &summary)
        summary = Summary()
        Platform.releaseFreeMemory()

        if options.isCheck {
            let (status, line) =
                records == 0
                ? CheckRenderer.unknown("no log records in \(lines) lines read")
                : CheckRenderer.render(report)
            let written = console.write(line + "\n")
            return console.finish(written, isCheck: true, status: .check(status), closedPipe: .check(status))
        }

        let written: Platform.WriteOutcome
        switch options.format {
        case .text:
            let renderer = ReportRendering.textRenderer(
                top: options.top, color: options.color, isTerminal: console.isOutputTerminal,
                columns: console.outputColumns, environment: environment)
            written = console.write(renderer.render(report))
        case .csv:
            written = console.write(CSVRenderer.render(report, table: options.table))
        case .html:
            written = console.write(htmlRenderer(for: report, inputs: inputs, redactor: redactor).render(report))
        case .json, .ndjson:
            do {
                // Written in pieces as encoded, without building the whole document.
                var outcome = Platform.WriteOutcome.written
                _ = try JSONRenderer.write(report) { piece in
                    outcome = piece.withUnsafeBytes { console.writeOutput($0) }
                    return outcome == .written
                }
                written = outcome
            } catch {
                console.say("imaplog: could not encode the report as JSON (\(error)).")
                return .ioError
            }
        }
        // The reader went away: end quietly; a full disk: exit 74.
        if written != .written { return console.finish(written, isCheck: false, status: .success) }

        if records == 0 {
            console.say(ReportRendering.noRecordsMessage(lines: lines, skippedByReason: skippedByReason))
            return problems.isEmpty ? .noRecords : .ioError
        }
        if !problems.isEmpty { return .ioError }
        // The logs could not answer (filters left nothing, the monitors' data is absent): no all-clear.
        return report.verdict.isUndetermined ? .noRecords : .success
    }

    /// The report builder for this command line.
    func reportBuilder(
        summary: Summary, pop3: Summary?, request: DiagnosisRequest, notRead: [ImapLogError], redactor: Redactor?
    ) -> ReportBuilder {
        var builder = ReportBuilder()
        builder.pop3 = pop3
        builder.problems = notRead
        builder.top = options.top
        builder.bucketMinutes = options.bucketMinutes
        builder.version = Command.version
        builder.request = request
        builder.redactor = redactor
        return builder
    }
}
