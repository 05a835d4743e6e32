/// The filters on records (`--since`, `--until`, `--server`, `--user`, `--command`), and the records they left out.
///
/// Names are matched once each (by id) and remembered. Bounds: a remembered answer a server, user and command id.
struct RecordFilter {
    /// Whether any filter is set: when none is, records are not checked at all.
    let isActive: Bool
    private let since: Int64?
    private let until: Int64?
    /// Lower-cased.
    private let servers: [String]
    private let users: [Glob]
    /// Lower-cased.
    private let commands: Set<String>
    private var serverMatches: [Int32: Bool] = [:]
    private var userMatches: [Int32: Bool] = [:]
    private var commandMatches: [Int32: Bool] = [:]
    private var excluded = 0
    private var excludedFailures = 0

    init(_ options: AnalysisOptions) {
        isActive = options.hasRecordFilters
        since = options.since
        until = options.until
        servers = options.servers.map { $0.lowercased() }
        users = options.users.map(Glob.init)
        commands = Set(options.commands.map { $0.lowercased() })
    }

    /// Whether a record passes the filters (call only when `isActive`): its time, its session's servers (own and
    /// back end) and user, and its command (-1: a session marker).
    mutating func includes(
        time: Int64, session: SessionState, commandID: Int32, directory: ServerDirectory, userNames: Interner,
        commandNames: Interner
    ) -> Bool {
        if let since, time < since { return false }
        if let until, time >= until { return false }
        if !servers.isEmpty {
            let own = directory.server(ofSlot: Int(session.slot))
            guard matchesServer(own, directory) || (session.backend >= 0 && matchesServer(session.backend, directory))
            else { return false }
        }
        if !users.isEmpty {
            guard session.user >= 0 else { return false }
            if let cached = userMatches[session.user] {
                if !cached { return false }
            } else {
                let name = userNames.string(session.user)
                let matches = users.contains { $0.matches(name) }
                userMatches[session.user] = matches
                if !matches { return false }
            }
        }
        if !commands.isEmpty {
            guard commandID >= 0 else { return false }
            if let cached = commandMatches[commandID] { return cached }
            let matches = commands.contains(commandNames.string(commandID))
            commandMatches[commandID] = matches
            return matches
        }
        return true
    }

    private mutating func matchesServer(_ id: Int32, _ directory: ServerDirectory) -> Bool {
        if let cached = serverMatches[id] { return cached }
        let name = directory.loggedName(of: id)
        let matches = servers.contains { ServerNames.sameServer($0, name) }
        serverMatches[id] = matches
        return matches
    }

    /// Counts a record the filters left out.
    mutating func countExcluded(failed: Bool) {
        excluded += 1
        excludedFailures += failed ? 1 : 0
    }

    /// Adds the records left out, and the failures among them when there were any.
    func finish(into summary: inout Summary) {
        summary.filteredOut = excluded
        summary.filteredOutFailures = excludedFailures > 0 ? excludedFailures : nil
    }
}
