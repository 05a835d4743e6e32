import Foundation

/// Takes a summary's JSON in pieces, as it is decompressed: its long parts (the logon events, the users, the
/// clients, the files, and the per-minute tables of the timeline, the probes and the logons) are read as they
/// pass, one element at a time, and everything else is kept, with `[]` or `{}` in their place, for Foundation's
/// decoder.
///
/// Foundation's decoder builds a tree of the whole document first: for a summary at the bounds (200,000 logon
/// events, 60,000 users) that tree and the JSON held for it took over 90 MiB, and for 335 days of five servers
/// (60 MB of JSON, most of it the minute tables' strings) 204 MiB. Here merging holds the rest of the JSON and
/// the parts as they will be kept.
///
/// A top-level key is found as `SummaryFile.topLevelValue` finds one (following strings and brackets, the colon
/// right after the key); the probes' minutes are the `minutes` key of the top-level `probes`. A part whose key
/// is spelled otherwise stays in the rest, for Foundation. Anything else unexpected (a part named twice, a name
/// or key twice, a value the readers do not read) makes `add` throw; the caller then decodes the whole JSON with
/// Foundation instead.
///
/// What it holds is bounded (`SummaryFile`'s limits: the rest, one element, a table, and how many users, clients,
/// logon events, files and tables): past a bound, `add` throws with the bound said (`Unexpected.limit`), and the
/// summary is refused rather than read by Foundation.
struct SummarySplitter {
    /// The JSON but for the parts read.
    private(set) var rest: [UInt8] = []
    private(set) var events = LogonEvents()
    private(set) var users: [String: PartyTally] = [:]
    private(set) var clients: [String: PartyTally] = [:]
    private(set) var files: [FileSummary] = []
    private(set) var timeline: [ServerKey: MinuteTable<TimelineTally>] = [:]
    private(set) var probeMinutes: [ProbeServerKey: MinuteTable<ProbeMinuteTally>] = [:]
    private(set) var logonsByBackend: [String: MinuteTable<LogonTally>] = [:]
    /// The parts read.
    private(set) var found: Set<Part> = []

    enum Part: CaseIterable {
        case logons, users, clients, files, timeline, logonsByBackend, probeMinutes

        var name: [UInt8] {
            switch self {
            case .logons: Array("logons".utf8)
            case .users: Array("users".utf8)
            case .clients: Array("clients".utf8)
            case .files: Array("files".utf8)
            case .timeline: Array("timeline".utf8)
            case .logonsByBackend: Array("logonsByBackend".utf8)
            case .probeMinutes: Array("minutes".utf8)
            }
        }

        /// How deep its key is: the top level's, or inside `probes`.
        var depth: Int { self == .probeMinutes ? 2 : 1 }

        /// A list (of elements, or of keys and tables in turn), or an object of names.
        var isList: Bool {
            switch self {
            case .users, .clients, .logonsByBackend: false
            case .logons, .files, .timeline, .probeMinutes: true
            }
        }
    }

    /// Summaries' fields put in `summary`, for each part read.
    func fill(_ summary: inout Summary) {
        for part in found {
            switch part {
            case .logons: summary.logons = events
            case .users: summary.users = users
            case .clients: summary.clients = clients
            case .files: summary.files = files
            case .timeline: summary.timeline = timeline
            case .logonsByBackend: summary.logonsByBackend = logonsByBackend
            case .probeMinutes: summary.probes.minutes = probeMinutes
            }
        }
    }

    private enum Phase {
        /// Looking for a part's key, at the top level.
        case seeking
        /// After a part's colon, before its `[` or `{`.
        case beforeValue
        /// Before an element (`first`: or the part's end).
        case beforeElement(first: Bool)
        /// In a user's or client's name.
        case inName
        /// After a name, before its colon.
        case beforeColon
        /// After a name's colon, before its tally's `{`.
        case beforeTally
        /// In an element (an event, a tally), gathering its bytes.
        case inElement
        /// After an element: a comma or the part's end.
        case afterElement
        /// The top-level object has ended: whatever follows is kept.
        case ended
    }

