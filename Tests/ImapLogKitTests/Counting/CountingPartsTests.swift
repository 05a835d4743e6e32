import Testing

@testable import ImapLogKit

/// The analyzer's parts on their own: each keeps its bounds and hands over what it counted.
@Suite("Counting parts")
struct CountingPartsTests {
    /// Names for slot 0, `mbx01` (id 0) as a back end.
    private func names() -> StreamServerNames {
        let interner = Interner(limit: 10, lowercases: true)
        let id = interner.intern("mbx01")
        return StreamServerNames(
            renamed: [:], spellings: DenseTable(empty: nil), interner: interner, slots: [(server: id, role: .backEnd)],
            fileServer: id)
    }

    @Test func openSessionsSettleTheEighthSilentLongest() {
        var sessions = OpenSessions()
        for k in 0..<16 {
            // Silent longest: the sessions last seen earliest, here the odd keys from 15 down.
            let last = Int64(k % 2 == 0 ? 1_000 + k : 100 - k)
            sessions.insert(.init(id: UInt64(k), slot: 0), SessionState(slot: 0, start: 0, last: last))
        }
        let settled = sessions.removeOldest()
        #expect(settled.map(\.last) == [85, 87])
        #expect(sessions.settledEarly == 2)
        #expect(sessions.find(.init(id: 15, slot: 0)) == nil && sessions.find(.init(id: 13, slot: 0)) == nil)
        #expect(sessions.removeAll().count == 14)
    }

    @Test func theLogonSampleKeepsFailuresAndSuccessesUpToTheirLimits() {
        var sample = LogonSample()
        let session = SessionState(slot: 0, start: 0, last: 0)
        var pathsRead = 0
        for k in 0..<(LogonSample.failureLimit + 100) {
            sample.keep(time: Int64(k), session: session, failed: true, error: nil, file: "a.LOG", line: k)
        }
        for k in 0..<(LogonSample.successLimit + 100) {
            sample.keep(
                time: Int64(k), session: session, failed: false, error: nil,
                file: {
                    pathsRead += 1
                    return "b.LOG"
                }(), line: k)
        }
        let events = sample.finish(
            names: names(), servers: Interner(limit: 1, lowercases: true),
            clients: Interner(limit: 1, lowercases: true),
            users: Interner(limit: 1, lowercases: true))
        #expect(events.count == LogonSample.failureLimit + LogonSample.successLimit)
        // The path is read for the logons kept only.
        #expect(pathsRead == LogonSample.successLimit)
        #expect(events[0].server == ServerKey(name: "mbx01", role: .backEnd))
    }

    @Test func theServersSessionsAddUpToTheStreams() {
        let servers = ServerCounter()
        var proxied = SessionTally()
        proxied.total = 1
        proxied.loggedOnProxied = 1
        var failed = SessionTally()
        failed.total = 1
        failed.failedLogon = 1
        servers.countSession(slot: 0, outcome: proxied)
        servers.countSession(slot: 0, outcome: failed)
        servers.countRecord(slot: 0)
        var summary = Summary()
        servers.finish(
            into: &summary, slotCount: 1, names: names(), own: { _ in CommandTally() }, addresses: { _ in [] },
            server: { _ in 0 })
        let tally = summary.servers[ServerKey(name: "mbx01", role: .backEnd)]
        #expect(tally?.sessions == 2 && tally?.records == 1)
        #expect(
            summary.sessions.total == 2 && summary.sessions.loggedOnProxied == 1 && summary.sessions.failedLogon == 1)
        #expect(summary.serverSpellings["mbx01"] == "mbx01")
    }

    @Test func theTimelineMovesEachMinuteIntoItsTableOnce() {
        let timeline = TimelineCounter()
        timeline.count(slot: 0, minute: 7, latency: 10, failed: false)
        timeline.count(slot: 0, minute: 7, latency: nil, failed: true)
        timeline.count(slot: 0, minute: 9, latency: 30, failed: false)
        timeline.flush()
        var summary = Summary()
        timeline.finish(into: &summary, names: names())
        let minutes = summary.timeline[ServerKey(name: "mbx01", role: .backEnd)].map { Array($0) } ?? []
        #expect(minutes.map(\.minute) == [7, 9])
        #expect(minutes.first?.value == TimelineTally(requests: 2, failures: 1, latencySum: 10, latencyCount: 1))
    }
}
