/// Links each back-end logon to the front-end logon that proxied it: same user, the back end's client address
/// is one of the front end's own addresses, within ten seconds.
///
/// Two things follow. A back-end log known only by its address takes the name the front ends' proxy rows give
/// it; and a front-end failure can show the back end's own reason for it.
struct Stitcher {
    /// A front-end logon and the back-end logon it became.
    struct Pair {
        var frontEnd: LogonEvent
        var backEnd: LogonEvent
    }

    let pairs: [Pair]

    /// Greatest gap between the two rows of one logon.
    static let window: Int64 = 10_000

    init(_ summary: Summary) {
        // Each front end's own addresses: its rows' sIp, and the addresses its logs show.
        var frontEndAddresses: [ServerKey: Set<String>] = [:]
        for (key, tally) in summary.servers where key.role == .frontEnd {
            frontEndAddresses[key, default: []].formUnion(tally.addresses)
        }
        var backEnds: [String: [LogonEvent]] = [:]  // "client address|user" → logons, in time order
        for logon in summary.logons where logon.server.role == .backEnd && !logon.clientAddress.isEmpty {
            backEnds[logon.clientAddress + "|" + logon.user, default: []].append(logon)
        }
        for key in backEnds.keys { backEnds[key]?.sort { $0.time < $1.time } }
        var pairs: [Pair] = []
        for logon in summary.logons where logon.server.role != .backEnd && !logon.backend.isEmpty {
            var addresses = frontEndAddresses[logon.server] ?? []
            if !logon.serverAddress.isEmpty { addresses.insert(logon.serverAddress) }
            var best: LogonEvent?
            for address in addresses.sorted() {
                for candidate in backEnds[address + "|" + logon.user] ?? []
                where abs(candidate.time - logon.time) <= Self.window {
                    if best == nil || abs(candidate.time - logon.time) < abs(best.unsafelyUnwrapped.time - logon.time) {
                        best = candidate
                    }
                }
            }
            if let best { pairs.append(Pair(frontEnd: logon, backEnd: best)) }
        }
        self.pairs = pairs
    }

    /// Back-end servers known only by address, named by the front ends that proxied to them: address → name,
    /// when most linked logons agree.
    func addressNames() -> [String: String] {
        var votes: [String: [String: Int]] = [:]
        for pair in pairs where ServerNames.isAddress(pair.backEnd.server.name) {
            votes[pair.backEnd.server.name, default: [:]][pair.frontEnd.backend, default: 0] += 1
        }
        var names: [String: String] = [:]
        for (address, counts) in votes {
            let total = counts.values.reduce(0, +)
            if let (name, count) = counts.max(by: { ($0.value, $1.key) < ($1.value, $0.key) }), count * 5 >= total * 3 {
                names[address] = name
            }
        }
        return names
    }
}
