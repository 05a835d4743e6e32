import Foundation
import SampleLogKit
import Testing

@testable import ImapLogKit

@Suite("SampleLogs")
struct SampleLogsTests {
    /// The committed SampleLogs/ are exactly what the generator makes, so anyone can make them again.
    @Test func theCommittedSamplesAreWhatTheGeneratorWrites() throws {
        let fresh = TestSupport.temporaryFolder()
        defer { TestSupport.remove(fresh) }
        var written: [String] = []
        for story in Story.samples { written += try SampleWriter.write(story, to: fresh) }
        written += try EdgeCases.write(to: fresh)
        #expect(written.count > 40)
        for relative in written {
            let committed = FileManager.default.contents(atPath: TestSupport.sampleLogs + "/" + relative)
            let generated = FileManager.default.contents(atPath: fresh + "/" + relative)
            #expect(committed != nil && committed == generated, "\(relative) differs: run swift run imaplog-samplegen")
        }
    }
}

@Suite("Bulk logs")
struct BulkLogsTests {
    /// A fleet of any size: four Client Access and eight mailbox servers, each found by the analysis in its role.
    @Test func aLargerFleetWritesEveryServersLogs() throws {
        let folder = TestSupport.temporaryFolder()
        defer { TestSupport.remove(folder) }
        _ = try BulkWriter.write(to: folder, targetBytes: 2 << 20, seed: 7, usersPerHour: 20, frontEnds: 4, backEnds: 8)
        let summary = LogAnalysis.run(plan: InputDiscovery.plan(paths: [folder]), options: .init()).summary
        let servers = ReportBuilder().build(summary).servers
        #expect(servers.filter { $0.role == .frontEnd }.map(\.server).sorted() == ["CAS01", "CAS02", "CAS03", "CAS04"])
        #expect(
            servers.filter { $0.role == .backEnd }.map(\.server).sorted() == (1...8).map { "MBX0\($0).contoso.com" })
        #expect(servers.allSatisfy { $0.seenFrom == "ownLogs" && $0.commands > 0 })
    }
}
