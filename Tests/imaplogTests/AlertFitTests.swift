import Foundation
import Testing

/// What the third trial on held-out situations found (issue 5): the alert's time and server choose between two
/// faults, an alert far from the logs or whose server was not read is no answer, a hung service's `* BYE` is a
/// failure, probes that stop on every server at once blame none.
@Suite("The alert chooses between faults", .serialized)
struct AlertFitTests {
    private static let header =
        "#Software: Microsoft Exchange Server\r\n#Version: 15.0.0.0\r\n#Log-type: IMAP4 Protocol Log\r\n"
        + "#Fields: dateTime,sessionId,seqNumber,sIp,cIp,user,duration,rqsize,rpsize,command,parameters,context\r\n"

    private static let frontEnds = [("CAS01", "10.0.1.11"), ("CAS02", "10.0.1.12")]
    private static let backEnds = ["MBX01.contoso.com", "MBX02.contoso.com"]

    /// A fresh folder under the temporary folder, removed by `defer` in each test.
    private func scratch() throws -> String {
        let folder = NSTemporaryDirectory() + "imaplog-alertfit-" + UUID().uuidString
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        return folder
    }

    private static func time(_ minute: Int, _ second: Int = 0) -> String {
        "2026-11-27T\(String(format: "%02d:%02d:%02d", 9 + minute / 60, minute % 60, second)).000Z"
    }

    /// Two front ends' logs over `minutes`: every minute each logs on once to each back end (users), and runs its
    /// proxy-test probe (a loopback session without logon) while `probesUntil` allows; `failure` says which
    /// logons fail and how (an `ErrMsg`).
    private func writeFrontEnds(
        to root: String, minutes: Int = 90, probesUntil: Int = 90, logsUntil: [String: Int] = [:],
        failure: (String, String, Int) -> String?
    ) throws {
        for (index, (name, address)) in Self.frontEnds.enumerated() {
            var log = Self.header
            var session = 1 + index * 100_000
            func row(
                _ minute: Int, _ second: Int, _ client: String, _ user: String, _ command: String, _ context: String
            ) {
                log +=
                    "\(Self.time(minute, second)),\(String(format: "%016X", session)),1,\(address):993,\(client),"
                    + "\(user),15,40,30,\(command),,\(context)\r\n"
            }
            for minute in 0..<(logsUntil[name] ?? minutes) {
                for (b, backEnd) in Self.backEnds.enumerated() {
                    session += 1
                    let user = "u\(minute)x\(b)@contoso.com"
                    let proxy = "Msg=Proxy:\(backEnd):1993:SSL"
                    let context =
                        failure(name, backEnd, minute).map { "\"R=\"\"a NO LOGIN failed.\"\";\(proxy);ErrMsg=\($0)\"" }
                        ?? "\"R=ok;\(proxy)\""
                    row(minute, 10 + b, "10.20.30.\(40 + b):5\(b)000", user, "login", context)
                }
                if minute < probesUntil {
                    session += 1
                    row(minute, 30, "127.0.0.1:6\(index)000", "", "capability", "R=ok")
                }
            }
            let folder = root + "/" + name
            try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
            try log.write(toFile: folder + "/IMAP420261127-1.LOG", atomically: true, encoding: .utf8)
        }
    }

    private func alert(_ root: String, server: String, monitor: String = "ImapCTPMonitor", at time: String?) throws
        -> String
    {
        // Get-ServerHealth's Format-List form, which has room for the time.
        var text =
            "Server             : \(server)\r\nName               : \(monitor)\r\n"
            + "TargetResource     : MSExchangeImap4\r\nHealthSetName      : IMAP\r\nAlertValue         : Unhealthy\r\n"
        if let time { text += "LastTransitionTime : \(time)\r\n" }
        let path = root + "/alert.txt"
        try text.write(toFile: path, atomically: true, encoding: .utf8)
        return path
    }

    private func firstSuspect(_ json: String) throws -> String? {
        let verdict = try #require(try Binary.json(json)["verdict"] as? [String: Any])
        let suspects = try #require(verdict["suspects"] as? [[String: Any]])
        return suspects.first?["server"] as? String
    }

