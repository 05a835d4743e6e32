import Foundation
import Testing

/// Runs the built `imaplog` as a user would and checks stdout, stderr and the exit status.
enum Binary {
    static let packageRoot: String = {
        var url = URL(fileURLWithPath: #filePath)
        for _ in 0..<3 { url.deleteLastPathComponent() }
        return url.path
    }()

    static let sampleLogs = packageRoot + "/SampleLogs"

    /// The `imaplog` built next to this test bundle.
    static let path: String = {
        var candidates: [String] = []
        if let override = ProcessInfo.processInfo.environment["IMAPLOG_BINARY"] { candidates.append(override) }
        candidates.append(URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent().path + "/imaplog")
        for bundle in Bundle.allBundles where bundle.bundlePath.hasSuffix(".xctest") {
            candidates.append(bundle.bundleURL.deletingLastPathComponent().path + "/imaplog")
        }
        candidates.append(packageRoot + "/.build/debug/imaplog")
        return candidates.first { FileManager.default.isExecutableFile(atPath: $0) } ?? candidates.last ?? "imaplog"
    }()

    struct Result {
        var status: Int32
        var stdout: String
        var stderr: String
    }

    /// Runs imaplog with `arguments`, standard input from `stdinFile` (else an empty file), output to files.
    static func run(_ arguments: [String], stdinFile: String? = nil, environment: [String: String] = [:]) throws
        -> Result
    {
        let folder = NSTemporaryDirectory() + "imaplog-e2e-" + UUID().uuidString
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let outPath = folder + "/out"
        let errPath = folder + "/err"
        _ = FileManager.default.createFile(atPath: outPath, contents: nil)
        _ = FileManager.default.createFile(atPath: errPath, contents: nil)
        let input = stdinFile ?? folder + "/empty"
        if stdinFile == nil { _ = FileManager.default.createFile(atPath: input, contents: nil) }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: path)
        process.arguments = arguments
        process.currentDirectoryURL = URL(fileURLWithPath: packageRoot)
        var env = ProcessInfo.processInfo.environment
        env["COLUMNS"] = "120"
        for (k, v) in environment { env[k] = v }
        process.environment = env
        process.standardInput = try FileHandle(forReadingFrom: URL(fileURLWithPath: input))
        process.standardOutput = try FileHandle(forWritingTo: URL(fileURLWithPath: outPath))
        process.standardError = try FileHandle(forWritingTo: URL(fileURLWithPath: errPath))
        try process.run()
        process.waitUntilExit()
        let out = String(decoding: FileManager.default.contents(atPath: outPath) ?? Data(), as: UTF8.self)
        let err = String(decoding: FileManager.default.contents(atPath: errPath) ?? Data(), as: UTF8.self)
        return Result(status: process.terminationStatus, stdout: out, stderr: err)
    }

    /// Runs a shell pipeline (bash), `$IMAPLOG` standing for the binary.
    static func shell(_ script: String) throws -> Result {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/bin/bash")
        process.arguments = ["-c", script]
        process.currentDirectoryURL = URL(fileURLWithPath: packageRoot)
        var env = ProcessInfo.processInfo.environment
        env["IMAPLOG"] = path
        process.environment = env
        let out = Pipe()
        let err = Pipe()
        process.standardOutput = out
        process.standardError = err
        try process.run()
        // Read the pipes before waiting, so a full pipe cannot stall the child.
        let outData = out.fileHandleForReading.readDataToEndOfFile()
        let errData = err.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return Result(
            status: process.terminationStatus, stdout: String(decoding: outData, as: UTF8.self),
            stderr: String(decoding: errData, as: UTF8.self))
    }

    static func json(_ text: String) throws -> [String: Any] {
        try #require(try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any])
    }
}

@Suite("imaplog, end to end", .serialized)
struct EndToEndTests {
    @Test func helpAndVersion() throws {
        let help = try Binary.run(["--help"])
        #expect(help.status == 0 && help.stdout.contains("Usage:") && help.stdout.contains("Exit status"))
        let version = try Binary.run(["--version"])
        #expect(version.status == 0 && version.stdout.hasPrefix("imaplog "))
    }

