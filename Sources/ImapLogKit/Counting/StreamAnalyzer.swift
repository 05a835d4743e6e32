/// Counts one stream (one server's roll-over files, or standard input) into a `Summary`.
///
/// A thin composition of small parts, each with its own private state and a narrow `count…`/`finish(into:)`
/// interface, fed every record in turn:
///
/// - `FileAccounting`: each file's lines, records, skips, format and time span.
/// - `ServerDirectory`: which server and role (slot) a row belongs to, and what each server is called at the end.
/// - `OpenSessions`: the sessions open, each a `SessionState` its rows read and update.
/// - `RecordFilter`: the records the options leave out.
/// - `ProbeCounter`: Exchange's own monitoring traffic.
/// - `ServerCounter`, `CommandCounter`, `TimelineCounter`, `InFlightCounter`: per server, its records and
///   sessions, its commands, its minutes, its commands in flight.
/// - `ErrorCounter`, `PartyCounter` (users, clients), `LogonRouteCounter`, `LogonSample`, `TimeSpan`: the
///   stream's errors, parties, logons by route and minute, logons kept for linking servers, time span.
///
/// Reading a row into its session is in `StreamAnalyzer+CommandRows.swift` (2013+) and
/// `StreamAnalyzer+EventRows.swift` (2007/2010), what any row tells about its session in
/// `StreamAnalyzer+SessionFacts.swift`. Each part keeps what it counts keyed by interned ids in arrays and small
/// dictionaries, and adds it to the string-keyed, mergeable `Summary` once, at the end.
///
/// Single-threaded, and laid out for the hot path (measured with callgrind; see the commit that made the parts):
/// - A part whose state is all references (`RecordTable`s, `DenseTable`s, an `Interner`) is a `let` with
///   non-mutating methods: reached through the analyzer, its tables are borrowed, never retained.
/// - A part with value state is a `var` with `mutating` methods, marked `@exclusivity(unchecked)`: an analyzer
///   belongs to one thread and no access to a part overlaps another (Swift's dynamic check cost about a seventh of
///   the time). A non-mutating method of such a part that is not inlined copies it, retaining what it holds: none
///   is called per record. `ServerDirectory`, reached from many places per row, is a class for that reason.
/// - A part's per-record method is `@inline(__always)` and kept small, its rare paths (a new server, a new
///   minute) `@inline(never)`: Swift inlines an always-inline function into a large caller only while the
///   function has at most 64 blocks.
final class StreamAnalyzer {
    // The stream's bounds, each kept by the part it bounds.
    /// Most server names and addresses one stream keeps apart.
    static let serverLimit = ServerDirectory.nameLimit
    /// Most commands one stream keeps apart.
    static let commandLimit = CommandNames.limit
    /// Most sessions open at once in a stream.
    static let maxOpenSessions = OpenSessions.limit

    private let excludesProbes: Bool
    let commandNames = CommandNames()
    @exclusivity(unchecked) var files = FileAccounting()
    let directory: ServerDirectory
    @exclusivity(unchecked) var sessions = OpenSessions()
    @exclusivity(unchecked) private var filter: RecordFilter
    @exclusivity(unchecked) private var probes = ProbeCounter()
    let servers = ServerCounter()
    private let commands: CommandCounter
    private let timeline = TimelineCounter()
    private let inFlight = InFlightCounter()
    @exclusivity(unchecked) private var errors = ErrorCounter()
    let users = PartyCounter()
    let clients = PartyCounter()
    @exclusivity(unchecked) private var logonRoutes = LogonRouteCounter()
    @exclusivity(unchecked) private var logonSample = LogonSample()
    @exclusivity(unchecked) private var span = TimeSpan()

    init(options: AnalysisOptions, serverHint: String?) {
        excludesProbes = options.excludesProbes
        directory = ServerDirectory(serverHint: serverHint)
        filter = RecordFilter(options)
        commands = CommandCounter(pooledID: commandNames.interner.pooledID)
    }

