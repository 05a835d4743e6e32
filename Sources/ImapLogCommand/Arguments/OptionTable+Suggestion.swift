extension OptionTable {
    /// The long names and aliases "did you mean" offers, in the table's order (which settles a tie).
    ///
    /// Short names are not offered: one letter off, every unknown short option would be near one.
    static let suggestedNames: [String] = all.flatMap { [$0.name] + $0.aliases }

    /// " (did you mean --format?)" when an option is near `argument`, else "".
    static func suggestion(for argument: String) -> String {
        // No option is near a long argument, whose distances would only cost time.
        guard argument.count <= 40 else { return "" }
        let close = suggestedNames.min { distance($0, argument) < distance($1, argument) }
        guard let close, distance(close, argument) <= 3 else { return "" }
        return " (did you mean \(close)?)"
    }

    /// Edit distance, for "did you mean".
    static func distance(_ a: String, _ b: String) -> Int {
        let a = Array(a)
        let b = Array(b)
        var row = Array(0...b.count)
        for i in 1...max(a.count, 1) where i <= a.count {
            var previous = row[0]
            row[0] = i
            for j in 1...max(b.count, 1) where j <= b.count {
                let current = row[j]
                row[j] = min(row[j] + 1, row[j - 1] + 1, previous + (a[i - 1] == b[j - 1] ? 0 : 1))
                previous = current
            }
        }
        return row[b.count]
    }
}