    @Test func badCommandLinesExit64WithAHint() throws {
        let unknown = try Binary.run(["--formt", "json", "SampleLogs"])
        #expect(unknown.status == 64)
        #expect(unknown.stderr.contains("unknown option '--formt'") && unknown.stderr.contains("--format"))
        #expect(unknown.stdout.isEmpty)
        let badValue = try Binary.run(["--format", "xml", "SampleLogs"])
        #expect(badValue.status == 64 && badValue.stderr.contains("text, json, csv or html"))
        let badTime = try Binary.run(["--since", "yesterday-ish", "SampleLogs"])
        #expect(badTime.status == 64 && badTime.stderr.contains("--since"))
    }

    @Test func theSampleLogsReportPutsTheAnswerFirst() throws {
        let r = try Binary.run(["SampleLogs"])
        #expect(r.status == 0, "\(r.stderr)")
        let lines = r.stdout.split(separator: "\n")
        #expect(lines.first?.hasPrefix("imaplog ") == true)
        #expect(lines.dropFirst(2).first == "VERDICT")
        // All the stories at once: each incident's monitor names its server, and no other monitor fires (the
        // nights between stories are no probe gap).
        let verdict = r.stdout.components(separatedBy: "NEXT STEPS").first ?? ""
        // ImapCTPMonitor: CAS01's certificate day, MBX02's outage, MBX01's, and MBX03's blip, each in its episode;
        // CAS02's hang, though the night after it has no log at all.
        for fired in [
            "ImapCTPMonitor: the failures point at CAS01, MBX02.contoso.com, MBX01.contoso.com, MBX03.contoso.com.",
            "ImapProxyTestMonitor: ImapProxyTestProbe stops or fails on CAS02.",
            "ImapDeepTestMonitor: the deep test fails on MBX02.contoso.com.",
            "AverageCommandProcessingTimeGt60sMonitor: fires on EX02.contoso.com, MBX03.contoso.com.",
        ] {
            #expect(verdict.contains(fired), "\(fired)")
        }
        #expect(!verdict.contains("ImapSelfTestMonitor"))
        #expect(r.stdout.contains("WHAT STANDS OUT"))
        // Over all five days MBX02's incident is short, but it holds the back ends' server-side failures.
        let answer = r.stdout.components(separatedBy: "SERVERS").first ?? ""
        #expect(answer.contains("MBX02.contoso.com (back end)"))
        #expect(answer.contains("MBX03.contoso.com (back end) was slow from 2026-11-18 13:5"))
        #expect(!r.stdout.contains("\u{1B}"))  // not a terminal: no colour
        #expect(r.stderr.isEmpty)
    }

