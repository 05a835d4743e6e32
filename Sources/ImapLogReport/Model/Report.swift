import ImapLogDiagnosis
import ImapLogKit

/// The report: one plain, sorted value that every output format renders.
///
/// Same input, same bytes.
///
/// Its JSON form is the contract in the README (`schemaVersion` 1): times ISO 8601 UTC, durations in ms.
public struct Report: Sendable, Codable, Equatable {
    public var schemaVersion = 1
    public var tool: Tool
    /// `en` or `fr`: the language of the report's sentences.
    public var language: Language
    /// The monitor the diagnosis is about (named by --monitor or --alert); null when every rule ran.
    public var monitor: Nullable<MonitorReference>
    /// What --alert said, when given.
    public var alert: Alert?
    /// Who is responsible, with evidence, or why nobody is.
    public var verdict: Verdict
    /// Each monitor rule that ran and what it found.
    public var monitors: [MonitorResult]
    /// The runbook's next steps, servers filled in.
    public var nextSteps: [NextStep]
    public var input: Input
    /// What stands out, most serious first: the answer before the tables.
    public var findings: [Finding]
    public var servers: [Server]
    public var commands: [Command]
    public var serverCommands: [ServerCommand]
    public var errors: [ErrorEntry]
    public var users: [Party]
    public var clients: [Party]
    public var timelineBucketMinutes: Int
    public var timeline: [TimelineBucket]
    public var sessions: SessionTally
    public var probes: Probes
    /// Distinct keys left out of bounded tables (hostile or enormous input), by table.
    public var overflow: [String: Int]
    public typealias Server = ServerFigures
    public typealias Latency = LatencyFigures
    public typealias Proxied = ProxiedFigures

    /// The answer, in the report's language: who is responsible, or why nobody is.
    public struct Verdict: Sendable, Codable, Equatable {
        public var summary: String
        public var suspects: [Suspect]
        /// Whether the logs could not answer at all (never an all-clear).
        public var isUndetermined = false
        /// In live use, how many minutes old the newest row is, when the logs are said to have stopped.
        public var staleMinutes: Int?
    }

    /// A server the logs point at, with the evidence in the report's language.
    public struct Suspect: Sendable, Codable, Equatable {
        public typealias Window = SuspectWindow
        public var server: String
        public var role: Role
        /// 0–1: how clearly the logs single this server out.
        public var confidence: Double
        /// The monitor rule that fired, in words.
        public var rule: String
        public var monitor: String
        public var failures: Int
        public var total: Int
        public var rate: Double
        /// The failure rate of the same traffic elsewhere (other servers in the window, or before it).
        public var baselineRate: Double?
        public var window: Window?
        public var evidence: [String]
        /// Up to five rows to read, `path:line`.
        public var examples: [String]
        /// Whether the fault ended long before the logs do: nothing to restart now.
        public var hasRecovered = false
    }

    /// What one monitor's rule found, in words.
    public struct MonitorResult: Sendable, Codable, Equatable {
        public var name: String
        /// Whether the logs show the monitor's condition (as Exchange would see it).
        public var fired: Bool
        public var summary: String
        public var suspects: [Suspect]
        /// What the rule blames when it is not a server (`ImapLogDiagnosis.MonitorResult.Cause`), else nil.
        public var cause: String?
    }

    /// One step of the runbook in words, with the command to run (servers filled in), if any.
    public struct NextStep: Sendable, Codable, Equatable {
        public var text: String
        public var command: String?
        /// The monitor whose steps these are.
        public var monitor: String?
    }

    /// POP3 logs read beside the IMAP ones, reported apart; absent when none was read.
    public var pop3: POP3?

    /// What POP3 logs held: never counted into the IMAP monitors, tables or findings.
    public struct POP3: Sendable, Codable, Equatable {
        public var records: Int
        public var sessions: SessionTally
        /// Logons refused for the user's credentials.
        public var credentialFailures: Int
        public var servers: [Server]
        public var errors: [ErrorEntry]
    }

    public struct Tool: Sendable, Codable, Equatable {
        public var name = "imaplog"
        public var version: String
    }

    public struct Input: Sendable, Codable, Equatable {
        /// The files as the analysis counted them, shared with the summary rather than copied into `File`s.
        ///
        /// A fleet's year is a hundred thousand files, 14 MB a copy. `files` reads and writes them as `File`s.
        var fileSummaries: [FileSummary] {
            get { fileList.summaries }
            set { fileList.summaries = newValue }
        }
        var fileList: FileList
        public var lines: Int
        public var headerLines: Int
        public var records: Int
        public var skipped: Int
        public var skippedByReason: [String: Int]
        /// `path:line` of the first line skipped for each reason.
        public var skippedExamples: [String: String]
        public var filteredOut: Int
        public var ignoredFiles: Int
        public var first: String?
        public var last: String?
        /// Paths named or met in a folder search that were not read at all (a folder that cannot be listed, a FIFO
        /// or a link named like a log, a name that is not UTF-8, a damaged archive), each with why: with the
        /// files' own `error`s, every path that could not be read.
        public var problems: [Problem] = []

