/// Turns one line into a header, a record or a skip, remembering the schema across lines.
///
/// One parser reads one stream; a header anywhere (concatenated files) switches the schema.
/// After `parse` returns `.record`, the field accessors describe that line until the next call.
final class RecordParser {
    /// What a line turned out to be.
    enum Outcome: Equatable {
        case header
        case record
        case skipped(SkipReason)
    }

    // One parser per file, on one thread: the per-line state skips Swift's dynamic exclusivity checks.
    @exclusivity(unchecked) private(set) var schema = Schema.defaultCommandRows {
        didSet {
            storeColumnMap()
            format = schema.format
            isUsable = schema.isUsable
            minimumColumns = schema.minimumColumns
        }
    }
    /// The schema's `isUsable` and `minimumColumns`, kept as plain values: read for every line, the schema's
    /// own (computed, over an array) cost a retain and a release per line.
    @exclusivity(unchecked) private var isUsable = Schema.defaultCommandRows.isUsable
    @exclusivity(unchecked) private var minimumColumns = Schema.defaultCommandRows.minimumColumns
    /// The current schema's format (or, replaying, the format the record was parsed under).
    @exclusivity(unchecked) private(set) var format = LogFormat.commandRows
    /// The current line's length after byte-order mark and carriage return, from `base`.
    @exclusivity(unchecked) private(set) var length = 0
    /// The schema's column of each `LogField` (-1: absent), read per field access without array checks.
    private let columnOfField: UnsafeMutablePointer<Int>
    /// A header has been seen in this stream (otherwise the default schema is an assumption).
    private(set) var hasSeenHeader = false
    /// The field lists read lately (spaces around them trimmed) and their schemas, the one in force last.
    private var recentSchemas: [(fieldList: [UInt8], schema: Schema)] = []
    /// Schemas built from field lists (for tests).
    private(set) var schemasBuilt = 0
    /// The previous line ended inside a quoted field.
    @exclusivity(unchecked) private var isInsideQuotedField = false

    private let maxColumns = 64
    /// The parser's own column ranges, filled by `parse`, and the splitter's scratch slot after them.
    private let ownColumns: UnsafeMutablePointer<ByteRange>
    /// The current record's fields in `LogField` order, when the schema's columns are in another.
    private let orderedColumns: UnsafeMutablePointer<ByteRange>
    /// The schema has the 2013+ fields in the first columns, in `LogField` order (Exchange's own list): the
    /// columns are then the fields, no copy needed.
    @exclusivity(unchecked) private var columnsAreFields = false
    /// The ranges the accessors read, in `LogField` order: `ownColumns`, `orderedColumns`, or (replaying) the
    /// ranges handed over.
    @exclusivity(unchecked) private var columns: UnsafePointer<ByteRange>

    /// The current line's bytes (after BOM and CR removal), valid until the next `parse`.
    @exclusivity(unchecked) private(set) var base = UnsafePointer<UInt8>(bitPattern: 1).unsafelyUnwrapped
    /// The current record's time, in ms since 1970.
    @exclusivity(unchecked) private(set) var time: Int64 = 0
    /// Whether Exchange's own rows have their time and session id read before the split (tests turn it off to
    /// compare).
    var readsTimeAndSessionFirst = true
    /// The current record's session id as a number, when it is Exchange's 16 hex digits and was read while
    /// parsing (else nil: the reader works it out from the field).
    @exclusivity(unchecked) private(set) var sessionNumber: UInt64?
    @exclusivity(unchecked) private var timestamps = TimestampReader()

    init() {
        // One more: the splitter's scratch slot.
        ownColumns = .allocate(capacity: maxColumns + 1)
        ownColumns.initialize(repeating: .empty, count: maxColumns + 1)
        orderedColumns = .allocate(capacity: LogField.count)
        orderedColumns.initialize(repeating: .empty, count: LogField.count)
        columns = UnsafePointer(ownColumns)
        columnOfField = .allocate(capacity: LogField.count)
        columnOfField.initialize(repeating: -1, count: LogField.count)
        storeColumnMap()
    }

    deinit {
        ownColumns.deinitialize(count: maxColumns + 1)
        ownColumns.deallocate()
        orderedColumns.deinitialize(count: LogField.count)
        orderedColumns.deallocate()
        columnOfField.deinitialize(count: LogField.count)
        columnOfField.deallocate()
    }

    private func storeColumnMap() {
        for field in LogField.allCases { columnOfField[field.rawValue] = schema.column(of: field) }
        columnsAreFields = LogField.allCases.allSatisfy {
            schema.column(of: $0) == ($0.rawValue < LogField.event.rawValue ? $0.rawValue : -1)
        }
    }

    /// The range of a field in the current record; empty when the schema or the row lacks it.
    @inline(__always)
    func range(_ field: LogField) -> ByteRange {
        columns[field.rawValue]
    }

    /// The 32-bit numbers `copyRanges` writes per record: each field's start and end.
    static var packedRangeCount: Int { 2 * LogField.count }
    /// Offsets move between ranges and their packed form four at a time.
    private static var packsFourAtATime: Bool {
        MemoryLayout<ByteRange>.stride == MemoryLayout<SIMD2<UInt64>>.size && packedRangeCount % 4 == 0
    }

