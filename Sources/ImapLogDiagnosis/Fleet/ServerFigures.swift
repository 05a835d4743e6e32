import ImapLogKit

/// A server in a role as the logs describe it: what the diagnosis reads and the report shows (`ServerFigures`).
package struct ServerFigures: Sendable, Codable, Equatable {
    package var server: String
    package var role: Role
    /// Where the top-level counts come from.
    ///
    /// `ownLogs` when this server's own logs were read; `frontEnds` when it is known only as the back end the
    /// front ends proxied to.
    ///
    /// The top-level counts come from that source.
    package var seenFrom: String
    package var sessions: Int
    package var commands: Int
    package var failures: Int
    package var failureRate: Double
    package var latencyMs: LatencyFigures
    package var failuresByClass: [String: Int]
    /// Bytes received from clients and sent to them (the front end's `proxy` rows carry what it relayed).
    package var requestBytes: Int64
    package var responseBytes: Int64
    /// The front ends' view of it as a back end, when they proxied to it.
    package var proxied: ProxiedFigures?
    package var sessionOutcomes: SessionTally
    package var addresses: [String]
    /// `path:line` of the first server-side failures in its own logs.
    package var examples: [String]
}

/// Latency quantiles in ms, from a mergeable histogram.
package struct LatencyFigures: Sendable, Codable, Equatable {
    package var p50: Int64
    package var p90: Int64
    package var p99: Int64
    package var max: Int64
    package var mean: Double
    /// Durations measured (IDLE and proxy rows are not); 0 means the figures above say nothing.
    package var samples: Int

    package init(_ histogram: LatencyHistogram) {
        samples = Int(histogram.count)
        p50 = histogram.quantile(0.5)
        p90 = histogram.quantile(0.9)
        p99 = histogram.quantile(0.99)
        max = histogram.max
        mean = (histogram.mean * 10).rounded() / 10
    }
}

/// A back end as the front ends that proxied to it saw it.
package struct ProxiedFigures: Sendable, Codable, Equatable {
    package var sessions: Int
    package var commands: Int
    package var failures: Int
    package var failureRate: Double
    package var latencyMs: LatencyFigures
    package var failuresByClass: [String: Int]
    /// `path:line` of the first server-side failures on sessions proxied to it.
    package var examples: [String]
}

extension ServerFigures {
    /// Every server in each role, names merged (short name and FQDN are one), sorted.
    package static func build(_ summary: Summary, _ names: NameTable) -> [ServerFigures] {
        var merged: [ServerKey: ServerTally] = [:]
        // In key order: a tally merged into another keeps the first examples it meets, the same on every run.
        for (key, tally) in summary.servers.sorted(by: { $0.key < $1.key }) {
            merged[ServerKey.named(names.canonical(key.name), role: key.role), default: ServerTally.empty].merge(tally)
        }
        return merged.sorted { $0.key < $1.key }.map { key, tally in
            let ownLogs = tally.records > 0 || tally.sessions > 0
            let main = ownLogs ? tally.own : tally.proxied
            var proxied: ProxiedFigures?
            if tally.proxiedSessions > 0 || tally.proxied.count > 0 {
                proxied = ProxiedFigures(
                    sessions: tally.proxiedSessions, commands: tally.proxied.count, failures: tally.proxied.failures,
                    failureRate: rate(tally.proxied.failures, tally.proxied.count),
                    latencyMs: LatencyFigures(tally.proxied.latency),
                    failuresByClass: classCounts(tally.proxiedFailureClasses), examples: tally.proxiedExamples)
            }
            return ServerFigures(
                server: names.display(key.name), role: key.role, seenFrom: ownLogs ? "ownLogs" : "frontEnds",
                sessions: ownLogs ? tally.sessions : tally.proxiedSessions, commands: main.count,
                failures: main.failures, failureRate: rate(main.failures, main.count),
                latencyMs: LatencyFigures(main.latency),
                failuresByClass: classCounts(ownLogs ? tally.failureClasses : tally.proxiedFailureClasses),
                requestBytes: main.requestBytes, responseBytes: main.responseBytes,
                proxied: proxied, sessionOutcomes: tally.outcomes, addresses: tally.addresses, examples: tally.examples)
        }
    }

    private static func classCounts(_ counts: [ErrorClass: Int]) -> [String: Int] {
        Dictionary(uniqueKeysWithValues: counts.filter { $0.value > 0 }.map { ($0.key.rawValue, $0.value) })
    }
}

/// Failures per command, 0 when there were no commands; four decimals.
package func rate(_ failures: Int, _ total: Int) -> Double {
    total == 0 ? 0 : (Double(failures) / Double(total) * 10_000).rounded() / 10_000
}
