/// Which server each row belongs to, and, once the stream has ended, what each server is called.
///
/// A *slot* is a server in a role (a front end and a back end on one multirole host are two slots); the
/// per-server counters keep their tables by slot. A row's server is the one its stream's folder names, or its own
/// address (`sIp`); loopback rows (a probe's own) belong to a placeholder per role, named at the end after the
/// address that holds that role's rows. Back ends are named by the front ends' rows, and the server a back end's
/// logons name (`Location: ServerFqdn:`) can rename a stream known by address only.
///
/// Bounds: `nameLimit` names and addresses, past which new ones are counted under `(other)` (one server more,
/// never dropped); 8 own addresses a slot.
///
/// A class, unlike the other parts: rows reach its interner and tables from several places, and through a reference
/// they are borrowed (a struct held in the analyzer is copied, its references retained, to call a method of it that
/// is not inlined). Its state belongs to one thread: what every row touches is `@exclusivity(unchecked)`.
final class ServerDirectory {
    /// Most server names and addresses one stream keeps apart (its own addresses, back ends, locations): a fleet's
    /// standard input holds a few hundred; each costs a slot (its tallies, its minutes) per role.
    static let nameLimit = 4_096
    /// The name of loopback rows in a stream holding several servers' own rows: not a host name, so it never
    /// reaches a command.
    static let unattributedLoopback = "(loopback, server unknown)"
    /// Tenths of a role's own rows one address must hold for the stream's loopback rows in that role to be its.
    static let loopbackOwnerShare = 9

    /// Server names and addresses, lower-cased.
    let names: Interner
    /// Each server id's spelling as logged (by id: an index, not a hash, once a session).
    private let spellings: DenseTable<String?>
    /// The server the stream's folder names.
    let streamServer: Int32?
    /// The server of loopback rows (`127.0.0.1:993`, a probe's own), one per role, named at the end.
    private let localPlaceholders: [Int32]

    private struct Slot {
        var server: Int32
        var role: Role
        /// The server's own (non-loopback) addresses, at most 8.
        var addresses: [Int32] = []
    }
    private let slots = RecordTable<Slot>()
    private var slotIndex: [Int: Int] = [:]
    /// The last own-server slot looked up, by `slotKey`.
    @exclusivity(unchecked) private var lastOwnSlot = (key: -1, slot: 0)
    /// Consecutive rows from one server address the endpoint memo knew, with their role and slot: counted into
    /// `addressRecords` when the run ends (or the stream does), not row by row.
    @exclusivity(unchecked) private var addressRun = (server: Int32(-1), role: Role.unknown, slot: 0, rows: 0)
    /// Rows by own server address.
    private let addressRecords = DenseTable(empty: 0)
    @exclusivity(unchecked) private var endpointMemo = EndpointMemo()
    /// Logons naming each server as where they landed.
    private var locationMentions: [Int32: Int] = [:]

    init(serverHint: String?) {
        let names = Interner(limit: ServerDirectory.nameLimit, lowercases: true)
        let spellings = DenseTable<String?>(empty: nil)
        if let hint = serverHint {
            let id = names.intern(hint)
            spellings[id] = hint
            streamServer = id
        } else {
            streamServer = nil
        }
        var placeholders: [Int32] = []
        for role in Role.allCases { placeholders.append(names.intern("\u{1}local-\(role.rawValue)")) }
        localPlaceholders = placeholders
        self.names = names
        self.spellings = spellings
    }

    /// Where a 2013+ row belongs, as `locate(commandRow:fileRole:)` finds it.
    struct Place {
        var slot: Int
        var role: Role
        /// The row's own server address, when its endpoint was read (empty otherwise).
        var address: ByteRange
        /// Whether the endpoint was read: only when it tells something (the role or the server).
        var hasReadEndpoint: Bool
    }

