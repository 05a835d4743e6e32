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

    private struct AddressAndUser: Hashable {
        var address: String
        var user: String
    }

    /// Greatest gap between the two rows of one logon.
    static let window: Int64 = 10_000

    init(_ summary: Summary) {
        // Each front end's own addresses: its rows' sIp, and the addresses its logs show.
        var frontEndAddresses: [ServerKey: Set<String>] = [:]
        for (key, tally) in summary.servers where key.role == .frontEnd {
            frontEndAddresses[key, default: []].formUnion(tally.addresses)
        }
        // Sorted once per front end, not once per logon.
        let sortedAddresses = frontEndAddresses.mapValues { $0.sorted() }
        // Indices into `logons`, not copies (an event holds seven strings).
        let logons = summary.logons
        var backEnds: [AddressAndUser: [Int]] = [:]  // logons, in time order
        for index in logons.indices where logons[index].server.role == .backEnd && !logons[index].clientAddress.isEmpty
        {
            backEnds[AddressAndUser(address: logons[index].clientAddress, user: logons[index].user), default: []]
                .append(index)
        }
        for key in backEnds.keys { backEnds[key]?.sort { logons[$0].time < logons[$1].time } }
        var pairs: [Pair] = []
        for index in logons.indices where logons[index].server.role != .backEnd && !logons[index].backend.isEmpty {
            let server = logons[index].server
            let serverAddress = logons[index].serverAddress
            let user = logons[index].user
            let time = logons[index].time
            var addresses = sortedAddresses[server] ?? []
            if !serverAddress.isEmpty && !addresses.contains(serverAddress) {
                addresses.insert(serverAddress, at: addresses.firstIndex { $0 > serverAddress } ?? addresses.count)
            }
            var best: Int?
            for address in addresses {
                for candidate in backEnds[AddressAndUser(address: address, user: user)] ?? []
                where abs(logons[candidate].time - time) <= Self.window {
                    if best == nil
                        || abs(logons[candidate].time - time) < abs(logons[best.unsafelyUnwrapped].time - time)
                    {
                        best = candidate
                    }
                }
            }
            if let best { pairs.append(Pair(frontEnd: logons[index], backEnd: logons[best])) }
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
