/// The open sessions of one stream, keyed by (session id, server slot), without Swift's hashed dictionary.
///
/// Every record looks its session up, so this is on the hot path: a `Dictionary` costs a seeded SipHash
/// per lookup and copies its value in and out. Here the key is hashed with one multiplication, the table is
/// open addressing with linear probing and backward-shift deletion (no tombstones), and values live in a
/// dense buffer reused through a free list, where a row's session is read and written in place (`pointer(at:)`).
///
/// One owner: copies of a table share its values.
struct SessionTable<Value> {
    /// A session's identity: its numeric id and the slot (server and role) it belongs to (slot `Int32.min` is
    /// reserved: it marks a free position).
    struct Key: Equatable {
        var id: UInt64
        var slot: Int32
    }

    private static var freeKey: Key { Key(id: 0, slot: .min) }

    private var index: [Int32]
    private var mask: Int
    private var keys: ContiguousArray<Key> = []
    /// By position (a position freed keeps its old value until reused).
    private let values = RecordTable<Value>()
    private var free: [Int32] = []
    /// Number of sessions stored.
    private(set) var count = 0

    init() {
        index = [Int32](repeating: -1, count: 1024)
        mask = 1023
    }

    @inline(__always)
    private func home(_ key: Key) -> Int {
        let mixed = (key.id ^ (UInt64(UInt32(bitPattern: key.slot)) << 40)) &* 0x9E37_79B9_7F4A_7C15
        return Int(truncatingIfNeeded: mixed >> 32) & mask
    }

    /// The position of `key`'s value, or nil.
    @inline(__always)
    func find(_ key: Key) -> Int? {
        var p = home(key)
        while true {
            let entry = index[p]
            if entry < 0 { return nil }
            if keys[Int(entry)] == key { return Int(entry) }
            p = (p + 1) & mask
        }
    }

    /// The value at a position `find` or `insert` returned.
    @inline(__always)
    subscript(position: Int) -> Value {
        get { values[position] }
        nonmutating set { values[position] = newValue }
    }

    /// Where the value at a position `find` or `insert` returned lives, to read and write it in place: valid
    /// until the next `insert`, `remove` or `removeAll`.
    @inline(__always)
    func pointer(at position: Int) -> UnsafeMutablePointer<Value> {
        values.pointer(at: position)
    }

    /// Stores a new key (not present) with its value; returns its position.
    @discardableResult
    mutating func insert(_ key: Key, _ value: Value) -> Int {
        precondition(key.slot != Self.freeKey.slot, "slot Int32.min is reserved")
        if (count + 1) * 2 > index.count { grow() }
        let position: Int
        if let reused = free.popLast() {
            position = Int(reused)
            keys[position] = key
            values[position] = value
        } else {
            position = keys.count
            keys.append(key)
            values.append(value)
        }
        var p = home(key)
        while index[p] >= 0 { p = (p + 1) & mask }
        index[p] = Int32(position)
        count += 1
        return position
    }

    /// Removes the key and returns its value, or nil when absent.
    @discardableResult
    mutating func remove(_ key: Key) -> Value? {
        var p = home(key)
        while true {
            let entry = index[p]
            if entry < 0 { return nil }
            if keys[Int(entry)] == key { break }
            p = (p + 1) & mask
        }
        let position = Int(index[p])
        let value = values[position]
        keys[position] = Self.freeKey
        free.append(Int32(position))
        count -= 1
        // Backward-shift deletion: pull later entries of the same probe run into the hole.
        var hole = p
        var j = p
        while true {
            j = (j + 1) & mask
            let entry = index[j]
            if entry < 0 { break }
            let wanted = home(keys[Int(entry)])
            // Move the entry when its home is not cyclically within (hole, j].
            let stays = hole <= j ? (wanted > hole && wanted <= j) : (wanted > hole || wanted <= j)
            if !stays {
                index[hole] = entry
                hole = j
            }
        }
        index[hole] = -1
        return value
    }

    /// Every key and value, in the order of `areInIncreasingOrder` on keys.
    func sorted(by areInIncreasingOrder: (Key, Key) -> Bool) -> [(Key, Value)] {
        var result: [(Key, Value)] = []
        result.reserveCapacity(count)
        for position in 0..<keys.count where keys[position] != Self.freeKey {
            result.append((keys[position], values[position]))
        }
        result.sort { areInIncreasingOrder($0.0, $1.0) }
        return result
    }

    /// Calls `body` with every key and value, in no particular order.
    func forEach(_ body: (Key, Value) -> Void) {
        for position in 0..<keys.count where keys[position] != Self.freeKey { body(keys[position], values[position]) }
    }

    /// Forgets everything, keeping the storage.
    mutating func removeAll() {
        for p in 0..<index.count { index[p] = -1 }
        keys.removeAll(keepingCapacity: true)
        values.removeAll()
        free.removeAll(keepingCapacity: true)
        count = 0
    }

    private mutating func grow() {
        let size = index.count * 2
        index = [Int32](repeating: -1, count: size)
        mask = size - 1
        for position in 0..<keys.count where keys[position] != Self.freeKey {
            var p = home(keys[position])
            while index[p] >= 0 { p = (p + 1) & mask }
            index[p] = Int32(position)
        }
    }
}
