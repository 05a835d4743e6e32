import Foundation
import SampleLogKit
import Testing

@testable import ImapLogDiagnosis
@testable import ImapLogKit
@testable import ImapLogReport

@Suite("Safe output")
struct SanitizeTests {
    @Test func controlAndBidirectionalCharactersBecomeVisible() {
        #expect(Sanitize.terminal("user\u{1B}[31mred") == "user\\x1B[31mred")
        #expect(Sanitize.terminal("evil\u{202E}gpj.exe") == "evil\\u{202E}gpj.exe")
        #expect(Sanitize.terminal("bell\u{7}\u{9B}") == "bell\\x07\\x9B")
        #expect(Sanitize.terminal("plain café ünïcode") == "plain café ünïcode")
    }

    @Test func csvCellsCannotBeFormulas() {
        #expect(Sanitize.csvCell("=HYPERLINK(\"x\")") == "\"'=HYPERLINK(\"\"x\"\")\"")
        #expect(
            Sanitize.csvCell("+1") == "'+1" && Sanitize.csvCell("-2") == "'-2" && Sanitize.csvCell("@SUM") == "'@SUM")
        #expect(Sanitize.csvCell("a,b") == "\"a,b\"")
        #expect(Sanitize.csvCell("ok") == "ok")
    }
}

@Suite("Timeline buckets")
struct TimelineBucketTests {
    private let day: Int64 = 86_400_000

    @Test func theDefaultBucketGrowsWithTheSpan() {
        #expect(ReportBuilder.defaultBucket(span: 0) == 1)
        #expect(ReportBuilder.defaultBucket(span: 2 * 3_600_000) == 1)
        #expect(ReportBuilder.defaultBucket(span: 2 * 3_600_000 + 1) == 5)
        #expect(ReportBuilder.defaultBucket(span: 7 * day) == 5)
        #expect(ReportBuilder.defaultBucket(span: 41 * day) == 5)
        #expect(ReportBuilder.defaultBucket(span: 42 * day) == 15)
        #expect(ReportBuilder.defaultBucket(span: 124 * day) == 15)
        #expect(ReportBuilder.defaultBucket(span: 126 * day) == 60)
        #expect(ReportBuilder.defaultBucket(span: 499 * day) == 60)
        #expect(ReportBuilder.defaultBucket(span: 501 * day) == 360)
        #expect(ReportBuilder.defaultBucket(span: 3_001 * day) == 1_440)
        // Past two hours, never more than the bound (but for a day's buckets, the largest there is).
        var state: UInt64 = 11
        func below(_ n: Int) -> Int {
            state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            return Int((state >> 33) % UInt64(n))
        }
        for _ in 0..<2_000 {
            let span = 2 * 3_600_000 + Int64(below(1 << 30)) * Int64(1 + below(40))
            let bucket = ReportBuilder.defaultBucket(span: span)
            let count = (span / 60_000) / Int64(bucket) + 1
            #expect(count <= ReportBuilder.maximumBuckets || bucket == 1_440, "span \(span)")
            // And no smaller choice would do.
            if let smaller = ReportBuilder.bucketChoices.last(where: { $0 < bucket }), smaller > 1 {
                #expect((span / 60_000 + 1) > ReportBuilder.maximumBuckets * Int64(smaller), "span \(span)")
            }
        }
    }

    @Test func aLongSpanKeepsEachServersTimelineWithinTheBound() {
        // A request every day at noon for 200 days: hourly buckets, one per day that had a request.
        var text = TestSupport.header
        for day in 0..<200 {
            let date = Timestamp.format(1_767_268_800_000 + Int64(day) * self.day, withMilliseconds: true)
            text += "\(date),\(String(format: "%016X", day + 1)),0,10.0.1.11:993,10.20.1.5:50001,,3,0,53,noop,,R=ok\r\n"
        }
        let summary = TestSupport.analyse(text, role: .frontEnd)
        #expect(summary.records == 200)
        let report = ReportBuilder().build(summary)
        #expect(report.timelineBucketMinutes == 60)
        #expect(report.timeline.count == 200)
        var forced = ReportBuilder()
        forced.bucketMinutes = 5
        #expect(forced.build(summary).timelineBucketMinutes == 5)
    }
}

