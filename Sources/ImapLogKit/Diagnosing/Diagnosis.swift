/// Which monitor a diagnosis is about, and where imaplog learnt it.
public struct MonitorReference: Sendable, Codable, Equatable {
    public var name: String
    public var probe: String?
    public var healthSet: String
    /// `option` (--monitor), `alert` (--alert) or `logs` (none named: every rule ran).
    public var source: String

    init(_ monitor: Monitor, source: String) {
        name = monitor.rawValue
        probe = monitor.probe
        healthSet = monitor.healthSet
        self.source = source
    }
}

/// A server the logs point at, with the evidence.
public struct Suspect: Sendable, Codable, Equatable {
    public struct Window: Sendable, Codable, Equatable {
        public var from: String
        public var to: String
    }

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
}

/// The answer: who is responsible, or why nobody is.
public struct Verdict: Sendable, Codable, Equatable {
    public var summary: String
    public var suspects: [Suspect]
}

/// What one monitor's rule found.
public struct MonitorResult: Sendable, Codable, Equatable {
    public var name: String
    /// Whether the logs show the monitor's condition (as Exchange would see it).
    public var fired: Bool
    public var summary: String
    public var suspects: [Suspect]
}

/// One step of the runbook, with the command to run (servers filled in), if any.
public struct NextStep: Sendable, Codable, Equatable {
    public var text: String
    public var command: String?
}

/// What to diagnose: the monitors named (by option or alert), and what the alert said.
public struct DiagnosisRequest: Sendable {
    public var monitors: [Monitor] = []
    /// `option`, `alert`, or `logs` when nothing was named.
    public var source = "logs"
    public var alert: Alert?
    public var language = Language.english

    public init() {}
}
