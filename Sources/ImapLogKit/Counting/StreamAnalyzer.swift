/// Counts one stream (one server's roll-over files, or standard input) into a `Summary`.
///
/// Single-threaded. Keeps what it counts keyed by interned ids in arrays and small dictionaries, and
/// turns them into the string-keyed, mergeable `Summary` once, at the end.
///
/// The tables touched for every record are `RecordTable`s (written in place through a reference, with no
/// copy-on-write check) or `@exclusivity(unchecked)`: an analyzer belongs to one thread, and no access to them
/// overlaps another (index expressions such as `slotFor(…)` are evaluated before the access begins). Swift's
/// dynamic check cost about a seventh of the time on the benchmark data.
final class StreamAnalyzer {
    private let options: AnalysisOptions
    private let serverFilter: [String]
    private let userFilter: [Glob]
    private let commandFilter: Set<String>
    private let hasRecordFilters: Bool

    // Interned keys. Past each limit, new keys are counted under `(other)` (`Interner.pooledKey`): never dropped.
    /// Most server names and addresses one stream keeps apart (its own addresses, back ends, locations): a fleet's
    /// standard input holds a few hundred; each costs a slot (its tallies, its minutes) per role.
    static let serverLimit = 4_096
    private let serverNames = Interner(limit: StreamAnalyzer.serverLimit, lowercases: true)
    /// Room for 512 commands besides the session markers interned up front: IMAP and POP3 have some 40 verbs,
    /// and every command is a column of every server's table.
    static let commandLimit = 512 + 2
    private let commandNames = Interner(limit: StreamAnalyzer.commandLimit, lowercases: true)
    private let userNames = Interner(limit: Summary.partyLimit, lowercases: true)
    private let clientNames = Interner(limit: Summary.partyLimit, lowercases: true)
    private let errorNames = Interner(limit: Summary.errorLimit, lowercases: false)
    private let sessionNames = Interner(limit: 1 << 20, lowercases: true)
    /// Each server id's spelling as logged (by id: an index, not a hash, once a session).
    private let spellings = DenseTable<String?>(empty: nil)
    private var serverFilterCache: [Int32: Bool] = [:]
    private var userFilterCache: [Int32: Bool] = [:]
    private var commandFilterCache: [Int32: Bool] = [:]

    // Well-known command ids.
    private let idleID: Int32
    private let proxyID: Int32
    private let openSessionID: Int32
    private let closeSessionID: Int32
    private let loginID: Int32
    private let authenticateID: Int32
    private let passID: Int32
    private let authID: Int32
    private let userID: Int32
    /// Whether login, authenticate, pass and auth have consecutive ids (they are interned in a row).
    private let hasConsecutiveLogonIDs: Bool

    // Servers in a role ("slots").
    private struct Slot {
        var server: Int32
        var role: Role
        var tally = ServerTally()
        /// Per command id.
        ///
        /// The server's own totals and the per-command totals are merged from these at the end (exactly:
        /// tallies add up), so a record updates one latency histogram here, not three.
        let commands: DenseTable<CommandTally>
        /// The minute being counted and its tally: rows come in time order, so the timeline's table is
        /// touched once a minute, not once a record.
        var minute = Int.min
        var minuteTally = TimelineTally()
        /// The finished minutes.
        var timeline = MinuteTable<TimelineTally>()
        /// The server's own (non-loopback) addresses, at most 8.
        var addresses: [Int32] = []

        init(server: Int32, role: Role, commands: DenseTable<CommandTally>) {
            self.server = server
            self.role = role
            self.commands = commands
        }
    }
    /// Cells the slots' tables of commands may take together (72 bytes each, and the latency's pages).
    ///
    /// A stream of a fleet's logs holds a few thousand (servers × the highest command id each counts). Past it, a
    /// server's new commands are counted under its `(other)` row: its totals stay whole. Thousands of servers'
    /// addresses × 500 made-up commands, each with a huge duration, took 3.4 GB.
    static let commandCellLimit = 131_072
    private let commandCells = CellBudget(StreamAnalyzer.commandCellLimit)
    private let slots = RecordTable<Slot>()
    private var slotIndex: [Int: Int] = [:]
    /// The last own-server slot looked up, by `slotKey`.
    @exclusivity(unchecked) private var lastOwnSlot = (key: -1, slot: 0)
    /// Consecutive rows from one server address the endpoint memo knew, with their role and slot: counted into
    /// `addressRecords` when the run ends (or the stream does), not row by row.
    @exclusivity(unchecked) private var addressRun = (server: Int32(-1), role: Role.unknown, slot: 0, rows: 0)

    private let users = DenseTable(empty: PartyTally())
    private let clients = DenseTable(empty: PartyTally())
    private struct ErrorAccumulator {
        var count = 0
        var servers = Set<Int32>()
        var example: String?
    }
    @exclusivity(unchecked) private var errors: [Int32: ErrorAccumulator] = [:]
    /// Errors past `Summary.errorLimit` distinct keys, by their `(other)` key of each class (a few keys).
    private var pooledErrors: [ErrorKey: ErrorAccumulator] = [:]
    private var errorKeys: [Int32: ErrorKey] = [:]
    private var sessionsTally = SessionTally()
    @exclusivity(unchecked) private var probeRecords = 0
    @exclusivity(unchecked) private var probeCommands = CommandTally()
    private struct ProbeSessionKey: Hashable {
        var kind: ProbeKind
        var slot: Int
        var backend: Int32
    }
    private var probeSessions: [ProbeSessionKey: ProbeSessionTally] = [:]
    private struct ProbeSlotKey: Hashable {
        var kind: ProbeKind
        var slot: Int
    }
    private var probeMinutes: [ProbeSlotKey: MinuteTable<ProbeMinuteTally>] = [:]
    /// A route logons take: the server that logged them (a front end, or a back end in its own log) and the back
    /// end a front end proxied them to (-1: none named; `ownView`: the back end's own log).
    private struct LogonRoute {
        var server: Int32
        var backend: Int32
    }
    private static let ownView: Int32 = -2
    private var logonRoutes: [LogonRoute] = []
    /// Each slot's routes, by back-end id + 2 (so `ownView` and none fit): route index + 1, 0 for none yet.
    ///
    /// A table look-up per logon, not a dictionary's hashing (268 instructions a logon, measured).
    private var logonRouteTables: [DenseTable<Int32>] = []
    /// Logons per minute, by route index.
    ///
    /// Kept nested as the summary nests them, so the tables move into the summary whole instead of being
    /// copied entry by entry.
    @exclusivity(unchecked) private var logonsByBackend: [Int32: MinuteTable<LogonTally>] = [:]
    /// The minute each route's logons are being counted in, by route index + 1: rows come in time order, so
    /// its table is touched once a minute, not once a logon.
    private struct OpenLogonMinute: Equatable {
        var minute = Int64.min
        var tally = LogonTally()
    }
    private let openLogonMinutes = DenseTable(empty: OpenLogonMinute())
    /// Indexed by slot.
    private let inFlight = RecordTable<InFlightTracker>()
    private struct PendingLogon {
        var time: Int64
        var slot: Int
        var ownAddress: Int32
        var client: Int32
        var user: Int32
        var backend: Int32
        var failed: Bool
        var error: ErrorKey?
        /// The example's file (the file's own path, shared, not copied) and line.
        var file: String
        var line: Int
    }
    private var logons: [PendingLogon] = []
    private var successfulLogonsKept = 0
    private var failedLogonsKept = 0
    private var filteredOut = 0
    private var filteredOutFailures = 0
    private var overflow: [String: Int] = [:]
    @exclusivity(unchecked) private var first: Int64?
    @exclusivity(unchecked) private var last: Int64?

