import ImapLogDiagnosis
import ImapLogKit

/// What `imaplog watch` shows at one look: the verdict so far, each server's last minutes, the newest failures,
/// and how far the reading is behind the files.
///
/// Encoded as an `update` line of the watch's JSON lines; drawn as the live screen (`WatchScreen`).
package struct WatchStatus: Sendable, Encodable, Equatable {
    package var type = "update"
    /// The look's time (the machine's clock, UTC).
    package var time: String
    package var lines: Int
    package var records: Int
    package var files: Int
    /// Bytes written to the logs and not read yet.
    package var bytesBehind: Int64
    /// The newest row's time in the logs, nil before any.
    package var newestRow: String?
    /// The verdict as the JSON report has it.
    package var verdict: Report.Verdict
    /// Since when (the machine's clock) the first suspect, or its absence, has held.
    package var verdictSince: String
    package var servers: [ServerActivity]
    /// The newest logons refused for a server's fault, newest first.
    package var newestFailures: [FailedLogon]
    /// Paths that could not be searched or read at this look.
    package var problems: [String]

    package init(
        time: String, lines: Int, records: Int, files: Int, bytesBehind: Int64, newestRow: String?,
        verdict: Report.Verdict, verdictSince: String, servers: [ServerActivity], newestFailures: [FailedLogon],
        problems: [String]
    ) {
        self.time = time
        self.lines = lines
        self.records = records
        self.files = files
        self.bytesBehind = bytesBehind
        self.newestRow = newestRow
        self.verdict = verdict
        self.verdictSince = verdictSince
        self.servers = servers
        self.newestFailures = newestFailures
        self.problems = problems
    }

    /// A server's logons in the logs' last minute and last five minutes, up to the newest row (by the rows' times;
    /// the oldest minute of each window counted for the share of it inside).
    package struct ServerActivity: Sendable, Encodable, Equatable {
        package var server: String
        package var role: Role
        package var logonsLastMinute = 0
        package var logonsLast5Minutes = 0
        /// Logons refused for a server's fault (wrong passwords are not).
        package var failedLastMinute = 0
        package var failedLast5Minutes = 0
        /// The 90th percentile of its commands' durations over the last five minutes' looks; nil when none was
        /// timed (or only a catch-up longer than that was read).
        package var p90Ms: Int64?
        /// `writing`, `failing` (logons refused in the last five minutes: by it, for a back end; before any back
        /// end was named, for a front end) or `quiet` (no new row for `quietMinutes` while other servers write).
        package var state: String
        package var quietMinutes: Int?

        package init(server: String, role: Role, state: String) {
            self.server = server
            self.role = role
            self.state = state
        }
    }

    /// A logon refused for a server's fault.
    package struct FailedLogon: Sendable, Encodable, Equatable {
        package var time: String
        package var server: String
        /// The back end it was proxied to, when the front end said.
        package var backend: String?
        package var error: String
        /// `path:line`.
        package var example: String
    }
}

