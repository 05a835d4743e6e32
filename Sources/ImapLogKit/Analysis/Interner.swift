/// Gives each distinct byte string (a command, a user, a server name) a small integer, so the hot
/// path counts into arrays and makes a `String` only once per distinct key.
///
/// An open-addressing table of ids; a hit is confirmed by comparing the bytes, never by hash alone. Used from
/// one thread (its analyzer's): its storage skips Swift's dynamic exclusivity checks.
final class Interner {
    /// The id returned once `limit` distinct keys are stored: everything new lands in one bucket.
    static let overflowID: Int32 = -2

    @exclusivity(unchecked) private var storage: [UInt8] = []
    @exclusivity(unchecked) private var starts: [Int] = []
    @exclusivity(unchecked) private var hashes: [UInt64] = []
    @exclusivity(unchecked) private var table: [Int32]
    @exclusivity(unchecked) private var mask: Int
    private let limit: Int
    private let lowercases: Bool

    /// - Parameters:
    ///   - limit: most distinct keys kept (bounds memory on hostile input).
    ///   - lowercases: fold ASCII case, so `LOGIN` and `login` are one key.
    init(limit: Int, lowercases: Bool) {
        self.limit = limit
        self.lowercases = lowercases
        self.table = [Int32](repeating: -1, count: 64)
        self.mask = 63
    }

    /// Number of distinct keys stored.
    var count: Int { starts.count }

    /// The id of the bytes in `range`, adding them if new.
    ///
    /// - Complexity: O(length) expected.
    @inline(__always)
    func intern(_ base: UnsafePointer<UInt8>, _ range: ByteRange) -> Int32 {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for i in range.start..<range.end {
            let b = lowercases ? Bytes.lowercased(base[i]) : base[i]
            hash = (hash ^ UInt64(b)) &* 0x0000_0100_0000_01b3
        }
        var slot = Int(truncatingIfNeeded: hash ^ (hash >> 29)) & mask
        while true {
            let id = table[slot]
            if id < 0 { break }
            if hashes[Int(id)] == hash && equals(Int(id), base, range) { return id }
            slot = (slot + 1) & mask
        }
        guard starts.count < limit else { return Self.overflowID }
        let id = Int32(starts.count)
        starts.append(storage.count)
        hashes.append(hash)
        for i in range.start..<range.end { storage.append(lowercases ? Bytes.lowercased(base[i]) : base[i]) }
        table[slot] = id
        if starts.count * 2 > table.count { grow() }
        return id
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
        guard id >= 0, Int(id) < starts.count else { return "(other)" }
        let start = starts[Int(id)]
        let end = Int(id) + 1 < starts.count ? starts[Int(id) + 1] : storage.count
        return String(decoding: storage[start..<end], as: UTF8.self)
    }

    @inline(__always)
    private func equals(_ id: Int, _ base: UnsafePointer<UInt8>, _ range: ByteRange) -> Bool {
        let start = starts[id]
        let end = id + 1 < starts.count ? starts[id + 1] : storage.count
        guard end - start == range.count else { return false }
        return storage.withUnsafeBufferPointer { stored in
            // Safe: start..<end lies inside `storage`, and range inside the caller's line.
            let kept = stored.baseAddress.unsafelyUnwrapped + start
            if !lowercases { return Platform.equalBytes(kept, base + range.start, count: range.count) }
            for k in 0..<range.count where kept[k] != Bytes.lowercased(base[range.start + k]) { return false }
            return true
        }
    }

    private func grow() {
        let size = table.count * 2
        table = [Int32](repeating: -1, count: size)
        mask = size - 1
        for id in 0..<starts.count {
            let hash = hashes[id]
            var slot = Int(truncatingIfNeeded: hash ^ (hash >> 29)) & mask
            while table[slot] >= 0 { slot = (slot + 1) & mask }
            table[slot] = Int32(id)
        }
    }
}