    // Naming the stream's own server when no folder names it.
    private let streamServer: Int32?
    /// The server of loopback rows (`127.0.0.1:993`, a probe's own), one per role, named at the end.
    private let localPlaceholders: [Int32]
    private let addressRecords = DenseTable(empty: 0)
    @exclusivity(unchecked) private var endpointMemo = EndpointMemo()
    private var locationMentions: [Int32: Int] = [:]

    // Sessions.
    private typealias SessionKey = SessionTable<SessionState>.Key
    private enum Logon: UInt8 { case none, failed, succeeded }
    /// A plain value (no references), so reading and storing it per record costs a copy, not reference counting.
    private struct SessionState {
        var slot: Int32
        var start: Int64
        var last: Int64
        var user: Int32 = -1
        var client: Int32 = -1
        var backend: Int32 = -1
        /// The back end's slot, when `backend` is set.
        var backendSlot: Int32 = -1
        var logon = Logon.none
        var attemptedLogon = false
        var isProbe = false
        var isLoopbackClient = false
        /// The session's own server address (`sIp`), -1 when loopback.
        var ownAddress: Int32 = -1
        var hadFailure = false
        var isIncluded = false
        // 2007/2010: the command awaiting its tagged response (its tag's first 16 bytes and length).
        var pendingTag = PendingTag()
        var pendingCommand: Int32 = -1
        var pendingTime: Int64 = 0
        /// The session's first failed row: index of its file in `files` and line number (file -1: none).
        var firstFailureFile: Int32 = -1
        var firstFailureLine = 0
    }
    @exclusivity(unchecked) private var sessions = SessionTable<SessionState>()
    /// A 2013+ row's new session, until it is stored.
    private let newSession = UnsafeMutablePointer<SessionState>.allocate(capacity: 1)
    /// Most sessions open at once in a stream (some 150 bytes each: 20 MB at the limit, nothing until used).
    ///
    /// A front end holds thousands; more are sessions whose end was never logged (a crash) or a flood. At the limit
    /// the eighth that have been silent longest are settled (counted as open at the end), not all of them: a
    /// session that goes on after that is counted again as a new one, and the ones in use are kept.
    static let maxOpenSessions = 1 << 17

    // The file being read.
    @exclusivity(unchecked) private var file = FileSummary(path: "", role: .unknown)
    private var fileRole = Role.unknown
    private var files: [FileSummary] = []
    private var skips: [SkipReason: SkipTally] = [:]

    init(options: AnalysisOptions, serverHint: String?) {
        self.options = options
        self.serverFilter = options.servers.map { $0.lowercased() }
        self.userFilter = options.users.map(Glob.init)
        self.commandFilter = Set(options.commands.map { $0.lowercased() })
        self.hasRecordFilters = options.hasRecordFilters
        // Interned first, so a command is classified by comparing ids, and a flood of made-up commands cannot
        // push the session markers out of the table.
        self.openSessionID = commandNames.intern("opensession")
        self.closeSessionID = commandNames.intern("closesession")
        self.idleID = commandNames.intern("idle")
        self.proxyID = commandNames.intern("proxy")
        self.loginID = commandNames.intern("login")
        self.authenticateID = commandNames.intern("authenticate")
        // POP3's logons: `user` then `pass`, or SASL's `auth`.
        self.passID = commandNames.intern("pass")
        self.authID = commandNames.intern("auth")
        self.userID = commandNames.intern("user")
        // A small id: each server's table of commands is as long as the highest id it counts.
        commandNames.reservePooledID()
        self.hasConsecutiveLogonIDs =
            authenticateID == loginID + 1 && passID == loginID + 2 && authID == loginID + 3
        if let hint = serverHint {
            let id = serverNames.intern(hint)
            spellings[id] = hint
            streamServer = id
        } else {
            streamServer = nil
        }
        var placeholders: [Int32] = []
        for role in Role.allCases { placeholders.append(serverNames.intern("\u{1}local-\(role.rawValue)")) }
        localPlaceholders = placeholders
        newSession.initialize(to: SessionState(slot: 0, start: 0, last: 0))
    }

    deinit {
        newSession.deinitialize(count: 1)
        newSession.deallocate()
    }

    // MARK: - Files

    /// Starts counting a new file of this stream.
    func beginFile(path: String, role: Role) {
        file = FileSummary(path: path, role: role, server: nil)
        fileRole = role
    }

    /// Ends the current file: an optional error that stopped it early.
    func endFile(error: ImapLogError?) {
        file.error = error?.message
        files.append(file)
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
        file.lines += 1
        if outcome == .skipped(.overlongLine) {
            skip(.overlongLine, line: lineNumber)
            return
        }
        switch outcome {
        case .header:
            file.headerLines += 1
            // The format is known once a field list has been read (`#Software` comes before `#Fields`).
            if file.format == nil && parser.hasSeenHeader { file.format = parser.format }
        case .skipped(let reason):
            skip(reason, line: lineNumber)
        case .record:
            file.records += 1
            if file.format == nil {
                file.format = parser.format
                if !parser.hasSeenHeader {
                    file.notices.append("no header line: read as the 2013+ field list")
                }
            }
            if file.first == nil || parser.time < file.first.unsafelyUnwrapped { file.first = parser.time }
            if file.last == nil || parser.time > file.last.unsafelyUnwrapped { file.last = parser.time }
            switch parser.format {
            case .commandRows: countCommandRow(parser, line: lineNumber, row: row)
            case .protocolEvents: countEventRow(parser, line: lineNumber)
            }
        }
        if isUnterminated {
            file.notices.append("line \(lineNumber) has no line end: the file was cut or is still being written")
        }
    }

    private func skip(_ reason: SkipReason, line: Int) {
        file.skipped += 1
        if skips[reason] == nil {
            skips[reason] = SkipTally(count: 1, example: "\(file.path):\(line)")
        } else {
            skips[reason, default: SkipTally()].count += 1
        }
    }

    // MARK: - 2013+ rows

