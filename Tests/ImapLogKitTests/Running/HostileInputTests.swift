import Foundation
import SampleLogKit
import Testing

@testable import ImapLogDiagnosis
@testable import ImapLogKit
@testable import ImapLogReport

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

    /// A log re-saved as "Unicode" by an editor: UTF-16 with a byte-order mark, either byte order.
    @Test(arguments: [false, true])
    func utf16LogsWithAByteOrderMarkAreDecoded(bigEndian: Bool) throws {
        let path = TestSupport.sampleLogs + "/02-mbx02-refusing-logons/CAS01/IMAP42026111710-1.LOG"
        let utf8 = Array(try #require(FileManager.default.contents(atPath: path)))
        // A user name outside the BMP and one with an accent, to cross surrogate pairs and 2-byte characters.
        let text = String(decoding: utf8, as: UTF8.self).replacingOccurrences(of: "contoso.com", with: "contöso.com𝄞")
        var utf16: [UInt8] = bigEndian ? [0xFE, 0xFF] : [0xFF, 0xFE]
        for unit in text.utf16 {
            let pair = [UInt8(unit >> 8), UInt8(unit & 0xFF)]
            utf16 += bigEndian ? pair : pair.reversed()
        }
        let decoded = LogAnalysis.analyse(bytes: utf16, path: "unicode.LOG")
        let plain = LogAnalysis.analyse(bytes: Array(text.utf8), path: "unicode.LOG")
        #expect(decoded.records > 0 && decoded.skipped == 0)
        #expect(decoded.lines == plain.lines && decoded.records == plain.records)
        #expect(decoded.users.keys.sorted() == plain.users.keys.sorted())
        #expect(decoded.users.keys.contains { $0.hasSuffix("@contöso.com𝄞") })
    }

    @Test func damagedUTF16StillReadsLineForLine() {
        // A lone low surrogate, a high surrogate before a newline, and an odd last byte (the file was cut).
        let units: [UInt16] = [0x61, 0xDC00, 0x0A, 0x62, 0xD800, 0x0A, 0x63]
        var bytes: [UInt8] = [0xFF, 0xFE]
        for unit in units { bytes += [UInt8(unit & 0xFF), UInt8(unit >> 8)] }
        bytes.append(0x41)
        let summary = LogAnalysis.analyse(bytes: bytes, path: "cut.LOG")
        #expect(summary.lines == 3)
        #expect(TestSupport.linesAddUp(summary))
    }

    /// Found by the fuzzer (a hang): one probe row dated 4052 made the heartbeat rule walk the billion
    /// minutes in between.
    @Test func aTimestampCenturiesAwayDoesNotMakeTheDiagnosisWalkEveryMinute() throws {
        let path = TestSupport.sampleLogs + "/03-slow-mbx03/MBX03/IMAP4BE2026111813-1.LOG"
        var text = String(decoding: try #require(FileManager.default.contents(atPath: path)), as: UTF8.self)
        text += "4052-11-18T14:18:41.847Z,0000000000000CEF,0,127.0.0.1:1993,127.0.0.1:38068,,0,0,53,OpenSession,,\r\n"
        let summary = LogAnalysis.analyse(bytes: Array(text.utf8), path: "far.LOG", role: .backEnd)
        #expect(summary.records > 0)
        let report = ReportBuilder().build(summary)
        _ = TextRenderer().render(report)
        #expect(!(try JSONRenderer.render(report)).isEmpty)
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
