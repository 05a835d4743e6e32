import Foundation
import SampleLogKit
import Testing

@testable import ImapLogDiagnosis
@testable import ImapLogKit
@testable import ImapLogReport

/// Floods of names, times and sessions made up by whoever writes into a log: past every table's limit a record is
/// counted under `(other)`, never dropped, and memory stays bounded.
@Suite("Floods and memory bombs")
struct FloodTests {
    /// A back end's row, `ms` after 2026-11-18T14:00:00Z.
    private static func row(
        _ ms: Int, session: Int, command: String, duration: Int = 5, user: String = "emma@contoso.com",
        server: String = "10.0.2.23:1993", client: String = "10.0.1.11:21437", context: String = "R=ok"
    ) -> String {
        let time = Timestamp.format(Int64(1_795_010_400_000 + ms))
        let id = String(session, radix: 16, uppercase: true)
        let padded = String(repeating: "0", count: max(0, 16 - id.count)) + id
        return "\(time),\(padded),1,\(server),\(client),\(user),\(duration),10,20,\(command),,\(context)\r\n"
    }

    /// 520 made-up command names typed before the real traffic: the slow commands after them still count in the
    /// latency, the timeline, the users and the logons (they were dropped: a CRITICAL check turned OK).
    @Test func aFloodOfCommandNamesBlindsNothing() throws {
        var text = TestSupport.header
        for k in 0..<520 { text += Self.row(k, session: 1, command: "junk\(k)") }
        // After the flood: real commands never seen before it, slow.
        for k in 0..<50 {
            text += Self.row(10_000 + k * 1_000, session: 2, command: "login", duration: 3)
            text += Self.row(10_000 + k * 1_000 + 1, session: 2, command: "uid+fetch", duration: 90_000)
        }
        let summary = TestSupport.analyse(text, role: .backEnd)
        #expect(summary.records == 620)
        let server = try #require(summary.servers.values.first)
        // Every record is in the server's own tally, the slow ones in its latency.
        #expect(server.records == 620)
        #expect(server.own.count == 620)
        #expect(server.own.latency.quantile(0.95) >= 89_000)
        let timeline = summary.timeline.values.reduce(0) { $0 + $1.values.reduce(0) { $0 + $1.requests } }
        #expect(timeline == 620)
        #expect(summary.users["emma@contoso.com"]?.commands == 620)
        let logons = summary.logonsByBackend.values.reduce(0) { $0 + $1.values.reduce(0) { $0 + $1.logons } }
        #expect(logons == 50)
        // Names past the limit are one row, `(other)`, and the limit is said with the records it took.
        let pooled = try #require(summary.commands[Summary.pooledKey])
        #expect(pooled.count == summary.overflow[Summary.Overflow.commands])
        #expect(pooled.count > 0)
        #expect(summary.commands.count <= StreamAnalyzer.commandLimit + 10)
        #expect(summary.commands.values.reduce(0) { $0 + $1.count } == 620)
    }

    /// A flood of back-end names in the front ends' rows: the ones past the stream's limit are one back end,
    /// `(other)` (they vanished, uncounted), and the limit is said.
    @Test func backEndsPastTheLimitAreCountedUnderOther() throws {
        var text = TestSupport.header
        let backEnds = StreamAnalyzer.serverLimit + 200
        for k in 0..<backEnds {
            text += Self.row(
                k, session: k + 1, command: "login", server: "10.0.1.11:993",
                context: "R=ok;Msg=Proxy:mbx\(k).contoso.com:1993:SSL")
        }
        let summary = TestSupport.analyse(text, role: .frontEnd)
        let proxied = summary.servers.filter { $0.key.role == .backEnd }
        #expect(proxied.values.reduce(0) { $0 + $1.proxiedSessions } == backEnds)
        #expect(proxied.values.reduce(0) { $0 + $1.proxied.count } == backEnds)
        let other = try #require(summary.servers[ServerKey(name: Summary.pooledKey, role: .backEnd)])
        #expect(other.proxied.count > 0)
        #expect(summary.overflow[Summary.Overflow.servers] == other.proxied.count)
    }