    private func countCommandRow(_ parser: RecordParser, line: Int, row: UnsafePointer<RowFacts>?) {
        let base = parser.base
        let time = parser.time
        // The server's own endpoint matters for the role (no role in the file name), the server (no name from
        // the folder) and a session's first rows: otherwise it is not parsed.
        let needsEndpoint = fileRole == .unknown || streamServer == nil
        var serverEndpoint = (address: ByteRange.empty, port: 0)
        var knownServer: Int32?
        let endpointField = needsEndpoint ? Bytes.trimmed(base, parser.range(.serverEndpoint)) : .empty
        if needsEndpoint {
            // Mostly the same bytes row after row: remembered, they skip the parse and the interning.
            if let memo = endpointMemo.recall(base, endpointField) {
                let start = endpointField.start + memo.addressOffset
                serverEndpoint = (ByteRange(start: start, end: start + memo.addressLength), memo.port)
                knownServer = memo.server
            } else {
                serverEndpoint = Bytes.endpoint(base, endpointField)
            }
        }
        let role = fileRole != .unknown ? fileRole : Role.fromLocalPort(serverEndpoint.port)
        if file.role == .unknown { file.role = role }
        let slot: Int
        if let knownServer, knownServer == addressRun.server, role == addressRun.role {
            // The same server address as the rows before.
            addressRun.rows += 1
            slot = addressRun.slot
        } else if let streamServer, Self.slotKey(streamServer, role) == lastOwnSlot.key {
            // The server the folder names, in the same role as the row before.
            slot = lastOwnSlot.slot
        } else {
            slot = slotForOwnServer(base, address: serverEndpoint.address, role: role, known: knownServer)
        }
        if needsEndpoint && knownServer == nil {
            endpointMemo.remember(
                base, endpointField, address: serverEndpoint.address, port: serverEndpoint.port,
                server: slots[slot].server)
        }
        let command = commandNames.intern(base, Bytes.trimmed(base, parser.range(.command)))
        let isOpen = command == openSessionID
        let isClose = command == closeSessionID
        let isProxyRow = command == proxyID

        // The number, when the parser read it already (Exchange's 16 hex digits).
        let key =
            parser.sessionNumber.map { SessionKey(id: $0, slot: Int32(slot)) }
            ?? sessionKey(base, parser.range(.sessionId), slot: slot)
        if isOpen, let stale = sessions.remove(key) { finish(stale, atEnd: true) }
        let position = sessions.find(key)
        // The row's session, read and written where it is kept (a new one in a slot of its own until stored).
        let session: UnsafeMutablePointer<SessionState>
        if let position {
            session = sessions.pointer(at: position)
        } else {
            newSession.pointee = SessionState(slot: Int32(slot), start: time, last: time)
            session = newSession
        }
        if !needsEndpoint && (session.pointee.ownAddress < 0 || session.pointee.client < 0) {
            serverEndpoint = Bytes.endpoint(base, Bytes.trimmed(base, parser.range(.serverEndpoint)))
        }
        noteEndpoints(base, parser, serverAddress: serverEndpoint.address, slot: slot, &session.pointee)
        let user = Bytes.trimmed(base, parser.range(.user))
        // The user rarely changes within a session: look at the name only when it does.
        if !user.isEmpty && (session.pointee.user < 0 || !userNames.holds(session.pointee.user, base, user)) {
            let id = userNames.intern(base, user)
            if id != session.pointee.user {
                session.pointee.user = id
                if !session.pointee.isProbe && isProbeUser(base, user) { session.pointee.isProbe = true }
            }
        }
        let parameters = parser.range(.parameters)
        let context = parser.range(.context)
        // A proxy row repeating the session's back end (every 30 s) says nothing new: skip reading it.
        let repeatsBackend =
            isProxyRow && context.isEmpty && session.pointee.backend >= 0
            && serverNames.hostPrefix(session.pointee.backend, base, parameters) != nil
        let facts =
            repeatsBackend
            ? CommandFacts()
            : row?.pointee.facts
                ?? CommandFacts.extract(base, context: context, parameters: parameters, isProxyRow: isProxyRow)
        let failed = facts.isFailure
        let commandID: Int32 = isOpen || isClose ? -1 : command
        let isLogon = commandID >= 0 && isLogonRow(commandID, failed: failed)
        // The probe's tag `z` shows on its failures; its UPN in a logon's parameters.
        if !session.pointee.isProbe
            && (Bytes.equalsIgnoringCase(base, facts.tag, "z")
                || (isLogon && Bytes.find("HealthMailbox", in: base, parameters) != nil))
        {
            session.pointee.isProbe = true
        }
        noteBackend(base, facts.backend, session: &session.pointee, role: role)
        if !facts.location.isEmpty {
            let location = serverNames.intern(base, facts.location)
            // `(other)` names no server: it cannot be where logons landed.
            if location != serverNames.pooledID {
                if spellings[location] == nil { spellings[location] = Bytes.string(base, facts.location) }
                locationMentions[location, default: 0] += 1
            }
        }
        if isLogon {
            noteLogon(&session.pointee, facts: facts, failed: failed)
        } else if position == nil && !isOpen && session.pointee.user >= 0 {
            noteLogonBeforeTheLog(base, parser, &session.pointee)
        }
        session.pointee.last = time
        // Read on the parsing thread when there is one (the same reading as `RowFacts`: written out here, since
        // a call to a shared helper cost 2 M more instructions on the slice).
        let duration: Int64?
        let sizes: (Int64, Int64)
        if let row {
            duration = row.pointee.duration
            sizes = (row.pointee.requestSize, row.pointee.responseSize)
        } else {
            duration = Bytes.decimal(base, Bytes.trimmed(base, parser.range(.duration)))
            sizes = (
                Bytes.decimal(base, Bytes.trimmed(base, parser.range(.requestSize))) ?? 0,
                Bytes.decimal(base, Bytes.trimmed(base, parser.range(.responseSize))) ?? 0
            )
        }
        count(
            base, time: time, session: &session.pointee, commandID: commandID, duration: duration, facts: facts,
            failed: failed, role: role, line: line, bytes: sizes)
        if isClose {
            let closed = session.pointee
            if position != nil { sessions.remove(key) }
            finish(closed, atEnd: false)
        } else if position == nil {
            storeSession(session.pointee, key: key, at: nil)
        }
    }

    // MARK: - 2007/2010 rows

