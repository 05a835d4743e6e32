/// Gives each distinct byte string (a command, a user, a server name) a small integer, so the hot
/// path counts into arrays and makes a `String` only once per distinct key.
///
/// An open-addressing table of ids; a hit is confirmed by comparing the bytes, never by hash alone. Used from
/// one thread (its analyzer's). Its storage is raw memory it owns: an `Array` in a class property costs a
/// bounds check and a uniqueness check on every access, and this runs several times per record.
final class Interner {
    /// The key every new key is counted under once `limit` distinct keys are stored: never a host name, a user
    /// or a command Exchange writes, so it can stand in any table and never reaches a command the tool suggests.
    static let pooledKey = "(other)"

    /// The keys' bytes, end to end (lower-cased when folding case).
    private var storage: UnsafeMutablePointer<UInt8>
    private var storageCount = 0
    private var storageCapacity: Int
    /// `starts[id]` is where key `id` begins; `starts[count]` is the end of the last key.
    private var starts: UnsafeMutablePointer<Int>
    private var hashes: UnsafeMutablePointer<UInt64>
    /// Room in `starts` (one more than ids) and `hashes`.
    private var idCapacity: Int
    /// Number of distinct keys stored.
    private(set) var count = 0
    private var table: UnsafeMutablePointer<Int32>
    private var mask: Int
    private let limit: Int
    private let lowercases: Bool
    /// The id of `pooledKey`, once interned (-1 before): what `intern` returns for a new key past `limit`.
    private(set) var pooledID: Int32 = -1
    /// Whether a key was refused for the limit (and so counted under `pooledKey`).
    private(set) var isFull = false

    /// - Parameters:
    ///   - limit: most distinct keys kept (bounds memory on hostile input); past it, new keys are counted under
    ///     `pooledKey`, one key more.
    ///   - lowercases: fold ASCII case, so `LOGIN` and `login` are one key.
    init(limit: Int, lowercases: Bool) {
        self.limit = limit
        self.lowercases = lowercases
        storageCapacity = 256
        storage = .allocate(capacity: storageCapacity)
        idCapacity = 16
        starts = .allocate(capacity: idCapacity + 1)
        starts[0] = 0
        hashes = .allocate(capacity: idCapacity)
        table = .allocate(capacity: 64)
        table.initialize(repeating: -1, count: 64)
        mask = 63
        recent.initialize(repeating: RecentKey(), count: 64)
    }

    deinit {
        recent.deallocate()
        storage.deallocate()
        starts.deallocate()
        hashes.deallocate()
        table.deallocate()
    }

    /// The id of the bytes in `range`, adding them if new.
    ///
    /// - Complexity: O(length) expected; hashed and compared eight bytes at a time.
    @inline(__always)
    func intern(_ base: UnsafePointer<UInt8>, _ range: ByteRange) -> Int32 {
        let n = range.count
        guard n > 0 && n <= 16 else { return lookUp(base, range) }
        // A key of up to 16 bytes is first looked for, byte for byte as written (case not folded, so no hashing
        // and no folding), among the recent ones: commands repeat row after row. The key is read as the 16 bytes
        // ending where it ends, those before it cleared: `first` the last eight, `second` the eight before.
        let first: UInt64
        let second: UInt64
        if range.end >= 16 {
            // The 16 bytes are in the line: two loads and two masks, no branch on the key's length (which changes
            // from row to row).
            first = Bytes.word(base + range.end - 8) & (~0 &<< UInt64(8 * max(0, 8 - n)))
            second = Bytes.word(base + range.end - 16) & (n > 8 ? ~0 &<< UInt64(8 * (16 - n)) : 0)
        } else if n > 8 {
            first = Bytes.word(base + range.end - 8)
            second = Bytes.partialWord(base + range.start, count: n - 8) &<< UInt64(8 * (16 - n))
        } else {
            first = Bytes.partialWord(base + range.start, count: n) &<< UInt64(8 * (8 - n))
            second = 0
        }
        let mixed = (first ^ (second &* 0x9E37_79B9_7F4A_7C15)) &+ UInt64(n)
        let index = Int(truncatingIfNeeded: (mixed &* 0xFF51_AFD7_ED55_8CCD) &>> 58)
        let entry = recent[index]
        if entry.first == first && entry.second == second && entry.length == Int32(truncatingIfNeeded: n) {
            return entry.id
        }
        let id = lookUp(base, range)
        if id >= 0 { recent[index] = RecentKey(first: first, second: second, length: Int32(n), id: id) }
        return id
    }

