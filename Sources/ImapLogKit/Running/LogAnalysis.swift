import Dispatch
import Foundation

/// What a run produced: the counts, and the inputs that could not be (fully) read.
package struct AnalysisResult: Sendable {
    /// The IMAP logs' counts, and the POP3 logs' lines (files and skipped lines only, so every line read is
    /// accounted for).
    package var summary: Summary
    /// What the POP3 logs held, kept apart: never counted into the IMAP monitors; nil when none was read.
    package var pop3: Summary?
    /// Problems met while planning (missing paths) and reading (I/O errors), in input order.
    package var problems: [ImapLogError]
}

/// Reads a plan's streams, in parallel, and merges what they held.
package enum LogAnalysis {
    /// Analyses every input of `plan`.
    ///
    /// Streams are read by up to `options.workerCount` threads (default: one per core); each produces a
    /// `Summary`, and they merge in stream order, so the result does not depend on the thread count.
    package static func run(
        plan: InputPlan, options: AnalysisOptions, standardInput: Platform.Descriptor = Platform.standardInput
    ) -> AnalysisResult {
        let streams = plan.streams
        let merger = OrderedMerger(isPOP3: streams.map { $0.first.map(isPOP3) ?? false })
        merger.total.ignoredFiles = plan.ignoredFileCount
        // One entry per input: reserved at once, the list does not double its way up (2 MB spare at 18,660 files).
        merger.total.files.reserveCapacity(plan.inputCount)
        merger.problems = plan.problems
        let workers = options.workerCount > 0 ? options.workerCount : ProcessInfo.processInfo.activeProcessorCount
        if workers <= 1 || streams.count <= 1 {
            // A single stream leaves a core idle: it reads and parses there, counts here.
            let pipelined = workers > 1 && streams.count == 1
            for (index, stream) in streams.enumerated() {
                merger.deliver(
                    index,
                    analyse(stream: stream, options: options, standardInput: standardInput, pipelined: pipelined))
            }
        } else {
            let next = OrderedMerger.Counter()
            let spareCores = SpareCores()
            DispatchQueue.concurrentPerform(iterations: min(workers, streams.count)) { _ in
                while let index = next.take(below: streams.count) {
                    merger.deliver(
                        index,
                        analyse(
                            stream: streams[index], options: options, standardInput: standardInput,
                            spareCores: spareCores))
                }
                // No stream left to start: this core can parse for a stream still being read.
                spareCores.give()
            }
        }
        return AnalysisResult(summary: merger.total, pop3: merger.pop3, problems: merger.problems)
    }

    /// Whether an input is a POP3 log (`POP3*.LOG`, `POP3BE*.LOG`), by its file name.
    static func isPOP3(_ input: LogInput) -> Bool {
        FileSummary.isPOP3(path: input.displayPath)
    }

    /// Reads one stream's files in order into one summary.
    ///
    /// A stream read alone on its core switches, at its next file, to parsing on a core that `spareCores`
    /// says has nothing left to do (the same counts either way: see `ParsingPipeline`).
    static func analyse(
        stream: [LogInput], options: AnalysisOptions, standardInput: Platform.Descriptor, pipelined: Bool = false,
        spareCores: SpareCores? = nil
    ) -> (Summary, [ImapLogError]) {
        let analyzer = StreamAnalyzer(options: options, serverHint: stream.first?.serverHint)
        // One thread reads and parses (a third reads ahead from compressed input and pipes), the other counts.
        if pipelined {
            let problems = ParsingPipeline.analyse(
                stream: stream, into: analyzer, standardInput: standardInput, rowsAhead: options.readsRowsAhead)
            let summary = analyzer.finishStream()
            Platform.releaseFreeMemory()
            return (summary, problems)
        }
        let reader = LineReader()
        var problems: [ImapLogError] = []
        for (index, input) in stream.enumerated() {
            if let spareCores, spareCores.take() {
                problems += ParsingPipeline.analyse(
                    stream: Array(stream[index...]), into: analyzer, standardInput: standardInput,
                    rowsAhead: options.readsRowsAhead)
                spareCores.give()
                break
            }
            // Each file states its own schema; sessions, though, carry on across a roll-over.
            let parser = RecordParser()
            analyzer.beginFile(path: input.displayPath, role: input.role)
            var failure: ImapLogError?
            do {
                let source = try input.open(standardInput: standardInput)
                try reader.forEachLine(of: source) { line in
                    analyzer.account(line: &line, parser: parser)
                }
            } catch {
                failure = error
                problems.append(error)
            }
            analyzer.endFile(error: failure)
        }
        let summary = analyzer.finishStream()
        Platform.releaseFreeMemory()
        return (summary, problems)
    }

    /// Analyses bytes held in memory (tests, fuzzing), as one stream named `path`.
    package static func analyse(
        bytes: [UInt8], path: String = "-", role: Role = .unknown, options: AnalysisOptions = .init()
    )
        -> Summary
    {
        let analyzer = StreamAnalyzer(options: options, serverHint: nil)
        let parser = RecordParser()
        analyzer.beginFile(path: path, role: role)
        let source = SniffingByteSource(inner: MemoryByteSource(bytes), path: path, detectsGzip: true)
        var failure: ImapLogError?
        do {
            try LineReader().forEachLine(of: source) { line in analyzer.account(line: &line, parser: parser) }
        } catch {
            failure = error
        }
        analyzer.endFile(error: failure)
        return analyzer.finishStream()
    }
}