    private var phase = Phase.seeking
    private var part = Part.logons
    /// At the top level while seeking; in the element while gathering one.
    private var nesting = JSONNesting()
    /// The raw bytes of the string being read at the top level or in `probes` (up to one more than the longest key).
    private var key: [UInt8] = []
    private var colonNext = false
    /// The top-level key whose value is being read.
    private var topLevelKey: [UInt8] = []
    private var element: [UInt8] = []
    /// Whether `element` is a string (a table), not an object.
    private var elementIsString = false
    private var name = ""
    /// A timeline's or probe's key (its JSON), waiting for its table.
    private var pendingKey: [UInt8]?
    /// Files' JSON, gathered to be decoded a thousand at a time.
    private var fileBatch: [UInt8] = []
    private var fileBatchCount = 0
    private let decoder = JSONDecoder()
    /// Tables read in the current part.
    private var tableCount = 0
    /// Bytes of the tables' base64 read, and the days their minutes fall on, in every part.
    private var tableBytes = 0
    private var tableDays = 0
    /// Spaces, tabs and line ends read between elements.
    private var whitespace = 0

    private static let restLimit = LogonEventReader.Unexpected(
        limit: "more than \(SummaryFile.restByteLimit >> 20) MiB of JSON outside its lists and tables")

    /// Throws the bound said by `what` unless `count` is at most `limit`.
    private func require(_ count: Int, atMost limit: Int, _ what: String) throws(LogonEventReader.Unexpected) {
        guard count <= limit else { throw LogonEventReader.Unexpected(limit: "more than \(limit) \(what)") }
    }

    /// Whether the JSON's top-level object ended, every part found in it read.
    var isComplete: Bool {
        if case .ended = phase { return true }
        return false
    }

    mutating func add(_ bytes: UnsafeBufferPointer<UInt8>) throws(LogonEventReader.Unexpected) {
        try addPiece(bytes)
        // A piece adds at most its own size to the rest: checked once a piece.
        guard rest.count <= SummaryFile.restByteLimit else { throw Self.restLimit }
    }

