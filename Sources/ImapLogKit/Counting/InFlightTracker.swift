/// Counts commands in flight on one server over a sliding window, in constant memory.
///
/// Rows are written when a command ends, in time order, and commands last at most minutes (IDLE is left
/// out), so the per-second changes older than the window are final: they are folded into a running count as
/// the window slides. The window is a ring of per-second counters: no hashing on the hot path.
struct InFlightTracker {
    /// Seconds the ring covers; a command that started earlier than that before the latest end is clamped.
    static let windowSeconds = 2048
    /// Per-second changes, made at the first command (8 KB).
    ///
    /// A slot that never times a command (a back end only named by the front ends' rows, each of thousands in a
    /// flood of names) costs nothing. 32-bit: a second's starts and ends on one
    /// server never near two billion, and thousands of servers' rings take half as much.
    private var deltas: [Int32] = []
    /// The first second not yet folded into `running`.
    private var base = Int64.min
    private var running = 0
    private var peak = InFlightPeak()

    /// No command was ever added (a server with no timed commands).
    var isUnused: Bool { base == Int64.min }

    @inline(__always)
    private static func slot(_ second: Int64) -> Int {
        let n = Int64(windowSeconds)
        return Int(((second % n) + n) % n)
    }

    mutating func add(startMs: Int64, endMs: Int64) {
        let end = endMs / 1000 + 1
        var start = min(startMs / 1000, end - 1)
        if base == Int64.min {
            base = start
            deltas = [Int32](repeating: 0, count: Self.windowSeconds)
        }
        if end - base >= Int64(Self.windowSeconds) { settle(before: end - Int64(Self.windowSeconds) + 1) }
        if start < base { start = base }
        guard start < end else { return }
        deltas[Self.slot(start)] &+= 1
        deltas[Self.slot(end)] &-= 1
    }

    /// Folds the seconds before `limit` into the running count, in time order.
    private mutating func settle(before limit: Int64) {
        // After a long silence only the ring's seconds can hold changes: fold them, then jump.
        let stop = min(limit, base + Int64(Self.windowSeconds))
        while base < stop {
            let index = Self.slot(base)
            running += Int(deltas[index])
            deltas[index] = 0
            if running > peak.peak { peak = InFlightPeak(peak: running, at: base * 1000) }
            base += 1
        }
        base = max(base, limit)
    }

    /// Settles everything and returns the peak.
    mutating func finish() -> InFlightPeak {
        if base != Int64.min { settle(before: base + Int64(Self.windowSeconds)) }
        return peak
    }
}
