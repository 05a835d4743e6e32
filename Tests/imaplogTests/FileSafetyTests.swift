import Foundation
import Testing

/// What imaplog writes, and where: never through a link planted beside its output, never replacing a device or
/// a FIFO, every write checked (issue 20, findings 2, 5, 8 and 9).
@Suite("Files written and folders searched, end to end", .serialized)
struct FileSafetyTests {
    static let logs = "SampleLogs/03-slow-mbx03/MBX03"

    /// A fresh folder for one test, removed when `body` returns.
    static func withFolder(_ body: (String) throws -> Void) throws {
        let folder = NSTemporaryDirectory() + "imaplog-files-" + UUID().uuidString
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        defer {
            _ = chmod(folder, 0o755)
            try? FileManager.default.removeItem(atPath: folder)
        }
        try body(folder)
    }

    static func contents(_ path: String) -> String? {
        FileManager.default.contents(atPath: path).map { String(decoding: $0, as: UTF8.self) }
    }

    /// What is at `path`, without following a link: `S_IFREG`, `S_IFLNK`, `S_IFIFO`, … (nil when nothing).
    static func type(_ path: String) -> mode_t? {
        var info = stat()
        guard lstat(path, &info) == 0 else { return nil }
        return info.st_mode & S_IFMT
    }

    static var isRoot: Bool { geteuid() == 0 }

    @Test func aLinkPlantedWhereThePartialFileWentIsNotFollowed() throws {
        try Self.withFolder { folder in
            let victim = "\(folder)/victim"
            try "precious".write(toFile: victim, atomically: false, encoding: .utf8)
            // The name the partial summary had before: a link there was written through, then renamed over FILE.
            try FileManager.default.createSymbolicLink(
                atPath: "\(folder)/out.summary.imaplog-partial", withDestinationPath: victim)
            let saved = try Binary.run(["--save-summary", "\(folder)/out.summary", Self.logs])
            #expect(saved.status == 0, "\(saved.stderr)")
            #expect(Self.contents(victim) == "precious")
            #expect(Self.type("\(folder)/out.summary") == S_IFREG)
            #expect(Self.type("\(folder)/out.summary.imaplog-partial") == S_IFLNK)
            let merged = try Binary.run(["merge", "\(folder)/out.summary"])
            #expect(merged.status == 0, "\(merged.stderr)")
            // Nothing half-written is left beside it.
            let listed = try FileManager.default.contentsOfDirectory(atPath: folder).sorted()
            #expect(listed == ["out.summary", "out.summary.imaplog-partial", "victim"])
        }
    }

    @Test func aLinkGivenAsTheSummaryIsRefusedAndLeftAsItIs() throws {
        try Self.withFolder { folder in
            let victim = "\(folder)/victim"
            try "precious".write(toFile: victim, atomically: false, encoding: .utf8)
            let link = "\(folder)/MBX03.summary"
            try FileManager.default.createSymbolicLink(atPath: link, withDestinationPath: victim)
            let saved = try Binary.run(["--save-summary", link, Self.logs])
            #expect(saved.status == 74)
            #expect(saved.stderr.contains("MBX03.summary") && saved.stderr.contains("link"), "\(saved.stderr)")
            #expect(Self.contents(victim) == "precious")
            #expect(Self.type(link) == S_IFLNK)
            #expect(try FileManager.default.contentsOfDirectory(atPath: folder).count == 2)
        }
    }

    @Test func aFIFOGivenAsTheSummaryIsWrittenToNotReplaced() throws {
        try Self.withFolder { folder in
            let fifo = "\(folder)/summary.fifo"
            #expect(mkfifo(fifo, 0o644) == 0)
            // Nobody reads it: refused at once, no wait, still a FIFO.
            let unread = try Binary.run(["--save-summary", fifo, Self.logs])
            #expect(unread.status == 74 && unread.stderr.contains("summary.fifo"), "\(unread.stderr)")
            #expect(Self.type(fifo) == S_IFIFO)
            // A reader: the summary goes through it, as the same bytes as a file would hold.
            let r = try Binary.shell(
                """
                cat '\(fifo)' > '\(folder)/through-fifo' & reader=$!
                sleep 0.2
                "$IMAPLOG" --save-summary '\(fifo)' \(Self.logs); echo "exit $?"
                wait $reader
                "$IMAPLOG" --save-summary '\(folder)/plain' \(Self.logs) 2>/dev/null
                cmp '\(folder)/through-fifo' '\(folder)/plain' && echo same
                """)
            #expect(r.stdout == "exit 0\nsame\n", "\(r.stdout) \(r.stderr)")
            #expect(Self.type(fifo) == S_IFIFO)
        }
    }

