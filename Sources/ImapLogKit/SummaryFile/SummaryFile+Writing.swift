// Writing a summary file: gzip of the first line and the JSON, the long parts of the JSON written in pieces.

import CZlib
import Foundation

extension SummaryFile {
    /// The file's bytes.
    ///
    /// The JSON goes to the compressor in pieces: built whole, Foundation's encoder held several times the
    /// JSON's size (a 1 GB run's summary: 18 MB of JSON, 125 MiB peak).
    package static func encode(_ summary: Summary) throws -> [UInt8] {
        var bytes: [UInt8] = []
        try write(summary) { bytes += $0 }
        return bytes
    }

    /// The file's bytes, handed to `sink` as they are compressed (a year of five servers: 16 MB, not held).
    package static func write(_ summary: Summary, to sink: @escaping (ArraySlice<UInt8>) -> Void) throws {
        let deflater = Deflater(sink: sink)
        let key = String(decoding: try JSONEncoder().encode(mergeKey(summary)), as: UTF8.self)
        deflater.add(Array("\(magic) \(version) \(key)\n".utf8)[...])
        try writeJSON(summary) { deflater.add($0) }
        deflater.finish()
    }

    /// The JSON `JSONEncoder` (keys sorted) gives for `summary`, in pieces: the two long lists (files, logon
    /// events) are encoded a thousand elements at a time, the per-minute tables of the timeline, the probes and
    /// the logons one at a time by hand (their base64 in pieces), the users and clients a thousand at a time by
    /// hand, and spliced into the rest.
    static func writeJSON(_ summary: Summary, to sink: (ArraySlice<UInt8>) -> Void) throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        var skeleton = summary
        skeleton.clients = [:]
        skeleton.users = [:]
        skeleton.files = []
        skeleton.logons = LogonEvents()
        skeleton.logonsByBackend = [:]
        skeleton.probes.minutes = [:]
        skeleton.timeline = [:]
        let text = Array(try encoder.encode(skeleton))
        // Keys are sorted: `clients`, `files`, `logons`, `probes` (holding `minutes`), `timeline`, `users`. Each is
        // `[]` or `{}` in the skeleton (a dictionary whose keys are not strings is written as a list of keys and
        // values).
        let empty = Array("[]".utf8)
        guard let clients = topLevelValue(in: text, key: "clients"), let files = topLevelValue(in: text, key: "files"),
            let logons = topLevelValue(in: text, key: "logons"),
            let logonsByBackend = topLevelValue(in: text, key: "logonsByBackend"),
            let probes = topLevelValue(in: text, key: "probes"),
            let minutes = topLevelValue(in: text, key: "minutes", from: probes),
            let timeline = topLevelValue(in: text, key: "timeline"), let users = topLevelValue(in: text, key: "users"),
            clients < files, files < logons, logons < logonsByBackend, logonsByBackend < minutes, minutes < timeline,
            timeline < users,
            [files, logons, minutes, timeline].allSatisfy({ text[$0...].starts(with: empty) }),
            [clients, logonsByBackend, users].allSatisfy({ text[$0...].starts(with: "{}".utf8) })
        else { throw SpliceError() }
        sink(text[..<(clients + 1)])
        try PartyTallyWriter.write(summary.clients, encoder: encoder, to: sink)
        sink(text[(clients + 1)..<(files + 1)])
        try writeElements(summary.files, encoder: encoder, to: sink)
        sink(text[(files + 1)..<(logons + 1)])
        try writeElements(summary.logons, encoder: encoder, by: LogonEventWriter.append, to: sink)
        sink(text[(logons + 1)..<(logonsByBackend + 1)])
        try writeNamedTables(summary.logonsByBackend, encoder: encoder, to: sink)
        sink(text[(logonsByBackend + 1)..<(minutes + 1)])
        try writeKeysAndTables(summary.probes.minutes, encoder: encoder, to: sink)
        sink(text[(minutes + 1)..<(timeline + 1)])
        try writeKeysAndTables(summary.timeline, encoder: encoder, to: sink)
        sink(text[(timeline + 1)..<(users + 1)])
        try PartyTallyWriter.write(summary.users, encoder: encoder, to: sink)
        sink(text[(users + 1)...])
    }

    /// A dictionary whose keys are not strings as the summary's encoding writes its insides (`key,value,key,value`,
    /// keys ascending), one entry at a time: a per-minute table is one long string, written in pieces.
    private static func writeKeysAndTables<Key: Encodable & Comparable, Value: MinuteTally>(
        _ dictionary: [Key: MinuteTable<Value>], encoder: JSONEncoder, to sink: (ArraySlice<UInt8>) -> Void
    ) throws {
        for (index, (key, table)) in dictionary.sorted(by: { $0.key < $1.key }).enumerated() {
            if index > 0 { sink([UInt8(ascii: ",")][...]) }
            sink(Array(try encoder.encode(key))[...])
            sink([UInt8(ascii: ",")][...])
            Base64.writeJSONString(table.encodedNumbers(), to: sink)
        }
    }

    /// A dictionary of tables by name as the encoder writes its insides (`"name":value`, names in the order of their
    /// UTF-8 bytes, as `PartyTallyWriter` writes them).
    private static func writeNamedTables<Value: MinuteTally>(
        _ dictionary: [String: MinuteTable<Value>], encoder: JSONEncoder, to sink: (ArraySlice<UInt8>) -> Void
    ) throws {
        let sorted = dictionary.sorted { $0.key.utf8.lexicographicallyPrecedes($1.key.utf8) }
        for (index, (name, table)) in sorted.enumerated() {
            var out: [UInt8] = index > 0 ? [UInt8(ascii: ",")] : []
            out += try encoder.encode(name)
            out.append(UInt8(ascii: ":"))
            sink(out[...])
            Base64.writeJSONString(table.encodedNumbers(), to: sink)
        }
    }

    private struct SpliceError: Error {}

    /// Where the value of `key` starts in the object that starts at `start` in the JSON `text` (by default the
    /// top-level one), found by following its strings and brackets (so a key's name inside a string or a nested
    /// object is never taken for it).
    static func topLevelValue(in text: [UInt8], key: String, from start: Int = 0) -> Int? {
        let name = Array(key.utf8)
        var nesting = JSONNesting()
        var stringStart = 0
        for i in start..<text.count {
            switch nesting.step(text[i]) {
            case .stringStarts:
                stringStart = i
            case .stringEnds:
                if nesting.depth == 1 && i + 1 < text.count && text[i + 1] == UInt8(ascii: ":")
                    && text[(stringStart + 1)..<i].elementsEqual(name)
                {
                    return i + 2
                }
            case .closes:
                if nesting.depth == 0 { return nil }  // the end of the object
            case .other, .inString, .opens:
                break
            }
        }
        return nil
    }

    /// `elements` as the encoder writes a list's insides (`a,b,c`), a thousand at a time.
    ///
    /// `writer`, when given, writes an element's bytes itself (true) or leaves it to the encoder (false, having
    /// written nothing).
    private static func writeElements<Elements: RandomAccessCollection>(
        _ elements: Elements, encoder: JSONEncoder, by writer: ((Elements.Element, inout [UInt8]) -> Bool)? = nil,
        to sink: (ArraySlice<UInt8>) -> Void
    ) throws where Elements.Element: Encodable, Elements.Index == Int {
        var start = 0
        while start < elements.count {
            let end = min(start + 1_000, elements.count)
            if start > 0 { sink([UInt8(ascii: ",")][...]) }
            if let writer {
                var out: [UInt8] = []
                out.reserveCapacity(320 * (end - start))
                for index in start..<end {
                    if index > start { out.append(UInt8(ascii: ",")) }
                    if !writer(elements[index], &out) {
                        let encoded = Array(try encoder.encode([elements[index]]))
                        out += encoded[1..<(encoded.count - 1)]
                    }
                }
                sink(out[...])
            } else {
                let encoded = Array(try encoder.encode(Array(elements[start..<end])))
                sink(encoded[1..<(encoded.count - 1)])
            }
            start = end
        }
    }
}

