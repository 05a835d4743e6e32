import ImapLogKit

/// Links each back-end logon to the front-end logon that proxied it: same user, the back end's client address
/// is one of the front end's own addresses, within ten seconds.
///
/// Two things follow. A back-end log known only by its address takes the name the front ends' proxy rows give
/// it; and a front-end failure can show the back end's own reason for it.
package struct Stitcher {
    /// A front-end logon and the back-end logon it became.
    struct Pair {
        var frontEnd: LogonEvent
        var backEnd: LogonEvent
    }

    /// A pair, as the positions of its two events in `logons`.
    struct Link {
        var frontEnd: Int32
        var backEnd: Int32
    }

    private let logons: LogonEvents
    /// Eight bytes a pair: the events are built when a pair is looked at (most never are).
    private let links: [Link]

    /// Every pair found, front ends in the order of the summary's events.
    var pairs: LazyMapSequence<[Link], Pair> {
        links.lazy.map { [logons] in Pair(frontEnd: logons[Int($0.frontEnd)], backEnd: logons[Int($0.backEnd)]) }
    }

    private struct AddressAndUser: Hashable {
        var address: String
        var user: String
    }

    /// Greatest gap between the two rows of one logon.
    static let window: Int64 = 10_000

    package init(_ summary: Summary) {
        // Each front end's own addresses: its rows' sIp, and the addresses its logs show.
        var frontEndAddresses: [ServerKey: Set<String>] = [:]
        for (key, tally) in summary.servers where key.role == .frontEnd {
            frontEndAddresses[key, default: []].formUnion(tally.addresses)
        }
        // Sorted once per front end, not once per logon.
        let sortedAddresses = frontEndAddresses.mapValues { $0.sorted() }
        // Indices into `logons`: an event is built only for the pairs found.
        let logons = summary.logons
        var backEnds: [AddressAndUser: [Int]] = [:]  // logons, in time order
        for index in logons.indices where logons.role(at: index) == .backEnd && !logons.clientAddress(at: index).isEmpty
        {
            backEnds[
                AddressAndUser(address: logons.clientAddress(at: index), user: logons.user(at: index)), default: []
            ]
            .append(index)
        }
        for key in backEnds.keys { backEnds[key]?.sort { logons.time(at: $0) < logons.time(at: $1) } }
        var links: [Link] = []
        for index in logons.indices where logons.role(at: index) != .backEnd && !logons.backend(at: index).isEmpty {
            let serverAddress = logons.serverAddress(at: index)
            let user = logons.user(at: index)
            let time = logons.time(at: index)
            var addresses = sortedAddresses[logons.server(at: index)] ?? []
            if !serverAddress.isEmpty && !addresses.contains(serverAddress) {
                addresses.insert(serverAddress, at: addresses.firstIndex { $0 > serverAddress } ?? addresses.count)
            }
            var best: Int?
            for address in addresses {
                for candidate in backEnds[AddressAndUser(address: address, user: user)] ?? []
                where abs(logons.time(at: candidate) - time) <= Self.window {
                    if best == nil
                        || abs(logons.time(at: candidate) - time)
                            < abs(logons.time(at: best.unsafelyUnwrapped) - time)
                    {
                        best = candidate
                    }
                }
            }
            if let best { links.append(Link(frontEnd: Int32(index), backEnd: Int32(best))) }
        }
        self.logons = logons
        self.links = links
    }

    /// Back-end servers known only by address, named by the front ends that proxied to them: address → name,
    /// when most linked logons agree.
    package func addressNames() -> [String: String] {
        var votes: [String: [String: Int]] = [:]
        for link in links {
            let address = logons.serverName(at: Int(link.backEnd))
            guard ServerNames.isAddress(address) else { continue }
            votes[address, default: [:]][logons.backend(at: Int(link.frontEnd)), default: 0] += 1
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
