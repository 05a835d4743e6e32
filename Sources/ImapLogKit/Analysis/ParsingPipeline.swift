import Foundation

/// One stream on two threads: one reads and parses lines (CSV, timestamps) into batches, the other counts
/// them.
///
/// For a run with a single stream (standard input, one server's logs), where the second core would
/// otherwise sit idle.
///
/// The counting thread sees exactly the lines, outcomes, bytes and field ranges the single-threaded path
/// would, file by file and in order, so the summary is the same.
enum ParsingPipeline {
    /// Parsed lines of one file (a batch never spans files).
    private final class Batch: @unchecked Sendable {
        struct Entry {
            var lineNumber: Int
            var isUnterminated: Bool
            var outcome: RecordParser.Outcome
            var format: LogFormat
            var hasSeenHeader: Bool
            var time: Int64
            /// Where the line's bytes start in `arena` (records only).
            var offset: Int
        }

        static let arenaCapacity = 1 << 20
        var fileIndex = 0
        /// The records' bytes, as the parser left them (quotes removed).
        var arena = [UInt8](repeating: 0, count: Batch.arenaCapacity)
        var arenaCount = 0
        var entries: [Entry] = []
        /// `LogField.count` ranges per entry.
        var fields: [ByteRange] = []
        /// The file ends with this batch, perhaps with an error.
        var endsFile = false
        var error: ImapLogError?

        func reset(fileIndex: Int) {
            self.fileIndex = fileIndex
            arenaCount = 0
            entries.removeAll(keepingCapacity: true)
            fields.removeAll(keepingCapacity: true)
            endsFile = false
            error = nil
        }
    }

    /// The two threads' meeting point.
    private final class Queue: @unchecked Sendable {
        let condition = NSCondition()
        var filled: [Batch] = []
        var empty: [Batch] = []
        var isFinished = false

        init(depth: Int) { empty = (0..<depth).map { _ in Batch() } }

        func takeEmpty() -> Batch {
            condition.lock()
            while empty.isEmpty { condition.wait() }
            let batch = empty.removeLast()
            condition.unlock()
            return batch
        }

        /// Changes the shared state under the lock and wakes the other thread.
        private func update(_ change: () -> Void) {
            condition.lock()
            change()
            condition.broadcast()
            condition.unlock()
        }

        func push(_ batch: Batch) { update { filled.append(batch) } }

        func finish() { update { isFinished = true } }

        func recycle(_ batch: Batch) { update { empty.append(batch) } }

        /// The next filled batch, or nil once the producer has finished and all were taken.
        func takeFilled() -> Batch? {
            condition.lock()
            while filled.isEmpty && !isFinished { condition.wait() }
            let batch = filled.isEmpty ? nil : filled.removeFirst()
            condition.unlock()
            return batch
        }

    }

    /// What the parsing thread needs, handed over whole.
    private struct Work: @unchecked Sendable {
        var stream: [LogInput]
        var standardInput: Platform.Descriptor
        var queue: Queue
    }

    /// Counts `stream` into `analyzer`, parsing on a second thread; returns the files' errors.
    static func analyse(stream: [LogInput], into analyzer: StreamAnalyzer, standardInput: Platform.Descriptor)
        -> [ImapLogError]
    {
        let queue = Queue(depth: 3)
        let work = Work(stream: stream, standardInput: standardInput, queue: queue)
        let done = DispatchSemaphore(value: 0)
        let thread = Thread {
            produce(work)
            done.signal()
        }
        thread.name = "imaplog parse"
        thread.start()

        var problems: [ImapLogError] = []
        let replay = RecordParser.replaying()
        var currentFile = -1
        while let batch = queue.takeFilled() {
            if batch.fileIndex != currentFile {
                currentFile = batch.fileIndex
                analyzer.beginFile(path: stream[currentFile].displayPath, role: stream[currentFile].role)
            }
            if !batch.entries.isEmpty {
                batch.arena.withUnsafeMutableBufferPointer { arena in
                    batch.fields.withUnsafeBufferPointer { fields in
                        // Safe: the arena is allocated at full size, and `fields` holds LogField.count ranges for
                        // every entry (empty ones for lines that are not records).
                        let base = UnsafePointer(arena.baseAddress.unsafelyUnwrapped)
                        let ranges = fields.baseAddress.unsafelyUnwrapped
                        for (index, entry) in batch.entries.enumerated() {
                            replay.replay(
                                base: base + entry.offset, fields: ranges + index * LogField.count, time: entry.time,
                                format: entry.format, hasSeenHeader: entry.hasSeenHeader)
                            analyzer.account(
                                entry.outcome, lineNumber: entry.lineNumber, isUnterminated: entry.isUnterminated,
                                parser: replay)
                        }
                    }
                }
            }
            if batch.endsFile {
                if let error = batch.error { problems.append(error) }
                analyzer.endFile(error: batch.error)
            }
            queue.recycle(batch)
        }
        done.wait()
        return problems
    }

    /// The parsing thread: every file of the stream, in order, into batches.
    private static func produce(_ work: Work) {
        let reader = LineReader()
        for (fileIndex, input) in work.stream.enumerated() {
            let parser = RecordParser()
            var batch = work.queue.takeEmpty()
            batch.reset(fileIndex: fileIndex)
            do {
                let opened = try input.open(standardInput: work.standardInput)
                let source = input.benefitsFromReadingAhead ? PrefetchingByteSource(inner: opened) : opened
                try reader.forEachLine(of: source) { line in
                    let outcome =
                        line.isOverlong ? RecordParser.Outcome.skipped(.overlongLine) : parser.parse(line.bytes)
                    let isRecord = outcome == .record
                    let length = isRecord ? parser.length : 0
                    if isRecord && batch.arenaCount + length > Batch.arenaCapacity {
                        work.queue.push(batch)
                        batch = work.queue.takeEmpty()
                        batch.reset(fileIndex: fileIndex)
                    }
                    let offset = batch.arenaCount
                    if isRecord {
                        batch.arena.withUnsafeMutableBufferPointer { arena in
                            // Safe: length ≤ the line cap, far below the arena's size, and room was made above.
                            (arena.baseAddress.unsafelyUnwrapped + offset).update(from: parser.base, count: length)
                        }
                        batch.arenaCount += length
                        for field in LogField.allCases { batch.fields.append(parser.range(field)) }
                    } else {
                        for _ in 0..<LogField.count { batch.fields.append(.empty) }
                    }
                    batch.entries.append(
                        Batch.Entry(
                            lineNumber: line.number, isUnterminated: line.isUnterminated, outcome: outcome,
                            format: parser.format, hasSeenHeader: parser.hasSeenHeader,
                            time: isRecord ? parser.time : 0, offset: offset))
                }
            } catch {
                batch.error = error
            }
            batch.endsFile = true
            work.queue.push(batch)
        }
        work.queue.finish()
    }
}
