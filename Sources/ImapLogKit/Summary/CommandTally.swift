// Counts and latencies of a set of commands, and the (server, command) key they are kept under.

/// Counts and latencies of a set of commands.
package struct CommandTally: Sendable, Codable, Equatable {
    package var count = 0
    package var failures = 0
    /// Durations, IDLE and proxy rows left out (they last as long as the client waits).
    package var latency = LatencyHistogram()
    /// Bytes received from clients (`rqsize`) and sent to them (`rpsize`).
    package var requestBytes: Int64 = 0
    package var responseBytes: Int64 = 0

    package mutating func merge(_ other: CommandTally) {
        count += other.count
        failures += other.failures
        latency.merge(other.latency)
        requestBytes = Self.saturatingSum(requestBytes, other.requestBytes)
        responseBytes = Self.saturatingSum(responseBytes, other.responseBytes)
    }

    /// `a + b`, or `Int64.max` past it: byte counts come from the logs' 18-digit fields, and summaries from shares
    /// others can write.
    static func saturatingSum(_ a: Int64, _ b: Int64) -> Int64 {
        let (sum, overflow) = a.addingReportingOverflow(b)
        return overflow ? (b < 0 ? Int64.min : Int64.max) : sum
    }
}

/// A (server, command) pair.
package struct ServerCommandKey: Hashable, Sendable, Codable, Comparable {
    package var server: ServerKey
    package var command: String

    package static func < (lhs: ServerCommandKey, rhs: ServerCommandKey) -> Bool {
        (lhs.server, lhs.command) < (rhs.server, rhs.command)
    }
}

extension CommandTally {
    package static var empty: CommandTally { CommandTally() }
}

extension ServerCommandKey {
    package static func of(_ server: ServerKey, command: String) -> ServerCommandKey {
        ServerCommandKey(server: server, command: command)
    }
}
