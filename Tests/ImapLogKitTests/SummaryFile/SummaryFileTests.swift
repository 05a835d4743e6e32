import Foundation
import SampleLogKit
import Testing

@testable import ImapLogDiagnosis
@testable import ImapLogKit
@testable import ImapLogReport

/// Summary files: written in pieces byte for byte as the encoder writes the whole, read in pieces as Foundation
/// reads the whole, the same bytes whatever the order of a summary's dictionaries.
@Suite("Summary files")
struct SummaryFileTests {
    @Test func summaryJSONWrittenInPiecesIsTheWholeEncodingByteForByte() throws {
        let plan = InputDiscovery.plan(paths: [TestSupport.sampleLogs + "/02-mbx02-refusing-logons"])
        let summary = LogAnalysis.run(plan: plan, options: .init()).summary
        var long = summary
        // Longer than a batch, with key names inside strings that must not be taken for the keys.
        var events = (0..<2_345).map { long.logons[$0 % long.logons.count] }
        events[7].user = #"{"logons":[],"files":[]}\"#
        long.logons = LogonEvents(events)
        long.files = (0..<1_001).map { index in
            var file = summary.files[index % summary.files.count]
            file.path = index % 3 == 0 ? #"a","files":[],"logons":[]"# : file.path
            return file
        }
        var empty = summary
        empty.logons = LogonEvents()
        empty.files = []
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        for s in [summary, long, empty] {
            var pieces: [UInt8] = []
            try SummaryFile.writeJSON(s) { pieces += $0 }
            #expect(pieces == Array(try encoder.encode(s)))
            // Made up: `empty`'s counts are not its lines' (no files), which a summary read from a file must keep.
            #expect(try SummaryFile.decode(SummaryFile.encode(s), path: "x", checkingBounds: false) == s)
        }
        #expect(
            SummaryFile.topLevelValue(in: Array(#"{"a":{"files":1},"b":"\"files\":2","files":3}"#.utf8), key: "files")
                == 43)
    }

    /// What reading a summary's JSON whole gives: the value of the top-level `logons` read by `LogonEventReader`,
    /// and the JSON with `[]` in its place; nil where it does not read.
    static func splitWhole(_ json: [UInt8]) -> (events: [LogonEvent], rest: [UInt8])? {
        guard let start = SummaryFile.topLevelValue(in: json, key: "logons"),
            let read = json.withUnsafeBufferPointer({ try? LogonEventReader.read($0, from: start) })
        else { return nil }
        return (Array(read.events), Array(json[..<start]) + Array("[]".utf8) + Array(json[read.end...]))
    }

    /// Feeds `json` to a splitter in pieces of `size` bytes; nil when it refuses.
    static func split(_ json: [UInt8], size: Int) -> SummarySplitter? {
        var splitter = SummarySplitter()
        var start = 0
        while start < json.count {
            let end = min(start + size, json.count)
            do {
                try json[start..<end].withUnsafeBufferPointer { try splitter.add($0) }
            } catch {
                return nil
            }
            start = end
        }
        return splitter
    }

    @Test func summaryPartsReadInPiecesAreWhatReadingTheWholeGives() throws {
        let event =
            #"{"backend":"mbx02.contoso.com","clientAddress":"10.20.1.2","errorCode":"NO","example":"a:1","failed":true,"#
            + #""server":{"name":"cas01","role":"frontEnd"},"serverAddress":"10.0.1.11","time":17,"user":"u{}[]\"x"}"#
        let tally = #"{"commands":3,"credentialFailures":0,"failedLogons":1,"failures":2,"sessions":1}"#
        // Read: the events as `LogonEventReader` reads the list whole, the rest with `[]` in its place.
        let read: [String] = [
            #"{"a":"logons","logons" : [],"logons":[\#(event)]}"#,  // a space before the colon: not the key
            #"{"x":{"logons":[1]},"logons":[ \#(event) ,\#n\#(event)\#t] ,"z":"]"}"#,
            #"{"logons":[\#(event)]}"#, #"{"logons":[]}"#, #"{"k":"\\","logons":[]}"#, #"{"\u006cogons":[1]}"#,
        ]
        // Refused (Foundation decodes these whole) or left incomplete.
        let refused: [String] = [
            #"{"logons":[\#(event),]}"#, #"{"logons":[\#(event)"#, #"{"logons":\#(event)}"#,
            #"{"logons":[{"user":"x"}]}"#, #"{"logons":[\#(event.dropLast())]}"#, #"{"logons":[\#(event)}]}"#,
            #"{"logons":[\#(event.replacingOccurrences(of: "17", with: "1.5"))]}"#, "", "{", #"{"logons""#,
            #"{"logons":"#, #"{"logons":[ "#, #"{"logons":[],"logons":[]}"#, #"{"users":{},"users":{}}"#,
            #"{"users":{"a":\#(tally),"a":\#(tally)}}"#, #"{"users":{"e\u0301":\#(tally),"\u00e9":\#(tally)}}"#,
            #"{"users":{"a":\#(tally.replacingOccurrences(of: "3", with: "3.0"))}}"#,
            #"{"clients":{"a":\#(tally.dropLast()),"x":1}}"#, #"{"clients":{"a":{"commands":1}}}"#,
            #"{"clients":{"a":\#(tally.dropLast()),"z":1}}"#, #"{"clients":["a"]}"#, #"{"users":{"a"  \#(tally)}}"#,
        ]
        for (json, shouldRead) in read.map({ (Array($0.utf8), true) }) + refused.map({ (Array($0.utf8), false) }) {
            let label = String(decoding: json.prefix(70), as: UTF8.self)
            let whole = Self.split(json, size: max(json.count, 1))
            #expect((whole?.isComplete ?? false) == shouldRead, "\(label)")
            for size in [1, 2, 3, 7, 64] {
                let pieces = Self.split(json, size: size)
                #expect(pieces?.isComplete == whole?.isComplete, "\(label) in pieces of \(size)")
                #expect(pieces?.rest == whole?.rest && pieces?.events == whole?.events, "\(label) in pieces of \(size)")
                #expect(pieces?.users == whole?.users && pieces?.clients == whole?.clients, "\(label)")
            }
            guard shouldRead, let whole else { continue }
            if let expected = Self.splitWhole(json) {
                #expect(Array(whole.events) == expected.events, "\(label)")
                #expect(whole.rest == expected.rest, "\(label)")
            } else {
                #expect(whole.found.isEmpty && whole.rest == json, "\(label)")
            }
        }
        // A real summary, with users and clients named with every character a name may hold.
        var summary = LogAnalysis.run(
            plan: InputDiscovery.plan(paths: [TestSupport.sampleLogs + "/02-mbx02-refusing-logons"]), options: .init()
        ).summary
        var random = SeededRandom(seed: 11)
        let names = ["", "a\"b\\c/d", "tab\tnew\nline\r\u{1}\u{1F}\u{7F}", "café", "e\u{301}x", "日本", "😀 x", "A", "_"]
        for index in 0..<3_000 {
            let name = "\(names.randomElement(using: &random)!)\(index % 7 == 0 ? "" : String(index))"
            let party = PartyTally(
                commands: index, failures: index % 5, failedLogons: index % 3, credentialFailures: index % 2,
                sessions: Int.max - index)
            if index % 2 == 0 { summary.users[name] = party } else { summary.clients[name] = party }
        }
        var json: [UInt8] = []
        try SummaryFile.writeJSON(summary) { json += $0 }
        let encoder = JSONEncoder()
        encoder.outputFormatting = .sortedKeys
        // Written by hand, byte for byte as the encoder writes the whole.
        #expect(json == Array(try encoder.encode(summary)))
        for size in [1, 5, 4_096, json.count] {
            let splitter = try #require(Self.split(json, size: size))
            #expect(splitter.isComplete && splitter.found == Set(SummarySplitter.Part.allCases))
            var decoded = try JSONDecoder().decode(Summary.self, from: Data(splitter.rest))
            #expect(decoded.users.isEmpty && decoded.clients.isEmpty && decoded.logons.isEmpty)
            // The long parts are not in the rest: files, and the tables of the timeline, probes and logons.
            #expect(decoded.files.isEmpty && decoded.timeline.isEmpty && decoded.probes.minutes.isEmpty)
            #expect(decoded.logonsByBackend.isEmpty && !summary.logonsByBackend.isEmpty && !summary.files.isEmpty)
            #expect(!summary.timeline.isEmpty && !summary.probes.minutes.isEmpty)
            splitter.fill(&decoded)
            #expect(decoded == summary, "pieces of \(size)")
        }
        // Made up: its users' counts are not its lines', which a summary read from a file must keep.
        #expect(try SummaryFile.decode(SummaryFile.encode(summary), path: "x", checkingBounds: false) == summary)
    }

    @Test func summaryTablesAndFilesAreReadAsTheyPass() throws {
        // A table whose base64 holds `/` (written `\/`), as the encoder writes it.
        var table = MinuteTable<TimelineTally>()
        for minute in Int64(0)..<3_000 {
            table.add(
                TimelineTally(requests: Int(minute % 97), failures: 1, latencySum: minute * 7, latencyCount: 2),
                at: minute)
        }
        let encoded = String(decoding: try JSONEncoder().encode(table), as: UTF8.self)
        #expect(encoded.contains("\\/"))
        // Probes' and logons' tallies have three numbers: a table of three (the timeline's has four).
        var logons = MinuteTable<LogonTally>()
        for minute in Int64(0)..<2_000 {
            logons.add(LogonTally(logons: 3, serverFaults: 1, credentialFailures: 0), at: minute * 3)
        }
        let three = String(decoding: try JSONEncoder().encode(logons), as: UTF8.self)
        let key = #"{"name":"mbx01","role":"backEnd"}"#
        let probeKey = #"{"kind":"ImapCTPProbe","server":\#(key)}"#
        let file =
            #"{"headerLines":1,"lines":3,"notices":[],"path":"a\/b.LOG","records":2,"role":"backEnd","skipped":0}"#
        let read: [String] = [
            #"{"timeline":[\#(key),\#(encoded)]}"#, #"{"timeline":[]}"#,
            #"{"probes":{"commands":{"x":[1]},"minutes":[\#(probeKey),\#(three)],"records":3},"z":1}"#,
            #"{"logonsByBackend":{"mbx01":\#(three),"mbx02":\#(three)}}"#, #"{"logonsByBackend":{}}"#,
            #"{"files":[\#(file),\#(file)]}"#, #"{"x":{"minutes":[1]},"probes":{"minute":[1]}}"#,
        ]
        let refused: [String] = [
            #"{"timeline":[\#(key)]}"#, #"{"timeline":[\#(key),\#(key)]}"#, #"{"timeline":["AAAA"]}"#,
            #"{"timeline":[\#(key),"!!"]}"#, #"{"timeline":[\#(key),"AA=A"]}"#, #"{"timeline":[\#(key),"\u0041AAA"]}"#,
            #"{"timeline":[\#(key),\#(encoded),\#(key),\#(encoded)]}"#, #"{"probes":{"minutes":[1]}}"#,
            #"{"logonsByBackend":{"a":{}}}"#, #"{"logonsByBackend":{"a":\#(three),"a":\#(three)}}"#,
            #"{"logonsByBackend":{"a":\#(encoded)}}"#,
            #"{"files":[{"path":1}]}"#, #"{"timeline":[{"name":"x"},\#(encoded)]}"#,
        ]
        for (json, shouldRead) in read.map({ (Array($0.utf8), true) }) + refused.map({ (Array($0.utf8), false) }) {
            let label = String(decoding: json.prefix(70), as: UTF8.self)
            let whole = Self.split(json, size: max(json.count, 1))
            #expect((whole?.isComplete ?? false) == shouldRead, "\(label)")
            for size in [1, 3, 64, 4_096] {
                let pieces = Self.split(json, size: size)
                #expect(pieces?.isComplete == whole?.isComplete, "\(label) in pieces of \(size)")
                #expect(pieces?.rest == whole?.rest && pieces?.files == whole?.files, "\(label) in pieces of \(size)")
                #expect(pieces?.timeline == whole?.timeline && pieces?.probeMinutes == whole?.probeMinutes, "\(label)")
                #expect(pieces?.logonsByBackend == whole?.logonsByBackend, "\(label)")
            }
        }
        // What was read is what Foundation reads.
        let splitter = try #require(Self.split(Array(read[0].utf8), size: 100))
        #expect(splitter.timeline == [ServerKey(name: "mbx01", role: .backEnd): table])
        #expect(String(decoding: splitter.rest, as: UTF8.self) == #"{"timeline":[]}"#)
        let probes = try #require(Self.split(Array(read[2].utf8), size: 7))
        #expect(probes.probeMinutes.count == 1 && probes.found == [.probeMinutes])
        #expect(probes.probeMinutes.values.first?.count == logons.count)
        #expect(
            String(decoding: probes.rest, as: UTF8.self)
                == #"{"probes":{"commands":{"x":[1]},"minutes":[],"records":3},"z":1}"#)
        let files = try #require(Self.split(Array(read[5].utf8), size: 5))
        #expect(files.files.map(\.path) == ["a/b.LOG", "a/b.LOG"] && files.files.first?.records == 2)
        let elsewhere = try #require(Self.split(Array(read[6].utf8), size: 5))
        #expect(elsewhere.found.isEmpty && elsewhere.rest == Array(read[6].utf8))
    }

    @Test func damagedSummariesReadAsFoundationReadsThem() throws {
        // A real summary's JSON, a byte changed here and there: read through the splitter (and Foundation for the
        // rest), it must give what Foundation gives reading it whole, or be refused where Foundation refuses it.
        let summary = LogAnalysis.run(
            plan: InputDiscovery.plan(paths: [TestSupport.sampleLogs + "/03-slow-mbx03"]), options: .init()
        ).summary
        var json: [UInt8] = []
        try SummaryFile.writeJSON(summary) { json += $0 }
        var random = SeededRandom(seed: 17)
        let replacements = Array(#"{}[]",:0129aZ/\ =+"#.utf8)
        var readBySplitter = 0
        for round in 0..<200 {
            var damaged = json
            for _ in 0..<(1 + round % 3) {
                let at = Int.random(in: 0..<damaged.count, using: &random)
                damaged[at] = replacements.randomElement(using: &random)!
            }
            let whole = try? JSONDecoder().decode(Summary.self, from: Data(damaged))
            guard let splitter = Self.split(damaged, size: 4_096), splitter.isComplete,
                var decoded = try? JSONDecoder().decode(Summary.self, from: Data(splitter.rest))
            else { continue }  // left to Foundation whole: the same by construction
            splitter.fill(&decoded)
            readBySplitter += 1
            #expect(whole == decoded, "round \(round)")
        }
        #expect(readBySplitter > 20, "\(readBySplitter)")
    }

    @Test func base64IsReadAsFoundationReadsIt() {
        var random = SeededRandom(seed: 5)
        for length in [0, 1, 2, 3, 4, 5, 100, 1_001] {
            let bytes = (0..<length).map { _ in UInt8.random(in: 0...255, using: &random) }
            let text = Array("\"\(Data(bytes).base64EncodedString().replacingOccurrences(of: "/", with: "\\/"))\"".utf8)
            #expect(Base64.decode(jsonString: text) == bytes, "\(length)")
        }
        for bad in [#""A""#, #""AB=C""#, #""A===""#, #""AA==AA==""#, #""\u0041AAA""#, #"AAAA"#, #""AAA*""#, #""AA\"#] {
            #expect(Base64.decode(jsonString: Array(bad.utf8)) == nil, "\(bad)")
        }
    }

    @Test func logonEventsReadDirectlyAreWhatTheDecoderReads() throws {
        // Events with every kind of string the encoder escapes, read by `LogonEventReader`, must equal Foundation's
        // decoding of the same JSON; JSON the reader does not expect must be left to Foundation (same result).
        var random = SeededRandom(seed: 5)
        let strings = [
            "", "cas01.contoso.com", "a\"b\\c/d", "tab\tnew\nline\r\u{1}\u{1F}\u{7F}", "café", "日本", "😀 x",
            "\u{2028}\u{FEFF}", "10.0.1.11",
        ]
        let times: [Int64] = [0, 1, -1, Int64.max, Int64.min, 1_767_225_601_906]
        var events: [LogonEvent] = []
        for index in 0..<600 {
            var pick: [String] = []
            for _ in 0..<7 { pick.append(strings.randomElement(using: &random)!) }
            let server = ServerKey(name: pick[0], role: Role.allCases.randomElement(using: &random)!)
            let errorClass: ErrorClass? = index % 4 == 0 ? nil : ErrorClass.allCases.randomElement(using: &random)
            events.append(
                LogonEvent(
                    time: times[index % times.count] &+ Int64(index), server: server, serverAddress: pick[1],
                    clientAddress: pick[2], user: pick[3], backend: pick[4], failed: index % 3 == 0, errorCode: pick[5],
                    errorClass: errorClass, example: pick[6]))
        }
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        for encoded in [Array(try encoder.encode(events)), Array(try encoder.encode([LogonEvent]()))] {
            let read = try encoded.withUnsafeBufferPointer { try LogonEventReader.read($0, from: 0) }
            #expect(Array(read.events) == (try JSONDecoder().decode([LogonEvent].self, from: Data(encoded))))
            #expect(read.end == encoded.count)
        }
        let one = String(decoding: try encoder.encode(events[1]), as: UTF8.self)
        // Spacing and escapes the encoder does not write are read too.
        let spaced =
            " [ \n"
            + one.replacingOccurrences(of: ",", with: " ,\r\n\t").replacingOccurrences(
                of: "\"user\"", with: "\"\\u0075ser\"") + " ] "
        let spacedRead = try Array(spaced.utf8).withUnsafeBufferPointer { try LogonEventReader.read($0, from: 0) }
        #expect(Array(spacedRead.events) == [events[1]])
        // What it does not take: the decoder's own answer stands.
        for odd in [
            one.replacingOccurrences(of: "\"failed\"", with: "\"unknown\":1,\"failed\""),
            one.replacingOccurrences(of: "\"time\":", with: "\"time\":1.5,\"x\":"),
            one.replacingOccurrences(of: "\"user\":", with: "\"user\":\"dup\",\"user\":"),
            "{\"user\":\"\\ud800\"}",
        ] {
            let bytes = Array("[\(odd)]".utf8)
            #expect(throws: LogonEventReader.Unexpected.self) {
                try bytes.withUnsafeBufferPointer { try LogonEventReader.read($0, from: 0) }
            }
        }
        // Through a summary file.
        var summary = LogAnalysis.run(
            plan: InputDiscovery.plan(paths: [TestSupport.sampleLogs + "/02-mbx02-refusing-logons"]), options: .init()
        ).summary
        summary.logons = LogonEvents(events)
        var json: [UInt8] = []
        try SummaryFile.writeJSON(summary) { json += $0 }
        // Written by hand (control characters left to the encoder), byte for byte as the encoder writes them.
        #expect(json == Array(try encoder.encode(summary)))
        var out: [UInt8] = []
        let taken = events.filter { LogonEventWriter.append($0, to: &out) }.count
        #expect(taken > 50 && taken < events.count, "\(taken)")
        var splitter = SummarySplitter()
        try json.withUnsafeBufferPointer { try splitter.add($0) }
        #expect(splitter.isComplete && Array(splitter.events) == events)
        var decoded = try JSONDecoder().decode(Summary.self, from: Data(splitter.rest))
        splitter.fill(&decoded)
        #expect(decoded == summary)
        // Made up: the events' times are random, past the years a summary read from a file may hold.
        #expect(try SummaryFile.decode(SummaryFile.encode(summary), path: "x", checkingBounds: false) == summary)
    }

    @Test func theSameSummaryIsTheSameBytesWhateverItsDictionariesOrder() throws {
        let a = LogAnalysis.run(plan: InputDiscovery.plan(paths: [TestSupport.sampleLogs]), options: .init()).summary
        // The same entries, held in larger dictionaries: they iterate in another order.
        func reordered<Key, Value>(_ dictionary: [Key: Value]) -> [Key: Value] {
            var copy = [Key: Value](minimumCapacity: 4_096)
            for (key, value) in dictionary.reversed() { copy[key] = value }
            return copy
        }
        var b = a
        b.servers = reordered(a.servers)
        b.serverCommands = reordered(a.serverCommands)
        b.errors = reordered(a.errors)
        b.timeline = reordered(a.timeline)
        b.peakInFlight = reordered(a.peakInFlight)
        b.skippedByReason = reordered(a.skippedByReason)
        b.probes.sessions = reordered(a.probes.sessions)
        b.probes.minutes = reordered(a.probes.minutes)
        for key in b.servers.keys {
            b.servers[key]?.failureClasses = reordered(a.servers[key]?.failureClasses ?? [:])
            b.servers[key]?.proxiedFailureClasses = reordered(a.servers[key]?.proxiedFailureClasses ?? [:])
        }
        #expect(a == b)
        #expect(Array(a.servers.keys) != Array(b.servers.keys) && Array(a.errors.keys) != Array(b.errors.keys))
        #expect(Array(a.probes.minutes.keys) != Array(b.probes.minutes.keys))
        #expect(try SummaryFile.encode(a) == SummaryFile.encode(b))
    }

    @Test func summaryFilesRoundTripAndRefuseWhatTheyAreNot() throws {
        let plan = InputDiscovery.plan(paths: [TestSupport.sampleLogs + "/06-edge-cases"])
        let summary = LogAnalysis.run(plan: plan, options: .init()).summary
        let bytes = try SummaryFile.encode(summary)
        #expect(try SummaryFile.decode(bytes, path: "x") == summary)
        #expect(throws: ImapLogError.self) { try SummaryFile.decode(Array("not a summary".utf8), path: "x") }
        var damaged = bytes
        damaged[damaged.count / 2] ^= 0xFF
        #expect(throws: ImapLogError.self) { try SummaryFile.decode(damaged, path: "x") }
        // Another version is refused with a message saying so.
        let future = Archiver.gzip(Array("imaplog-summary 999\n{}".utf8))
        #expect(
            throws: ImapLogError.badSummary(
                path: "x",
                reason:
                    "written in summary format 999; this imaplog reads format \(SummaryFile.version): summarise the logs again with this version"
            )
        ) { try SummaryFile.decode(future, path: "x") }
        // The merge order is read from the first line alone: the first log file's path.
        #expect(try SummaryFile.mergeKey(bytes, path: "x") == summary.files.first?.path)
        let keyless = Archiver.gzip(Array("imaplog-summary \(SummaryFile.version)\n{}".utf8))
        #expect(
            throws: ImapLogError.badSummary(path: "x", reason: "the summary's first line is damaged")
        ) { try SummaryFile.mergeKey(keyless, path: "x") }
    }
}
