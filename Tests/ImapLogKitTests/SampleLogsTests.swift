import Foundation
import SampleLogKit
import Testing

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
