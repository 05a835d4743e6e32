import ImapLogKit

/// `--output FILE`: the report written to FILE, as `--save-summary` writes a summary (`OutputFile`: a new file that
/// takes FILE's place once complete, never through a link; a FIFO or a device written as it is).
enum ReportOutput {
    /// What to say when the report cannot be written to `failure.path`.
    static func message(_ failure: OutputFile.Failure) -> String {
        let place = failure.path == "-" ? "standard output" : failure.path
        return "imaplog: \(place): cannot write the report there: \(failure.reason)."
    }
}

/// A console whose standard output is a file: messages still go to the console's standard error.
///
/// Writes are checked when the file is committed (`OutputFile.commit`): a failed one makes the run end with 74.
final class FileConsole: Console {
    let inner: any Console
    let file: OutputFile

    init(inner: any Console, file: OutputFile) {
        self.inner = inner
        self.file = file
    }

    func writeOutput(_ bytes: UnsafeRawBufferPointer) -> Platform.WriteOutcome {
        file.write(Array(bytes)[...])
        return .written
    }

    func writeError(_ text: String) { inner.writeError(text) }
    var isOutputTerminal: Bool { false }
    var outputColumns: Int? { nil }
    var isInputTerminal: Bool { inner.isInputTerminal }
    func readLine() -> String? { inner.readLine() }
}
