import Foundation
import ImapLogKit
import SampleLogKit
import Testing

/// `imaplog merge` on summaries crafted to crash it (issue #20, finding 6).
///
/// Each is named, left out and listed in the report with why; the others are merged and reported; the run exits 74. Before, counts near `Int.max`, a
/// histogram's bucket twice, times millions of years away and per-minute numbers at `Int64.max` trapped (exit 132),
/// and one damaged summary among good ones gave exit 66 and no report.
@Suite("Merging hostile summaries")
struct MergeHostileSummaryTests {
    /// A summary file of `summary`'s JSON damaged by `change`.
    static func crafted(_ summary: Summary, _ change: (inout [String: Any]) -> Void) throws -> [UInt8] {
        // The JSON the summary file holds (its writer gives the encoder's, keys sorted).
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        var object = try #require(try JSONSerialization.jsonObject(with: encoder.encode(summary)) as? [String: Any])
        change(&object)
        let body = Array(try JSONSerialization.data(withJSONObject: object))
        return Archiver.gzip(Array("imaplog-summary \(SummaryFile.version) \"crafted\"\n".utf8) + body)
    }

    /// A per-minute table of one minute, as the summary writes it (numbers as zig-zag variable-length numbers).
    static func table(minute: Int64, fields: [Int64]) -> String {
        var bytes: [UInt8] = []
        func append(_ number: UInt64) {
            var n = number
            while n >= 0x80 {
                bytes.append(UInt8(truncatingIfNeeded: n) | 0x80)
                n >>= 7
            }
            bytes.append(UInt8(n))
        }
        append(1)
        for n in [minute] + fields { append(UInt64(bitPattern: (n << 1) ^ (n >> 63))) }
        return Data(bytes).base64EncodedString()
    }

