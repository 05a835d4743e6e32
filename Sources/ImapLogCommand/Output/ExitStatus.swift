import ImapLogReport

/// How a run ended, which the executable turns into its exit status (BSD's sysexits, or the monitoring plugin
/// convention with `--check`).
package enum ExitStatus: Equatable, Sendable {
    /// The report was written (0).
    case success
    /// The command line cannot be used (64).
    case usage
    /// Nothing to analyse, or the logs cannot answer: no record, filters left nothing, the monitors' data absent
    /// (65).
    case noRecords
    /// No input could be read (66).
    case noInput
    /// Some input could not be read, or the output could not be written (74).
    case ioError
    /// `--check`: the plugin's status (0 OK, 1 WARNING, 2 CRITICAL, 3 UNKNOWN).
    case check(CheckRenderer.Status)

    /// Whether this is a monitoring plugin's status (`--check`).
    package var isCheck: Bool {
        if case .check = self { return true }
        return false
    }
}