    /// The slot and role of a 2013+ row, from the file's role and the row's own endpoint (`sIp:port`).
    ///
    /// The endpoint is read only when it tells something: the role (the file's name gives none) or the server (no
    /// folder names it). Mostly the same bytes row after row: remembered, they skip the parse and the interning.
    ///
    /// - Complexity: O(1); the rows of a run (one server, one role) take the inlined paths, the others a call.
    @inline(__always)
    func locate(commandRow parser: RecordParser, fileRole: Role) -> Place {
        if fileRole != .unknown, let streamServer {
            // The server the folder names, in the role the file's name gives: the same slot as the row before.
            let key = Self.slotKey(streamServer, fileRole)
            let slot = key == lastOwnSlot.key ? lastOwnSlot.slot : slowSlot(ofOwnServer: parser.base, role: fileRole)
            return Place(slot: slot, role: fileRole, address: .empty, hasReadEndpoint: false)
        }
        let base = parser.base
        let field = Bytes.trimmed(base, parser.range(.serverEndpoint))
        if let memo = endpointMemo.recall(base, field) {
            // The same server address as the rows before.
            let role = fileRole != .unknown ? fileRole : Role.fromLocalPort(memo.port)
            if memo.server == addressRun.server && role == addressRun.role {
                addressRun.rows += 1
                let start = field.start + memo.addressOffset
                let address = ByteRange(start: start, end: start + memo.addressLength)
                return Place(slot: addressRun.slot, role: role, address: address, hasReadEndpoint: true)
            }
        }
        return locate(endpoint: field, of: parser, fileRole: fileRole)
    }

    /// `slot(ofOwnServer:…)` out of line: a new server or role, seldom.
    @inline(never)
    private func slowSlot(ofOwnServer base: UnsafePointer<UInt8>, role: Role) -> Int {
        slot(ofOwnServer: base, address: .empty, role: role)
    }

    /// `locate(commandRow:fileRole:)` when the endpoint is read and its row starts no run, or continues none.
    @inline(never)
    private func locate(endpoint endpointField: ByteRange, of parser: RecordParser, fileRole: Role) -> Place {
        let base = parser.base
        var serverEndpoint = (address: ByteRange.empty, port: 0)
        var knownServer: Int32?
        if let memo = endpointMemo.recall(base, endpointField) {
            let start = endpointField.start + memo.addressOffset
            serverEndpoint = (ByteRange(start: start, end: start + memo.addressLength), memo.port)
            knownServer = memo.server
        } else {
            serverEndpoint = Bytes.endpoint(base, endpointField)
        }
        let role = fileRole != .unknown ? fileRole : Role.fromLocalPort(serverEndpoint.port)
        let slot: Int
        if let knownServer, knownServer == addressRun.server, role == addressRun.role {
            addressRun.rows += 1
            slot = addressRun.slot
        } else if let streamServer, Self.slotKey(streamServer, role) == lastOwnSlot.key {
            // The server the folder names, in the same role as the row before.
            slot = lastOwnSlot.slot
        } else {
            slot = self.slot(ofOwnServer: base, address: serverEndpoint.address, role: role, known: knownServer)
        }
        if knownServer == nil {
            endpointMemo.remember(
                base, endpointField, address: serverEndpoint.address, port: serverEndpoint.port,
                server: slots[slot].server)
        }
        return Place(slot: slot, role: role, address: serverEndpoint.address, hasReadEndpoint: true)
    }

