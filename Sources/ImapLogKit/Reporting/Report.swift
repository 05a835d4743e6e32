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

    public struct Tool: Sendable, Codable, Equatable {
        public var name = "imaplog"
        public var version: String
    }

    public struct Input: Sendable, Codable, Equatable {
        public var files: [File]
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
        public var first: String?
        public var last: String?
        public var notices: [String]
        public var error: String?
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
    }

    public struct Latency: Sendable, Codable, Equatable {
        public var p50: Int64
        public var p90: Int64
        public var p99: Int64
        public var max: Int64
        public var mean: Double
        /// Durations measured (IDLE and proxy rows are not); 0 means the figures above say nothing.
        public var samples: Int

        init(_ histogram: LatencyHistogram) {
            samples = Int(histogram.count)
            p50 = histogram.quantile(0.5)
            p90 = histogram.quantile(0.9)
            p99 = histogram.quantile(0.99)
            max = histogram.max
            mean = (histogram.mean * 10).rounded() / 10
        }
    }

    public struct Proxied: Sendable, Codable, Equatable {
        public var sessions: Int
        public var commands: Int
        public var failures: Int
        public var failureRate: Double
        public var latencyMs: Latency
        public var failuresByClass: [String: Int]
        /// `path:line` of the first server-side failures on sessions proxied to it.
        public var examples: [String]
    }

    public struct Server: Sendable, Codable, Equatable {
        public var server: String
        public var role: Role
        /// Where the top-level counts come from.
        ///
        /// `ownLogs` when this server's own logs were read; `frontEnds` when it is known only as the back end the
        /// front ends proxied to.
        ///
        /// The top-level counts come from that source.
        public var seenFrom: String
        public var sessions: Int
        public var commands: Int
        public var failures: Int
        public var failureRate: Double
        public var latencyMs: Latency
        public var failuresByClass: [String: Int]
        /// Bytes received from clients and sent to them (the front end's `proxy` rows carry what it relayed).
        public var requestBytes: Int64
        public var responseBytes: Int64
        /// The front ends' view of it as a back end, when they proxied to it.
        public var proxied: Proxied?
        public var sessionOutcomes: SessionTally
        public var addresses: [String]
        /// `path:line` of the first server-side failures in its own logs.
        public var examples: [String]
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
        public var time: String
        public var server: String
        public var role: Role
        public var requests: Int
        public var failures: Int
        public var meanLatencyMs: Double
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
