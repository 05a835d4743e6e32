/// Reads a summary's logon events, users' and clients' names and tallies straight from their JSON, without
/// Foundation's decoding tree (`SummarySplitter` hands it one element at a time).
///
/// Foundation's `JSONDecoder` first builds a tree of the whole document, then decodes it key by key: for the
/// logon events, two thirds of a summary's JSON, that was most of a merge's time and memory. This reader takes
/// the JSON `JSONEncoder` writes for them, with any spacing. Anything else (an unknown or repeated key, a
/// number with a fraction or exponent, invalid UTF-8, a lone surrogate) makes it give up, and the caller decodes
/// with Foundation instead, which accepts or refuses the file as before.
struct LogonEventReader {
    /// JSON this reader does not read (the caller may hand it to Foundation), or, with `limit`, a summary past one
    /// of `SummaryFile`'s bounds (refused: nothing else reads it).
    struct Unexpected: Error {
        /// The bound met, as the refusal says it.
        var limit: String?

        init(limit: String? = nil) { self.limit = limit }
    }

    private let text: UnsafeBufferPointer<UInt8>
    private var i: Int

    private init(_ text: UnsafeBufferPointer<UInt8>, at start: Int) {
        self.text = text
        self.i = start
    }

    /// Reads the list that starts at `start` (at its `[`, or spaces before it).
    ///
    /// Merging reads the list an event at a time instead (`SummarySplitter`); this whole-list reading is what
    /// the splitter is checked against, in the tests and the fuzz target.
    ///
    /// - Returns: the events and the index just past the list's `]`.
    static func read(_ text: UnsafeBufferPointer<UInt8>, from start: Int) throws(Unexpected) -> (
        events: LogonEvents, end: Int
    ) {
        var reader = LogonEventReader(text, at: start)
        var events = LogonEvents()
        try reader.expect(UInt8(ascii: "["))
        if try reader.peek() == UInt8(ascii: "]") {
            reader.i += 1
            return (events, reader.i)
        }
        while true {
            events.append(try reader.event())
            let next = try reader.next()
            if next == UInt8(ascii: "]") { return (events, reader.i) }
            guard next == UInt8(ascii: ",") else { throw Unexpected() }
        }
    }

    /// Reads the one event `text` holds (nothing but spaces may follow it).
    static func readEvent(_ text: UnsafeBufferPointer<UInt8>) throws(Unexpected) -> LogonEvent {
        try readWhole(text) { reader throws(Unexpected) in try reader.event() }
    }

    /// Reads the one string `text` holds, quotes included (nothing but spaces may follow it).
    static func readString(_ text: UnsafeBufferPointer<UInt8>) throws(Unexpected) -> String {
        try readWhole(text) { reader throws(Unexpected) in try reader.string() }
    }

    /// Reads the one user's or client's tally `text` holds (nothing but spaces may follow it).
    static func readPartyTally(_ text: UnsafeBufferPointer<UInt8>) throws(Unexpected) -> PartyTally {
        try readWhole(text) { reader throws(Unexpected) in try reader.partyTally() }
    }

    /// Reads with `read` the one value `text` holds: nothing but spaces may follow it.
    private static func readWhole<Value>(
        _ text: UnsafeBufferPointer<UInt8>, _ read: (inout LogonEventReader) throws(Unexpected) -> Value
    ) throws(Unexpected) -> Value {
        var reader = LogonEventReader(text, at: 0)
        let value = try read(&reader)
        reader.skipSpaces()
        guard reader.i == text.count else { throw Unexpected() }
        return value
    }

