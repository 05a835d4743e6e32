import ImapLogDiagnosis
import ImapLogKit
import ImapLogReport

/// What `imaplog watch` remembers from one look to the next: when each server last wrote, the recent looks'
/// latencies, since when the verdict has held, and each server's state, to say what changed.
struct WatchTracker {
    /// A server is quiet after this long without a new row while another writes: three periods of the probes
    /// that run every minute on every server (ImapProxyTestProbe, ImapSelfTestProbe), so a quiet server is one
    /// whose own monitoring stopped being logged, not one between two busy spells.
    static let quietAfter: Int64 = 3 * 60_000
    /// The span of the latencies' percentile: the last five minutes of rows.
    static let latencyWindow: Int64 = 5 * 60_000

    private struct Look {
        var last: Int64
        var latencies: [ServerKey: LatencyHistogram]
    }

    /// When (the machine's clock) each server's logs last gained a record, by its first label, lower-cased.
    private var lastWrite: [String: Int64] = [:]
    /// The spelling of each server in `lastWrite`.
    private var spellings: [String: String] = [:]
    private var looks: [Look] = []
    private var newestRow: Int64 = .min
    /// The verdict's first suspect (or none) and since when it has held.
    private(set) var verdictKey: String?
    private(set) var verdictSince: Int64 = 0
    private var serverStates: [String: String] = [:]

    /// Takes in what a look read.
    mutating func note(_ progress: LogFollower.Progress, now: Int64) {
        for writer in progress.writers {
            let key = Self.label(writer)
            lastWrite[key] = now
            spellings[key] = spellings[key] ?? writer
        }
        if let last = progress.last { newestRow = max(newestRow, last) }
        // A look longer than the window (a catch-up) says nothing of the last minutes' latencies.
        if let first = progress.first, let last = progress.last, last - first <= Self.latencyWindow,
            !progress.latencies.isEmpty
        {
            looks.append(Look(last: last, latencies: progress.latencies))
        }
        looks.removeAll { $0.last <= newestRow - Self.latencyWindow }
    }

    /// A server's 90th-percentile latency over the last five minutes' looks, nil when none was timed.
    func p90(of server: ServerKey) -> Int64? {
        var merged = LatencyHistogram()
        for look in looks { if let histogram = look.latencies[server] { merged.merge(histogram) } }
        return merged.count == 0 ? nil : merged.quantile(0.9)
    }

    /// How many minutes `server` has been quiet while others write; nil when it is not.
    func quietMinutes(of server: String, now: Int64) -> Int? {
        let key = Self.label(server)
        guard let last = lastWrite[key], now - last >= Self.quietAfter else { return nil }
        let othersWrite = lastWrite.contains { $0.key != key && now - $0.value < Self.quietAfter }
        return othersWrite ? Int((now - last) / 60_000) : nil
    }

    /// The servers' rows: the recent logons, each row's latency and state, and a row for each quiet server.
    func servers(_ recent: [WatchStatus.ServerActivity], now: Int64) -> [WatchStatus.ServerActivity] {
        var rows = recent
        var shown = Set<String>()
        for index in rows.indices {
            rows[index].p90Ms = p90(of: ServerKey.named(rows[index].server.lowercased(), role: rows[index].role))
            shown.insert(Self.label(rows[index].server))
            if let minutes = quietMinutes(of: rows[index].server, now: now) {
                rows[index].state = "quiet"
                rows[index].quietMinutes = minutes
            }
        }
        for key in lastWrite.keys.sorted() where !shown.contains(key) {
            guard let minutes = quietMinutes(of: key, now: now) else { continue }
            var row = WatchStatus.ServerActivity(server: spellings[key] ?? key, role: .unknown, state: "quiet")
            row.quietMinutes = minutes
            rows.append(row)
        }
        return rows
    }

    /// Notes the verdict's first suspect; returns the change (from, to) when it is another than before.
    mutating func noteVerdict(_ verdict: Report.Verdict, now: Int64) -> (from: String?, to: String)? {
        let key =
            verdict.suspects.first.map { "\($0.server) (\($0.role.rawValue))\($0.hasRecovered ? ", recovered" : "")" }
            ?? (verdict.isUndetermined ? "undetermined" : "none")
        guard key != verdictKey else { return nil }
        let before = verdictKey
        verdictKey = key
        verdictSince = now
        return (before, key)
    }

    /// Notes each server's state; returns those that changed (a server met for the first time does not).
    mutating func noteStates(_ rows: [WatchStatus.ServerActivity]) -> [(server: String, from: String, to: String)] {
        var changes: [(String, String, String)] = []
        for row in rows {
            let key = "\(row.server.lowercased())|\(row.role.rawValue)"
            if let before = serverStates[key], before != row.state { changes.append((row.server, before, row.state)) }
            serverStates[key] = row.state
        }
        return changes
    }

    /// The name a server is matched by: its first label, lower-cased (`CAS01`, `cas01.contoso.com`).
    static func label(_ name: String) -> String {
        let lower = name.lowercased()
        return HostName.isAddress(lower) ? lower : String(lower.prefix { $0 != "." })
    }
}