        /// Every file read, in stream order (made anew on each reading; `fileCount` counts them without).
        public var files: [File] {
            get { fileSummaries.map(File.init(summary:)) }
            set { fileSummaries = newValue.map(\.summary) }
        }

        /// How many files were read.
        public var fileCount: Int { fileSummaries.count }

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
    public struct Problem: Sendable, Codable, Equatable {
        /// The path as named, or as found (bytes that are not UTF-8 shown as `\xNN`).
        public var path: String
        /// What happened and what to do, as on standard error.
        public var error: String

        public init(path: String, error: String) {
            self.path = path
            self.error = error
        }
    }

    public struct File: Sendable, Codable, Equatable {
        public var path: String
        public var role: Role
        public var server: String?
        public var format: String?
        public var lines: Int
        public var headerLines: Int
        public var records: Int
        public var skipped: Int
        // The first and last records' times, kept as numbers, not as their text: a fleet's year of hourly logs is
        // a hundred thousand files (12 MB of strings).
        var firstTime: RecordTime?
        var lastTime: RecordTime?
        public var notices: [String]
        public var error: String?

        /// The first and last records' times, in milliseconds since 1970.
        public var firstMillis: Int64? {
            get { firstTime?.millis }
            set { firstTime = newValue.map(RecordTime.init(millis:)) }
        }
        public var lastMillis: Int64? {
            get { lastTime?.millis }
            set { lastTime = newValue.map(RecordTime.init(millis:)) }
        }

        /// The first record's time, ISO 8601 UTC (`first` in JSON and CSV).
        public var first: String? { firstTime?.text }
        /// The last record's time, ISO 8601 UTC (`last` in JSON and CSV).
        public var last: String? { lastTime?.text }

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

    public struct Finding: Sendable, Codable, Equatable {
        public enum Severity: String, Sendable, Codable, Comparable {
            case critical, warning, info

            public static func < (lhs: Severity, rhs: Severity) -> Bool { lhs.rank < rhs.rank }
            private var rank: Int { self == .critical ? 0 : self == .warning ? 1 : 2 }
        }
        public var severity: Severity
        public var kind: String
        public var server: String?
        public var text: String
        /// The role of `server` the finding is about (a multi-role server has two).
        public var role: Role?
    }

    public struct Command: Sendable, Codable, Equatable {
        public var command: String
        public var count: Int
        public var failures: Int
        public var latencyMs: Latency
        public var requestBytes: Int64
        public var responseBytes: Int64
    }

    public struct ServerCommand: Sendable, Codable, Equatable {
        public var server: String
        public var role: Role
        public var command: String
        public var count: Int
        public var failures: Int
        public var latencyMs: Latency
    }

    public struct ErrorEntry: Sendable, Codable, Equatable {
        public var errorClass: ErrorClass
        public var code: String
        public var message: String
        public var count: Int
        public var servers: [String]
        public var example: String?

        enum CodingKeys: String, CodingKey {
            case errorClass = "class", code, message, count, servers, example
        }
    }

    public struct Party: Sendable, Codable, Equatable {
        public var name: String
        public var commands: Int
        public var failures: Int
        public var failedLogons: Int
        /// Failures because the credentials were refused (wrong password, disabled account).
        public var credentialFailures: Int
        public var sessions: Int
    }

    public struct TimelineBucket: Sendable, Codable, Equatable {
        // The bucket's start, kept as a number, not as its text: a fleet's year has a hundred thousand buckets
        // (12 servers over 336 days: 6 MB of strings).
        var start: BucketStart
        public var server: String
        public var role: Role
        public var requests: Int
        public var failures: Int
        public var meanLatencyMs: Double

        /// The bucket's start, in minutes since 1970.
        public var minute: Int64 {
            get { start.minute }
            set { start.minute = newValue }
        }

        /// The bucket's start, ISO 8601 UTC to the minute (`time` in JSON and CSV).
        public var time: String { start.text }

        private enum CodingKeys: String, CodingKey {
            case start = "time"
            case server, role, requests, failures, meanLatencyMs
        }
    }

    public struct Probes: Sendable, Codable, Equatable {
        public var records: Int
        public var commands: Int
        public var failures: Int
        public var sessions: [ProbeSessions]
    }

    public struct ProbeSessions: Sendable, Codable, Equatable {
        public var probe: String
        public var server: String
        public var role: Role
        public var sessions: Int
        public var failedSessions: Int
        public var first: String?
        public var last: String?
    }
}

/// An optional that is written as JSON `null` rather than left out, for keys the contract always has.
public struct Nullable<Wrapped: Codable & Sendable & Equatable>: Codable, Sendable, Equatable {
    public var value: Wrapped?

    public init(_ value: Wrapped?) { self.value = value }

    public init(from decoder: Decoder) throws {
        let container = try decoder.singleValueContainer()
        value = container.decodeNil() ? nil : try container.decode(Wrapped.self)
    }

    public func encode(to encoder: Encoder) throws {
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
