// The timeline: one server's requests, failures and latency in one minute.

/// One minute of one server.
package struct TimelineKey: Hashable, Sendable, Codable, Comparable {
    package var server: ServerKey
    /// Minutes since 1970.
    package var minute: Int64

    package static func < (lhs: TimelineKey, rhs: TimelineKey) -> Bool {
        (lhs.minute, lhs.server) < (rhs.minute, rhs.server)
    }
}

/// Requests, failures and latency in one timeline bucket.
package struct TimelineTally: Sendable, Codable, Equatable {
    package var requests = 0
    package var failures = 0
    package var latencySum: Int64 = 0
    package var latencyCount = 0

    /// Adds `other`'s counts; the sums of milliseconds stop at `Summary.millisecondsLimit` (a log's durations can
    /// be absurd, and the diagnosis adds up minutes).
    package mutating func merge(_ other: TimelineTally) {
        requests += other.requests
        failures += other.failures
        let (sum, overflow) = latencySum.addingReportingOverflow(other.latencySum)
        latencySum = overflow || sum > Summary.millisecondsLimit ? Summary.millisecondsLimit : sum
        latencyCount += other.latencyCount
    }
}

extension TimelineTally: MinuteTally {
    package static var empty: TimelineTally { TimelineTally() }
    package static func isMilliseconds(field index: Int) -> Bool { index == 2 }
    package static var fieldCount: Int { 4 }
    package func field(_ index: Int) -> Int64 {
        switch index {
        case 0: Int64(requests)
        case 1: Int64(failures)
        case 2: latencySum
        default: Int64(latencyCount)
        }
    }

    package init(fields f: ArraySlice<Int64>) {
        let i = f.startIndex
        self.init(requests: Int(f[i]), failures: Int(f[i + 1]), latencySum: f[i + 2], latencyCount: Int(f[i + 3]))
    }
}
