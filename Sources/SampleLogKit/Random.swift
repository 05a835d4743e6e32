/// SplitMix64: small, fast, and the same sequence on every platform, so a seed always makes the same logs.
package struct SeededRandom: RandomNumberGenerator {
    private var state: UInt64

    package init(seed: UInt64) { state = seed }

    package mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    /// A whole number in `range`.
    package mutating func int(_ range: ClosedRange<Int>) -> Int {
        range.lowerBound + Int(next() % UInt64(range.upperBound - range.lowerBound + 1))
    }

    /// True with probability `p`.
    package mutating func chance(_ p: Double) -> Bool {
        Double(next() >> 11) / Double(1 << 53) < p
    }

    /// A duration with a long tail: mostly near `typical`, sometimes several times it.
    package mutating func latency(typical: Int) -> Int {
        let u = Double(next() >> 11) / Double(1 << 53)
        let factor = u < 0.9 ? 0.5 + u : 1.4 + (u - 0.9) * 30
        return max(0, Int(Double(typical) * factor))
    }

    package mutating func pick<T>(_ items: [T]) -> T {
        items[Int(next() % UInt64(items.count))]
    }
}
