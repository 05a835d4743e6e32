import Foundation
import SampleLogKit
import Testing

@testable import ImapLogKit

/// Access to the generator's edge-case files.
enum SampleEdgeCases {
    static func file(named name: String) -> [UInt8] {
        EdgeCases.files().first { $0.0 == name }?.1 ?? []
    }
}

@Suite("Whole runs: parallel, merged, named")
struct LogAnalysisTests {
    @Test func parallelRunsGiveExactlyTheSequentialResult() {
        let plan = InputDiscovery.plan(paths: [TestSupport.sampleLogs])
        var one = AnalysisOptions()
        one.workerCount = 1
        var two = AnalysisOptions()
        two.workerCount = 2
        let a = LogAnalysis.run(plan: plan, options: one).summary
        let b = LogAnalysis.run(plan: plan, options: two).summary
        #expect(a == b)
        #expect(ReportBuilder().build(a) == ReportBuilder().build(b))
        #expect(a.records > 10_000 && TestSupport.linesAddUp(a))
    }

    @Test func summariesOfPartsMergeIntoTheSummaryOfTheWhole() throws {
        let stories = ["01-quiet-morning", "02-mbx02-refusing-logons", "03-slow-mbx03"].map {
            TestSupport.sampleLogs + "/" + $0
        }
        let whole = LogAnalysis.run(plan: InputDiscovery.plan(paths: stories), options: .init()).summary
        var merged = Summary()
        for story in stories {
            merged.merge(LogAnalysis.run(plan: InputDiscovery.plan(paths: [story]), options: .init()).summary)
        }
        #expect(ReportBuilder().build(merged) == ReportBuilder().build(whole))
        // And the encoded summary survives a round trip.
        let data = try JSONEncoder().encode(merged)
        #expect(try JSONDecoder().decode(Summary.self, from: data) == merged)
    }

    @Test func shortNamesMergeWithTheirFQDNWhenUnambiguous() {
        let names = ServerNames.canonicalNames([
            "mbx01", "mbx01.contoso.com", "cas01", "ex01", "ex01.a.com", "ex01.b.com", "10.0.0.1",
        ])
        #expect(names["mbx01"] == "mbx01.contoso.com")
        #expect(names["cas01"] == "cas01")
        #expect(names["ex01"] == "ex01")  // two FQDNs share the label: ambiguous, kept apart
        #expect(names["10.0.0.1"] == "10.0.0.1")
    }

    @Test func standardInputGivesTheSameCountsAsTheFolder() throws {
        let folder = TestSupport.sampleLogs + "/02-mbx02-refusing-logons"
        let plan = InputDiscovery.plan(paths: [folder])
        let fromFolder = LogAnalysis.run(plan: plan, options: .init()).summary
        var bytes: [UInt8] = []
        for input in plan.inputs {
            guard case .file(let path) = input.location else { continue }
            bytes += try Array(Data(contentsOf: URL(fileURLWithPath: path)))
        }
        let fromPipe = LogAnalysis.analyse(bytes: bytes)
        #expect(fromPipe.lines == fromFolder.lines && fromPipe.records == fromFolder.records)
        #expect(fromPipe.headerLines == fromFolder.headerLines && fromPipe.skipped == fromFolder.skipped)
        #expect(fromPipe.commands == fromFolder.commands)
        #expect(fromPipe.errors.mapValues(\.count) == fromFolder.errors.mapValues(\.count))
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
    }
}
