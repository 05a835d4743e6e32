import Foundation
import Testing

/// Floods typed by any client, through the built binary.
@Suite("imaplog, floods of names", .serialized)
struct FloodEndToEndTests {
    /// 520 junk commands in the slow mailbox server's log, before its real traffic: the check stays CRITICAL on
    /// that server (every command after the flood was dropped, and the check said OK).
    @Test func aFloodOfCommandNamesLeavesTheCheckCritical() throws {
        let folder = NSTemporaryDirectory() + "imaplog-flood-" + UUID().uuidString
        defer { try? FileManager.default.removeItem(atPath: folder) }
        try FileManager.default.copyItem(atPath: Binary.sampleLogs + "/03-slow-mbx03", toPath: folder)
        let log = folder + "/MBX03/IMAP4BE2026111813-1.LOG"
        let data = try #require(FileManager.default.contents(atPath: log))
        let text = String(decoding: data, as: UTF8.self)
        var lines = text.components(separatedBy: "\r\n")
        let fields = try #require(lines.firstIndex { $0.hasPrefix("#Fields:") })
        let junk = (0..<520).map {
            "2026-11-18T13:40:19.732Z,0000000000000F00,\($0 + 1),10.0.2.23:1993,10.0.1.11:21437,,1,1,1,junk\($0),,R=ok"
        }
        lines.insert(contentsOf: junk, at: fields + 1)
        try Data(lines.joined(separator: "\r\n").utf8).write(to: URL(fileURLWithPath: log))

        // The clock a minute after the logs' last row, as in a check run live.
        let r = try Binary.run(
            ["--check", folder], environment: ["TZ": "UTC", "IMAPLOG_NOW": "2026-11-18T14:21:00.000Z"])
        #expect(r.status == 2, "\(r.stdout)\(r.stderr)")
        #expect(r.stdout.hasPrefix("IMAP CRITICAL - AverageCommandProcessingTimeGt60sMonitor: MBX03.contoso.com"))

        // The limit is said, with the records it pooled, and the names past it are one row.
        let json = try Binary.json(try Binary.run(["--format", "json", folder]).stdout)
        let overflow = try #require(json["overflow"] as? [String: Int])
        #expect((overflow["commands"] ?? 0) > 0)
        let commands = try #require(json["commands"] as? [[String: Any]])
        #expect(commands.contains { $0["command"] as? String == "(other)" })
        let text2 = try Binary.run([folder]).stdout
        #expect(text2.contains("Tables full (records counted under (other)"))
    }
}
