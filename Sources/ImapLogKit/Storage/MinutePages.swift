// How a `MinuteTable` holds its minutes: pages of one day, each sparse, dense or packed (deflated, spilled).

/// A minute table's storage: tallies by minute (milliseconds since 1970 / 60,000), in pages of one day.
///
/// A day with many minutes (the usual: probes run every minute, servers log all day) is a plain array of
/// 1,440 tallies, about a third of what a hashed dictionary spends per minute, and merges by adding arrays.
/// A day with few minutes (timestamps scattered by damage) stays a short sorted list, so scattered dates
/// cannot make it allocate whole days.
///
/// Days older than the latest two are packed: their minutes as variable-length numbers, 4 to 8 bytes a
/// minute for the usual counts where the plain array spends 24 to 32; past `deflateAbove` bytes of them (some
/// five days of a busy server), deflated too (`PageCompression`), to about 40 % of that, and written to the
/// scratch file (`SpillFile`) rather than kept in memory. Logs come in time order, so a day is packed once its
/// minutes stop coming; a late minute unpacks its day, which is packed again when time moves on. Packing
/// changes no number: a table holds a few days' worth of memory whatever the span it covers.
///
/// A minute is present once something was added to it; a present minute's tally is never `empty`
/// (every caller adds at least one event).
struct MinutePages<Value: MinuteTally>: Sendable {
    static var minutesPerPage: Int64 { 1440 }
    /// A sparse page turns dense past this many minutes (a quarter of the day).
    static var sparseLimit: Int { 360 }
    /// Packed days are deflated once the table's packed days hold this many bytes, some five days of a busy
    /// server: a few days of logs cost no compression (the 1 GB set's tables, ten days, hold 2 to 98 KB), a
    /// year's are kept at 40 %.
    static var deflateAbove: Int { 64 * 1024 }
    /// Packed days go to the scratch file once the table's packed days in memory hold this many bytes (then
    /// deflated too): a table keeps at most this much of its past in memory, whatever its span.
    static var spillAbove: Int { deflateAbove }
    /// Most days kept unpacked at once, the latest two among them.
    ///
    /// Logs come in time order and open one day at a
    /// time; timestamps in random order opened every day they touched and kept it so (40 million rows: 1.8 GB and
    /// growing). Past it, the days opened for late minutes are packed again: a table holds a bounded number of
    /// days unpacked whatever the order of time, and random order costs time (a day unpacked and packed a row),
    /// not memory.
    static var maxOpenDays: Int { 8 }

    private enum Page: Sendable {
        /// Minutes of the day, ascending, and their tallies.
        case sparse([Int16], [Value])
        /// All 1,440 minutes; `empty` where absent.
        case dense([Value])
        /// For each minute present, ascending: the gap since the previous one, then the tally's fields
        /// (zig-zag), each as a variable-length number; deflated when that is shorter (`PageCompression`).
        case packed(Packed)
    }

    /// A packed page's bytes, as `PageCompression.stored` made them: in memory, or in the scratch file.
    private enum Packed: Sendable {
        case inMemory([UInt8])
        case spilled(SpillFile.Location)
    }

    private var pages: [Int64: Page] = [:]
    /// Minutes present.
    private(set) var count = 0
    /// The latest day written to, and the days not packed.
    private var latestDay = Int64.min
    private var openDays: [Int64] = []
    /// The bytes the packed days held in memory hold.
    private var storedBytes = 0
    /// Where packed days past `spillAbove` go.
    private var spill = SpillFile.shared
    /// Shared by the copies of this table: while it is not (the table was never copied, or its copies are gone),
    /// a spilled day replaced can hand its block back, since nothing else can read it.
    private var owner = Owner()
    private final class Owner: Sendable {}

    init() {}

    /// Pages that spill to `spill` (for tests: a file that cannot, or one of its own).
    package init(spill: SpillFile) {
        self.spill = spill
    }

    @inline(__always)
    static func split(_ minute: Int64) -> (day: Int64, offset: Int) {
        let day = minute >= 0 ? minute / minutesPerPage : (minute - minutesPerPage + 1) / minutesPerPage
        return (day, Int(minute - day * minutesPerPage))
    }

