import ImapLogKit

/// One route's logons minute by minute, with running totals: the logons of any span of minutes in O(log n).
///
/// The logon rules weigh each episode of failures against the minutes around it and against the other routes
/// then. Summing a minute table for each episode cost the table's length each time: 5,000 failures spread over a
/// century (5,000 episodes) took minutes. Built once, a series answers each span by two binary searches.
struct LogonSeries {
    /// The minutes that hold logons, ascending.
    private(set) var minutes: [Int64] = []
    /// `totals[i]`: the logons of the first `i` minutes.
    private var totals: [LogonTally] = [.empty]

    init(_ table: MinuteTable<LogonTally>?) {
        guard let table else { return }
        var cells = table.map { (minute: $0.minute, tally: $0.value) }
        if zip(cells, cells.dropFirst()).contains(where: { $0.minute >= $1.minute }) {
            cells.sort { $0.minute < $1.minute }
        }
        minutes.reserveCapacity(cells.count)
        totals.reserveCapacity(cells.count + 1)
        var running = LogonTally.empty
        for cell in cells {
            minutes.append(cell.minute)
            running.merge(cell.tally)
            totals.append(running)
        }
    }

    /// Every logon of the route.
    var total: LogonTally { totals[totals.count - 1] }

    /// The logons of the `index`th minute that holds any.
    func tally(at index: Int) -> LogonTally { totals[index + 1].subtracting(totals[index]) }

    /// The minutes with server-side failures.
    var faultMinutes: [Int64] {
        minutes.indices.filter { tally(at: $0).serverFaults > 0 }.map { minutes[$0] }
    }

    /// The logons of the minutes `first` through `last`.
    func sum(from first: Int64, through last: Int64) -> LogonTally {
        guard first <= last else { return .empty }
        let lower = minutes.countBelow(first)
        let upper = last == .max ? minutes.count : minutes.countBelow(last + 1)
        return totals[upper].subtracting(totals[lower])
    }

    /// The logons after `minute`.
    func sum(after minute: Int64) -> LogonTally {
        minute == .max ? .empty : sum(from: minute + 1, through: .max)
    }
}

/// Many routes' logons in one list ordered by minute: which routes had logons in a span, and how many, at the cost
/// of the span's cells rather than of every route.
struct LogonCells {
    /// The routes, ascending.
    let names: [String]
    private let minutes: [Int64]
    private let routes: [Int32]
    private let tallies: [LogonTally]

    init(_ tables: [String: MinuteTable<LogonTally>]) {
        names = tables.keys.sorted()
        var cells: [(minute: Int64, route: Int32, tally: LogonTally)] = []
        for (index, name) in names.enumerated() {
            for (minute, tally) in tables[name] ?? MinuteTable() { cells.append((minute, Int32(index), tally)) }
        }
        cells.sort { ($0.minute, $0.route) < ($1.minute, $1.route) }
        minutes = cells.map(\.minute)
        routes = cells.map(\.route)
        tallies = cells.map(\.tally)
    }

    /// The minutes of the cells with server-side failures, ascending (a minute once a route).
    var faultMinutes: [Int64] { minutes.indices.filter { tallies[$0].serverFaults > 0 }.map { minutes[$0] } }

    /// The logons of each route with any in the minutes `first` through `last`, in the order of `names`.
    func routes(from first: Int64, through last: Int64) -> [(name: String, tally: LogonTally)] {
        guard first <= last else { return [] }
        let lower = minutes.countBelow(first)
        let upper = last == .max ? minutes.count : minutes.countBelow(last + 1)
        var byRoute: [Int32: LogonTally] = [:]
        for cell in lower..<upper { byRoute[routes[cell], default: .empty].merge(tallies[cell]) }
        return byRoute.sorted { $0.key < $1.key }.map { (names[Int($0.key)], $0.value) }
    }
}

extension LogonTally {
    /// What `self` counts beyond `other` (a running total less an earlier one).
    func subtracting(_ other: LogonTally) -> LogonTally {
        var difference = self
        difference.logons -= other.logons
        difference.serverFaults -= other.serverFaults
        difference.credentialFailures -= other.credentialFailures
        return difference
    }
}