/// Cores whose worker found no stream left to start: a stream still being read may take one to parse on.
///
/// `@unchecked Sendable`: every access to the count holds `lock`.
final class SpareCores: @unchecked Sendable {
    private let lock = NSLock()
    private var count = 0
    /// Tests: a core turns spare at this `take` (counted from 1), so a stream switches at that file.
    private var spareAtTake: Int
    private var takes = 0

    init(spareAtTake: Int = 0) { self.spareAtTake = spareAtTake }

    /// Takes a spare core, if there is one.
    func take() -> Bool {
        lock.lock()
        defer { lock.unlock() }
        takes += 1
        if takes == spareAtTake { count += 1 }
        guard count > 0 else { return false }
        count -= 1
        return true
    }

    /// Hands a core back (or offers a worker's own once it is done).
    func give() {
        lock.lock()
        count += 1
        lock.unlock()
    }
}

/// Merges the streams' summaries in stream order as they arrive, so only the ones that finish early wait:
/// the result does not depend on the number of threads, and memory holds about one summary per worker.
///
/// `@unchecked Sendable`: every access to the mutable state holds `lock`.
final class OrderedMerger: @unchecked Sendable {
    private let lock = NSLock()
    private var waiting: [Int: (Summary, [ImapLogError])] = [:]
    private var nextIndex = 0
    /// Which streams are POP3 logs.
    private let isPOP3: [Bool]
    var total = Summary()
    var pop3: Summary?
    var problems: [ImapLogError] = []

    init(isPOP3: [Bool]) {
        self.isPOP3 = isPOP3
    }

    func deliver(_ index: Int, _ result: (Summary, [ImapLogError])) {
        lock.lock()
        defer { lock.unlock() }
        waiting[index] = result
        while let (summary, streamProblems) = waiting.removeValue(forKey: nextIndex) {
            if nextIndex < isPOP3.count && isPOP3[nextIndex] {
                // The IMAP summary keeps only the lines, so they add up; the rest is POP3's.
                var lines = Summary()
                lines.files = summary.files
                lines.skippedByReason = summary.skippedByReason
                total.merge(lines)
                pop3 = pop3 ?? Summary()
                pop3?.merge(summary)
            } else {
                total.merge(summary)
            }
            problems += streamProblems
            nextIndex += 1
        }
    }

    /// Hands out stream indices to workers.
    final class Counter: @unchecked Sendable {
        private let lock = NSLock()
        private var value = 0

        func take(below limit: Int) -> Int? {
            lock.lock()
            defer { lock.unlock() }
            guard value < limit else { return nil }
            value += 1
            return value - 1
        }
    }
}