    /// A device is written to, not replaced (`--save-summary /dev/null` as root replaced /dev/null).
    ///
    /// Tested on a device node of the test's own: root makes one; anyone else cannot replace /dev/null, so uses it.
    @Test func aDeviceGivenAsTheSummaryIsWrittenToNotReplaced() throws {
        try Self.withFolder { folder in
            var device = "/dev/null"
            if Self.isRoot {
                device = "\(folder)/null"
                // Linux numbers the memory devices 1, null 3: makedev(1, 3).
                #expect(mknod(device, S_IFCHR | 0o666, dev_t(1 << 8 | 3)) == 0)
            }
            let saved = try Binary.run(["--save-summary", device, Self.logs])
            #expect(saved.status == 0, "\(saved.stderr)")
            #expect(Self.type(device) == S_IFCHR)
            if Self.isRoot {
                #expect(try FileManager.default.contentsOfDirectory(atPath: folder) == ["null"])
            }
        }
    }

    @Test func aFolderGivenAsTheSummaryIsRefused() throws {
        try Self.withFolder { folder in
            let saved = try Binary.run(["--save-summary", folder, Self.logs])
            #expect(saved.status == 74 && saved.stderr.contains("folder"), "\(saved.stderr)")
            #expect(try FileManager.default.contentsOfDirectory(atPath: folder).isEmpty)
        }
    }

    /// A full disk or share: the report, the JSON, a CSV table, a check's line and a summary on standard output
    /// each end with 74 (the check with UNKNOWN, 3) and a message, never 0.
    @Test(.enabled(if: FileManager.default.fileExists(atPath: "/dev/full")))
    func aReportThatCannotBeWrittenEndsWith74() throws {
        for (arguments, status) in [
            ("", 74), ("--format json", 74), ("--format csv --table errors", 74), ("--save-summary -", 74),
            ("--check", 3), ("--help", 74),
        ] {
            let r = try Binary.shell("\"$IMAPLOG\" \(arguments) \(Self.logs) > /dev/full")
            #expect(r.status == Int32(status), "\(arguments): \(r.stderr)")
            #expect(r.stderr.contains("standard output") && r.stderr.contains("No space left"), "\(arguments)")
        }
        // A closed pipe is not a failure: the reader had what it wanted.
        let head = try Binary.shell("\"$IMAPLOG\" \(Self.logs) | head -1")
        #expect(head.status == 0 && head.stderr.isEmpty)
    }

    @Test func aFIFOAndLinksNamedLikeLogsInAFolderAreNamedNotRead() throws {
        try Self.withFolder { folder in
            try FileManager.default.createDirectory(atPath: "\(folder)/MBX03", withIntermediateDirectories: true)
            let log = "IMAP4BE2026111813-1.LOG"
            try FileManager.default.copyItem(
                atPath: "\(Binary.packageRoot)/\(Self.logs)/\(log)", toPath: "\(folder)/MBX03/\(log)")
            #expect(mkfifo("\(folder)/MBX03/IMAP4BE2026111814-1.LOG", 0o644) == 0)
            try FileManager.default.createSymbolicLink(
                atPath: "\(folder)/MBX03/IMAP4BE2026111815-1.LOG", withDestinationPath: "/dev/zero")
            let started = Date()
            let r = try Binary.run(["--format", "json", folder])
            #expect(Date().timeIntervalSince(started) < 30)
            #expect(r.status == 74, "\(r.stderr)")
            let json = try Binary.json(r.stdout)
            let input = try #require(json["input"] as? [String: Any])
            let files = try #require(input["files"] as? [[String: Any]])
            #expect(files.count == 1)
            let problems = try #require(input["problems"] as? [[String: Any]])
            let paths = problems.compactMap { $0["path"] as? String }.sorted()
            #expect(paths == ["\(folder)/MBX03/IMAP4BE2026111814-1.LOG", "\(folder)/MBX03/IMAP4BE2026111815-1.LOG"])
            #expect(problems.allSatisfy { ($0["error"] as? String)?.isEmpty == false })
            #expect(r.stderr.contains("IMAP4BE2026111814-1.LOG") && r.stderr.contains("FIFO"), "\(r.stderr)")
            #expect(r.stderr.contains("IMAP4BE2026111815-1.LOG") && r.stderr.contains("link"), "\(r.stderr)")
            let text = try Binary.run([folder])
            #expect(text.status == 74)
            #expect(text.stdout.contains("IMAP4BE2026111814-1.LOG") && text.stdout.contains("IMAP4BE2026111815-1.LOG"))
        }
    }

