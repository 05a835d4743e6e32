/// Lines skipped for one reason, with where the first one was.
package struct SkipTally: Sendable, Codable, Equatable {
    package var count = 0
    /// `path:line` of the first one.
    package var example: String?

    package mutating func merge(_ other: SkipTally) {
        count += other.count
        if example == nil { example = other.example }
    }
}
