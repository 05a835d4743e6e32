import ImapLogKit

/// Which monitor a diagnosis is about, and where imaplog learnt it.
package struct MonitorReference: Sendable, Codable, Equatable {
    package var name: String
    package var probe: String?
    package var healthSet: String
    /// `option` (--monitor), `alert` (--alert) or `logs` (none named: every rule ran).
    package var source: String

    package init(_ monitor: Monitor, source: String) {
        name = monitor.rawValue
        probe = monitor.probe
        healthSet = monitor.healthSet
        self.source = source
    }
}

/// When a suspect's fault was seen (the name the report's own `Suspect` uses for it).
package typealias SuspectWindow = Suspect.Window

/// A server the logs point at, with the evidence.
package struct Suspect: Sendable, Equatable {
    package struct Window: Sendable, Codable, Equatable {
        package var from: String
        package var to: String
    }

    package var server: String
    package var role: Role
    /// 0–1: how clearly the logs single this server out.
    package var confidence: Double
    /// What the monitor rule found against the server.
    package var rule: Sentence
    package var monitor: String
    package var failures: Int
    package var total: Int
    package var rate: Double
    /// The failure rate of the same traffic elsewhere (other servers in the window, or before it).
    package var baselineRate: Double?
    package var window: Window?
    package var evidence: [Sentence]
    /// Up to five rows to read, `path:line`.
    package var examples: [String]
    /// Whether the fault ended long before the logs do (a blip that has recovered): nothing to restart now.
    package var hasRecovered = false
}

/// The answer: who is responsible, or why nobody is.
package struct Verdict: Sendable, Equatable {
    package var summary: [Sentence]
    package var suspects: [Suspect]
    /// Whether the logs could not answer at all.
    ///
    /// Nothing was analysed, or none of the data the monitors in question read: the summary says what is missing
    /// and what the logs do cover. Never an all-clear.
    package var isUndetermined = false
    /// In live use (`--check`), how many minutes old the newest row is, when that is `staleAfterMinutes` or more.
    package var staleMinutes: Int?
}

/// What one monitor's rule found.
package struct MonitorResult: Sendable, Equatable {
    package var name: String
    /// Whether the logs show the monitor's condition (as Exchange would see it).
    package var fired: Bool
    package var summary: [Sentence]
    package var suspects: [Suspect]
    /// What the rule blames when it is not a server (`Cause`), else nil.
    package var cause: String?

    /// Causes that are not a server.
    package enum Cause {
        /// The monitoring account's own logons are refused: the probe fails while users log on.
        package static let monitoringAccount = "monitoringAccount"
        /// Only users' wrong passwords: nobody's server is at fault.
        package static let credentials = "credentials"
        /// The logs hold none of the traffic the rule reads.
        package static let noData = "noData"
    }
}

/// One step of the runbook, with the command to run (servers filled in), if any.
package struct NextStep: Sendable, Equatable {
    /// A command to run: PowerShell, with a placeholder where no server was found to fill in.
    ///
    /// It holds no words, so that the report shows it in its own language.
    package struct Command: Sendable, Hashable {
        /// A piece of a command.
        package enum Part: Sendable, Hashable {
            /// PowerShell as it is run (a server in it is a valid host name or address, quoted).
            case code(String)
            /// A server for the admin to fill in, shown in angle brackets: nobody can run it by mistake.
            case placeholder(StepPlaceholder)
        }

        /// The pieces in order, no two pieces of code side by side: equal commands have equal parts.
        package private(set) var parts: [Part] = []

        package init(_ parts: [Part]) {
            for part in parts {
                if case .code(let code) = part, case .code(let before) = self.parts.last {
                    self.parts[self.parts.count - 1] = .code(before + code)
                } else {
                    self.parts.append(part)
                }
            }
        }

        /// A command that is all code.
        package static func code(_ code: String) -> Command { Command([.code(code)]) }

        /// Whether `code` appears within one of its pieces of code.
        package func contains(code: String) -> Bool {
            parts.contains { part in
                guard case .code(let text) = part else { return false }
                return text.contains(code)
            }
        }
    }

    package var text: Sentence
    package var command: Command?
    /// The monitor whose steps these are.
    package var monitor: String?

    package init(text: Sentence, command: Command? = nil, monitor: String? = nil) {
        self.text = text
        self.command = command
        self.monitor = monitor
    }
}

/// What to diagnose: the monitors named (by option or alert), and what the alert said.
package struct DiagnosisRequest: Sendable {
    package var monitors: [Monitor] = []
    /// `option`, `alert`, or `logs` when nothing was named.
    package var source = "logs"
    package var alert: Alert?
    package var language = Language.english
    /// Now, in ms since 1970, for `--check`; nil when the logs are read after the fact.
    ///
    /// Logs whose newest row is older than `staleAfterMinutes` are a finding: a hung service stops writing.
    package var now: Int64?
    /// Names the admin gave servers known by address (`--name 10.0.1.11=CAS01`), by lower-cased address.
    package var serverNames: [String: String] = [:]
    /// The end of the span analysed (`--until`), ms since 1970: rows after it were read, not counted.
    package var until: Int64?

    package init() {}
}
