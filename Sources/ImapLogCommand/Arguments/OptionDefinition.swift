/// One option of the command line, declared once: its names, its value, its help and what it does.
///
/// The parser looks options up by these names, `--help` prints them, and "did you mean" offers them: an option
/// cannot be accepted without being in the help, nor helped without being accepted (`OptionTable`).
struct OptionDefinition: Sendable {
    typealias UsageError = Options.UsageError

    /// Where `--help` shows an option.
    enum Section: CaseIterable, Sendable {
        /// A way of running imaplog: a line of "Usage:" (`imaplog [options] --save-summary FILE [PATH ...]`).
        case usage
        case output
        case filters
        case diagnosis
        case other

        /// The heading over the section in `--help`.
        var heading: String {
            switch self {
            case .usage: "Usage:"
            case .output: "Output:"
            case .filters: "Filters (a record must match all that are given):"
            case .diagnosis: "Diagnosis (which server is to blame for an unhealthy IMAP monitor):"
            case .other: "Other:"
            }
        }
    }

    /// Reads and checks an option's value `text` into `options`; `now` anchors relative times (`--since 2h`).
    typealias Parse = @Sendable (_ text: String, _ options: inout Options, _ now: Int64) throws(UsageError) -> Void

    /// What an option does to the options parsed before it.
    enum Action: Sendable {
        /// A flag, which takes no value (a value written against it, `--check=yes`, is let be).
        case flag(@Sendable (inout Options) -> Void)
        /// An option with a value, called `name` in the help, which `parse` reads and checks.
        case value(name: String, parse: Parse)
    }

    /// The long name, with its dashes: `--format`.
    var name: String
    /// The one-letter name, with its dash (`-f`); nil when there is none.
    var shortName: String?
    /// Other spellings accepted (`--colour`), which the help names after the option's own text.
    var aliases: [String] = []
    /// Where the help shows the option.
    var section: Section
    /// The help, one line per line of the help's right-hand column.
    var help: String
    var action: Action

    /// What the value is called in the help (`FORMAT`); nil for a flag.
    var valueName: String? {
        if case .value(let name, _) = action { return name }
        return nil
    }

    /// Every name the option is accepted by: the long name, the short one, the aliases.
    var allNames: [String] { [name] + (shortName.map { [$0] } ?? []) + aliases }

    /// A flag.
    static func flag(
        _ name: String, short shortName: String? = nil, aliases: [String] = [], section: Section, help: String,
        _ apply: @escaping @Sendable (inout Options) -> Void
    ) -> OptionDefinition {
        OptionDefinition(
            name: name, shortName: shortName, aliases: aliases, section: section, help: help, action: .flag(apply))
    }

    /// An option with a value, called `valueName` in the help.
    static func value(
        _ name: String, short shortName: String? = nil, aliases: [String] = [], _ valueName: String,
        section: Section, help: String,
        _ parse: @escaping Parse
    ) -> OptionDefinition {
        OptionDefinition(
            name: name, shortName: shortName, aliases: aliases, section: section, help: help,
            action: .value(name: valueName, parse: parse))
    }
}