    private func countEventRow(_ parser: RecordParser, line: Int) {
        let base = parser.base
        let time = parser.time
        let event = Bytes.trimmed(base, parser.range(.event))
        let serverEndpoint = Bytes.endpoint(base, Bytes.trimmed(base, parser.range(.serverEndpoint)))
        let role = fileRole != .unknown ? fileRole : Role.fromLocalPort(serverEndpoint.port)
        let slot = slotForOwnServer(base, address: serverEndpoint.address, role: role)
        let key = sessionKey(base, parser.range(.sessionId), slot: slot)
        // A row with an event other than + - < > * still counts as a record; it just says nothing.
        guard event.count == 1 else { return }
        let kind = base[event.start]
        if kind == UInt8(ascii: "+"), let stale = sessions.remove(key) { finish(stale, atEnd: true) }
        let position = sessions.find(key)
        var session = position.map { sessions[$0] } ?? SessionState(slot: Int32(slot), start: time, last: time)
        noteEndpoints(base, parser, serverAddress: serverEndpoint.address, slot: slot, &session)
        session.last = time
        let data = Bytes.trimmed(base, parser.range(.data))
        switch kind {
        case UInt8(ascii: "-"):
            if position != nil { sessions.remove(key) }
            finish(session, atEnd: false)
            return
        case UInt8(ascii: "<"):
            // `tag VERB args`, `tag UID FETCH args`.
            let tagEnd = Bytes.firstIndex(of: 0x20, in: base, data)
            var verbStart = tagEnd
            while verbStart < data.end && base[verbStart] == 0x20 { verbStart += 1 }
            var verbEnd = Bytes.firstIndex(of: 0x20, in: base, ByteRange(start: verbStart, end: data.end))
            var verb = ByteRange(start: verbStart, end: verbEnd)
            if Bytes.equalsIgnoringCase(base, verb, "uid") && verbEnd < data.end {
                // Exchange 2013 names UID commands `uid+fetch`: make 2010's `UID FETCH` the same key.
                let next = Bytes.firstIndex(of: 0x20, in: base, ByteRange(start: verbEnd + 1, end: data.end))
                // Safe: the parser's line lives in the reader's mutable buffer (it unquotes in place too).
                UnsafeMutablePointer(mutating: base)[verbEnd] = UInt8(ascii: "+")
                verbEnd = next
                verb = ByteRange(start: verbStart, end: verbEnd)
            }
            if !verb.isEmpty && tagEnd > data.start {
                session.pendingTag = PendingTag(base, ByteRange(start: data.start, end: tagEnd))
                session.pendingCommand = commandNames.intern(base, verb)
                session.pendingTime = time
                if Bytes.equalsIgnoringCase(base, verb, "login") && verbEnd < data.end {
                    var user = Bytes.trimmed(base, ByteRange(start: verbEnd, end: data.end))
                    user.end = Bytes.firstIndex(of: 0x20, in: base, user)
                    if user.count >= 2 && base[user.start] == UInt8(ascii: "\"")
                        && base[user.end - 1] == UInt8(ascii: "\"")
                    {
                        user = ByteRange(start: user.start + 1, end: user.end - 1)
                    }
                    if !user.isEmpty {
                        session.user = userNames.intern(base, user)
                        if isProbeUser(base, user) { session.isProbe = true }
                    }
                }
            }
        case UInt8(ascii: ">"):
            let tagEnd = Bytes.firstIndex(of: 0x20, in: base, data)
            let tag = ByteRange(start: data.start, end: tagEnd)
            if session.pendingCommand >= 0 && session.pendingTag == PendingTag(base, tag) {
                var facts = CommandFacts()
                facts.readResponse(base, data)
                // The context column can say why (`Excpt=…MailboxOfflineException`, `ErrMsg=…`), as in 2013+.
                let context = parser.range(.context)
                if facts.isFailure && !context.isEmpty {
                    let why = CommandFacts.extract(base, context: context, parameters: .empty, isProxyRow: false)
                    if !why.errorCode.isEmpty { facts.errorCode = why.errorCode }
                }
                let commandID = session.pendingCommand
                if isLogonRow(commandID, failed: facts.isFailure) {
                    noteLogon(&session, facts: facts, failed: facts.isFailure)
                }
                count(
                    base, time: time, session: &session, commandID: commandID,
                    duration: max(0, time - session.pendingTime), facts: facts, failed: facts.isFailure,
                    role: role, line: line)
                session.pendingCommand = -1
                session.pendingTag = PendingTag()
            }
        default:
            break
        }
        storeSession(session, key: key, at: position)
    }

    // MARK: - Counting

    /// Takes the session's own and client addresses from its first rows; a loopback client is one of Exchange's
    /// probes.
    private func noteEndpoints(
        _ base: UnsafePointer<UInt8>, _ parser: RecordParser, serverAddress: ByteRange, slot: Int,
        _ session: inout SessionState
    ) {
        if session.ownAddress < 0, !serverAddress.isEmpty, !Bytes.isLoopback(base, serverAddress) {
            session.ownAddress = serverNames.intern(base, serverAddress)
            if slots[slot].addresses.count < 8 && !slots[slot].addresses.contains(session.ownAddress)
                && session.ownAddress != serverNames.pooledID
            {
                slots[slot].addresses.append(session.ownAddress)
            }
        }
        guard session.client < 0 else { return }
        let client = Bytes.endpoint(base, Bytes.trimmed(base, parser.range(.clientEndpoint))).address
        guard !client.isEmpty else { return }
        session.client = clientNames.intern(base, client)
        if Bytes.isLoopback(base, client) {
            session.isProbe = true
            session.isLoopbackClient = true
        }
    }

    /// A session first seen past its start with a user already set logged on before the log began: its logon is
    /// in the previous hourly file, or before logging was turned on.
    ///
    /// Read once a session, on its first row, so the sequence number is not parsed row by row.
    private func noteLogonBeforeTheLog(
        _ base: UnsafePointer<UInt8>, _ parser: RecordParser, _ session: inout SessionState
    ) {
        guard let sequence = Bytes.decimal(base, Bytes.trimmed(base, parser.range(.sequence))), sequence > 0 else {
            return
        }
        session.attemptedLogon = true
        session.logon = .succeeded
    }

    private func noteLogon(_ session: inout SessionState, facts: CommandFacts, failed: Bool) {
        session.attemptedLogon = true
        if facts.outcome == .ok {
            session.logon = .succeeded
        } else if failed && session.logon != .succeeded {
            session.logon = .failed
        }
    }

    private func noteBackend(
        _ base: UnsafePointer<UInt8>, _ backend: ByteRange, session: inout SessionState, role: Role
    ) {
        guard !backend.isEmpty else { return }
        // Proxy rows repeat the session's back end every 30 seconds.
        if session.backend >= 0 && serverNames.holds(session.backend, base, backend) { return }
        let id = serverNames.intern(base, backend)
        guard id >= 0 else { return }
        if session.backend != id {
            // Once per session and back end: proxy rows repeat the name every 30 seconds. `(other)` keeps its name.
            if id != serverNames.pooledID { noteSpelling(id, base, backend) }
            session.backend = id
            let backendSlot = slotFor(server: id, role: .backEnd)
            session.backendSlot = Int32(backendSlot)
            if role != .backEnd { slots[backendSlot].tally.proxiedSessions += 1 }
        }
    }

    private func noteSpelling(_ id: Int32, _ base: UnsafePointer<UInt8>, _ range: ByteRange) {
        if let current = spellings[id] {
            // Only build a String when the bytes differ from the spelling kept.
            var current = current
            let same =
                current.utf8.count == range.count
                && current.withUTF8 { kept in
                    Platform.equalBytes(kept.baseAddress ?? base, base + range.start, count: range.count)
                }
            if !same { spellings[id] = min(current, Bytes.string(base, range)) }
        } else {
            spellings[id] = Bytes.string(base, range)
        }
    }

