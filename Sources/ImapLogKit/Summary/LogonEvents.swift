/// Logon events, stored compactly: each string once, each event as numbers.
///
/// A summary keeps up to `Summary.logonLimit` events (every failure and a sample of successes, per stream; past
/// the limit, a sample of users: see `merge`). As `[LogonEvent]` each held seven strings, most of them on the
/// heap, so memory grew with the number of streams read (four copies of the 1 GB benchmark folder, 75,000
/// events: 92 MiB; stored here, 61 MiB). Here an event is a 48-byte record, and its strings (users, servers,
/// addresses, files) are shared with every other event naming them.
///
/// Encoded and decoded as the array of `LogonEvent` it stands for: the same JSON.
package struct LogonEvents: Sendable, Equatable, Codable, RandomAccessCollection {
    private struct Record: Sendable, Equatable {
        var time: Int64
        var server: Int32
        var serverAddress: Int32
        var clientAddress: Int32
        var user: Int32
        var backend: Int32
        var errorCode: Int32
        /// The example's text before `:line`, or the whole example when it does not end in one.
        var exampleFile: Int32
        /// The example's line, -1 when the whole example is in `exampleFile`.
        var exampleLine: Int32
        var role: Role
        var failed: Bool
        var errorClass: ErrorClass?
    }

    /// Records in chunks of 4,096, so appending never copies the records already stored: an array growing by
    /// doubling copies them all, and holds them twice while it does (9.4 MB for 110,000 events at the peak of a
    /// 17 GB run, where they take 5.3 MB).
    private struct Records {
        private static let shift = 12
        private static let chunkSize = 1 << shift
        private var chunks: [[Record]] = []
        private(set) var count = 0

        subscript(position: Int) -> Record {
            get { chunks[position >> Self.shift][position & (Self.chunkSize - 1)] }
            set { chunks[position >> Self.shift][position & (Self.chunkSize - 1)] = newValue }
        }

        mutating func append(_ record: Record) {
            if count & (Self.chunkSize - 1) == 0 {
                var chunk: [Record] = []
                chunk.reserveCapacity(Self.chunkSize)
                chunks.append(chunk)
            }
            chunks[chunks.count - 1].append(record)
            count += 1
        }

        mutating func removeLast() {
            truncate(to: count - 1)
        }

        /// Removes the records `isRemoved` picks, keeping the others in order, in place.
        mutating func removeAll(where isRemoved: (Record) -> Bool) {
            var kept = 0
            for position in 0..<count where !isRemoved(self[position]) {
                if kept != position { self[kept] = self[position] }
                kept += 1
            }
            truncate(to: kept)
        }

        private mutating func truncate(to newCount: Int) {
            let chunkCount = (newCount + Self.chunkSize - 1) >> Self.shift
            chunks.removeLast(chunks.count - chunkCount)
            if chunkCount > 0 {
                let inLastChunk = newCount - (chunkCount - 1) * Self.chunkSize
                chunks[chunkCount - 1].removeLast(chunks[chunkCount - 1].count - inLastChunk)
            }
            count = newCount
        }
    }

    private var records = Records()
    private var strings: [String] = []
    private var ids: [String: Int32] = [:]

    package init() {}

    package init(_ events: some Sequence<LogonEvent>) {
        for event in events { append(event) }
    }

    package var startIndex: Int { 0 }
    package var endIndex: Int { records.count }

    package subscript(position: Int) -> LogonEvent {
        let record = records[position]
        let file = strings[Int(record.exampleFile)]
        return LogonEvent(
            time: record.time, server: ServerKey(name: strings[Int(record.server)], role: record.role),
            serverAddress: strings[Int(record.serverAddress)], clientAddress: strings[Int(record.clientAddress)],
            user: strings[Int(record.user)], backend: strings[Int(record.backend)], failed: record.failed,
            errorCode: strings[Int(record.errorCode)], errorClass: record.errorClass,
            example: record.exampleLine < 0 ? file : "\(file):\(record.exampleLine)")
    }

    // The parts the Stitcher looks at, without building the event.

    package func time(at position: Int) -> Int64 { records[position].time }
    package func role(at position: Int) -> Role { records[position].role }
    package func serverName(at position: Int) -> String { strings[Int(records[position].server)] }
    package func server(at position: Int) -> ServerKey {
        ServerKey(name: serverName(at: position), role: role(at: position))
    }
    package func serverAddress(at position: Int) -> String { strings[Int(records[position].serverAddress)] }
    package func user(at position: Int) -> String { strings[Int(records[position].user)] }
    package func clientAddress(at position: Int) -> String { strings[Int(records[position].clientAddress)] }
    package func backend(at position: Int) -> String { strings[Int(records[position].backend)] }

    package mutating func append(_ event: LogonEvent) {
        let (file, line) = Self.splitExample(event.example)
        append(event, file: file, line: line)
    }

    /// Appends `event` with the example `exampleFile:line` (its own `example` is not read): the file's path is
    /// kept as it is, shared with the file's summary, not rebuilt from the example's text.
    mutating func append(_ event: LogonEvent, exampleFile: String, line: Int) {
        guard line >= 0, let short = Int32(exactly: line) else {
            var whole = event
            whole.example = "\(exampleFile):\(line)"
            append(whole)
            return
        }
        append(event, file: exampleFile, line: short)
    }

    private mutating func append(_ event: LogonEvent, file: String, line: Int32) {
        records.append(
            Record(
                time: event.time, server: id(event.server.name), serverAddress: id(event.serverAddress),
                clientAddress: id(event.clientAddress), user: id(event.user), backend: id(event.backend),
                errorCode: id(event.errorCode), exampleFile: id(file), exampleLine: line, role: event.server.role,
                failed: event.failed, errorClass: event.errorClass))
    }

    /// Adds `other`'s events as summaries merge them.
    ///
    /// Past `limit` events, users are sampled: only the events of users who pass `level` (about one user in
    /// 2^level, chosen by a hash of the name, the same in every process) are kept, and `level` rises until at most
    /// `limit` remain. Both sides of a logon (the front end's and the back end's, one user) are kept or left out
    /// together, every stream keeps its share, and the result does not depend on the order of merging: the level
    /// reached is the lowest at which all the events to merge fit.
    ///
    /// - Parameters:
    ///   - level: this list's sampling level (0: every user); raised as needed.
    ///   - otherLevel: the level `other`'s events were kept at.
    package mutating func merge(_ other: LogonEvents, level: inout Int, otherLevel: Int, limit: Int) {
        if otherLevel > level {
            level = otherLevel
            keepUsers(passing: level)
        }
        if isEmpty && otherLevel == level && other.count <= limit {
            self = other  // shared, not copied
            return
        }
        // `other`'s strings by their number here, taken in only when an event kept names them.
        var mapped = [Int32](repeating: -1, count: other.strings.count)
        for position in 0..<other.records.count
        where Self.passes(Self.userHash(other.strings[Int(other.records[position].user)]), level: level) {
            var record = other.records[position]
            record.server = take(record.server, of: other, &mapped)
            record.serverAddress = take(record.serverAddress, of: other, &mapped)
            record.clientAddress = take(record.clientAddress, of: other, &mapped)
            record.user = take(record.user, of: other, &mapped)
            record.backend = take(record.backend, of: other, &mapped)
            record.errorCode = take(record.errorCode, of: other, &mapped)
            record.exampleFile = take(record.exampleFile, of: other, &mapped)
            records.append(record)
            if records.count > limit {
                if level < 64 {
                    level += 1
                    keepUsers(passing: level)
                } else {
                    records.removeLast()  // every user left passes every level: the bound holds regardless
                }
            }
        }
    }

    /// The number here of `other`'s string `theirs`, taken in the first time (`mapped` remembers).
    private mutating func take(_ theirs: Int32, of other: LogonEvents, _ mapped: inout [Int32]) -> Int32 {
        let index = Int(theirs)
        if mapped[index] < 0 { mapped[index] = id(other.strings[index]) }
        return mapped[index]
    }

    /// Drops the events of users who do not pass `level`.
    private mutating func keepUsers(passing level: Int) {
        let hashes = strings.map(Self.userHash)
        records.removeAll { !Self.passes(hashes[Int($0.user)], level: level) }
    }

    /// A user's name hashed the same way in every process (FNV-1a, then mixed so every bit counts).
    static func userHash(_ user: String) -> UInt64 {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in user.utf8 { hash = (hash ^ UInt64(byte)) &* 0x100_0000_01b3 }
        hash ^= hash >> 33
        hash &*= 0xff51_afd7_ed55_8ccd
        hash ^= hash >> 33
        return hash
    }

    /// Whether a user (by `hash`) is kept at sampling `level`: the lowest `level` bits are zero.
    static func passes(_ hash: UInt64, level: Int) -> Bool {
        level <= 0 || (level >= 64 ? hash == 0 : hash & ((1 << UInt64(level)) - 1) == 0)
    }

    package static func == (lhs: LogonEvents, rhs: LogonEvents) -> Bool { lhs.elementsEqual(rhs) }

    package init(from decoder: any Decoder) throws {
        var container = try decoder.unkeyedContainer()
        while !container.isAtEnd { append(try container.decode(LogonEvent.self)) }
    }

    package func encode(to encoder: any Encoder) throws {
        var container = encoder.unkeyedContainer()
        for event in self { try container.encode(event) }
    }

    private mutating func id(_ text: String) -> Int32 {
        if let known = ids[text] { return known }
        let new = Int32(strings.count)
        strings.append(text)
        ids[text] = new
        return new
    }

    /// `path:line` as (`path`, line) when writing them back gives the same text; else (the text, -1).
    static func splitExample(_ example: String) -> (String, Int32) {
        let utf8 = example.utf8
        guard let colon = utf8.lastIndex(of: UInt8(ascii: ":")) else { return (example, -1) }
        let digits = utf8[utf8.index(after: colon)...]
        guard (1...9).contains(digits.count), digits.allSatisfy({ (0x30...0x39).contains($0) }),
            digits.count == 1 || digits.first != 0x30,
            let line = Int32(String(decoding: digits, as: UTF8.self))
        else { return (example, -1) }
        return (String(decoding: utf8[..<colon], as: UTF8.self), line)
    }
}
