import ImapLogDiagnosis
import ImapLogKit

/// The report: one plain, sorted value that every output format renders.
///
/// Same input, same bytes.
///
/// Its JSON form is the contract in the README (`schemaVersion` 1): times ISO 8601 UTC, durations in ms.
package struct Report: Sendable, Codable, Equatable {
    package var schemaVersion = 1
    package var tool: Tool
    /// `en` or `fr`: the language of the report's sentences.
    package var language: Language
    /// The monitor the diagnosis is about (named by --monitor or --alert); null when every rule ran.
    package var monitor: Nullable<MonitorReference>
    /// What --alert said, when given.
    package var alert: Alert?
    /// Who is responsible, with evidence, or why nobody is.
    package var verdict: Verdict
    /// Each monitor rule that ran and what it found.
    package var monitors: [MonitorResult]
    /// The runbook's next steps, servers filled in.
    package var nextSteps: [NextStep]
    package var input: Input
    /// What stands out, most serious first: the answer before the tables.
    package var findings: [Finding]
    package var servers: [Server]
    package var commands: [Command]
    package var serverCommands: [ServerCommand]
    package var errors: [ErrorEntry]
    package var users: [Party]
    package var clients: [Party]
    package var timelineBucketMinutes: Int
    package var timeline: [TimelineBucket]
    package var sessions: SessionTally
    package var probes: Probes
    /// Distinct keys left out of bounded tables (hostile or enormous input), by table.
    package var overflow: [String: Int]
    /// The HTML report's charts, made only for it (`ReportBuilder.includesCharts`): not in the JSON contract.
    package var charts: ChartSeries?
    package typealias Server = ServerFigures
    package typealias Latency = LatencyFigures
    package typealias Proxied = ProxiedFigures

    /// The answer, in the report's language: who is responsible, or why nobody is.
    package struct Verdict: Sendable, Codable, Equatable {
        package var summary: String
        package var suspects: [Suspect]
        /// Whether the logs could not answer at all (never an all-clear).
        package var isUndetermined = false
        /// In live use, how many minutes old the newest row is, when the logs are said to have stopped.
        package var staleMinutes: Int?
    }

    /// A server the logs point at, with the evidence in the report's language.
    package struct Suspect: Sendable, Codable, Equatable {
        package typealias Window = SuspectWindow
        package var server: String
        package var role: Role
        /// 0–1: how clearly the logs single this server out.
        package var confidence: Double
        /// The monitor rule that fired, in words.
        package var rule: String
        package var monitor: String
        package var failures: Int
        package var total: Int
        package var rate: Double
        /// The failure rate of the same traffic elsewhere (other servers in the window, or before it).
        package var baselineRate: Double?
        package var window: Window?
        package var evidence: [String]
        /// Up to five rows to read, `path:line`.
        package var examples: [String]
        /// Whether the fault ended long before the logs do: nothing to restart now.
        package var hasRecovered = false
    }

    /// What one monitor's rule found, in words.
    package struct MonitorResult: Sendable, Codable, Equatable {
        package var name: String
        /// Whether the logs show the monitor's condition (as Exchange would see it).
        package var fired: Bool
        package var summary: String
        package var suspects: [Suspect]
        /// What the rule blames when it is not a server (`ImapLogDiagnosis.MonitorResult.Cause`), else nil.
        package var cause: String?
    }

    /// One step of the runbook in words, with the command to run (servers filled in), if any.
    package struct NextStep: Sendable, Codable, Equatable {
        package var text: String
        package var command: String?
        /// The monitor whose steps these are.
        package var monitor: String?
    }

    /// POP3 logs read beside the IMAP ones, reported apart; absent when none was read.
    package var pop3: POP3?

    /// The keys of the JSON contract: every stored property but `charts`.
    private enum CodingKeys: String, CodingKey {
        case schemaVersion, tool, language, monitor, alert, verdict, monitors, nextSteps, input, findings, servers
        case commands, serverCommands, errors, users, clients, timelineBucketMinutes, timeline, sessions, probes
        case overflow, pop3
    }

    /// What POP3 logs held: never counted into the IMAP monitors, tables or findings.
    package struct POP3: Sendable, Codable, Equatable {
        package var records: Int
        package var sessions: SessionTally
        /// Logons refused for the user's credentials.
        package var credentialFailures: Int
        package var servers: [Server]
        package var errors: [ErrorEntry]
    }

    package struct Tool: Sendable, Codable, Equatable {
        package var name = "imaplog"
        package var version: String
    }

    package struct Input: Sendable, Codable, Equatable {
        /// The files as the analysis counted them, shared with the summary rather than copied into `File`s.
        ///
        /// A fleet's year is a hundred thousand files, 14 MB a copy. `files` reads and writes them as `File`s.
        var fileSummaries: [FileSummary] {
            get { fileList.summaries }
            set { fileList.summaries = newValue }
        }
        var fileList: FileList
        package var lines: Int
        package var headerLines: Int
        package var records: Int
        package var skipped: Int
        package var skippedByReason: [String: Int]
        /// `path:line` of the first line skipped for each reason.
        package var skippedExamples: [String: String]
        package var filteredOut: Int
        package var ignoredFiles: Int
        package var first: String?
        package var last: String?
        /// Paths named or met in a folder search that were not read at all (a folder that cannot be listed, a FIFO
        /// or a link named like a log, a name that is not UTF-8, a damaged archive), each with why: with the
        /// files' own `error`s, every path that could not be read.
        package var problems: [Problem] = []

        /// Every file read, in stream order (made anew on each reading; `fileCount` counts them without).
        package var files: [File] {
            get { fileSummaries.map(File.init(summary:)) }
            set { fileSummaries = newValue.map(\.summary) }
        }

        /// How many files were read.
        package var fileCount: Int { fileSummaries.count }

        private enum CodingKeys: String, CodingKey {
            case fileList = "files"
            case lines, headerLines, records, skipped, skippedByReason, skippedExamples, filteredOut, ignoredFiles
            case first, last, problems
        }

        /// The files, written and read as `File`s.
        struct FileList: Sendable, Codable, Equatable {
            var summaries: [FileSummary]

            init(summaries: [FileSummary]) {
                self.summaries = summaries
            }

            init(from decoder: Decoder) throws {
                summaries = try [File](from: decoder).map(\.summary)
            }

            func encode(to encoder: Encoder) throws {
                try summaries.map(File.init(summary:)).encode(to: encoder)
            }
        }
    }

    /// A path that was not read, and why.
    package struct Problem: Sendable, Codable, Equatable {
        /// The path as named, or as found (bytes that are not UTF-8 shown as `\xNN`).
        package var path: String
        /// What happened and what to do, as on standard error.
        package var error: String

        package init(path: String, error: String) {
            self.path = path
            self.error = error
        }
    }

    package struct File: Sendable, Codable, Equatable {
        package var path: String
        package var role: Role
        package var server: String?
        package var format: String?
        package var lines: Int
        package var headerLines: Int
        package var records: Int
        package var skipped: Int
        // The first and last records' times, kept as numbers, not as their text: a fleet's year of hourly logs is
        // a hundred thousand files (12 MB of strings).
        var firstTime: RecordTime?
        var lastTime: RecordTime?
        package var notices: [String]
        package var error: String?

        /// The first and last records' times, in milliseconds since 1970.
        package var firstMillis: Int64? {
            get { firstTime?.millis }
            set { firstTime = newValue.map(RecordTime.init(millis:)) }
        }
        package var lastMillis: Int64? {
            get { lastTime?.millis }
            set { lastTime = newValue.map(RecordTime.init(millis:)) }
        }

        /// The first record's time, ISO 8601 UTC (`first` in JSON and CSV).
        package var first: String? { firstTime?.text }
        /// The last record's time, ISO 8601 UTC (`last` in JSON and CSV).
        package var last: String? { lastTime?.text }

        /// The file as the analysis counts it (a format imaplog does not name is left out).
        var summary: FileSummary {
            FileSummary.of(
                path: path, role: role, server: server, format: format.flatMap(LogFormat.init(rawValue:)),
                lines: lines, headerLines: headerLines, records: records, skipped: skipped, first: firstMillis,
                last: lastMillis, notices: notices, error: error)
        }

        private enum CodingKeys: String, CodingKey {
            case path, role, server, format, lines, headerLines, records, skipped, notices, error
            case firstTime = "first", lastTime = "last"
        }
    }

    package struct Finding: Sendable, Codable, Equatable {
        package enum Severity: String, Sendable, Codable, Comparable {
            case critical, warning, info

            package static func < (lhs: Severity, rhs: Severity) -> Bool { lhs.rank < rhs.rank }
            private var rank: Int { self == .critical ? 0 : self == .warning ? 1 : 2 }
        }
        package var severity: Severity
        package var kind: String
        package var server: String?
        package var text: String
        /// The role of `server` the finding is about (a multi-role server has two).
        package var role: Role?
    }

    package struct Command: Sendable, Codable, Equatable {
        package var command: String
        package var count: Int
        package var failures: Int
        package var latencyMs: Latency
        package var requestBytes: Int64
        package var responseBytes: Int64
    }

    package struct ServerCommand: Sendable, Codable, Equatable {
        package var server: String
        package var role: Role
        package var command: String
        package var count: Int
        package var failures: Int
        package var latencyMs: Latency
    }

    package struct ErrorEntry: Sendable, Codable, Equatable {
        package var errorClass: ErrorClass
        package var code: String
        package var message: String
        package var count: Int
        package var servers: [String]
        package var example: String?

        enum CodingKeys: String, CodingKey {
            case errorClass = "class", code, message, count, servers, example
        }
    }

    package struct Party: Sendable, Codable, Equatable {
        package var name: String
        package var commands: Int
        package var failures: Int
        package var failedLogons: Int
        /// Failures because the credentials were refused (wrong password, disabled account).
        package var credentialFailures: Int
        package var sessions: Int
    }

    package struct TimelineBucket: Sendable, Codable, Equatable {
        // The bucket's start, kept as a number, not as its text: a fleet's year has a hundred thousand buckets
        // (12 servers over 336 days: 6 MB of strings).
        var start: BucketStart
        package var server: String
        package var role: Role
        package var requests: Int
        package var failures: Int
        package var meanLatencyMs: Double

        /// The bucket's start, in minutes since 1970.
        package var minute: Int64 {
            get { start.minute }
            set { start.minute = newValue }
        }

        /// The bucket's start, ISO 8601 UTC to the minute (`time` in JSON and CSV).
        package var time: String { start.text }

        private enum CodingKeys: String, CodingKey {
            case start = "time"
            case server, role, requests, failures, meanLatencyMs
        }
    }

    package struct Probes: Sendable, Codable, Equatable {
        package var records: Int
        package var commands: Int
        package var failures: Int
        package var sessions: [ProbeSessions]
    }

    package struct ProbeSessions: Sendable, Codable, Equatable {
        package var probe: String
        package var server: String
        package var role: Role
        package var sessions: Int
        package var failedSessions: Int
        package var first: String?
        package var last: String?
    }
}