    @inline(__always)
    private func count(
        _ base: UnsafePointer<UInt8>, time: Int64, session: inout SessionState, commandID: Int32, duration: Int64?,
        facts: CommandFacts, failed: Bool, role: Role, line: Int, bytes: (Int64, Int64) = (0, 0)
    ) {
        let slot = Int(session.slot)
        // Filters checked only when set: the call copies the session.
        if hasRecordFilters && !isIncludedByFilters(time: time, session: session, commandID: commandID) {
            filteredOut += 1
            filteredOutFailures += failed ? 1 : 0
            return
        }
        session.isIncluded = true
        if failed {
            session.hadFailure = true
            if session.firstFailureFile < 0 {
                session.firstFailureFile = Int32(files.count)
                session.firstFailureLine = line
            }
        }
        if session.isProbe {
            probeRecords += 1
            if commandID >= 0 {
                probeCommands.count(duration: countsLatency(commandID) ? duration : nil, failed: failed)
            }
        }
        if session.isProbe && options.excludesProbes { return }
        if first == nil || time < first.unsafelyUnwrapped { first = time }
        if last == nil || time > last.unsafelyUnwrapped { last = time }
        slots[slot].tally.records += 1
        let errorKey = failed ? countError(base, facts: facts, session: session, line: line) : nil
        let errorClass = errorKey?.errorClass
        // A user's refused credentials; the monitoring account's are not: they never explain a user's failures.
        let isCredentialFailure = errorClass == .authentication
        // A failure that says something about a server: not a password, not the client's mistake.
        let isServerFault = failed && errorClass?.pointsAtAServer == true
        let isProxied = session.backend >= 0 && role != .backEnd
        if isServerFault {
            if slots[slot].tally.examples.count < 5 { slots[slot].tally.examples.append("\(file.path):\(line)") }
            if isProxied {
                let backend = Int(session.backendSlot)
                if slots[backend].tally.proxiedExamples.count < 5 {
                    slots[backend].tally.proxiedExamples.append("\(file.path):\(line)")
                }
            }
        }
        guard commandID >= 0 else { return }
        let latency = countsLatency(commandID) ? duration : nil
        if isProxied {
            slots[Int(session.backendSlot)].tally.proxied.count(duration: latency, failed: failed, bytes: bytes)
        }
        // Borrowed, not retained (an atomic increment and decrement per record): a slot and its table live as long
        // as the analyzer.
        Unmanaged.passUnretained(slots[slot].commands)._withUnsafeGuaranteedRef {
            $0[commandID].count(duration: latency, failed: failed, bytes: bytes)
        }
        let isLogon = isLogonRow(commandID, failed: failed)
        if session.user >= 0 {
            users[session.user].count(
                failed: failed, failedLogon: failed && isLogon, credentials: isCredentialFailure)
        }
        if session.client >= 0 {
            clients[session.client].count(
                failed: failed, failedLogon: failed && isLogon, credentials: isCredentialFailure)
        }
        let minute = Int(time >= 0 ? time / 60_000 : (time - 59_999) / 60_000)
        if slots[slot].minute != minute { startMinute(minute, slot: slot) }
        slots[slot].minuteTally.count(duration: latency, failed: failed)
        if isLogon { recordLogon(time: time, session: session, failed: failed, error: errorKey, line: line) }
        if isLogon {
            var tally = LogonTally()
            tally.logons = 1
            tally.serverFaults = isServerFault ? 1 : 0
            tally.credentialFailures = isCredentialFailure ? 1 : 0
            let index = logonRoute(slot: slot, backend: role == .backEnd ? Self.ownView : session.backend) + 1
            if openLogonMinutes[index].minute != Int64(minute) {
                flushLogonMinute(index)
                openLogonMinutes[index].minute = Int64(minute)
            }
            openLogonMinutes[index].tally.merge(tally)
        }
        if let latency {
            if slot >= inFlight.count { inFlight.extend(toHold: slot, with: InFlightTracker()) }
            inFlight[slot].add(startMs: time - latency, endMs: time)
        }
    }

    /// The index of the route from a slot's server to `backend` (a back-end id, -1 for none, `ownView`).
    @inline(__always)
    private func logonRoute(slot: Int, backend: Int32) -> Int32 {
        while logonRouteTables.count <= slot { logonRouteTables.append(DenseTable(empty: 0)) }
        let known = logonRouteTables[slot][backend + 2]
        if known > 0 { return known - 1 }
        let index = Int32(logonRoutes.count)
        logonRoutes.append(LogonRoute(server: slots[slot].server, backend: backend))
        logonRouteTables[slot][backend + 2] = index + 1
        return index
    }

    /// Moves a slot's tally of the minute it was counting into the timeline and starts `minute`.
    private func startMinute(_ minute: Int, slot: Int) {
        flushMinute(slot: slot)
        slots[slot].minute = minute
    }

    private func flushMinute(slot: Int) {
        let previous = slots[slot].minute
        guard previous != Int.min else { return }
        slots[slot].timeline.add(slots[slot].minuteTally, at: Int64(previous))
        slots[slot].minuteTally = TimelineTally()
        slots[slot].minute = Int.min
    }

    /// Moves the logons of the minute open for back end `index - 1` into its table.
    private func flushLogonMinute(_ index: Int32) {
        let open = openLogonMinutes[index]
        guard open.minute != Int64.min else { return }
        logonsByBackend[index - 1, default: MinuteTable()].add(open.tally, at: open.minute)
        openLogonMinutes[index] = OpenLogonMinute()
    }

    /// Keeps a logon for linking front ends to back ends: every failure (up to 5,000 a stream) and the first
    /// 500 successes, enough to learn which address is which server.
    private func recordLogon(time: Int64, session: SessionState, failed: Bool, error: ErrorKey?, line: Int) {
        if failed {
            guard failedLogonsKept < 5_000 else { return }
            failedLogonsKept += 1
        } else {
            guard successfulLogonsKept < 500 else { return }
            successfulLogonsKept += 1
        }
        logons.append(
            PendingLogon(
                time: time, slot: Int(session.slot), ownAddress: session.ownAddress, client: session.client,
                user: session.user, backend: session.backend, failed: failed, error: error,
                file: file.path, line: line))
    }

    /// Whether a row of command `id` that failed or not was a logon: IMAP's `login` and `authenticate`, POP3's
    /// `pass` and `auth`, and POP3's `user` when refused (accepted, it only asks for the password).
    @inline(__always)
    private func isLogonRow(_ id: Int32, failed: Bool) -> Bool {
        // The four are interned one after the other (init): one comparison instead of four on every row.
        (hasConsecutiveLogonIDs
            ? UInt32(bitPattern: id &- loginID) <= 3
            : id == loginID || id == authenticateID || id == passID || id == authID) || (failed && id == userID)
    }

    private func countsLatency(_ commandID: Int32) -> Bool {
        commandID != idleID && commandID != proxyID
    }

    /// Counts a failure under its error; returns the error.
    private func countError(_ base: UnsafePointer<UInt8>, facts: CommandFacts, session: SessionState, line: Int)
        -> ErrorKey?
    {
        // One key per (code, response text); the class is worked out once per distinct key.
        var scratch = [UInt8]()
        scratch.reserveCapacity(facts.errorCode.count + facts.responseText.count + 1)
        scratch.append(
            contentsOf: UnsafeBufferPointer(start: base + facts.errorCode.start, count: facts.errorCode.count))
        scratch.append(0x1F)
        let text =
            facts.responseText.count > 200
            ? ByteRange(start: facts.responseText.start, end: facts.responseText.start + 200) : facts.responseText
        scratch.append(contentsOf: UnsafeBufferPointer(start: base + text.start, count: text.count))
        var id = internError(scratch)
        var known = errorKeys[id]
        var isPooled = id == errorNames.pooledID
        if known == nil || isPooled {
            let code = Bytes.string(base, facts.errorCode)
            var message = Bytes.string(base, text)
            if facts.outcome == .bad && !message.isEmpty { message = "BAD " + message }
            let codeOrStatus =
                code.isEmpty ? (facts.outcome == .bad ? "BAD" : facts.outcome == .no ? "NO" : "error") : code
            let errorClass = ErrorClass.classify(code: code, message: message)
            // Past the table's limit the error keeps its class (what the rules read), counted under `(other)`.
            known =
                isPooled
                ? ErrorKey(errorClass: errorClass, code: Interner.pooledKey, message: "")
                : ErrorKey(errorClass: errorClass, code: codeOrStatus, message: message)
            if !isPooled { errorKeys[id] = known }
        }
        // A refusal whose class only the session tells (the text alone does not) gets a key of its own: the same
        // bytes with a marker after them.
        func variant(_ marker: UInt8, _ make: (ErrorKey) -> ErrorKey) {
            guard let plain = known else { return }
            if !isPooled {
                scratch.append(marker)
                id = internError(scratch)
                isPooled = id == errorNames.pooledID
            }
            if isPooled {
                known = make(plain)
                known?.code = Interner.pooledKey
                known?.message = ""
                return
            }
            if errorKeys[id] == nil { errorKeys[id] = make(plain) }
            known = errorKeys[id]
        }
        // A logon the front end proxied and then refused with no code of its own (`NO LOGIN failed.` beside
        // `Msg=Proxy:…`): the front end had accepted the credentials before it proxied, so the back end refused
        // it. Not a wrong password: pointing at the back end.
        if session.backend >= 0, facts.errorCode.isEmpty, known?.errorClass == .authentication {
            variant(0x1D) { ErrorKey(errorClass: .other, code: "RefusedByBackEnd", message: $0.message) }
        }
        // Credentials refused to a probe (a `HealthMailbox…` user, the loopback session) are the monitoring
        // account's.
        if session.isProbe, known?.errorClass == .authentication {
            variant(0x1E) { ErrorKey(errorClass: .monitoringAccount, code: $0.code, message: $0.message) }
        }
        if let errorClass = known?.errorClass {
            slots[Int(session.slot)].tally.failureClasses[errorClass, default: 0] += 1
            if session.backend >= 0 && slots[Int(session.slot)].role != .backEnd {
                slots[Int(session.backendSlot)].tally.proxiedFailureClasses[
                    errorClass, default: 0] += 1
            }
        }
        func accumulate(_ accumulator: inout ErrorAccumulator) {
            accumulator.count += 1
            if accumulator.servers.count < 32 {
                accumulator.servers.insert(slots[Int(session.slot)].server)
                if session.backend >= 0 { accumulator.servers.insert(session.backend) }
            }
            if accumulator.example == nil { accumulator.example = "\(file.path):\(line)" }
        }
        if isPooled, let known {
            accumulate(&pooledErrors[known, default: ErrorAccumulator()])
        } else {
            accumulate(&errors[id, default: ErrorAccumulator()])
        }
        return known
    }

