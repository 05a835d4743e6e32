import Foundation
import SampleLogKit
import Testing

@testable import ImapLogKit

/// Summaries arrive from shares that others can write: a summary file whose numbers are out of bounds, or whose JSON
/// would fill memory, is refused as it is read, with the reason (issue #20, finding 6 and the summary's part of 4).
@Suite("Summary bounds")
struct SummaryBoundsTests {
    /// A real summary: one back end's hour of the sample logs.
    static let real: Summary = {
        let path = TestSupport.sampleLogs + "/02-mbx02-refusing-logons/MBX02/IMAP4BE2026111709-1.LOG"
        let bytes = FileManager.default.contents(atPath: path).map { Array($0) } ?? []
        return LogAnalysis.analyse(bytes: bytes, path: "MBX02/IMAP4BE2026111709-1.LOG")
    }()

    /// The real summary's JSON, damaged by `change`, as a summary file.
    static func crafted(_ change: (inout [String: Any]) -> Void) throws -> [UInt8] {
        var json: [UInt8] = []
        try SummaryFile.writeJSON(real) { json += $0 }
        var object = try #require(try JSONSerialization.jsonObject(with: Data(json)) as? [String: Any])
        change(&object)
        return file(Array(try JSONSerialization.data(withJSONObject: object)))
    }

    /// `json` behind a summary's first line, gzip'd.
    static func file(_ json: [UInt8]) -> [UInt8] {
        Archiver.gzip(Array("imaplog-summary \(SummaryFile.version) \"x\"\n".utf8) + json)
    }

    /// A per-minute table as the summary writes it (base64 of variable-length numbers: how many minutes, then each
    /// minute's gap from the previous one and its fields, zig-zag), from `(minute, fields)`.
    static func table(_ entries: [(minute: Int64, fields: [Int64])]) -> String {
        var bytes: [UInt8] = []
        func append(_ number: UInt64) {
            var n = number
            while n >= 0x80 {
                bytes.append(UInt8(truncatingIfNeeded: n) | 0x80)
                n >>= 7
            }
            bytes.append(UInt8(n))
        }
        func zigzag(_ n: Int64) -> UInt64 { UInt64(bitPattern: (n << 1) ^ (n >> 63)) }
        append(UInt64(entries.count))
        var previous: Int64 = 0
        for (minute, fields) in entries {
            append(zigzag(minute &- previous))
            previous = minute
            for field in fields { append(zigzag(field)) }
        }
        return Data(bytes).base64EncodedString()
    }

    /// A minute of the sample logs' hour.
    static let minute: Int64 = 1_794_908_401_907 / 60_000

    /// Replaces the value of the first key of a list written as `[key, value, key, value, …]`.
    static func replaceFirstValue(of key: String, in object: inout [String: Any], with value: Any) {
        var list = object[key] as? [Any] ?? []
        if list.count >= 2 {
            list[1] = value
        } else {
            list = [["name": "mbx02.contoso.com", "role": "backEnd"], value]
        }
        object[key] = list
    }

    struct Damage: CustomTestStringConvertible, Sendable {
        var name: String
        var change: @Sendable (inout [String: Any]) -> Void
        /// What the refusal says.
        var reason: String
        var testDescription: String { name }
    }

