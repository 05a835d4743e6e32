/// Counts each server's own records, failures and sessions, and what the front ends proxied to it when it is a back
/// end: sessions, commands, failures.
///
/// Its commands (`ServerTally.own`) are counted by `CommandCounter` and its addresses kept by `ServerDirectory`:
/// `finish` takes them from there.
///
/// Bounds: a tally a slot; five example locations of server-side failures a server, own and proxied each.
struct ServerCounter {
    /// By slot, grown as slots are counted into.
    private let tallies = RecordTable<ServerTally>()

    /// The tally of `slot`, made if new.
    @inline(__always)
    private func tally(_ slot: Int) -> UnsafeMutablePointer<ServerTally> {
        if slot >= tallies.count { addTallies(through: slot) }
        return tallies.pointer(at: slot)
    }

    /// Out of line, so that the counting methods stay small enough to be inlined where a record is counted.
    @inline(never)
    private func addTallies(through slot: Int) {
        tallies.extend(toHold: slot, with: ServerTally())
    }

    /// Counts a record of `slot`'s own logs.
    @inline(__always)
    func countRecord(slot: Int) {
        tally(slot).pointee.records += 1
    }

    /// Counts a failure of `slot` by its class, and against the back end the session was proxied to, if any.
    func countFailure(_ errorClass: ErrorClass, slot: Int, proxiedTo backendSlot: Int?) {
        tally(slot).pointee.failureClasses[errorClass, default: 0] += 1
        if let backendSlot { tally(backendSlot).pointee.proxiedFailureClasses[errorClass, default: 0] += 1 }
    }

    /// Keeps the location of a server-side failure (not credentials, not the client's), for `slot` and the back end
    /// the session was proxied to, while each has fewer than five.
    func countServerFault(slot: Int, proxiedTo backendSlot: Int?, path: String, line: Int) {
        if tally(slot).pointee.examples.count < 5 { tally(slot).pointee.examples.append("\(path):\(line)") }
        if let backendSlot, tally(backendSlot).pointee.proxiedExamples.count < 5 {
            tally(backendSlot).pointee.proxiedExamples.append("\(path):\(line)")
        }
    }

    /// Counts a front end's command on a session proxied to the back end `backendSlot`.
    @inline(__always)
    func countProxied(backendSlot: Int, latency: Int64?, failed: Bool, bytes: (Int64, Int64)) {
        tally(backendSlot).pointee.proxied.count(duration: latency, failed: failed, bytes: bytes)
    }

    /// Counts a front-end session handed to the back end `backendSlot`.
    func countProxiedSession(backendSlot: Int) {
        tally(backendSlot).pointee.proxiedSessions += 1
    }

    /// Counts an ended session of `slot`.
    func countSession(slot: Int, outcome: SessionTally) {
        tally(slot).pointee.sessions += 1
        tally(slot).pointee.outcomes.merge(outcome)
    }

    /// Records in `slot`'s own logs and front-end commands proxied to it.
    func recordsAndProxied(ofSlot slot: Int) -> Int {
        slot < tallies.count ? tallies[slot].records + tallies[slot].proxied.count : 0
    }

    /// Adds every slot's tally, with its commands and addresses, and the stream's sessions (every slot's).
    func finish(
        into summary: inout Summary, slotCount: Int, names: StreamServerNames, own: (Int) -> CommandTally,
        addresses: (Int) -> [String], server: (Int) -> Int32
    ) {
        for slot in 0..<slotCount {
            var tally = slot < tallies.count ? tallies[slot] : ServerTally()
            tally.own = own(slot)
            if tally == ServerTally() { continue }
            tally.addresses = addresses(slot)
            summary.servers[names.key(ofSlot: slot), default: ServerTally()].merge(tally)
            let name = names[server(slot)]
            summary.serverSpellings[name.lowercased] = name.spelling
        }
        for tally in tallies { summary.sessions.merge(tally.outcomes) }
    }
}
