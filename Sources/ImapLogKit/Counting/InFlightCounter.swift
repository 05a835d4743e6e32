/// Counts each server's commands in flight, for the peak and when it was first reached.
///
/// Bounds: a ring of `InFlightTracker.windowSeconds` counters a server that times a command.
struct InFlightCounter {
    /// By slot, grown as slots are counted into.
    private let trackers = RecordTable<InFlightTracker>()

    /// Counts a command of `slot` that ran from `startMs` to `endMs`.
    @inline(__always)
    func count(slot: Int, startMs: Int64, endMs: Int64) {
        if slot >= trackers.count { addTrackers(through: slot) }
        trackers[slot].add(startMs: startMs, endMs: endMs)
    }

    /// Out of line, so that `count` stays small enough to be inlined where a record is counted.
    @inline(never)
    private func addTrackers(through slot: Int) {
        trackers.extend(toHold: slot, with: InFlightTracker())
    }

    /// Adds each server's peak.
    func finish(into summary: inout Summary, names: StreamServerNames) {
        for (slot, tracker) in trackers.enumerated() where !tracker.isUnused {
            var settled = tracker
            summary.peakInFlight[names.key(ofSlot: slot), default: InFlightPeak()].merge(settled.finish())
        }
    }
}
