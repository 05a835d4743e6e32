import Foundation
import ImapLogKit
import Testing

@testable import imaplog

/// Command lines and alert files made to break imaplog: numbers past any range, escapes, floods.
@Suite("Hostile command lines and alerts", .serialized)
struct HostileArgumentsTests {
    private let now: Int64 = 1_795_000_000_000

    @Test func spansThatOverflowAreUsageErrors() throws {
        // 106,751,991,167,300 days is about Int64.max seconds: in milliseconds it overflowed (exit 132).
        let r = try Binary.run(["--since", "106751991167300d", "SampleLogs/01-quiet-morning"])
        #expect(r.status == 64, "\(r.stderr)")
        #expect(r.stderr.contains("--since") && r.stderr.contains("106751991167300d"))
        #expect(r.stdout.isEmpty)
        for span in [
            "106751991167300d", "9223372036854775807s", "9223372036854775807w", "15250284452472w",
            "4000000d", "99999999999999999999h", "3000000000000m",
        ] {
            #expect(throws: Options.UsageError.self, "\(span)") {
                try Options.parse(["--since", span, "logs"], now: now)
            }
            #expect(throws: Options.UsageError.self, "\(span)") {
                try Options.parse(["--until", span, "logs"], now: now)
            }
        }
        // Back to the year 0000 (the earliest a log's four-digit year can write) is still a time.
        let days = (now - Options.earliestTime) / 86_400_000
        #expect(try Options.time("\(days)d", option: "--since", now: now) >= Options.earliestTime)
        #expect(throws: Options.UsageError.self) { try Options.time("\(days + 1)d", option: "--since", now: now) }
        #expect(try Options.time("0s", option: "--since", now: now) == now)
    }

    @Test func countsOutOfRangeAreUsageErrors() throws {
        for arguments in [
            ["--top", "9223372036854775807"], ["--top", "\(Options.maximumTop + 1)"], ["--top", "0"],
            ["--jobs", "99999999999"], ["--jobs", "\(Options.maximumJobs + 1)"], ["-j-1"],
            ["--bucket", "99999999999999999999m"], ["--tz", "+99999999999"], ["--tz", "UTC+15"],
        ] {
            #expect(throws: Options.UsageError.self, "\(arguments)") { try Options.parse(arguments, now: now) }
        }
        let most = try Options.parse(["--top", "\(Options.maximumTop)", "-j", "\(Options.maximumJobs)"], now: now)
        #expect(most.top == Options.maximumTop && most.jobs == Options.maximumJobs)
        let r = try Binary.run(["--jobs", "99999999999", "SampleLogs/01-quiet-morning"])
        #expect(r.status == 64 && r.stderr.contains("--jobs takes a whole number from 1 to \(Options.maximumJobs)"))
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
