import Foundation

/// Reads another source on a thread of its own, a few chunks ahead: decompressing (and reading a pipe)
/// then runs on one core while the records are counted on the other.
///
/// Used by the parsing thread of a single-stream run (`ParsingPipeline`) for compressed input and pipes.
/// The bytes handed out are exactly the inner source's, in order; an error of the inner source comes out
/// after the bytes read before it, as it would without the thread.
final class PrefetchingByteSource: ByteSource {
    /// What the two threads share, guarded by `condition`.
    private final class Shared: @unchecked Sendable {
        let condition = NSCondition()
        /// Filled chunks, oldest first, and how many bytes each holds.
        var filled: [(bytes: [UInt8], count: Int)] = []
        /// Chunks ready to be filled again.
        var empty: [[UInt8]] = []
        var isAtEnd = false
        var failure: ImapLogError?
        /// The reader went away: stop reading.
        var isCancelled = false
    }

    /// The inner source, handed to the reading thread (which alone uses it).
    private final class Handoff: @unchecked Sendable {
        let source: ByteSource
        init(_ source: ByteSource) { self.source = source }
    }

    private let shared = Shared()
    private var current: [UInt8] = []
    private var currentCount = 0
    private var offset = 0

    /// - Parameters:
    ///   - chunkSize: bytes per chunk.
    ///   - depth: chunks in flight (memory: `chunkSize × (depth + 1)`).
    init(inner: ByteSource, chunkSize: Int = 1 << 18, depth: Int = 4) {
        shared.empty = (0..<depth).map { _ in [UInt8](repeating: 0, count: chunkSize) }
        let shared = self.shared
        let handoff = Handoff(inner)
        let thread = Thread {
            Self.fill(from: handoff.source, into: shared)
        }
        thread.name = "imaplog read-ahead"
        thread.start()
    }

    deinit {
        shared.condition.lock()
        shared.isCancelled = true
        shared.condition.broadcast()
        shared.condition.unlock()
    }

    func read(into buffer: UnsafeMutableRawBufferPointer) throws(ImapLogError) -> Int {
        guard buffer.count > 0 else { return 0 }
        if offset == currentCount {
            shared.condition.lock()
            if currentCount > 0 || !current.isEmpty {
                shared.empty.append(current)
                shared.condition.broadcast()
            }
            current = []
            currentCount = 0
            offset = 0
            while shared.filled.isEmpty && !shared.isAtEnd { shared.condition.wait() }
            guard !shared.filled.isEmpty else {
                let failure = shared.failure
                shared.condition.unlock()
                if let failure { throw failure }
                return 0
            }
            let next = shared.filled.removeFirst()
            shared.condition.unlock()
            current = next.bytes
            currentCount = next.count
        }
        let n = min(buffer.count, currentCount - offset)
        current.withUnsafeBytes { raw in
            buffer.baseAddress.unsafelyUnwrapped.copyMemory(
                from: raw.baseAddress.unsafelyUnwrapped + offset, byteCount: n)
        }
        offset += n
        return n
    }

    /// The reading thread: fills empty chunks until the end, an error, or cancellation.
    private static func fill(from source: ByteSource, into shared: Shared) {
        while true {
            shared.condition.lock()
            while shared.empty.isEmpty && !shared.isCancelled { shared.condition.wait() }
            if shared.isCancelled {
                shared.condition.unlock()
                return
            }
            var chunk = shared.empty.removeLast()
            shared.condition.unlock()

            var count = 0
            var failure: ImapLogError?
            var isAtEnd = false
            // Fill the chunk (a pipe or a decompressor hands out less than asked).
            while count < chunk.count {
                do {
                    let n = try chunk.withUnsafeMutableBytes { raw in
                        Result { () throws(ImapLogError) -> Int in
                            try source.read(into: UnsafeMutableRawBufferPointer(rebasing: raw[count...]))
                        }
                    }.get()
                    if n == 0 {
                        isAtEnd = true
                        break
                    }
                    count += n
                } catch {
                    failure = error
                    isAtEnd = true
                    break
                }
            }
            shared.condition.lock()
            if count > 0 { shared.filled.append((chunk, count)) } else { shared.empty.append(chunk) }
            if isAtEnd {
                shared.isAtEnd = true
                shared.failure = failure
            }
            shared.condition.broadcast()
            shared.condition.unlock()
            if isAtEnd { return }
        }
    }
}