@Suite("Reports on the sample stories")
struct ReportTests {
    private func report(_ story: String) -> Report {
        let plan = InputDiscovery.plan(paths: [TestSupport.sampleLogs + "/" + story])
        return ReportBuilder().build(LogAnalysis.run(plan: plan, options: .init()).summary)
    }

    @Test func theRefusingBackEndComesFirst() throws {
        let r = report("02-mbx02-refusing-logons")
        let first = try #require(r.findings.first)
        #expect(first.severity == .critical && first.server == "MBX02.contoso.com")
        let mbx02 = try #require(r.servers.first { $0.server == "MBX02.contoso.com" })
        #expect(mbx02.role == .backEnd && mbx02.seenFrom == "ownLogs")
        #expect((mbx02.proxied?.failureRate ?? 0) > 0.2)
        #expect(r.errors.first?.errorClass == .store)
    }

    @Test func theSlowBackEndIsNamed() throws {
        let r = report("03-slow-mbx03")
        let slow = r.findings.filter { $0.kind == "latency" }
        #expect(slow.map(\.server) == ["MBX03.contoso.com"])
    }

    @Test func wrongPasswordsBlameNoServer() {
        let r = report("04-wrong-passwords")
        #expect(!r.findings.contains { $0.severity == .critical || $0.kind == "failures" })
        let auth = r.findings.first { $0.kind == "authentication" }
        #expect(auth?.text.contains("18 logons refused") == true)
    }

    @Test func aQuietMorningRaisesNothing() {
        let r = report("01-quiet-morning")
        #expect(r.findings.map(\.kind) == ["overview"])
        #expect(r.probes.sessions.allSatisfy { $0.failedSessions == 0 })
        #expect(Set(r.probes.sessions.map(\.probe)) == Set(ProbeKind.allCases.filter { $0 != .other }.map(\.rawValue)))
    }