    static let damages: [Damage] = [
        Damage(
            name: "a command's count near Int.max",
            change: { o in
                var commands = o["commands"] as? [String: Any] ?? [:]
                var login = commands["login"] as? [String: Any] ?? [:]
                login["count"] = Int.max
                commands["login"] = login
                o["commands"] = commands
            }, reason: "larger than the summary's"),
        Damage(
            name: "a user's commands near Int.max",
            change: { o in
                var users = o["users"] as? [String: Any] ?? [:]
                if let name = users.keys.first, var tally = users[name] as? [String: Any] {
                    tally["commands"] = Int.max
                    users[name] = tally
                }
                o["users"] = users
            }, reason: "larger than the summary's"),
        Damage(
            name: "a negative count of sessions",
            change: { o in
                var sessions = o["sessions"] as? [String: Any] ?? [:]
                sessions["total"] = -1
                o["sessions"] = sessions
            }, reason: "a negative count in sessions"),
        Damage(
            name: "negative lines that add up",
            change: { o in
                var files = o["files"] as? [[String: Any]] ?? []
                files[0]["lines"] = -5
                files[0]["headerLines"] = 0
                files[0]["skipped"] = 0
                files[0]["records"] = -5
                o["files"] = files
            }, reason: "a count of lines out of range"),
        Damage(
            name: "lines that do not add up",
            change: { o in
                var files = o["files"] as? [[String: Any]] ?? []
                files[0]["lines"] = (files[0]["lines"] as? Int ?? 0) + 1
                o["files"] = files
            }, reason: "do not add up"),
        Damage(
            name: "the first time at Int64.min", change: { o in o["first"] = Int64.min },
            reason: "a time out of range in the summary"),
        Damage(
            name: "a file's last time at Int64.max",
            change: { o in
                var files = o["files"] as? [[String: Any]] ?? []
                files[0]["last"] = Int64.max
                o["files"] = files
            }, reason: "a time out of range"),
        Damage(
            name: "a logon event in the year -292 million",
            change: { o in
                var logons = o["logons"] as? [[String: Any]] ?? []
                logons[0]["time"] = Int64.min
                o["logons"] = logons
            }, reason: "a time out of range in logon events"),
        Damage(
            name: "a timeline minute's numbers at Int64.max",
            change: { o in
                replaceFirstValue(
                    of: "timeline", in: &o, with: table([(minute, [Int64.max, Int64.max, Int64.max, Int64.max])]))
            }, reason: "a minute in the timeline out of range"),
        Damage(
            name: "a timeline minute's numbers negative",
            change: { o in replaceFirstValue(of: "timeline", in: &o, with: table([(minute, [-5, -5, -5, -5])])) },
            reason: "a minute in the timeline out of range"),
        Damage(
            name: "a timeline minute all zeros",
            change: { o in replaceFirstValue(of: "timeline", in: &o, with: table([(minute, [0, 0, 0, 0])])) },
            reason: "a minute in the timeline out of range"),
        Damage(
            name: "a timeline minute twice",
            change: { o in
                replaceFirstValue(
                    of: "timeline", in: &o, with: table([(minute, [1, 0, 5, 1]), (minute, [1, 0, 5, 1])]))
            }, reason: "a minute in the timeline out of range"),
        Damage(
            name: "a timeline minute in the year 2 million",
            change: { o in replaceFirstValue(of: "timeline", in: &o, with: table([(1 << 40, [1, 0, 5, 1])])) },
            reason: "a minute in the timeline out of range"),
        Damage(
            name: "a timeline minute's requests past the lines",
            change: { o in replaceFirstValue(of: "timeline", in: &o, with: table([(minute, [1 << 30, 0, 5, 1])])) },
            reason: "a count in the timeline larger than"),
        Damage(
            name: "a route's logons at Int64.max",
            change: { o in
                o["logonsByBackend"] = ["=mbx02.contoso.com": table([(minute, [Int64.max, Int64.max, Int64.max])])]
            }, reason: "a count in the logons' minutes larger than"),
        Damage(
            name: "a probe minute's longest session past the bound",
            change: { o in
                var probes = o["probes"] as? [String: Any] ?? [:]
                var minutes = probes["minutes"] as? [Any] ?? []
                minutes[1] = table([(minute, [1, 0, Summary.millisecondsLimit + 1])])
                probes["minutes"] = minutes
                o["probes"] = probes
            }, reason: "a minute in the probes' minutes out of range"),
        Damage(
            name: "a histogram's bucket twice",
            change: { o in
                var commands = o["commands"] as? [String: Any] ?? [:]
                var login = commands["login"] as? [String: Any] ?? [:]
                login["latency"] = ["buckets": [[5, 1], [5, 1]], "count": 2, "sum": 10, "max": 5, "min": 5]
                commands["login"] = login
                o["commands"] = commands
            }, reason: "buckets twice or out of order"),
        Damage(
            name: "a histogram whose buckets do not add up",
            change: { o in
                var commands = o["commands"] as? [String: Any] ?? [:]
                var login = commands["login"] as? [String: Any] ?? [:]
                login["latency"] = ["buckets": [[5, 1]], "count": 1_000, "sum": 5, "max": 5, "min": 5]
                commands["login"] = login
                o["commands"] = commands
            }, reason: "do not add up to the count"),
        Damage(
            name: "skipped lines near Int.max",
            change: { o in o["skippedByReason"] = ["no valid timestamp", ["count": Int.max, "example": "x:1"]] },
            reason: "a count in skipped lines larger than"),
        Damage(
            name: "a sampling level of 65", change: { o in o["logonSampling"] = 65 },
            reason: "a logon sampling level out of range"),
        Damage(
            name: "an overflow count near Int.max", change: { o in o["overflow"] = ["users": Int.max] },
            reason: "a count in the tables' overflow larger than"),
        Damage(
            name: "a peak in flight near Int.max",
            change: { o in replaceFirstValue(of: "peakInFlight", in: &o, with: ["peak": Int.max, "at": 0]) },
            reason: "a count in commands in flight larger than"),
        Damage(
            name: "negative ignored files", change: { o in o["ignoredFiles"] = -1 },
            reason: "a count of ignored files out of range"),
    ]

