import Foundation
import SampleLogKit
import Testing

@testable import ImapLogDiagnosis
@testable import ImapLogKit
@testable import ImapLogReport

@Suite("Log file names, folders, patterns")
struct InputDiscoveryTests {
    @Test func namesGiveRoleDateAndRollOver() throws {
        let be = try #require(LogFileName.parse("IMAP4BE2024011509-3.LOG"))
        #expect(be.role == .backEnd && be.protocolName == "IMAP4" && be.date == "2024011509" && be.sequence == 3)
        let fe = try #require(LogFileName.parse("imap420240115-12.log.gz"))
        #expect(fe.role == .frontEnd && fe.sequence == 12)
        #expect(LogFileName.parse("POP3BE202401W2-1.LOG")?.week == 2)
        #expect(LogFileName.parse("IMAP4BE2024011509-3.txt") == nil)
        #expect(LogFileName.parse("notes.LOG") == nil)
        // Roll-over order is numeric: -2 comes before -10.
        let two = try #require(LogFileName.parse("IMAP42024011509-2.LOG"))
        let ten = try #require(LogFileName.parse("IMAP42024011509-10.LOG"))
        #expect(two.rollOverKey < ten.rollOverKey)
    }

    @Test func foldersNamedLikeHostsNameTheServer() {
        #expect(InputDiscovery.hostName(fromFolder: "MBX01") == "MBX01")
        #expect(InputDiscovery.hostName(fromFolder: "mbx01.contoso.com") == "mbx01.contoso.com")
        for generic in ["Imap4", "Logging", "logs", "V15", "2024-01-15", "01-quiet-morning", "my logs", "SampleLogs"] {
            #expect(InputDiscovery.hostName(fromFolder: generic) == nil, "\(generic)")
        }
    }

