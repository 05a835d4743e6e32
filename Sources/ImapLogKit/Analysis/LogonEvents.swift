/// Logon events, stored compactly: each string once, each event as numbers.
///
/// A summary keeps up to `Summary.logonLimit` events (every failure, a sample of successes, per stream). As
/// `[LogonEvent]` each took some 600 bytes (seven strings, most of them on the heap), so memory grew with the
/// number of streams read: a fleet's week of logs could pass the 64 MB the tool keeps to. Here an event is 48
/// bytes, and its strings (users, servers, addresses, files) are shared with every other event naming them.
///
/// Encoded and decoded as the array of `LogonEvent` it stands for: the same JSON.
public struct LogonEvents: Sendable, Equatable, Codable, RandomAccessCollection {
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

    private var records: [Record] = []
    private var strings: [String] = []
    private var ids: [String: Int32] = [:]

    public init() {}

    public init(_ events: some Sequence<LogonEvent>) {
        for event in events { append(event) }
    }

    public var startIndex: Int { 0 }
    public var endIndex: Int { records.count }

    public subscript(position: Int) -> LogonEvent {
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

    public func time(at position: Int) -> Int64 { records[position].time }
    public func role(at position: Int) -> Role { records[position].role }
    public func serverName(at position: Int) -> String { strings[Int(records[position].server)] }
    public func server(at position: Int) -> ServerKey {
        ServerKey(name: serverName(at: position), role: role(at: position))
    }
    public func serverAddress(at position: Int) -> String { strings[Int(records[position].serverAddress)] }
    public func user(at position: Int) -> String { strings[Int(records[position].user)] }
    public func clientAddress(at position: Int) -> String { strings[Int(records[position].clientAddress)] }
    public func backend(at position: Int) -> String { strings[Int(records[position].backend)] }

    public mutating func append(_ event: LogonEvent) {
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

    /// Appends `other`'s events until this list holds `limit`.
    public mutating func append(contentsOf other: LogonEvents, upTo limit: Int) {
        let taken = Swift.min(other.count, Swift.max(0, limit - count))
        guard taken > 0 else { return }
        if isEmpty && taken == other.count {
            self = other  // shared, not copied
            return
        }
        let mapped = other.strings.map { id($0) }
        records.reserveCapacity(records.count + taken)
        for var record in other.records.prefix(taken) {
            record.server = mapped[Int(record.server)]
            record.serverAddress = mapped[Int(record.serverAddress)]
            record.clientAddress = mapped[Int(record.clientAddress)]
            record.user = mapped[Int(record.user)]
            record.backend = mapped[Int(record.backend)]
            record.errorCode = mapped[Int(record.errorCode)]
            record.exampleFile = mapped[Int(record.exampleFile)]
            records.append(record)
        }
    }

    public static func == (lhs: LogonEvents, rhs: LogonEvents) -> Bool { lhs.elementsEqual(rhs) }

    public init(from decoder: any Decoder) throws {
        var container = try decoder.unkeyedContainer()
        while !container.isAtEnd { append(try container.decode(LogonEvent.self)) }
    }

    public func encode(to encoder: any Encoder) throws {
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