    // MARK: - Files

    /// Starts counting a new file of this stream.
    func beginFile(path: String, role: Role) {
        files.begin(path: path, role: role)
    }

    /// Ends the current file: an optional error that stopped it early.
    func endFile(error: ImapLogError?) {
        files.end(error: error)
    }

    /// Counts one line of the current file, as the parser classified it.
    @inline(__always)
    func account(line: inout Line, parser: RecordParser) {
        let outcome = line.isOverlong ? RecordParser.Outcome.skipped(.overlongLine) : parser.parse(line.bytes)
        account(outcome, lineNumber: line.number, isUnterminated: line.isUnterminated, parser: parser)
    }

    /// Counts one line already classified: `parser` describes it (for a record, its fields), and `row` a 2013+
    /// record's facts when they were read already (not read otherwise).
    @inline(__always)
    func account(
        _ outcome: RecordParser.Outcome, lineNumber: Int, isUnterminated: Bool, parser: RecordParser,
        row: UnsafePointer<RowFacts>? = nil
    ) {
        guard files.count(outcome, lineNumber: lineNumber, isUnterminated: isUnterminated, parser: parser) else {
            return
        }
        switch parser.format {
        case .commandRows: countCommandRow(parser, line: lineNumber, row: row)
        case .protocolEvents: countEventRow(parser, line: lineNumber)
        }
    }

    // MARK: - Counting

    /// Feeds a command (or session marker, `commandID` -1) of `session` to every part that counts it.
    ///
    /// - Complexity: O(1) for most records: a table index each part; a failure's error key is interned.
    @inline(__always)
    func count(
        _ base: UnsafePointer<UInt8>, time: Int64, session: inout SessionState, commandID: Int32, duration: Int64?,
        facts: CommandFacts, failed: Bool, role: Role, line: Int, bytes: (Int64, Int64) = (0, 0)
    ) {
        let slot = Int(session.slot)
        // Filters checked only when set: the call copies the session.
        if filter.isActive
            && !filter.includes(
                time: time, session: session, commandID: commandID, directory: directory,
                userNames: users.names, commandNames: commandNames.interner)
        {
            filter.countExcluded(failed: failed)
            return
        }
        session.isIncluded = true
        if failed { session.noteFailure(file: files.currentIndex, line: line) }
        let latency = commandNames.countsLatency(commandID) ? duration : nil
        if session.isProbe {
            probes.countRecord(isCommand: commandID >= 0, latency: latency, failed: failed)
            if excludesProbes { return }
        }
        span.count(time)
        servers.countRecord(slot: slot)
        let isProxied = session.backend >= 0 && role != .backEnd
        let backendSlot = isProxied ? Int(session.backendSlot) : nil
        var errorClass: ErrorClass?
        var error: ErrorKey?
        if failed {
            error = errors.count(
                base, facts: facts, session: session, server: directory.server(ofSlot: slot),
                path: files.currentPath, line: line)
            errorClass = error?.errorClass
            if let errorClass { servers.countFailure(errorClass, slot: slot, proxiedTo: backendSlot) }
        }
        // A user's refused credentials; the monitoring account's are not: they never explain a user's failures.
        let isCredentialFailure = errorClass == .authentication
        // A failure that says something about a server: not a password, not the client's mistake.
        let isServerFault = failed && errorClass?.pointsAtAServer == true
        if isServerFault {
            servers.countServerFault(slot: slot, proxiedTo: backendSlot, path: files.currentPath, line: line)
        }
        guard commandID >= 0 else { return }
        if let backendSlot {
            servers.countProxied(backendSlot: backendSlot, latency: latency, failed: failed, bytes: bytes)
        }
        commands.count(slot: slot, command: commandID, latency: latency, failed: failed, bytes: bytes)
        let isLogon = commandNames.isLogonRow(commandID, failed: failed)
        users.count(session.user, failed: failed, failedLogon: failed && isLogon, credentials: isCredentialFailure)
        clients.count(session.client, failed: failed, failedLogon: failed && isLogon, credentials: isCredentialFailure)
        let minute = Int(time >= 0 ? time / 60_000 : (time - 59_999) / 60_000)
        timeline.count(slot: slot, minute: minute, latency: latency, failed: failed)
        if isLogon {
            logonSample.keep(
                time: time, session: session, failed: failed, error: error, file: files.currentPath, line: line)
            logonRoutes.count(
                slot: slot, server: directory.server(ofSlot: slot),
                backend: role == .backEnd ? LogonRouteCounter.ownView : session.backend, minute: Int64(minute),
                isServerFault: isServerFault, isCredentialFailure: isCredentialFailure)
        }
        if let latency { inFlight.count(slot: slot, startMs: time - latency, endMs: time) }
    }