    private mutating func partyTally() throws(Unexpected) -> PartyTally {
        var fields = [Int](repeating: 0, count: Self.partyKeys.count)
        var seen = 0
        var more = try beginObject()
        while more {
            let index = try memberKey { bytes in
                Self.partyKeys.firstIndex {
                    UnsafeBufferPointer(start: $0.utf8Start, count: $0.utf8CodeUnitCount).elementsEqual(bytes)
                } ?? -1
            }
            guard index >= 0, seen & (1 << index) == 0 else { throw Unexpected() }
            seen |= 1 << index
            guard let value = Int(exactly: try integer()) else { throw Unexpected() }
            fields[index] = value
            more = try nextMember()
        }
        // Every key is required, as for the decoder.
        guard seen == (1 << Self.partyKeys.count) - 1 else { throw Unexpected() }
        return PartyTally(
            commands: fields[0], failures: fields[3], failedLogons: fields[2], credentialFailures: fields[1],
            sessions: fields[4])
    }

    private static let partyKeys: [StaticString] = [
        "commands", "credentialFailures", "failedLogons", "failures", "sessions",
    ]

    // MARK: - The objects

    private static let keys: [StaticString] = [
        "backend", "clientAddress", "errorClass", "errorCode", "example", "failed", "server", "serverAddress", "time",
        "user",
    ]

    /// The index in `keys` of the key `bytes` (-1: none).
    private static func keyIndex(_ bytes: UnsafeBufferPointer<UInt8>) -> Int {
        for (index, key) in keys.enumerated() where key.utf8CodeUnitCount == bytes.count {
            if UnsafeBufferPointer(start: key.utf8Start, count: key.utf8CodeUnitCount).elementsEqual(bytes) {
                return index
            }
        }
        return -1
    }

    private mutating func event() throws(Unexpected) -> LogonEvent {
        var backend = "", clientAddress = "", errorCode = "", example = "", serverAddress = "", user = ""
        var errorClass: ErrorClass?
        var failed = false
        var server = ServerKey(name: "", role: .unknown)
        var time: Int64 = 0
        var seen = 0
        var more = try beginObject()
        while more {
            let index = try memberKey { Self.keyIndex($0) }
            guard index >= 0, seen & (1 << index) == 0 else { throw Unexpected() }
            seen |= 1 << index
            switch index {
            case 0: backend = try string()
            case 1: clientAddress = try string()
            case 2:
                if try peek() == UInt8(ascii: "n") {
                    try literal("null")
                } else {
                    guard let value = ErrorClass(rawValue: try string()) else { throw Unexpected() }
                    errorClass = value
                }
            case 3: errorCode = try string()
            case 4: example = try string()
            case 5: failed = try bool()
            case 6: server = try serverKey()
            case 7: serverAddress = try string()
            case 8: time = try integer()
            default: user = try string()
            }
            more = try nextMember()
        }
        // Every key but `errorClass` is required, as for the decoder.
        guard seen | (1 << 2) == (1 << Self.keys.count) - 1 else { throw Unexpected() }
        return LogonEvent(
            time: time, server: server, serverAddress: serverAddress, clientAddress: clientAddress, user: user,
            backend: backend, failed: failed, errorCode: errorCode, errorClass: errorClass, example: example)
    }

    private mutating func serverKey() throws(Unexpected) -> ServerKey {
        var name: String?
        var role: Role?
        var more = try beginObject()
        while more {
            let key = try memberKey { $0.elementsEqual("name".utf8) ? 0 : $0.elementsEqual("role".utf8) ? 1 : -1 }
            if key == 0 && name == nil {
                name = try string()
            } else if key == 1 && role == nil {
                guard let value = Role(rawValue: try string()) else { throw Unexpected() }
                role = value
            } else {
                throw Unexpected()
            }
            more = try nextMember()
        }
        guard let name, let role else { throw Unexpected() }
        return ServerKey(name: name, role: role)
    }

    /// Reads an object's `{`: true when a member follows (else its `}` is read too).
    private mutating func beginObject() throws(Unexpected) -> Bool {
        try expect(UInt8(ascii: "{"))
        if try peek() == UInt8(ascii: "}") {
            i += 1
            return false
        }
        return true
    }

