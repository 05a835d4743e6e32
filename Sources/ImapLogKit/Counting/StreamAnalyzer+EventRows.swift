/// Reading an Exchange 2007/2010 row (one a protocol event: a session's start `+` or end `-`, a command `<`, a
/// response `>`) into its session and the counts: a command is counted when its tagged response comes.
extension StreamAnalyzer {
    /// Counts a 2007/2010 row.
    func countEventRow(_ parser: RecordParser, line: Int) {
        let base = parser.base
        let time = parser.time
        let event = Bytes.trimmed(base, parser.range(.event))
        let serverEndpoint = Bytes.endpoint(base, Bytes.trimmed(base, parser.range(.serverEndpoint)))
        let role = files.nameRole != .unknown ? files.nameRole : Role.fromLocalPort(serverEndpoint.port)
        let slot = directory.slot(ofOwnServer: base, address: serverEndpoint.address, role: role)
        let key = sessions.key(base, parser.range(.sessionId), slot: slot)
        // A row with an event other than + - < > * still counts as a record; it just says nothing.
        guard event.count == 1 else { return }
        let kind = base[event.start]
        if kind == UInt8(ascii: "+"), let stale = sessions.remove(key) { finish(stale, isOpenAtEnd: true) }
        let position = sessions.find(key)
        var session = position.map { sessions[$0] } ?? SessionState(slot: Int32(slot), start: time, last: time)
        noteEndpoints(base, parser, serverAddress: serverEndpoint.address, slot: slot, &session)
        session.last = time
        let data = Bytes.trimmed(base, parser.range(.data))
        switch kind {
        case UInt8(ascii: "-"):
            if position != nil { sessions.remove(key) }
            finish(session, isOpenAtEnd: false)
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
                session.pendingCommand = commandNames.id(base, verb)
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
                        session.user = users.names.intern(base, user)
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
                if commandNames.isLogonRow(commandID, failed: facts.isFailure) {
                    session.noteLogon(facts, failed: facts.isFailure)
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
        store(session, key: key, at: position)
    }
}
