/// Probe sessions started in one minute: how many, how many failed, the slowest.
package struct ProbeMinuteTally: Sendable, Codable, Equatable {
    package var sessions = 0
    package var failedSessions = 0
    /// Longest session, first row to last, in ms.
    package var longestMs: Int64 = 0

    package mutating func merge(_ other: ProbeMinuteTally) {
        sessions += other.sessions
        failedSessions += other.failedSessions
        longestMs = max(longestMs, other.longestMs)
    }
}

extension ProbeMinuteTally: MinuteTally {
    package static var empty: ProbeMinuteTally { ProbeMinuteTally() }
    package static func isMilliseconds(field index: Int) -> Bool { index == 2 }
    package static var fieldCount: Int { 3 }
    package func field(_ index: Int) -> Int64 {
        switch index {
        case 0: Int64(sessions)
        case 1: Int64(failedSessions)
        default: longestMs
        }
    }

    package init(fields f: ArraySlice<Int64>) {
        let i = f.startIndex
        self.init(sessions: Int(f[i]), failedSessions: Int(f[i + 1]), longestMs: f[i + 2])
    }
}