    /// The slot of the row's own server, named by the folder or by `address` (whose id may be `known`).
    @inline(__always)
    func slot(ofOwnServer base: UnsafePointer<UInt8>, address: ByteRange, role: Role, known: Int32? = nil)
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
            server = known ?? names.intern(base, address)
            if server != names.pooledID {
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
            slot = self.slot(of: server, role: role)
            lastOwnSlot = (key, slot)
        }
        if known != nil && streamServer == nil && server != names.pooledID && !localPlaceholders.contains(server) {
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

    /// The slot of `server` in `role`, opened if new.
    @inline(__always)
    func slot(of server: Int32, role: Role) -> Int {
        let key = Self.slotKey(server, role)
        if let slot = slotIndex[key] { return slot }
        slots.append(Slot(server: server, role: role))
        slotIndex[key] = slots.count - 1
        return slots.count - 1
    }

    /// Slots opened so far.
    var slotCount: Int { slots.count }

    /// The server id of a slot.
    @inline(__always)
    func server(ofSlot slot: Int) -> Int32 { slots[slot].server }

    /// The role of a slot.
    func role(ofSlot slot: Int) -> Role { slots[slot].role }

    /// The id of a session's own address (not loopback), kept among its slot's addresses.
    func noteOwnAddress(_ base: UnsafePointer<UInt8>, _ address: ByteRange, slot: Int) -> Int32 {
        let id = names.intern(base, address)
        if slots[slot].addresses.count < 8 && !slots[slot].addresses.contains(id) && id != names.pooledID {
            slots[slot].addresses.append(id)
        }
        return id
    }

    /// Keeps the bytes as `id`'s spelling when it has none, or the lesser of the two when they differ.
    func noteSpelling(_ id: Int32, _ base: UnsafePointer<UInt8>, _ range: ByteRange) {
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

    /// Counts a logon's location (`Location: ServerFqdn:`): where the stream's logons landed.
    func noteLocation(_ base: UnsafePointer<UInt8>, _ range: ByteRange) {
        let location = names.intern(base, range)
        // `(other)` names no server: it cannot be where logons landed.
        if location != names.pooledID {
            if spellings[location] == nil { spellings[location] = Bytes.string(base, range) }
            locationMentions[location, default: 0] += 1
        }
    }

    /// A server's name as logged, lower-cased.
    func loggedName(of id: Int32) -> String {
        spellings[id]?.lowercased() ?? names.string(id)
    }

    // MARK: - Names at the end

    /// A slot's own addresses, sorted, at most 8.
    func addresses(ofSlot slot: Int) -> [String] {
        Array(Set(slots[slot].addresses.map { names.string($0) }).sorted().prefix(8))
    }

    /// The slots of the servers past `nameLimit` (`(other)`), if any.
    var pooledSlots: [Int] {
        names.isFull ? slots.indices.filter { slots[$0].server == names.pooledID } : []
    }

    /// Names for every server id: the local placeholder becomes the stream's own address, and a back-end
    /// stream known only by address takes the FQDN its logons name (`Location: ServerFqdn:`).
    func resolveNames() -> StreamServerNames {
        endAddressRun()
        var renamed: [Int32: String] = [:]
        let dominant = dominantAddress()
        if let folderName = streamServer {
            // The folder names the server unless the logs name another: a back end's logons say where they
            // landed (`Location: ServerFqdn:`), and the logs win over an admin's filing.
            if let location = dominantLocation() {
                let name = spellings[location] ?? names.string(location)
                let hint = (spellings[folderName] ?? names.string(folderName)).lowercased()
                // Another server: the logs win. The same one, as an FQDN: the fuller name.
                if !ServerNames.sameServer(hint, name.lowercased()) || (!hint.contains(".") && name.contains(".")) {
                    renamed[folderName] = name
                }
            }
        } else {
            if addressRecords.writtenCount == 1, let address = dominant, let location = dominantLocation() {
                renamed[address] = spellings[location] ?? names.string(location)
            }
            func name(_ id: Int32) -> String { renamed[id] ?? spellings[id] ?? names.string(id) }
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
        return StreamServerNames(
            renamed: renamed, spellings: spellings, interner: names,
            slots: slots.map { (server: $0.server, role: $0.role) },
            fileServer: streamServer ?? dominant)
    }

    /// The server most of the stream's logons name as their location, when at least half of them name it.
    private func dominantLocation() -> Int32? {
        guard let (location, mentions) = locationMentions.max(by: { ($0.value, $1.key) < ($1.value, $0.key) }),
            mentions * 2 >= locationMentions.values.reduce(0, +)
        else { return nil }
        return location
    }

    /// The own address most rows came from (ties to the lowest id).
    private func dominantAddress() -> Int32? {
        var best: (id: Int32, count: Int)?
        addressRecords.forEachWritten { id, count in
            if best == nil || count > best.unsafelyUnwrapped.count { best = (id, count) }
        }
        return best?.id
    }
}

extension Role {
    /// The role's position in `allCases`, as a small number.
    fileprivate var index: Int {
        switch self {
        case .frontEnd: return 0
        case .backEnd: return 1
        case .unknown: return 2
        }
    }
}
