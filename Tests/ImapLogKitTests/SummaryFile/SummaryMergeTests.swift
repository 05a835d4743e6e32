import Foundation
import Testing

@testable import ImapLogKit

@Suite("Merging summaries: their order, repeats and overlaps")
struct SummaryMergeTests {
    private static let story: String = {
        var url = URL(fileURLWithPath: #filePath)
        for _ in 0..<4 { url.deleteLastPathComponent() }
        return url.path + "/SampleLogs/01-quiet-morning"
    }()

    /// The summary of the first log of `server`, saved as `name` in `folder`.
    private func summarise(_ server: String, as name: String, in folder: String) throws -> (String, Summary) {
        let logs = try FileManager.default.contentsOfDirectory(atPath: "\(Self.story)/\(server)").sorted()
        let log = "\(Self.story)/\(server)/\(try #require(logs.first))"
        let bytes = try #require(FileManager.default.contents(atPath: log))
        let summary = LogAnalysis.analyse(bytes: Array(bytes), path: log)
        let path = "\(folder)/\(name)"
        try Data(try SummaryFile.encode(summary)).write(to: URL(fileURLWithPath: path))
        return (path, summary)
    }

    @Test func summariesMergeInTheOrderOfTheirLogsEachOnce() throws {
        let folder = NSTemporaryDirectory() + "imaplog-summary-merge-" + UUID().uuidString
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: folder) }
        // Named against their logs' order: z.summary holds CAS01's log, a.summary MBX01's.
        let (cas, casSummary) = try summarise("CAS01", as: "z.summary", in: folder)
        let (mbx, mbxSummary) = try summarise("MBX01", as: "a.summary", in: folder)
        let junk = "\(folder)/README"
        try Data("not a summary".utf8).write(to: URL(fileURLWithPath: junk))

        var leftOut: [ImapLogError] = []
        let order = SummaryMerge.order(
            [(mbx, true), (cas, true), (folder + "/./z.summary", true), (junk, true), (junk, false)]
        ) { leftOut.append($0) }
        #expect(order.paths == [cas, mbx])
        #expect(order.repeatedCount == 2 && order.passedOverCount == 0)
        #expect(leftOut.map(\.path) == [junk])

        var merged = SummaryMerge.merge(order) { leftOut.append($0) }
        #expect(merged.mergedCount == 2 && merged.overlappingCount == 0)
        #expect(merged.summary.records == casSummary.records + mbxSummary.records)
        SummaryMerge.listLeftOut(leftOut, in: &merged.summary)
        #expect(merged.summary.files.last?.path == junk && merged.summary.files.last?.error != nil)

        // The same log in two summaries is merged, and said.
        let copy = "\(folder)/copy.summary"
        try FileManager.default.copyItem(atPath: cas, toPath: copy)
        let twice = SummaryMerge.merge(SummaryMerge.order([(cas, true), (copy, true)]) { _ in }) { _ in }
        #expect(twice.mergedCount == 2 && twice.overlappingCount == casSummary.files.count)
    }

    @Test func aFolderFileThatIsNotASummaryIsPassedOver() throws {
        let folder = NSTemporaryDirectory() + "imaplog-summary-merge-" + UUID().uuidString
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let junk = "\(folder)/README"
        try Data("not a summary".utf8).write(to: URL(fileURLWithPath: junk))
        var leftOut: [ImapLogError] = []
        let order = SummaryMerge.order([(junk, false)]) { leftOut.append($0) }
        #expect(order.paths.isEmpty && order.passedOverCount == 1 && leftOut.isEmpty)
        #expect(SummaryMerge.merge(order) { leftOut.append($0) }.mergedCount == 0)
    }
}