    /// The tally of a minute, nil when nothing was added to it.
    subscript(minute: Int64) -> Value? {
        let (day, offset) = Self.split(minute)
        switch pages[day] {
        case .none: return nil
        case .dense(let values)?:
            return values[offset] == Value.empty ? nil : values[offset]
        case .sparse(let offsets, let values)?:
            guard let i = Self.index(of: Int16(offset), in: offsets) else { return nil }
            return values[i]
        case .packed(let packed)?:
            let (offsets, values) = Self.unpack(bytes(of: packed))
            guard let i = Self.index(of: Int16(offset), in: offsets) else { return nil }
            return values[i]
        }
    }

    /// Adds `value` to the minute's tally.
    mutating func add(_ value: Value, at minute: Int64) {
        let (day, offset) = Self.split(minute)
        if day > latestDay {
            latestDay = day
            packOpenDays()
        }
        guard var page = pages.removeValue(forKey: day) else {
            pages[day] = .sparse([Int16(offset)], [value])
            openDays.append(day)
            count += 1
            if openDays.count > Self.maxOpenDays { packOpenDays(keeping: day) }
            return
        }
        if case .packed(let packed) = page {
            let (offsets, values) = Self.unpack(bytes(of: packed))
            switch packed {
            case .inMemory(let bytes): storedBytes -= bytes.count
            case .spilled(let location):
                if isKnownUniquelyReferenced(&owner) { spill.free(location) }
            }
            page = offsets.count > Self.sparseLimit ? .dense(Self.densified(offsets, values)) : .sparse(offsets, values)
            openDays.append(day)
        }
        defer {
            // Timestamps out of order: the days opened before this one for late minutes are packed again.
            if openDays.count > Self.maxOpenDays { packOpenDays(keeping: day) }
        }
        switch page {
        case .dense(var values):
            // Take the array out of the page first, so it is mutated in place, not copied.
            page = .sparse([], [])
            if values[offset] == Value.empty { count += 1 }
            values[offset].merge(value)
            pages[day] = .dense(values)
        case .sparse(var offsets, var values):
            page = .sparse([], [])
            let position = offsets.countBelow(Int16(offset))
            if position < offsets.count && offsets[position] == Int16(offset) {
                values[position].merge(value)
            } else {
                offsets.insert(Int16(offset), at: position)
                values.insert(value, at: position)
                count += 1
            }
            if offsets.count > Self.sparseLimit {
                pages[day] = .dense(Self.densified(offsets, values))
            } else {
                pages[day] = .sparse(offsets, values)
            }
        case .packed:
            preconditionFailure("unpacked above")
        }
    }

    private static func densified(_ offsets: [Int16], _ values: [Value]) -> [Value] {
        var dense = [Value](repeating: Value.empty, count: Int(minutesPerPage))
        for (o, v) in zip(offsets, values) { dense[Int(o)] = v }
        return dense
    }

    /// Adds every minute of `other`.
    ///
    /// A day of these pages that `other`'s minutes reach is unpacked to take them, and packed again as soon as
    /// `other` moves on to the next day: merging two front ends' year of logons to one back end held every day
    /// unpacked until the end, 12 MB a table.
    mutating func merge(_ other: MinutePages) {
        var day = Int64.min
        for (minute, value) in other {
            let next = Self.split(minute).day
            if next != day {
                packOpenDays()
                day = next
            }
            add(value, at: minute)
        }
        packOpenDays()
    }

    /// Packs the open days before the latest two (but `kept`).
    private mutating func packOpenDays(keeping kept: Int64 = .min) {
        guard latestDay != Int64.min else { return }
        var stillOpen: [Int64] = []
        for day in openDays {
            if day >= latestDay - 1 || day == kept {
                stillOpen.append(day)
                continue
            }
            switch pages[day] {
            case .sparse(let offsets, let values)?:
                store(Self.pack(offsets, values), day: day)
            case .dense(let values)?:
                var offsets: [Int16] = []
                var present: [Value] = []
                for (offset, value) in values.enumerated() where value != Value.empty {
                    offsets.append(Int16(offset))
                    present.append(value)
                }
                store(Self.pack(offsets, present), day: day)
            case .packed?, .none:
                break
            }
        }
        openDays = stillOpen
    }

    /// Keeps a day's packed numbers: as they are while the table's packed days are small, deflated past
    /// `deflateAbove`, in the scratch file past `spillAbove` (in memory where there is none).
    private mutating func store(_ numbers: [UInt8], day: Int64) {
        let page = PageCompression.stored(numbers, deflating: storedBytes >= Self.deflateAbove)
        if storedBytes >= Self.spillAbove, let location = spill.store(page) {
            pages[day] = .packed(.spilled(location))
            return
        }
        storedBytes += page.count
        pages[day] = .packed(.inMemory(page))
    }

