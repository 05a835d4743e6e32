import Foundation
import Testing

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// `imaplog watch` driven as an admin would while Exchange writes: a test writer appends rows, rolls the hourly
/// files over, deletes one (retention) and cuts one short, and the watch's JSON lines (or its screen, on a
/// pseudo-terminal) are read as they come.
@Suite(.serialized)
struct WatchEndToEndTests {
    /// Writes front-end IMAP4 logs as Exchange 2016 does: CTP probe sessions through CAS01 and CAS02 to MBX01
    /// and MBX02, each session four rows, into `IMAP4<yyyyMMddHH>-1.LOG` of each front end's folder.
    final class LogWriter {
        let root: String
        var session = 0x100

        init(root: String) throws {
            self.root = root
            for server in ["CAS01", "CAS02"] {
                try FileManager.default.createDirectory(atPath: root + "/" + server, withIntermediateDirectories: true)
            }
        }

        static let header =
            "#Software: Microsoft Exchange Server\r\n#Version: 15.1.2507.39\r\n#Log-type: IMAP4 Log\r\n"
            + "#Date: 2026-12-06T10:00:00.000Z\r\n"
            + "#Fields: dateTime,sessionId,seqNumber,sIp,cIp,user,duration,rqsize,rpsize,command,parameters,context\r\n"

        /// The log file of `server` for the hour of `minute` (minutes after 2026-12-06 10:00).
        func path(_ server: String, minute: Int) -> String {
            String(format: "%@/%@/IMAP4202612%02d%02d-1.LOG", root, server, 6, 10 + minute / 60)
        }

        /// One probe session's rows at `minute`:`second` through `frontEnd` to `backEnd`, refused when `fails`.
        func session(minute: Int, second: Int, frontEnd: String, backEnd: String, fails: Bool) -> String {
            session += 1
            let id = String(format: "%016X", session)
            let time = String(format: "2026-12-06T%02d:%02d:%02d", 10 + minute / 60, minute % 60, second)
            let user = "HealthMailbox0123456789abcdef0123@contoso.com"
            let proxy = "\(backEnd).contoso.com:1993:SSL"
            let result =
                fails
                ? "\"R=\"\"z NO LOGIN failed. [Error=MailboxOfflineException Proxy=\(proxy)]\"\";Msg=Proxy:\(proxy)\""
                : "R=ok;Msg=Proxy:\(proxy)"
            let endpoints = "127.0.0.1:993,127.0.0.1:\(40_000 + session % 20_000)"
            return "\(time).100Z,\(id),0,\(endpoints),,1,20,60,OpenSession,,\r\n"
                + "\(time).150Z,\(id),1,\(endpoints),,1,20,60,capability,,R=ok\r\n"
                + "\(time).200Z,\(id),2,\(endpoints),\(user),40,20,60,login,\(user) *****,\(result)\r\n"
                + "\(time).900Z,\(id),3,\(endpoints),\(user),0,20,60,CloseSession,,\r\n"
        }

        /// Appends probe sessions for minutes `range`: each front end, every 30 s, to MBX01 then MBX02.
        ///
        /// Logons to MBX02 are refused when `mbx02Fails`. A file is started with its header when the hour rolls over.
        func write(minutes range: Range<Int>, mbx02Fails: Bool) throws {
            for minute in range {
                for (offset, server) in ["CAS01", "CAS02"].enumerated() {
                    var text = ""
                    for (half, backEnd) in ["MBX01", "MBX02"].enumerated() {
                        text += session(
                            minute: minute, second: 30 * half + offset, frontEnd: server, backEnd: backEnd,
                            fails: mbx02Fails && backEnd == "MBX02")
                    }
                    try append(text, to: path(server, minute: minute))
                }
            }
        }

        func append(_ text: String, to path: String) throws {
            if !FileManager.default.fileExists(atPath: path) {
                _ = FileManager.default.createFile(atPath: path, contents: Data(Self.header.utf8))
            }
            let handle = try FileHandle(forWritingTo: URL(fileURLWithPath: path))
            defer { try? handle.close() }
            try handle.seekToEnd()
            try handle.write(contentsOf: Data(text.utf8))
        }
    }

    /// A watch running in the background, its JSON lines read from a file as they are written.
    final class Watch {
        let process = Process()
        let outPath: String

