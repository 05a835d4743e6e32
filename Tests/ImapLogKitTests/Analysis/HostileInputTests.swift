import Foundation
import SampleLogKit
import Testing

@testable import ImapLogKit

@Suite("Hostile input")
struct HostileInputTests {
    /// Damages real log bytes at random, and checks that nothing crashes and the counts still add up.
    ///
    /// The damage is the kind logs meet: cuts, stray quotes and commas, NULs, line breaks inside fields, enormous
    /// lines.
    @Test(arguments: 0..<40)
    func randomDamageNeverBreaksTheAccounting(seed: Int) throws {
        var random = SeededRandom(seed: UInt64(seed) &* 7919 &+ 1)
        let path = TestSupport.sampleLogs + "/02-mbx02-refusing-logons/CAS01/IMAP42026111710-1.LOG"
        var bytes = Array(try #require(FileManager.default.contents(atPath: path)))
        let damage: [UInt8] = [0x22, 0x2C, 0x00, 0x0A, 0x0D, 0x3B, 0x3D, 0xFF, 0xEF, 0x23]
        for _ in 0..<random.int(1...60) {
            let at = random.int(0...(bytes.count - 1))
            switch random.int(0...5) {
            case 0: bytes[at] = random.pick(damage)
            case 1: bytes.insert(random.pick(damage), at: at)
            case 2: bytes.removeSubrange(at..<min(bytes.count, at + random.int(1...200)))
            case 3:
                bytes.insert(contentsOf: [UInt8](repeating: UInt8(ascii: "x"), count: random.int(1...100_000)), at: at)
            case 4: bytes.insert(contentsOf: Array("\"unclosed".utf8), at: at)
            default: bytes = Array(bytes.prefix(max(1, at)))
            }
            if bytes.isEmpty { bytes = [0x0A] }
        }
        let summary = LogAnalysis.analyse(bytes: bytes, path: "damaged.LOG")
        #expect(TestSupport.linesAddUp(summary))
        let newlines = bytes.reduce(0) { $0 + ($1 == 0x0A ? 1 : 0) }
        #expect(summary.lines == newlines + (bytes.last == 0x0A ? 0 : 1))
        let report = ReportBuilder().build(summary)
        _ = TextRenderer().render(report)
        let json = try JSONRenderer.render(report)
        #expect(try JSONSerialization.jsonObject(with: Data(json.utf8)) is [String: Any])
    }

    @Test func aHugeFileWithoutLineEndsCostsNoMemoryAndIsOneSkippedLine() {
        let bytes = [UInt8](repeating: UInt8(ascii: "A"), count: 5_000_000)
        let summary = LogAnalysis.analyse(bytes: bytes)
        #expect(summary.lines == 1 && summary.skipped == 1)
        #expect(summary.skippedByReason[.overlongLine]?.count == 1)
    }

    @Test func sessionsNeverClosedAreSettledAtTheEnd() {
        var text = TestSupport.header
        for i in 0..<3000 {
            text +=
                "2026-11-16T07:00:01.000Z,\(String(i, radix: 16)),1,10.0.1.11:993,10.20.1.5:50001,user\(i)@x,1,0,0,noop,,R=ok\r\n"
        }
        let summary = TestSupport.analyse(text)
        #expect(summary.users.count == 3000 && summary.records == 3000)
        #expect(summary.sessions.openAtEnd == 3000)
    }
}