    /// Tables of commands share a budget of cells: past it, a write beyond a table's length goes to the pooled id,
    /// so thousands of servers × hundreds of commands cannot each take a row (3.4 GB before).
    @Test func commandTablesShareABudgetOfCells() {
        let budget = CellBudget(10)
        let tables = (0..<3).map { _ in DenseTable(empty: 0, budget: (budget, 1)) }
        for table in tables {
            for id in Int32(0)..<8 { table[id] += 1 }
        }
        // The first table took 8 cells; the second 2 (ids 0 and 1), its ids past 1 counted under 1; the third had
        // none left: the pooled id is always given room (two cells here, a few per table past the budget).
        #expect(budget.remaining == -2)
        #expect(
            tables.reduce(0) { total, table in
                var sum = 0
                table.forEachWritten { sum += $1 }
                return total + sum
            } == 24)
        var second: [Int32: Int] = [:]
        tables[1].forEachWritten { second[$0] = $1 }
        #expect(second == [0: 1, 1: 7])
        var third: [Int32: Int] = [:]
        tables[2].forEachWritten { third[$0] = $1 }
        #expect(third == [1: 8])
    }

    /// Distinct errors past the limit keep their class (the rules read classes) under an `(other)` code.
    @Test func errorsPastTheLimitKeepTheirClass() throws {
        var text = TestSupport.header
        let errors = Summary.errorLimit + 20
        for k in 0..<errors {
            text += Self.row(
                k, session: 1, command: "select",
                context: "\"R=\"\"1 NO Server Unavailable. \(k)\"\";ErrMsg=MailboxOfflineException\(k)\"")
        }
        let summary = TestSupport.analyse(text, role: .backEnd)
        #expect(summary.errors.values.reduce(0) { $0 + $1.count } == errors)
        let pooled = summary.errors.filter { $0.key.code == Summary.pooledKey }
        #expect(!pooled.isEmpty)
        let classes = Set(summary.errors.keys.filter { $0.code != Summary.pooledKey }.map(\.errorClass))
        #expect(Set(pooled.keys.map(\.errorClass)) == classes)
        #expect(summary.overflow[Summary.Overflow.errors] == pooled.values.reduce(0) { $0 + $1.count })
    }

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

    /// One huge duration costs one page of buckets, not every bucket below it (16 KB per server and command).
    @Test func aHugeDurationCostsOnePage() throws {
        var histogram = LatencyHistogram()
        histogram.record(3)
        histogram.record(Int64.max)
        #expect(histogram.pageCountInUse == 2)
        let top = LatencyHistogram.representative(ofBucket: LatencyHistogram.bucket(of: LatencyHistogram.maxValue))
        #expect(histogram.quantile(1.0) == top && histogram.quantile(0.5) == 3)
        let again = try JSONDecoder().decode(LatencyHistogram.self, from: JSONEncoder().encode(histogram))
        #expect(again == histogram)
    }

    /// Pages give the same quantiles as one bucket per value would, on values spread over every power of two.
    @Test func pagedBucketsGiveTheSameQuantiles() {
        var random = SeededRandom(seed: 5)
        var histogram = LatencyHistogram()
        var counts: [Int: UInt64] = [:]
        for _ in 0..<20_000 {
            let value = Int64(random.int(0...1_000)) << Int64(random.int(0...26))
            histogram.record(value)
            counts[LatencyHistogram.bucket(of: value), default: 0] += 1
        }
        var seen: [Int: UInt64] = [:]
        histogram.forEachBucket { seen[$0] = $1 }
        #expect(seen == counts)
        for q in [0.01, 0.5, 0.9, 0.99, 0.999] {
            let rank = max(1, UInt64((q * 20_000).rounded(.up)))
            var below: UInt64 = 0
            let bucket =
                counts.keys.sorted().first {
                    below += counts[$0] ?? 0; return below >= rank
                } ?? 0
            let expected = min(
                max(LatencyHistogram.representative(ofBucket: bucket), histogram.min), histogram.max)
            #expect(histogram.quantile(q) == expected)
        }
    }

    /// Timestamps in random order kept every day they touched unpacked (40 million rows: 1.8 GB): a bounded number
    /// of days stays open, the numbers are the same, and the scratch file reuses the blocks of days packed again.
    @Test func minutesInRandomOrderStayPacked() throws {
        let folder = TestSupport.temporaryFolder()
        defer { TestSupport.remove(folder) }
        let fd = open(folder + "/spill", O_RDWR | O_CREAT | O_EXCL, 0o600)
        #expect(fd >= 0)
        defer { close(fd) }
        let spill = SpillFile(descriptor: fd)
        var table = MinuteTable<TimelineTally>(spill: spill)
        var reference: [Int64: Int] = [:]
        var random = SeededRandom(seed: 3)
        let firstMinute: Int64 = 29_000_000
        for _ in 0..<60_000 {
            let minute = firstMinute + Int64(random.int(0...(300 * 1_440)))
            table.add(TimelineTally(requests: 1, failures: 0, latencySum: 1, latencyCount: 1), at: minute)
            reference[minute, default: 0] += 1
            #expect(table.openDayCount <= MinuteTable<TimelineTally>.maxOpenDays)
        }
        #expect(table.count == reference.count)
        #expect(table.entries.allSatisfy { reference[$0.minute] == $0.value.requests })
        // Days written again take back their old blocks: the file holds a few times the packed days, not a copy
        // per late minute.
        #expect(spill.byteCount <= 4 * Int64(table.packedByteCount) + 1_000_000)
    }

    /// Sessions never closed, past the open-session limit: the ones silent longest are settled, the one still in
    /// use goes on and is counted once (all were settled, and a session that went on was counted twice).
    @Test func theOpenSessionLimitSettlesTheOldest() throws {
        var text = TestSupport.header
        let others = StreamAnalyzer.maxOpenSessions + 5_000
        text += Self.row(0, session: 1, command: "OpenSession", user: "")
        for k in 0..<others {
            text += Self.row(1 + k, session: 100 + k, command: "OpenSession", user: "")
            if k % 1_000 == 0 { text += Self.row(1 + k, session: 1, command: "noop") }
        }
        text += Self.row(1 + others, session: 1, command: "CloseSession", user: "")
        let summary = TestSupport.analyse(text, role: .backEnd)
        #expect(summary.sessions.total == others + 1)
        #expect((summary.overflow[Summary.Overflow.openSessions] ?? 0) > 0)
        #expect(summary.sessions.openAtEnd == others)
    }

    /// A flood of header lines costs what records do: a schema was built for every field list (some 66,000
    /// instructions, 40 times a record), now once per list among the last few read.
    @Test func aFloodOfHeaderLinesBuildsEachSchemaOnce() {
        let fields =
            "#Fields: dateTime,sessionId,seqNumber,sIp,cIp,user,duration,rqsize,rpsize,command,parameters,context"
        let bare = "dateTime,sessionId,seqNumber,sIp,cIp,user,duration,rqsize,rpsize,command,parameters,context"
        let old = "#Fields: date-time,connector-id,session-id,sequence-number,local-endpoint,remote-endpoint,event,data"
        let parser = RecordParser()
        var formats: [LogFormat] = []
        for k in 0..<3_000 {
            var line = Array([fields, bare, old][k % 3].utf8)
            let outcome = line.withUnsafeMutableBytes { parser.parse($0) }
            #expect(outcome == .header)
            if k < 3 { formats.append(parser.format) }
        }
        #expect(parser.schemasBuilt == 2)
        #expect(formats == [.commandRows, .commandRows, .protocolEvents])
        // The schema in force is the last list read (the 3,000th: 2007/2010's).
        #expect(parser.format == .protocolEvents)
    }
}