    private mutating func addPiece(_ bytes: UnsafeBufferPointer<UInt8>) throws(LogonEventReader.Unexpected) {
        var i = 0
        while i < bytes.count {
            switch phase {
            case .seeking:
                i = try seek(bytes, from: i)
                continue
            case .ended:
                rest.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[i...]))
                return
            case .inElement:
                i = try gatherElement(bytes, from: i)
                continue
            case .inName:
                i = try gatherName(bytes, from: i)
                continue
            default:
                break
            }
            let c = bytes[i]
            i += 1
            if c == 0x20 || c == 0x0A || c == 0x0D || c == 0x09 {
                whitespace += 1
                guard whitespace <= SummaryFile.whitespaceLimit else {
                    throw LogonEventReader.Unexpected(
                        limit: "more than \(SummaryFile.whitespaceLimit >> 20) MiB of whitespace between elements")
                }
                continue
            }
            try step(c)
        }
    }

    /// One byte (not a space) between the parts' elements.
    private mutating func step(_ c: UInt8) throws(LogonEventReader.Unexpected) {
        let open = part.isList ? UInt8(ascii: "[") : UInt8(ascii: "{")
        let close = part.isList ? UInt8(ascii: "]") : UInt8(ascii: "}")
        switch phase {
        case .beforeValue:
            guard c == open else { throw LogonEventReader.Unexpected() }
            rest.append(contentsOf: part.isList ? "[]".utf8 : "{}".utf8)
            tableCount = 0
            phase = .beforeElement(first: true)
        case .beforeElement(let first):
            if first && c == close {
                try endPart()
            } else if part.isList && c == UInt8(ascii: "{") && pendingKey == nil {
                startElement()
            } else if part.isList && c == UInt8(ascii: "\"") && pendingKey != nil {
                startString()
            } else if !part.isList && c == UInt8(ascii: "\"") {
                element.removeAll(keepingCapacity: true)
                element.append(c)
                nesting = JSONNesting(inString: true)
                phase = .inName
            } else {
                throw LogonEventReader.Unexpected()
            }
        case .beforeColon:
            guard c == UInt8(ascii: ":") else { throw LogonEventReader.Unexpected() }
            phase = .beforeTally
        case .beforeTally:
            if part == .logonsByBackend && c == UInt8(ascii: "\"") {
                startString()
            } else if part != .logonsByBackend && c == UInt8(ascii: "{") {
                startElement()
            } else {
                throw LogonEventReader.Unexpected()
            }
        case .afterElement:
            if c == UInt8(ascii: ",") {
                phase = .beforeElement(first: false)
            } else if c == close {
                try endPart()
            } else {
                throw LogonEventReader.Unexpected()
            }
        case .seeking, .inElement, .inName, .ended:
            preconditionFailure("handled by add")
        }
    }

    private mutating func startElement() {
        element.removeAll(keepingCapacity: true)
        element.append(UInt8(ascii: "{"))
        nesting = JSONNesting(depth: 1)
        elementIsString = false
        phase = .inElement
    }

    /// A table's string: gathered as an element is.
    private mutating func startString() {
        element.removeAll(keepingCapacity: true)
        element.append(UInt8(ascii: "\""))
        nesting = JSONNesting(inString: true)
        elementIsString = true
        phase = .inElement
    }

    /// The part's closing bracket: back to seeking, at its key's depth.
    private mutating func endPart() throws(LogonEventReader.Unexpected) {
        // A key without its table.
        guard pendingKey == nil else { throw LogonEventReader.Unexpected() }
        if part == .files { try decodeFiles() }
        nesting = JSONNesting(depth: part.depth)
        phase = .seeking
    }

    /// Copies bytes to `rest` up to a part's colon (or the end of the top-level object); returns where it
    /// stopped.
    private mutating func seek(_ bytes: UnsafeBufferPointer<UInt8>, from start: Int) throws(LogonEventReader.Unexpected)
        -> Int
    {
        var i = start
        defer { rest.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[start..<i])) }
        while i < bytes.count {
            let c = bytes[i]
            i += 1
            if colonNext {
                colonNext = false
                if c == UInt8(ascii: ":") {
                    if nesting.depth == 1 { topLevelKey = key }
                    if let named = Part.allCases.first(where: { $0.depth == nesting.depth && $0.name == key }) {
                        // A part named twice: which one Foundation would keep is its business.
                        guard found.insert(named).inserted else { throw LogonEventReader.Unexpected() }
                        part = named
                        phase = .beforeValue
                        return i
                    }
                }
            }
            switch nesting.step(c) {
            case .stringStarts:
                key.removeAll(keepingCapacity: true)
            case .inString:
                if nesting.depth <= 2 && key.count <= 16 { key.append(c) }
            case .stringEnds:
                // Keys of the top level, and of `probes` (whose `minutes` is a part).
                colonNext = nesting.depth == 1 || (nesting.depth == 2 && topLevelKey == Array("probes".utf8))
            case .closes:
                if nesting.depth == 0 {
                    phase = .ended
                    return i
                }
            case .other, .opens:
                break
            }
        }
        return i
    }

    /// Gathers a user's or client's name up to its closing quote; returns where it stopped.
    private mutating func gatherName(_ bytes: UnsafeBufferPointer<UInt8>, from start: Int) throws(LogonEventReader
        .Unexpected) -> Int
    {
        let (end, closed) = gather(bytes, from: start) { step, _ in step == .stringEnds }
        try checkElementSize(isTable: false)
        if closed {
            name = try element.withUnsafeBufferPointer { buffer throws(LogonEventReader.Unexpected) in
                try LogonEventReader.readString(buffer)
            }
            phase = .beforeColon
        }
        return end
    }

    /// Gathers an element's bytes up to its closing brace (or quote, for a table), then reads it; returns where it
    /// stopped.
    private mutating func gatherElement(_ bytes: UnsafeBufferPointer<UInt8>, from start: Int) throws(LogonEventReader
        .Unexpected) -> Int
    {
        let isString = elementIsString
        let (end, closed) = gather(bytes, from: start) { step, depth in
            isString ? step == .stringEnds : step == .closes && depth == 0
        }
        try checkElementSize(isTable: isString)
        if closed { try finishElement() }
        return end
    }

    /// Adds bytes to `element` up to the one `ends` says closes it (included); returns where it stopped and
    /// whether it found that byte.
    @inline(__always)
    private mutating func gather(
        _ bytes: UnsafeBufferPointer<UInt8>, from start: Int, ends: (JSONNesting.Step, Int) -> Bool
    ) -> (end: Int, closed: Bool) {
        var i = start
        var closed = false
        while i < bytes.count {
            let step = nesting.step(bytes[i])
            i += 1
            if ends(step, nesting.depth) {
                closed = true
                break
            }
        }
        element.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[start..<i]))
        return (i, closed)
    }

    /// Throws unless the element gathered so far is within its bound (a table's string, or anything else).
    private func checkElementSize(isTable: Bool) throws(LogonEventReader.Unexpected) {
        if isTable {
            guard element.count <= SummaryFile.tableByteLimit else {
                throw LogonEventReader.Unexpected(
                    limit: "a per-minute table of more than \(SummaryFile.tableByteLimit >> 20) MiB")
            }
        } else if element.count > SummaryFile.elementByteLimit {
            throw LogonEventReader.Unexpected(
                limit:
                    "an element (a logon event, a file, a name, a tally) of more than \(SummaryFile.elementByteLimit >> 10) KiB"
            )
        }
    }

    private mutating func finishElement() throws(LogonEventReader.Unexpected) {
        nesting = JSONNesting(depth: part.depth)  // back at the part's level
        phase = .afterElement
        switch part {
        case .logons:
            let event = try element.withUnsafeBufferPointer { buffer throws(LogonEventReader.Unexpected) in
                try LogonEventReader.readEvent(buffer)
            }
            try require(events.count + 1, atMost: Summary.logonLimit, "logon events")
            events.append(event)
        case .users, .clients:
            let tally = try element.withUnsafeBufferPointer { buffer throws(LogonEventReader.Unexpected) in
                try LogonEventReader.readPartyTally(buffer)
            }
            if part == .users {
                try require(users.count + 1, atMost: Summary.partyLimit, "users")
                try Self.insert(tally, at: name, into: &users)
            } else {
                try require(clients.count + 1, atMost: Summary.partyLimit, "clients")
                try Self.insert(tally, at: name, into: &clients)
            }
        case .files:
            fileBatch.append(fileBatchCount == 0 ? UInt8(ascii: "[") : UInt8(ascii: ","))
            fileBatch += element
            fileBatchCount += 1
            try require(files.count + fileBatchCount, atMost: SummaryFile.fileLimit, "log files")
            if fileBatchCount == 1_000 || fileBatch.count >= SummaryFile.elementByteLimit { try decodeFiles() }
        case .timeline, .probeMinutes:
            guard let key = pendingKey else {
                pendingKey = element
                return
            }
            pendingKey = nil
            tableCount += 1
            try require(tableCount, atMost: SummaryFile.tableLimit, "per-minute tables in a part")
            if part == .timeline {
                let serverKey = try decode(ServerKey.self, from: key)
                try Self.insert(decode(TimelineTally.self), at: serverKey, into: &timeline)
            } else {
                let probeKey = try decode(ProbeServerKey.self, from: key)
                try Self.insert(decode(ProbeMinuteTally.self), at: probeKey, into: &probeMinutes)
            }
        case .logonsByBackend:
            tableCount += 1
            try require(tableCount, atMost: SummaryFile.tableLimit, "per-minute tables in a part")
            try Self.insert(decode(LogonTally.self), at: name, into: &logonsByBackend)
        }
    }

    /// The files gathered, decoded by Foundation (a thousand small objects: no large tree).
    private mutating func decodeFiles() throws(LogonEventReader.Unexpected) {
        guard fileBatchCount > 0 else { return }
        fileBatch.append(UInt8(ascii: "]"))
        files += try decode([FileSummary].self, from: fileBatch)
        fileBatch.removeAll(keepingCapacity: true)
        fileBatchCount = 0
    }

    /// The table `element` holds (a JSON string of base64), decoded as Foundation would decode it in place, without
    /// its copies: the string, unescaped, then its bytes (a year of a server's probes: 4 MB of base64).
    private mutating func decode<Value: MinuteTally>(_ value: Value.Type) throws(LogonEventReader.Unexpected)
        -> MinuteTable<Value>
    {
        defer {
            // The longest tables are megabytes: not kept for the small elements that follow.
            if element.capacity > 1 << 16 { element = [] }
        }
        guard let bytes = Base64.decode(jsonString: element) else { throw LogonEventReader.Unexpected() }
        let table: MinuteTable<Value>
        do {
            table = try MinuteTable<Value>(
                encoded: bytes, spillingAll: tableBytes > SummaryFile.tableMemoryBudget)
        } catch {
            throw LogonEventReader.Unexpected()
        }
        tableBytes += element.count
        tableDays += table.dayCount
        try require(tableDays, atMost: SummaryFile.dayLimit, "days of per-minute tables")
        return table
    }

    private func decode<T: Decodable>(_ type: T.Type, from json: [UInt8]) throws(LogonEventReader.Unexpected) -> T {
        do {
            return try decoder.decode(type, from: Data(json))
        } catch {
            throw LogonEventReader.Unexpected()
        }
    }

    /// A key or name twice: which value Foundation would keep is its business.
    ///
    /// Static: a method of the splitter, called with one of its own dictionaries `inout`, had the splitter copied
    /// for the call, and with it the dictionary, which was then copied again to be changed (100,001 users: minutes
    /// in a debug build).
    private static func insert<Key: Hashable, Value>(_ value: Value, at key: Key, into dictionary: inout [Key: Value])
        throws(LogonEventReader.Unexpected)
    {
        guard dictionary.updateValue(value, forKey: key) == nil else { throw LogonEventReader.Unexpected() }
    }
}
