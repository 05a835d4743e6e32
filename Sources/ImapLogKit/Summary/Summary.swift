/// Everything an analysis counted, in a form that merges.
///
/// The summary of two sets of logs is the merge of their summaries.
///
/// Workers each build one per stream; the results merge in a fixed order, so a run gives the same numbers however
/// many cores it used.
public struct Summary: Sendable, Codable, Equatable {
    public var files: [FileSummary] = []
    public var skippedByReason: [SkipReason: SkipTally] = [:]
    /// Servers by lower-cased name and role.
    public var servers: [ServerKey: ServerTally] = [:]
    /// The best spelling of each lower-cased server name (`MBX01.contoso.com` over `mbx01.contoso.com`).
    public var serverSpellings: [String: String] = [:]
    public var commands: [String: CommandTally] = [:]
    public var serverCommands: [ServerCommandKey: CommandTally] = [:]
    public var users: [String: PartyTally] = [:]
    public var clients: [String: PartyTally] = [:]
    public var errors: [ErrorKey: ErrorTally] = [:]
    /// Per server, per minute (nested, so a server's name is stored once, not once a minute).
    public var timeline: [ServerKey: MinuteTable<TimelineTally>] = [:]
    public var sessions = SessionTally()
    public var probes = ProbeTally()
    /// Logons per route and minute: each front end's towards each back end, and each back end's own (`LogonPath`).
    ///
    /// Keyed by `LogonPath.key`, then minute.
    public var logonsByBackend: [String: MinuteTable<LogonTally>] = [:]
    /// The most commands in flight at once on each server (start = time − duration; IDLE left out).
    public var peakInFlight: [ServerKey: InFlightPeak] = [:]
    /// Logons, front end and back end, to link a back end's session to the front end's that proxied it:
    /// every failure and a sample of successes, bounded.
    public var logons = LogonEvents()
    /// Once more logon events would be kept than `logonLimit`, only those of about one user in 2^`logonSampling`
    /// are (see `LogonEvents.merge`); nil while every user's are.
    public var logonSampling: Int?
    /// Records parsed but left out by `--since`, `--until`, `--server`, `--user`, `--command`.
    public var filteredOut = 0
    /// Failed commands among the records the filters left out (nil for none): what a window hides.
    public var filteredOutFailures: Int?
    /// Files in the folders searched that were not protocol logs.
    public var ignoredFiles = 0
    /// The limits met (hostile input, or a fleet beyond them), by table (`Overflow`'s names).
    ///
    /// For each, how many records were counted under the key `(other)` of that table, rather than under a key of
    /// their own (for `openSessions`, how many sessions were settled before their end). Nothing is dropped.
    public var overflow: [String: Int] = [:]
    public var first: Int64?
    public var last: Int64?

    public init() {}

    /// Totals over all files.
    public var lines: Int { files.reduce(0) { $0 + $1.lines } }
    public var headerLines: Int { files.reduce(0) { $0 + $1.headerLines } }
    public var records: Int { files.reduce(0) { $0 + $1.records } }
    public var skipped: Int { files.reduce(0) { $0 + $1.skipped } }

