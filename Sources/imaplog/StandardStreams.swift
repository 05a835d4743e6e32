import ImapLogCommand
import ImapLogKit

/// The process's standard streams, as the command writes to and asks from them.
struct StandardStreams: Console {
    func writeOutput(_ bytes: UnsafeRawBufferPointer) -> Platform.WriteOutcome {
        Platform.writeAll(Platform.standardOutput, bytes)
    }

    /// Writes to standard error; a message that cannot be written there has nowhere else to go.
    func writeError(_ text: String) {
        var text = text
        _ = text.withUTF8 { Platform.writeAll(Platform.standardError, UnsafeRawBufferPointer($0)) }
    }

    var isOutputTerminal: Bool { Platform.isTerminal(Platform.standardOutput) }

    var outputColumns: Int? { Platform.terminalColumns(Platform.standardOutput) }

    var isInputTerminal: Bool { Platform.isTerminal(Platform.standardInput) }

    func readLine() -> String? {
        Swift.readLine(strippingNewline: true)
    }
}