    /// Reads a member's key and the colon after it; returns what `identify` makes of the key's bytes.
    private mutating func memberKey(_ identify: (UnsafeBufferPointer<UInt8>) -> Int) throws(Unexpected) -> Int {
        guard try peek() == UInt8(ascii: "\"") else { throw Unexpected() }
        let (start, end, escaped) = try stringExtent()
        let found: Int
        if escaped {
            i = start - 1
            found = try stringBytes().withUnsafeBufferPointer(identify)
        } else {
            found = identify(UnsafeBufferPointer(rebasing: text[start..<end]))
        }
        try expect(UInt8(ascii: ":"))
        return found
    }

    /// After a member's value: true at a comma (another member follows), false at the object's `}`.
    private mutating func nextMember() throws(Unexpected) -> Bool {
        let next = try next()
        if next == UInt8(ascii: "}") { return false }
        guard next == UInt8(ascii: ",") else { throw Unexpected() }
        return true
    }

    // MARK: - Values

    private mutating func string() throws(Unexpected) -> String {
        guard try peek() == UInt8(ascii: "\"") else { throw Unexpected() }
        let (start, end, escaped) = try stringExtent()
        if escaped {
            i = start - 1
            let bytes = try stringBytes()
            guard let value = bytes.withUnsafeBufferPointer({ try? Self.text(of: $0) }) else { throw Unexpected() }
            return value
        }
        return try Self.text(of: UnsafeBufferPointer(rebasing: text[start..<end]))
    }

    /// `bytes` as a string: ASCII (the usual) taken as it is, anything else checked as UTF-8.
    private static func text(of bytes: UnsafeBufferPointer<UInt8>) throws(Unexpected) -> String {
        var k = 0
        var high: UInt8 = 0
        while k < bytes.count {
            high |= bytes[k]
            k += 1
        }
        if high < 0x80 { return String(decoding: bytes, as: UTF8.self) }
        guard let value = String(validating: bytes, as: UTF8.self) else { throw Unexpected() }
        return value
    }

    /// Finds the end of the string whose opening quote is next: its bytes' range (quotes excluded) and whether
    /// it holds escapes; reads past its closing quote.
    private mutating func stringExtent() throws(Unexpected) -> (start: Int, end: Int, escaped: Bool) {
        i += 1
        let start = i
        var escaped = false
        while true {
            guard i < text.count else { throw Unexpected() }
            let c = text[i]
            if c == UInt8(ascii: "\"") { break }
            if c == UInt8(ascii: "\\") {
                escaped = true
                i += 1
            } else if c < 0x20 {
                // JSON allows no raw control characters in a string.
                throw Unexpected()
            }
            i += 1
        }
        i += 1
        return (start, i - 1, escaped)
    }

    /// A string's bytes, escapes resolved (the next byte is its opening quote).
    private mutating func stringBytes() throws(Unexpected) -> [UInt8] {
        i += 1
        var out: [UInt8] = []
        while true {
            guard i < text.count else { throw Unexpected() }
            let c = text[i]
            i += 1
            switch c {
            case UInt8(ascii: "\""):
                return out
            case UInt8(ascii: "\\"):
                guard i < text.count else { throw Unexpected() }
                let e = text[i]
                i += 1
                switch e {
                case UInt8(ascii: "\""), UInt8(ascii: "\\"), UInt8(ascii: "/"): out.append(e)
                case UInt8(ascii: "b"): out.append(0x08)
                case UInt8(ascii: "f"): out.append(0x0C)
                case UInt8(ascii: "n"): out.append(0x0A)
                case UInt8(ascii: "r"): out.append(0x0D)
                case UInt8(ascii: "t"): out.append(0x09)
                case UInt8(ascii: "u"):
                    var scalar = try hex4()
                    if (0xD800..<0xDC00).contains(scalar) {
                        // A high surrogate must be followed by its low one.
                        guard i + 1 < text.count, text[i] == UInt8(ascii: "\\"), text[i + 1] == UInt8(ascii: "u")
                        else { throw Unexpected() }
                        i += 2
                        let low = try hex4()
                        guard (0xDC00..<0xE000).contains(low) else { throw Unexpected() }
                        scalar = 0x10000 + ((scalar - 0xD800) << 10) + (low - 0xDC00)
                    }
                    guard let unicode = Unicode.Scalar(scalar) else { throw Unexpected() }
                    out.append(contentsOf: String(Character(unicode)).utf8)
                default:
                    throw Unexpected()
                }
            default:
                // JSON allows no raw control characters in a string.
                guard c >= 0x20 else { throw Unexpected() }
                out.append(c)
            }
        }
    }

