/// Everything an analysis counted, in a form that merges.
///
/// The summary of two sets of logs is the merge of their summaries.
///
/// Workers each build one per stream; the results merge in a fixed order, so a run gives the same numbers however
/// many cores it used.
package struct Summary: Sendable, Codable, Equatable {
    package var files: [FileSummary] = []
    package var skippedByReason: [SkipReason: SkipTally] = [:]
    /// Servers by lower-cased name and role.
    package var servers: [ServerKey: ServerTally] = [:]
    /// The best spelling of each lower-cased server name (`MBX01.contoso.com` over `mbx01.contoso.com`).
    package var serverSpellings: [String: String] = [:]
    package var commands: [String: CommandTally] = [:]
    package var serverCommands: [ServerCommandKey: CommandTally] = [:]
    package var users: [String: PartyTally] = [:]
    package var clients: [String: PartyTally] = [:]
    package var errors: [ErrorKey: ErrorTally] = [:]
    /// Per server, per minute (nested, so a server's name is stored once, not once a minute).
    package var timeline: [ServerKey: MinuteTable<TimelineTally>] = [:]
    package var sessions = SessionTally()
    package var probes = ProbeTally()
    /// Logons per route and minute: each front end's towards each back end, and each back end's own (`LogonPath`).
    ///
    /// Keyed by `LogonPath.key`, then minute.
    package var logonsByBackend: [String: MinuteTable<LogonTally>] = [:]
    /// The most commands in flight at once on each server (start = time − duration; IDLE left out).
    package var peakInFlight: [ServerKey: InFlightPeak] = [:]
    /// Logons, front end and back end, to link a back end's session to the front end's that proxied it:
    /// every failure and a sample of successes, bounded.
    package var logons = LogonEvents()
    /// Once more logon events would be kept than `logonLimit`, only those of about one user in 2^`logonSampling`
    /// are (see `LogonEvents.merge`); nil while every user's are.
    package var logonSampling: Int?
    /// Records parsed but left out by `--since`, `--until`, `--server`, `--user`, `--command`.
    package var filteredOut = 0
    /// Failed commands among the records the filters left out (nil for none): what a window hides.
    package var filteredOutFailures: Int?
    /// Files in the folders searched that were not protocol logs.
    package var ignoredFiles = 0
    /// The limits met (hostile input, or a fleet beyond them), by table (`Overflow`'s names).
    ///
    /// For each, how many records were counted under the key `(other)` of that table, rather than under a key of
    /// their own (for `openSessions`, how many sessions were settled before their end). Nothing is dropped.
    package var overflow: [String: Int] = [:]
    package var first: Int64?
    package var last: Int64?

    package init() {}

    /// Totals over all files.
    package var lines: Int { files.reduce(0) { $0 + $1.lines } }
    package var headerLines: Int { files.reduce(0) { $0 + $1.headerLines } }
    package var records: Int { files.reduce(0) { $0 + $1.records } }
    package var skipped: Int { files.reduce(0) { $0 + $1.skipped } }

    /// Adds another summary's counts to this one.
    package mutating func merge(_ other: Summary) {
        let pooled = serversToPool(from: other)
        if !pooled.isEmpty {
            var renamed = other
            renamed.poolServers(pooled, overflow: &overflow)
            merge(renamed, serversFit: ())
        } else {
            merge(other, serversFit: ())
        }
    }

    /// `merge`, once `other`'s servers fit the limit.
    private mutating func merge(_ other: Summary, serversFit: Void) {
        // Into an empty list with no room reserved, the other's list is taken as it is, not copied (40,000 files:
        // 5.5 MB); a list reserved for every file is filled in place.
        if files.isEmpty && files.capacity < other.files.count { files = other.files } else { files += other.files }
        for (k, v) in other.skippedByReason { skippedByReason[k, default: SkipTally()].merge(v) }
        for (k, v) in other.servers { servers[k, default: ServerTally()].merge(v) }
        for (k, v) in other.serverSpellings {
            if let mine = serverSpellings[k] { serverSpellings[k] = min(mine, v) } else { serverSpellings[k] = v }
        }
        for (k, v) in other.overflow { overflow[k, default: 0] += v }
        for (k, v) in other.commands {
            if commands[k] == nil && commands.count >= Summary.commandLimit {
                commands[Interner.pooledKey, default: CommandTally()].merge(v)
                overflow[Overflow.commands, default: 0] += v.count
            } else {
                commands[k, default: CommandTally()].merge(v)
            }
        }
        for (k, v) in other.serverCommands {
            if serverCommands[k] == nil && serverCommands.count >= Summary.serverCommandLimit {
                // The server's own row keeps the count: only which command it was is pooled.
                serverCommands[ServerCommandKey(server: k.server, command: Interner.pooledKey), default: CommandTally()]
                    .merge(v)
                overflow[Overflow.serverCommands, default: 0] += v.count
            } else {
                serverCommands[k, default: CommandTally()].merge(v)
            }
        }
        overflow[Overflow.users, default: 0] += Summary.mergeBounded(&users, other.users, limit: Summary.partyLimit)
        overflow[Overflow.clients, default: 0] += Summary.mergeBounded(
            &clients, other.clients, limit: Summary.partyLimit)
        for (k, v) in other.errors {
            if errors[k] == nil && errors.count >= Summary.errorLimit {
                // Its class kept: the rules read classes, not texts.
                errors[ErrorKey(errorClass: k.errorClass, code: Interner.pooledKey, message: ""), default: ErrorTally()]
                    .merge(v)
                overflow[Overflow.errors, default: 0] += v.count
            } else {
                errors[k, default: ErrorTally()].merge(v)
            }
        }
        overflow = overflow.filter { $0.value > 0 }
        Summary.mergeNested(&timeline, other.timeline)
        sessions.merge(other.sessions)
        probes.merge(other.probes)
        Summary.mergeNested(&logonsByBackend, other.logonsByBackend)
        for (k, v) in other.peakInFlight { peakInFlight[k, default: InFlightPeak()].merge(v) }
        var level = logonSampling ?? 0
        logons.merge(other.logons, level: &level, otherLevel: other.logonSampling ?? 0, limit: Summary.logonLimit)
        logonSampling = level > 0 ? level : nil
        filteredOut += other.filteredOut
        if let more = other.filteredOutFailures { filteredOutFailures = (filteredOutFailures ?? 0) + more }
        ignoredFiles += other.ignoredFiles
        first = [first, other.first].compactMap { $0 }.min()
        last = [last, other.last].compactMap { $0 }.max()
    }

    /// Most distinct users or clients kept (a large organisation's IMAP users, or their addresses); the rest are
    /// counted under `(other)`, and in `overflow`.
    static let partyLimit = 100_000
    /// Most distinct errors kept (code and response text): Exchange writes a few dozen.
    static let errorLimit = 10_000
    /// Most distinct commands kept across a run (each stream keeps `StreamAnalyzer.commandLimit`): IMAP and POP3
    /// have some 40 verbs; junk typed by clients must not grow every table without end.
    static let commandLimit = 1_024
    /// Most (server, command) rows kept across a run: 200 servers of 40 commands each fit twice over; past it a
    /// server's further commands are counted under its own `(other)` row.
    static let serverCommandLimit = 16_384
    /// Most distinct server names across a run: a fleet has a few hundred servers.
    ///
    /// Each costs its tallies, its
    /// minutes and its probes; past the limit, servers are counted as one, `(other)`, which no rule names and no
    /// command takes (`HostName` refuses it). 20,000 tiny servers' folders took 5.3 GB before.
    static let serverLimit = 4_096

    /// The key a bounded table counts everything past its limit under.
    ///
    /// A server, a command, a user, a client, an error code. Not a host name: no rule names it, no command the
    /// tool suggests takes it.
    package static let pooledKey = Interner.pooledKey

    /// The names `overflow` counts under.
    package enum Overflow {
        package static let commands = "commands"
        package static let serverCommands = "serverCommands"
        package static let users = "users"
        package static let clients = "clients"
        package static let errors = "errors"
        package static let servers = "servers"
        /// Sessions settled before their end because too many were open at once (`StreamAnalyzer.maxOpenSessions`).
        package static let openSessions = "openSessions"
    }
    /// Most logon events kept for linking front ends to back ends.
    static let logonLimit = 200_000

    /// Merges per-minute tables, outer key by outer key.
    ///
    /// A table `table` lacks is taken whole (shared, not copied): merged summaries then do not hold two
    /// copies of the largest tables.
    static func mergeNested<Key: Hashable, Value>(
        _ table: inout [Key: MinuteTable<Value>], _ other: [Key: MinuteTable<Value>]
    ) {
        for (key, minutes) in other {
            guard table[key] != nil else {
                table[key] = minutes
                continue
            }
            table[key, default: MinuteTable()].merge(minutes)
        }
    }

    /// Merges `other` into `table` up to `limit` keys, the rest under `(other)`; returns the commands pooled.
    private static func mergeBounded(_ table: inout [String: PartyTally], _ other: [String: PartyTally], limit: Int)
        -> Int
    {
        if table.isEmpty && other.count <= limit {
            table = other  // shared, not copied
            return 0
        }
        var pooled = 0
        for (k, v) in other {
            if table[k] == nil && table.count >= limit {
                table[Interner.pooledKey, default: PartyTally()].merge(v)
                pooled += v.commands
            } else {
                table[k, default: PartyTally()].merge(v)
            }
        }
        return pooled
    }

    /// The servers of `other` that do not fit beside this summary's within `serverLimit` (sorted, the first ones
    /// fit); empty, at the cost of one comparison, while both together are under it.
    ///
    /// `serverSpellings` holds every server a table names (each server with a tally is spelled), so it serves as
    /// the index: no set of every name is built per merge (20,000 streams past the limit).
    private func serversToPool(from other: Summary) -> Set<String> {
        var theirs = Set(other.serverSpellings.keys)
        for key in other.servers.keys { theirs.insert(key.name) }
        guard serverSpellings.count + theirs.count > Summary.serverLimit else { return [] }
        var room = Summary.serverLimit - serverSpellings.count + (serverSpellings[Interner.pooledKey] == nil ? 0 : 1)
        var pooled = Set<String>()
        for name in theirs.sorted() where serverSpellings[name] == nil && name != Interner.pooledKey {
            if room > 0 { room -= 1 } else { pooled.insert(name) }
        }
        return pooled
    }

    /// Counts the servers `pooled` names under `(other)` in every table keyed by a server.
    private mutating func poolServers(_ pooled: Set<String>, overflow: inout [String: Int]) {
        let other = Interner.pooledKey
        func name(_ server: String) -> String { pooled.contains(server) ? other : server }
        func key(_ server: ServerKey) -> ServerKey { ServerKey(name: name(server.name), role: server.role) }
        var records = 0
        var renamedServers: [ServerKey: ServerTally] = [:]
        for (k, v) in servers {
            if pooled.contains(k.name) { records += v.records + v.proxied.count }
            renamedServers[key(k), default: ServerTally()].merge(v)
        }
        servers = renamedServers
        overflow[Overflow.servers, default: 0] += records
        serverSpellings = serverSpellings.filter { !pooled.contains($0.key) }
        if servers.keys.contains(where: { $0.name == other }) { serverSpellings[other] = other }
        var renamedCommands: [ServerCommandKey: CommandTally] = [:]
        for (k, v) in serverCommands {
            renamedCommands[ServerCommandKey(server: key(k.server), command: k.command), default: CommandTally()]
                .merge(v)
        }
        serverCommands = renamedCommands
        for (k, v) in errors {
            errors[k]?.servers = Array(Set(v.servers.map(name)).sorted().prefix(32))
        }
        var renamedTimeline: [ServerKey: MinuteTable<TimelineTally>] = [:]
        for (k, v) in timeline { Summary.mergeNested(&renamedTimeline, [key(k): v]) }
        timeline = renamedTimeline
        var renamedSessions: [ProbeKey: ProbeSessionTally] = [:]
        for (k, v) in probes.sessions {
            renamedSessions[
                ProbeKey(kind: k.kind, server: key(k.server), backend: k.backend.isEmpty ? "" : name(k.backend)),
                default: ProbeSessionTally()
            ].merge(v)
        }
        probes.sessions = renamedSessions
        var renamedMinutes: [ProbeServerKey: MinuteTable<ProbeMinuteTally>] = [:]
        for (k, v) in probes.minutes {
            Summary.mergeNested(&renamedMinutes, [ProbeServerKey(kind: k.kind, server: key(k.server)): v])
        }
        probes.minutes = renamedMinutes
        var renamedLogons: [String: MinuteTable<LogonTally>] = [:]
        for (k, v) in logonsByBackend {
            let path = LogonPath(key: k)
            let renamed = LogonPath(
                frontEnd: path.frontEnd.isEmpty ? "" : name(path.frontEnd),
                backEnd: path.backEnd.isEmpty ? "" : name(path.backEnd), isBackEndView: path.isBackEndView)
            Summary.mergeNested(&renamedLogons, [renamed.key: v])
        }
        logonsByBackend = renamedLogons
        var renamedPeaks: [ServerKey: InFlightPeak] = [:]
        for (k, v) in peakInFlight { renamedPeaks[key(k), default: InFlightPeak()].merge(v) }
        peakInFlight = renamedPeaks
    }
}