        init(_ arguments: [String], folder: String) throws {
            outPath = folder + "/watch.ndjson"
            _ = FileManager.default.createFile(atPath: outPath, contents: nil)
            process.executableURL = URL(fileURLWithPath: Binary.path)
            process.arguments = arguments
            process.currentDirectoryURL = URL(fileURLWithPath: folder)
            process.standardInput = FileHandle.nullDevice
            process.standardOutput = try FileHandle(forWritingTo: URL(fileURLWithPath: outPath))
            process.standardError = FileHandle.nullDevice
            try process.run()
        }

        /// Every JSON line written so far.
        var lines: [[String: Any]] {
            let text = String(decoding: FileManager.default.contents(atPath: outPath) ?? Data(), as: UTF8.self)
            return text.split(separator: "\n").compactMap {
                try? JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any]
            }
        }

        var updates: [[String: Any]] { lines.filter { $0["type"] as? String == "update" } }

        /// Waits (at most `seconds`) until `condition` holds of the updates; returns them.
        @discardableResult
        func waitFor(seconds: Double = 60, _ condition: ([[String: Any]]) -> Bool) -> [[String: Any]] {
            let end = Date().addingTimeInterval(seconds)
            while Date() < end {
                let updates = self.updates
                if condition(updates) { return updates }
                usleep(50_000)
            }
            return updates
        }

