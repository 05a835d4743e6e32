import ImapLogKit
import ImapLogReport

/// The choices made in writing a report, from the options and from where the output goes.
enum ReportRendering {
    /// The narrowest the text report is laid out for, whatever the terminal says.
    static let minimumWidth = 60
    /// How wide the text report is when neither the terminal nor `COLUMNS` says.
    static let defaultWidth = 120

    /// The text renderer: as wide as the terminal (else `COLUMNS`, else `defaultWidth`), in colour when
    /// `usesColor` says so.
    static func textRenderer(
        top: Int, color: Options.ColorChoice, isTerminal: Bool, columns: Int?, environment: [String: String]
    ) -> TextRenderer {
        var renderer = TextRenderer()
        renderer.width = max(minimumWidth, columns ?? environment["COLUMNS"].flatMap(Int.init) ?? defaultWidth)
        renderer.top = top
        renderer.usesColor = usesColor(color, isTerminal: isTerminal, environment: environment)
        return renderer
    }

    /// Whether the text report is coloured: as `--color` says; by default on a terminal, unless `NO_COLOR` is set
    /// or the terminal is `dumb`.
    static func usesColor(_ choice: Options.ColorChoice, isTerminal: Bool, environment: [String: String]) -> Bool {
        switch choice {
        case .always: true
        case .never: false
        case .auto: isTerminal && environment["NO_COLOR", default: ""].isEmpty && environment["TERM"] != "dumb"
        }
    }

    /// What to say when lines were read but none was a log record: why they were skipped, most often first.
    static func noRecordsMessage(lines: Int, skippedByReason: [SkipReason: SkipTally]) -> String {
        let reasons = skippedByReason.sorted { $0.value.count > $1.value.count }
            .map { "\($0.value.count) \($0.key.rawValue)" }.joined(separator: ", ")
        return "imaplog: read \(lines) lines but found no log records"
            + (reasons.isEmpty ? "." : " (\(reasons)).")
            + " Are these Exchange IMAP4/POP3 protocol logs?"
    }
}