    @Test func jsonCountsAddUpForEveryFileAndInTotal() throws {
        let r = try Binary.run(["--format", "json", "SampleLogs"])
        #expect(r.status == 0)
        let object = try Binary.json(r.stdout)
        let input = try #require(object["input"] as? [String: Any])
        let files = try #require(input["files"] as? [[String: Any]])
        // Every file of every story, POP3's among them (each story's files: SampleLogs/README.md).
        let onDisk = try FileManager.default.subpathsOfDirectory(atPath: Binary.sampleLogs).filter {
            let name = ($0 as NSString).lastPathComponent.uppercased()
            return name.hasSuffix(".LOG") || name.hasSuffix(".LOG.GZ")
        }
        let inArchives = 4  // 05-collected-archives: CAS01.zip and CAS02.zip, two logs each
        #expect(files.count == onDisk.count + inArchives)
        for file in files {
            let lines = file["lines"] as? Int ?? -1
            let parts =
                (file["headerLines"] as? Int ?? 0) + (file["records"] as? Int ?? 0) + (file["skipped"] as? Int ?? 0)
            #expect(lines == parts, "\(file["path"] ?? "?")")
        }
        #expect(
            input["lines"] as? Int == (input["headerLines"] as? Int ?? 0) + (input["records"] as? Int ?? 0)
                + (input["skipped"] as? Int ?? 0))
        #expect(object["schemaVersion"] as? Int == 1)
    }

    @Test func pipingAFoldersFilesGivesTheSameCountsAsReadingTheFolder() throws {
        let story = "SampleLogs/03-slow-mbx03"
        let folder = try Binary.json(try Binary.run(["--format", "json", story]).stdout)["input"] as? [String: Any]
        let piped = try Binary.shell("cat \(story)/*/*.LOG | \"$IMAPLOG\" --format json")
        #expect(piped.status == 0, "\(piped.stderr)")
        let input = try Binary.json(piped.stdout)["input"] as? [String: Any]
        for key in ["lines", "headerLines", "records", "skipped"] {
            #expect(input?[key] as? Int == folder?[key] as? Int, "\(key)")
        }
        // `-` and a .gz on standard input work too.
        let gz = try Binary.shell("cat \(story)/MBX03/*.LOG | gzip | \"$IMAPLOG\" - --format csv --table commands")
        #expect(gz.status == 0 && gz.stdout.hasPrefix("command,count,failures"))
    }

    @Test func aFolderNamedTwiceIsCountedOnce() throws {
        let story = "SampleLogs/03-slow-mbx03"
        let once = try Binary.run(["--format", "json", story])
        let twice = try Binary.run(["--format", "json", story, "./\(story)/", "\(story)/MBX03"])
        #expect(twice.status == once.status)
        #expect(twice.stdout == once.stdout)
        // Every log of the story a second time, and MBX03's a third.
        let repeated = Self.logCount(story) + Self.logCount("\(story)/MBX03")
        #expect(repeated > 2)
        #expect(twice.stderr.contains("imaplog: \(repeated) logs were named more than once; each is read once."))
        #expect(!once.stderr.contains("more than once"))
    }

    static func logCount(_ folder: String) -> Int {
        let enumerator = FileManager.default.enumerator(atPath: "\(Binary.packageRoot)/\(folder)")
        var count = 0
        while let next = enumerator?.nextObject() as? String {
            if next.uppercased().hasSuffix(".LOG") { count += 1 }
        }
        return count
    }

    @Test func inputThatCannotBeReadExits66() throws {
        let missing = try Binary.run(["SampleLogs/no-such-folder"])
        #expect(missing.status == 66)
        #expect(missing.stderr.contains("SampleLogs/no-such-folder: no such file or folder"))
        let empty = NSTemporaryDirectory() + "imaplog-empty-" + UUID().uuidString
        defer { try? FileManager.default.removeItem(atPath: empty) }
        try FileManager.default.createDirectory(atPath: empty, withIntermediateDirectories: true)
        let none = try Binary.run([empty])
        #expect(none.status == 66 && none.stderr.contains("no IMAP4 or POP3 protocol logs found"))
    }

    /// Each fatal error names the path and says what to do about it.
    @Test func everyErrorNamesThePathAndWhatToDo() throws {
        let folder = NSTemporaryDirectory() + "imaplog-errors-" + UUID().uuidString
        defer { try? FileManager.default.removeItem(atPath: folder) }
        try FileManager.default.createDirectory(atPath: folder + "/MBX02", withIntermediateDirectories: true)
        // A .gz whose deflate data is damaged half-way.
        let gz = "SampleLogs/05-collected-archives/MBX02/IMAP4BE2026112010-1.LOG.gz"
        var bytes = Array(try #require(FileManager.default.contents(atPath: Binary.packageRoot + "/" + gz)))
        for i in (bytes.count / 2)..<(bytes.count / 2 + 64) { bytes[i] ^= 0x5A }
        _ = FileManager.default.createFile(atPath: folder + "/MBX02/IMAP4BE2026112010-1.LOG.gz", contents: Data(bytes))
        let damagedGzip = try Binary.run([folder + "/MBX02"])
        // Nothing before the damage came out (the file is small): nothing read, 66; else the report and 74.
        #expect(damagedGzip.status == 66 || damagedGzip.status == 74)
        #expect(damagedGzip.stderr.contains("IMAP4BE2026112010-1.LOG.gz: compressed data is damaged near byte"))
        #expect(damagedGzip.stderr.contains("check the archive with gzip -t"))

        _ = FileManager.default.createFile(atPath: folder + "/CAS01.zip", contents: Data("PK not a zip".utf8))
        let badZip = try Binary.run([folder + "/CAS01.zip"])
        #expect(badZip.status == 66 || badZip.status == 74)
        #expect(badZip.stderr.contains("CAS01.zip: not a readable .zip archive") && badZip.stderr.contains("unzip -t"))

        let noAlert = try Binary.run(["--alert", folder + "/no-alert.txt", "SampleLogs/01-quiet-morning"])
        #expect(
            noAlert.status == 66 && noAlert.stderr.contains("no-alert.txt: cannot read the alert file. Check the path"))

        let missing = try Binary.run([folder + "/IMAP4BE2026112010-1.LOG"])
        #expect(missing.status == 66 && missing.stderr.contains("no such file or folder. Check the path"))
        #expect(missing.stderr.contains("Get-ImapSettings"))

        #if os(Linux)
            // A file that opens but cannot be read: /proc/self/mem fails with EIO at byte 0.
            let unreadable = try Binary.run(["/proc/self/mem"])
            #expect(unreadable.status == 66 || unreadable.status == 74)
            #expect(unreadable.stderr.contains("/proc/self/mem: read failed at byte 0"))
            #expect(unreadable.stderr.contains("copy the file again and retry"))
            // One that cannot be opened at all: a socket.
            let socket = folder + "/IMAP42026112010-1.LOG"
            let made = try Binary.shell(
                "python3 -c 'import socket,sys; socket.socket(socket.AF_UNIX).bind(sys.argv[1])' \(socket)")
            if made.status == 0 {
                let cannotOpen = try Binary.run([socket])
                #expect(cannotOpen.status == 66)
                #expect(
                    cannotOpen.stderr.contains("IMAP42026112010-1.LOG: cannot open (")
                        && cannotOpen.stderr.contains("Check that you may read it"))
            }
        #endif
    }

    @Test func partlyUnreadableInputExits74AfterTheReport() throws {
        let r = try Binary.run(["SampleLogs/01-quiet-morning", "SampleLogs/missing"])
        #expect(r.status == 74)
        #expect(r.stdout.contains("WHAT STANDS OUT"))
        #expect(r.stderr.contains("SampleLogs/missing"))
    }

    @Test func aFileWithNoRecordsExits65AndSaysWhy() throws {
        let path = NSTemporaryDirectory() + "imaplog-notes-" + UUID().uuidString + ".txt"
        defer { try? FileManager.default.removeItem(atPath: path) }
        try "Dear admin,\nthese are not logs.\n".write(toFile: path, atomically: true, encoding: .utf8)
        let r = try Binary.run([path])
        #expect(r.status == 65)
        #expect(r.stderr.contains("no log records") && r.stderr.contains("too few fields"))
    }

    @Test func aClosedPipeEndsQuietly() throws {
        let r = try Binary.shell(
            "\"$IMAPLOG\" --format json SampleLogs | head -c 10 >/dev/null; echo \"status=${PIPESTATUS[0]}\"")
        #expect(r.stdout.contains("status=0"))
        #expect(r.stderr.isEmpty)
    }

    @Test func csvTablesAndFilters() throws {
        let errors = try Binary.run([
            "--format", "csv", "--table", "errors", "--server", "mbx02", "SampleLogs/02-mbx02-refusing-logons",
        ])
        #expect(errors.status == 0)
        let rows = errors.stdout.split(separator: "\r\n")
        #expect(rows.first == "class,code,message,count,servers,example")
        #expect(rows.dropFirst().allSatisfy { $0.contains("MBX02.contoso.com") })
        let since = try Binary.run([
            "--format", "json", "--since", "2026-11-17 10:00", "--until", "2026-11-17T10:10:00Z",
            "SampleLogs/02-mbx02-refusing-logons",
        ])
        let input = try Binary.json(since.stdout)["input"] as? [String: Any]
        #expect((input?["filteredOut"] as? Int ?? 0) > 0)
        #expect((input?["first"] as? String ?? "") >= "2026-11-17T10:00:00")
        #expect((input?["last"] as? String ?? "z") < "2026-11-17T10:10:00")
    }

    @Test func patternsAreExpandedByTheToolAndColourIsOptIn() throws {
        let r = try Binary.run(["SampleLogs/0?-quiet-morning/MBX0*/IMAP4BE*.LOG", "--color", "always"])
        #expect(r.status == 0)
        #expect(r.stdout.contains("6 files"))
        #expect(r.stdout.contains("\u{1B}[1m"))
        let noColor = try Binary.run(
            ["SampleLogs/01-quiet-morning", "--color", "auto"], environment: ["NO_COLOR": "1"])
        #expect(!noColor.stdout.contains("\u{1B}"))
    }

    /// On a terminal with no path, imaplog asks for one and takes what an admin pastes.
    @Test(.enabled(if: FileManager.default.isExecutableFile(atPath: "/usr/bin/script")))
    func onATerminalItAsksForThePathAndColoursUnlessNoColor() throws {
        let paste = "printf '  \"SampleLogs/04-wrong-passwords\"  \\n'"
        let r = try Binary.shell(
            "(sleep 0.5; \(paste)) | env -u NO_COLOR TERM=xterm script -qec \"$IMAPLOG\" /dev/null")
        #expect(r.stdout.contains("Path to the IMAP4 protocol logs"))
        #expect(r.stdout.contains("18 logons refused"))
        #expect(r.stdout.contains("\u{1B}["))
        let plain = try Binary.shell("(sleep 0.5; \(paste)) | TERM=xterm NO_COLOR=1 script -qec \"$IMAPLOG\" /dev/null")
        #expect(plain.stdout.contains("18 logons refused") && !plain.stdout.contains("\u{1B}["))
    }

    @Test func checkModeFollowsThePluginConvention() throws {
        let critical = try Binary.run(["--check", "--monitor", "ImapCTPMonitor", "SampleLogs/02-mbx02-refusing-logons"])
        #expect(critical.status == 2)
        #expect(critical.stdout.hasPrefix("IMAP CRITICAL - ImapCTPMonitor: MBX02.contoso.com (back end)"))
        #expect(critical.stdout.contains(" | 'records'="))
        #expect(critical.stdout.split(separator: "\n").count == 1)
        // Run as it would be live: the clock a minute after the last row.
        let live = ["IMAPLOG_NOW": "2026-11-16T08:21:00.000Z"]
        let ok = try Binary.run(["--check", "SampleLogs/01-quiet-morning"], environment: live)
        #expect(ok.status == 0 && ok.stdout.hasPrefix("IMAP OK - "))
        // The same logs an hour later: nothing written since, which a hung service would also show.
        let stale = try Binary.run(
            ["--check", "SampleLogs/01-quiet-morning"], environment: ["IMAPLOG_NOW": "2026-11-16T09:20:00.000Z"])
        #expect(stale.status == 1 && stale.stdout.hasPrefix("IMAP WARNING - The newest row is 60 minutes old"))
        let unknown = try Binary.run(["--check", "SampleLogs/nowhere"])
        #expect(unknown.status == 3 && unknown.stdout.hasPrefix("IMAP UNKNOWN - "))
        let badUsage = try Binary.run(["--check", "--monitor", "NoSuchMonitor", "SampleLogs"])
        #expect(badUsage.status == 3 && badUsage.stdout.contains("unknown monitor"))
    }

    @Test func anAlertNamesTheMonitorAndTheServers() throws {
        let alert = NSTemporaryDirectory() + "imaplog-alert-" + UUID().uuidString + ".txt"
        defer { try? FileManager.default.removeItem(atPath: alert) }
        try """
        Server          State           Name                 TargetResource       HealthSetName   AlertValue ServerComponent
        ------          -----           ----                 --------------       -------------   ---------- ---------------
        CAS01     NotApplicable   ImapCTPMonitor       MSExchangeImap4      IMAP            Unhealthy  None
        """.write(toFile: alert, atomically: true, encoding: .utf8)
        let r = try Binary.run(["--format", "json", "--alert", alert, "SampleLogs/02-mbx02-refusing-logons"])
        #expect(r.status == 0)
        let object = try Binary.json(r.stdout)
        let monitor = try #require(object["monitor"] as? [String: Any])
        #expect(monitor["name"] as? String == "ImapCTPMonitor" && monitor["source"] as? String == "alert")
        #expect(monitor["probe"] as? String == "ImapCTPProbe" && monitor["healthSet"] as? String == "IMAP")
        let verdict = try #require(object["verdict"] as? [String: Any])
        let suspect = try #require((verdict["suspects"] as? [[String: Any]])?.first)
        #expect(suspect["server"] as? String == "MBX02.contoso.com" && suspect["role"] as? String == "backEnd")
        for key in ["confidence", "rule", "failures", "total", "window", "evidence", "examples"] {
            #expect(suspect[key] != nil, "suspects[].\(key)")
        }
        let steps = try #require(object["nextSteps"] as? [[String: Any]])
        // The alert's server fills the front-end steps; the suspect the mailbox ones; names quoted.
        #expect(steps.contains { ($0["command"] as? String)?.contains("-Server 'CAS01' ") == true })
        #expect(steps.contains { ($0["command"] as? String)?.contains("Get-ServerHealth 'MBX02.contoso.com'") == true })
        // The same alert on standard input.
        let piped = try Binary.run(
            ["--check", "--alert", "-", "SampleLogs/02-mbx02-refusing-logons"], stdinFile: alert)
        #expect(piped.status == 2)
    }

    @Test func frenchAndBadMonitorNames() throws {
        let fr = try Binary.run([
            "--lang", "fr", "--monitor", "IMAP.Proxy\\ImapProxyTestProbe", "SampleLogs/07-cas02-imap4-hung",
        ])
        #expect(fr.status == 0)
        #expect(fr.stdout.contains("ÉTAPES SUIVANTES") && fr.stdout.contains("CAS02 (accès client)"))
        let bad = try Binary.run(["--monitor", "ImapFooMonitor", "SampleLogs"])
        #expect(bad.status == 64 && bad.stderr.contains("unknown monitor 'ImapFooMonitor'"))
        let noMonitor = try Binary.run(["--format", "json", "SampleLogs/01-quiet-morning"])
        let object = try Binary.json(noMonitor.stdout)
        #expect(object["monitor"] is NSNull)  // the key is always there, null when no monitor is named
        #expect(((object["verdict"] as? [String: Any])?["suspects"] as? [Any])?.isEmpty == true)
    }

    /// `--redact` in every format: no user or client left, the same pseudonyms under the same key.
    @Test func redactionHidesUsersInEveryFormat() throws {
        let story = "SampleLogs/04-wrong-passwords"
        let plain = try Binary.run(["--format", "csv", "--table", "users", story])
        #expect(plain.stdout.contains("@contoso.com"))
        var outputs: [String] = []
        for format in [
            ["--format", "text"], ["--format", "json"], ["--format", "csv", "--table", "users"],
            ["--format", "csv", "--table", "clients"], ["--check"],
        ] {
            let run = try Binary.run(format + ["--redact-salt", "shared", story])
            #expect(!run.stdout.contains("@contoso.com") && !run.stdout.contains("10.20."), "\(format)")
            outputs.append(run.stdout)
        }
        #expect(outputs[2].contains("user-"))
        let again = try Binary.run(["--format", "csv", "--table", "users", "--redact-salt", "shared", story])
        #expect(again.stdout == outputs[2])
        let random = try Binary.run(["--format", "csv", "--table", "users", "--redact", story])
        #expect(random.status == 0 && random.stdout != outputs[2] && !random.stdout.contains("@contoso.com"))
        let refused = try Binary.run(["--redact", "--save-summary", "-", story])
        #expect(refused.status == 64 && refused.stderr.contains("merge --redact"))
    }

    /// The fleet way: each server summarises its own logs, the summaries merge into the same report.
    @Test func summariesPerServerMergeIntoTheSameReport() throws {
        let folder = NSTemporaryDirectory() + "imaplog-summaries-" + UUID().uuidString
        defer { try? FileManager.default.removeItem(atPath: folder) }
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        let story = "SampleLogs/02-mbx02-refusing-logons"
        var files: [String] = []
        for server in ["MBX03", "CAS01", "MBX01", "CAS02", "MBX02"] {
            let file = "\(folder)/\(server).summary"
            let saved = try Binary.run(["--save-summary", file, "\(story)/\(server)"])
            #expect(saved.status == 0 && saved.stdout.isEmpty && saved.stderr.contains("written to"))
            files.append(file)
        }
        let merged = try Binary.run(["merge", "--format", "json", "--monitor", "ImapCTPMonitor"] + files)
        let direct = try Binary.run(["--format", "json", "--monitor", "ImapCTPMonitor", story])
        #expect(merged.status == 0)
        #expect(merged.stdout == direct.stdout)
        #expect(!merged.stderr.contains("more than once") && !merged.stderr.contains("more than one summary"))
        // A folder of summaries, or a pattern the tool expands itself (no shell here): the same report. A file in
        // the folder that is not a summary is passed over, with a note.
        _ = FileManager.default.createFile(atPath: "\(folder)/README.txt", contents: Data("notes".utf8))
        for paths in [[folder], ["\(folder)/*.summary"], ["\(folder)/MBX0?.summary", "\(folder)/CAS*"]] {
            let run = try Binary.run(["merge", "--format", "json", "--monitor", "ImapCTPMonitor"] + paths)
            #expect(run.status == 0 && run.stdout == direct.stdout, "\(paths)")
            #expect(
                run.stderr.contains("1 file in the folders named is not a summary") == (paths == [folder]), "\(paths)")
        }
        let nothing = try Binary.run(["merge", "\(folder)/*.nothing"])
        #expect(nothing.status == 66 && nothing.stderr.contains("*.nothing"))
        let named = try Binary.run(["merge", "\(folder)/README.txt"])
        #expect(named.status == 66 && named.stderr.contains("not an imaplog summary"))
        // The same file named twice is merged once.
        let twice = try Binary.run(["merge", "--format", "json", "--monitor", "ImapCTPMonitor"] + files + [files[0]])
        #expect(twice.stdout == direct.stdout)
        #expect(twice.stderr.contains("1 summary file was named more than once; each is merged once."))
        // A server's share summarized twice, into two files, is counted twice: merge says so.
        let copy = "\(folder)/MBX03-again.summary"
        #expect(try Binary.run(["--save-summary", copy, "\(story)/MBX03"]).status == 0)
        // Another process (hashing seeded otherwise), the same bytes.
        #expect(FileManager.default.contents(atPath: copy) == FileManager.default.contents(atPath: files[0]))
        // Written again over itself: replaced whole; nothing half-written is left beside the summaries.
        #expect(try Binary.run(["--save-summary", copy, "\(story)/MBX03"]).status == 0)
        #expect(FileManager.default.contents(atPath: copy) == FileManager.default.contents(atPath: files[0]))
        let listed = try FileManager.default.contentsOfDirectory(atPath: folder)
        #expect(!listed.contains { $0.contains("partial") }, "\(listed)")
        // A folder that does not exist: refused, nothing written; a summary that does not exist: said so.
        let unwritable = try Binary.run(["--save-summary", "\(folder)/missing/x.summary", "\(story)/MBX03"])
        #expect(unwritable.status == 74 && unwritable.stderr.contains("cannot write the summary there"))
        #expect(!FileManager.default.fileExists(atPath: "\(folder)/missing"))
        let unreadable = try Binary.run(["merge", "\(folder)/gone.summary"])
        #expect(unreadable.status == 66 && unreadable.stderr.contains("gone.summary"))
        let overlap = try Binary.run(["merge", "--format", "json"] + files + [copy])
        #expect(overlap.status == 0 && overlap.stdout != direct.stdout)
        let mbx03Logs = Self.logCount("\(story)/MBX03")
        #expect(mbx03Logs > 0)
        #expect(overlap.stderr.contains("imaplog: \(mbx03Logs) logs are in more than one summary"))
        let filtered = try Binary.run(["merge", "--since", "1h"] + files)
        #expect(filtered.status == 64)
        let notASummary = try Binary.run(["merge", "\(story)/CAS01/IMAP42026111709-1.LOG"])
        #expect(notASummary.status == 66 && notASummary.stderr.contains("not an imaplog summary"))
    }

    /// The map step run by GNU parallel, one job per server folder, then one merge.
    @Test(.enabled(if: FileManager.default.isExecutableFile(atPath: "/usr/bin/parallel")))
    func gnuParallelMapStepThenMerge() throws {
        let folder = NSTemporaryDirectory() + "imaplog-parallel-" + UUID().uuidString
        defer { try? FileManager.default.removeItem(atPath: folder) }
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        let story = "SampleLogs/03-slow-mbx03"
        let mapped = try Binary.shell(
            "ls -d \(story)/* | parallel --will-cite -j 2 \"$IMAPLOG\" --save-summary \(folder)/{/}.summary {} "
                + "&& \"$IMAPLOG\" merge --format json \(folder)/*.summary")
        #expect(mapped.status == 0, "\(mapped.stderr)")
        let direct = try Binary.run(["--format", "json", story])
        #expect(mapped.stdout == direct.stdout)
    }
}