    @Test func theFaultBehindTheAlertsServerComesFirst() throws {
        let root = try scratch()
        defer { try? FileManager.default.removeItem(atPath: root) }
        // From minute 10, CAS02 cannot authenticate to any back end (a certificate), and MBX02's mailboxes go
        // offline for everyone; the alert is CAS01's, whose failures are all MBX02's.
        try writeFrontEnds(to: root + "/logs") { frontEnd, backEnd, minute in
            guard minute >= 10 else { return nil }
            if frontEnd == "CAS02" { return "ProxyNotAuthenticated" }
            return backEnd.hasPrefix("MBX02") ? "MailboxOfflineException" : nil
        }
        let path = try alert(root, server: "CAS01", at: nil)
        let r = try Binary.run(["--format", "json", "--alert", path, root + "/logs"])
        #expect(try firstSuspect(r.stdout) == "MBX02.contoso.com")
        // The monitor is checked where it was raised; the other front end's fault still has its own steps.
        let steps = try #require(try Binary.json(r.stdout)["nextSteps"] as? [[String: Any]])
        #expect((steps.first?["command"] as? String)?.contains("Get-ServerHealth 'CAS01'") == true)
        #expect(
            steps.contains { ($0["command"] as? String)?.contains("Get-ExchangeCertificate -Server 'CAS02'") == true })
    }

    @Test func theFaultOnAtTheAlertsTimeComesFirst() throws {
        let root = try scratch()
        defer { try? FileManager.default.removeItem(atPath: root) }
        // MBX01 fails for ten minutes, then MBX02 for ten minutes half an hour later; both within the alert's window.
        try writeFrontEnds(to: root + "/logs") { _, backEnd, minute in
            if backEnd.hasPrefix("MBX01") && (20..<30).contains(minute) { return "MailboxOfflineException" }
            if backEnd.hasPrefix("MBX02") && (50..<60).contains(minute) { return "MailboxOfflineException" }
            return nil
        }
        for (at, expected) in [
            ("2026-11-27 09:27:00Z", "MBX01.contoso.com"), ("2026-11-27 09:57:00Z", "MBX02.contoso.com"),
        ] {
            let path = try alert(root, server: "CAS01", at: at)
            let r = try Binary.run(["--format", "json", "--tz", "UTC", "--alert", path, root + "/logs"])
            #expect(try firstSuspect(r.stdout) == expected, "alert at \(at)")
        }
    }

    @Test func anAlertDaysFromTheLogsIsNoVerdict() throws {
        let root = try scratch()
        defer { try? FileManager.default.removeItem(atPath: root) }
        try writeFrontEnds(to: root + "/logs") { _, backEnd, minute in
            backEnd.hasPrefix("MBX02") && minute >= 10 ? "MailboxOfflineException" : nil
        }
        let path = try alert(root, server: "CAS01", at: "2026-11-23 08:12:40Z")
        let r = try Binary.run(["--format", "json", "--tz", "UTC", "--alert", path, root + "/logs"])
        #expect(r.status == 65)
        let verdict = try #require(try Binary.json(r.stdout)["verdict"] as? [String: Any])
        let said = try #require(verdict["summary"] as? String)
        #expect(said.hasPrefix("I cannot tell what raised the alert: the logs start 96 hours after its time"))
        // What the logs show is said, but nothing is restarted or moved on its strength: only the check.
        #expect(said.contains("What the logs show of their own time: Most likely responsible: MBX02.contoso.com"))
        let steps = try #require(try Binary.json(r.stdout)["nextSteps"] as? [[String: Any]])
        #expect(steps.count == 1 && (steps.first?["command"] as? String)?.contains("Get-ServerHealth 'CAS01'") == true)
    }

    @Test func anAlertWhoseServerWasNotReadIsNoAllClear() throws {
        let root = try scratch()
        defer { try? FileManager.default.removeItem(atPath: root) }
        try writeFrontEnds(to: root + "/logs") { _, _, _ in nil }
        let path = try alert(root, server: "CAS03", monitor: "ImapProxyTestMonitor", at: nil)
        let r = try Binary.run(
            ["--check", "--alert", path, root + "/logs"], environment: ["IMAPLOG_NOW": "2026-11-27T10:31:00Z"])
        #expect(r.status == 3)
        #expect(
            r.stdout.hasPrefix("IMAP UNKNOWN - I cannot tell: none of the logs of the alert's server CAS03 were read"))
    }

    @Test func probesStoppingOnEveryServerAtOnceBlameNone() throws {
        let root = try scratch()
        defer { try? FileManager.default.removeItem(atPath: root) }
        // Both front ends' proxy-test probes stop at minute 40 while CAS01's users go on (CAS02's logs end soon
        // after): the Health Manager, or the collection, not CAS01.
        try writeFrontEnds(to: root + "/logs", probesUntil: 40, logsUntil: ["CAS02": 42]) { _, _, _ in nil }
        let r = try Binary.run(["--format", "json", "--monitor", "ImapProxyTestMonitor", root + "/logs"])
        #expect(try firstSuspect(r.stdout) == nil)
        let monitors = try #require(try Binary.json(r.stdout)["monitors"] as? [[String: Any]])
        #expect((monitors.first?["summary"] as? String)?.contains("stops on most servers at once") == true)
        #expect(!r.stdout.contains("Restart-Computer"))
    }

    @Test func aServiceThatSaysByeInsteadOfAnsweringFails() throws {
        let root = try scratch()
        defer { try? FileManager.default.removeItem(atPath: root) }
        var log = Self.header
        for minute in 0..<30 {
            let answer = minute >= 10 ? "\"R=\"\"* BYE Connection is closed. 13\"\"\"" : "R=ok"
            log +=
                "\(Self.time(minute, 30)),\(String(format: "%016X", minute + 1)),1,10.0.1.12:993,127.0.0.1:60000,,"
                + "\(minute >= 10 ? 30000 : 15),14,40,capability,,\(answer)\r\n"
        }
        try FileManager.default.createDirectory(atPath: root + "/CAS02", withIntermediateDirectories: true)
        try log.write(toFile: root + "/CAS02/IMAP420261127-1.LOG", atomically: true, encoding: .utf8)
        let r = try Binary.run(["--format", "csv", "--table", "errors", root])
        #expect(r.stdout.contains("service,BYE,Connection is closed. 13,20,CAS02,"))
        let json = try Binary.run(["--format", "json", "--monitor", "ImapProxyTestMonitor", root])
        let verdict = try #require(try Binary.json(json.stdout)["verdict"] as? [String: Any])
        let suspect = try #require((verdict["suspects"] as? [[String: Any]])?.first)
        #expect(suspect["server"] as? String == "CAS02")
        // Its failing minutes are counted, not "0 of 30 failed".
        #expect((suspect["failures"] as? Int ?? 0) >= 20)
    }

    @Test func anExchange2010ServerFailingItsLogonsIsNamedWith2010Steps() throws {
        let root = try scratch()
        defer { try? FileManager.default.removeItem(atPath: root) }
        // Exchange 2010: the Client Access server's IMAP4 service opens the mailboxes itself, no back end named.
        for (name, address) in [("CAS10A", "10.5.0.41"), ("CAS10B", "10.5.0.42")] {
            var log =
                "#Software: Microsoft Exchange Server\r\n#Version: 14.3.123.4\r\n#Log-type: IMAP4 Protocol Log\r\n"
                + "#Fields: date-time,connector-id,session-id,sequence-number,local-endpoint,remote-endpoint,event,data,"
                + "context\r\n"
            for minute in 0..<40 {
                let session = String(format: "08CD5A19%08X", minute + (name == "CAS10A" ? 0 : 1000))
                let answer =
                    name == "CAS10B" && minute >= 10 ? "a2 NO Server Unavailable. 15" : "a2 OK LOGIN completed."
                let rows = [
                    ("+", ""), (">", "* OK The Microsoft Exchange IMAP4 service is ready."),
                    ("<", "a2 LOGIN u\(minute)@contoso.com *****"), (">", answer), ("-", ""),
                ]
                for (sequence, (event, data)) in rows.enumerated() {
                    log +=
                        "\(Self.time(minute, sequence)),,\(session),\(sequence),\(address):993,10.20.1.\(minute + 2):50000,"
                        + "\(event),\(data),\r\n"
                }
            }
            try FileManager.default.createDirectory(atPath: root + "/" + name, withIntermediateDirectories: true)
            try log.write(toFile: root + "/\(name)/IMAP420261127-1.LOG", atomically: true, encoding: .utf8)
        }
        let r = try Binary.run(["--format", "json", root])
        #expect(try firstSuspect(r.stdout) == "CAS10B")
        let commands = try #require(try Binary.json(r.stdout)["nextSteps"] as? [[String: Any]]).compactMap {
            $0["command"] as? String
        }
        // 2010 has no health sets, probes or certificates between front and back end: its own test and service.
        #expect(commands.first == "Test-ImapConnectivity -ClientAccessServer 'CAS10B'")
        #expect(commands.contains("Invoke-Command -ComputerName 'CAS10B' { Restart-Service MSExchangeIMAP4 }"))
        #expect(!commands.contains { $0.contains("Get-ServerHealth") || $0.contains("Invoke-MonitoringProbe") })
        #expect(!commands.contains { $0.contains("Get-ExchangeCertificate") })
    }
}

/// Found by the summary fuzzing's author: a log's 18-digit duration overflowed the latency sums.
@Suite("Numbers a crafted log holds")
struct CraftedNumberTests {
    @Test func anEighteenDigitDurationIsNoCrash() throws {
        let folder = NSTemporaryDirectory() + "imaplog-numbers-" + UUID().uuidString
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: folder) }
        var log =
            "#Fields: dateTime,sessionId,seqNumber,sIp,cIp,user,duration,rqsize,rpsize,command,parameters,context\r\n"
        for row in 0..<13 {
            log +=
                "2026-11-17T09:00:\(String(format: "%02d", row)).000Z,\(String(format: "%016X", row + 1)),1,"
                + "10.0.1.11:993,10.20.1.1:5000,u@x.com,999999999999999999,999999999999999999,1,select,INBOX,R=ok\r\n"
        }
        try log.write(toFile: folder + "/IMAP420261117-1.LOG", atomically: true, encoding: .utf8)
        let r = try Binary.run(["--format", "json", folder])
        #expect(r.status == 0)
        #expect(try Binary.json(r.stdout)["input"] != nil)
    }
}
