// The timeline: one server's requests, failures and latency in one minute.

/// One minute of one server.
public struct TimelineKey: Hashable, Sendable, Codable, Comparable {
    public var server: ServerKey
    /// Minutes since 1970.
    public var minute: Int64

    public static func < (lhs: TimelineKey, rhs: TimelineKey) -> Bool {
        (lhs.minute, lhs.server) < (rhs.minute, rhs.server)
    }
}

/// Requests, failures and latency in one timeline bucket.
public struct TimelineTally: Sendable, Codable, Equatable {
    public var requests = 0
    public var failures = 0
    public var latencySum: Int64 = 0
    public var latencyCount = 0

    /// Adds `other`'s counts; the sums of milliseconds stop at `Summary.millisecondsLimit` (a log's durations can
    /// be absurd, and the diagnosis adds up minutes).
    public mutating func merge(_ other: TimelineTally) {
        requests += other.requests
        failures += other.failures
        let (sum, overflow) = latencySum.addingReportingOverflow(other.latencySum)
        latencySum = overflow || sum > Summary.millisecondsLimit ? Summary.millisecondsLimit : sum
        latencyCount += other.latencyCount
    }
}

extension TimelineTally: MinuteTally {
    public static var empty: TimelineTally { TimelineTally() }
    public static func isMilliseconds(field index: Int) -> Bool { index == 2 }
    public static var fieldCount: Int { 4 }
    public func field(_ index: Int) -> Int64 {
        switch index {
        case 0: Int64(requests)
        case 1: Int64(failures)
        case 2: latencySum
        default: Int64(latencyCount)
        }
    }

    public init(fields f: ArraySlice<Int64>) {
        let i = f.startIndex
        self.init(requests: Int(f[i]), failures: Int(f[i + 1]), latencySum: f[i + 2], latencyCount: Int(f[i + 3]))
    }
}