    @Test(arguments: damages)
    func aSummaryOutOfBoundsIsRefusedWithTheReason(damage: Damage) throws {
        let bytes = try Self.crafted(damage.change)
        do {
            let summary = try SummaryFile.decode(bytes, path: "crafted.summary")
            Issue.record("read: \(summary.lines) lines")
        } catch {
            guard case .badSummary(let path, let reason) = error else {
                Issue.record("\(error)")
                return
            }
            #expect(path == "crafted.summary")
            #expect(reason.contains(damage.reason), "\(reason)")
        }
    }

    /// The summaries imaplog writes keep every bound: none of the sample stories' is refused.
    @Test func realSummariesKeepEveryBound() throws {
        let stories = try FileManager.default.contentsOfDirectory(atPath: TestSupport.sampleLogs).sorted()
        #expect(stories.count > 5)
        for story in stories {
            let summary = LogAnalysis.run(
                plan: InputDiscovery.plan(paths: [TestSupport.sampleLogs + "/" + story]), options: AnalysisOptions()
            ).summary
            #expect(summary.boundsProblem() == nil, "\(story)")
            #expect(try SummaryFile.decode(SummaryFile.encode(summary), path: story) == summary, "\(story)")
        }
        // Unchanged, the crafted summary's source is read.
        #expect(try SummaryFile.decode(try Self.crafted { _ in }, path: "x").lines == Self.real.lines)
    }

    /// A summary at the bounds merges without a trap, whatever its numbers: every count at most the lines, the
    /// lines at `lineLimit`, milliseconds at theirs.
    @Test func aSummaryAtTheBoundsMergesWithoutATrap() throws {
        let bytes = try Self.crafted { o in
            var files = o["files"] as? [[String: Any]] ?? []
            files[0]["lines"] = Summary.lineLimit
            files[0]["headerLines"] = 0
            files[0]["skipped"] = 0
            files[0]["records"] = Summary.lineLimit
            o["files"] = [files[0]]
            o["first"] = Summary.timeRange.lowerBound
            o["last"] = Summary.timeRange.upperBound
            var commands = o["commands"] as? [String: Any] ?? [:]
            var login = commands["login"] as? [String: Any] ?? [:]
            login["count"] = Summary.lineLimit
            login["requestBytes"] = Int64.max
            commands["login"] = login
            o["commands"] = commands
            Self.replaceFirstValue(
                of: "timeline", in: &o,
                with: Self.table([
                    (
                        Summary.timeRange.lowerBound / 60_000,
                        [Int64(Summary.lineLimit), 0, Summary.millisecondsLimit, 1]
                    ),
                    (Summary.timeRange.upperBound / 60_000, [1, 1, Summary.millisecondsLimit, 1]),
                ]))
        }
        let summary = try SummaryFile.decode(bytes, path: "x")
        #expect(summary.lines == Summary.lineLimit)
        var merged = summary
        merged.merge(summary)
        merged.merge(Self.real)
        #expect(merged.lines == 2 * Summary.lineLimit + Self.real.lines)
        #expect(merged.commands["login"]?.requestBytes == Int64.max)
        let key = try #require(summary.timeline.keys.sorted().first)
        #expect(merged.timeline[key]?.values.first?.latencySum == Summary.millisecondsLimit)
    }

    // MARK: - What reading one holds

    /// `count` spaces, tabs and line ends in a seeded random order: they compress only four to one, so a test
    /// file reaches the bounds on whitespace before the one on inflation.
    static func whitespace(_ count: Int) -> [UInt8] {
        var state: UInt64 = 0x9E37_79B9_7F4A_7C15
        return (0..<count).map { _ in
            state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            return [0x20, 0x09, 0x0A, 0x0D][Int(state >> 62)]
        }
    }

