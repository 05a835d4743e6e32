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

extension ProbeMinuteTally: MinuteTally {
    public static var empty: ProbeMinuteTally { ProbeMinuteTally() }
    public static func isMilliseconds(field index: Int) -> Bool { index == 2 }
    public static var fieldCount: Int { 3 }
    public func field(_ index: Int) -> Int64 {
        switch index {
        case 0: Int64(sessions)
        case 1: Int64(failedSessions)
        default: longestMs
        }
    }

    public init(fields f: ArraySlice<Int64>) {
        let i = f.startIndex
        self.init(sessions: Int(f[i]), failedSessions: Int(f[i + 1]), longestMs: f[i + 2])
    }
}
