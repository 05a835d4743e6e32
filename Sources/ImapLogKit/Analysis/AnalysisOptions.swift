/// What to count: time window, servers, users, commands, probes.
public struct AnalysisOptions: Sendable {
    /// Only records at or after this time (ms since 1970).
    public var since: Int64?
    /// Only records before this time (ms since 1970).
    public var until: Int64?
    /// Only records of these servers (own log or proxied to), short names or FQDNs, any case.
    public var servers: [String] = []
    /// Only records of users matching one of these patterns (`*` and `?` allowed), any case.
    public var users: [String] = []
    /// Only these commands (`login`, `uid+fetch`), any case.
    public var commands: [String] = []
    /// Leave Exchange's own probe traffic out of the main tables (it is still counted under probes).
    public var excludesProbes = false
    /// How many streams to read at once; 0 means one per core.
    public var workerCount = 0

    public init() {}

    var hasRecordFilters: Bool {
        since != nil || until != nil || !servers.isEmpty || !users.isEmpty || !commands.isEmpty
    }
}