    /// The id of an error's key bytes (code, 0x1F, text), or -1 past the table's limit.
    private func internError(_ bytes: [UInt8]) -> Int32 {
        bytes.withUnsafeBufferPointer { buffer in
            errorNames.intern(buffer.baseAddress.unsafelyUnwrapped, ByteRange(start: 0, end: buffer.count))
        }
    }

    /// Whether the record passes the filters; called only when some are set.
    private func isIncludedByFilters(time: Int64, session: SessionState, commandID: Int32) -> Bool {
        if let since = options.since, time < since { return false }
        if let until = options.until, time >= until { return false }
        if !serverFilter.isEmpty {
            let own = slots[Int(session.slot)].server
            guard matchesServer(own) || (session.backend >= 0 && matchesServer(session.backend)) else { return false }
        }
        if !userFilter.isEmpty {
            guard session.user >= 0 else { return false }
            if let cached = userFilterCache[session.user] {
                if !cached { return false }
            } else {
                let name = userNames.string(session.user)
                let matches = userFilter.contains { $0.matches(name) }
                userFilterCache[session.user] = matches
                if !matches { return false }
            }
        }
        if !commandFilter.isEmpty {
            guard commandID >= 0 else { return false }
            if let cached = commandFilterCache[commandID] { return cached }
            let matches = commandFilter.contains(commandNames.string(commandID))
            commandFilterCache[commandID] = matches
            return matches
        }
        return true
    }

    private func matchesServer(_ id: Int32) -> Bool {
        if let cached = serverFilterCache[id] { return cached }
        let name = spellings[id]?.lowercased() ?? serverNames.string(id)
        let matches = serverFilter.contains { ServerNames.sameServer($0, name) }
        serverFilterCache[id] = matches
        return matches
    }

    // MARK: - Sessions

    private func sessionKey(_ base: UnsafePointer<UInt8>, _ range: ByteRange, slot: Int) -> SessionKey {
        let trimmed = Bytes.trimmed(base, range)
        if let id = Bytes.hex(base, trimmed) { return SessionKey(id: id, slot: Int32(slot)) }
        // Not 16 hex digits (2007/2010 GUIDs, damaged rows): intern the text instead.
        let id = sessionNames.intern(base, trimmed)
        return SessionKey(id: UInt64(bitPattern: Int64(id)) | (1 << 63), slot: Int32(slot))
    }

    @inline(__always)
    private func storeSession(_ session: SessionState, key: SessionKey, at position: Int?) {
        if let position {
            sessions[position] = session
            return
        }
        if sessions.count >= Self.maxOpenSessions { settleOldestSessions() }
        sessions.insert(key, session)
    }

    /// Settles the eighth of the open sessions silent longest (ties by key): memory stays bounded, and the
    /// sessions still in use go on.
    private func settleOldestSessions() {
        var open: [(last: Int64, key: SessionKey)] = []
        open.reserveCapacity(sessions.count)
        sessions.forEach { key, session in open.append((session.last, key)) }
        open.sort { ($0.last, $0.key.slot, $0.key.id) < ($1.last, $1.key.slot, $1.key.id) }
        let settled = max(1, open.count / 8)
        for (_, key) in open.prefix(settled) {
            if let session = sessions.remove(key) { finish(session, atEnd: true) }
        }
        overflow[Summary.Overflow.openSessions, default: 0] += settled
    }

    private static func sessionOrder(_ a: SessionKey, _ b: SessionKey) -> Bool { (a.slot, a.id) < (b.slot, b.id) }

    private func finish(_ session: SessionState, atEnd: Bool) {
        guard session.isIncluded else { return }
        let slot = Int(session.slot)
        let role = slots[slot].role
        var outcome = SessionTally()
        outcome.total = 1
        switch session.logon {
        case .succeeded:
            if session.backend >= 0 && role != .backEnd { outcome.loggedOnProxied = 1 } else { outcome.loggedOn = 1 }
        case .failed: outcome.failedLogon = 1
        case .none: outcome.neverAuthenticated = 1
        }
        if atEnd { outcome.openAtEnd = 1 }
        if session.isProbe {
            let kind: ProbeKind
            switch role {
            case .frontEnd: kind = session.attemptedLogon ? .customerTouchPoint : .proxyTest
            case .backEnd:
                // A health mailbox arriving from a front end is the back-end leg of ImapCTPProbe.
                kind = !session.isLoopbackClient ? .customerTouchPoint : session.attemptedLogon ? .deepTest : .selfTest
            case .unknown: kind = .other
            }
            var tally = ProbeSessionTally(sessions: 1, failedSessions: session.hadFailure ? 1 : 0)
            tally.first = session.start
            tally.last = session.last
            if session.firstFailureFile >= 0 {
                let index = Int(session.firstFailureFile)
                let path = index < files.count ? files[index].path : file.path
                tally.examples = ["\(path):\(session.firstFailureLine)"]
            }
            let backend = kind == .customerTouchPoint && role == .frontEnd ? session.backend : -1
            probeSessions[ProbeSessionKey(kind: kind, slot: slot, backend: backend), default: ProbeSessionTally()]
                .merge(tally)
            let minute = session.start >= 0 ? session.start / 60_000 : (session.start - 59_999) / 60_000
            var perMinute = ProbeMinuteTally(sessions: 1, failedSessions: session.hadFailure ? 1 : 0)
            perMinute.longestMs = max(0, session.last - session.start)
            probeMinutes[ProbeSlotKey(kind: kind, slot: slot), default: MinuteTable()].add(perMinute, at: minute)
            if options.excludesProbes { return }
        }
        sessionsTally.merge(outcome)
        slots[slot].tally.sessions += 1
        slots[slot].tally.outcomes.merge(outcome)
        if session.user >= 0 { users[session.user].sessions += 1 }
        if session.client >= 0 { clients[session.client].sessions += 1 }
    }