    private static func pack(_ offsets: [Int16], _ values: [Value]) -> [UInt8] {
        var bytes: [UInt8] = []
        var previous = -1
        for (offset, value) in zip(offsets, values) {
            appendNumber(UInt64(Int(offset) - previous - 1), to: &bytes)
            previous = Int(offset)
            // Zig-zag: small negative numbers stay short too.
            for k in 0..<Value.fieldCount { appendNumber(zigzag(value.field(k)), to: &bytes) }
        }
        return bytes
    }

    static func appendNumber(_ number: UInt64, to bytes: inout [UInt8]) {
        var n = number
        while n >= 0x80 {
            bytes.append(UInt8(truncatingIfNeeded: n) | 0x80)
            n >>= 7
        }
        bytes.append(UInt8(n))
    }

    @inline(__always)
    static func zigzag(_ n: Int64) -> UInt64 { UInt64(bitPattern: (n << 1) ^ (n >> 63)) }

    /// A packed page's minutes (packed here, so never damaged).
    private static func unpack(_ bytes: [UInt8]) -> ([Int16], [Value]) {
        var entries: [(minute: Int64, value: Value)] = []
        appendPacked(bytes, base: 0, to: &entries)
        return (entries.map { Int16($0.minute) }, entries.map(\.value))
    }

    /// Appends a packed page's minutes (`base` + their offsets in the day) and tallies, ascending.
    private static func appendPacked(_ page: [UInt8], base: Int64, to result: inout [(minute: Int64, value: Value)]) {
        var fields = [Int64](repeating: 0, count: Value.fieldCount)
        let (numbers, start) = PageCompression.numbers(of: page)
        var reader = NumberReader(bytes: numbers, start: start)
        var previous: Int64 = -1
        while !reader.isAtEnd {
            let offset = previous + 1 + Int64(reader.next() ?? 0)
            previous = offset
            for k in 0..<Value.fieldCount { fields[k] = reader.nextSigned() ?? 0 }
            result.append((base + offset, Value(fields: fields[...])))
        }
    }

    /// How many days are unpacked (for tests).
    package var openDayCount: Int { openDays.count }

    /// How many days are packed (for tests).
    package var packedDayCount: Int {
        pages.values.reduce(0) { count, page in
            if case .packed = page { return count + 1 }
            return count
        }
    }

    /// How many days (pages) the table holds: read from a summary, each costs some 40 bytes of memory even when its
    /// minutes are in the scratch file.
    var dayCount: Int { pages.count }

    /// How many packed days are in the scratch file (for tests).
    package var spilledDayCount: Int {
        pages.values.reduce(0) { count, page in
            if case .packed(.spilled) = page { return count + 1 }
            return count
        }
    }

    /// How many packed days are deflated, in memory or in the scratch file (for tests).
    package var deflatedDayCount: Int {
        pages.values.reduce(0) { count, page in
            packedBytes(of: page)?.first == 1 ? count + 1 : count
        }
    }

    /// The bytes the packed days hold, in memory or in the scratch file (for tests).
    package var packedByteCount: Int {
        pages.values.reduce(0) { count, page in count + (packedBytes(of: page)?.count ?? 0) }
    }

    /// The bytes the packed days held in memory hold (for tests).
    package var packedBytesInMemory: Int { storedBytes }

    /// A packed page's bytes (`page` is packed), as `PageCompression.stored` made them.
    private func packedBytes(of page: Page) -> [UInt8]? {
        guard case .packed(let packed) = page else { return nil }
        return bytes(of: packed)
    }

    /// A packed page's bytes, read back from the scratch file if they are there.
    private func bytes(of packed: Packed) -> [UInt8] {
        switch packed {
        case .inMemory(let bytes): bytes
        case .spilled(let location): spill.load(location)
        }
    }

    /// The latest minute present, reading only its day.
    var lastMinute: Int64? {
        guard let day = pages.keys.max() else { return nil }
        let base = day * Self.minutesPerPage
        switch pages[day] {
        case .dense(let values)?:
            return values.lastIndex { $0 != Value.empty }.map { base + Int64($0) }
        case .sparse(let offsets, _)?:
            return offsets.last.map { base + Int64($0) }
        case .packed(let packed)?:
            return Self.unpack(bytes(of: packed)).0.last.map { base + Int64($0) }
        case .none:
            return nil
        }
    }

