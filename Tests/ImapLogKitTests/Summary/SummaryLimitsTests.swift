import Foundation
import SampleLogKit
import Testing

@testable import ImapLogDiagnosis
@testable import ImapLogKit
@testable import ImapLogReport

/// Floods met when summaries merge: past the run's limits, servers and users are counted under `(other)`, never
/// dropped.
@Suite("Floods and memory bombs: merged summaries")
struct SummaryLimitsTests {
    /// One stream's summary of one server, with a record, a minute and a probe.
    private static func oneServer(_ name: String, records: Int = 1) -> Summary {
        var summary = Summary()
        let key = ServerKey(name: name, role: .backEnd)
        var tally = ServerTally()
        tally.records = records
        tally.own.count(duration: 5, failed: false)
        summary.servers[key] = tally
        summary.serverSpellings[name] = name.uppercased()
        summary.serverCommands[ServerCommandKey(server: key, command: "select")] = tally.own
        var minutes = MinuteTable<TimelineTally>()
        minutes.add(TimelineTally(requests: records, failures: 0, latencySum: 5, latencyCount: 1), at: 29_925_480)
        summary.timeline[key] = minutes
        summary.peakInFlight[key] = InFlightPeak(peak: 1, at: 0)
        summary.logonsByBackend[LogonPath(frontEnd: "cas01", backEnd: name).key] = {
            var logons = MinuteTable<LogonTally>()
            logons.add(LogonTally(logons: 1, serverFaults: 0, credentialFailures: 0), at: 29_925_480)
            return logons
        }()
        return summary
    }

    /// Tiny servers' folders by the thousand (a 6.9 MB zip of 20,000 took 5.3 GB): past the run's limit they are
    /// one server, `(other)`, in every table keyed by a server; no record is lost, and no rule names it.
    @Test func serversPastTheRunsLimitArePooled() throws {
        var total = Summary()
        let servers = Summary.serverLimit + 300
        for k in 0..<servers { total.merge(Self.oneServer(String(format: "mbx%05d.contoso.com", k))) }
        #expect(Set(total.servers.keys.map(\.name)).count == Summary.serverLimit + 1)
        #expect(total.servers.values.reduce(0) { $0 + $1.records } == servers)
        let other = try #require(total.servers[ServerKey(name: Summary.pooledKey, role: .backEnd)])
        #expect(other.records == 300)
        #expect(total.overflow[Summary.Overflow.servers] == 300)
        #expect(total.timeline.count == Summary.serverLimit + 1)
        #expect(total.timeline[ServerKey(name: Summary.pooledKey, role: .backEnd)]?.values.first?.requests == 300)
        #expect(total.serverCommands.values.reduce(0) { $0 + $1.count } == servers)
        let logons = total.logonsByBackend[LogonPath(frontEnd: "cas01", backEnd: Summary.pooledKey).key]
        #expect(logons?.values.first?.logons == 300)
        // The pooled server is no host name: it never stands in a command the tool suggests.
        #expect(HostName.quoted(Summary.pooledKey) == nil)
    }

    /// Users past the run's limit: counted under `(other)`, with their commands (they were left out).
    @Test func usersPastTheRunsLimitArePooled() {
        var total = Summary()
        var first = Summary()
        for k in 0..<Summary.partyLimit { first.users["u\(k)"] = PartyTally(commands: 1) }
        total.merge(first)
        var second = Summary()
        for k in 0..<10 { second.users["v\(k)"] = PartyTally(commands: 2) }
        total.merge(second)
        #expect(total.users[Summary.pooledKey]?.commands == 20)
        #expect(total.users.values.reduce(0) { $0 + $1.commands } == Summary.partyLimit + 20)
        #expect(total.overflow[Summary.Overflow.users] == 20)
    }
}
