import ImapLogDiagnosis
import ImapLogKit
import ImapLogReport

/// The command line, parsed.
///
/// Which options there are, and what each does to these values, is said once, in `OptionTable`; parsing
/// (`Options+Parsing.swift`), `--help` (`HelpText`) and "did you mean" are made from it. Written by hand:
/// imaplog has no package dependencies.
struct Options: Equatable {
    enum OutputFormat: String, CaseIterable { case text, json, csv, html, ndjson }
    enum ColorChoice: String, CaseIterable { case auto, always, never }

    var paths: [String] = []
    var format = OutputFormat.text
    var table = CSVRenderer.Table.servers
    var since: Int64?
    var until: Int64?
    var servers: [String] = []
    var users: [String] = []
    var commands: [String] = []
    var top = 10
    var bucketMinutes: Int?
    var excludesProbes = false
    var color = ColorChoice.auto
    var jobs = 0
    var monitors: [Monitor] = []
    var alertPath: String?
    /// Names for servers the logs know only by address (`--name 10.0.1.11=CAS01`), by lower-cased address.
    var serverNames: [String: String] = [:]
    /// The zone the alert's local times are in (`--tz Europe/Paris`, `+01:00`); nil: this machine's.
    var alertTimeZone: String?
    var language = Language.english
    var isCheck = false
    /// `imaplog merge FILE…`: the paths are summaries to merge.
    var isMerge = false
    /// `imaplog watch PATH…`: the logs are followed as they are written.
    var isWatch = false
    /// With `watch`: seconds between looks at the logs.
    var interval = 5.0
    /// With `watch`: `--since now`, start from the files' current ends.
    var startsAtEnd = false
    /// Whether `--interval` was given (it applies to `watch` only).
    var intervalWasSet = false
    var saveSummaryPath: String?
    /// `--output FILE`: the report goes to FILE instead of standard output.
    var outputPath: String?
    /// The arguments as given, for the HTML report's record of what made it.
    var arguments: [String] = []
    /// Replace users, e-mail addresses and client addresses with pseudonyms.
    var redacts = false
    /// The pseudonyms' key (nil: a random one per run).
    var redactionSalt: String?
    var showsHelp = false
    var showsVersion = false

    /// A command line that cannot be used.
    ///
    /// exit status 64.
    struct UsageError: Error, Equatable {
        var message: String
    }

    /// The most rows `--top` may ask for: as many as a spreadsheet holds under its header (Excel's sheets
    /// have 1,048,576 rows), far more than a report is read for.
    static let maximumTop = 1_048_575
    /// The most logs `--jobs` may read at a time: workers beyond the cores only add memory (each holds a
    /// stream's tables), and no server Exchange runs on has more than 256 cores.
    static let maximumJobs = 256
    /// The shortest and longest `--interval` of a watch, in seconds: a tenth of a second already reads a busy
    /// share ten times a second; a day is longer than any probe's period.
    static let intervalRange = 0.1...86_400.0
    /// The earliest time `--since` and `--until` may name: 0000-01-01T00:00:00Z.
    ///
    /// The first a log's four-digit year can write. A span reaching further back names no log, and its milliseconds
    /// soon overflow.
    static let earliestTime = Int64(Timestamp.daysFromCivil(year: 0, month: 1, day: 1)) * 86_400_000
}
