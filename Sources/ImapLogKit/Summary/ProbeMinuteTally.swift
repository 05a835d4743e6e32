/// Probe sessions started in one minute: how many, how many failed, the slowest.
public struct ProbeMinuteTally: Sendable, Codable, Equatable {
    public var sessions = 0
    public var failedSessions = 0
    /// Longest session, first row to last, in ms.
    public var longestMs: Int64 = 0

    public mutating func merge(_ other: ProbeMinuteTally) {
        sessions += other.sessions
        failedSessions += other.failedSessions
        longestMs = max(longestMs, other.longestMs)
    }
}
