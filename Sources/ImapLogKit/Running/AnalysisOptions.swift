/// What to count: time window, servers, users, commands, probes.
package struct AnalysisOptions: Sendable {
    /// Only records at or after this time (ms since 1970).
    package var since: Int64?
    /// Only records before this time (ms since 1970).
    package var until: Int64?
    /// Only records of these servers (own log or proxied to), short names or FQDNs, any case.
    package var servers: [String] = []
    /// Only records of users matching one of these patterns (`*` and `?` allowed), any case.
    package var users: [String] = []
    /// Only these commands (`login`, `uid+fetch`), any case.
    package var commands: [String] = []
    /// Leave Exchange's own probe traffic out of the main tables (it is still counted under probes).
    package var excludesProbes = false
    /// How many streams to read at once; 0 means one per core.
    package var workerCount = 0
    /// When a stream parsed on one core and counted on another has its rows' facts read on the parsing core
    /// (tests force each way: the counts are the same).
    package var readsRowsAhead = RowsAhead.whenCountingLags

    /// See `readsRowsAhead`.
    package enum RowsAhead: Sendable {
        /// Batch by batch, unless the counting thread ran out of batches to count since the parsing thread took
        /// its last: the parsing thread is then the slower one, and keeps to its own work.
        case whenCountingLags
        case always
        case never
    }

    package init() {}

    var hasRecordFilters: Bool {
        since != nil || until != nil || !servers.isEmpty || !users.isEmpty || !commands.isEmpty
    }
}