    /// Adds another summary's counts to this one.
    public mutating func merge(_ other: Summary) {
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
    public static let pooledKey = Interner.pooledKey

    /// The names `overflow` counts under.
    public enum Overflow {
        public static let commands = "commands"
        public static let serverCommands = "serverCommands"
        public static let users = "users"
        public static let clients = "clients"
        public static let errors = "errors"
        public static let servers = "servers"
        /// Sessions settled before their end because too many were open at once (`StreamAnalyzer.maxOpenSessions`).
        public static let openSessions = "openSessions"
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

/// What one file (or standard input) held.
public struct FileSummary: Sendable, Codable, Equatable {
    public var path: String
    public var role: Role
    public var server: String?
    public var format: LogFormat?
    public var lines = 0
    public var headerLines = 0
    public var records = 0
    public var skipped = 0
    public var first: Int64?
    public var last: Int64?
    /// Things worth knowing that are not errors: no header, a last line without a line end.
    public var notices: [String] = []
    /// Why reading stopped early, if it did.
    public var error: String?

    /// Whether the file is a POP3 log, by its name (`POP3*.LOG`, `POP3BE*.LOG`, also in an archive).
    public static func isPOP3(path: String) -> Bool {
        let name = path.split(whereSeparator: { $0 == "/" || $0 == "\\" || $0 == "!" }).last.map(String.init) ?? path
        return LogFileName.parse(name)?.protocolName == "POP3"
    }
}

/// Lines skipped for one reason, with where the first one was.
public struct SkipTally: Sendable, Codable, Equatable {
    public var count = 0
    /// `path:line` of the first one.
    public var example: String?

    package mutating func merge(_ other: SkipTally) {
        count += other.count
        if example == nil { example = other.example }
    }
}

/// A server in one role: Exchange 2016+ runs front end and back end on every server.
public struct ServerKey: Hashable, Sendable, Codable, Comparable {
    /// Lower-cased name (or address).
    public var name: String
    public var role: Role

    public static func < (lhs: ServerKey, rhs: ServerKey) -> Bool { (lhs.name, lhs.role) < (rhs.name, rhs.role) }
}

/// Counts and latencies of a set of commands.
public struct CommandTally: Sendable, Codable, Equatable {
    public var count = 0
    public var failures = 0
    /// Durations, IDLE and proxy rows left out (they last as long as the client waits).
    public var latency = LatencyHistogram()
    /// Bytes received from clients (`rqsize`) and sent to them (`rpsize`).
    public var requestBytes: Int64 = 0
    public var responseBytes: Int64 = 0

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

/// What a server did, as its own logs tell it and as the front ends that proxied to it tell it.
public struct ServerTally: Sendable, Codable, Equatable {
    /// Records in this server's own logs.
    public var records = 0
    /// Sessions in its own logs.
    public var sessions = 0
    /// Client commands in its own logs.
    public var own = CommandTally()
    /// How its own sessions ended.
    public var outcomes = SessionTally()
    /// Front-end sessions proxied to this server (it is their back end).
    public var proxiedSessions = 0
    /// Front-end commands on sessions proxied to this server.
    public var proxied = CommandTally()
    /// Failed records in its own logs, by error class.
    public var failureClasses: [ErrorClass: Int] = [:]
    /// Failed front-end records on sessions proxied to it, by error class.
    public var proxiedFailureClasses: [ErrorClass: Int] = [:]
    /// Local addresses (`sIp`) its own logs show, at most 8.
    public var addresses: [String] = []
    /// `path:line` of the first server-side failures in its own logs (not credentials, not the client's), at most 5.
    public var examples: [String] = []
    /// `path:line` of the first server-side failures of front-end rows proxied to it, at most 5.
    public var proxiedExamples: [String] = []

    package mutating func merge(_ other: ServerTally) {
        records += other.records
        sessions += other.sessions
        own.merge(other.own)
        outcomes.merge(other.outcomes)
        proxiedSessions += other.proxiedSessions
        proxied.merge(other.proxied)
        failureClasses.merge(other.failureClasses, uniquingKeysWith: +)
        proxiedFailureClasses.merge(other.proxiedFailureClasses, uniquingKeysWith: +)
        addresses = Array(Set(addresses + other.addresses).sorted().prefix(8))
        examples = Array((examples + other.examples).prefix(5))
        proxiedExamples = Array((proxiedExamples + other.proxiedExamples).prefix(5))
    }
}

/// A (server, command) pair.
public struct ServerCommandKey: Hashable, Sendable, Codable, Comparable {
    public var server: ServerKey
    public var command: String

    public static func < (lhs: ServerCommandKey, rhs: ServerCommandKey) -> Bool {
        (lhs.server, lhs.command) < (rhs.server, rhs.command)
    }
}

/// A user's or a client address's activity.
public struct PartyTally: Sendable, Codable, Equatable {
    public var commands = 0
    public var failures = 0
    /// Logons that failed, for any reason.
    public var failedLogons = 0
    /// Failures of the authentication class: the credentials were refused (wrong password, disabled user).
    public var credentialFailures = 0
    public var sessions = 0

    package mutating func merge(_ other: PartyTally) {
        commands += other.commands
        failures += other.failures
        failedLogons += other.failedLogons
        credentialFailures += other.credentialFailures
        sessions += other.sessions
    }
}

/// An error: its class, its code and the response text.
public struct ErrorKey: Hashable, Sendable, Codable, Comparable {
    public var errorClass: ErrorClass
    public var code: String
    public var message: String

    public static func < (lhs: ErrorKey, rhs: ErrorKey) -> Bool {
        (lhs.errorClass, lhs.code, lhs.message) < (rhs.errorClass, rhs.code, rhs.message)
    }
}

/// How often an error happened, on which servers, and where to see one.
public struct ErrorTally: Sendable, Codable, Equatable {
    public var count = 0
    /// Lower-cased names of the servers that logged it or that it was proxied to, at most 32.
    public var servers: [String] = []
    /// `path:line` of the first occurrence.
    public var example: String?

    package mutating func merge(_ other: ErrorTally) {
        count += other.count
        servers = Array(Set(servers + other.servers).sorted().prefix(32))
        if example == nil { example = other.example }
    }
}

/// One minute of one server.
public struct TimelineKey: Hashable, Sendable, Codable, Comparable {
    public var server: ServerKey
    /// Minutes since 1970.
    public var minute: Int64

    public static func < (lhs: TimelineKey, rhs: TimelineKey) -> Bool {
        (lhs.minute, lhs.server) < (rhs.minute, rhs.server)
    }
}

/// Requests, failures and latency in one timeline bucket.
public struct TimelineTally: Sendable, Codable, Equatable {
    public var requests = 0
    public var failures = 0
    public var latencySum: Int64 = 0
    public var latencyCount = 0

    /// Adds `other`'s counts; the sums of milliseconds stop at `Summary.millisecondsLimit` (a log's durations can
    /// be absurd, and the diagnosis adds up minutes).
    public mutating func merge(_ other: TimelineTally) {
        requests += other.requests
        failures += other.failures
        let (sum, overflow) = latencySum.addingReportingOverflow(other.latencySum)
        latencySum = overflow || sum > Summary.millisecondsLimit ? Summary.millisecondsLimit : sum
        latencyCount += other.latencyCount
    }
}

/// How sessions ended.
public struct SessionTally: Sendable, Codable, Equatable {
    public var total = 0
    /// Logged on at the front end and handed to a back end.
    public var loggedOnProxied = 0
    /// Logged on, no proxy involved (back-end logs, or a front end that did not say).
    public var loggedOn = 0
    /// Tried to log on and never succeeded.
    public var failedLogon = 0
    /// Never tried to log on (probes of the proxy, port scanners, clients that gave up).
    public var neverAuthenticated = 0
    /// Still open when the logs ended (counted in one of the above too).
    public var openAtEnd = 0

    package mutating func merge(_ other: SessionTally) {
        total += other.total
        loggedOnProxied += other.loggedOnProxied
        loggedOn += other.loggedOn
        failedLogon += other.failedLogon
        neverAuthenticated += other.neverAuthenticated
        openAtEnd += other.openAtEnd
    }
}

/// Probe sessions of one kind on one server, to one back end.
public struct ProbeKey: Hashable, Sendable, Codable, Comparable {
    public var kind: ProbeKind
    public var server: ServerKey
    /// Lower-cased back end a front-end probe was proxied to; empty when none was named.
    public var backend = ""

    public static func < (lhs: ProbeKey, rhs: ProbeKey) -> Bool {
        (lhs.kind, lhs.server, lhs.backend) < (rhs.kind, rhs.server, rhs.backend)
    }
}

/// One probe kind on one server.
public struct ProbeServerKey: Hashable, Sendable, Codable, Comparable {
    public var kind: ProbeKind
    public var server: ServerKey

    public static func < (lhs: ProbeServerKey, rhs: ProbeServerKey) -> Bool {
        (lhs.kind, lhs.server) < (rhs.kind, rhs.server)
    }
}

/// Probe sessions started in one minute: how many, how many failed, the slowest.
public struct ProbeMinuteTally: Sendable, Codable, Equatable {
    public var sessions = 0
    public var failedSessions = 0
    /// Longest session, first row to last, in ms.
    public var longestMs: Int64 = 0

    public mutating func merge(_ other: ProbeMinuteTally) {
        sessions += other.sessions
        failedSessions += other.failedSessions
        longestMs = max(longestMs, other.longestMs)
    }
}

/// Whose logons a table of `Summary.logonsByBackend` counts: a front end's towards a back end, or a back end's own.
///
/// A front end and a back end log the same logon once each; the two views are kept apart so that one logon is
/// counted once, and a front end failing towards every back end can be told from a back end failing for all.
public struct LogonPath: Hashable, Sendable, Comparable {
    /// The front end that proxied the logons (lower-cased; empty when not known: a back end's own view, or a
    /// summary written before front ends were told apart).
    public var frontEnd: String
    /// The back end the logons went to (lower-cased; empty when the front end named none).
    public var backEnd: String
    /// Whether the back end's own log counted them (else the front end's).
    public var isBackEndView: Bool

    public init(frontEnd: String, backEnd: String, isBackEndView: Bool = false) {
        self.frontEnd = frontEnd
        self.backEnd = backEnd
        self.isBackEndView = isBackEndView
    }

    /// Reads a key.
    ///
    /// `cas01>mbx02.contoso.com` (a front end's), `=mbx02.contoso.com` (a back end's own), or a bare back end
    /// (summaries of earlier versions, front ends merged). Host names hold neither `>` nor `=`.
    public init(key: String) {
        if key.hasPrefix("=") {
            self.init(frontEnd: "", backEnd: String(key.dropFirst()), isBackEndView: true)
        } else if let arrow = key.firstIndex(of: ">") {
            self.init(frontEnd: String(key[..<arrow]), backEnd: String(key[key.index(after: arrow)...]))
        } else {
            self.init(frontEnd: "", backEnd: key)
        }
    }

    /// The key in the summary.
    public var key: String {
        isBackEndView ? "=" + backEnd : frontEnd.isEmpty ? backEnd : frontEnd + ">" + backEnd
    }

    public static func < (lhs: LogonPath, rhs: LogonPath) -> Bool { lhs.key < rhs.key }
}

/// Logons on one route in one minute (users' and probes'), and how they failed.
public struct LogonTally: Sendable, Codable, Equatable {
    public var logons = 0
    /// Failures that point at a server (not credentials, not the client).
    public var serverFaults = 0
    /// Logons refused for the user's credentials.
    public var credentialFailures = 0

    public mutating func merge(_ other: LogonTally) {
        logons += other.logons
        serverFaults += other.serverFaults
        credentialFailures += other.credentialFailures
    }
}

/// The most commands in flight at once, and when.
public struct InFlightPeak: Sendable, Codable, Equatable {
    public var peak = 0
    /// Ms since 1970 when the peak was first reached.
    public var at: Int64 = 0

    package mutating func merge(_ other: InFlightPeak) {
        if other.peak > peak || (other.peak == peak && other.at < at) { self = other }
    }
}

/// Counts of probe sessions and what became of them.
public struct ProbeSessionTally: Sendable, Codable, Equatable {
    public var sessions = 0
    /// Sessions with at least one failed command.
    public var failedSessions = 0
    public var first: Int64?
    public var last: Int64?
    /// `path:line` of the first failing probe rows, at most 5.
    public var examples: [String] = []

    package mutating func merge(_ other: ProbeSessionTally) {
        sessions += other.sessions
        failedSessions += other.failedSessions
        // As `(examples + other.examples).prefix(5)`, without building arrays: this runs once a probe session.
        if examples.count > 5 {
            examples.removeLast(examples.count - 5)
        } else if examples.count < 5 && !other.examples.isEmpty {
            examples.append(contentsOf: other.examples.prefix(5 - examples.count))
        }
        if let earlier = other.first { first = first.map { min($0, earlier) } ?? earlier }
        if let later = other.last { last = last.map { max($0, later) } ?? later }
    }
}

/// All probe traffic: counted apart, never thrown away.
public struct ProbeTally: Sendable, Codable, Equatable {
    public var records = 0
    public var commands = CommandTally()
    public var sessions: [ProbeKey: ProbeSessionTally] = [:]
    /// Probe sessions per minute of their start, by probe and server: gaps, failures and slow spells.
    public var minutes: [ProbeServerKey: MinuteTable<ProbeMinuteTally>] = [:]

    package mutating func merge(_ other: ProbeTally) {
        records += other.records
        commands.merge(other.commands)
        for (k, v) in other.sessions { sessions[k, default: ProbeSessionTally()].merge(v) }
        Summary.mergeNested(&minutes, other.minutes)
    }
}

/// One logon, as its server logged it.
public struct LogonEvent: Sendable, Codable, Equatable {
    /// Ms since 1970.
    public var time: Int64
    /// The server that logged it (lower-cased; an address when nothing better names it).
    public var server: ServerKey
    /// Its own address (`sIp`), empty when loopback.
    public var serverAddress: String
    /// The client's address (`cIp`): for a back end, the front end that proxied the session.
    public var clientAddress: String
    public var user: String
    /// The back end a front end proxied it to (lower-cased), empty otherwise.
    public var backend: String
    public var failed: Bool
    /// The error's code and class, when it failed.
    public var errorCode: String
    public var errorClass: ErrorClass?
    /// `path:line`.
    public var example: String
}

// MARK: - Encoding in a fixed order

// Summaries encode their dictionaries whose keys are not strings in key order, so the same summary always gives
// the same bytes: Foundation writes such a dictionary as a list of keys and values in the dictionary's own order,
// which hashing makes different in every process. Decoding is Foundation's own (any order reads). (Here, not in a
// file of their own: the synthesized coding keys are private to this file.)

extension KeyedEncodingContainer {
    /// `dictionary` as Foundation writes a dictionary whose keys are not strings (`[key, value, key, value, …]`),
    /// keys ascending.
    mutating func encodeSorted<Key: Encodable & Comparable, Value: Encodable>(
        _ dictionary: [Key: Value], forKey key: K
    ) throws {
        var list = nestedUnkeyedContainer(forKey: key)
        for (entryKey, value) in dictionary.sorted(by: { $0.key < $1.key }) {
            try list.encode(entryKey)
            try list.encode(value)
        }
    }
}

extension Summary {
    public func encode(to encoder: any Encoder) throws {
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

extension ServerTally {
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(records, forKey: .records)
        try container.encode(sessions, forKey: .sessions)
        try container.encode(own, forKey: .own)
        try container.encode(outcomes, forKey: .outcomes)
        try container.encode(proxiedSessions, forKey: .proxiedSessions)
        try container.encode(proxied, forKey: .proxied)
        try container.encodeSorted(failureClasses, forKey: .failureClasses)
        try container.encodeSorted(proxiedFailureClasses, forKey: .proxiedFailureClasses)
        try container.encode(addresses, forKey: .addresses)
        try container.encode(examples, forKey: .examples)
        try container.encode(proxiedExamples, forKey: .proxiedExamples)
    }
}

extension ProbeTally {
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(records, forKey: .records)
        try container.encode(commands, forKey: .commands)
        try container.encodeSorted(sessions, forKey: .sessions)
        try container.encodeSorted(minutes, forKey: .minutes)
    }
}

// Empty tallies for the diagnosis and the report, which start sums from them: their own initialisers stay
// internal, so the types keep their synthesized memberwise ones.
extension ServerTally {
    package static var empty: ServerTally { ServerTally() }
}

extension InFlightPeak {
    package static var empty: InFlightPeak { InFlightPeak() }
}

extension SessionTally {
    package static var empty: SessionTally { SessionTally() }
}

extension CommandTally {
    package static var empty: CommandTally { CommandTally() }
}

extension ServerKey {
    /// A server in a role, for the diagnosis and the report (the memberwise initialiser stays internal).
    package static func named(_ name: String, role: Role) -> ServerKey { ServerKey(name: name, role: role) }
}

extension ServerCommandKey {
    package static func of(_ server: ServerKey, command: String) -> ServerCommandKey {
        ServerCommandKey(server: server, command: command)
    }
}

extension ProbeKey {
    package static func of(_ kind: ProbeKind, server: ServerKey) -> ProbeKey { ProbeKey(kind: kind, server: server) }
}

extension ProbeSessionTally {
    package static var empty: ProbeSessionTally { ProbeSessionTally() }
}

extension FileSummary {
    /// A file's counts as the report hands them back (its memberwise initialiser stays internal).
    package static func of(
        path: String, role: Role, server: String?, format: LogFormat?, lines: Int, headerLines: Int, records: Int,
        skipped: Int, first: Int64?, last: Int64?, notices: [String], error: String?
    ) -> FileSummary {
        FileSummary(
            path: path, role: role, server: server, format: format, lines: lines, headerLines: headerLines,
            records: records, skipped: skipped, first: first, last: last, notices: notices, error: error)
    }
}
