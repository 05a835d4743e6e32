import Foundation
import ImapLogDiagnosis
import ImapLogKit

/// Renders a report as JSON: the documented contract, keys sorted, so equal reports are equal bytes.
package enum JSONRenderer {
    package static func render(_ report: Report) throws -> String {
        String(decoding: try renderBytes(report), as: UTF8.self)
    }

    /// The JSON as UTF-8 bytes, ending in a newline (no copy into a `String`: reports can be megabytes).
    package static func renderBytes(_ report: Report) throws -> Data {
        var data = Sanitize.jsonInvisiblesEscaped(try makeEncoder().encode(report))
        data.append(0x0A)
        return data
    }

    /// Writes the same bytes as `renderBytes`, in pieces: the report's two long lists (the timeline, the
    /// files) are encoded a thousand elements at a time and spliced in.
    ///
    /// Foundation's encoder builds the whole document as a tree before writing it: about four times the
    /// output's size (50 MB for the 12 MB report of four weeks of logs). In pieces it stays near a
    /// thousand elements' worth. `sink` takes each piece; it returns false to stop (the reader went away).
    ///
    /// - Returns: false when `sink` stopped the writing.
    package static func write(_ report: Report, to sink: (Data) -> Bool) throws -> Bool {
        // Every piece ends between elements, so no character is cut between two pieces.
        try writePieces(report) { sink(Sanitize.jsonInvisiblesEscaped($0)) }
    }

    private static func writePieces(_ report: Report, to sink: (Data) -> Bool) throws -> Bool {
        let encoder = makeEncoder()
        var skeleton = report
        skeleton.timeline = []
        skeleton.input.fileSummaries = []
        let text = try encoder.encode(skeleton)
        // Where the empty lists stand. A newline inside a string is escaped, so these patterns (a real newline,
        // then the indentation of a key at that depth) can only be the document's structure.
        let timeline = try splicePoint(in: text, key: "timeline", depth: 1, after: text.startIndex)
        let input = try splicePoint(in: text, key: "input", depth: 1, after: text.startIndex, opens: "{")
        let files = try splicePoint(in: text, key: "files", depth: 2, after: input.lowerBound)
        // Keys are sorted: `input` (with `files`) comes before `timeline`.
        guard files.upperBound <= timeline.lowerBound else { throw SpliceError() }
        guard sink(text[text.startIndex..<files.lowerBound]) else { return false }
        // The files become `File`s a thousand at a time, as they are written.
        let reportFiles = report.input.fileSummaries.lazy.map(Report.File.init(summary:))
        guard try writeElements(reportFiles, at: files, depth: 3, encoder: encoder, to: sink) else {
            return false
        }
        guard sink(text[files.upperBound..<timeline.lowerBound]) else { return false }
        guard
            try writeElements(
                report.timeline, at: timeline, depth: 2, encoder: encoder, by: TimelineWriter.append, to: sink)
        else {
            return false
        }
        var tail = text[timeline.upperBound...]
        tail.append(0x0A)
        return sink(tail)
    }

    private static func makeEncoder() -> JSONEncoder {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        return encoder
    }

    private struct SpliceError: Error {}

    /// In `text`, the bytes of the empty list of `key` at `depth` (`\n\n` and the closing bracket's
    /// indentation), or, with `opens: "{"`, the key itself.
    private static func splicePoint(
        in text: Data, key: String, depth: Int, after start: Data.Index, opens: String = "["
    ) throws -> Range<Data.Index> {
        let indent = String(repeating: " ", count: 2 * depth)
        let head = Data("\n\(indent)\"\(key)\" : \(opens)".utf8)
        guard let found = text.range(of: head, in: start..<text.endIndex) else { throw SpliceError() }
        if opens == "{" { return found }
        let empty = Data("\n\n\(indent)]".utf8)
        guard text[found.upperBound...].starts(with: empty) else { throw SpliceError() }
        // Keep the first newline (after `[`); replace the blank line and the bracket's indentation.
        return (found.upperBound + 1)..<(found.upperBound + empty.count - 1)
    }

    /// The elements as the whole-document encoder writes them inside a list at `depth` (in place of the
    /// empty list's `blank`): each indented by `2 × depth` spaces, separated by `,\n`.
    ///
    /// `writer`, when given, writes an element's bytes itself (true) or leaves it to the encoder (false,
    /// having written nothing): Foundation's encoder costs some 40,000 instructions for a timeline bucket.
    private static func writeElements<Elements: RandomAccessCollection>(
        _ elements: Elements, at blank: Range<Data.Index>, depth: Int, encoder: JSONEncoder,
        by writer: ((Elements.Element, Int, inout [UInt8]) -> Bool)? = nil, to sink: (Data) -> Bool
    ) throws -> Bool where Elements.Element: Encodable, Elements.Index == Int {
        // An empty list stays as the encoder wrote it.
        guard !elements.isEmpty else { return sink(Data("\n".utf8) + Data(repeating: 0x20, count: blank.count - 1)) }
        let extra = [UInt8](repeating: 0x20, count: 2 * (depth - 1))
        let batchSize = 1_000
        var start = 0
        while start < elements.count {
            let end = min(start + batchSize, elements.count)
            // Built as an array: `Data.append` of one byte costs hundreds of instructions.
            var out: [UInt8] = []
            if start > 0 { out.append(contentsOf: [UInt8(ascii: ","), 0x0A]) }
            if let writer {
                out.reserveCapacity(256 * (end - start))
                for index in start..<end {
                    if index > start { out.append(contentsOf: [UInt8(ascii: ","), 0x0A]) }
                    if !writer(elements[index], depth, &out) {
                        try appendEncoded([elements[index]], extra: extra, encoder: encoder, to: &out)
                    }
                }
            } else {
                try appendEncoded(Array(elements[start..<end]), extra: extra, encoder: encoder, to: &out)
            }
            guard sink(Data(out)) else { return false }
            start = end
        }
        // The closing bracket's line.
        return sink(Data([0x0A] + extra))
    }

    /// Appends `elements` as the encoder writes them inside a list, each line indented by `extra` more.
    private static func appendEncoded<Element: Encodable>(
        _ elements: [Element], extra: [UInt8], encoder: JSONEncoder, to out: inout [UInt8]
    ) throws {
        // `[\n  {…},\n  {…}\n]`: the elements already carry two spaces of a top-level list.
        let encoded = try encoder.encode(elements)
        out.reserveCapacity(out.count + encoded.count + encoded.count / 4)
        // Every line gets the extra indentation but the blank one inside an empty list (`[\n\n  ]`).
        var atLineStart = true
        encoded.withUnsafeBytes { raw in
            for byte in raw[2..<(raw.count - 2)] {
                if atLineStart && byte != 0x0A { out.append(contentsOf: extra) }
                out.append(byte)
                atLineStart = byte == 0x0A
            }
        }
    }
}

