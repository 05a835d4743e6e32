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

    /// Two spellings of one back end give the same report on every run.
    ///
    /// Failing logons proxied to `MBX02.contoso.com` and `mbx02`: the two are one server, and which rows it cites as examples must not depend on the order a run's hash tables happen to hold
    /// them in. Run after run, and with 1 or 8 workers, the report is the same bytes.
    @Test func twoSpellingsOfAServerGiveTheSameReportEveryRun() throws {
        let folder = NSTemporaryDirectory() + "imaplog-spellings-" + UUID().uuidString
        defer { try? FileManager.default.removeItem(atPath: folder) }
        try FileManager.default.createDirectory(atPath: folder + "/CAS01", withIntermediateDirectories: true)
        let fields = "dateTime,sessionId,seqNumber,sIp,cIp,user,duration,rqsize,rpsize,command,parameters,context"
        var log = "#Software: Microsoft Exchange Server\r\n#Log-type: IMAP4 Log\r\n#Fields: \(fields)\r\n"
        for i in 0..<40 {
            let backEnd = i % 2 == 0 ? "mbx02" : "MBX02.contoso.com"
            log +=
                "2026-11-16T07:00:\(i / 10)\(i % 10).000Z,\(String(format: "%016X", i + 1)),1,10.0.1.11:993,"
                + "10.9.9.9:5000,u\(i),20,30,20,login,u\(i) *****,"
                + "\"R=\"\"a1 NO LOGIN failed.\"\"\";Msg=Proxy:\(backEnd):1993:SSL;ErrMsg=MailboxOffline\"\r\n"
        }
        try Data(log.utf8).write(to: URL(fileURLWithPath: folder + "/CAS01/IMAP42026111607-1.LOG"))
        var outputs = Set<String>()
        for jobs in ["1", "8", "1", "8", "2", "1"] {
            outputs.insert(try Binary.run(["--format", "json", "--jobs", jobs, folder]).stdout)
            outputs.insert(try Binary.run(["--no-color", "--jobs", jobs, folder]).stdout)
        }
        #expect(outputs.count == 2, "the same logs gave \(outputs.count) different reports")
    }
}