    /// A key of up to 16 bytes as written, and its id.
    private struct RecentKey {
        var first: UInt64 = 0
        var second: UInt64 = 0
        /// 0: an empty entry (no key is empty here).
        var length: Int32 = 0
        var id: Int32 = -1
    }
    /// 64 recent keys, placed by a hash of their bytes.
    private let recent = UnsafeMutablePointer<RecentKey>.allocate(capacity: 64)

    /// The id of the bytes in `range` from the table, adding them if new.
    @inline(__always)
    private func lookUp(_ base: UnsafePointer<UInt8>, _ range: ByteRange) -> Int32 {
        let hash = hashBytes(base, range)
        var slot = Int(truncatingIfNeeded: hash ^ (hash >> 29)) & mask
        while true {
            let id = table[slot]
            if id < 0 { break }
            if hashes[Int(id)] == hash && equals(Int(id), base, range) { return id }
            slot = (slot + 1) & mask
        }
        // `pooledKey` itself is not counted against the limit.
        guard count < limit + (pooledID >= 0 ? 1 : 0) else { return pooled() }
        return add(base, range, hash: hash, slot: slot)
    }

    /// The id of `pooledKey` (interned past the limit if it must be), for a key that does not fit.
    private func pooled() -> Int32 {
        isFull = true
        if pooledID < 0 { pooledID = reservePooledID() }
        return pooledID
    }

    /// Interns `pooledKey` now, whatever the limit (at most one key past it), and returns its id.
    ///
    /// Called up front where the id should be small (a table indexed by id then stays short).
    @discardableResult
    func reservePooledID() -> Int32 {
        if pooledID >= 0 { return pooledID }
        var bytes = Array(Self.pooledKey.utf8)
        let id = bytes.withUnsafeMutableBufferPointer { buffer in
            let base = UnsafePointer(buffer.baseAddress.unsafelyUnwrapped)
            let range = ByteRange(start: 0, end: buffer.count)
            let hash = hashBytes(base, range)
            var slot = Int(truncatingIfNeeded: hash ^ (hash >> 29)) & mask
            while true {
                let id = table[slot]
                if id < 0 { break }
                if hashes[Int(id)] == hash && equals(Int(id), base, range) { return id }
                slot = (slot + 1) & mask
            }
            return add(base, range, hash: hash, slot: slot)
        }
        pooledID = id
        return id
    }

    private func add(_ base: UnsafePointer<UInt8>, _ range: ByteRange, hash: UInt64, slot: Int) -> Int32 {
        let n = range.count
        if storageCount + n > storageCapacity {
            storage = Self.grown(storage, count: storageCount, capacity: &storageCapacity, atLeast: storageCount + n)
        }
        if count == idCapacity {
            var capacity = idCapacity + 1
            starts = Self.grown(starts, count: count + 1, capacity: &capacity, atLeast: capacity + 1)
            idCapacity = capacity - 1
            hashes = Self.grown(hashes, count: count, capacity: &capacity, atLeast: idCapacity)
        }
        for k in 0..<n {
            let byte = base[range.start + k]
            storage[storageCount + k] = lowercases ? Bytes.lowercased(byte) : byte
        }
        storageCount += n
        let id = count
        hashes[id] = hash
        count += 1
        starts[count] = storageCount
        table[slot] = Int32(id)
        if count * 2 > mask + 1 { growTable() }
        return Int32(id)
    }

    /// A buffer holding the first `count` elements of `old`, with room for at least `atLeast`.
    private static func grown<T>(
        _ old: UnsafeMutablePointer<T>, count: Int, capacity: inout Int, atLeast: Int
    ) -> UnsafeMutablePointer<T> {
        var size = Swift.max(capacity * 2, 16)
        while size < atLeast { size *= 2 }
        let new = UnsafeMutablePointer<T>.allocate(capacity: size)
        new.moveInitialize(from: old, count: count)
        old.deallocate()
        capacity = size
        return new
    }

    /// A 64-bit hash of the bytes in `range` (case folded when the interner folds case), a word at a time.
    @inline(__always)
    private func hashBytes(_ base: UnsafePointer<UInt8>, _ range: ByteRange) -> UInt64 {
        let p = base + range.start
        let count = range.count
        var hash = UInt64(truncatingIfNeeded: count) &* 0x9E37_79B9_7F4A_7C15
        var i = 0
        while i + 8 <= count {
            let word = folded(Bytes.word(p + i))
            hash = (hash ^ word) &* 0xFF51_AFD7_ED55_8CCD
            hash ^= hash >> 31
            i += 8
        }
        if i < count {
            // The last eight bytes (overlapping the previous word) when there are eight: one load, no byte loop.
            let word = folded(count >= 8 ? Bytes.word(p + count - 8) : Bytes.shortWord(base, range))
            hash = (hash ^ word) &* 0xC4CE_B9FE_1A85_EC53
        }
        return hash ^ (hash >> 33)
    }

