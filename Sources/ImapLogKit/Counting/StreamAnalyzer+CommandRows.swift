/// Reading an Exchange 2013+ row (one a command, with its duration and outcome) into its session and the counts.
extension StreamAnalyzer {
    /// Counts a 2013+ row; `row` holds its facts when the parsing thread read them already.
    func countCommandRow(_ parser: RecordParser, line: Int, row: UnsafePointer<RowFacts>?) {
        let base = parser.base
        let time = parser.time
        let place = directory.locate(commandRow: parser, fileRole: files.nameRole)
        let slot = place.slot
        let role = place.role
        files.noteRole(role)
        let command = commandNames.id(base, Bytes.trimmed(base, parser.range(.command)))
        let isOpen = command == commandNames.openSession
        let isClose = command == commandNames.closeSession
        let isProxyRow = command == commandNames.proxy

        // The number, when the parser read it already (Exchange's 16 hex digits).
        let key =
            parser.sessionNumber.map { OpenSessions.Key(id: $0, slot: Int32(slot)) }
            ?? sessions.key(base, parser.range(.sessionId), slot: slot)
        if isOpen, let stale = sessions.remove(key) { finish(stale, isOpenAtEnd: true) }
        let position = sessions.find(key)
        // The row's session, read and written where it is kept (a new one in a place of its own until stored).
        let session: UnsafeMutablePointer<SessionState>
        if let position {
            session = sessions.pointer(at: position)
        } else {
            session = sessions.startSession(slot: slot, time: time)
        }
        var serverAddress = place.address
        if !place.hasReadEndpoint && (session.pointee.ownAddress < 0 || session.pointee.client < 0) {
            serverAddress = Bytes.endpoint(base, Bytes.trimmed(base, parser.range(.serverEndpoint))).address
        }
        noteEndpoints(base, parser, serverAddress: serverAddress, slot: slot, &session.pointee)
        let user = Bytes.trimmed(base, parser.range(.user))
        // The user rarely changes within a session: look at the name only when it does.
        if !user.isEmpty && (session.pointee.user < 0 || !users.names.holds(session.pointee.user, base, user)) {
            let id = users.names.intern(base, user)
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
            && directory.names.hostPrefix(session.pointee.backend, base, parameters) != nil
        let facts =
            repeatsBackend
            ? CommandFacts()
            : row?.pointee.facts
                ?? CommandFacts.extract(base, context: context, parameters: parameters, isProxyRow: isProxyRow)
        let failed = facts.isFailure
        let commandID: Int32 = isOpen || isClose ? -1 : command
        let isLogon = commandID >= 0 && commandNames.isLogonRow(commandID, failed: failed)
        // The probe's tag `z` shows on its failures; its UPN in a logon's parameters.
        if !session.pointee.isProbe
            && (Bytes.equalsIgnoringCase(base, facts.tag, "z")
                || (isLogon && Bytes.find("HealthMailbox", in: base, parameters) != nil))
        {
            session.pointee.isProbe = true
        }
        noteBackend(base, facts.backend, session: &session.pointee, role: role)
        if !facts.location.isEmpty { directory.noteLocation(base, facts.location) }
        if isLogon {
            session.pointee.noteLogon(facts, failed: failed)
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
            finish(closed, isOpenAtEnd: false)
        } else if position == nil {
            store(session.pointee, key: key, at: nil)
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
}
