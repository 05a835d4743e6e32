import Foundation

/// Packed minute days kept in a scratch file rather than in memory.
///
/// A year of a fleet's per-minute tables is tens of megabytes even packed and deflated; kept in memory they made
/// peak memory grow with the span times the servers. Past a table's first `MinuteTable.spillAbove` bytes, its
/// packed days are written here and read back when the diagnosis or the timeline goes through them, a day at a
/// time. The file holds numbers only (counts, durations, minutes), never log text, and is removed from its folder
/// as soon as it is made (`Platform.openScratchFile`), so nothing is left behind however the run ends.
///
/// Pages are stored in blocks of a power of two bytes (64 at least). A day read back and changed (a late minute)
/// is written again, and its old block is handed back (`free`) when no other copy of its table can still read it:
/// the next page of that size takes it. So timestamps in random order, each unpacking and packing a day again,
/// do not make the file grow without end. Where no scratch file can be made, or a write fails (a full disk),
/// `store` answers nil and the caller keeps the day in memory, as it did before.
package final class SpillFile: @unchecked Sendable {
    /// Where a stored page is.
    struct Location: Sendable, Equatable {
        var offset: Int64
        var count: Int32
    }

    /// The process's one spill file, opened on first use.
    static let shared = SpillFile()

    // Guards `descriptor`, `isUnavailable` and `length`: a page's place is taken under the lock, then written
    // outside it (positioned writes and reads do not share a file position, so they need no lock).
    private let lock = NSLock()
    private var descriptor: Platform.Descriptor?
    private var isUnavailable = false
    private var length: Int64 = 0
    /// Blocks handed back, by size: offsets to reuse.
    private var freeBlocks: [Int: [Int64]] = [:]

    /// The block a page of `count` bytes takes: the next power of two, 64 at least.
    static func blockSize(_ count: Int) -> Int {
        max(64, 1 << (Int.bitWidth - (count - 1).leadingZeroBitCount))
    }

    /// A spill file in the usual folders (`Platform.openScratchFile`), or, for tests, none at all.
    package init(isAvailable: Bool = true) {
        isUnavailable = !isAvailable
    }

    /// A spill file writing to `descriptor` (for tests: one that refuses writes, as a full disk does).
    package init(descriptor: Platform.Descriptor) {
        self.descriptor = descriptor
    }

    /// The bytes written so far (for tests and measurements).
    package var byteCount: Int64 {
        lock.lock()
        defer { lock.unlock() }
        return length
    }

    /// Writes `page` and says where it is; nil when it could not be written (the caller keeps it).
    func store(_ page: [UInt8]) -> Location? {
        guard !page.isEmpty, page.count <= Int(Int32.max) else { return nil }
        lock.lock()
        if descriptor == nil && !isUnavailable {
            descriptor = Platform.openScratchFile()
            isUnavailable = descriptor == nil
        }
        guard !isUnavailable, let fd = descriptor else {
            lock.unlock()
            return nil
        }
        let block = Self.blockSize(page.count)
        let offset: Int64
        if let reused = freeBlocks[block]?.popLast() {
            offset = reused
        } else {
            offset = length
            length += Int64(block)
        }
        lock.unlock()
        guard page.withUnsafeBytes({ Platform.writeAll(fd, $0, at: offset) }) else {
            // A full disk: no more pages go to the file (each would fail the same way); the hole stays unused.
            lock.lock()
            isUnavailable = true
            lock.unlock()
            return nil
        }
        return Location(offset: offset, count: Int32(page.count))
    }

    /// Hands back the block of a page no table will read again: the next page of its size is written there.
    func free(_ location: Location) {
        lock.lock()
        freeBlocks[Self.blockSize(Int(location.count)), default: []].append(location.offset)
        lock.unlock()
    }

    /// The page stored at `location`.
    ///
    /// The file is this process's own and was written before `store` returned, so a read can fail only on a
    /// failing disk; the numbers are then gone, and reporting wrong ones instead would be worse than stopping.
    func load(_ location: Location) -> [UInt8] {
        lock.lock()
        let fd = descriptor
        lock.unlock()
        guard let fd else { preconditionFailure("a spilled page without a spill file") }
        let count = Int(location.count)
        return [UInt8](unsafeUninitializedCapacity: count) { buffer, initialized in
            var done = 0
            while done < count {
                let piece = UnsafeMutableRawBufferPointer(rebasing: UnsafeMutableRawBufferPointer(buffer)[done...])
                let outcome = Platform.read(fd, into: piece, at: location.offset + Int64(done))
                guard case .success(let n) = outcome, n > 0 else {
                    preconditionFailure("imaplog could not read back its scratch file (in TMPDIR, /var/tmp or /tmp)")
                }
                done += n
            }
            initialized = count
        }
    }
}
