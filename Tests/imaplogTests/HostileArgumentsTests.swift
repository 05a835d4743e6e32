import Foundation
import Testing

/// Command lines and alert files made to break imaplog: numbers past any range, escapes, floods.
///
/// The parser's side of these is `HostileOptionsTests`, in-process.
@Suite("Hostile command lines and alerts", .serialized)
struct HostileArgumentsTests {
    @Test func spansThatOverflowAreUsageErrors() throws {
        // 106,751,991,167,300 days is about Int64.max seconds: in milliseconds it overflowed (exit 132).
        let r = try Binary.run(["--since", "106751991167300d", "SampleLogs/01-quiet-morning"])
        #expect(r.status == 64, "\(r.stderr)")
        #expect(r.stderr.contains("--since") && r.stderr.contains("106751991167300d"))
        #expect(r.stdout.isEmpty)
    }

    @Test func countsOutOfRangeAreUsageErrors() throws {
        let r = try Binary.run(["--jobs", "99999999999", "SampleLogs/01-quiet-morning"])
        #expect(r.status == 64 && r.stderr.contains("--jobs takes a whole number from 1 to 256"))
    }

    @Test func optionValuesAreEchoedSafely() throws {
        let r = try Binary.run(["--format", "x\u{1B}]0;owned\u{7}\u{202E}y", "SampleLogs/01-quiet-morning"])
        #expect(r.status == 64)
        #expect(!r.stderr.contains("\u{1B}") && !r.stderr.contains("\u{7}") && !r.stderr.contains("\u{202E}"))
        #expect(r.stderr.contains("x\\x1B]0;owned\\x07\\u{202E}y"))
        let unknown = try Binary.run(["--\u{1B}[2Jwipe", "SampleLogs/01-quiet-morning"])
        #expect(unknown.status == 64 && !unknown.stderr.contains("\u{1B}"))
    }

    /// Writes `text` to a file of its own, and gives its path.
    private func file(_ bytes: [UInt8]) throws -> String {
        let path = NSTemporaryDirectory() + "imaplog-alert-" + UUID().uuidString
        try Data(bytes).write(to: URL(fileURLWithPath: path))
        return path
    }

    @Test func anAlertTimeThatOverflowsIsSaidAndTheRestOfTheAlertUsed() throws {
        let alert = try file(
            Array("Name : ImapCTPMonitor\nAlertValue : Unhealthy\nTime : 2026-11-17T10:05:99999999999999999999Z\n".utf8)
        )
        defer { try? FileManager.default.removeItem(atPath: alert) }
        let story = "SampleLogs/01-quiet-morning"
        let text = try Binary.run(["--alert", alert, story])
        #expect((0...127).contains(text.status))
        #expect(text.stderr.contains("the alert's time \"2026-11-17T10:05:99999999999999999999Z\" cannot be read"))
        #expect(text.stdout.contains("failing: ImapCTPMonitor"))
        let fromTheAlert = text.stdout.components(separatedBy: "VERDICT").first ?? ""
        #expect(fromTheAlert.contains("its time \"2026-11-17T10:05:99999999999999999999Z\" cannot be read"))
        let json = try Binary.json(try Binary.run(["--alert", alert, "--format", "json", story]).stdout)
        let said = try #require(json["alert"] as? [String: Any])
        #expect(said["unreadableTime"] as? String == "2026-11-17T10:05:99999999999999999999Z")
        #expect(said["monitors"] as? [String] == ["ImapCTPMonitor"])
    }

    @Test func anEndlessAlertIsReadUpToTheLimitAndSaysSo() throws {
        let r = try Binary.run(["--alert", "/dev/zero", "--format", "json", "SampleLogs/01-quiet-morning"])
        #expect(r.status == 0, "\(r.stderr)")
        #expect(r.stderr.contains("the alert is longer than imaplog reads (16 MiB, lines of 4096 characters)"))
        let alert = try #require(try Binary.json(r.stdout)["alert"] as? [String: Any])
        #expect(alert["isTruncated"] as? Bool == true)
    }

    /// Peak memory of imaplog reading `alert`, in KiB (GNU time's %M).
    private func peakMemory(alert: String) throws -> Int {
        let r = try Binary.shell(
            "/usr/bin/time -f 'peak %M' \"$IMAPLOG\" --alert '\(alert)' --format json SampleLogs/01-quiet-morning"
                + " 2>&1 >/dev/null | grep '^peak'")
        return try #require(Int(r.stdout.dropFirst(5).trimmingCharacters(in: .whitespacesAndNewlines)))
    }

    @Test(.enabled(if: FileManager.default.isExecutableFile(atPath: "/usr/bin/time")))
    func anAlertIsReadWithoutHoldingIt() throws {
        // A mebibyte of empty lines: held whole as lines, it took some 20 MiB.
        let small = try file(Array("ImapCTPMonitor Unhealthy\n".utf8))
        let large = try file([UInt8](repeating: UInt8(ascii: "\n"), count: 1 << 20))
        defer {
            try? FileManager.default.removeItem(atPath: small)
            try? FileManager.default.removeItem(atPath: large)
        }
        let growth = try peakMemory(alert: large) - peakMemory(alert: small)
        #expect(growth < 4 << 10, "\(growth) KiB more for a 1 MiB alert")
    }
}
