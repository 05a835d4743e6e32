/// Keeps logons for linking front ends to back ends: every failure (up to 5,000 a stream) and the first 500
/// successes, enough to learn which address is which server.
///
/// Bounds: 5,000 failed and 500 successful logons a stream; the run samples them further (`Summary.logonLimit`).
struct LogonSample {
    static let failureLimit = 5_000
    static let successLimit = 500

    private struct Logon {
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
    private var kept: [Logon] = []
    private var successes = 0
    private var failures = 0

    /// Keeps a logon on `session` at `time`, read at `file`'s `line`, while there is room for it.
    mutating func keep(
        time: Int64, session: SessionState, failed: Bool, error: ErrorKey?, file: @autoclosure () -> String, line: Int
    ) {
        if failed {
            guard failures < Self.failureLimit else { return }
            failures += 1
        } else {
            guard successes < Self.successLimit else { return }
            successes += 1
        }
        kept.append(
            Logon(
                time: time, slot: Int(session.slot), ownAddress: session.ownAddress, client: session.client,
                user: session.user, backend: session.backend, failed: failed, error: error, file: file(), line: line))
    }

    /// The logons kept, named.
    func finish(names: StreamServerNames, servers: Interner, clients: Interner, users: Interner) -> LogonEvents {
        var events = LogonEvents()
        for logon in kept {
            events.append(
                LogonEvent(
                    time: logon.time, server: names.key(ofSlot: logon.slot),
                    serverAddress: logon.ownAddress >= 0 ? servers.string(logon.ownAddress) : "",
                    clientAddress: logon.client >= 0 ? clients.string(logon.client) : "",
                    user: logon.user >= 0 ? users.string(logon.user) : "",
                    backend: logon.backend >= 0 ? names[logon.backend].lowercased : "", failed: logon.failed,
                    errorCode: logon.error?.code ?? "", errorClass: logon.error?.errorClass, example: ""),
                exampleFile: logon.file, line: logon.line)
        }
        return events
    }
}
