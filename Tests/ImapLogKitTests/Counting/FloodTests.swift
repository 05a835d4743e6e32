import Foundation
import Testing

@testable import ImapLogDiagnosis
@testable import ImapLogKit
@testable import ImapLogReport

/// Floods of names and sessions made up by whoever writes into a log: past every table a stream counts into, a record
/// is counted under `(other)`, never dropped, and memory stays bounded. (Floods met merging summaries:
/// `SummaryLimitsTests`; in histograms, minute tables and headers: beside those.)
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
}
