/// What a stream knows of one open session: where it runs, who it is, how its logon went, what it awaits.
///
/// A plain value (no references), so reading and storing it per record costs a copy, not reference counting.
struct SessionState {
    /// How the session's logon went so far.
    enum Logon: UInt8 { case none, failed, succeeded }

    /// The slot (server and role) whose logs hold the session.
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
    /// Whether a row of it passed the filters: a session none of whose rows did is not counted.
    var isIncluded = false
    // 2007/2010: the command awaiting its tagged response (its tag's first 16 bytes and length).
    var pendingTag = PendingTag()
    var pendingCommand: Int32 = -1
    var pendingTime: Int64 = 0
    /// The session's first failed row: index of its file in the stream and line number (file -1: none).
    var firstFailureFile: Int32 = -1
    var firstFailureLine = 0

    /// Notes a logon row: a success stands, a failure counts until one succeeds.
    mutating func noteLogon(_ facts: CommandFacts, failed: Bool) {
        attemptedLogon = true
        if facts.outcome == .ok {
            logon = .succeeded
        } else if failed && logon != .succeeded {
            logon = .failed
        }
    }

    /// Notes a failed row, keeping where the first one was (`file`: the file's index in the stream).
    @inline(__always)
    mutating func noteFailure(file: Int, line: Int) {
        hadFailure = true
        if firstFailureFile < 0 {
            firstFailureFile = Int32(file)
            firstFailureLine = line
        }
    }

    /// How the session ended, as a tally of one session; `role` is its server's.
    func outcome(role: Role, isOpenAtEnd: Bool) -> SessionTally {
        var outcome = SessionTally()
        outcome.total = 1
        switch logon {
        case .succeeded:
            if backend >= 0 && role != .backEnd { outcome.loggedOnProxied = 1 } else { outcome.loggedOn = 1 }
        case .failed: outcome.failedLogon = 1
        case .none: outcome.neverAuthenticated = 1
        }
        if isOpenAtEnd { outcome.openAtEnd = 1 }
        return outcome
    }
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