    /// Counts an ended session (`isOpenAtEnd`: settled while open) into the parts that count sessions.
    func finish(_ session: SessionState, isOpenAtEnd: Bool) {
        guard session.isIncluded else { return }
        let slot = Int(session.slot)
        let role = directory.role(ofSlot: slot)
        if session.isProbe {
            let example =
                session.firstFailureFile >= 0
                ? "\(files.path(ofFile: Int(session.firstFailureFile))):\(session.firstFailureLine)" : nil
            probes.countSession(session, slot: slot, role: role, example: example)
            if excludesProbes { return }
        }
        servers.countSession(slot: slot, outcome: session.outcome(role: role, isOpenAtEnd: isOpenAtEnd))
        users.countSession(session.user)
        clients.countSession(session.client)
    }

    /// Stores a row's session: in place when it was found at `position`, else as a new one, settling the oldest
    /// first when too many are open.
    @inline(__always)
    func store(_ session: SessionState, key: OpenSessions.Key, at position: Int?) {
        if let position {
            sessions[position] = session
            return
        }
        if sessions.isFull {
            for settled in sessions.removeOldest() { finish(settled, isOpenAtEnd: true) }
        }
        sessions.insert(key, session)
    }

    // MARK: - Result

    /// Settles the sessions still open and returns what the stream held.
    func finishStream() -> Summary {
        for session in sessions.removeAll() { finish(session, isOpenAtEnd: true) }
        timeline.flush()
        let names = directory.resolveNames()
        var summary = Summary()
        files.finish(into: &summary, server: names.fileServerSpelling)
        servers.finish(
            into: &summary, slotCount: directory.slotCount, names: names, own: commands.total(ofSlot:),
            addresses: directory.addresses(ofSlot:), server: directory.server(ofSlot:))
        commands.finish(into: &summary, names: names, commandNames: commandNames.interner)
        users.finish(into: &summary.users)
        clients.finish(into: &summary.clients)
        var overflow: [String: Int] = [:]
        overflow[Summary.Overflow.errors] = errors.finish(into: &summary, names: names)
        timeline.finish(into: &summary, names: names)
        probes.finish(into: &summary, names: names)
        logonRoutes.finish(into: &summary, names: names)
        inFlight.finish(into: &summary, names: names)
        filter.finish(into: &summary)
        // Each limit met, with the records counted under `(other)` for it.
        overflow[Summary.Overflow.openSessions] = sessions.settledEarly
        overflow[Summary.Overflow.commands] = summary.commands[Interner.pooledKey]?.count
        overflow[Summary.Overflow.users] = users.pooledCommands
        overflow[Summary.Overflow.clients] = clients.pooledCommands
        overflow[Summary.Overflow.servers] = directory.pooledSlots.reduce(0) {
            $0 + servers.recordsAndProxied(ofSlot: $1)
        }
        summary.overflow = overflow.filter { $0.value > 0 }
        summary.logons = logonSample.finish(
            names: names, servers: directory.names, clients: clients.names, users: users.names)
        summary.first = span.first
        summary.last = span.last
        return summary
    }
}
