// The summary file's form of a per-minute table: variable-length numbers in base64, checked as they are read.

import Foundation

/// Encoded compactly, as one base64 string of variable-length numbers: how many minutes, then for each, in
/// order, the gap from the previous minute and the tally's fields (zig-zag, so negative numbers stay short).
/// A summary holds hundreds of thousands of minutes; as JSON objects they made the encoder's memory ten
/// times the file's size, and as fixed 64-bit numbers most bytes were zeros.
extension MinuteTable: Codable {
    package init(from decoder: Decoder) throws {
        let container = try decoder.singleValueContainer()
        guard let data = Data(base64Encoded: try container.decode(String.self)) else {
            throw DecodingError.dataCorruptedError(in: container, debugDescription: "not base64")
        }
        do {
            try self.init(encoded: [UInt8](data))
        } catch {
            throw DecodingError.dataCorruptedError(in: container, debugDescription: error.reason)
        }
    }

    /// The minutes a table read from a summary may hold (some two million years either side of 1970; logs
    /// give four-digit years): arithmetic on days and minutes cannot overflow inside it.
    static var minuteRange: ClosedRange<Int64> { -(1 << 40)...(1 << 40) }
    /// The minutes a summary's table may hold: those of `Summary.timeRange`, the years 0000 to 9999 (all that a
    /// log's four-digit year can say).
    static var summaryMinutes: ClosedRange<Int64> {
        (Summary.timeRange.lowerBound / 60_000)...(Summary.timeRange.upperBound / 60_000)
    }

    /// Why an encoding is refused.
    struct Damage: Error {
        var reason: String
    }

    /// The table of `encode`'s numbers (before base64).
    ///
    /// - Parameter spillingAll: whether every page goes to the scratch file as it is read, not only those past
    ///   `spillAbove` (a summary whose tables already hold `SummaryFile.tableMemoryBudget`: many small tables,
    ///   each under `spillAbove`, would otherwise all stay in memory).
    init(encoded bytes: [UInt8], spillingAll: Bool = false) throws(Damage) {
        if let table = Self.packedPages(from: bytes, spillingAll: spillingAll) {
            self = table
            return
        }
        var reader = NumberReader(bytes: bytes)
        guard let count = reader.next(), count <= UInt64(bytes.count) else {
            throw Damage(reason: "damaged minute table")
        }
        var minute: Int64 = 0
        var fields = [Int64](repeating: 0, count: Value.fieldCount)
        var bounds = Bounds()
        for _ in 0..<count {
            guard let gap = reader.nextSigned() else { throw Damage(reason: "truncated minute table") }
            minute &+= gap
            guard Self.minuteRange.contains(minute) else { throw Damage(reason: "minute out of range") }
            for k in 0..<Value.fieldCount {
                guard let field = reader.nextSigned() else { throw Damage(reason: "truncated minute table") }
                fields[k] = field
            }
            bounds.check(minute, fields)
            // A minute twice adds up (not as written: out of a summary's bounds), unless that overflows.
            if let earlier = self[minute] {
                bounds.isWithinBounds = false
                for k in 0..<Value.fieldCount where earlier.field(k).addingReportingOverflow(fields[k]).overflow {
                    throw Damage(reason: "a minute twice, its numbers past any bound")
                }
            }
            add(Value(fields: fields[...]), at: minute)
        }
        guard reader.isAtEnd else { throw Damage(reason: "damaged minute table") }
        (largestCount, isWithinBounds) = (bounds.largestCount, bounds.isWithinBounds)
    }

    /// What decoding finds of a summary's bounds, minute by minute.
    private struct Bounds {
        var largestCount: Int64 = 0
        var isWithinBounds = true

        /// A minute and its fields as read: in `summaryMinutes`; counts 0 or more (their largest kept, to be held
        /// to the summary's lines), milliseconds from 0 to `Summary.millisecondsLimit`; not all 0 (a minute is
        /// written once something was added to it).
        mutating func check(_ minute: Int64, _ fields: [Int64]) {
            var isEmpty = true
            for (k, field) in fields.enumerated() {
                if field != 0 { isEmpty = false }
                if Value.isMilliseconds(field: k) {
                    if !(0...Summary.millisecondsLimit).contains(field) { isWithinBounds = false }
                } else if field < 0 {
                    isWithinBounds = false
                } else if field > largestCount {
                    largestCount = field
                }
            }
            if isEmpty || !summaryMinutes.contains(minute) { isWithinBounds = false }
        }
    }

    package func encode(to encoder: Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(Data(encodedNumbers()).base64EncodedString())
    }

    /// The numbers `encode` writes in base64.
    func encodedNumbers() -> [UInt8] {
        var bytes: [UInt8] = []
        Self.appendNumber(UInt64(count), to: &bytes)
        var previous: Int64 = 0
        for (minute, value) in self {
            Self.appendNumber(Self.zigzag(minute &- previous), to: &bytes)
            previous = minute
            for k in 0..<Value.fieldCount { Self.appendNumber(Self.zigzag(value.field(k)), to: &bytes) }
        }
        return bytes
    }

    @inline(__always)
    static func zigzag(_ n: Int64) -> UInt64 { MinutePages<Value>.zigzag(n) }

    /// Appends a variable-length number, as packed pages hold them (`MinutePages.appendNumber`).
    private static func appendNumber(_ number: UInt64, to bytes: inout [UInt8]) {
        MinutePages<Value>.appendNumber(number, to: &bytes)
    }

    /// The table of an encoding whose minutes strictly ascend (what `encode` writes), built page by page
    /// (`MinutePages.init(ascendingEncoding:)`); nil when the bytes are anything else.
    private static func packedPages(from bytes: [UInt8], spillingAll: Bool) -> MinuteTable? {
        var bounds = Bounds()
        guard
            let pages = MinutePages<Value>(
                ascendingEncoding: bytes, spillingAll: spillingAll, minuteRange: minuteRange,
                check: { bounds.check($0, $1) })
        else { return nil }
        var table = MinuteTable(pages: pages)
        (table.largestCount, table.isWithinBounds) = (bounds.largestCount, bounds.isWithinBounds)
        return table
    }
}