    private mutating func hex4() throws(Unexpected) -> UInt32 {
        guard i + 4 <= text.count else { throw Unexpected() }
        var value: UInt32 = 0
        for _ in 0..<4 {
            let c = text[i]
            i += 1
            let digit: UInt8
            switch c {
            case UInt8(ascii: "0")...UInt8(ascii: "9"): digit = c - UInt8(ascii: "0")
            case UInt8(ascii: "a")...UInt8(ascii: "f"): digit = c - UInt8(ascii: "a") + 10
            case UInt8(ascii: "A")...UInt8(ascii: "F"): digit = c - UInt8(ascii: "A") + 10
            default: throw Unexpected()
            }
            value = value << 4 | UInt32(digit)
        }
        return value
    }

    /// An integer as the encoder writes one: an optional minus, then digits without a leading zero.
    private mutating func integer() throws(Unexpected) -> Int64 {
        skipSpaces()
        var negative = false
        if i < text.count && text[i] == UInt8(ascii: "-") {
            negative = true
            i += 1
        }
        let first = i
        var magnitude: UInt64 = 0
        while i < text.count, case let digit = text[i] &- UInt8(ascii: "0"), digit < 10 {
            let (times, overflowTimes) = magnitude.multipliedReportingOverflow(by: 10)
            let (sum, overflowSum) = times.addingReportingOverflow(UInt64(digit))
            guard !overflowTimes && !overflowSum else { throw Unexpected() }
            magnitude = sum
            i += 1
        }
        guard i > first, !(text[first] == UInt8(ascii: "0") && i - first > 1) else { throw Unexpected() }
        if i < text.count && [UInt8(ascii: "."), UInt8(ascii: "e"), UInt8(ascii: "E")].contains(text[i]) {
            throw Unexpected()
        }
        if negative {
            guard magnitude <= UInt64(Int64.max) + 1 else { throw Unexpected() }
            return magnitude == UInt64(Int64.max) + 1 ? Int64.min : -Int64(magnitude)
        }
        guard magnitude <= UInt64(Int64.max) else { throw Unexpected() }
        return Int64(magnitude)
    }

    private mutating func bool() throws(Unexpected) -> Bool {
        if try peek() == UInt8(ascii: "t") {
            try literal("true")
            return true
        }
        try literal("false")
        return false
    }

    private mutating func literal(_ word: StaticString) throws(Unexpected) {
        skipSpaces()
        let count = word.utf8CodeUnitCount
        guard i + count <= text.count,
            UnsafeBufferPointer(start: word.utf8Start, count: count).elementsEqual(text[i..<(i + count)])
        else { throw Unexpected() }
        i += count
    }

    // MARK: - Bytes

    private mutating func skipSpaces() {
        while i < text.count && (text[i] == 0x20 || text[i] == 0x0A || text[i] == 0x0D || text[i] == 0x09) { i += 1 }
    }

    /// The next byte that is not a space, left unread.
    private mutating func peek() throws(Unexpected) -> UInt8 {
        skipSpaces()
        guard i < text.count else { throw Unexpected() }
        return text[i]
    }

    /// The next byte that is not a space, read.
    private mutating func next() throws(Unexpected) -> UInt8 {
        let c = try peek()
        i += 1
        return c
    }

    private mutating func expect(_ byte: UInt8) throws(Unexpected) {
        guard try next() == byte else { throw Unexpected() }
    }
}