    // MARK: - Servers

    @inline(__always)
    /// The slot of the row's own server, named by the folder or by `address` (whose id may be `known`).
    private func slotForOwnServer(_ base: UnsafePointer<UInt8>, address: ByteRange, role: Role, known: Int32? = nil)
        -> Int
    {
        let server: Int32
        if let streamServer {
            server = streamServer
        } else if let known, localPlaceholders.contains(known) {
            server = known
        } else if known == nil && (address.isEmpty || Bytes.isLoopback(base, address)) {
            server = localPlaceholders[role.index]
        } else {
            server = known ?? serverNames.intern(base, address)
            if server != serverNames.pooledID {
                if addressRecords[server] == 0 && spellings[server] == nil {
                    spellings[server] = Bytes.string(base, address)
                }
                addressRecords[server] += 1
            }
        }
        let key = Self.slotKey(server, role)
        let slot: Int
        if key == lastOwnSlot.key {
            slot = lastOwnSlot.slot
        } else {
            slot = slotFor(server: server, role: role)
            lastOwnSlot = (key, slot)
        }
        if known != nil && streamServer == nil && server != serverNames.pooledID && !localPlaceholders.contains(server)
        {
            endAddressRun()
            addressRun = (server, role, slot, 0)
        }
        return slot
    }

    /// Counts the rows of the current address run.
    private func endAddressRun() {
        if addressRun.server >= 0 { addressRecords[addressRun.server] += addressRun.rows }
        addressRun.rows = 0
    }

    /// A server and role as one key: `slotIndex`'s and `lastOwnSlot`'s.
    @inline(__always)
    private static func slotKey(_ server: Int32, _ role: Role) -> Int { Int(server) << 2 | role.index }

    @inline(__always)
    private func slotFor(server: Int32, role: Role) -> Int {
        let key = Self.slotKey(server, role)
        if let slot = slotIndex[key] { return slot }
        slots.append(
            Slot(
                server: server, role: role,
                commands: DenseTable(
                    empty: CommandTally(), budget: (commandCells, commandNames.pooledID))))
        slotIndex[key] = slots.count - 1
        return slots.count - 1
    }

    private func isProbeUser(_ base: UnsafePointer<UInt8>, _ user: ByteRange) -> Bool {
        var u = user
        // `DOMAIN\HealthMailbox…` as well as `HealthMailbox…@…`.
        let backslash = Bytes.firstIndex(of: UInt8(ascii: "\\"), in: base, u)
        if backslash < u.end { u.start = backslash + 1 }
        return Bytes.hasPrefixIgnoringCase(base, u, "healthmailbox")
            || Bytes.find("exchangemon.net", in: base, user) != nil
    }

    // MARK: - Result

    /// Settles the sessions still open and returns what the stream held.
    func finishStream() -> Summary {
        for (_, session) in sessions.sorted(by: Self.sessionOrder) { finish(session, atEnd: true) }
        sessions.removeAll()
        for slot in slots.indices { flushMinute(slot: slot) }
        let names = resolveNames()
        func serverKey(_ slot: Int) -> ServerKey {
            ServerKey(name: names[slots[slot].server].lowercased, role: slots[slot].role)
        }
        var summary = Summary()
        for var fileSummary in files {
            if let server = streamServer {
                fileSummary.server = names[server].spelling
            } else if let dominant = dominantAddress() {
                fileSummary.server = names[dominant].spelling
            }
            summary.files.append(fileSummary)
        }
        summary.skippedByReason = skips
        for (index, slot) in slots.enumerated() {
            var tally = slot.tally
            slot.commands.forEachWritten { _, commandTally in tally.own.merge(commandTally) }
            if tally == ServerTally() { continue }
            let own = slot.addresses.map { serverNames.string($0) }
            tally.addresses = Array(Set(own).sorted().prefix(8))
            summary.servers[serverKey(index), default: ServerTally()].merge(tally)
            let name = names[slot.server]
            summary.serverSpellings[name.lowercased] = name.spelling
        }
        for (index, slot) in slots.enumerated() {
            slot.commands.forEachWritten { id, tally in
                let name = commandNames.string(id)
                summary.commands[name, default: CommandTally()].merge(tally)
                summary.serverCommands[
                    ServerCommandKey(server: serverKey(index), command: name), default: CommandTally()
                ]
                .merge(tally)
            }
        }
        // Sized once: a dictionary growing by doubling holds its entries twice while it does.
        summary.users.reserveCapacity(users.writtenCount)
        summary.clients.reserveCapacity(clients.writtenCount)
        users.forEachWritten { id, tally in summary.users[userNames.string(id), default: PartyTally()].merge(tally) }
        clients.forEachWritten { id, tally in
            summary.clients[clientNames.string(id), default: PartyTally()].merge(tally)
        }
        for (id, accumulator) in errors {
            guard let key = errorKeys[id] else { continue }
            let servers = accumulator.servers.map { names[$0].lowercased }.sorted()
            summary.errors[key, default: ErrorTally()].merge(
                ErrorTally(count: accumulator.count, servers: servers, example: accumulator.example))
        }
        for (key, accumulator) in pooledErrors {
            let servers = accumulator.servers.map { names[$0].lowercased }.sorted()
            summary.errors[key, default: ErrorTally()].merge(
                ErrorTally(count: accumulator.count, servers: servers, example: accumulator.example))
            overflow[Summary.Overflow.errors, default: 0] += accumulator.count
        }
        for index in slots.indices where !slots[index].timeline.isEmpty {
            Summary.mergeNested(&summary.timeline, [serverKey(index): slots[index].timeline])
            slots[index].timeline = MinuteTable()
        }
        summary.sessions = sessionsTally
        summary.probes.records = probeRecords
        summary.probes.commands = probeCommands
        for (key, tally) in probeSessions {
            let probeKey = ProbeKey(
                kind: key.kind, server: serverKey(key.slot),
                backend: key.backend >= 0 ? names[key.backend].lowercased : "")
            summary.probes.sessions[probeKey, default: ProbeSessionTally()].merge(tally)
        }
        for (key, minutes) in probeMinutes {
            Summary.mergeNested(
                &summary.probes.minutes, [ProbeServerKey(kind: key.kind, server: serverKey(key.slot)): minutes])
        }
        probeMinutes = [:]
        // Each entry is read before its flush empties it.
        openLogonMinutes.forEachWritten { index, _ in flushLogonMinute(index) }
        for index in logonsByBackend.keys.sorted() {
            let route = logonRoutes[Int(index)]
            let own = names[route.server].lowercased
            let path =
                route.backend == Self.ownView
                ? LogonPath(frontEnd: "", backEnd: own, isBackEndView: true)
                : LogonPath(frontEnd: own, backEnd: route.backend >= 0 ? names[route.backend].lowercased : "")
            Summary.mergeNested(&summary.logonsByBackend, [path.key: logonsByBackend[index] ?? MinuteTable()])
            logonsByBackend[index] = nil
        }
        for (slot, tracker) in inFlight.enumerated() where !tracker.isUnused {
            var settled = tracker
            summary.peakInFlight[serverKey(slot), default: InFlightPeak()].merge(settled.finish())
        }
        summary.filteredOut = filteredOut
        summary.filteredOutFailures = filteredOutFailures > 0 ? filteredOutFailures : nil
        // Each limit met, with the records counted under `(other)` for it.
        // Names past the stream's limit, and commands of servers past the cells' limit.
        if let pooled = summary.commands[Interner.pooledKey] {
            overflow[Summary.Overflow.commands, default: 0] += pooled.count
        }
        if userNames.isFull { overflow[Summary.Overflow.users, default: 0] += users[userNames.pooledID].commands }
        if clientNames.isFull {
            overflow[Summary.Overflow.clients, default: 0] += clients[clientNames.pooledID].commands
        }
        if serverNames.isFull {
            var records = 0
            for slot in slots where slot.server == serverNames.pooledID {
                records += slot.tally.records + slot.tally.proxied.count
            }
            overflow[Summary.Overflow.servers, default: 0] += records
        }
        summary.overflow = overflow.filter { $0.value > 0 }
        var events = LogonEvents()
        for logon in logons {
            events.append(
                LogonEvent(
                    time: logon.time, server: serverKey(logon.slot),
                    serverAddress: logon.ownAddress >= 0 ? serverNames.string(logon.ownAddress) : "",
                    clientAddress: logon.client >= 0 ? clientNames.string(logon.client) : "",
                    user: logon.user >= 0 ? userNames.string(logon.user) : "",
                    backend: logon.backend >= 0 ? names[logon.backend].lowercased : "", failed: logon.failed,
                    errorCode: logon.error?.code ?? "", errorClass: logon.error?.errorClass, example: ""),
                exampleFile: logon.file, line: logon.line)
        }
        summary.logons = events
        summary.first = first
        summary.last = last
        return summary
    }