/// Writes timeline buckets by hand, byte for byte as the report's `JSONEncoder` would.
///
/// Only for values whose bytes are certain: strings of printable ASCII without a quote or backslash, and
/// latencies that are tenths (how the report rounds them) below 10¹². Anything else is left to the encoder.
enum TimelineWriter {
    /// Appends `bucket` as an element of a list at `depth`; false (nothing appended) when it is left to the encoder.
    static func append(_ bucket: Report.TimelineBucket, depth: Int, to out: inout [UInt8]) -> Bool {
        guard let tenths = tenths(bucket.meanLatencyMs), isPlain(bucket.time), isPlain(bucket.server),
            isPlain(bucket.role.rawValue)
        else { return false }
        let indent = 2 * depth
        appendSpaces(indent, to: &out)
        out.append(contentsOf: "{\n".utf8)
        appendKey("failures", indent: indent + 2, to: &out)
        appendInteger(bucket.failures, to: &out)
        out.append(contentsOf: ",\n".utf8)
        appendKey("meanLatencyMs", indent: indent + 2, to: &out)
        appendInteger(tenths / 10, to: &out)
        if tenths % 10 != 0 {
            out.append(UInt8(ascii: "."))
            out.append(UInt8(ascii: "0") + UInt8(tenths % 10))
        }
        out.append(contentsOf: ",\n".utf8)
        appendKey("requests", indent: indent + 2, to: &out)
        appendInteger(bucket.requests, to: &out)
        out.append(contentsOf: ",\n".utf8)
        appendKey("role", indent: indent + 2, to: &out)
        appendString(bucket.role.rawValue, to: &out)
        out.append(contentsOf: ",\n".utf8)
        appendKey("server", indent: indent + 2, to: &out)
        appendString(bucket.server, to: &out)
        out.append(contentsOf: ",\n".utf8)
        appendKey("time", indent: indent + 2, to: &out)
        appendString(bucket.time, to: &out)
        out.append(0x0A)
        appendSpaces(indent, to: &out)
        out.append(UInt8(ascii: "}"))
        return true
    }

    /// `value` as a count of tenths, when it is one (not negative, below 10¹²): its shortest decimal form,
    /// which the encoder writes, is then those tenths' digits (the spacing of doubles there is far below 0.05).
    static func tenths(_ value: Double) -> Int? {
        guard value.sign == .plus, value < 1e12 else { return nil }
        let scaled = (value * 10).rounded()
        guard scaled / 10 == value else { return nil }
        return Int(scaled)
    }

    /// Printable ASCII without a quote or backslash: the encoder writes such a string as it is.
    static func isPlain(_ text: String) -> Bool {
        text.utf8.allSatisfy { $0 >= 0x20 && $0 < 0x7F && $0 != UInt8(ascii: "\"") && $0 != UInt8(ascii: "\\") }
    }

    private static func appendSpaces(_ count: Int, to out: inout [UInt8]) {
        out.append(contentsOf: repeatElement(0x20, count: count))
    }

    private static func appendKey(_ key: StaticString, indent: Int, to out: inout [UInt8]) {
        appendSpaces(indent, to: &out)
        out.append(UInt8(ascii: "\""))
        out.append(contentsOf: UnsafeBufferPointer(start: key.utf8Start, count: key.utf8CodeUnitCount))
        out.append(contentsOf: "\" : ".utf8)
    }

