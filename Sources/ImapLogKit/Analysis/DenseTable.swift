/// Values indexed by an interned id: an array that grows to the highest id used, not a hash table.
///
/// Ids from an `Interner` are small and dense, so counting by id costs an index, not a hash.
struct DenseTable<Value: Equatable> {
    private var values: ContiguousArray<Value> = []
    private let empty: Value

    init(empty: Value) {
        self.empty = empty
    }

    /// The value for `id` (ids are ≥ 0), `empty` until first written.
    ///
    /// - Complexity: O(1) amortised.
    subscript(id: Int32) -> Value {
        get { Int(id) < values.count ? values[Int(id)] : empty }
        _modify {
            let index = Int(id)
            if index >= values.count {
                values.append(contentsOf: repeatElement(empty, count: index + 1 - values.count))
            }
            yield &values[index]
        }
    }

    /// How many ids hold a value other than `empty`.
    var writtenCount: Int { values.reduce(0) { $0 + ($1 != empty ? 1 : 0) } }

    /// Calls `body` for every id whose value is not `empty`, in id order.
    func forEachWritten(_ body: (Int32, Value) -> Void) {
        for (index, value) in values.enumerated() where value != empty { body(Int32(index), value) }
    }
}