// Encoded with the dictionaries whose keys are not strings in key order (`encodeSorted`), so the same summary always
// gives the same bytes; here, beside the type, because its synthesized coding keys are private to this file.
extension Summary {
    package func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(files, forKey: .files)
        try container.encodeSorted(skippedByReason, forKey: .skippedByReason)
        try container.encodeSorted(servers, forKey: .servers)
        try container.encode(serverSpellings, forKey: .serverSpellings)
        try container.encode(commands, forKey: .commands)
        try container.encodeSorted(serverCommands, forKey: .serverCommands)
        try container.encode(users, forKey: .users)
        try container.encode(clients, forKey: .clients)
        try container.encodeSorted(errors, forKey: .errors)
        try container.encodeSorted(timeline, forKey: .timeline)
        try container.encode(sessions, forKey: .sessions)
        try container.encode(probes, forKey: .probes)
        try container.encode(logonsByBackend, forKey: .logonsByBackend)
        try container.encodeSorted(peakInFlight, forKey: .peakInFlight)
        try container.encodeIfPresent(logonSampling, forKey: .logonSampling)
        try container.encode(logons, forKey: .logons)
        try container.encode(filteredOut, forKey: .filteredOut)
        try container.encodeIfPresent(filteredOutFailures, forKey: .filteredOutFailures)
        try container.encode(ignoredFiles, forKey: .ignoredFiles)
        try container.encode(overflow, forKey: .overflow)
        try container.encodeIfPresent(first, forKey: .first)
        try container.encodeIfPresent(last, forKey: .last)
    }
}
