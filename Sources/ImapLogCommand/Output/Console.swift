import ImapLogKit
import ImapLogReport

/// Where a run's output goes, and what is known of where: the executable's standard streams, or a test's buffers.
///
/// The command never writes to a file descriptor itself: standard output, standard error and what a failed write
/// means belong to the executable.
package protocol Console {
    /// Writes bytes of the report to standard output, all of them or until a write fails.
    func writeOutput(_ bytes: UnsafeRawBufferPointer) -> Platform.WriteOutcome
    /// Writes a message to standard error; it arrives made safe for a terminal, line breaks included.
    func writeError(_ text: String)
    /// Whether standard output is a terminal: the text report is coloured there.
    var isOutputTerminal: Bool { get }
    /// How wide the terminal standard output is, when it is one that says.
    var outputColumns: Int? { get }
    /// Whether standard input is a terminal: with no path named, the path is asked for, not read from it.
    var isInputTerminal: Bool { get }
    /// A line typed on standard input, without its line break; nil at its end.
    func readLine() -> String?
}

extension Console {
    /// Writes `text` to standard output.
    func write(_ text: String) -> Platform.WriteOutcome {
        var text = text
        return text.withUTF8 { writeOutput(UnsafeRawBufferPointer($0)) }
    }

    /// Says `text` on standard error, each line made safe for a terminal (paths and values the user gave, or a file
    /// share held, may carry escape sequences).
    func say(_ text: String, newline: Bool = true) {
        var line = text.split(separator: "\n", omittingEmptySubsequences: false)
            .map { Sanitize.terminal(String($0)) }.joined(separator: "\n")
        if newline { line += "\n" }
        writeError(line)
    }

    /// The exit status once the output was written: `status`, `closedPipe` when the reader went away (it had what
    /// it wanted: `imaplog … | head`), or 74 (UNKNOWN with `--check`) with a message when the write failed (a full
    /// disk or share), never a success.
    func finish(
        _ outcome: Platform.WriteOutcome, isCheck: Bool, status: ExitStatus, closedPipe: ExitStatus = .success
    ) -> ExitStatus {
        switch outcome {
        case .written: return status
        case .closedPipe: return closedPipe
        case .failed(let code): return outputFailed(code, isCheck: isCheck)
        }
    }

    /// Says that standard output could not be written (`code`: the system's error number); the status to end with.
    package func outputFailed(_ code: Int32, isCheck: Bool) -> ExitStatus {
        say("imaplog: cannot write to standard output (\(Platform.describe(errorNumber: code))).")
        return isCheck ? .check(.unknown) : .ioError
    }
}
