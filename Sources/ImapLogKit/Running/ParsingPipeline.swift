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
    /// Parsed lines of one file (a batch never spans files), in the buffer they were read into.
    ///
    /// Raw buffers of fixed size, reused batch after batch: filling one costs stores, not array appends
    /// (each with its uniqueness check). One thread owns a batch at a time (the queue hands it over), so
    /// the properties skip Swift's dynamic exclusivity checks.
    private final class Batch: @unchecked Sendable {
        struct Entry {
            var lineNumber: Int
            var isUnterminated: Bool
            var outcome: RecordParser.Outcome
            var format: LogFormat
            var hasSeenHeader: Bool
            var time: Int64
            var sessionNumber: UInt64?
            /// Where the record's bytes start in `arena` (records only).
            var offset: Int
        }

        /// Half a MiB of lines (some 3,600 records): three batches in flight hold 4.8 MiB with their entries, field
        /// offsets and rows' facts (a 1 MiB arena gave the same speed: 1 GB through standard input in 3.5 s either
        /// way; a quarter-MiB one, no clear difference in 30 runs of a noisy hour).
        static let arenaCapacity = 1 << 19
        /// Lines per batch at most (a batch of short or skipped lines fills up before its arena does).
        static let entryCapacity = 4_096
        @exclusivity(unchecked) var fileIndex = 0
        /// The bytes as read, records as the parser left them (quotes removed): the line reader reads into it.
        let arena = UnsafeMutableRawPointer.allocate(byteCount: Batch.arenaCapacity, alignment: 64)
        let entries = UnsafeMutablePointer<Entry>.allocate(capacity: Batch.entryCapacity)
        /// A 2013+ record's facts, at its entry's index, when the batch `readsRowsAhead`.
        let rows = UnsafeMutablePointer<RowFacts>.allocate(capacity: Batch.entryCapacity)
        /// The parsing thread reads the rows' facts ahead for this batch: unless the counting thread ran out of
        /// batches while the one before was filled (the parsing thread is then the slower one), and never when a
        /// third thread decompresses the file (the parsing thread shares its core then: gzipped standard input got
        /// 5 % slower).
        ///
        /// 1 GB through standard input, five interleaved rounds on a quiet machine: 2.03-2.22 s this
        /// way, 2.19-2.27 s reading every batch's rows ahead, 2.39-2.49 s for the build before rows were read ahead;
        /// on a busy machine, reading every batch's ahead had been slower than that build (2.79-2.87 s against
        /// 2.50-2.68 s, three rounds).
        @exclusivity(unchecked) var readsRowsAhead = true
        @exclusivity(unchecked) var entryCount = 0
        /// `RecordParser.packedRangeCount` offsets per entry.
        let fields = UnsafeMutablePointer<UInt32>.allocate(
            capacity: Batch.entryCapacity * RecordParser.packedRangeCount)
        /// The file ends with this batch, perhaps with an error.
        @exclusivity(unchecked) var endsFile = false
        @exclusivity(unchecked) var error: ImapLogError?

        deinit {
            arena.deallocate()
            entries.deallocate()
            rows.deallocate()
            fields.deallocate()
        }

        var isFull: Bool { entryCount == Batch.entryCapacity }

        func reset(fileIndex: Int, readsRowsAhead: Bool) {
            self.fileIndex = fileIndex
            self.readsRowsAhead = readsRowsAhead
            entryCount = 0
            endsFile = false
            error = nil
        }

        /// Appends a line; a record's field ranges are copied from `parser` (its bytes are in `arena` already).
        @inline(__always)
        func append(_ entry: Entry, isRecord: Bool, parser: borrowing RecordParser) {
            let ranges = fields + entryCount * RecordParser.packedRangeCount
            if isRecord {
                parser.copyRanges(to: ranges)
                if readsRowsAhead && parser.format == .commandRows {
                    (rows + entryCount).initialize(to: RowFacts(parser))
                }
            } else {
                ranges.update(repeating: 0, count: RecordParser.packedRangeCount)
            }
            (entries + entryCount).initialize(to: entry)
            entryCount += 1
        }
    }

    /// The two threads' meeting point.
    private final class Queue: @unchecked Sendable {
        let condition = NSCondition()
        var filled: [Batch] = []
        var empty: [Batch] = []
        var isFinished = false

        init(depth: Int) { empty = (0..<depth).map { _ in Batch() } }

        /// Times the counting thread found no batch to count.
        private var starvedCount = 0
        /// `starvedCount` at the parsing thread's last `takeEmpty`.
        private var starvedSeen = 0

        /// An empty batch, and whether the counting thread ran out of batches since the last one was taken.
        func takeEmpty() -> (Batch, countingStarved: Bool) {
            condition.lock()
            while empty.isEmpty { condition.wait() }
            let batch = empty.removeLast()
            let starved = starvedCount != starvedSeen
            starvedSeen = starvedCount
            condition.unlock()
            return (batch, starved)
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
            if filled.isEmpty && !isFinished { starvedCount += 1 }
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
        var rowsAhead: AnalysisOptions.RowsAhead
    }

    /// Counts `stream` into `analyzer`, parsing on a second thread; returns the files' errors.
    static func analyse(
        stream: [LogInput], into analyzer: StreamAnalyzer, standardInput: Platform.Descriptor,
        rowsAhead: AnalysisOptions.RowsAhead = .whenCountingLags
    ) -> [ImapLogError] {
        let queue = Queue(depth: 3)
        let work = Work(stream: stream, standardInput: standardInput, queue: queue, rowsAhead: rowsAhead)
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
            let base = UnsafePointer(batch.arena.assumingMemoryBound(to: UInt8.self))
            for index in 0..<batch.entryCount {
                let entry = batch.entries[index]
                replay.replay(
                    base: base + entry.offset, fields: batch.fields + index * RecordParser.packedRangeCount,
                    time: entry.time,
                    sessionNumber: entry.sessionNumber, format: entry.format, hasSeenHeader: entry.hasSeenHeader)
                analyzer.account(
                    entry.outcome, lineNumber: entry.lineNumber, isUnterminated: entry.isUnterminated, parser: replay,
                    row: batch.readsRowsAhead ? batch.rows + index : nil)
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
    ///
    /// The line reader reads into the batches' arenas, so a record is parsed where it was read and not copied:
    /// a batch is sent on when the reader wants a fresh buffer (or its entries are all used).
    private static func produce(_ work: Work) {
        let reader = LineReader(bufferCapacity: Batch.arenaCapacity)
        for (fileIndex, input) in work.stream.enumerated() {
            let parser = RecordParser()
            // Whether this file's rows may be read ahead (not when decompressed), and then whether a batch's are.
            var mayReadRowsAhead = work.rowsAhead != .never
            func readsRowsAhead(countingStarved: Bool) -> Bool {
                mayReadRowsAhead && (work.rowsAhead == .always || !countingStarved)
            }
            var (batch, countingStarved) = work.queue.takeEmpty()
            batch.reset(fileIndex: fileIndex, readsRowsAhead: readsRowsAhead(countingStarved: countingStarved))
            // Read per line without retaining it (`batch` keeps it alive).
            var filling = Unmanaged.passUnretained(batch)
            // The batch taken above gives the first buffer; each later one sends the batch before it on.
            var hasGivenBuffer = false
            func supply() -> UnsafeMutableRawPointer {
                if hasGivenBuffer {
                    work.queue.push(batch)
                    (batch, countingStarved) = work.queue.takeEmpty()
                    batch.reset(fileIndex: fileIndex, readsRowsAhead: readsRowsAhead(countingStarved: countingStarved))
                    filling = Unmanaged.passUnretained(batch)
                }
                hasGivenBuffer = true
                return batch.arena
            }
            do {
                let opened = try input.open(standardInput: work.standardInput)
                let readsAhead = try input.benefitsFromReadingAhead(opened)
                let source = readsAhead ? PrefetchingByteSource(inner: opened) : opened
                mayReadRowsAhead = mayReadRowsAhead && !readsAhead
                batch.readsRowsAhead = readsRowsAhead(countingStarved: countingStarved)
                try reader.forEachLine(of: source, supply: supply) { line in
                    let outcome =
                        line.isOverlong ? RecordParser.Outcome.skipped(.overlongLine) : parser.parse(line.bytes)
                    let isRecord = outcome == .record
                    let isFull = filling._withUnsafeGuaranteedRef { batch in
                        batch.append(
                            Batch.Entry(
                                lineNumber: line.number, isUnterminated: line.isUnterminated, outcome: outcome,
                                format: parser.format, hasSeenHeader: parser.hasSeenHeader,
                                time: isRecord ? parser.time : 0,
                                sessionNumber: isRecord ? parser.sessionNumber : nil,
                                offset: isRecord ? UnsafeRawPointer(parser.base) - UnsafeRawPointer(batch.arena) : 0),
                            isRecord: isRecord, parser: parser)
                        return batch.isFull
                    }
                    // The lines after this one go to the next batch, in its arena.
                    if isFull { line.wantsFreshBuffer = true }
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
