import Foundation
import Testing

/// What testers saw go wrong with the verdict (issue 5), each run as an admin would run it.
@Suite("A verdict an admin can trust", .serialized)
struct VerdictTrustTests {
    /// A fresh folder under the temporary folder, removed by `defer` in each test.
    private func scratch() throws -> String {
        let folder = NSTemporaryDirectory() + "imaplog-trust-" + UUID().uuidString
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        return folder
    }

    private func copy(_ story: String, _ server: String, to folder: String) throws {
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        let source = Binary.sampleLogs + "/" + story + "/" + server
        for name in try FileManager.default.contentsOfDirectory(atPath: source) {
            try FileManager.default.copyItem(atPath: source + "/" + name, toPath: folder + "/" + name)
        }
    }

    private func commands(_ json: String) throws -> [String] {
        let steps = try #require(try Binary.json(json)["nextSteps"] as? [[String: Any]])
        return steps.compactMap { $0["command"] as? String }
    }

    @Test func anAdminsOwnFoldersNeverNameAServer() throws {
        let root = try scratch()
        defer { try? FileManager.default.removeItem(atPath: root) }
        let story = "02-mbx02-refusing-logons"
        try copy(story, "CAS01", to: root + "/home/admin/logs/Imap4")
        try copy(story, "CAS01", to: root + "/case/incident-4711")
        try copy(story, "MBX02", to: root + "/case/incident-4711")
        for folder in [root + "/home/admin/logs/Imap4", root + "/case/incident-4711"] {
            let r = try Binary.run(["--format", "json", folder])
            let text = try commands(r.stdout).joined(separator: "\n")
            for word in ["admin", "logs", "Imap4", "case", "incident-4711"] {
                #expect(!text.contains("'\(word)'"), "\(word) named as a server in \(folder)")
            }
            // The front end is its address; the mailbox server is what its logons and the proxy rows say.
            let servers = try #require(try Binary.json(r.stdout)["servers"] as? [[String: Any]])
            #expect(servers.contains { $0["server"] as? String == "10.0.1.11" })
            #expect(r.stdout.contains("MBX02.contoso.com"))
        }
    }

    @Test func aFolderNamedByTheServersAddressAndFromInsideTheFolder() throws {
        let root = try scratch()
        defer { try? FileManager.default.removeItem(atPath: root) }
        try copy("02-mbx02-refusing-logons", "MBX02", to: root + "/10.0.2.22")
        let byAddress = try Binary.run(["--format", "csv", "--table", "servers", root + "/10.0.2.22"])
        // The logons say where they landed: the logs win over the folder.
        #expect(byAddress.stdout.contains("\nMBX02.contoso.com,backEnd,ownLogs,"))
        let inside = try Binary.shell("cd '\(root)/10.0.2.22' && \"$IMAPLOG\" --format csv --table servers .")
        #expect(inside.stdout.contains("\nMBX02.contoso.com,backEnd,ownLogs,"))
    }

    @Test func severalServersOnStandardInputKeepApartAndLoopbackIsNobodysGuess() throws {
        let story = Binary.sampleLogs + "/02-mbx02-refusing-logons"
        let r = try Binary.shell(
            "cat '\(story)'/CAS01/* '\(story)'/CAS02/* '\(story)'/MBX02/* | \"$IMAPLOG\" --format csv --table servers")
        // Two front ends and a mailbox server, each by its own address or name: no front end named after MBX02.
        #expect(r.stdout.contains("\n10.0.1.11,frontEnd,"))
        #expect(r.stdout.contains("\n10.0.1.12,frontEnd,"))
        #expect(!r.stdout.contains("\nMBX02.contoso.com,frontEnd,"))
    }

    @Test func aServerNameThatIsNoHostNeverReachesACommand() throws {
        let root = try scratch()
        defer { try? FileManager.default.removeItem(atPath: root) }
        // A slow server whose sIp a client could not have written, but a damaged or crafted log can.
        var log =
            "#Software: Microsoft Exchange Server\r\n#Fields: dateTime,sessionId,seqNumber,sIp,cIp,user,duration,rqsize,rpsize,command,parameters,context\r\n"
        for minute in 0..<40 {
            log +=
                "2026-11-17T09:\(String(format: "%02d", minute)):00.000Z,\(String(format: "%016X", minute + 1)),1,"
                + "\"x;Stop-Computer -Force;#:993\",10.20.1.1:5000,u\(minute)@x.com,90000,0,0,select,INBOX,R=ok\r\n"
        }
        let path = root + "/piped.log"
        try log.write(toFile: path, atomically: true, encoding: .utf8)
        let r = try Binary.run(["--format", "json", "-"], stdinFile: path)
        let all = try commands(r.stdout).joined(separator: "\n")
        #expect(!all.lowercased().contains("stop-computer"))
        let text = try Binary.run(["-"], stdinFile: path)
        let steps = text.stdout.components(separatedBy: "NEXT STEPS").last?.components(separatedBy: "EVIDENCE").first
        #expect(steps?.lowercased().contains("stop-computer") == false)
    }