    /// A summary of whitespace (3 MB of gzip inflated to 3 GB, all held: 4.1 GB) is refused once its whitespace
    /// passes a bound, wherever it is.
    @Test func whitespaceIsBounded() throws {
        var json: [UInt8] = []
        try SummaryFile.writeJSON(Self.real) { json += $0 }
        let usersStart = try #require(SummaryFile.topLevelValue(in: json, key: "users")) + 1
        let tallyStart = try #require(json[usersStart...].firstIndex(of: UInt8(ascii: "{"))) + 1
        let cases: [(String, [UInt8], String)] = [
            (
                "between elements", Array(json[..<usersStart]) + Self.whitespace(2 << 20) + json[usersStart...],
                "more than 1 MiB of whitespace between elements"
            ),
            (
                "at the top level", Array(json.dropLast()) + Self.whitespace(5 << 20) + [0x7D],
                "more than 4 MiB of JSON outside its lists and tables"
            ),
            (
                "after the end", json + Self.whitespace(5 << 20),
                "more than 4 MiB of JSON outside its lists and tables"
            ),
            (
                "inside an element", Array(json[..<tallyStart]) + Self.whitespace(2 << 20) + json[tallyStart...],
                "an element (a logon event, a file, a name, a tally) of more than 1024 KiB"
            ),
            // Whitespace that compresses well meets the bound on inflation first, wherever it is.
            (
                "compressed well",
                Array(json[..<usersStart]) + Array(repeating: 0x20, count: 2 << 20)
                    + json[usersStart...], "inflates to more than 100 times its size"
            ),
        ]
        for (place, padded, reason) in cases {
            do {
                _ = try SummaryFile.decode(Self.file(padded), path: "x")
                Issue.record("read, with whitespace \(place)")
            } catch {
                #expect(error.message.contains(reason), "\(place): \(error.message)")
            }
        }
    }

    /// A name longer than any log field (1 MiB) is refused, not gathered.
    @Test func anElementIsBounded() throws {
        let bytes = try Self.crafted { o in
            // Random letters: they compress too little to meet the bound on inflation first.
            let name = String(
                decoding: Self.whitespace(SummaryFile.elementByteLimit + 1).map { 0x61 + $0 % 26 }, as: UTF8.self)
            o["users"] = [name: ["commands": 1]]
        }
        #expect(throws: ImapLogError.self) { try SummaryFile.decode(bytes, path: "x") }
        do {
            _ = try SummaryFile.decode(bytes, path: "x")
        } catch {
            #expect(error.message.contains("an element"), "\(error.message)")
        }
    }

    /// More users than a summary keeps (`Summary.partyLimit`) are refused as they are read, not gathered.
    @Test func theUsersAreBounded() throws {
        var json: [UInt8] = []
        try SummaryFile.writeJSON(Self.real) { json += $0 }
        // Spliced into the JSON as text: through JSONSerialization, 100,001 users took minutes.
        let users = try #require(SummaryFile.topLevelValue(in: json, key: "users")) + 1
        var more: [UInt8] = []
        for k in 0...Summary.partyLimit {
            more +=
                #""user\#(k)":{"commands":1,"credentialFailures":0,"failedLogons":0,"failures":0,"sessions":1},"#
                .utf8
        }
        let bytes = Self.file(Array(json[..<users]) + more + json[users...])
        do {
            _ = try SummaryFile.decode(bytes, path: "x")
            Issue.record("read")
        } catch {
            #expect(error.message.contains("more than \(Summary.partyLimit) users"), "\(error.message)")
        }
    }

    /// Minutes scattered one a day (for 700 years) cost a page each: refused past `dayLimit`.
    @Test func theDaysOfTheTablesAreBounded() throws {
        let days = SummaryFile.dayLimit + 1
        let bytes = try Self.crafted { o in
            Self.replaceFirstValue(
                of: "timeline", in: &o,
                // Requests that vary, so the table compresses too little to meet the bound on inflation first.
                with: Self.table((0..<days).map { (Int64($0) * 1_440, [Int64($0 % 9_973 + 1), 0, 0, 0]) }))
        }
        do {
            _ = try SummaryFile.decode(bytes, path: "x")
            Issue.record("read")
        } catch {
            #expect(error.message.contains("more than \(SummaryFile.dayLimit) days"), "\(error.message)")
        }
    }

    /// Past `tableMemoryBudget` of tables, a table's days all go to the scratch file as it is read.
    @Test func tablesPastTheBudgetGoToTheScratchFile() throws {
        let entries: [(minute: Int64, fields: [Int64])] = (0..<10).map {
            (Self.minute + Int64($0) * 1_440, [1, 0, 5, 1])
        }
        let bytes = Array(Data(base64Encoded: Self.table(entries)) ?? Data())
        let kept = try MinuteTable<TimelineTally>(encoded: bytes)
        let spilled = try MinuteTable<TimelineTally>(encoded: bytes, spillingAll: true)
        #expect(kept == spilled)
        #expect(kept.spilledDayCount == 0 && kept.largestCount == 1)
        #expect(spilled.spilledDayCount == 10 && spilled.packedBytesInMemory == 0)
    }
}