    /// Copies the current record's field ranges, in `LogField` order (empty where the schema or the row lacks
    /// one), to `fields` as 32-bit offsets from `base` (`packedRangeCount` of them): what `replay` takes.
    ///
    /// A line is at most `LineReader.maxLineLength` bytes, so an offset fits. Half the bytes of the ranges
    /// themselves: the counting thread reads them from the other core's cache.
    @inline(__always)
    func copyRanges(to fields: UnsafeMutablePointer<UInt32>) {
        // 28 offsets, narrowed four at a time (a range is two 64-bit integers; where it is not, or the count is not a
        // multiple of four, one by one: the checks fold away).
        guard RecordParser.packsFourAtATime else {
            for k in 0..<LogField.count {
                fields[2 &* k] = UInt32(truncatingIfNeeded: columns[k].start)
                fields[2 &* k &+ 1] = UInt32(truncatingIfNeeded: columns[k].end)
            }
            return
        }
        let from = UnsafeRawPointer(columns)
        let to = UnsafeMutableRawPointer(fields)
        for k in 0..<(RecordParser.packedRangeCount / 4) {
            let wide = from.loadUnaligned(fromByteOffset: k &* 32, as: SIMD4<UInt64>.self)
            to.storeBytes(of: SIMD4<UInt32>(truncatingIfNeeded: wide), toByteOffset: k &* 16, as: SIMD4<UInt32>.self)
        }
    }

    /// Points `columns` at the current row's fields in `LogField` order, the row's first `storedColumns` columns
    /// being in `ownColumns`.
    @inline(__always)
    private func orderFields(storedColumns: Int) {
        if columnsAreFields {
            // Columns past the 2013+ fields are unknown to the schema: the 2007/2010 fields' places are cleared
            // over them, and a short row's missing fields too.
            var k = storedColumns
            while k < LogField.event.rawValue {
                ownColumns[k] = .empty
                k += 1
            }
            ownColumns[LogField.event.rawValue] = .empty
            ownColumns[LogField.data.rawValue] = .empty
            columns = UnsafePointer(ownColumns)
            return
        }
        for field in 0..<LogField.count {
            let column = columnOfField[field]
            // One unsigned comparison covers a missing field (-1) and a short row.
            orderedColumns[field] =
                UInt(bitPattern: column) < UInt(bitPattern: storedColumns) ? ownColumns[column] : .empty
        }
        columns = UnsafePointer(orderedColumns)
    }

    /// Parses one line.
    ///
    /// May rewrite the line's bytes (CSV unquoting).
    ///
    /// - Complexity: O(n) in the line's length; no allocation except on header lines.
    func parse(_ line: UnsafeMutableRawBufferPointer) -> Outcome {
        guard var start = line.baseAddress?.assumingMemoryBound(to: UInt8.self) else {
            isInsideQuotedField = false
            return .skipped(.blankLine)
        }
        var count = line.count
        // A byte-order mark: at the start of a file, or of each file in a concatenation.
        if count >= 3 && start[0] == 0xEF && start[1] == 0xBB && start[2] == 0xBF {
            start += 3
            count -= 3
        }
        if count > 0 && start[count - 1] == 0x0D { count -= 1 }
        base = UnsafePointer(start)
        length = count
        let continuing = isInsideQuotedField
        isInsideQuotedField = false
        var first = 0
        while first < count && (start[first] == 0x20 || start[first] == 0x09) { first += 1 }
        if first == count { return .skipped(.blankLine) }

        if start[0] == UInt8(ascii: "#") {
            if Bytes.hasPrefixIgnoringCase(base, ByteRange(start: 0, end: count), "#fields:") {
                adoptFieldList(ByteRange(start: 8, end: count))
            }
            return .header
        }
        // A record starts with its date (a digit); a bare field list with `date`.
        if start[0] | 0x20 == UInt8(ascii: "d") && looksLikeFieldList(count) {
            adoptFieldList(ByteRange(start: 0, end: count))
            return .header
        }
        let split: CSVSplitter.Result
        var knownTime: Int64?
        sessionNumber = nil
        // Exchange's own rows: a 24-byte time, a comma, a 16-digit session id, a comma.
        let timeField = ByteRange(start: 0, end: 24)
        let sessionField = ByteRange(start: 25, end: 41)
        if readsTimeAndSessionFirst && columnsAreFields && count > sessionField.end + 1
            && start[timeField.end] == UInt8(ascii: ",") && start[sessionField.end] == UInt8(ascii: ","),
            let time = timestamps.parse(base, timeField),
            let number = Bytes.hex(base, sessionField)
        {
            // Read first. Being what they are, they hold no comma and no quote: they are the first two fields, and
            // the splitter starts after them.
            ownColumns[LogField.dateTime.rawValue] = timeField
            ownColumns[LogField.sessionId.rawValue] = sessionField
            split = CSVSplitter.split(
                start, count: count, from: sessionField.end + 1, fieldsSoFar: 2, into: ownColumns,
                capacity: maxColumns)
            knownTime = time
            sessionNumber = number
        } else {
            split = CSVSplitter.split(start, count: count, into: ownColumns, capacity: maxColumns)
        }
        let columnCount = split.fieldCount
        orderFields(storedColumns: min(columnCount, maxColumns))
        let dateRange = range(.dateTime)
        guard let time = knownTime ?? timestamps.parse(base, Bytes.trimmed(base, dateRange)) else {
            if continuing { return .skipped(.quotedContinuation) }
            if !isUsable { return .skipped(.unusableFieldList) }
            if containsBinary(count) { return .skipped(.binaryData) }
            return .skipped(columnCount < minimumColumns ? .tooFewFields : .badTimestamp)
        }
        guard isUsable else { return .skipped(.unusableFieldList) }
        guard columnCount >= minimumColumns else { return .skipped(.tooFewFields) }
        self.time = time
        isInsideQuotedField = split.endsInsideQuotes
        return .record
    }

