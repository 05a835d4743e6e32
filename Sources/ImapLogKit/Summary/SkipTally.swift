/// Lines skipped for one reason, with where the first one was.
public struct SkipTally: Sendable, Codable, Equatable {
    public var count = 0
    /// `path:line` of the first one.
    public var example: String?

    package mutating func merge(_ other: SkipTally) {
        count += other.count
        if example == nil { example = other.example }
    }
}
