/// Counts each server's requests, failures and latency by minute: the timeline.
///
/// Rows come in time order, so each server's minute being counted is kept apart and moved into its table when the
/// next one starts: the table is touched once a minute, not once a record.
///
/// Bounds: the minutes a server's rows span (`MinuteTable` packs them by day).
struct TimelineCounter {
    private struct Server {
        /// The minute being counted (`Int.min`: none) and its tally.
        var minute = Int.min
        var tally = TimelineTally()
        /// The finished minutes.
        var minutes = MinuteTable<TimelineTally>()
    }
    /// By slot, grown as slots are counted into.
    private let servers = RecordTable<Server>()

    /// Counts a command of `slot` in `minute`; `latency` is nil for commands whose duration is not one.
    @inline(__always)
    func count(slot: Int, minute: Int, latency: Int64?, failed: Bool) {
        if slot >= servers.count { addServers(through: slot) }
        if servers[slot].minute != minute {
            flush(slot: slot)
            servers[slot].minute = minute
        }
        servers[slot].tally.count(duration: latency, failed: failed)
    }

    /// Out of line, so that `count` stays small enough to be inlined where a record is counted.
    @inline(never)
    private func addServers(through slot: Int) {
        servers.extend(toHold: slot, with: Server())
    }

    /// Moves `slot`'s minute being counted into its table: once a minute, out of line.
    @inline(never)
    private func flush(slot: Int) {
        let previous = servers[slot].minute
        guard previous != Int.min else { return }
        servers[slot].minutes.add(servers[slot].tally, at: Int64(previous))
        servers[slot].tally = TimelineTally()
        servers[slot].minute = Int.min
    }

    /// Moves every minute being counted into its table: called once the stream's rows are all counted.
    func flush() {
        for slot in servers.indices { flush(slot: slot) }
    }

    /// Adds each server's minutes (after `flush()`), handing its table over.
    func finish(into summary: inout Summary, names: StreamServerNames) {
        for slot in servers.indices where !servers[slot].minutes.isEmpty {
            Summary.mergeNested(&summary.timeline, [names.key(ofSlot: slot): servers[slot].minutes])
            servers[slot].minutes = MinuteTable()
        }
    }
}

extension TimelineTally {
    /// Counts a request (adding flags' 0 or 1, as `CommandTally.count` does).
    @inline(__always)
    mutating func count(duration: Int64?, failed: Bool) {
        requests += 1
        failures += failed ? 1 : 0
        latencySum += duration ?? 0
        latencyCount += duration == nil ? 0 : 1
    }
}
