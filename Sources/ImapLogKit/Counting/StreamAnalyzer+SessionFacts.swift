/// What a row tells about its session, whatever its format: its addresses, its back end, whether it is a probe.
extension StreamAnalyzer {
    /// Takes the session's own and client addresses from its first rows; a loopback client is one of Exchange's
    /// probes.
    func noteEndpoints(
        _ base: UnsafePointer<UInt8>, _ parser: RecordParser, serverAddress: ByteRange, slot: Int,
        _ session: inout SessionState
    ) {
        if session.ownAddress < 0, !serverAddress.isEmpty, !Bytes.isLoopback(base, serverAddress) {
            session.ownAddress = directory.noteOwnAddress(base, serverAddress, slot: slot)
        }
        guard session.client < 0 else { return }
        let client = Bytes.endpoint(base, Bytes.trimmed(base, parser.range(.clientEndpoint))).address
        guard !client.isEmpty else { return }
        session.client = clients.names.intern(base, client)
        if Bytes.isLoopback(base, client) {
            session.isProbe = true
            session.isLoopbackClient = true
        }
    }

    /// Takes the back end a front end's row names (a proxy row, or a logon's `Proxy:` context); counts the session
    /// as proxied to it the first time.
    func noteBackend(_ base: UnsafePointer<UInt8>, _ backend: ByteRange, session: inout SessionState, role: Role) {
        guard !backend.isEmpty else { return }
        // Proxy rows repeat the session's back end every 30 seconds.
        if session.backend >= 0 && directory.names.holds(session.backend, base, backend) { return }
        let id = directory.names.intern(base, backend)
        guard id >= 0 else { return }
        if session.backend != id {
            // Once per session and back end: proxy rows repeat the name every 30 seconds. `(other)` keeps its name.
            if id != directory.names.pooledID { directory.noteSpelling(id, base, backend) }
            session.backend = id
            let backendSlot = directory.slot(of: id, role: .backEnd)
            session.backendSlot = Int32(backendSlot)
            if role != .backEnd { servers.countProxiedSession(backendSlot: backendSlot) }
        }
    }

    /// Whether a user is Exchange's monitoring account: `HealthMailbox…` (also as `DOMAIN\HealthMailbox…`), or a
    /// name at `exchangemon.net`.
    func isProbeUser(_ base: UnsafePointer<UInt8>, _ user: ByteRange) -> Bool {
        var u = user
        let backslash = Bytes.firstIndex(of: UInt8(ascii: "\\"), in: base, u)
        if backslash < u.end { u.start = backslash + 1 }
        return Bytes.hasPrefixIgnoringCase(base, u, "healthmailbox")
            || Bytes.find("exchangemon.net", in: base, user) != nil
    }
}