    @Test func aFolderWhoseNameIsNotUTF8IsNamedEscaped() throws {
        try Self.withFolder { folder in
            // "caf\xE9": Latin-1, as a Windows share copied without conversion names it.
            var name = Array("\(folder)/caf".utf8)
            name += [0xE9, 0]
            let made = name.withUnsafeBufferPointer {
                $0.withMemoryRebound(to: CChar.self) { mkdir($0.baseAddress.unsafelyUnwrapped, 0o755) }
            }
            #expect(made == 0)
            try FileManager.default.createDirectory(atPath: "\(folder)/MBX03", withIntermediateDirectories: true)
            let log = "IMAP4BE2026111813-1.LOG"
            try FileManager.default.copyItem(
                atPath: "\(Binary.packageRoot)/\(Self.logs)/\(log)", toPath: "\(folder)/MBX03/\(log)")
            let r = try Binary.run(["--format", "json", folder])
            #expect(r.status == 74, "\(r.stderr)")
            #expect(r.stderr.contains("caf\\xE9"), "\(r.stderr)")
            let input = try #require(try Binary.json(r.stdout)["input"] as? [String: Any])
            let problems = try #require(input["problems"] as? [[String: Any]])
            #expect(problems.compactMap { $0["path"] as? String } == ["\(folder)/caf\\xE9"])
        }
    }

    /// chmod 000 keeps nobody but root out: as root the folder is read, so there is nothing to see.
    @Test(.enabled(if: !FileSafetyTests.isRoot, "root reads a chmod 000 folder: nothing to refuse"))
    func anUnreadableSubfolderIsNamedWith74() throws {
        try Self.withFolder { folder in
            for server in ["MBX03", "locked"] {
                try FileManager.default.createDirectory(
                    atPath: "\(folder)/\(server)", withIntermediateDirectories: true)
                let log = "IMAP4BE2026111813-1.LOG"
                try FileManager.default.copyItem(
                    atPath: "\(Binary.packageRoot)/\(Self.logs)/\(log)", toPath: "\(folder)/\(server)/\(log)")
            }
            #expect(chmod("\(folder)/locked", 0) == 0)
            defer { _ = chmod("\(folder)/locked", 0o755) }
            let r = try Binary.run(["--format", "json", folder])
            #expect(r.status == 74 && r.stderr.contains("locked"), "\(r.stderr)")
            let input = try #require(try Binary.json(r.stdout)["input"] as? [String: Any])
            let problems = try #require(input["problems"] as? [[String: Any]])
            #expect(problems.compactMap { $0["path"] as? String } == ["\(folder)/locked"])
        }
    }

    /// Names and option values reach stderr with their control characters escaped, never raw.
    @Test func pathsAndValuesOnStandardErrorAreEscaped() throws {
        try Self.withFolder { folder in
            let evil = "\(folder)/evil\u{1B}]0;owned\u{07}\u{1B}[2J.summary"
            try "not a summary".write(toFile: evil, atomically: false, encoding: .utf8)
            for arguments in [
                ["merge", evil], ["merge", "\(folder)/gone\u{1B}[31m.summary"], ["--format", "\u{1B}[2J"],
                ["--save-summary", "\(folder)/no/such\u{1B}[1m/x", Self.logs], ["--alert", "\(folder)/a\u{1B}[5m"],
                ["\(folder)/missing\u{9B}31m"],
            ] {
                let r = try Binary.run(arguments)
                #expect(r.status != 0)
                #expect(!r.stderr.isEmpty, "\(arguments)")
                #expect(!r.stderr.unicodeScalars.contains { $0 == "\u{1B}" || $0 == "\u{07}" || $0 == "\u{9B}" })
                #expect(r.stderr.contains("\\x1B") || r.stderr.contains("\\x9B"), "\(r.stderr)")
            }
        }
    }
}
