/// A growable array in raw memory it owns, for the tables the analyzer writes on every record.
///
/// Reached through a reference, an element is changed in place: an `Array` held in a class property checks that
/// its buffer is not shared before every write (a call into the runtime), and nested arrays check at each level.
/// One thread owns a table; it is never copied, only handed around by reference.
final class RecordTable<Element>: RandomAccessCollection {
    private var storage: UnsafeMutablePointer<Element>
    private var capacity: Int
    private(set) var count = 0

    init() {
        capacity = 8
        storage = .allocate(capacity: capacity)
    }

    deinit {
        storage.deinitialize(count: count)
        storage.deallocate()
    }

    var startIndex: Int { 0 }
    var endIndex: Int { count }

    subscript(index: Int) -> Element {
        unsafeAddress {
            precondition(UInt(bitPattern: index) < UInt(bitPattern: count), "index out of range")
            return UnsafePointer(storage + index)
        }
        unsafeMutableAddress {
            precondition(UInt(bitPattern: index) < UInt(bitPattern: count), "index out of range")
            return storage + index
        }
    }

    func append(_ element: Element) {
        if count == capacity {
            let grown = UnsafeMutablePointer<Element>.allocate(capacity: capacity * 2)
            grown.moveInitialize(from: storage, count: count)
            storage.deallocate()
            storage = grown
            capacity *= 2
        }
        (storage + count).initialize(to: element)
        count += 1
    }

    /// Where the element at `index` lives, to read and write it in place: valid until the table grows.
    @inline(__always)
    func pointer(at index: Int) -> UnsafeMutablePointer<Element> {
        precondition(UInt(bitPattern: index) < UInt(bitPattern: count), "index out of range")
        return storage + index
    }

    /// Empties the table, keeping its memory.
    func removeAll() {
        storage.deinitialize(count: count)
        count = 0
    }

    /// Appends `empty` until `index` is in the table.
    @inline(__always)
    func extend(toHold index: Int, with empty: Element) {
        while count <= index { append(empty) }
    }
}

/// Values indexed by an interned id: a table that grows to the highest id used, not a hash table.
///
/// Ids from an `Interner` are small and dense, so counting by id costs an index, not a hash; the values are in a
/// `RecordTable`, written in place on every record.
final class DenseTable<Value: Equatable> {
    private let values = RecordTable<Value>()
    private let empty: Value
    /// Shared by the tables whose total length it bounds, with the id written instead past it.
    private let budget: (cells: CellBudget, pooledID: Int32)?

    /// A table; with a `budget`, it grows only while the budget has cells left, and past it a write to an id
    /// beyond its length goes to `pooledID` (which should be small: the table then grows only to hold it).
    init(empty: Value, budget: (cells: CellBudget, pooledID: Int32)? = nil) {
        self.empty = empty
        self.budget = budget
    }

    /// The value for `id` (ids are ≥ 0), `empty` until first written.
    subscript(id: Int32) -> Value {
        get { Int(id) < values.count ? values[Int(id)] : empty }
        _modify {
            var index = Int(id)
            // Growing is the rare path: the budget costs nothing on writes within the table.
            if index >= values.count { index = grow(toHold: index) }
            yield &values[index]
        }
    }

    /// Grows the table to hold `index`, or, past the budget, to hold the pooled id; returns the index to write.
    private func grow(toHold index: Int) -> Int {
        guard let (cells, pooledID) = budget else {
            values.extend(toHold: index, with: empty)
            return index
        }
        let index = cells.remaining >= index + 1 - values.count ? index : Int(pooledID)
        if index >= values.count {
            cells.remaining -= index + 1 - values.count
            values.extend(toHold: index, with: empty)
        }
        return index
    }

    /// How many ids hold a value other than `empty`.
    var writtenCount: Int { values.reduce(0) { $0 + ($1 != empty ? 1 : 0) } }

    /// Calls `body` for every id whose value is not `empty`, in id order.
    func forEachWritten(_ body: (Int32, Value) -> Void) {
        for (index, value) in values.enumerated() where value != empty { body(Int32(index), value) }
    }
}

/// Cells several `DenseTable`s may still grow by, together.
final class CellBudget {
    var remaining: Int

    init(_ cells: Int) { remaining = cells }
}
