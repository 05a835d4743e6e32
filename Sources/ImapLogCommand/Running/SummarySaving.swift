import ImapLogKit

/// `--save-summary FILE`: the summary (the map step of a fleet analysis) written instead of a report.
struct SummarySaving {
    let console: any Console

    /// Writes `summary` to `target` (`-`: standard output) and says so.
    ///
    /// Written as it is compressed, not held whole (a year of five servers: 16 MB), through `OutputFile`: to a new
    /// file beside the target that takes its place once complete (so a failed run leaves no half summary, and a
    /// link planted beside it is never followed), or straight to a FIFO or device; every write checked.
    ///
    /// - Parameter problems: the inputs that could not be read, or not whole (exit 74).
    func save(_ summary: Summary, to target: String, problems: [ImapLogError]) -> ExitStatus {
        let output: OutputFile
        switch OutputFile.open(target) {
        case .success(let opened): output = opened
        case .failure(let failure):
            console.say(Self.message(failure))
            return .ioError
        }
        do {
            try SummaryFile.write(summary) { output.write($0) }
        } catch {
            output.discard()
            console.say("imaplog: could not encode the summary (\(error)).")
            return .ioError
        }
        if case .failure(let failure) = output.commit() {
            console.say(Self.message(failure))
            return .ioError
        }
        console.say(
            "imaplog: summary of \(summary.records) records from \(summary.files.count) files written to \(target).")
        if summary.records == 0 { return problems.isEmpty ? .noRecords : .ioError }
        return problems.isEmpty ? .success : .ioError
    }

    /// What to say when the summary cannot be written to `failure.path`.
    static func message(_ failure: OutputFile.Failure) -> String {
        let place = failure.path == "-" ? "standard output" : failure.path
        return "imaplog: \(place): cannot write the summary there: \(failure.reason)."
    }
}
