/// Counts each server's commands by command id: how many, how many failed, their latency and their bytes.
///
/// A server's own totals and the stream's per-command totals are merged from these at the end (exactly: tallies
/// add up), so a record updates one latency histogram here, not three.
///
/// Bounds: the servers' tables take at most `cellLimit` cells together; past it, a server's new commands are
/// counted under its `(other)` row, so its totals stay whole.
struct CommandCounter {
    /// Cells the servers' tables may take together (72 bytes each, and the latency's pages).
    ///
    /// A stream of a fleet's logs holds a few thousand (servers × the highest command id each counts). Thousands of
    /// servers' addresses × 500 made-up commands, each with a huge duration, took 3.4 GB.
    static let cellLimit = 131_072

    private let cells = CellBudget(CommandCounter.cellLimit)
    /// The `(other)` command's id: where a table past the budget counts.
    private let pooledID: Int32
    /// By slot, grown as slots are counted into.
    private let tables = RecordTable<DenseTable<CommandTally>>()

    init(pooledID: Int32) {
        self.pooledID = pooledID
    }

    /// Counts a command of `slot`; `latency` is nil for commands whose duration is not one (IDLE, proxy).
    @inline(__always)
    func count(slot: Int, command: Int32, latency: Int64?, failed: Bool, bytes: (Int64, Int64)) {
        if slot >= tables.count { addTables(through: slot) }
        // Borrowed, not retained (an atomic increment and decrement per record): a table lives as long as the
        // counter.
        Unmanaged.passUnretained(tables[slot])._withUnsafeGuaranteedRef {
            $0[command].count(duration: latency, failed: failed, bytes: bytes)
        }
    }

    /// Out of line, so that `count` stays small enough to be inlined where a record is counted.
    @inline(never)
    private func addTables(through slot: Int) {
        while tables.count <= slot { tables.append(DenseTable(empty: CommandTally(), budget: (cells, pooledID))) }
    }

    /// Every command of `slot` together: the server's own totals.
    func total(ofSlot slot: Int) -> CommandTally {
        var total = CommandTally()
        if slot < tables.count { tables[slot].forEachWritten { _, tally in total.merge(tally) } }
        return total
    }

    /// Adds each command's totals, and each server's, by name.
    func finish(into summary: inout Summary, names: StreamServerNames, commandNames: Interner) {
        for (slot, table) in tables.enumerated() {
            table.forEachWritten { id, tally in
                let name = commandNames.string(id)
                summary.commands[name, default: CommandTally()].merge(tally)
                summary.serverCommands[
                    ServerCommandKey(server: names.key(ofSlot: slot), command: name), default: CommandTally()
                ]
                .merge(tally)
            }
        }
    }
}

// The tallies add a flag's 0 or 1 rather than test it: a store made either way needs no branch, and whether a
// record failed is a branch the processor would often guess wrong.
extension CommandTally {
    @inline(__always)
    mutating func count(duration: Int64?, failed: Bool, bytes: (Int64, Int64) = (0, 0)) {
        count += 1
        failures += failed ? 1 : 0
        if let duration { latency.record(duration) }
        requestBytes &+= bytes.0
        responseBytes &+= bytes.1
    }
}