    @Test func crashingSummariesAreLeftOutAndTheOthersReported() throws {
        let folder = NSTemporaryDirectory() + "imaplog-hostile-summaries-" + UUID().uuidString
        defer { try? FileManager.default.removeItem(atPath: folder) }
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        let story = Binary.sampleLogs + "/02-mbx02-refusing-logons"
        var good: [String] = []
        for server in ["CAS01", "MBX02"] {
            let file = "\(folder)/\(server).summary"
            #expect(try Binary.run(["--save-summary", file, "\(story)/\(server)"]).status == 0)
            good.append(file)
        }
        let alone = try Binary.run(["merge", "--format", "json"] + good)
        #expect(alone.status == 0)

        let path = "\(story)/MBX02/IMAP4BE2026111709-1.LOG"
        let bytes = try #require(FileManager.default.contents(atPath: path))
        let real = LogAnalysis.analyse(bytes: Array(bytes), path: "crafted/IMAP4BE2026111709-1.LOG")
        let minute = try #require(real.first) / 60_000
        let damages: [(String, (inout [String: Any]) -> Void)] = [
            // Merged with MBX02's, whose login count it adds to.
            (
                "count",
                { o in
                    var commands = o["commands"] as? [String: Any] ?? [:]
                    var login = commands["login"] as? [String: Any] ?? [:]
                    login["count"] = Int.max
                    commands["login"] = login
                    o["commands"] = commands
                }
            ),
            // Trapped as it was decoded.
            (
                "bucket",
                { o in
                    var commands = o["commands"] as? [String: Any] ?? [:]
                    var login = commands["login"] as? [String: Any] ?? [:]
                    login["latency"] = [
                        "buckets": [[5, UInt64(1) << 63], [5, UInt64(1) << 63]], "count": 2, "sum": 10, "max": 5,
                        "min": 5,
                    ]
                    commands["login"] = login
                    o["commands"] = commands
                }
            ),
            // Trapped in the report.
            ("times", { o in (o["first"], o["last"]) = (Int64.min, Int64.max) }),
            (
                "minutes",
                { o in
                    var timeline = o["timeline"] as? [Any] ?? []
                    timeline[1] = Self.table(minute: minute, fields: [Int64.max, Int64.max, Int64.max, Int64.max])
                    o["timeline"] = timeline
                }
            ),
            (
                "lines",
                { o in
                    var files = o["files"] as? [[String: Any]] ?? []
                    (files[0]["lines"], files[0]["headerLines"], files[0]["records"], files[0]["skipped"]) =
                        (-5, 0, -5, 0)
                    o["files"] = files
                }
            ),
        ]
        var crafted: [String] = []
        for (name, change) in damages {
            // A name that would recolour the terminal, were it echoed raw.
            let file = "\(folder)/\(name)\u{1B}[31m.summary"
            _ = FileManager.default.createFile(atPath: file, contents: Data(try Self.crafted(real, change)))
            crafted.append(file)
        }
        let notASummary = "\(folder)/notes.summary"
        _ = FileManager.default.createFile(atPath: notASummary, contents: Data("notes".utf8))

        for bad in crafted + [notASummary] {
            let run = try Binary.run(["merge", "--format", "json"] + good + [bad])
            #expect(run.status == 74, "\(bad): \(run.status) \(run.stderr)")
            #expect(!run.stderr.contains("\u{1B}"), "\(run.stderr)")
            let name = ((bad as NSString).lastPathComponent as String).replacingOccurrences(of: "\u{1B}", with: "\\x1B")
            #expect(run.stderr.contains(name), "\(run.stderr)")
            // The report of the others, the one left out listed with its files, with why.
            let report = try #require(
                try JSONSerialization.jsonObject(with: Data(run.stdout.utf8)) as? [String: Any],
                "\(run.stdout.prefix(300))")
            let direct = try #require(
                try JSONSerialization.jsonObject(with: Data(alone.stdout.utf8)) as? [String: Any])
            let input = report["input"] as? [String: Any]
            let directInput = direct["input"] as? [String: Any]
            #expect(input?["records"] as? Int == directInput?["records"] as? Int)
            #expect(input?["lines"] as? Int == directInput?["lines"] as? Int)
            #expect(run.stdout.contains("refused") || run.stdout.contains("damaged") || run.stdout.contains("not an"))
        }
        // All of them at once: the same, in one run.
        let all = try Binary.run(["merge", "--format", "json"] + good + crafted + [notASummary])
        #expect(all.status == 74 && all.stdout.contains("\"records\""))
        // Nothing but bad ones: nothing to report.
        let none = try Binary.run(["merge"] + crafted)
        #expect(none.status == 66 && none.stdout.isEmpty)
        #expect(none.stderr.components(separatedBy: "\n").filter { $0.hasPrefix("imaplog: ") }.count == crafted.count)
        // --check says UNKNOWN when nothing is left, and checks the others otherwise.
        let check = try Binary.run(["merge", "--check"] + crafted)
        #expect(check.status == 3 && check.stdout.hasPrefix("IMAP UNKNOWN"))
    }

    /// Summaries that each keep the bound on lines, but together would pass it: the one that would is left out.
    @Test func theMergedLinesAreBounded() throws {
        let folder = NSTemporaryDirectory() + "imaplog-bounded-lines-" + UUID().uuidString
        defer { try? FileManager.default.removeItem(atPath: folder) }
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        let path = Binary.sampleLogs + "/02-mbx02-refusing-logons/MBX02/IMAP4BE2026111709-1.LOG"
        let bytes = try #require(FileManager.default.contents(atPath: path))
        var files: [String] = []
        for k in 0..<3 {
            let real = LogAnalysis.analyse(bytes: Array(bytes), path: "part\(k)/IMAP4BE2026111709-1.LOG")
            let huge = try Self.crafted(real) { o in
                var list = o["files"] as? [[String: Any]] ?? []
                (list[0]["lines"], list[0]["headerLines"], list[0]["records"], list[0]["skipped"]) =
                    (Summary.lineLimit / 2, 0, Summary.lineLimit / 2, 0)
                o["files"] = [list[0]]
            }
            files.append("\(folder)/part\(k).summary")
            _ = FileManager.default.createFile(atPath: files[k], contents: Data(huge))
        }
        let run = try Binary.run(["merge", "--format", "json"] + files)
        #expect(run.status == 74, "\(run.stderr)")
        #expect(run.stderr.contains("part2.summary: refused: with it the summaries would account for more than"))
        #expect(
            run.stdout.contains("\"lines\":\(Summary.lineLimit)")
                || run.stdout.contains("\"lines\" : \(Summary.lineLimit)"))
    }
}
