/// Counts of probe sessions and what became of them.
package struct ProbeSessionTally: Sendable, Codable, Equatable {
    package var sessions = 0
    /// Sessions with at least one failed command.
    package var failedSessions = 0
    package var first: Int64?
    package var last: Int64?
    /// `path:line` of the first failing probe rows, at most 5.
    package var examples: [String] = []

    package mutating func merge(_ other: ProbeSessionTally) {
        sessions += other.sessions
        failedSessions += other.failedSessions
        // As `(examples + other.examples).prefix(5)`, without building arrays: this runs once a probe session.
        if examples.count > 5 {
            examples.removeLast(examples.count - 5)
        } else if examples.count < 5 && !other.examples.isEmpty {
            examples.append(contentsOf: other.examples.prefix(5 - examples.count))
        }
        if let earlier = other.first { first = first.map { min($0, earlier) } ?? earlier }
        if let later = other.last { last = last.map { max($0, later) } ?? later }
    }
}

// Empty tallies for the diagnosis and the report, which start sums from them: their own initialisers stay
// internal, so the types keep their synthesized memberwise ones.
extension ProbeSessionTally {
    package static var empty: ProbeSessionTally { ProbeSessionTally() }
}
