/// Follows logs as Exchange writes them (`imaplog watch`): looks again at the paths at each `poll()`, reads what
/// was added, and counts it twice.
///
/// - **The exact count**: one `StreamAnalyzer` per stream, fed each file's lines in the order a batch run reads
///   them and never finished until `finish()`. Sessions carry on across looks and roll-over, so the final result
///   is the one a batch run over the same lines gives.
/// - **The live count** (`live`): each look's new lines counted on their own, one analyzer a stream, finished
///   at once and merged into a running summary. Only a session whose rows straddle two looks is counted
///   differently (twice, its later rows without what its first ones said): good enough to watch, never reported.
///
/// What is followed, as a batch run plans it (`InputDiscovery.plan`): a plain file is read up to its last line end
/// (the line still being written waits for its end); a file cut short or replaced (another identity) starts again
/// as a new file of the same name; one that disappears (retention, a share gone) keeps what was counted, and goes
/// on where it was if it comes back unchanged; `.gz` and `.zip` logs are read whole once. No descriptor is kept
/// between looks. Memory: the analyzers' bounded tables, one read buffer, one entry a file.
package final class LogFollower {
    /// What one look found.
    package struct Progress: Sendable {
        /// Lines and records counted in this look.
        package var lines = 0
        package var records = 0
        /// Logs met for the first time, started again (cut short or replaced), and no longer found.
        package var newFiles: [String] = []
        package var restartedFiles: [String] = []
        package var goneFiles: [String] = []
        /// Files that came back after being gone.
        package var returnedFiles: [String] = []
        /// Paths that could not be searched or read at this look (a share gone): tried again at the next.
        package var problems: [ImapLogError] = []
        /// Bytes written to the logs and not read yet (more than one look's worth, when catching up).
        package var bytesBehind: Int64 = 0
        /// Each server's commands' latencies in this look (by `ServerKey`), and the span of the look's rows.
        package var latencies: [ServerKey: LatencyHistogram] = [:]
        package var first: Int64?
        package var last: Int64?
        /// The servers (`FileSummary.server`, else the file's path) whose logs gained records in this look.
        package var writers: Set<String> = []
    }

    /// Most bytes read in one look: a long catch-up is read over several looks, each shown.
    package static let bytesPerLook: Int64 = 256 << 20
    /// How many times its own cost the next search of the folders waits, once a search takes `costlySearch` ms
    /// or more (a cheaper one is made at every look).
    static let searchCostShare: Int64 = 10
    static let costlySearch: Int64 = 50
    /// Looks a file may stay unchanged and still be looked at every time, not only at each search.
    static let activeLooks = 12
    /// Looks a file may stay unchanged and keep its parsers.
    static let idleLooksKept = 2
    /// Bytes read at a time.
    static let chunkSize = 8 << 20

    private final class Stream {
        let key: String
        let isPOP3: Bool
        let exact: StreamAnalyzer
        /// The file the exact analyzer is counting (its place in `files`).
        var openFile: Int?

        init(key: String, isPOP3: Bool, options: AnalysisOptions, serverHint: String?) {
            self.key = key
            self.isPOP3 = isPOP3
            exact = StreamAnalyzer(options: options, serverHint: serverHint)
        }
    }

    private let paths: [String]
    private let options: AnalysisOptions
    private var streams: [Stream] = []
    private var streamByKey: [String: Int] = [:]
    private var files: [FollowedFile] = []
    private var fileByPath: [String: Int] = [:]
    /// The files in reading order (`readingOrder()`), made again when files are added.
    private var order: [Int] = []
    /// When (the machine's clock) the folders are next searched.
    private var nextSearch = Int64.min
    /// Whether the first look starts at the files' ends (`--since now`).
    private var startsAtEnd: Bool
    /// The latest folder search's problems and ignored files (for the final result).
    private var planProblems: [ImapLogError] = []
    private var ignoredFiles = 0
    /// Problems reading logs, kept until read again without one.
    private var readProblems: [String: ImapLogError] = [:]
    private let chunk: UnsafeMutableRawBufferPointer
    private let reader = LineReader()

    /// The live count: everything read up to the last `refreshLive()`, each look's new lines counted on their own.
    package private(set) var live = Summary()
    /// What the looks since then read, waiting to be added to `live`.
    private var pending = Summary()
    private var pendingFiles: [(key: String, file: FileSummary)] = []
    /// Lines and records read so far, and the newest row's time.
    package private(set) var linesRead = 0
    package private(set) var recordsRead = 0
    package private(set) var newestRow: Int64?
    /// Where each file (and generation) is in `live.files`.
    private var liveFileIndex: [String: Int] = [:]

    /// Follows `paths` (files, folders, patterns; not standard input).
    ///
    /// - Parameter startsAtEnd: the first look skips what the files already hold (`--since now`).
    package init(paths: [String], options: AnalysisOptions, startsAtEnd: Bool = false) {
        self.paths = paths
        self.options = options
        self.startsAtEnd = startsAtEnd
        chunk = .allocate(byteCount: Self.chunkSize, alignment: 64)
    }

    deinit {
        chunk.deallocate()
    }

    /// The paths the latest folder search could not use (missing, not a log, a damaged archive): not read at all.
    package var notRead: [ImapLogError] { planProblems }

    /// The logs met that the latest look did not find (removed, or on a share gone for now).
    package var goneFiles: [String] { files.filter { !$0.isPresent }.map(\.input.displayPath) }

    /// How many logs have been met.
    package var fileCount: Int { files.count }

    /// Looks at the paths again and reads what was added since the last look, at most `bytesPerLook` bytes.
    package func poll() -> Progress {
        var progress = Progress()
        // The folders are searched again after ten times what the last search took (a folder of 200,000 logs
        // takes seconds). Files that grew lately are looked at every time; the others at each search.
        let started = Platform.nowMilliseconds()
        let searches = started >= nextSearch
        if searches {
            search(&progress)
            let cost = Platform.nowMilliseconds() - started
            nextSearch = cost >= Self.costlySearch ? started + Self.searchCostShare * cost : .min
        } else {
            progress.problems = planProblems
        }

        // Read in the batch's order: streams by key, each file in roll-over order.
        var segments: [Int: Segment]? = [:]
        var budget = Self.bytesPerLook
        if order.count != files.count { order = readingOrder() }
        for (position, index) in order.enumerated()
        where files[index].isPresent && (searches || files[index].idleLooks < Self.activeLooks) {
            read(file: index, segments: &segments, budget: &budget, progress: &progress)
            // A file rolled over from (the next in order is of its stream) seldom grows again: its parsers go
            // now, not after a few looks, or a first look over 50,000 logs holds 100,000 parsers (300 MB).
            if position + 1 < order.count && files[order[position + 1]].stream == files[index].stream {
                files[index].parsers = nil
            }
        }
        progress.problems += readProblems.keys.sorted().compactMap { readProblems[$0] }
        startsAtEnd = false
        for index in files.indices {
            files[index].idleLooks += 1
            if files[index].idleLooks > Self.idleLooksKept { files[index].parsers = nil }
        }
        for (_, segment) in (segments ?? [:]).sorted(by: { $0.key < $1.key }) {
            addToLive(segment.finish(), progress: &progress)
        }
        return progress
    }

    /// Searches the paths again: new logs, logs gone, logs back.
    private func search(_ progress: inout Progress) {
        let plan = InputDiscovery.plan(paths: paths)
        planProblems = plan.problems
        ignoredFiles = plan.ignoredFileCount
        progress.problems = plan.problems

        var found = Set<Int>()
        for (stream, key) in zip(plan.streams, plan.streamKeys) {
            let streamIndex = self.stream(key: key, first: stream[0])
            for input in stream where input.location != .standardInput {
                if let known = fileByPath[input.displayPath] {
                    found.insert(known)
                    if !files[known].isPresent {
                        files[known].isPresent = true
                        progress.returnedFiles.append(input.displayPath)
                    }
                } else {
                    fileByPath[input.displayPath] = files.count
                    found.insert(files.count)
                    files.append(FollowedFile(input: input, stream: streamIndex))
                    progress.newFiles.append(input.displayPath)
                }
            }
        }
        for index in files.indices where files[index].isPresent && !found.contains(index) {
            files[index].isPresent = false
            progress.goneFiles.append(files[index].input.displayPath)
        }
    }

    /// The files in the order a batch run reads them: by stream key, then roll-over order, then path.
    private func readingOrder() -> [Int] {
        files.indices.sorted {
            let (a, b) = (files[$0], files[$1])
            if a.stream != b.stream { return streams[a.stream].key < streams[b.stream].key }
            let (ka, kb) = (Self.orderKey(a.input), Self.orderKey(b.input))
            return ka != kb ? ka < kb : a.input.displayPath < b.input.displayPath
        }
    }

    private static func orderKey(_ input: LogInput) -> String {
        let name = input.displayPath.split(whereSeparator: { $0 == "/" || $0 == "!" }).last.map(String.init) ?? ""
        return LogFileName.parse(name)?.rollOverKey ?? input.displayPath
    }

    /// The stream of `key`, made when first met.
    private func stream(key: String, first: LogInput) -> Int {
        if let known = streamByKey[key] { return known }
        streamByKey[key] = streams.count
        streams.append(
            Stream(
                key: key, isPOP3: LogAnalysis.isPOP3(first), options: options, serverHint: first.serverHint))
        return streams.count - 1
    }

    // MARK: - Reading

    /// Reads what file `index` gained, into both counts.
    private func read(file index: Int, segments: inout [Int: Segment]?, budget: inout Int64, progress: inout Progress) {
        let path = files[index].input.displayPath
        switch files[index].kind {
        case .archived:
            guard !files[index].isRead, budget > 0 else { return }
            files[index].isRead = true
            readArchive(file: index, segments: &segments, progress: &progress)
            budget -= 1 << 20
        case .growing:
            let fd: Platform.Descriptor
            switch Platform.openForReading(path, policy: files[index].input.isNamed ? .asNamed : .regularFileFound) {
            case .success(let opened): fd = opened
            case .failure(let error):
                readProblems[path] = .cannotOpen(path: path, reason: error.description)
                return
            }
            defer { Platform.close(fd) }
            guard let state = Platform.state(of: fd) else {
                readProblems[path] = .notRead(path: path, reason: "not a regular file now")
                return
            }
            if let known = files[index].state, isAnotherFile(index, fd: fd, known: known, now: state) {
                restart(file: index)
                progress.restartedFiles.append(path)
            }
            files[index].state = state
            if files[index].offset == 0 && [[0xFF, 0xFE], [0xFE, 0xFF]].contains(bytes(of: fd, at: 0, count: 2)) {
                // UTF-16 (a log saved again by an editor): not followed line by line, read whole once, decoded,
                // as a batch run reads it.
                files[index].kind = .archived
                files[index].isRead = true
                readArchive(file: index, segments: &segments, progress: &progress)
                return
            }
            if startsAtEnd && files[index].offset == 0 {
                // `--since now`: what the file holds is passed over, its header lines still read.
                let (lines, end) = prime(file: index, fd: fd, upTo: state.size)
                files[index].lineCount = lines
                files[index].offset = end
            }
            guard state.size > files[index].offset else { return }
            if files[index].parsers == nil { _ = prime(file: index, fd: fd, upTo: files[index].offset) }
            files[index].idleLooks = -1
            readGrowing(file: index, fd: fd, size: state.size, segments: &segments, budget: &budget, final: false)
            progress.bytesBehind += state.size - files[index].offset
        }
    }

    /// Whether file `index`, open as `fd`, is no longer the file read so far.
    ///
    /// It is when shorter than what was read, or with other bytes where it was read. Another identity with the same
    /// bytes is a copy put in its place (rsync, a log collector writing a file and renaming it over the old one):
    /// read on, not again.
    private func isAnotherFile(
        _ index: Int, fd: Platform.Descriptor, known: Platform.FileState, now: Platform.FileState
    )
        -> Bool
    {
        let file = files[index]
        if now.size < file.offset { return true }
        let moved = known.device != now.device || known.inode != now.inode
        guard moved || now.size > file.offset else { return false }
        guard !file.head.isEmpty else { return moved && file.offset > 0 }
        guard bytes(of: fd, at: 0, count: file.head.count) == file.head else { return true }
        guard moved else { return false }
        return bytes(of: fd, at: file.offset - Int64(file.tail.count), count: file.tail.count) != file.tail
    }

    /// `count` bytes of `fd` from `offset`, fewer at its end; empty when they cannot be read.
    private func bytes(of fd: Platform.Descriptor, at offset: Int64, count: Int) -> [UInt8] {
        var bytes = [UInt8](repeating: 0, count: count)
        let read = bytes.withUnsafeMutableBytes { Platform.read(fd, into: $0, at: offset) }
        guard case .success(let n) = read else { return [] }
        return Array(bytes.prefix(n))
    }

    /// Reads a growing file from where it was left up to its last line end (all of it when `final`), at most
    /// `budget` bytes.
    private func readGrowing(
        file index: Int, fd: Platform.Descriptor, size: Int64, segments: inout [Int: Segment]?, budget: inout Int64,
        final: Bool
    ) {
        let path = files[index].input.displayPath
        while files[index].offset < size && budget > 0 {
            let want = Int(min(Int64(chunk.count), size - files[index].offset, max(budget, 1)))
            var filled = 0
            while filled < want {
                let part = UnsafeMutableRawBufferPointer(rebasing: chunk[filled..<want])
                switch Platform.read(fd, into: part, at: files[index].offset + Int64(filled)) {
                case .success(0): break
                case .success(let n):
                    filled += n
                    continue
                case .failure(let error):
                    readProblems[path] = .readFailed(
                        path: path, byteOffset: files[index].offset + Int64(filled), reason: error.description)
                    return
                }
                break
            }
            readProblems[path] = nil
            guard filled > 0 else { return }
            if files[index].isDiscardingLine {
                // The rest of a line too long to keep: passed over up to its end, then counted once, as a batch
                // run counts it.
                let read = UnsafeRawBufferPointer(rebasing: chunk[0..<filled])
                guard let end = read.firstIndex(of: 0x0A) else {
                    files[index].offset += Int64(filled)
                    budget -= Int64(filled)
                    continue
                }
                countOverlongLine(file: index, segments: &segments)
                files[index].offset += Int64(end + 1)
                budget -= Int64(end + 1)
                continue
            }
            var usable = filled
            let isEnd = files[index].offset + Int64(filled) >= size
            if !(final && isEnd) {
                // Up to the last line end; a chunk with none is a line longer than any kept: counted as it is.
                if let lastEnd = Self.lastLineEnd(in: UnsafeRawBufferPointer(rebasing: chunk[0..<filled])) {
                    usable = lastEnd + 1
                } else if filled < chunk.count {
                    return
                } else {
                    // A whole read without a line end: a line longer than any kept, passed over to its end.
                    files[index].isDiscardingLine = true
                    files[index].offset += Int64(filled)
                    budget -= Int64(filled)
                    continue
                }
            }
            let bytes = UnsafeRawBufferPointer(rebasing: chunk[0..<usable])
            if files[index].offset == 0 { files[index].head = Array(bytes.prefix(FollowedFile.headLength)) }
            files[index].tail = Array(
                (files[index].tail + bytes.suffix(FollowedFile.headLength)).suffix(FollowedFile.headLength))
            feed(bytes, file: index, segments: &segments)
            files[index].offset += Int64(usable)
            budget -= Int64(usable)
        }
    }

    /// Counts one line too long to keep, in both counts, as the line reader counts it.
    private func countOverlongLine(file index: Int, segments: inout [Int: Segment]?, isUnterminated: Bool = false) {
        files[index].isDiscardingLine = false
        open(file: index)
        let (exactParser, liveParser) = files[index].parsers ?? (RecordParser(), RecordParser())
        files[index].parsers = (exactParser, liveParser)
        files[index].lineCount += 1
        let number = files[index].lineCount
        streams[files[index].stream].exact.account(
            .skipped(.overlongLine), lineNumber: number, isUnterminated: isUnterminated, parser: exactParser)
        guard segments != nil else { return }
        let segment =
            segments?[files[index].stream] ?? Segment(options: options, serverHint: files[index].input.serverHint)
        segments?[files[index].stream] = segment
        segment.open(file: index, path: files[index].input.displayPath, role: files[index].input.role)
        segment.generations[files[index].input.displayPath] = files[index].generation
        segment.analyzer.account(
            .skipped(.overlongLine), lineNumber: number, isUnterminated: isUnterminated, parser: liveParser)
    }

    /// The place of the last `\n` in `bytes`.
    private static func lastLineEnd(in bytes: UnsafeRawBufferPointer) -> Int? {
        var index = bytes.count - 1
        while index >= 0 {
            if bytes[index] == 0x0A { return index }
            index -= 1
        }
        return nil
    }

    /// Counts lines of file `index` into the exact count and, when `segments` is given, this look's live count.
    private func feed(_ bytes: UnsafeRawBufferPointer, file index: Int, segments: inout [Int: Segment]?) {
        let streamIndex = files[index].stream
        let stream = streams[streamIndex]
        open(file: index)
        let base = files[index].lineCount
        let (exactParser, liveParser) = files[index].parsers ?? (RecordParser(), RecordParser())
        files[index].parsers = (exactParser, liveParser)
        var lines = 0
        try? reader.forEachLine(of: BufferByteSource(bytes)) { line in
            lines += 1
            line.number += base
            stream.exact.account(line: &line, parser: exactParser)
        }
        files[index].lineCount += lines
        guard segments != nil else { return }
        let segment = segments?[streamIndex] ?? Segment(options: options, serverHint: files[index].input.serverHint)
        segments?[streamIndex] = segment
        segment.open(file: index, path: files[index].input.displayPath, role: files[index].input.role)
        try? reader.forEachLine(of: BufferByteSource(bytes)) { line in
            line.number += base
            segment.analyzer.account(line: &line, parser: liveParser)
        }
        segment.generations[files[index].input.displayPath] = files[index].generation
    }

    /// Makes file `index` the one its stream's exact count is counting.
    private func open(file index: Int) {
        let stream = streams[files[index].stream]
        guard stream.openFile != index else { return }
        if stream.openFile != nil { stream.exact.endFile(error: nil) }
        stream.exact.beginFile(path: files[index].input.displayPath, role: files[index].input.role)
        stream.openFile = index
        files[index].isCounted = true
    }

    /// Reads an archived log whole, into both counts.
    private func readArchive(file index: Int, segments: inout [Int: Segment]?, progress: inout Progress) {
        let input = files[index].input
        let streamIndex = files[index].stream
        let stream = streams[streamIndex]
        if stream.openFile != nil { stream.exact.endFile(error: nil) }
        stream.openFile = nil
        // No live count at the end (`finish`): the archive is read into the exact count only.
        var segment: Segment?
        if segments != nil {
            let live = segments?[streamIndex] ?? Segment(options: options, serverHint: input.serverHint)
            segments?[streamIndex] = live
            live.close()
            live.analyzer.beginFile(path: input.displayPath, role: input.role)
            segment = live
        }
        stream.exact.beginFile(path: input.displayPath, role: input.role)
        files[index].isCounted = true
        let (exactParser, liveParser) = (RecordParser(), RecordParser())
        var failure: ImapLogError?
        do {
            let source = try input.open(standardInput: Platform.standardInput)
            try reader.forEachLine(of: source) { line in
                guard let segment else {
                    stream.exact.account(line: &line, parser: exactParser)
                    return
                }
                // The live count reads a copy: the parser rewrites a line's bytes in place.
                var copy = [UInt8](UnsafeRawBufferPointer(line.bytes))
                let isOverlong = line.isOverlong
                stream.exact.account(line: &line, parser: exactParser)
                copy.withUnsafeMutableBytes { bytes in
                    var second = Line(
                        bytes: bytes, number: line.number, isOverlong: isOverlong, isUnterminated: line.isUnterminated)
                    segment.analyzer.account(line: &second, parser: liveParser)
                }
            }
        } catch {
            failure = error
            progress.problems.append(error)
        }
        stream.exact.endFile(error: failure)
        segment?.analyzer.endFile(error: failure)
    }

    /// New parsers for file `index`, told its schema by its header lines up to `end`, which are not counted.
    ///
    /// - Returns: the lines up to `end`, and where the last of them ends.
    private func prime(file index: Int, fd: Platform.Descriptor, upTo end: Int64) -> (lines: Int, end: Int64) {
        let (exactParser, liveParser) = (RecordParser(), RecordParser())
        files[index].parsers = (exactParser, liveParser)
        var offset: Int64 = 0
        var lines = 0
        var consumed: Int64 = 0
        let size = end
        while offset < size {
            let want = Int(min(Int64(chunk.count), size - offset))
            guard
                case .success(let n) = Platform.read(
                    fd, into: UnsafeMutableRawBufferPointer(rebasing: chunk[0..<want]), at: offset),
                n > 0
            else { break }
            let bytes = UnsafeRawBufferPointer(rebasing: chunk[0..<n])
            guard let lastEnd = Self.lastLineEnd(in: bytes) else {
                offset += Int64(n)
                continue
            }
            try? reader.forEachLine(of: BufferByteSource(UnsafeRawBufferPointer(rebasing: bytes[0...lastEnd]))) {
                line in
                lines += 1
                if line.bytes.first == UInt8(ascii: "#") || !exactParser.hasSeenHeader {
                    var copy = [UInt8](UnsafeRawBufferPointer(line.bytes))
                    _ = exactParser.parse(line.bytes)
                    copy.withUnsafeMutableBytes { _ = liveParser.parse($0) }
                }
            }
            offset += Int64(lastEnd + 1)
            consumed = offset
        }
        return (lines, consumed)
    }

    /// Counts a file cut short or replaced as a new file of the same name.
    private func restart(file index: Int) {
        let stream = streams[files[index].stream]
        if stream.openFile == index {
            stream.exact.endFile(error: nil)
            stream.openFile = nil
        }
        files[index].restart()
    }

    // MARK: - The live count

    /// One look's new lines of one stream, counted on their own.
    private final class Segment {
        let analyzer: StreamAnalyzer
        var openFile: Int?
        /// Each file's generation, to keep a restarted file's lines apart in `live.files`.
        var generations: [String: Int] = [:]

        init(options: AnalysisOptions, serverHint: String?) {
            analyzer = StreamAnalyzer(options: options, serverHint: serverHint)
        }

        func open(file index: Int, path: String, role: Role) {
            guard openFile != index else { return }
            close()
            analyzer.beginFile(path: path, role: role)
            openFile = index
        }

        func close() {
            if openFile != nil { analyzer.endFile(error: nil) }
            openFile = nil
        }

        func finish() -> (Summary, [String: Int]) {
            close()
            return (analyzer.finishStream(), generations)
        }
    }

    /// Adds one look's count of a stream to `live`, a file's lines to its entry, not as one more.
    private func addToLive(_ finished: (Summary, [String: Int]), progress: inout Progress) {
        var (segment, generations) = finished
        let segmentFiles = segment.files
        segment.files = []
        progress.first = [progress.first, segment.first].compactMap { $0 }.min()
        progress.last = [progress.last, segment.last].compactMap { $0 }.max()
        newestRow = [newestRow, segment.last].compactMap { $0 }.max()
        for (key, tally) in segment.serverCommands {
            progress.latencies[key.server, default: LatencyHistogram()].merge(tally.latency)
        }
        // Into the small pending summary now; into `live` (as large as the history) at `refreshLive()`.
        pending.merge(segment)
        for file in segmentFiles {
            progress.lines += file.lines
            progress.records += file.records
            linesRead += file.lines
            recordsRead += file.records
            if file.records > 0 { progress.writers.insert(file.server ?? file.path) }
            pendingFiles.append(("\(generations[file.path] ?? 0)|\(file.path)", file))
        }
    }

    /// Adds what the looks since the last call read to `live`: the cost of a merge into a summary as large as
    /// the history, paid as often as the live count is looked at, not at every look.
    package func refreshLive() {
        live.merge(pending)
        pending = Summary()
        for (key, file) in pendingFiles {
            guard let index = liveFileIndex[key] else {
                liveFileIndex[key] = live.files.count
                live.files.append(file)
                continue
            }
            var kept = live.files[index]
            kept.lines += file.lines
            kept.headerLines += file.headerLines
            kept.records += file.records
            kept.skipped += file.skipped
            kept.format = kept.format ?? file.format
            kept.server = kept.server ?? file.server
            if kept.role == .unknown { kept.role = file.role }
            kept.first = [kept.first, file.first].compactMap { $0 }.min()
            kept.last = [kept.last, file.last].compactMap { $0 }.max()
            kept.error = file.error ?? kept.error
            live.files[index] = kept
        }
        pendingFiles = []
    }

    // MARK: - The end

    /// Reads the last of every file (a last line with no line end too, as a batch run reads it) and returns the
    /// exact count: what a batch run over the same lines gives.
    package func finish() -> AnalysisResult {
        // The folders searched once more, so that a log that came since the last search is in (searches wait
        // when they are costly).
        var last = Progress()
        search(&last)
        order = readingOrder()
        var segments: [Int: Segment]? = nil
        var budget = Int64.max
        for index in order where files[index].isPresent {
            guard files[index].kind == .growing else {
                // An archive met in that last search.
                if !files[index].isRead {
                    files[index].isRead = true
                    var none: [Int: Segment]? = nil
                    readArchive(file: index, segments: &none, progress: &last)
                }
                continue
            }
            let path = files[index].input.displayPath
            guard
                case .success(let fd) = Platform.openForReading(
                    path, policy: files[index].input.isNamed ? .asNamed : .regularFileFound)
            else { continue }
            defer { Platform.close(fd) }
            guard let state = Platform.state(of: fd) else { continue }
            if let known = files[index].state, isAnotherFile(index, fd: fd, known: known, now: state) {
                restart(file: index)
            }
            if state.size > files[index].offset && files[index].parsers == nil {
                _ = prime(file: index, fd: fd, upTo: files[index].offset)
            }
            readGrowing(file: index, fd: fd, size: state.size, segments: &segments, budget: &budget, final: true)
            // A line too long to keep, still without its end: the last line, cut, as a batch run reads it.
            if files[index].isDiscardingLine {
                countOverlongLine(file: index, segments: &segments, isUnterminated: true)
            }
            // An empty file is one of the run's files all the same, as in a batch run.
            if !files[index].isCounted { open(file: index) }
        }
        let merger = OrderedMerger(isPOP3: streams.sorted { $0.key < $1.key }.map(\.isPOP3))
        merger.total.ignoredFiles = ignoredFiles
        merger.problems = planProblems + readProblems.keys.sorted().compactMap { readProblems[$0] }
        for (position, stream) in streams.sorted(by: { $0.key < $1.key }).enumerated() {
            if stream.openFile != nil { stream.exact.endFile(error: nil) }
            stream.openFile = nil
            merger.deliver(position, (stream.exact.finishStream(), []))
        }
        noteWhatHappened(to: &merger.total.files)
        return AnalysisResult(summary: merger.total, pop3: merger.pop3, problems: merger.problems)
    }

    /// Says, on the files' entries, which were cut short, replaced or removed while followed: the report then
    /// says why it counts lines no batch run over the files as they are now would find.
    private func noteWhatHappened(to entries: inout [FileSummary]) {
        var byPath: [String: [Int]] = [:]
        for (position, entry) in entries.enumerated() { byPath[entry.path, default: []].append(position) }
        for file in files {
            guard let positions = byPath[file.input.displayPath] else { continue }
            for position in positions.dropLast() where file.restarts > 0 {
                entries[position].notices.append(
                    "cut short or replaced while followed: these lines were read before, the new ones are the next entry"
                )
            }
            if !file.isPresent, let last = positions.last {
                entries[last].notices.append(
                    "removed while followed (log retention?): the lines read before are counted")
            }
        }
    }
}
