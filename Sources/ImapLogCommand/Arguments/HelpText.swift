/// `imaplog --help`: the options' lines are made from `OptionTable`, around the text that is not about one option.
enum HelpText {
    /// The whole help, without a last newline.
    static let text: String = {
        var lines = [introduction, "", OptionDefinition.Section.usage.heading]
        lines += usageLines
        lines += [""] + pathsExplained
        for section in OptionDefinition.Section.allCases where section != .usage {
            lines += ["", section.heading]
            lines += OptionTable.all.filter { $0.section == section }.flatMap(optionLines)
        }
        lines += [""] + exitStatuses
        lines += ["", "Examples:"] + examples
        return lines.joined(separator: "\n")
    }()

    /// The column the options' help starts in.
    static let helpColumn = 24

    /// An option's lines: its names and value name, then its help in the right-hand column, aliases last.
    ///
    /// `  -f, --format FORMAT   text (default), json, csv, or html (…)`
    static func optionLines(_ option: OptionDefinition) -> [String] {
        var names = "  " + (option.shortName.map { $0 + ", " } ?? "    ") + option.name
        if let valueName = option.valueName { names += " " + valueName }
        var help = option.help.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        if !option.aliases.isEmpty {
            help[help.count - 1] += " (also \(option.aliases.joined(separator: ", ")))"
        }
        let indent = String(repeating: " ", count: helpColumn)
        return [padded(names, to: helpColumn) + help[0]] + help.dropFirst().map { indent + $0 }
    }

    /// "Usage:": each way of running imaplog, an option of the `usage` section being one, with what it does.
    static var usageLines: [String] {
        var forms = [("imaplog [options] [PATH ...]", "")]
        for option in OptionTable.all where option.section == .usage {
            let value = option.valueName.map { " " + $0 } ?? ""
            forms.append(("imaplog [options] \(option.name)\(value) [PATH ...]", option.help))
        }
        let merge = "report on summaries, as if all their logs were read at once"
        forms.append(("imaplog merge [options] FILE ...", merge))
        forms.append(("imaplog watch [options] PATH ...", "follow the logs as they are written: the verdict live"))
        let column = 2 + (forms.map(\.0.count).max() ?? 0) + 3
        return forms.map { form, help in help.isEmpty ? "  " + form : padded("  " + form, to: column) + help }
    }

    /// `text` with spaces up to `column`, and at least one.
    private static func padded(_ text: String, to column: Int) -> String {
        text + String(repeating: " ", count: max(1, column - text.count))
    }

    private static let introduction =
        "imaplog: read Exchange IMAP4 protocol logs and show which servers, commands, users and errors they hold."

    private static let pathsExplained = [
        "  PATH is a log file, a folder (searched for IMAP4*.LOG, IMAP4BE*.LOG, POP3*.LOG, also .gz and inside .zip),",
        "  a .gz or .zip file, a pattern like 'C:\\Logs\\IMAP4BE*.LOG', or - for standard input.",
        "  With no PATH, imaplog reads standard input when it is a pipe, and asks for a path on a terminal.",
        "  merge's FILE is a summary, a folder of summaries, or a pattern like 'parts/*.summary'.",
    ]

    private static let exitStatuses = [
        "Exit status: 0 done; 64 bad command line; 65 nothing to analyse, or the logs cannot answer (no record, filters",
        "left nothing, the monitors' data absent, an alert outside the logs or about another health set: the report",
        "says why); 66 no input could be read; 74 some input could not be read (the report covers the rest).",
        "With --check: 0 OK, 1 WARNING, 2 CRITICAL, 3 UNKNOWN.",
    ]

    private static let examples = [
        "  imaplog 'C:\\Program Files\\Microsoft\\Exchange Server\\V15\\Logging\\Imap4'",
        "  cat IMAP4BE*.LOG | imaplog --format json",
        "  imaplog collected/ --since '2026-11-16 09:00' --server MBX02 --format csv --table errors",
        "  imaplog --monitor ImapCTPMonitor '\\\\CAS01\\C$\\Program Files\\Microsoft\\Exchange Server\\V15\\Logging\\Imap4'",
        "  imaplog --alert alert.txt --lang fr collected/",
        "  imaplog --check --monitor ImapDeepTestMonitor /var/log/exchange/MBX02",
        "  imaplog watch --monitor ImapCTPMonitor 'D:\\Exchange\\Logging\\Imap4'",
    ]
}