    /// A parser that parses nothing: it describes, one after another, records parsed by another parser (on
    /// another thread) and handed over as their bytes and field ranges.
    static func replaying() -> RecordParser {
        RecordParser()
    }

    /// Describes a line parsed elsewhere: its bytes at `base`, the ranges of its fields in `LogField` order as
    /// `copyRanges` packed them (empty ones for a line that is not a record), its time and session number, and
    /// the parser's state after it.
    @inline(__always)
    func replay(
        base: UnsafePointer<UInt8>, fields: UnsafePointer<UInt32>, time: Int64, sessionNumber: UInt64?,
        format: LogFormat, hasSeenHeader: Bool
    ) {
        self.base = base
        if RecordParser.packsFourAtATime {
            let from = UnsafeRawPointer(fields)
            let to = UnsafeMutableRawPointer(orderedColumns)
            for k in 0..<(RecordParser.packedRangeCount / 4) {
                let narrow = from.loadUnaligned(fromByteOffset: k &* 16, as: SIMD4<UInt32>.self)
                to.storeBytes(
                    of: SIMD4<UInt64>(truncatingIfNeeded: narrow), toByteOffset: k &* 32, as: SIMD4<UInt64>.self)
            }
        } else {
            for k in 0..<LogField.count {
                orderedColumns[k] = ByteRange(start: Int(fields[2 &* k]), end: Int(fields[2 &* k &+ 1]))
            }
        }
        columns = UnsafePointer(orderedColumns)
        self.time = time
        self.sessionNumber = sessionNumber
        self.format = format
        self.hasSeenHeader = hasSeenHeader
    }

    /// A bare field-list row (`dateTime,sessionId,…` or `date-time,connector-id,…`), as Exchange writes
    /// on the first line of every file.
    private func looksLikeFieldList(_ count: Int) -> Bool {
        let r = ByteRange(start: 0, end: count)
        return Bytes.hasPrefixIgnoringCase(base, r, "datetime,") || Bytes.hasPrefixIgnoringCase(base, r, "date-time,")
    }

    private func adoptFieldList(_ range: ByteRange) {
        hasSeenHeader = true
        // A list read lately (concatenated files repeat theirs; a flood of header lines repeats a few on purpose):
        // nothing to build. Building a schema costs some 66,000 instructions, a record some 3,000.
        let bytes = UnsafeBufferPointer(start: base + range.start, count: range.count).trimmingSpaces()
        if let known = recentSchemas.firstIndex(where: { $0.fieldList.elementsEqual(bytes) }) {
            if known != recentSchemas.count - 1 { schema = recentSchemas[known].schema }
            recentSchemas.append(recentSchemas.remove(at: known))
            return
        }
        // Split on the bytes: a String's `split` walks grapheme clusters.
        let names = bytes.split(separator: UInt8(ascii: ","), omittingEmptySubsequences: false).map {
            String(decoding: $0, as: UTF8.self)
        }
        schema = Schema(names: names)
        schemasBuilt += 1
        if recentSchemas.count == Self.recentSchemaCount { recentSchemas.removeFirst() }
        recentSchemas.append((Array(bytes), schema))
    }

    /// Field lists remembered with their schema: Exchange writes one or two (2007/2010 and 2013+ logs concatenated).
    private static let recentSchemaCount = 4

    private func containsBinary(_ count: Int) -> Bool {
        var controls = 0
        for i in 0..<count {
            let c = base[i]
            if c == 0 { return true }
            if c < 0x20 && c != 0x09 { controls += 1 }
        }
        return controls > 0 && controls * 10 >= count
    }
}

extension UnsafeBufferPointer<UInt8> {
    /// The bytes without the spaces and tabs around them.
    fileprivate func trimmingSpaces() -> Slice<UnsafeBufferPointer<UInt8>> {
        var start = startIndex
        var end = endIndex
        while start < end && (self[start] == 0x20 || self[start] == 0x09) { start += 1 }
        while end > start && (self[end - 1] == 0x20 || self[end - 1] == 0x09) { end -= 1 }
        return self[start..<end]
    }
}