    @Test func nothingAnalysedIsNeverAnAllClear() throws {
        let story = "SampleLogs/02-mbx02-refusing-logons"
        for arguments in [
            ["--server", "MBX9", story], ["--since", "2026-12-01 00:00", story], ["--command", "uid+copy", story],
        ] {
            let r = try Binary.run(arguments)
            #expect(r.status == 65, "\(arguments)")
            #expect(r.stdout.contains("I cannot tell"), "\(arguments)")
            #expect(!r.stdout.contains("no server to blame"), "\(arguments)")
            let check = try Binary.run(["--check"] + arguments)
            #expect(check.status == 3 && check.stdout.hasPrefix("IMAP UNKNOWN - I cannot tell"), "\(arguments)")
        }
        // Empty standard input, and a binary file on it.
        let empty = try Binary.run(["-"])
        #expect(empty.status == 65 && empty.stdout.contains("I cannot tell"))
        let binary = try Binary.run(["-"], stdinFile: Binary.path)
        #expect(binary.status == 65 && binary.stdout.contains("I cannot tell"))
    }

    @Test func aMonitorWhoseDataIsAbsentCannotBeClear() throws {
        // Only mailbox servers' logs: ImapProxyTestMonitor watches the front ends' own probe.
        let r = try Binary.run(["--monitor", "ImapProxyTestMonitor", "SampleLogs/09-only-backend-logs"])
        #expect(r.status == 65)
        #expect(r.stdout.contains("I cannot tell") && r.stdout.contains("no ImapProxyTestProbe sessions"))
    }

    @Test func everyMonitorThatFiredHasItsSteps() throws {
        let r = try Binary.run(["--format", "json", "SampleLogs/02-mbx02-refusing-logons"])
        let steps = try #require(try Binary.json(r.stdout)["nextSteps"] as? [[String: Any]])
        let monitors = Set(steps.compactMap { $0["monitor"] as? String })
        #expect(monitors == ["ImapCTPMonitor", "ImapDeepTestMonitor"])
        // Each database move comes with the step that undoes it.
        let commands = steps.compactMap { $0["command"] as? String }
        #expect(commands.contains { $0.contains("-DatabaseCopyActivationDisabledAndMoveNow $true") })
        #expect(commands.contains { $0.contains("-DatabaseCopyActivationDisabledAndMoveNow $false") })
        // Every server in a command is quoted.
        for command in commands where command.contains("MBX02") {
            #expect(command.contains("'MBX02.contoso.com'"), "\(command)")
        }
    }

    @Test func noRestartOnAServerTheLogsDoNotBlame() throws {
        // Only wrong passwords; a broken monitoring account; a blip long over: nothing to restart or move.
        for story in ["04-wrong-passwords", "11-broken-monitoring-account", "13-failover-blip"] {
            let r = try Binary.run(["--format", "json", "SampleLogs/" + story])
            for command in try commands(r.stdout) {
                #expect(!command.contains("Restart-Computer"), "\(story): \(command)")
                #expect(!command.contains("MoveNow $true"), "\(story): \(command)")
                #expect(!command.contains("Restart-Service MSExchangeIMAP4BE"), "\(story): \(command)")
            }
        }
    }

    @Test func aWindowsSavedAlertIsReadWithItsServerAndOnlyItsFailingMonitor() throws {
        // 08: Get-ServerHealth saved by PowerShell 5 (UTF-16 LE with a BOM, CRLF), mostly Healthy rows.
        let r = try Binary.run([
            "--alert", "SampleLogs/08-cas01-certificate/alert.txt", "SampleLogs/08-cas01-certificate",
        ])
        #expect(r.stdout.contains("FROM THE ALERT\n  failing: ImapCTPMonitor; server CAS01."))
        #expect(r.stdout.contains("Most likely responsible: CAS01 (front end)"))
        // 13: every monitor Healthy again: said, and nothing restarted.
        let cleared = try Binary.run([
            "--alert", "SampleLogs/13-failover-blip/alert.txt", "SampleLogs/13-failover-blip",
        ])
        #expect(cleared.stdout.contains("the problem has cleared"))
        #expect(!cleared.stdout.contains("Restart-"))
    }

