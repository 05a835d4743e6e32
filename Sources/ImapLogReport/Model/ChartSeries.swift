import ImapLogDiagnosis
import ImapLogKit

/// What the HTML report's charts draw: per server, the same buckets over the logs' whole span.
///
/// Not part of the JSON contract (`Report.charts` is left out of its keys): `ReportBuilder` makes it only when
/// asked (`includesCharts`), from the per-minute tables the summary keeps. Each series has at most
/// `maximumPoints` buckets, whatever the span: counts are summed into a bucket, so a peak is never lost, only
/// widened.
package struct ChartSeries: Sendable, Equatable {
    /// The most buckets a series has.
    package static let maximumPoints = 2_000

    /// Minutes a bucket spans (one of `ReportBuilder.bucketChoices`).
    package var bucketMinutes: Int
    /// The first bucket's start, in minutes since 1970.
    package var firstMinute: Int64
    /// How many buckets every series has.
    package var bucketCount: Int
    /// One entry per server and role, in the servers table's order.
    package var servers: [Server]

    /// The series of one server in one role, each `bucketCount` long.
    package struct Server: Sendable, Equatable {
        package var server: String
        package var role: Role
        package var requests: [Int]
        package var failures: [Int]
        /// Mean latency of the bucket's timed commands (IDLE left out), ms; nil where none was timed.
        ///
        /// The summary keeps a latency histogram per server, not per minute: a p90 per bucket cannot be made.
        package var meanLatencyMs: [Double?]
        /// Logons on the server's routes (a front end's to every back end; a back end's from every front end, or
        /// from its own log when no front end's was read).
        package var logons: [Int]
        /// Logons that failed for a server's fault.
        package var serverFaults: [Int]
        /// Logons refused for the user's credentials.
        package var credentialFailures: [Int]
        /// Probe sessions started (all probes of the server).
        package var probeSessions: [Int]
        package var failedProbeSessions: [Int]

        init(server: String, role: Role, count: Int) {
            self.server = server
            self.role = role
            requests = Array(repeating: 0, count: count)
            failures = requests
            meanLatencyMs = Array(repeating: nil, count: count)
            logons = requests
            serverFaults = requests
            credentialFailures = requests
            probeSessions = requests
            failedProbeSessions = requests
        }

        /// Whether any probe session of this server was seen.
        package var hasProbes: Bool { probeSessions.contains { $0 > 0 } }
        /// Whether any logon on its routes was seen.
        package var hasLogons: Bool { logons.contains { $0 > 0 } }
    }

    /// The smallest bucket (of `choices`, in minutes) that keeps `minutes` of span within `maximumPoints` buckets.
    package static func bucket(
        forSpanMinutes minutes: Int64, choices: [Int] = ReportBuilder.bucketChoices, maximumPoints: Int = maximumPoints
    ) -> Int {
        let span = max(1, minutes)
        let fitting = choices.first { (span + Int64($0) - 1) / Int64($0) <= Int64(maximumPoints) }
        return fitting ?? choices.last ?? 1
    }

    /// The start of the bucket of `bucketMinutes` that holds `minute` (floored, before 1970 too).
    package static func bucketStart(_ minute: Int64, bucketMinutes: Int) -> Int64 {
        let size = Int64(bucketMinutes)
        return minute - ((minute % size) + size) % size
    }
}

