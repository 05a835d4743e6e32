/// Counts Exchange's own monitoring traffic: its records and commands, and its sessions by kind of probe, server
/// and back end, also by minute.
///
/// Bounds: a tally a (kind, server, back end); one example location a tally (its first failed session's first
/// failure); the minutes a kind's sessions span on a server.
struct ProbeCounter {
    private struct SessionKey: Hashable {
        var kind: ProbeKind
        var slot: Int
        var backend: Int32
    }
    private struct MinutesKey: Hashable {
        var kind: ProbeKind
        var slot: Int
    }
    private var records = 0
    private var commands = CommandTally()
    private var sessions: [SessionKey: ProbeSessionTally] = [:]
    private var minutes: [MinutesKey: MinuteTable<ProbeMinuteTally>] = [:]

    /// Counts a probe's record; a command (`isCommand`, not a session marker) also by its latency.
    @inline(__always)
    mutating func countRecord(isCommand: Bool, latency: Int64?, failed: Bool) {
        records += 1
        if isCommand { commands.count(duration: latency, failed: failed) }
    }

    /// Counts an ended probe session of `slot`, whose server is in `role`; `example` is its first failure's
    /// location.
    mutating func countSession(_ session: SessionState, slot: Int, role: Role, example: String?) {
        let kind: ProbeKind
        switch role {
        case .frontEnd: kind = session.attemptedLogon ? .customerTouchPoint : .proxyTest
        case .backEnd:
            // A health mailbox arriving from a front end is the back-end leg of ImapCTPProbe.
            kind = !session.isLoopbackClient ? .customerTouchPoint : session.attemptedLogon ? .deepTest : .selfTest
        case .unknown: kind = .other
        }
        var tally = ProbeSessionTally(sessions: 1, failedSessions: session.hadFailure ? 1 : 0)
        tally.first = session.start
        tally.last = session.last
        if let example { tally.examples = [example] }
        let backend = kind == .customerTouchPoint && role == .frontEnd ? session.backend : -1
        sessions[SessionKey(kind: kind, slot: slot, backend: backend), default: ProbeSessionTally()].merge(tally)
        let minute = session.start >= 0 ? session.start / 60_000 : (session.start - 59_999) / 60_000
        var perMinute = ProbeMinuteTally(sessions: 1, failedSessions: session.hadFailure ? 1 : 0)
        perMinute.longestMs = max(0, session.last - session.start)
        minutes[MinutesKey(kind: kind, slot: slot), default: MinuteTable()].add(perMinute, at: minute)
    }

    /// Adds the probes' records, commands, sessions and minutes, handing the minutes over.
    mutating func finish(into summary: inout Summary, names: StreamServerNames) {
        summary.probes.records = records
        summary.probes.commands = commands
        for (key, tally) in sessions {
            let probeKey = ProbeKey(
                kind: key.kind, server: names.key(ofSlot: key.slot),
                backend: key.backend >= 0 ? names[key.backend].lowercased : "")
            summary.probes.sessions[probeKey, default: ProbeSessionTally()].merge(tally)
        }
        for (key, table) in minutes {
            Summary.mergeNested(
                &summary.probes.minutes, [ProbeServerKey(kind: key.kind, server: names.key(ofSlot: key.slot)): table])
        }
        minutes = [:]
    }
}
