// A tally per minute (`MinuteTally`) and the table that keeps one for each minute (`MinuteTable`).

/// A tally kept per minute: it starts `empty` and adds up (`merge`).
package protocol MinuteTally: Sendable, Equatable, Codable {
    static var empty: Self { get }
    mutating func merge(_ other: Self)
    /// The tally's numbers one by one (0 ..< `fieldCount`), for the compact encodings.
    func field(_ index: Int) -> Int64
    /// A tally from `fieldCount` numbers, in `field(_:)`'s order.
    init(fields: ArraySlice<Int64>)
    static var fieldCount: Int { get }
    /// Whether a field is a number of milliseconds (bounded by `Summary.millisecondsLimit` when read from a summary),
    /// not a count (bounded by the summary's lines).
    static func isMilliseconds(field index: Int) -> Bool
}

/// Tallies by minute (milliseconds since 1970 / 60,000), that add up and merge.
///
/// Held in pages of one day, sparse, dense or packed (`MinutePages`): a table holds a few days' worth of memory
/// whatever the span it covers, and packing changes no number.
///
/// A minute is present once something was added to it; a present minute's tally is never `empty`
/// (every caller adds at least one event).
package struct MinuteTable<Value: MinuteTally>: Sendable, Equatable {
    /// Packed days are deflated once the table's packed days hold this many bytes (`MinutePages.deflateAbove`).
    static var deflateAbove: Int { MinutePages<Value>.deflateAbove }
    /// Packed days go to the scratch file past this many bytes in memory (`MinutePages.spillAbove`).
    static var spillAbove: Int { MinutePages<Value>.spillAbove }
    /// Most days kept unpacked at once (`MinutePages.maxOpenDays`).
    static var maxOpenDays: Int { MinutePages<Value>.maxOpenDays }

    /// The minutes and their tallies.
    private var pages = MinutePages<Value>()
    /// What decoding found of a summary's bounds.
    ///
    /// For `Summary.boundsProblem` to check without going through the minutes again: the largest count (a field that is not milliseconds), and whether every minute kept the
    /// bounds (`Bounds.check`). Zero and true for a table built by adding.
    var largestCount: Int64 = 0
    var isWithinBounds = true

    package init() {}

    /// A table that spills to `spill` (for tests: one that cannot, or one of its own).
    package init(spill: SpillFile) {
        pages = MinutePages(spill: spill)
    }

    /// A table of these pages (read from a summary).
    init(pages: MinutePages<Value>) {
        self.pages = pages
    }

    /// Minutes present.
    package var count: Int { pages.count }

    package var isEmpty: Bool { count == 0 }

    /// The tally of a minute, nil when nothing was added to it.
    package subscript(minute: Int64) -> Value? { pages[minute] }

    /// Adds `value` to the minute's tally.
    package mutating func add(_ value: Value, at minute: Int64) {
        pages.add(value, at: minute)
    }

    /// Adds every minute of `other` (`MinutePages.merge`: each day reached is unpacked only while it takes them).
    package mutating func merge(_ other: MinuteTable) {
        if isEmpty {
            self = other
            return
        }
        pages.merge(other.pages)
    }

    /// The latest minute present, reading only its day.
    package var lastMinute: Int64? { pages.lastMinute }

    /// The minutes present, ascending.
    package var keys: [Int64] { map(\.minute) }

    /// The tallies, in minute order.
    package var values: [Value] { map(\.value) }

    /// Every present minute and its tally, ascending.
    package var entries: [(minute: Int64, value: Value)] { pages.entries }

    package static func == (lhs: MinuteTable, rhs: MinuteTable) -> Bool {
        lhs.count == rhs.count
            && lhs.entries.elementsEqual(rhs.entries) { $0.minute == $1.minute && $0.value == $1.value }
    }
}

/// Read a day at a time: going through a year of minutes holds one day of them, not the year.
extension MinuteTable: Sequence {
    package struct Iterator: IteratorProtocol {
        private var minutes: MinutePages<Value>.Iterator

        fileprivate init(_ table: MinuteTable) {
            minutes = table.pages.makeIterator()
        }

        // The diagnosis and the report walk these tables from other modules, which would otherwise run the
        // generic code (type metadata looked up at every day): a specialization for each tally is exported.
        @_specialize(exported:true,where Value == TimelineTally)
        @_specialize(exported:true,where Value == ProbeMinuteTally)
        @_specialize(exported:true,where Value == LogonTally)
        package mutating func next() -> (minute: Int64, value: Value)? { minutes.next() }
    }

    @_specialize(exported:true,where Value == TimelineTally)
    @_specialize(exported:true,where Value == ProbeMinuteTally)
    @_specialize(exported:true,where Value == LogonTally)
    package func makeIterator() -> Iterator { Iterator(self) }

    package var underestimatedCount: Int { count }
}

// How the pages hold the minutes, for tests and for a summary's bounds.
extension MinuteTable {
    /// How many days are unpacked (for tests).
    package var openDayCount: Int { pages.openDayCount }
    /// How many days are packed (for tests).
    package var packedDayCount: Int { pages.packedDayCount }
    /// How many days (pages) the table holds: read from a summary, each costs some 40 bytes of memory even when its
    /// minutes are in the scratch file.
    var dayCount: Int { pages.dayCount }
    /// How many packed days are in the scratch file (for tests).
    package var spilledDayCount: Int { pages.spilledDayCount }
    /// How many packed days are deflated, in memory or in the scratch file (for tests).
    package var deflatedDayCount: Int { pages.deflatedDayCount }
    /// The bytes the packed days hold, in memory or in the scratch file (for tests).
    package var packedByteCount: Int { pages.packedByteCount }
    /// The bytes the packed days held in memory hold (for tests).
    package var packedBytesInMemory: Int { pages.packedBytesInMemory }
}
