import Foundation
import SampleLogKit
import Testing

@testable import ImapLogDiagnosis
@testable import ImapLogKit
@testable import ImapLogReport

/// Logon events: stored compactly, given back as they were, and sampled by user past the limit.
@Suite("Logon events")
struct LogonEventsTests {
    @Test func logonEventsStoredCompactlyGiveBackEveryEventAsItWas() throws {
        var random = SeededRandom(seed: 9)
        // Examples split into file and line only when writing them back gives the same text.
        let examples = [
            "a.LOG:12", "a.LOG:0", "b.LOG:12", "x:007", "y:1234567890", "z:", ":5", "no colon", "c:d:3", "é:9", "p:-1",
            "q:999999999", "r:+4", "",
        ]
        let names = ["", "cas01.contoso.com", "mbx01.contoso.com", "10.0.1.11", "marc@contoso.com", "日本"]
        var events: [LogonEvent] = []
        for index in 0..<500 {
            func name() -> String { names.randomElement(using: &random)! }
            events.append(
                LogonEvent(
                    time: Int64(index) * 977 - 50_000,
                    server: ServerKey(name: name(), role: Role.allCases.randomElement(using: &random)!),
                    serverAddress: name(), clientAddress: name(), user: name(), backend: name(), failed: index % 3 == 0,
                    errorCode: index % 2 == 0 ? "" : "NO",
                    errorClass: index % 4 == 0 ? nil : ErrorClass.allCases.randomElement(using: &random),
                    example: examples[index % examples.count]))
        }
        let list = LogonEvents(events)
        #expect(Array(list) == events)
        for index in list.indices {
            #expect(list.time(at: index) == events[index].time && list.role(at: index) == events[index].server.role)
            #expect(list.user(at: index) == events[index].user && list.backend(at: index) == events[index].backend)
            #expect(list.clientAddress(at: index) == events[index].clientAddress)
        }
        // The same JSON as the array.
        let encoder = JSONEncoder()
        encoder.outputFormatting = .sortedKeys
        #expect(try encoder.encode(list) == encoder.encode(events))
        #expect(try JSONDecoder().decode(LogonEvents.self, from: encoder.encode(events)) == list)
        // Merging another list (its own strings, numbered its own way) within the limit appends it.
        var head = LogonEvents(events[..<200])
        var level = 0
        head.merge(LogonEvents(events[200..<450]), level: &level, otherLevel: 0, limit: 450)
        #expect(Array(head) == Array(events[..<450]) && level == 0)
        #expect(list != head && LogonEvents(events[..<450]) == head)
        // An event added with its example's file and line reads back with `file:line`, whatever the line.
        var byLine = LogonEvents()
        for line in [0, 7, 999_999_999, Int(Int32.max), Int(Int32.max) + 1, Int.max, -3] {
            byLine.append(events[0], exampleFile: "logs/a:b.LOG", line: line)
            #expect(byLine.last?.example == "logs/a:b.LOG:\(line)")
        }
        var expected = events[0]
        expected.example = "logs/a:b.LOG:7"
        #expect(byLine[1] == expected)
    }

    @Test func manyLogonEventsKeepTheirOrderAcrossChunksWhenSampled() {
        // 10,000 events (three chunks of storage), two per user; merged past a limit of 7,000, users are sampled
        // and the events left are exactly those of the users passing the level reached, in their order.
        func event(_ i: Int) -> LogonEvent {
            let front = i % 2 == 0
            return LogonEvent(
                time: Int64(i), server: ServerKey(name: front ? "cas01" : "mbx01", role: front ? .frontEnd : .backEnd),
                serverAddress: "10.0.1.1", clientAddress: "10.0.2.\(i % 200)", user: "user\(i / 2)@contoso.com",
                backend: "mbx01", failed: i % 3 == 0, errorCode: "", errorClass: nil, example: "b.LOG:\(i + 1)")
        }
        let events = (0..<10_000).map(event)
        #expect(Array(LogonEvents(events)) == events)
        var all = LogonEvents()
        var level = 0
        all.merge(LogonEvents(events[..<3_000]), level: &level, otherLevel: 0, limit: 7_000)
        all.merge(LogonEvents(events[3_000...]), level: &level, otherLevel: 0, limit: 7_000)
        let expected = events.filter { LogonEvents.passes(LogonEvents.userHash($0.user), level: level) }
        #expect(level >= 1 && all.count == expected.count && Array(all) == expected)
    }

    @Test func pastTheLimitLogonEventsAreSampledByUserWhateverTheMergeOrder() throws {
        // 300 users, each with a front-end logon and the back-end logon it became, spread over three streams.
        var streams: [[LogonEvent]] = [[], [], []]
        for user in 0..<300 {
            for role in [Role.frontEnd, .backEnd] {
                streams[user % 3].append(
                    LogonEvent(
                        time: Int64(user * 10 + (role == .backEnd ? 1 : 0)),
                        server: ServerKey(name: role == .frontEnd ? "cas01" : "mbx01", role: role),
                        serverAddress: "10.0.1.1", clientAddress: "10.0.2.2", user: "user\(user)@contoso.com",
                        backend: role == .frontEnd ? "mbx01" : "", failed: user % 2 == 0, errorCode: "",
                        errorClass: nil, example: "a.LOG:\(user)"))
            }
        }
        func merged(_ order: [Int], limit: Int) -> (events: [LogonEvent], level: Int) {
            var all = LogonEvents()
            var level = 0
            for index in order { all.merge(LogonEvents(streams[index]), level: &level, otherLevel: 0, limit: limit) }
            return (Array(all), level)
        }
        func key(_ event: LogonEvent) -> String { "\(event.user)|\(event.server.role)" }
        let everyone = merged([0, 1, 2], limit: 600)
        #expect(everyone.events.count == 600 && everyone.level == 0)
        let sampled = merged([0, 1, 2], limit: 100)
        #expect(sampled.events.count <= 100 && sampled.events.count > 20 && sampled.level > 0)
        // The same events, whatever the order; the lowest level at which they fit.
        for order in [[2, 1, 0], [1, 2, 0], [0, 2, 1]] {
            let other = merged(order, limit: 100)
            #expect(other.level == sampled.level)
            #expect(Set(other.events.map(key)) == Set(sampled.events.map(key)))
        }
        let allEvents = streams.flatMap { $0 }
        #expect(
            allEvents.filter { LogonEvents.passes(LogonEvents.userHash($0.user), level: sampled.level - 1) }.count > 100
        )
        // Both sides of a logon together; every stream keeps its share.
        let users = Dictionary(grouping: sampled.events, by: \.user)
        #expect(users.values.allSatisfy { $0.count == 2 })
        #expect(Set(sampled.events.map { Int($0.example.split(separator: ":")[1])! % 3 }) == [0, 1, 2])
        // A summary merged from summaries sampled already keeps their level.
        var first = Summary()
        first.logons = LogonEvents(sampled.events)
        first.logonSampling = sampled.level
        var total = Summary()
        total.merge(Summary())
        total.merge(first)
        #expect(total.logonSampling == sampled.level && Array(total.logons) == sampled.events)
        let bytes = try SummaryFile.encode(total)
        // Made up: events without files (no lines), which a summary read from a file must not hold.
        #expect(try SummaryFile.decode(bytes, path: "x", checkingBounds: false).logonSampling == sampled.level)
    }
}
