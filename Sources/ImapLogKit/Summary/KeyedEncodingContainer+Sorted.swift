// Encoding in a fixed order: dictionaries whose keys are not strings, written in key order.

// Summaries encode their dictionaries whose keys are not strings in key order, so the same summary always gives
// the same bytes: Foundation writes such a dictionary as a list of keys and values in the dictionary's own order,
// which hashing makes different in every process. Decoding is Foundation's own (any order reads).
//
// Each type that encodes so writes its own `encode(to:)` in the file that declares it: the synthesized coding keys
// are private to that file.

extension KeyedEncodingContainer {
    /// `dictionary` as Foundation writes a dictionary whose keys are not strings (`[key, value, key, value, …]`),
    /// keys ascending.
    mutating func encodeSorted<Key: Encodable & Comparable, Value: Encodable>(
        _ dictionary: [Key: Value], forKey key: K
    ) throws {
        var list = nestedUnkeyedContainer(forKey: key)
        for (entryKey, value) in dictionary.sorted(by: { $0.key < $1.key }) {
            try list.encode(entryKey)
            try list.encode(value)
        }
    }
}