    private struct ResolvedName {
        var lowercased: String
        var spelling: String
    }

    /// Names for every server id: the local placeholder becomes the stream's own address, and a back-end
    /// stream known only by address takes the FQDN its logons name (`Location: ServerFqdn:`).
    private func resolveNames() -> ResolvedNames {
        endAddressRun()
        var renamed: [Int32: String] = [:]
        let dominant = dominantAddress()
        if let folderName = streamServer {
            // The folder names the server unless the logs name another: a back end's logons say where they
            // landed (`Location: ServerFqdn:`), and the logs win over an admin's filing.
            if let location = dominantLocation() {
                let name = spellings[location] ?? serverNames.string(location)
                let hint = (spellings[folderName] ?? serverNames.string(folderName)).lowercased()
                // Another server: the logs win. The same one, as an FQDN: the fuller name.
                if !ServerNames.sameServer(hint, name.lowercased()) || (!hint.contains(".") && name.contains(".")) {
                    renamed[folderName] = name
                }
            }
        } else {
            if addressRecords.writtenCount == 1, let address = dominant, let location = dominantLocation() {
                renamed[address] = spellings[location] ?? serverNames.string(location)
            }
            func name(_ id: Int32) -> String { renamed[id] ?? spellings[id] ?? serverNames.string(id) }
            // Loopback rows belong to the one server of their role in the stream (standard input holding several
            // servers' logs keeps them apart by address); with several, nobody can tell whose they are.
            let fallback = dominant.map(name) ?? "localhost"
            for role in Role.allCases {
                let placeholder = localPlaceholders[role.index]
                let candidates = Set(
                    slots.lazy.filter { $0.role == role && $0.server >= 0 && self.addressRecords[$0.server] > 0 }
                        .map(\.server))
                let rows = candidates.map { (server: $0, rows: addressRecords[$0]) }
                let top = rows.max { ($0.rows, $1.server) < ($1.rows, $0.server) }
                let total = rows.reduce(0) { $0 + $1.rows }
                if candidates.isEmpty {
                    renamed[placeholder] = addressRecords.writtenCount <= 1 ? fallback : Self.unattributedLoopback
                } else if let top, top.rows * 10 >= total * Self.loopbackOwnerShare {
                    // One server, or one address holding nearly all its role's rows (a server with a second address).
                    renamed[placeholder] = name(top.server)
                } else {
                    renamed[placeholder] = Self.unattributedLoopback
                }
            }
        }
        return ResolvedNames(renamed: renamed, spellings: spellings, interner: serverNames)
    }

    /// The name of loopback rows in a stream holding several servers' own rows: not a host name, so it never
    /// reaches a command.
    static let unattributedLoopback = "(loopback, server unknown)"
    /// Tenths of a role's own rows one address must hold for the stream's loopback rows in that role to be its.
    static let loopbackOwnerShare = 9

    /// The server most of the stream's logons name as their location, when at least half of them name it.
    private func dominantLocation() -> Int32? {
        guard let (location, mentions) = locationMentions.max(by: { ($0.value, $1.key) < ($1.value, $0.key) }),
            mentions * 2 >= locationMentions.values.reduce(0, +)
        else { return nil }
        return location
    }

    private func dominantAddress() -> Int32? {
        var best: (id: Int32, count: Int)?
        addressRecords.forEachWritten { id, count in
            // Most records; ties to the lowest id.
            if best == nil || count > best.unsafelyUnwrapped.count { best = (id, count) }
        }
        return best?.id
    }

    private struct ResolvedNames {
        var renamed: [Int32: String]
        let spellings: DenseTable<String?>
        var interner: Interner

        subscript(_ id: Int32) -> ResolvedName {
            let spelling = renamed[id] ?? spellings[id] ?? interner.string(id)
            return ResolvedName(lowercased: spelling.lowercased(), spelling: spelling)
        }
    }
}

// The tallies below add a flag's 0 or 1 rather than test it: a store made either way needs no branch, and
// whether a record failed is a branch the processor would often guess wrong.

extension CommandTally {
    @inline(__always)
    mutating func count(duration: Int64?, failed: Bool, bytes: (Int64, Int64) = (0, 0)) {
        count += 1
        failures += failed ? 1 : 0
        if let duration { latency.record(duration) }
        requestBytes &+= bytes.0
        responseBytes &+= bytes.1
    }
}

extension PartyTally {
    @inline(__always)
    mutating func count(failed: Bool, failedLogon: Bool, credentials: Bool) {
        commands += 1
        failures += failed ? 1 : 0
        failedLogons += failedLogon ? 1 : 0
        credentialFailures += credentials ? 1 : 0
    }
}

extension TimelineTally {
    @inline(__always)
    mutating func count(duration: Int64?, failed: Bool) {
        requests += 1
        failures += failed ? 1 : 0
        latencySum += duration ?? 0
        latencyCount += duration == nil ? 0 : 1
    }
}

extension Role {
    var index: Int {
        switch self {
        case .frontEnd: return 0
        case .backEnd: return 1
        case .unknown: return 2
        }
    }
}

extension ProbeKind {
    var index: Int { ProbeKind.allCases.firstIndex(of: self) ?? 0 }
}

/// Up to 16 bytes of an IMAP tag and its length, kept inline (2007/2010 logs pair a command with its
/// tagged response).
struct PendingTag: Equatable {
    private var low: UInt64 = 0
    private var high: UInt64 = 0
    private var count = 0

    init() {}

    init(_ base: UnsafePointer<UInt8>, _ range: ByteRange) {
        count = range.count
        for k in 0..<min(range.count, 16) {
            let byte = UInt64(base[range.start + k])
            if k < 8 { low |= byte << (8 * k) } else { high |= byte << (8 * (k - 8)) }
        }
    }
}
