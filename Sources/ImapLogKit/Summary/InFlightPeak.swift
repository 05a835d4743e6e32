/// The most commands in flight at once, and when.
package struct InFlightPeak: Sendable, Codable, Equatable {
    package var peak = 0
    /// Ms since 1970 when the peak was first reached.
    package var at: Int64 = 0

    package mutating func merge(_ other: InFlightPeak) {
        if other.peak > peak || (other.peak == peak && other.at < at) { self = other }
    }
}

// Empty tallies for the diagnosis and the report, which start sums from them: their own initialisers stay
// internal, so the types keep their synthesized memberwise ones.
extension InFlightPeak {
    package static var empty: InFlightPeak { InFlightPeak() }
}