/// Each server's recent logons, from the live summary's logon tables.
package enum RecentActivity {
    /// Logons and logons refused for a server's fault in the last minute and the last five, estimated.
    private struct Counts {
        var logons1 = 0.0
        var faults1 = 0.0
        var logons5 = 0.0
        var faults5 = 0.0

        mutating func add(_ other: Counts) {
            logons1 += other.logons1
            faults1 += other.faults1
            logons5 += other.logons5
            faults5 += other.faults5
        }

        /// Adds a minute's tally, weighed by the share of it inside each window.
        mutating func add(_ tally: LogonTally, inLastMinute: Double, inLast5: Double) {
            logons1 += Double(tally.logons) * inLastMinute
            faults1 += Double(tally.serverFaults) * inLastMinute
            logons5 += Double(tally.logons) * inLast5
            faults5 += Double(tally.serverFaults) * inLast5
        }
    }

    /// The servers' logons in the last 1 and 5 minutes up to `summary.last`, most failures first.
    ///
    /// A front end counts the logons it proxied; a back end those proxied to it or, when its own log says more,
    /// those it logged itself (the two are one logon seen twice, never added).
    package static func servers(of summary: Summary) -> [WatchStatus.ServerActivity] {
        guard let last = summary.last else { return [] }
        let end = last >= 0 ? last / 60_000 : (last - 59_999) / 60_000
        // The windows slide with the newest row, over minute tables: the minute it is in counts whole, the
        // minute that leaves the window counts for the share of it still inside (a steady rate reads the same at
        // 12:00:05 as at 12:00:55, not 0 just after the minute turns).
        let leaving = 1 - Double(last - end * 60_000) / 60_000
        var frontEnds: [String: Counts] = [:]
        var proxiedTo: [String: Counts] = [:]
        var ownView: [String: Counts] = [:]
        /// A front end's failed logons that named no back end: its own failures, not a back end's.
        var unrouted: [String: Double] = [:]
        for (key, table) in summary.logonsByBackend {
            let path = LogonPath(key: key)
            var counts = Counts()
            for minute in (end - 5)...end {
                guard let tally = table[minute] else { continue }
                let age = end - minute
                counts.add(
                    tally, inLastMinute: age == 0 ? 1 : age == 1 ? leaving : 0, inLast5: age == 5 ? leaving : 1)
            }
            guard counts.logons5 > 0 else { continue }
            if path.isBackEndView {
                ownView[path.backEnd, default: Counts()].add(counts)
            } else {
                if !path.frontEnd.isEmpty {
                    frontEnds[path.frontEnd, default: Counts()].add(counts)
                    if path.backEnd.isEmpty { unrouted[path.frontEnd, default: 0] += counts.faults5 }
                }
                if !path.backEnd.isEmpty { proxiedTo[path.backEnd, default: Counts()].add(counts) }
            }
        }
        var rows: [WatchStatus.ServerActivity] = []
        func row(_ name: String, _ role: Role, _ counts: Counts) -> WatchStatus.ServerActivity {
            var row = WatchStatus.ServerActivity(server: summary.serverSpellings[name] ?? name, role: role, state: "")
            row.logonsLastMinute = Int(counts.logons1.rounded())
            row.logonsLast5Minutes = Int(counts.logons5.rounded())
            row.failedLastMinute = Int(counts.faults1.rounded())
            row.failedLast5Minutes = Int(counts.faults5.rounded())
            row.state = row.failedLast5Minutes > 0 ? "failing" : "writing"
            return row
        }
        for (name, counts) in frontEnds {
            var frontEnd = row(name, .frontEnd, counts)
            // Logons refused by the back end they were proxied to are that back end's failures.
            frontEnd.state = unrouted[name, default: 0] >= 0.5 ? "failing" : "writing"
            rows.append(frontEnd)
        }
        for name in Set(proxiedTo.keys).union(ownView.keys) {
            let (proxied, own) = (proxiedTo[name] ?? Counts(), ownView[name] ?? Counts())
            rows.append(row(name, .backEnd, own.logons5 > proxied.logons5 ? own : proxied))
        }
        return rows.sorted {
            ($1.failedLast5Minutes, $0.role.rawValue, $0.server) < ($0.failedLast5Minutes, $1.role.rawValue, $1.server)
        }
    }

    /// The newest `count` logons refused for a server's fault, newest first.
    package static func newestFailures(of summary: Summary, count: Int) -> [WatchStatus.FailedLogon] {
        var newest: [LogonEvent] = []
        for event in summary.logons where event.failed && event.errorClass?.pointsAtAServer == true {
            newest.append(event)
            if newest.count > 4 * count {
                newest.sort { ($0.time, $0.example) > ($1.time, $1.example) }
                newest.removeLast(newest.count - count)
            }
        }
        newest.sort { ($0.time, $0.example) > ($1.time, $1.example) }
        return newest.prefix(count).map { event in
            WatchStatus.FailedLogon(
                time: Timestamp.format(event.time, withMilliseconds: false),
                server: summary.serverSpellings[event.server.name] ?? event.server.name,
                backend: event.backend.isEmpty ? nil : summary.serverSpellings[event.backend] ?? event.backend,
                error: event.errorCode.isEmpty ? (event.errorClass?.rawValue ?? "") : event.errorCode,
                example: event.example)
        }
    }
}
