import ImapLogDiagnosis
import ImapLogKit

/// The monitoring-system view of a report: one status line with performance data, the Nagios/Icinga plugin
/// convention (0 OK, 1 WARNING, 2 CRITICAL, 3 UNKNOWN).
package enum CheckRenderer {
    package enum Status: Int32, Sendable {
        case ok = 0
        case warning = 1
        case critical = 2
        case unknown = 3

        var label: String {
            switch self {
            case .ok: return "OK"
            case .warning: return "WARNING"
            case .critical: return "CRITICAL"
            case .unknown: return "UNKNOWN"
            }
        }
    }

    /// A suspect this sure of itself makes the check CRITICAL; any other suspect, or a monitor whose condition
    /// shows without a suspect, WARNING.
    package static let criticalConfidence = 0.7

    package static func status(of report: Report) -> Status {
        if report.verdict.isUndetermined { return .unknown }
        if let top = report.verdict.suspects.first {
            return top.confidence >= criticalConfidence && !top.hasRecovered ? .critical : .warning
        }
        // Logs that stopped while the clock goes on: a hung service writes nothing, so silence is no all-clear.
        return report.monitors.contains(where: \.fired) || report.verdict.staleMinutes != nil ? .warning : .ok
    }

    /// The status and its one line.
    package static func render(_ report: Report) -> (Status, String) {
        let status = status(of: report)
        let top = report.verdict.suspects.first
        var text: String
        if let top {
            // In English whatever the report's language, as the rest of this line.
            let role = Phrasebook(language: .english).role(top.role)
            text =
                "\(top.monitor): \(top.server) (\(role)), confidence \(top.confidence), "
                + "\(top.failures) of \(top.total) failed"
        } else {
            text = report.verdict.summary
        }
        text = oneLine(text)
        let perfdata = [
            "'records'=\(report.input.records);;;0", "'skipped'=\(report.input.skipped);;;0",
            "'suspects'=\(report.verdict.suspects.count);;;0",
            "'confidence'=\(top?.confidence ?? 0);0;\(criticalConfidence);0;1",
            "'failures'=\(top?.failures ?? 0);;;0",
        ]
        return (status, "IMAP \(status.label) - \(text) | \(perfdata.joined(separator: " "))")
    }

    /// The unknown state, for input that could not be analysed.
    package static func unknown(_ reason: String) -> (Status, String) {
        (.unknown, "IMAP UNKNOWN - \(oneLine(reason))")
    }

    /// One line, no `|` (it starts the performance data), no control characters.
    private static func oneLine(_ text: String) -> String {
        Sanitize.terminal(text.replacingOccurrences("\n", " ").replacingOccurrences("|", "/"))
    }
}