        /// Stops the watch as Ctrl-C does; returns its exit status.
        func interrupt() -> Int32 {
            process.interrupt()
            process.waitUntilExit()
            return process.terminationStatus
        }
    }

    static func firstSuspect(_ update: [String: Any]) -> (server: String, recovered: Bool)? {
        guard let verdict = update["verdict"] as? [String: Any],
            let first = (verdict["suspects"] as? [[String: Any]])?.first,
            let server = first["server"] as? String
        else { return nil }
        return (server, first["hasRecovered"] as? Bool ?? false)
    }

    static func records(_ update: [String: Any]) -> Int { update["records"] as? Int ?? -1 }

    static func temporaryFolder() throws -> String {
        let folder = NSTemporaryDirectory() + "imaplog-watch-" + UUID().uuidString
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        return folder
    }

    @Test("the suspect appears within two looks of its failures, goes after the recovery; the end is the batch's")
    func suspectComesAndGoes() throws {
        let folder = try Self.temporaryFolder()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let logs = folder + "/Imap4"
        let writer = try LogWriter(root: logs)
        // Healthy for 20 minutes.
        try writer.write(minutes: 0..<20, mbx02Fails: false)
        let watch = try Watch(
            ["watch", "--interval", "0.5", "--format", "ndjson", "--monitor", "ImapCTPMonitor", logs], folder: folder)
        defer { if watch.process.isRunning { _ = watch.interrupt() } }
        // 20 minutes × 2 front ends × 2 sessions × 4 rows.
        var seen = watch.waitFor { $0.contains { Self.records($0) == 320 } }
        #expect(seen.contains { Self.records($0) == 320 })
        #expect(seen.allSatisfy { Self.firstSuspect($0)?.server != "MBX02.contoso.com" })

        // MBX02 refuses logons for 15 minutes.
        var before = watch.updates.count
        try writer.write(minutes: 20..<35, mbx02Fails: true)
        seen = watch.waitFor { $0.count >= before + 3 }
        let afterFailures = Array(seen.dropFirst(before))
        let named = afterFailures.prefix(2).firstIndex { Self.firstSuspect($0)?.server == "MBX02.contoso.com" }
        #expect(named != nil, "MBX02 is the first suspect within two looks of its failures being written")
        #expect(watch.lines.contains { $0["type"] as? String == "change" && $0["what"] as? String == "suspect" })

        // Logons succeed again for 35 minutes; the hour rolls over at 11:00 (new files).
        before = watch.updates.count
        try writer.write(minutes: 35..<70, mbx02Fails: false)
        seen = watch.waitFor { $0.count >= before + 3 }
        let afterRecovery = Array(seen.dropFirst(before))
        let cleared = afterRecovery.prefix(2).contains {
            guard let suspect = Self.firstSuspect($0) else { return true }
            return suspect.server != "MBX02.contoso.com" || suspect.recovered
        }
        #expect(cleared, "MBX02 is no longer blamed (or is said to have recovered) within two looks")

        // Retention deletes CAS02's 10:00 file, read already; kept aside to give the batch run the same lines.
        let rolledAway = writer.path("CAS02", minute: 0)
        let kept = try Data(contentsOf: URL(fileURLWithPath: rolledAway))
        try FileManager.default.removeItem(atPath: rolledAway)
        before = watch.updates.count
        watch.waitFor { $0.count >= before + 2 }
        try writer.write(minutes: 70..<72, mbx02Fails: false)
        watch.waitFor { $0.contains { Self.records($0) == 72 * 16 } }

        #expect(watch.interrupt() == 0)
        let final = try #require(watch.lines.last { $0["type"] as? String == "final" })
        var report = try #require(final["report"] as? [String: Any])
        // The one difference a batch run cannot have: the removed file is said to have been removed.
        var input = try #require(report["input"] as? [String: Any])
        var files = try #require(input["files"] as? [[String: Any]])
        let removed = try #require(files.firstIndex { $0["path"] as? String == rolledAway })
        let notices = files[removed]["notices"] as? [String] ?? []
        #expect(notices.contains { $0.hasPrefix("removed while followed") })
        files[removed]["notices"] = notices.filter { !$0.hasPrefix("removed while followed") }
        input["files"] = files
        report["input"] = input
        try kept.write(to: URL(fileURLWithPath: rolledAway))
        let batch = try Binary.run(["--format", "json", "--monitor", "ImapCTPMonitor", logs])
        let batchReport = try #require(
            try JSONSerialization.jsonObject(with: Data(batch.stdout.utf8)) as? [String: Any])
        #expect(NSDictionary(dictionary: report).isEqual(to: batchReport), "the final report is the batch run's")
        #expect((report["input"] as? [String: Any])?["records"] as? Int == 72 * 16)
    }

    @Test("a line still being written waits for its end; a file cut short is read again from its start")
    func partialLinesAndTruncation() throws {
        let folder = try Self.temporaryFolder()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let logs = folder + "/Imap4"
        let writer = try LogWriter(root: logs)
        try writer.write(minutes: 0..<2, mbx02Fails: false)
        let watch = try Watch(["watch", "--interval", "0.3", "--format", "ndjson", logs], folder: folder)
        defer { if watch.process.isRunning { _ = watch.interrupt() } }
        watch.waitFor { $0.contains { Self.records($0) == 32 } }

        // Half a session's first row, then, two looks later, the rest of it.
        let file = writer.path("CAS01", minute: 2)
        let row = writer.session(minute: 2, second: 0, frontEnd: "CAS01", backEnd: "MBX01", fails: false)
        let cut = row.index(row.startIndex, offsetBy: 40)
        try writer.append(String(row[..<cut]), to: file)
        let before = watch.updates.count
        let held = watch.waitFor { $0.count >= before + 3 }
        #expect(held.last.map(Self.records) == 32, "the unfinished line is not counted")
        #expect(held.allSatisfy { ($0["lines"] as? Int ?? 0) == 32 + 10 })
        try writer.append(String(row[cut...]), to: file)
        watch.waitFor { $0.contains { Self.records($0) == 36 } }
        #expect(watch.updates.contains { Self.records($0) == 36 })

        // CAS02's file is cut to nothing and written again: its new lines are another file of the same name.
        let cas02 = writer.path("CAS02", minute: 0)
        try Data(LogWriter.header.utf8).write(to: URL(fileURLWithPath: cas02))
        try writer.write(minutes: 2..<3, mbx02Fails: false)
        watch.waitFor { $0.contains { Self.records($0) == 36 + 8 + 8 } }
        #expect(watch.interrupt() == 0)
        let final = try #require(watch.lines.last { $0["type"] as? String == "final" })
        let input = try #require((final["report"] as? [String: Any])?["input"] as? [String: Any])
        // Every line read is accounted for: the first CAS02 file's 5 + 16 lines, its second life's 5 + 8, CAS01's
        // 5 + 16 + 4 + 8 (the half line among them, once whole).
        #expect(input["records"] as? Int == 16 + 8 + 20 + 8)
        #expect(input["lines"] as? Int == (5 + 16) + (5 + 8) + (5 + 16 + 4 + 8))
        let files = (input["files"] as? [[String: Any]] ?? []).compactMap { $0["path"] as? String }
        #expect(files.filter { $0 == cas02 }.count == 2)
        #expect(input["skipped"] as? Int == 0)
    }

    @Test("the live screen fits 80 columns on a terminal, and q ends it with the full report")
    func screenOnATerminal() throws {
        let folder = try Self.temporaryFolder()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let logs = folder + "/Imap4"
        let writer = try LogWriter(root: logs)
        try writer.write(minutes: 0..<20, mbx02Fails: false)
        try writer.write(minutes: 20..<35, mbx02Fails: true)

        var master: Int32 = 0
        var slave: Int32 = 0
        var size = winsize(ws_row: 40, ws_col: 80, ws_xpixel: 0, ws_ypixel: 0)
        try #require(openpty(&master, &slave, nil, nil, &size) == 0)
        defer { close(master) }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: Binary.path)
        process.arguments = ["watch", "--interval", "0.5", "--monitor", "ImapCTPMonitor", logs]
        var environment = ProcessInfo.processInfo.environment
        environment["TERM"] = "xterm"
        environment["COLUMNS"] = nil
        process.environment = environment
        let terminal = FileHandle(fileDescriptor: slave, closeOnDealloc: false)
        process.standardInput = terminal
        process.standardOutput = terminal
        process.standardError = terminal
        try process.run()
        close(slave)

        var output = [UInt8]()
        func read(until done: ([UInt8]) -> Bool, seconds: Double) {
            let end = Date().addingTimeInterval(seconds)
            var buffer = [UInt8](repeating: 0, count: 65_536)
            while Date() < end && !done(output) {
                var entry = pollfd(fd: master, events: Int16(POLLIN), revents: 0)
                guard poll(&entry, 1, 100) > 0 else { continue }
                let n = buffer.withUnsafeMutableBytes { systemRead(master, $0.baseAddress, $0.count) }
                if n <= 0 { break }
                output += buffer[0..<n]
            }
        }
        func text() -> String { String(decoding: output, as: UTF8.self) }
        read(until: { String(decoding: $0, as: UTF8.self).contains("Suspect: MBX02") }, seconds: 60)
        #expect(text().contains("Suspect: MBX02"))
        // Two frames at least, so the last is whole.
        read(until: { String(decoding: $0, as: UTF8.self).components(separatedBy: "\u{1B}[H").count > 3 }, seconds: 10)
        _ = "q".withCString { write(master, $0, 1) }
        read(until: { _ in !process.isRunning }, seconds: 30)
        read(until: { _ in false }, seconds: 0.5)
        process.waitUntilExit()
        #expect(process.terminationStatus == 0)

        let all = text()
        let parts = all.components(separatedBy: "\u{1B}[?1049l")
        try #require(parts.count == 2, "the screen is left for the report")
        let frames = parts[0].components(separatedBy: "\u{1B}[H")
        let frame = frames[frames.count - 2]
        let lines = frame.replacingOccurrences(of: "\u{1B}[K", with: "").replacingOccurrences(of: "\u{1B}[J", with: "")
            .replacingOccurrences(of: "\r", with: "").split(separator: "\n", omittingEmptySubsequences: false)
        #expect(lines.count > 10)
        for line in lines { #expect(line.count <= 80, "\(line)") }
        #expect(lines.contains { $0.hasPrefix("VERDICT") })
        #expect(lines.contains { $0.hasPrefix("MBX02.contoso.com") && $0.contains("failing") })
        #expect(lines.contains { $0.contains("CAS01 → MBX02  MailboxOfflineException  IMAP420261206") })
        // The full report, as a batch run prints it.
        #expect(parts[1].contains("MBX02"))
        #expect(parts[1].contains("Next steps") || parts[1].contains("NEXT STEPS"))
    }
}

/// `read(2)`, named apart from the test's own `read(until:)`.
private func systemRead(_ fd: Int32, _ buffer: UnsafeMutableRawPointer?, _ count: Int) -> Int {
    #if canImport(Glibc)
        Glibc.read(fd, buffer, count)
    #else
        Darwin.read(fd, buffer, count)
    #endif
}
