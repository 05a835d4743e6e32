/// The sessions open in one stream, found by (session id, slot), at most `limit` at once.
///
/// A front end holds thousands; more are sessions whose end was never logged (a crash) or a flood. At the limit
/// the eighth that have been silent longest are settled (counted as open at the end), not all of them: a session
/// that goes on after that is counted again as a new one, and the ones in use are kept.
///
/// A row's session is read and written where it is kept (`pointer(at:)`), and a 2013+ row's new one in a place of
/// its own until it is stored: no copy in and out per record.
struct OpenSessions {
    typealias Key = SessionTable<SessionState>.Key

    /// Most sessions open at once (some 150 bytes each: 20 MB at the limit, nothing until used).
    static let limit = 1 << 17

    private var table = SessionTable<SessionState>()
    /// Session ids that are not 16 hex digits (2007/2010 GUIDs, damaged rows), as numbers.
    private let otherIDs = Interner(limit: 1 << 20, lowercases: true)
    /// Holds `newSession`'s one element, and is never appended to again: its address stays valid.
    private let newSessionStorage = RecordTable<SessionState>()
    /// A 2013+ row's new session, until it is stored.
    private let newSession: UnsafeMutablePointer<SessionState>
    /// Sessions settled before their end because `limit` were open.
    private(set) var settledEarly = 0

    init() {
        newSessionStorage.append(SessionState(slot: 0, start: 0, last: 0))
        newSession = newSessionStorage.pointer(at: 0)
    }

    /// Whether one more session must wait for `removeOldest()`.
    var isFull: Bool { table.count >= Self.limit }

    /// The key of a session id field in `slot`: its 16 hex digits, or else its text, interned.
    mutating func key(_ base: UnsafePointer<UInt8>, _ range: ByteRange, slot: Int) -> Key {
        let trimmed = Bytes.trimmed(base, range)
        if let id = Bytes.hex(base, trimmed) { return Key(id: id, slot: Int32(slot)) }
        let id = otherIDs.intern(base, trimmed)
        return Key(id: UInt64(bitPattern: Int64(id)) | (1 << 63), slot: Int32(slot))
    }

    /// The position of `key`'s session, or nil.
    @inline(__always)
    func find(_ key: Key) -> Int? { table.find(key) }

    /// The session at a position `find` returned.
    @inline(__always)
    subscript(position: Int) -> SessionState {
        get { table[position] }
        nonmutating set { table[position] = newValue }
    }

    /// Where the session at a position `find` returned lives.
    ///
    /// - Warning: valid until the next `insert`, `remove`, `removeOldest` or `removeAll`.
    @inline(__always)
    func pointer(at position: Int) -> UnsafeMutablePointer<SessionState> { table.pointer(at: position) }

    /// A new session of `slot` starting at `time`, in a place of its own until `insert` stores a copy.
    ///
    /// - Warning: valid until the next call.
    @inline(__always)
    mutating func startSession(slot: Int, time: Int64) -> UnsafeMutablePointer<SessionState> {
        newSession.pointee = SessionState(slot: Int32(slot), start: time, last: time)
        return newSession
    }

    /// Stores a session not present; the caller has made room (`isFull`, `removeOldest()`).
    @inline(__always)
    mutating func insert(_ key: Key, _ session: SessionState) { table.insert(key, session) }

    /// Removes the session of `key` and returns it, or nil when there is none.
    @discardableResult
    @inline(__always)
    mutating func remove(_ key: Key) -> SessionState? { table.remove(key) }

    /// Removes the eighth of the sessions silent longest (ties by key) and returns them in that order: memory
    /// stays bounded, and the sessions still in use go on.
    mutating func removeOldest() -> [SessionState] {
        var open: [(last: Int64, key: Key)] = []
        open.reserveCapacity(table.count)
        table.forEach { key, session in open.append((session.last, key)) }
        open.sort { ($0.last, $0.key.slot, $0.key.id) < ($1.last, $1.key.slot, $1.key.id) }
        let settled = max(1, open.count / 8)
        var removed: [SessionState] = []
        for (_, key) in open.prefix(settled) {
            if let session = table.remove(key) { removed.append(session) }
        }
        settledEarly += settled
        return removed
    }

    /// Removes every session and returns them by slot, then id.
    mutating func removeAll() -> [SessionState] {
        let open = table.sorted { ($0.slot, $0.id) < ($1.slot, $1.id) }.map(\.1)
        table.removeAll()
        return open
    }
}
