/// Takes a summary's JSON in pieces, as it is decompressed: the logon events are read as they pass, one
/// object at a time, and everything else is kept, with `[]` in their place, for Foundation's decoder.
///
/// So merging holds the JSON without its events (a third of it) instead of the whole: the events of a summary
/// of 4 GB of logs were 27 MB of JSON, and could be several times that.
///
/// The top-level key `logons` is found as `SummaryFile.topLevelValue` finds it (following strings and brackets,
/// the colon right after the key). Anything `LogonEventReader` does not expect makes `add` throw; the caller then
/// decodes the whole JSON with Foundation instead.
struct LogonsSplitter {
    /// The JSON but for the events.
    private(set) var rest: [UInt8] = []
    private(set) var events = LogonEvents()

    private enum Phase {
        /// Looking for the top-level key.
        case seeking
        /// After its colon, before the list's `[`.
        case beforeList
        /// Before an event (`first`: or the list's `]`).
        case beforeElement(first: Bool)
        case inElement
        /// After an event: a comma or the list's `]`.
        case afterElement
        /// The list is read; the rest is kept.
        case done
        /// The top-level object ended without the key; everything is kept.
        case absent
    }

    private var phase = Phase.seeking
    private var depth = 0
    private var inString = false
    private var escaped = false
    /// The raw bytes of the string being read at the top level (up to one more than the key's length).
    private var key: [UInt8] = []
    private var colonNext = false
    private var element: [UInt8] = []

    private static let name = Array("logons".utf8)

    /// Whether the events were read: the key was found and its list ended.
    var isComplete: Bool {
        if case .done = phase { return true }
        return false
    }

    mutating func add(_ bytes: UnsafeBufferPointer<UInt8>) throws(LogonEventReader.Unexpected) {
        var i = 0
        while i < bytes.count {
            switch phase {
            case .seeking:
                i = seek(bytes, from: i)
            case .done, .absent:
                rest.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[i...]))
                i = bytes.count
            case .beforeList:
                let c = bytes[i]
                i += 1
                if Self.isSpace(c) { continue }
                guard c == UInt8(ascii: "[") else { throw LogonEventReader.Unexpected() }
                rest.append(contentsOf: "[]".utf8)
                phase = .beforeElement(first: true)
            case .beforeElement(let first):
                let c = bytes[i]
                i += 1
                if Self.isSpace(c) { continue }
                if first && c == UInt8(ascii: "]") {
                    phase = .done
                } else if c == UInt8(ascii: "{") {
                    element.removeAll(keepingCapacity: true)
                    element.append(c)
                    depth = 1
                    inString = false
                    escaped = false
                    phase = .inElement
                } else {
                    throw LogonEventReader.Unexpected()
                }
            case .inElement:
                i = try readElement(bytes, from: i)
            case .afterElement:
                let c = bytes[i]
                i += 1
                if Self.isSpace(c) { continue }
                if c == UInt8(ascii: ",") {
                    phase = .beforeElement(first: false)
                } else if c == UInt8(ascii: "]") {
                    phase = .done
                } else {
                    throw LogonEventReader.Unexpected()
                }
            }
        }
    }

    /// Copies bytes to `rest` up to the key's colon (or the end of the top-level object); returns where it
    /// stopped.
    private mutating func seek(_ bytes: UnsafeBufferPointer<UInt8>, from start: Int) -> Int {
        var i = start
        defer { rest.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[start..<i])) }
        while i < bytes.count {
            let c = bytes[i]
            i += 1
            if colonNext {
                colonNext = false
                if c == UInt8(ascii: ":") {
                    phase = .beforeList
                    return i
                }
            }
            if inString {
                if escaped {
                    escaped = false
                } else if c == UInt8(ascii: "\\") {
                    escaped = true
                } else if c == UInt8(ascii: "\"") {
                    inString = false
                    colonNext = depth == 1 && key == Self.name
                    continue
                }
                if depth == 1 && key.count <= Self.name.count { key.append(c) }
                continue
            }
            switch c {
            case UInt8(ascii: "\""):
                inString = true
                key.removeAll(keepingCapacity: true)
            case UInt8(ascii: "{"), UInt8(ascii: "["): depth += 1
            case UInt8(ascii: "}"), UInt8(ascii: "]"):
                depth -= 1
                if depth == 0 {
                    phase = .absent
                    return i
                }
            default: break
            }
        }
        return i
    }

    /// Gathers an event's bytes until its closing brace, then reads it; returns where it stopped.
    private mutating func readElement(_ bytes: UnsafeBufferPointer<UInt8>, from start: Int) throws(LogonEventReader
        .Unexpected) -> Int
    {
        var i = start
        var closed = false
        scan: while i < bytes.count {
            let c = bytes[i]
            i += 1
            if inString {
                if escaped {
                    escaped = false
                } else if c == UInt8(ascii: "\\") {
                    escaped = true
                } else if c == UInt8(ascii: "\"") {
                    inString = false
                }
                continue
            }
            switch c {
            case UInt8(ascii: "\""): inString = true
            case UInt8(ascii: "{"), UInt8(ascii: "["): depth += 1
            case UInt8(ascii: "}"), UInt8(ascii: "]"):
                depth -= 1
                if depth == 0 {
                    closed = true
                    break scan
                }
            default: break
            }
        }
        element.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[start..<i]))
        if closed {
            let event = try element.withUnsafeBufferPointer { buffer throws(LogonEventReader.Unexpected) in
                try LogonEventReader.readEvent(buffer)
            }
            events.append(event)
            phase = .afterElement
        }
        return i
    }

    @inline(__always)
    private static func isSpace(_ c: UInt8) -> Bool { c == 0x20 || c == 0x0A || c == 0x0D || c == 0x09 }
}