    @inline(__always)
    private func folded(_ word: UInt64) -> UInt64 {
        lowercases ? Bytes.lowercased(word: word) : word
    }

    /// Whether `id` stands for the bytes in `range` (compared as `intern` would), without hashing.
    @inline(__always)
    func holds(_ id: Int32, _ base: UnsafePointer<UInt8>, _ range: ByteRange) -> Bool {
        id >= 0 && Int(id) < count && equals(Int(id), base, range)
    }

    /// The host name `host(_:from:end:endingAt: .route)` would read at the start of `range` (a `proxy` row's
    /// parameters), when it is the key `id`; nil
    /// when it is not (or may not be).
    ///
    /// `id` must stand for such a host name (host bytes only, no trailing dot): then the key followed by the
    /// range's end or a byte a route's host name may end before (`CommandFacts.endsHostName`) is exactly what
    /// `host` returns.
    @inline(__always)
    func hostPrefix(_ id: Int32, _ base: UnsafePointer<UInt8>, _ range: ByteRange) -> ByteRange? {
        guard id >= 0, Int(id) < count else { return nil }
        let n = starts[Int(id) + 1] - starts[Int(id)]
        guard n > 0, n <= range.count else { return nil }
        if n < range.count && !CommandFacts.endsHostName(base[range.start + n], .route) { return nil }
        let prefix = ByteRange(start: range.start, end: range.start + n)
        return equals(Int(id), base, prefix) ? prefix : nil
    }

    /// The id of a string, adding it if new.
    func intern(_ text: String) -> Int32 {
        var bytes = Array(text.utf8)
        return bytes.withUnsafeMutableBufferPointer { buffer in
            // Safe: a zero-length buffer still has a non-nil base when created from an Array; guard anyway.
            guard let base = buffer.baseAddress else {
                return withUnsafePointer(to: 0 as UInt8) { intern($0, .empty) }
            }
            return intern(UnsafePointer(base), ByteRange(start: 0, end: buffer.count))
        }
    }

    /// The stored text of an id (lower-cased if the interner folds case).
    func string(_ id: Int32) -> String {
        guard id >= 0, Int(id) < count else { return Self.pooledKey }
        let start = starts[Int(id)]
        let end = starts[Int(id) + 1]
        return String(decoding: UnsafeBufferPointer(start: storage + start, count: end - start), as: UTF8.self)
    }

    @inline(__always)
    private func equals(_ id: Int, _ base: UnsafePointer<UInt8>, _ range: ByteRange) -> Bool {
        let start = starts[id]
        let n = range.count
        guard starts[id + 1] - start == n else { return false }
        let kept = UnsafePointer(storage + start)
        let probe = base + range.start
        if !lowercases { return Platform.equalBytes(kept, probe, count: n) }
        if n >= 8 && n <= 32 {
            // Most names: four words at 0, 8, 16 and the last eight bytes, each offset kept within the key (words
            // overlap), compared without a branch on the length (one the processor would often guess wrong).
            let last = n - 8
            @inline(__always) func difference(_ offset: Int) -> UInt64 {
                Bytes.word(kept + offset) ^ Bytes.lowercased(word: Bytes.word(probe + offset))
            }
            return difference(0) | difference(min(8, last)) | difference(min(16, last)) | difference(last) == 0
        }
        var i = 0
        while i + 8 <= n {
            if Bytes.word(kept + i) != Bytes.lowercased(word: Bytes.word(probe + i)) { return false }
            i += 8
        }
        if i < n && n >= 8 {
            // The tail as the last eight bytes, overlapping words already compared.
            return Bytes.word(kept + n - 8) == Bytes.lowercased(word: Bytes.word(probe + n - 8))
        }
        if n > 0 && n < 8 && start + n >= 8 && range.end >= 8 {
            // A short key: both as one word, each loaded as the eight bytes ending at its last byte.
            let shift = UInt64(64 - 8 * n)
            return Bytes.word(kept + n - 8) &>> shift
                == Bytes.lowercased(word: Bytes.word(base + range.end - 8) &>> shift)
        }
        while i < n {
            if kept[i] != Bytes.lowercased(probe[i]) { return false }
            i += 1
        }
        return true
    }

    private func growTable() {
        let size = (mask + 1) * 2
        table.deallocate()
        table = .allocate(capacity: size)
        table.initialize(repeating: -1, count: size)
        mask = size - 1
        for id in 0..<count {
            let hash = hashes[id]
            var slot = Int(truncatingIfNeeded: hash ^ (hash >> 29)) & mask
            while table[slot] >= 0 { slot = (slot + 1) & mask }
            table[slot] = Int32(id)
        }
    }
}
