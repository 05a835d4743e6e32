import Foundation
import Testing

/// A span cut by `--until` is judged on the rows inside it: rows read after it, and not counted, never make a fault
/// inside it look recovered (found by an admin's trial of `imaplog watch`, true of every run).
struct UntilRecoveryTests {
    @Test("a later log left out by --until does not turn a fault into a recovery")
    func laterRowsOutsideTheSpan() throws {
        let folder = NSTemporaryDirectory() + "imaplog-until-" + UUID().uuidString
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let logs = folder + "/Imap4"
        let writer = try WatchEndToEndTests.LogWriter(root: logs)
        // Healthy, MBX02 refusing for 15 minutes, then 13 healthy minutes: less than the monitor's 20-minute window.
        try writer.write(minutes: 0..<20, mbx02Fails: false)
        try writer.write(minutes: 20..<35, mbx02Fails: true)
        try writer.write(minutes: 35..<48, mbx02Fails: false)
        let arguments = ["--format", "json", "--monitor", "ImapCTPMonitor", "--until", "2026-12-06T10:48:00Z", logs]
        func firstSuspect() throws -> [String: Any] {
            let run = try Binary.run(arguments)
            let report = try #require(try JSONSerialization.jsonObject(with: Data(run.stdout.utf8)) as? [String: Any])
            let verdict = try #require(report["verdict"] as? [String: Any])
            return try #require((verdict["suspects"] as? [[String: Any]])?.first)
        }
        let alone = try firstSuspect()
        #expect(alone["server"] as? String == "MBX02.contoso.com")
        #expect(alone["hasRecovered"] as? Bool == false)

        // An hour later, another hour's log: read, every row after --until.
        try writer.write(minutes: 120..<130, mbx02Fails: false)
        let withLater = try firstSuspect()
        #expect(withLater["hasRecovered"] as? Bool == false)
        #expect(withLater["confidence"] as? Double == alone["confidence"] as? Double)
    }
}