    @Test func anAlertAboutAnotherHealthSetIsRefused() throws {
        let root = try scratch()
        defer { try? FileManager.default.removeItem(atPath: root) }
        let alert = root + "/alert.txt"
        try
            "Server  State   Name                         TargetResource  HealthSetName  AlertValue ServerComponent\r\nEX01    Online  ActiveSyncCTPMonitor         MSExchangeSync  ActiveSync     Unhealthy  None\r\n"
            .write(toFile: alert, atomically: true, encoding: .utf8)
        let r = try Binary.run(["--alert", alert, "SampleLogs/01-quiet-morning"])
        #expect(r.status == 65 && r.stderr.contains("ActiveSync") && r.stdout.isEmpty)
    }

    @Test func aClearedAlertRestartsNothing() throws {
        // MBX02's outage, read with a Get-ServerHealth paste where every IMAP monitor is Healthy again.
        let r = try Binary.run([
            "--format", "json", "--alert", "SampleLogs/13-failover-blip/alert.txt",
            "SampleLogs/02-mbx02-refusing-logons",
        ])
        let object = try Binary.json(r.stdout)
        let suspects = try #require((object["verdict"] as? [String: Any])?["suspects"] as? [[String: Any]])
        #expect(!suspects.isEmpty && suspects.allSatisfy { $0["hasRecovered"] as? Bool == true })
        for command in try commands(r.stdout) {
            #expect(!command.contains("Restart-"), "\(command)")
            #expect(!command.contains("MoveNow $true"), "\(command)")
        }
        let check = try Binary.run([
            "--check", "--alert", "SampleLogs/13-failover-blip/alert.txt", "SampleLogs/02-mbx02-refusing-logons",
        ])
        #expect(check.status == 1)
    }

    @Test func anAlertTheLogsDoNotCoverIsNoAllClear() throws {
        // 09's alert was raised on 2026-11-24; 01's logs are of 2026-11-16, and quiet.
        let r = try Binary.run(
            ["--alert", "SampleLogs/09-only-backend-logs/alert.txt", "SampleLogs/01-quiet-morning"],
            environment: ["TZ": "UTC"])
        #expect(r.status == 65)
        #expect(r.stdout.contains("I cannot tell: the logs do not cover the alert's time"))
        #expect(!r.stdout.contains("Restart-"))
    }

    @Test func failuresOutsideTheAlertsWindowAreSaid() throws {
        let root = try scratch()
        defer { try? FileManager.default.removeItem(atPath: root) }
        // Raised at 09:20: the window (08:20-09:50) ends before MBX02's databases go offline at 09:52.
        let alert = root + "/probe.txt"
        try """
        Name               : ImapCTPProbe
        ResultType         : Failed
        ExecutionStartTime : 2026-11-17T09:20:00Z
        MonitorIdentity    : IMAP\\ImapCTPMonitor

        """.write(toFile: alert, atomically: true, encoding: .utf8)
        let r = try Binary.run(["--alert", alert, "SampleLogs/02-mbx02-refusing-logons"])
        #expect(r.stdout.contains("Outside the alert's window"))
        #expect(r.stdout.contains("more failed commands"))
    }

    @Test func aClientAccessServerIsNotRestartedWhenAMailboxServerIsTheCause() throws {
        let alert = NSTemporaryDirectory() + "imaplog-cas-" + UUID().uuidString + ".txt"
        defer { try? FileManager.default.removeItem(atPath: alert) }
        try "CAS01     NotApplicable   ImapCTPMonitor       MSExchangeImap4      IMAP            Unhealthy  None\r\n"
            .write(toFile: alert, atomically: true, encoding: .utf8)
        let r = try Binary.run(["--format", "json", "--alert", alert, "SampleLogs/02-mbx02-refusing-logons"])
        let all = try commands(r.stdout)
        #expect(all.contains { $0.contains("Restart-Service MSExchangeIMAP4BE") && $0.contains("'MBX02.contoso.com'") })
        #expect(!all.contains { $0.contains("Restart-Service MSExchangeIMAP4 }") })
        #expect(all.contains { $0.contains("Get-ServerHealth 'CAS01'") })
    }
}
