/// Counts what each party of one kind did, users or client addresses: commands, failures, failed logons, refused
/// credentials, sessions.
///
/// Bounds: `Summary.partyLimit` names; past it, new ones are counted under `(other)`, never dropped.
struct PartyCounter {
    /// The parties' names, lower-cased.
    let names = Interner(limit: Summary.partyLimit, lowercases: true)
    /// By name id.
    private let tallies = DenseTable(empty: PartyTally())

    /// Counts a command of party `id` (-1: none named).
    @inline(__always)
    func count(_ id: Int32, failed: Bool, failedLogon: Bool, credentials: Bool) {
        guard id >= 0 else { return }
        tallies[id].count(failed: failed, failedLogon: failedLogon, credentials: credentials)
    }

    /// Counts an ended session of party `id` (-1: none named).
    func countSession(_ id: Int32) {
        guard id >= 0 else { return }
        tallies[id].sessions += 1
    }

    /// The commands counted under `(other)`, when the names met their limit.
    var pooledCommands: Int? {
        names.isFull ? tallies[names.pooledID].commands : nil
    }

    /// Adds each party's tally by name.
    func finish(into table: inout [String: PartyTally]) {
        // Sized once: a dictionary growing by doubling holds its entries twice while it does.
        table.reserveCapacity(tallies.writtenCount)
        tallies.forEachWritten { id, tally in table[names.string(id), default: PartyTally()].merge(tally) }
    }
}

extension PartyTally {
    /// Counts a command (adding flags' 0 or 1, as `CommandTally.count` does).
    @inline(__always)
    mutating func count(failed: Bool, failedLogon: Bool, credentials: Bool) {
        commands += 1
        failures += failed ? 1 : 0
        failedLogons += failedLogon ? 1 : 0
        credentialFailures += credentials ? 1 : 0
    }
}