    @Test func onlyTheLogsFoldersNameAServerNeverAnAdminsFiling() {
        // The folder holding the logs, past Exchange's own log path; nothing further up.
        #expect(InputDiscovery.serverName(fromFolders: ["collected", "MBX01"]) == "MBX01")
        #expect(InputDiscovery.serverName(fromFolders: ["mnt", "cas01", "Logging", "Imap4"]) == "cas01")
        #expect(
            InputDiscovery.serverName(fromFolders: ["CAS01", "Program Files", "Microsoft", "Exchange Server", "V15"])
                == "CAS01")
        #expect(InputDiscovery.serverName(fromFolders: ["home", "admin", "logs", "Imap4"]) == nil)
        #expect(InputDiscovery.serverName(fromFolders: ["srv", "case", "incident-4711"]) == nil)
        #expect(InputDiscovery.serverName(fromFolders: ["share", "INC0012345"]) == nil)
        #expect(InputDiscovery.serverName(fromFolders: ["logs", "10.0.2.22"]) == "10.0.2.22")
        #expect(InputDiscovery.serverName(fromFolders: ["x", "mbx02.contoso.com", "Imap4"]) == "mbx02.contoso.com")
        #expect(InputDiscovery.serverName(fromFolders: ["x;Stop-Computer -Force;#"]) == nil)
    }

    @Test func onlyRegularFilesAreReadInAFolderAndTheOthersAreNamed() throws {
        let root = TestSupport.temporaryFolder()
        defer { TestSupport.remove(root) }
        TestSupport.write(TestSupport.header, to: "\(root)/MBX01/IMAP4BE2026111608-1.LOG")
        // A FIFO and a link to /dev/zero named like logs would block or read forever if opened; a link to a log is
        // not followed either. Each is named as not read; a link named like nothing of ours is passed over.
        #expect(mkfifo("\(root)/MBX01/IMAP4BE2026111609-1.LOG", 0o644) == 0)
        try FileManager.default.createSymbolicLink(
            atPath: "\(root)/MBX01/IMAP4BE2026111610-1.LOG", withDestinationPath: "/dev/zero")
        try FileManager.default.createSymbolicLink(
            atPath: "\(root)/MBX01/IMAP4BE2026111611-1.LOG",
            withDestinationPath: "\(root)/MBX01/IMAP4BE2026111608-1.LOG")
        try FileManager.default.createSymbolicLink(atPath: "\(root)/MBX01/notes", withDestinationPath: "/dev/zero")
        let plan = InputDiscovery.plan(paths: [root])
        #expect(plan.inputs.map(\.displayPath) == ["\(root)/MBX01/IMAP4BE2026111608-1.LOG"])
        #expect(plan.ignoredFileCount == 1)
        #expect(
            plan.problems.map(\.path) == [
                "\(root)/MBX01/IMAP4BE2026111609-1.LOG", "\(root)/MBX01/IMAP4BE2026111610-1.LOG",
                "\(root)/MBX01/IMAP4BE2026111611-1.LOG",
            ])
        #expect(plan.problems.first?.message.contains("FIFO") == true)
        #expect(plan.problems.last?.message.contains("link") == true)
    }

    /// Summaries have no name of their own, so in a folder given to `merge` every link and special file is named as
    /// not read (a share others write to may hold a link planted to be followed), and only regular files are read.
    @Test func aMergeFolderNamesItsLinksAndSpecialFiles() throws {
        let root = TestSupport.temporaryFolder()
        defer { TestSupport.remove(root) }
        TestSupport.write("{}", to: "\(root)/parts/a.imaplog-summary")
        #expect(mkfifo("\(root)/parts/b.imaplog-summary", 0o644) == 0)
        try FileManager.default.createSymbolicLink(
            atPath: "\(root)/parts/c.imaplog-summary", withDestinationPath: "\(root)/parts/a.imaplog-summary")
        try FileManager.default.createSymbolicLink(atPath: "\(root)/parts/notes", withDestinationPath: "/dev/zero")
        let (files, problems) = InputDiscovery.summaryFiles(["\(root)/parts"])
        #expect(files.map(\.path) == ["\(root)/parts/a.imaplog-summary"])
        #expect(
            problems.map(\.path).sorted()
                == ["b.imaplog-summary", "c.imaplog-summary", "notes"].map {
                    "\(root)/parts/\($0)"
                })
        #expect(problems.allSatisfy { $0.message.contains("not read") })
    }

    /// A log swapped for a FIFO, a device or a link between the search and the reading is refused when opened,
    /// never waited on or read forever: the type is checked on the open descriptor.
    @Test(arguments: ["fifo", "zero", "link"])
    func aLogSwappedAfterTheSearchIsRefusedWhenOpened(swap: String) throws {
        let root = TestSupport.temporaryFolder()
        defer { TestSupport.remove(root) }
        let log = "\(root)/MBX01/IMAP4BE2026111608-1.LOG"
        let other = "\(root)/MBX01/IMAP4BE2026111609-1.LOG"
        TestSupport.write(TestSupport.header, to: log)
        TestSupport.write(TestSupport.header, to: other)
        let plan = InputDiscovery.plan(paths: [root])
        #expect(plan.inputCount == 2 && plan.problems.isEmpty)
        #expect(unlink(log) == 0)
        switch swap {
        case "fifo": #expect(mkfifo(log, 0o644) == 0)
        case "zero": try FileManager.default.createSymbolicLink(atPath: log, withDestinationPath: "/dev/zero")
        default: try FileManager.default.createSymbolicLink(atPath: log, withDestinationPath: other)
        }
        let done = DispatchSemaphore(value: 0)
        let box = ResultBox()
        Thread.detachNewThread {
            box.result = LogAnalysis.run(plan: plan, options: AnalysisOptions())
            done.signal()
        }
        #expect(done.wait(timeout: .now() + 20) == .success, "the swapped log was waited on or read forever")
        let result = try #require(box.result)
        #expect(result.problems.map(\.path) == [log])
        #expect(result.summary.files.first { $0.path == log }?.error?.contains("not read") == true)
        #expect(result.summary.files.first { $0.path == other }?.error == nil)
    }

    /// Names that are not UTF-8 (Latin-1 from a share copied without conversion) cannot be named to the system
    /// again: each folder, and each file named like a log, is a problem that shows its bytes escaped.
    @Test func namesThatAreNotUTF8AreNamedEscaped() throws {
        let root = TestSupport.temporaryFolder()
        defer { TestSupport.remove(root) }
        TestSupport.write(TestSupport.header, to: "\(root)/MBX01/IMAP4BE2026111608-1.LOG")
        func make(_ bytes: [UInt8], folder: Bool) {
            let path = Array("\(root)/".utf8) + bytes + [0]
            path.withUnsafeBufferPointer {
                $0.withMemoryRebound(to: CChar.self) { name in
                    if folder {
                        #expect(mkdir(name.baseAddress.unsafelyUnwrapped, 0o755) == 0)
                    } else {
                        let fd = open(name.baseAddress.unsafelyUnwrapped, O_WRONLY | O_CREAT | O_EXCL, 0o644)
                        #expect(fd >= 0)
                        close(fd)
                    }
                }
            }
        }
        make(Array("caf".utf8) + [0xE9], folder: true)
        make(Array("MBX01/IMAP4BE2026111609-1".utf8) + [0xFF] + Array(".LOG".utf8), folder: false)
        make(Array("MBX01/notes-".utf8) + [0xC3, 0x28], folder: false)
        let plan = InputDiscovery.plan(paths: [root])
        #expect(plan.inputs.count == 1)
        #expect(plan.ignoredFileCount == 1)
        #expect(
            plan.problems.map(\.path).sorted() == [
                "\(root)/MBX01/IMAP4BE2026111609-1\\xFF.LOG", "\(root)/caf\\xE9",
            ])
        #expect(plan.problems.allSatisfy { $0.message.contains("UTF-8") })
    }

    /// chmod 000 keeps nobody but root out: as root the folder is listed, so there is nothing to see.
    @Test(.enabled(if: geteuid() != 0, "root lists a chmod 000 folder: nothing to refuse"))
    func anUnreadableSubfolderIsAProblem() throws {
        let root = TestSupport.temporaryFolder()
        defer {
            _ = chmod("\(root)/locked", 0o755)
            TestSupport.remove(root)
        }
        TestSupport.write(TestSupport.header, to: "\(root)/MBX01/IMAP4BE2026111608-1.LOG")
        TestSupport.write(TestSupport.header, to: "\(root)/locked/IMAP4BE2026111608-1.LOG")
        #expect(chmod("\(root)/locked", 0) == 0)
        let plan = InputDiscovery.plan(paths: [root])
        #expect(plan.inputs.count == 1)
        #expect(plan.problems.map(\.path) == ["\(root)/locked"])
    }

    @Test func aFolderBecomesOneStreamPerServerAndRoleInRollOverOrder() {
        let root = TestSupport.temporaryFolder()
        defer { TestSupport.remove(root) }
        for name in ["IMAP4BE2026111609-10.LOG", "IMAP4BE2026111609-2.LOG", "IMAP4BE2026111608-1.LOG"] {
            TestSupport.write(TestSupport.header, to: "\(root)/MBX01/Logging/Imap4/\(name)")
        }
        TestSupport.write(TestSupport.header, to: "\(root)/CAS01/IMAP42026111608-1.LOG")
        TestSupport.write("readme", to: "\(root)/CAS01/readme.txt")
        let plan = InputDiscovery.plan(paths: [root])
        #expect(plan.problems.isEmpty)
        #expect(plan.ignoredFileCount == 1)
        #expect(plan.streams.count == 2)
        let mbx = plan.streams.first { $0.first?.serverHint == "MBX01" } ?? []
        #expect(
            mbx.map { $0.displayPath.split(separator: "/").last.map(String.init) } == [
                "IMAP4BE2026111608-1.LOG", "IMAP4BE2026111609-2.LOG", "IMAP4BE2026111609-10.LOG",
            ])
        #expect(mbx.allSatisfy { $0.role == .backEnd })
    }

    @Test func archivesAreSearchedAndTheArchiveNameNamesTheServer() {
        let root = TestSupport.temporaryFolder()
        defer { TestSupport.remove(root) }
        TestSupport.write(
            Archiver.zip([("Imap4/IMAP42026111608-1.LOG", Array(TestSupport.header.utf8))]), to: "\(root)/CAS02.zip")
        TestSupport.write(Archiver.gzip(Array(TestSupport.header.utf8)), to: "\(root)/MBX03/IMAP4BE2026111608-1.LOG.gz")
        let inputs = InputDiscovery.plan(paths: [root]).inputs
        #expect(inputs.count == 2)
        #expect(Set(inputs.compactMap(\.serverHint)) == ["CAS02", "MBX03"])
        #expect(inputs.contains { $0.displayPath.hasSuffix("CAS02.zip!Imap4/IMAP42026111608-1.LOG") })
    }

    @Test func aFolderNamedThroughALinkIsSearched() throws {
        let root = TestSupport.temporaryFolder()
        defer { TestSupport.remove(root) }
        TestSupport.write(TestSupport.header, to: "\(root)/real/MBX01/IMAP4BE2026111608-1.LOG")
        try FileManager.default.createSymbolicLink(atPath: "\(root)/link", withDestinationPath: "\(root)/real")
        // A link inside the folder searched, back up to it: not followed, so no loop and no second reading.
        try FileManager.default.createSymbolicLink(atPath: "\(root)/real/MBX01/up", withDestinationPath: root)
        for path in ["\(root)/link", "\(root)/link/"] {
            let plan = InputDiscovery.plan(paths: [path])
            #expect(plan.problems.isEmpty, "\(path)")
            #expect(
                plan.inputs.map(\.displayPath) == [
                    "\(path.hasSuffix("/") ? path : path + "/")MBX01/IMAP4BE2026111608-1.LOG"
                ])
            #expect(plan.inputs.first?.serverHint == "MBX01")
        }
    }

    @Test func filesNamedInAnyOrderMakeTheSameStreamsInTheSameOrder() {
        let root = TestSupport.temporaryFolder()
        defer { TestSupport.remove(root) }
        var paths: [String] = []
        for server in ["MBX02", "CAS01", "MBX01"] {
            let role = server.hasPrefix("MBX") ? "BE" : ""
            for name in ["2026111609-10", "2026111608-1", "2026111609-2", "2026111610-11"] {
                let path = "\(root)/\(server)/IMAP4\(role)\(name).LOG"
                TestSupport.write(TestSupport.header, to: path)
                paths.append(path)
            }
        }
        // Named one by one, interleaved and twice over: the streams and their order are the folder's.
        var random = SeededRandom(seed: 3)
        let shuffled = paths.shuffled(using: &random)
        let named = InputDiscovery.plan(paths: shuffled + shuffled.reversed())
        let walked = InputDiscovery.plan(paths: [root])
        #expect(named.duplicateCount == paths.count)
        #expect(named.streams.map { $0.map(\.displayPath) } == walked.streams.map { $0.map(\.displayPath) })
        #expect(walked.streams.map { $0.first?.serverHint } == ["CAS01", "MBX01", "MBX02"])
        #expect(
            walked.streams[1].map { $0.displayPath.split(separator: "/").last.map(String.init) } == [
                "IMAP4BE2026111608-1.LOG", "IMAP4BE2026111609-2.LOG", "IMAP4BE2026111609-10.LOG",
                "IMAP4BE2026111610-11.LOG",
            ])
    }

    @Test func aLogNamedTwiceIsReadOnce() throws {
        let root = TestSupport.temporaryFolder()
        defer { TestSupport.remove(root) }
        let file = "\(root)/logs/MBX01/IMAP4BE2026111608-1.LOG"
        TestSupport.write(TestSupport.header, to: file)
        TestSupport.write(
            Archiver.zip([("IMAP42026111608-1.LOG", Array(TestSupport.header.utf8))]), to: "\(root)/CAS01.zip")
        try FileManager.default.createSymbolicLink(atPath: "\(root)/alias.LOG", withDestinationPath: file)
        let plan = InputDiscovery.plan(paths: [
            "\(root)/logs", "\(root)/./logs/", file, "\(root)/logs/../logs/MBX01", "\(root)/alias.LOG",
            "\(root)/CAS01.zip", "\(root)/./CAS01.zip",
        ])
        #expect(
            plan.inputs.map(\.displayPath) == [
                "\(root)/CAS01.zip!IMAP42026111608-1.LOG", "\(root)/logs/MBX01/IMAP4BE2026111608-1.LOG",
            ])
        #expect(plan.duplicateCount == 5)
        #expect(plan.problems.isEmpty)
        // Two different files stay two.
        TestSupport.write(TestSupport.header, to: "\(root)/logs/MBX01/IMAP4BE2026111608-2.LOG")
        #expect(InputDiscovery.plan(paths: ["\(root)/logs"]).duplicateCount == 0)
        #expect(InputDiscovery.plan(paths: ["\(root)/logs"]).inputs.count == 2)
    }

    @Test func patternsAreExpandedForShellsThatDoNot() {
        let root = TestSupport.temporaryFolder()
        defer { TestSupport.remove(root) }
        TestSupport.write(TestSupport.header, to: "\(root)/IMAP42026111608-1.LOG")
        TestSupport.write(TestSupport.header, to: "\(root)/IMAP4BE2026111608-1.LOG")
        let plan = InputDiscovery.plan(paths: ["\(root)/imap4be*.log"])
        #expect(plan.inputs.map(\.role) == [.backEnd])
    }

    @Test func missingPathsAndEmptyFoldersAreProblemsNotCrashes() {
        let root = TestSupport.temporaryFolder()
        defer { TestSupport.remove(root) }
        let plan = InputDiscovery.plan(paths: ["\(root)/nope", root, "\(root)/*.LOG"])
        #expect(plan.inputs.isEmpty)
        #expect(plan.problems.contains(.notFound(path: "\(root)/nope")))
        #expect(plan.problems.contains(.noLogsFound(path: root)))
        #expect(plan.problems.contains(.notFound(path: "\(root)/*.LOG")))
    }

    @Test func globMatching() {
        #expect(Glob("IMAP4BE*.LOG").matches("imap4be2026-1.log"))
        #expect(!Glob("IMAP4BE*.LOG").matches("IMAP42026-1.LOG"))
        #expect(Glob("a?c").matches("abc") && !Glob("a?c").matches("ac"))
        #expect(Glob("[a-c]x").matches("bx") && !Glob("[!a-c]x").matches("bx"))
        #expect(Glob("*@contoso.com").matches("alice@contoso.com"))
        #expect(Glob("[unclosed").matches("[unclosed"))
    }
}

/// Carries a result out of the thread that made it.
private final class ResultBox: @unchecked Sendable {
    var result: AnalysisResult?
}