/// gzip compression fed in pieces, its output handed on as it comes.
private final class Deflater {
    private var stream = z_stream()
    private let sink: (ArraySlice<UInt8>) -> Void
    private var chunk = [UInt8](repeating: 0, count: 1 << 16)

    init(sink: @escaping (ArraySlice<UInt8>) -> Void) {
        self.sink = sink
        deflateInit2_(
            &stream, 6, Z_DEFLATED, 15 + 16, 8, Z_DEFAULT_STRATEGY, zlibVersion(), Int32(MemoryLayout<z_stream>.size))
    }

    deinit { deflateEnd(&stream) }

    func add(_ bytes: ArraySlice<UInt8>) { run(bytes, flush: Z_NO_FLUSH) }

    /// Closes the stream.
    func finish() { run([][...], flush: Z_FINISH) }

    private func run(_ bytes: ArraySlice<UInt8>, flush: Int32) {
        // Read in place: zlib's `next_in` is declared mutable but deflate only reads through it.
        bytes.withUnsafeBufferPointer { inBuffer in
            stream.next_in = inBuffer.baseAddress.map { UnsafeMutablePointer(mutating: $0) }
            stream.avail_in = uInt(inBuffer.count)
            repeat {
                let produced = chunk.withUnsafeMutableBufferPointer { outBuffer in
                    stream.next_out = outBuffer.baseAddress
                    stream.avail_out = uInt(outBuffer.count)
                    _ = deflate(&stream, flush)
                    return outBuffer.count - Int(stream.avail_out)
                }
                if produced > 0 { sink(chunk[0..<produced]) }
            } while stream.avail_out == 0 || (flush == Z_FINISH && stream.avail_in > 0)
            stream.next_in = nil
        }
    }
}
