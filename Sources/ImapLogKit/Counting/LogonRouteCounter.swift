/// Counts logons by minute on each route they take: the server that logged them (a front end, or a back end in its
/// own log) and the back end a front end proxied them to.
///
/// Rows come in time order, so each route's minute being counted is kept apart and moved into its table when the
/// next one starts: the table is touched once a minute, not once a logon.
///
/// Bounds: a route a (slot, back end) pair; the minutes its logons span.
struct LogonRouteCounter {
    /// The back end of a back end's own log's logons.
    static let ownView: Int32 = -2

    private struct Route {
        /// The server that logged the logons.
        var server: Int32
        /// The back end a front end proxied them to (-1: none named; `ownView`: the back end's own log).
        var backend: Int32
    }
    private var routes: [Route] = []
    /// Each slot's routes, by back-end id + 2 (so `ownView` and none fit): route index + 1, 0 for none yet.
    ///
    /// A table look-up per logon, not a dictionary's hashing (268 instructions a logon, measured).
    private var routeTables: [DenseTable<Int32>] = []
    /// Logons per minute, by route index.
    ///
    /// Kept nested as the summary nests them, so the tables move into the summary whole instead of being copied
    /// entry by entry.
    private var byRoute: [Int32: MinuteTable<LogonTally>] = [:]
    private struct OpenMinute: Equatable {
        var minute = Int64.min
        var tally = LogonTally()
    }
    /// The minute each route's logons are being counted in, by route index + 1.
    private let openMinutes = DenseTable(empty: OpenMinute())

    /// Counts a logon in `minute` logged by `server` (slot `slot`), proxied to `backend` (or `ownView`).
    @inline(__always)
    mutating func count(
        slot: Int, server: Int32, backend: Int32, minute: Int64, isServerFault: Bool, isCredentialFailure: Bool
    ) {
        var tally = LogonTally()
        tally.logons = 1
        tally.serverFaults = isServerFault ? 1 : 0
        tally.credentialFailures = isCredentialFailure ? 1 : 0
        let index = route(slot: slot, server: server, backend: backend) + 1
        if openMinutes[index].minute != minute {
            flush(index)
            openMinutes[index].minute = minute
        }
        openMinutes[index].tally.merge(tally)
    }

    /// The index of the route from a slot's server to `backend` (a back-end id, -1 for none, `ownView`).
    @inline(__always)
    private mutating func route(slot: Int, server: Int32, backend: Int32) -> Int32 {
        if slot < routeTables.count {
            let known = routeTables[slot][backend + 2]
            if known > 0 { return known - 1 }
        }
        return addRoute(slot: slot, server: server, backend: backend)
    }

    /// A new route: out of line, so that `count` stays small enough to be inlined where a record is counted.
    @inline(never)
    private mutating func addRoute(slot: Int, server: Int32, backend: Int32) -> Int32 {
        while routeTables.count <= slot { routeTables.append(DenseTable(empty: 0)) }
        let index = Int32(routes.count)
        routes.append(Route(server: server, backend: backend))
        routeTables[slot][backend + 2] = index + 1
        return index
    }

    /// Moves the logons of the minute open for route `index - 1` into its table: once a minute, out of line.
    @inline(never)
    private mutating func flush(_ index: Int32) {
        let open = openMinutes[index]
        guard open.minute != Int64.min else { return }
        byRoute[index - 1, default: MinuteTable()].add(open.tally, at: open.minute)
        openMinutes[index] = OpenMinute()
    }

    /// Adds each route's minutes under its path, handing its table over.
    mutating func finish(into summary: inout Summary, names: StreamServerNames) {
        // Each entry is read before its flush empties it.
        let open = openMinutes
        open.forEachWritten { index, _ in flush(index) }
        for index in byRoute.keys.sorted() {
            let route = routes[Int(index)]
            let own = names[route.server].lowercased
            let path =
                route.backend == Self.ownView
                ? LogonPath(frontEnd: "", backEnd: own, isBackEndView: true)
                : LogonPath(frontEnd: own, backEnd: route.backend >= 0 ? names[route.backend].lowercased : "")
            Summary.mergeNested(&summary.logonsByBackend, [path.key: byRoute[index] ?? MinuteTable()])
            byRoute[index] = nil
        }
    }
}