    /// Every present minute and its tally, ascending.
    var entries: [(minute: Int64, value: Value)] {
        var result: [(minute: Int64, value: Value)] = []
        result.reserveCapacity(count)
        for day in pages.keys.sorted() { appendDay(day, to: &result) }
        return result
    }

    /// Appends the present minutes of `day`, ascending.
    private func appendDay(_ day: Int64, to result: inout [(minute: Int64, value: Value)]) {
        let base = day * Self.minutesPerPage
        switch pages[day] {
        case .dense(let values)?:
            for (offset, value) in values.enumerated() where value != Value.empty {
                result.append((base + Int64(offset), value))
            }
        case .sparse(let offsets, let values)?:
            for (offset, value) in zip(offsets, values) { result.append((base + Int64(offset), value)) }
        case .packed(let packed)?:
            Self.appendPacked(bytes(of: packed), base: base, to: &result)
        case .none:
            break
        }
    }

    private static func index(of offset: Int16, in offsets: [Int16]) -> Int? {
        let i = offsets.countBelow(offset)
        return i < offsets.count && offsets[i] == offset ? i : nil
    }

    /// The pages of an encoding whose minutes strictly ascend (what `MinuteTable.encode` writes), built page by page.
    ///
    /// The fields' bytes are already a packed page's, so they are copied, not decoded. Nil when the bytes
    /// are anything else (the caller then reads them minute by minute, and refuses them if damaged).
    ///
    /// - Parameters:
    ///   - spillingAll: whether every page goes to the scratch file as it is read, not only those past
    ///     `spillAbove`.
    ///   - minuteRange: the minutes the encoding may hold; one outside it makes the bytes anything else.
    ///   - check: sees each minute and its fields as they are read.
    init?(
        ascendingEncoding bytes: [UInt8], spillingAll: Bool, minuteRange: ClosedRange<Int64>,
        check: (Int64, [Int64]) -> Void
    ) {
        var reader = NumberReader(bytes: bytes)
        guard let total = reader.next(), total <= UInt64(bytes.count) else { return nil }
        var table = MinutePages()
        // Counted as full, every page is stored past `spillAbove`: in the scratch file (deflated).
        if spillingAll { table.storedBytes = Self.spillAbove }
        var minute: Int64 = 0
        var page: [UInt8] = []
        var pageDay = Int64.min
        var previousOffset = -1
        var fields = [Int64](repeating: 0, count: Value.fieldCount)
        func closePage() {
            guard pageDay != Int64.min else { return }
            table.store(page, day: pageDay)
            page = []
        }
        for index in 0..<total {
            guard let gap = reader.nextSigned(), index == 0 || gap > 0 else { return nil }
            let (next, overflow) = minute.addingReportingOverflow(gap)
            guard !overflow, minuteRange.contains(next) else { return nil }
            minute = next
            let (day, offset) = Self.split(minute)
            if day != pageDay {
                closePage()
                pageDay = day
                previousOffset = -1
            }
            Self.appendNumber(UInt64(offset - previousOffset - 1), to: &page)
            previousOffset = offset
            let fieldsStart = reader.position
            for k in 0..<Value.fieldCount {
                guard let field = reader.nextSigned() else { return nil }
                fields[k] = field
            }
            check(minute, fields)
            page += bytes[fieldsStart..<reader.position]
        }
        guard reader.isAtEnd else { return nil }
        closePage()
        table.count = Int(total)
        table.latestDay = pageDay
        if spillingAll { table.storedBytes -= Self.spillAbove }
        self = table
    }
}

/// Read a day at a time: going through a year of minutes holds one day of them, not the year.
extension MinutePages: Sequence {
    struct Iterator: IteratorProtocol {
        private let table: MinutePages
        private let days: [Int64]
        private var nextDay = 0
        private var day: [(minute: Int64, value: Value)] = []
        private var position = 0

        fileprivate init(_ table: MinutePages) {
            self.table = table
            days = table.pages.keys.sorted()
        }

        mutating func next() -> (minute: Int64, value: Value)? {
            while position == day.count {
                guard nextDay < days.count else { return nil }
                day.removeAll(keepingCapacity: true)
                table.appendDay(days[nextDay], to: &day)
                nextDay += 1
                position = 0
            }
            position += 1
            return day[position - 1]
        }
    }

    func makeIterator() -> Iterator { Iterator(self) }

    var underestimatedCount: Int { count }
}