    private static func appendString(_ text: String, to out: inout [UInt8]) {
        out.append(UInt8(ascii: "\""))
        out.append(contentsOf: text.utf8)
        out.append(UInt8(ascii: "\""))
    }

    private static func appendInteger(_ value: Int, to out: inout [UInt8]) {
        if value < 0 { out.append(UInt8(ascii: "-")) }
        var magnitude = value.magnitude
        var digits: (UInt64, UInt64, UInt64) = (0, 0, 0)  // room for 20 digits
        var count = 0
        withUnsafeMutableBytes(of: &digits) { buffer in
            repeat {
                buffer[23 - count] = UInt8(ascii: "0") + UInt8(magnitude % 10)
                magnitude /= 10
                count += 1
            } while magnitude > 0
            out.append(contentsOf: buffer[(24 - count)...])
        }
    }
}

/// Renders one table of a report as CSV (RFC 4180), formulas neutralised.
package enum CSVRenderer {
    /// The tables `--table` can name.
    package enum Table: String, CaseIterable, Sendable {
        case servers, commands, errors, users, clients, timeline, files
    }

    /// A cell: text (from the logs, or a name of the report's), escaped by `Sanitize.csvCell`, or a number the
    /// report computed, written as it is so that a spreadsheet reads a number (`-1` stays `-1`, not `'-1`).
    private enum Cell {
        case text(String)
        case number(String)

        static func count(_ value: some BinaryInteger) -> Cell { .number("\(value)") }
        static func value(_ value: Double) -> Cell { .number("\(value)") }

        var csv: String {
            switch self {
            case .text(let text): return Sanitize.csvCell(text)
            case .number(let digits): return digits
            }
        }
    }

    package static func render(_ report: Report, table: Table) -> String {
        var header: [String]
        var rows: [[Cell]] = []
        switch table {
        case .servers:
            header = [
                "server", "role", "seen_from", "sessions", "commands", "failures", "failure_rate", "p50_ms", "p90_ms",
                "p99_ms", "max_ms", "mean_ms", "proxied_sessions", "proxied_commands", "proxied_failures",
                "request_bytes", "response_bytes",
            ]
            for s in report.servers {
                rows.append(
                    [
                        .text(s.server), .text(s.role.rawValue), .text(s.seenFrom), .count(s.sessions),
                        .count(s.commands), .count(s.failures), .value(s.failureRate),
                    ] + latency(s.latencyMs)
                        + [
                            .count(s.proxied?.sessions ?? 0), .count(s.proxied?.commands ?? 0),
                            .count(s.proxied?.failures ?? 0), .count(s.requestBytes), .count(s.responseBytes),
                        ])
            }
        case .commands:
            header = [
                "command", "count", "failures", "p50_ms", "p90_ms", "p99_ms", "max_ms", "mean_ms", "request_bytes",
                "response_bytes",
            ]
            for c in report.commands {
                rows.append(
                    [.text(c.command), .count(c.count), .count(c.failures)] + latency(c.latencyMs)
                        + [.count(c.requestBytes), .count(c.responseBytes)])
            }
        case .errors:
            header = ["class", "code", "message", "count", "servers", "example"]
            for e in report.errors {
                rows.append([
                    .text(e.errorClass.rawValue), .text(e.code), .text(e.message), .count(e.count),
                    .text(e.servers.joined(separator: " ")), .text(e.example ?? ""),
                ])
            }
        case .users, .clients:
            header = [
                table == .users ? "user" : "address", "commands", "failures", "failed_logons", "credential_failures",
                "sessions",
            ]
            for p in table == .users ? report.users : report.clients {
                rows.append([
                    .text(p.name), .count(p.commands), .count(p.failures), .count(p.failedLogons),
                    .count(p.credentialFailures), .count(p.sessions),
                ])
            }
        case .timeline:
            header = ["time", "server", "role", "requests", "failures", "mean_latency_ms"]
            for b in report.timeline {
                rows.append([
                    .text(b.time), .text(b.server), .text(b.role.rawValue), .count(b.requests), .count(b.failures),
                    .value(b.meanLatencyMs),
                ])
            }
        case .files:
            header = [
                "path", "role", "server", "format", "lines", "header_lines", "records", "skipped", "first", "last",
            ]
            for summary in report.input.fileSummaries {
                let f = Report.File(summary: summary)
                rows.append([
                    .text(f.path), .text(f.role.rawValue), .text(f.server ?? ""), .text(f.format ?? ""),
                    .count(f.lines), .count(f.headerLines), .count(f.records), .count(f.skipped), .text(f.first ?? ""),
                    .text(f.last ?? ""),
                ])
            }
        }
        let lines = [header.joined(separator: ",")] + rows.map { $0.map(\.csv).joined(separator: ",") }
        return lines.joined(separator: "\r\n") + "\r\n"
    }

    private static func latency(_ l: Report.Latency) -> [Cell] {
        [.count(l.p50), .count(l.p90), .count(l.p99), .count(l.max), .value(l.mean)]
    }
}
