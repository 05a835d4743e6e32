// Binary search in an ascending array: where a value would be inserted.

extension Array where Element: Comparable {
    /// In an ascending array, how many elements are below `limit` (where `limit` would be inserted).
    ///
    /// - Complexity: O(log n).
    package func countBelow(_ limit: Element) -> Int {
        var low = 0
        var high = count
        while low < high {
            let middle = (low + high) / 2
            if self[middle] < limit { low = middle + 1 } else { high = middle }
        }
        return low
    }
}
