/// The commands of one stream as small ids, and the few ids the analyzer tells apart: the session markers, IDLE,
/// the proxy's rows and the logons.
///
/// Bounds: `limit` commands; past it, new ones are counted under `(other)` (`Interner.pooledKey`), never dropped.
struct CommandNames {
    /// Room for 512 commands besides the session markers interned up front: IMAP and POP3 have some 40 verbs,
    /// and every command is a column of every server's table.
    static let limit = 512 + 2

    /// Lower-cased commands.
    let interner = Interner(limit: CommandNames.limit, lowercases: true)
    let openSession: Int32
    let closeSession: Int32
    let idle: Int32
    let proxy: Int32
    let login: Int32
    let authenticate: Int32
    let pass: Int32
    let auth: Int32
    let user: Int32
    /// Whether login, authenticate, pass and auth have consecutive ids (they are interned in a row).
    private let hasConsecutiveLogonIDs: Bool

    init() {
        // Interned first, so a command is classified by comparing ids, and a flood of made-up commands cannot
        // push the session markers out of the table.
        openSession = interner.intern("opensession")
        closeSession = interner.intern("closesession")
        idle = interner.intern("idle")
        proxy = interner.intern("proxy")
        login = interner.intern("login")
        authenticate = interner.intern("authenticate")
        // POP3's logons: `user` then `pass`, or SASL's `auth`.
        pass = interner.intern("pass")
        auth = interner.intern("auth")
        user = interner.intern("user")
        // A small id: each server's table of commands is as long as the highest id it counts.
        interner.reservePooledID()
        hasConsecutiveLogonIDs = authenticate == login + 1 && pass == login + 2 && auth == login + 3
    }

    /// The id of the command in `range`.
    @inline(__always)
    func id(_ base: UnsafePointer<UInt8>, _ range: ByteRange) -> Int32 { interner.intern(base, range) }

    /// Whether a row of command `id` that failed or not was a logon: IMAP's `login` and `authenticate`, POP3's
    /// `pass` and `auth`, and POP3's `user` when refused (accepted, it only asks for the password).
    @inline(__always)
    func isLogonRow(_ id: Int32, failed: Bool) -> Bool {
        // The four are interned one after the other (init): one comparison instead of four on every row.
        (hasConsecutiveLogonIDs
            ? UInt32(bitPattern: id &- login) <= 3
            : id == login || id == authenticate || id == pass || id == auth) || (failed && id == user)
    }

    /// Whether the command's duration is a latency: IDLE waits for mail, and a proxy row spans its session.
    @inline(__always)
    func countsLatency(_ id: Int32) -> Bool {
        id != idle && id != proxy
    }
}