/// An optional that is written as JSON `null` rather than left out, for keys the contract always has.
package struct Nullable<Wrapped: Codable & Sendable & Equatable>: Codable, Sendable, Equatable {
    package var value: Wrapped?

    package init(_ value: Wrapped?) { self.value = value }

    package init(from decoder: Decoder) throws {
        let container = try decoder.singleValueContainer()
        value = container.decodeNil() ? nil : try container.decode(Wrapped.self)
    }

    package func encode(to encoder: Encoder) throws {
        var container = encoder.singleValueContainer()
        if let value { try container.encode(value) } else { try container.encodeNil() }
    }
}

/// A time the report keeps as a number and writes as ISO 8601 UTC text (read back by parsing it).
protocol ReportTimeText: Codable {
    init(millis: Int64)
    /// The time as the report writes it.
    var text: String { get }
}

extension ReportTimeText {
    init(from decoder: Decoder) throws {
        let container = try decoder.singleValueContainer()
        let text = try container.decode(String.self)
        guard let millis = Timestamp.parse(text) else {
            throw DecodingError.dataCorruptedError(in: container, debugDescription: "not a time: \(text)")
        }
        self.init(millis: millis)
    }

    func encode(to encoder: Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(text)
    }
}

/// A record's time, to the millisecond.
struct RecordTime: ReportTimeText, Sendable, Equatable {
    var millis: Int64
    var text: String { Timestamp.format(millis) }
}

/// A timeline bucket's start, to the minute.
struct BucketStart: ReportTimeText, Sendable, Equatable {
    var minute: Int64

    init(minute: Int64) {
        self.minute = minute
    }

    init(millis: Int64) {
        minute = millis >= 0 ? millis / 60_000 : (millis - 59_999) / 60_000
    }

    var text: String { Timestamp.format(minute * 60_000, withMilliseconds: false) }
}

extension Report.File {
    /// A file as the analysis counted it.
    init(summary file: FileSummary) {
        self.init(
            path: file.path, role: file.role, server: file.server, format: file.format?.rawValue, lines: file.lines,
            headerLines: file.headerLines, records: file.records, skipped: file.skipped,
            firstTime: file.first.map(RecordTime.init(millis:)), lastTime: file.last.map(RecordTime.init(millis:)),
            notices: file.notices, error: file.error)
    }
}