extension ReportBuilder {
    /// The chart series of `summary` (read before its per-minute tables are released).
    func buildCharts(_ summary: Summary, _ names: NameTable, servers: [Report.Server]) -> ChartSeries? {
        guard let first = summary.first, let last = summary.last else { return nil }
        let firstMinute = BucketStart(millis: first).minute
        let lastMinute = BucketStart(millis: last).minute
        let bucket = ChartSeries.bucket(forSpanMinutes: lastMinute - firstMinute + 1)
        let start = ChartSeries.bucketStart(firstMinute, bucketMinutes: bucket)
        let count = Int((lastMinute - start) / Int64(bucket)) + 1
        func index(_ minute: Int64) -> Int? {
            let i = (minute - start) / Int64(bucket)
            return minute >= start && i < count ? Int(i) : nil
        }
        // One entry per canonical server and role, in the servers table's order.
        var order: [ServerKey] = []
        var series: [ServerKey: ChartSeries.Server] = [:]
        for server in servers {
            let key = ServerKey.named(names.canonical(server.server.lowercased()), role: server.role)
            guard series[key] == nil else { continue }
            order.append(key)
            series[key] = ChartSeries.Server(server: server.server, role: server.role, count: count)
        }
        // Each server's series is taken out of the table while a table of minutes is added to it: changed in place
        // there, rather than copied for every minute (a year of five servers is 2.4 million minutes).
        var latency: [ServerKey: [(sum: Int64, count: Int)]] = [:]
        for (raw, minutes) in summary.timeline {
            let key = ServerKey.named(names.canonical(raw.name), role: raw.role)
            guard var server = series.removeValue(forKey: key) else { continue }
            var sums = latency.removeValue(forKey: key) ?? Array(repeating: (0, 0), count: count)
            for (minute, tally) in minutes {
                guard let i = index(minute) else { continue }
                server.requests[i] += tally.requests
                server.failures[i] += tally.failures
                sums[i].sum = min(Summary.millisecondsLimit, sums[i].sum + tally.latencySum)
                sums[i].count += tally.latencyCount
            }
            series[key] = server
            latency[key] = sums
        }
        for (key, sums) in latency {
            series[key]?.meanLatencyMs = sums.map { $0.count == 0 ? nil : Double($0.sum) / Double($0.count) }
        }
        addLogons(summary, names, into: &series, index: index)
        for (raw, minutes) in summary.probes.minutes {
            let key = ServerKey.named(names.canonical(raw.server.name), role: raw.server.role)
            guard var server = series.removeValue(forKey: key) else { continue }
            for (minute, tally) in minutes {
                guard let i = index(minute) else { continue }
                server.probeSessions[i] += tally.sessions
                server.failedProbeSessions[i] += tally.failedSessions
            }
            series[key] = server
        }
        return ChartSeries(
            bucketMinutes: bucket, firstMinute: start, bucketCount: count, servers: order.compactMap { series[$0] })
    }

    /// Logons per route added to the servers at either end: a front end's own routes; a back end's as the front
    /// ends saw them, else as its own log did (never both: one logon is logged at each end).
    private func addLogons(
        _ summary: Summary, _ names: NameTable, into series: inout [ServerKey: ChartSeries.Server],
        index: (Int64) -> Int?
    ) {
        let routes = summary.logonsByBackend.map { (LogonPath(key: $0.key), $0.value) }
        let seenByFrontEnds = Set(
            routes.filter { !$0.0.isBackEndView && !$0.0.backEnd.isEmpty }.map { names.canonical($0.0.backEnd) })
        for (path, minutes) in routes {
            var keys: [ServerKey] = []
            if !path.isBackEndView, !path.frontEnd.isEmpty {
                keys.append(.named(names.canonical(path.frontEnd), role: .frontEnd))
            }
            if !path.backEnd.isEmpty {
                let backEnd = names.canonical(path.backEnd)
                if path.isBackEndView ? !seenByFrontEnds.contains(backEnd) : true {
                    keys.append(.named(backEnd, role: .backEnd))
                }
            }
            for key in keys {
                guard var server = series.removeValue(forKey: key) else { continue }
                for (minute, tally) in minutes {
                    guard let i = index(minute) else { continue }
                    server.logons[i] += tally.logons
                    server.serverFaults[i] += tally.serverFaults
                    server.credentialFailures[i] += tally.credentialFailures
                }
                series[key] = server
            }
        }
    }
}
