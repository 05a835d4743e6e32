/// Takes a summary's JSON in pieces, as it is decompressed: its three long parts (the logon events, the users
/// and the clients) are read as they pass, one element at a time, and everything else is kept, with `[]` or `{}`
/// in their place, for Foundation's decoder.
///
/// Foundation's decoder builds a tree of the whole document first: for a summary at the bounds (200,000 logon
/// events, 60,000 users) that tree and the JSON held for it took over 90 MiB. Here merging holds the rest of the
/// JSON and the parts as they will be kept.
///
/// A top-level key is found as `SummaryFile.topLevelValue` finds one (following strings and brackets, the colon
/// right after the key). A part whose key is spelled otherwise stays in the rest, for Foundation. Anything else
/// unexpected (a part named twice, a user named twice, a value `LogonEventReader` does not read) makes `add`
/// throw; the caller then decodes the whole JSON with Foundation instead.
struct SummarySplitter {
    /// The JSON but for the parts read.
    private(set) var rest: [UInt8] = []
    private(set) var events = LogonEvents()
    private(set) var users: [String: PartyTally] = [:]
    private(set) var clients: [String: PartyTally] = [:]
    /// The parts read.
    private(set) var found: Set<Part> = []

    enum Part: CaseIterable {
        case logons, users, clients

        var name: [UInt8] {
            switch self {
            case .logons: Array("logons".utf8)
            case .users: Array("users".utf8)
            case .clients: Array("clients".utf8)
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
    /// The raw bytes of the string being read at the top level (up to one more than the longest key).
    private var key: [UInt8] = []
    private var colonNext = false
    private var element: [UInt8] = []
    private var name = ""

    /// Whether the JSON's top-level object ended, every part found in it read.
    var isComplete: Bool {
        if case .ended = phase { return true }
        return false
    }

    mutating func add(_ bytes: UnsafeBufferPointer<UInt8>) throws(LogonEventReader.Unexpected) {
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
            if c == 0x20 || c == 0x0A || c == 0x0D || c == 0x09 { continue }
            try step(c)
        }
    }

    /// One byte (not a space) between the parts' elements.
    private mutating func step(_ c: UInt8) throws(LogonEventReader.Unexpected) {
        let open = part == .logons ? UInt8(ascii: "[") : UInt8(ascii: "{")
        let close = part == .logons ? UInt8(ascii: "]") : UInt8(ascii: "}")
        switch phase {
        case .beforeValue:
            guard c == open else { throw LogonEventReader.Unexpected() }
            rest.append(contentsOf: part == .logons ? "[]".utf8 : "{}".utf8)
            phase = .beforeElement(first: true)
        case .beforeElement(let first):
            if first && c == close {
                phase = .seeking
            } else if part == .logons && c == UInt8(ascii: "{") {
                startElement()
            } else if part != .logons && c == UInt8(ascii: "\"") {
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
            guard c == UInt8(ascii: "{") else { throw LogonEventReader.Unexpected() }
            startElement()
        case .afterElement:
            if c == UInt8(ascii: ",") {
                phase = .beforeElement(first: false)
            } else if c == close {
                phase = .seeking
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
        phase = .inElement
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
                if c == UInt8(ascii: ":"), let named = Part.allCases.first(where: { $0.name == key }) {
                    // A part named twice: which one Foundation would keep is its business.
                    guard found.insert(named).inserted else { throw LogonEventReader.Unexpected() }
                    part = named
                    phase = .beforeValue
                    return i
                }
            }
            switch nesting.step(c) {
            case .stringStarts:
                key.removeAll(keepingCapacity: true)
            case .inString:
                if nesting.depth == 1 && key.count <= 7 { key.append(c) }
            case .stringEnds:
                colonNext = nesting.depth == 1
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
        if closed {
            name = try element.withUnsafeBufferPointer { buffer throws(LogonEventReader.Unexpected) in
                try LogonEventReader.readString(buffer)
            }
            phase = .beforeColon
        }
        return end
    }

    /// Gathers an element's bytes up to its closing brace, then reads it; returns where it stopped.
    private mutating func gatherElement(_ bytes: UnsafeBufferPointer<UInt8>, from start: Int) throws(LogonEventReader
        .Unexpected) -> Int
    {
        let (end, closed) = gather(bytes, from: start) { step, depth in step == .closes && depth == 0 }
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

    private mutating func finishElement() throws(LogonEventReader.Unexpected) {
        nesting = JSONNesting(depth: 1)  // back at the top level
        phase = .afterElement
        if part == .logons {
            let event = try element.withUnsafeBufferPointer { buffer throws(LogonEventReader.Unexpected) in
                try LogonEventReader.readEvent(buffer)
            }
            events.append(event)
            return
        }
        let tally = try element.withUnsafeBufferPointer { buffer throws(LogonEventReader.Unexpected) in
            try LogonEventReader.readPartyTally(buffer)
        }
        // A name twice: which tally Foundation would keep is its business.
        if part == .users {
            guard users.updateValue(tally, forKey: name) == nil else { throw LogonEventReader.Unexpected() }
        } else {
            guard clients.updateValue(tally, forKey: name) == nil else { throw LogonEventReader.Unexpected() }
        }
    }
}