    @Test func archivesGiveTheSameKindOfReport() {
        let r = report("05-collected-archives")
        #expect(r.input.files.count == 10)
        #expect(
            Set(r.servers.map(\.server)) == [
                "CAS01", "CAS02", "MBX01.contoso.com", "MBX02.contoso.com", "MBX03.contoso.com",
            ])
    }

    @Test func jsonHasTheContractKeysAndIsDeterministic() throws {
        let r = report("02-mbx02-refusing-logons")
        let json = try JSONRenderer.render(r)
        #expect(try JSONRenderer.render(report("02-mbx02-refusing-logons")) == json)
        let object = try #require(try JSONSerialization.jsonObject(with: Data(json.utf8)) as? [String: Any])
        for key in [
            "schemaVersion", "input", "servers", "commands", "errors", "users", "clients", "timeline", "probes",
        ] {
            #expect(object[key] != nil, "\(key)")
        }
        let input = try #require(object["input"] as? [String: Any])
        for key in ["files", "lines", "headerLines", "records", "skipped", "skippedByReason", "first", "last"] {
            #expect(input[key] != nil, "input.\(key)")
        }
        let server = try #require((object["servers"] as? [[String: Any]])?.first)
        for key in ["server", "role", "sessions", "commands", "failures", "failureRate", "latencyMs"] {
            #expect(server[key] != nil, "servers[].\(key)")
        }
        let error = try #require((object["errors"] as? [[String: Any]])?.first)
        for key in ["class", "code", "message", "count", "servers", "example"] {
            #expect(error[key] != nil, "errors[].\(key)")
        }
        #expect(try JSONDecoder().decode(Report.self, from: Data(json.utf8)) == r)
    }

    @Test func jsonWrittenInPiecesIsTheWholeDocumentByteForByte() throws {
        // The streaming writer splices the long lists in; it must give exactly what the encoder gives whole:
        // for every story, for lists longer than one batch, for empty lists, and for hostile strings.
        var reports = try FileManager.default.contentsOfDirectory(atPath: TestSupport.sampleLogs)
            .filter { !$0.hasSuffix(".md") }.sorted().map(report)
        var long = report("02-mbx02-refusing-logons")
        let bucket = try #require(long.timeline.first)
        long.timeline = Array(repeating: bucket, count: 2_345)
        let file = try #require(long.input.files.first)
        long.input.files = (0..<1_001).map { index in
            var copy = file
            copy.path = index % 2 == 0 ? "a\"b\n\\\"timeline\" : [/\(index)" : "\n  \"files\" : ["
            return copy
        }
        reports.append(long)
        var empty = long
        empty.timeline = []
        empty.input.files = []
        reports.append(empty)
        for r in reports {
            var pieces = Data()
            var count = 0
            let finished = try JSONRenderer.write(r) { piece in
                pieces.append(piece)
                count += 1
                return true
            }
            #expect(finished)
            #expect(pieces == (try JSONRenderer.renderBytes(r)))
            if r.timeline.count > 1_000 { #expect(count > 5) }
        }
        // A sink that stops is obeyed.
        var calls = 0
        #expect(
            !(try JSONRenderer.write(long) { _ in
                calls += 1
                return calls < 3
            }))
        #expect(calls == 3)
    }

    @Test func timelineBucketsComeInTimeThenServerOrderWithEachBucketsSums() {
        // Three servers' minutes over two days, gaps here and there; one name in both roles.
        var summary = Summary()
        var expected: [TimelineKey: TimelineTally] = [:]
        let servers = [
            ServerKey(name: "mbx02", role: .backEnd), ServerKey(name: "cas01", role: .frontEnd),
            ServerKey(name: "mbx02", role: .frontEnd),
        ]
        let start: Int64 = 29_000_000
        for (index, server) in servers.enumerated() {
            var table = MinuteTable<TimelineTally>()
            let first: Int64 = start + Int64(index)
            let end: Int64 = start + 2 * 1440
            let step = 3 + index
            for minute in stride(from: first, to: end, by: step) {
                let requests = Int(minute % 17)
                let failures = Int(minute % 3)
                let sum: Int64 = minute % 1000
                let tally = TimelineTally(requests: requests, failures: failures, latencySum: sum, latencyCount: 1)
                table.add(tally, at: minute)
                let bucket: Int64 = minute - minute % 15
                expected[TimelineKey(server: server, minute: bucket), default: TimelineTally()].merge(tally)
            }
            summary.timeline[server] = table
        }
        summary.first = start * 60_000
        summary.last = (start + 2 * 1440) * 60_000
        var builder = ReportBuilder()
        builder.bucketMinutes = 15
        let timeline = builder.build(summary).timeline
        let keys = expected.keys.sorted()
        #expect(timeline.count == keys.count)
        for (bucket, key) in zip(timeline, keys) {
            let tally = expected[key, default: TimelineTally()]
            #expect(bucket.minute == key.minute && bucket.role == key.server.role)
            #expect(bucket.server.lowercased() == key.server.name)
            #expect(bucket.requests == tally.requests && bucket.failures == tally.failures)
        }
    }

    @Test func timelineWrittenByHandIsTheEncodersBytes() throws {
        // The timeline's own writer must give the encoder's bytes for every bucket it takes, and hand the rest
        // (odd strings, latencies that are not tenths, negative zero, huge values) to the encoder.
        var random = SeededRandom(seed: 11)
        let strings = [
            "CAS01", "MBX02.contoso.com", "", "a\"b", "back\\slash", "tab\there", "caf\u{E9}", "del\u{7F}",
            "/path/with/slashes", "\u{1}",
        ]
        let latencies: [Double] = [
            0, -0.0, 0.1, 26.6, 27, 1e-5, 0.05, 123_456_789.9, 999_999_999_999.9, 1e12, 1e15, 1e17, 2.5e-3,
            Double(Int64.max), 0.30000000000000004,
        ]
        var sample = report("02-mbx02-refusing-logons")
        let template = try #require(sample.timeline.first)
        sample.timeline = (0..<3_000).map { index in
            var bucket = template
            // Times come from minutes: before 1970, now, and far ahead.
            bucket.minute = Int64.random(in: -40_000_000...4_000_000_000, using: &random)
            bucket.server = strings.randomElement(using: &random)!
            bucket.role = Role.allCases.randomElement(using: &random)!
            bucket.requests = index % 7 == 0 ? Int.max : Int.random(in: -1_000...1_000_000, using: &random)
            bucket.failures = index % 11 == 0 ? Int.min : Int.random(in: 0...1_000, using: &random)
            bucket.meanLatencyMs =
                index % 2 == 0
                ? latencies.randomElement(using: &random)!
                : (Double.random(in: 0...100_000, using: &random) * 10).rounded() / 10
            return bucket
        }
        var pieces = Data()
        #expect(
            try JSONRenderer.write(sample) { piece in
                pieces.append(piece)
                return true
            })
        #expect(pieces == (try JSONRenderer.renderBytes(sample)))
        // Both ways were taken.
        var out: [UInt8] = []
        let taken = sample.timeline.filter { TimelineWriter.append($0, depth: 2, to: &out) }.count
        #expect(taken > 300 && taken < 3_000, "\(taken)")
    }

    @Test func textFitsTheWidthAndHasNoColourUnlessAsked() {
        var renderer = TextRenderer()
        renderer.width = 80
        let text = renderer.render(report("02-mbx02-refusing-logons"))
        // Commands stay on one line to be copied whole, and a long path cannot be broken; everything else fits.
        let wide = text.split(separator: "\n").filter { line in
            line.count > 80 && !line.contains("▁") && !line.contains("█") && !line.hasPrefix("       ")
                && !line.split(separator: " ").contains { $0.count > 50 }
        }
        #expect(wide.isEmpty, "\(wide.first ?? "")")
        #expect(!text.contains("\u{1B}"))
        renderer.usesColor = true
        #expect(renderer.render(report("01-quiet-morning")).contains("\u{1B}[1m"))
    }

    @Test func csvTablesHaveAHeaderAndOneRowPerEntry() {
        let r = report("02-mbx02-refusing-logons")
        let servers = CSVRenderer.render(r, table: .servers).split(separator: "\r\n")
        #expect(servers.first?.hasPrefix("server,role,seen_from") == true)
        #expect(servers.count == r.servers.count + 1)
        #expect(CSVRenderer.render(r, table: .timeline).split(separator: "\r\n").count == r.timeline.count + 1)
    }

    @Test func hostileLogTextIsNeutralisedInEveryFormat() throws {
        let evil = "=cmd|' /C calc'!A0\u{1B}[2J\u{202E}"
        let log =
            TestSupport.header + "2026-11-16T07:00:01.000Z,00000000000000A1,1,10.0.1.11:993,10.20.1.5:50001,"
            + "\"\(evil)\",5,0,0,login,x,\"R=\"\"a NO LOGIN failed.\"\"\"\r\n"
        var builder = ReportBuilder()
        builder.top = 5
        let r = builder.build(TestSupport.analyse(log))
        var renderer = TextRenderer()
        renderer.width = 200
        let text = renderer.render(r)
        #expect(!text.contains("\u{1B}") && !text.contains("\u{202E}"))
        let csv = CSVRenderer.render(r, table: .users)
        // User names are case-folded; what matters is the leading quote that disarms the formula.
        #expect(csv.contains("\n'=cmd|' /c calc'!a0\\x1B[2j\\u{202E},"))
        #expect(!csv.contains("\u{1B}") && !csv.contains("\u{202E}"))
        let json = try JSONRenderer.render(r)
        #expect(try JSONSerialization.jsonObject(with: Data(json.utf8)) is [String: Any])
    }
}
