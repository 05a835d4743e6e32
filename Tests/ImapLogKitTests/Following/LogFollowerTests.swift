import Foundation
import Testing

@testable import ImapLogKit

/// `LogFollower` on files a test writes between looks: what each look counts, and that the end is a batch run's.
@Suite("Following logs as they are written")
struct LogFollowerTests {
    static let oldHeader =
        "#Software: Microsoft Exchange Server\r\n#Version: 14.3.123.4\r\n#Log-type: IMAP4 Log\r\n"
        + "#Fields: date-time,connector-id,session-id,sequence-number,local-endpoint,remote-endpoint,event,data,context\r\n"

    /// One 2007/2010 session: connect, a login answered NO (a store failure on the server's side), disconnect.
    static func oldSession(_ n: Int, second: Int) -> String {
        let time = String(format: "2026-11-21T11:%02d:%02d", second / 60, second % 60)
        let id = String(format: "08CF3A1B2C3D%04X", n)
        let ends = "10.0.3.31:993,10.20.1.1:\(50_000 + n)"
        return "\(time).100Z,,\(id),0,\(ends),+,,\r\n"
            + "\(time).300Z,,\(id),1,\(ends),<,a1 LOGIN dave.thomas *****,\r\n"
            + "\(time).420Z,,\(id),2,\(ends),>,a1 NO LOGIN failed.,\r\n"
            + "\(time).500Z,,\(id),3,\(ends),-,,\r\n"
    }

    static func folder() throws -> String {
        let folder = NSTemporaryDirectory() + "imaplog-follow-" + UUID().uuidString
        try FileManager.default.createDirectory(atPath: folder + "/EX2010", withIntermediateDirectories: true)
        return folder
    }

    /// A folder whose one log holds `text`, and a follower of the folder (of `followed`, below it, when given).
    static func following(_ text: String, followed: String = "", startsAtEnd: Bool = false) throws -> (
        root: String, log: String, follower: LogFollower
    ) {
        let root = try folder()
        let log = root + "/EX2010/IMAP420261121-1.LOG"
        try append(text, to: log)
        return (root, log, LogFollower(paths: [root + followed], options: AnalysisOptions(), startsAtEnd: startsAtEnd))
    }

    static func append(_ text: String, to path: String) throws {
        if !FileManager.default.fileExists(atPath: path) {
            _ = FileManager.default.createFile(atPath: path, contents: nil)
        }
        let handle = try FileHandle(forWritingTo: URL(fileURLWithPath: path))
        defer { try? handle.close() }
        try handle.seekToEnd()
        try handle.write(contentsOf: Data(text.utf8))
    }

    @Test("a file left alone gives its parsers up, and is read in its own format when it grows again")
    func idleFileKeepsItsFormat() throws {
        let (root, log, follower) = try Self.following(Self.oldHeader + Self.oldSession(1, second: 0))
        defer { try? FileManager.default.removeItem(atPath: root) }
        #expect(follower.poll().records == 4)
        for _ in 0...LogFollower.idleLooksKept { #expect(follower.poll().lines == 0) }
        try Self.append(Self.oldSession(2, second: 30), to: log)
        let grown = follower.poll()
        #expect(grown.records == 4)
        #expect(grown.lines == 4)
        let result = follower.finish()
        #expect(result.summary.skipped == 0)
        #expect(result.summary.files.map(\.format) == [.protocolEvents])
        #expect(result.summary == LogAnalysis.run(plan: InputDiscovery.plan(paths: [root]), options: .init()).summary)
    }

    @Test("--since now: what the files hold is passed over, line numbers go on from their ends")
    func startsAtTheEnd() throws {
        let (root, log, follower) = try Self.following(
            Self.oldHeader + Self.oldSession(1, second: 0) + Self.oldSession(2, second: 10), startsAtEnd: true)
        defer { try? FileManager.default.removeItem(atPath: root) }
        let first = follower.poll()
        #expect(first.lines == 0)
        #expect(first.bytesBehind == 0)
        try Self.append(Self.oldSession(3, second: 20), to: log)
        let next = follower.poll()
        #expect(next.records == 4)
        let summary = follower.finish().summary
        #expect(summary.lines == 4)
        #expect(summary.skipped == 0)
        // The failed logon is the file's 15th line (4 header lines, two sessions of 4, then its third row).
        #expect(summary.logons.map(\.example) == ["\(log):15"])
    }

    @Test("a folder that goes away and comes back is read on from where it stopped")
    func folderGoesAndComesBack() throws {
        let (root, log, follower) = try Self.following(
            Self.oldHeader + Self.oldSession(1, second: 0), followed: "/EX2010")
        defer { try? FileManager.default.removeItem(atPath: root) }
        #expect(follower.poll().records == 4)
        try FileManager.default.moveItem(atPath: root + "/EX2010", toPath: root + "/away")
        let gone = follower.poll()
        #expect(gone.goneFiles == [log])
        #expect(!gone.problems.isEmpty)
        try Self.append(Self.oldSession(2, second: 30), to: root + "/away/IMAP420261121-1.LOG")
        try FileManager.default.moveItem(atPath: root + "/away", toPath: root + "/EX2010")
        let back = follower.poll()
        #expect(back.returnedFiles == [log])
        #expect(back.records == 4)
        let summary = follower.finish().summary
        #expect(summary.records == 8)
        #expect(summary.files.count == 1)
    }

    @Test("a file replaced by another of the same name is counted as a second file")
    func replacedFile() throws {
        let (root, log, follower) = try Self.following(Self.oldHeader + Self.oldSession(1, second: 0))
        defer { try? FileManager.default.removeItem(atPath: root) }
        _ = follower.poll()
        let replacement = root + "/new.tmp"
        try Self.append(Self.oldHeader + Self.oldSession(2, second: 0) + Self.oldSession(3, second: 5), to: replacement)
        // Replaced, not rewritten: another file (inode) under the same name, as a copy-and-rename does.
        try FileManager.default.removeItem(atPath: log)
        try FileManager.default.moveItem(atPath: replacement, toPath: log)
        let look = follower.poll()
        #expect(look.restartedFiles == [log])
        #expect(look.records == 8)
        let summary = follower.finish().summary
        #expect(summary.files.map(\.records) == [4, 8])
        #expect(summary.lines == 8 + 12)
    }

    @Test("a file written again from its start, longer, under the same identity, is counted as a second file")
    func rewrittenInPlace() throws {
        let (root, log, follower) = try Self.following(Self.oldHeader + Self.oldSession(1, second: 0))
        defer { try? FileManager.default.removeItem(atPath: root) }
        _ = follower.poll()
        // Another server's header (its version), then three sessions, written over the old bytes in place.
        let rewritten =
            Self.oldHeader.replacingOccurrences(of: "14.3.123.4", with: "14.3.513.0")
            + Self.oldSession(7, second: 0) + Self.oldSession(8, second: 1) + Self.oldSession(9, second: 2)
        let handle = try FileHandle(forWritingTo: URL(fileURLWithPath: log))
        try handle.write(contentsOf: Data(rewritten.utf8))
        try handle.close()
        let look = follower.poll()
        #expect(look.restartedFiles == [log])
        #expect(look.records == 12)
        #expect(follower.finish().summary.files.map(\.records) == [4, 12])
    }

    @Test("a size roll-over (-2.LOG) and a new server's folder join the watch; the end is the batch run's")
    func rollOverAndNewFolder() throws {
        let root = try Self.folder()
        defer { try? FileManager.default.removeItem(atPath: root) }
        let first = root + "/EX2010/IMAP420261121-1.LOG"
        // A session opened at the end of -1.LOG, carried on in -2.LOG.
        let session = Self.oldSession(1, second: 0).components(separatedBy: "\r\n")
        try Self.append(Self.oldHeader + session[0] + "\r\n" + session[1] + "\r\n", to: first)
        let follower = LogFollower(paths: [root], options: AnalysisOptions())
        #expect(follower.poll().records == 2)
        let second = root + "/EX2010/IMAP420261121-2.LOG"
        try Self.append(Self.oldHeader + session[2] + "\r\n" + session[3] + "\r\n", to: second)
        try FileManager.default.createDirectory(atPath: root + "/EX2010B", withIntermediateDirectories: true)
        let other = root + "/EX2010B/IMAP420261121-1.LOG"
        try Self.append(Self.oldHeader + Self.oldSession(5, second: 3), to: other)
        let look = follower.poll()
        #expect(Set(look.newFiles) == [second, other])
        #expect(look.records == 6)
        let summary = follower.finish().summary
        #expect(summary == LogAnalysis.run(plan: InputDiscovery.plan(paths: [root]), options: .init()).summary)
        // One session across the roll-over, not two halves.
        #expect(summary.sessions.total == 2)
    }

    @Test("a copy renamed over the log (rsync, a collector) is read on, not again")
    func copyRenamedOver() throws {
        let (root, log, follower) = try Self.following(Self.oldHeader + Self.oldSession(1, second: 0))
        defer { try? FileManager.default.removeItem(atPath: root) }
        #expect(follower.poll().records == 4)
        for n in 2...4 {
            // The whole log so far and a session more, written aside and renamed over it: a new identity.
            let copy = root + "/copy.tmp"
            let text = try String(contentsOfFile: log, encoding: .utf8) + Self.oldSession(n, second: n)
            try text.write(toFile: copy, atomically: false, encoding: .utf8)
            #expect(rename(copy, log) == 0)
            let look = follower.poll()
            #expect(look.restartedFiles.isEmpty)
            #expect(look.records == 4)
        }
        let summary = follower.finish().summary
        #expect(summary.files.count == 1)
        #expect(summary == LogAnalysis.run(plan: InputDiscovery.plan(paths: [root]), options: .init()).summary)
    }

    @Test("a line longer than a read, written slowly, is one line too long, as in a batch run")
    func hugeLineWrittenSlowly() throws {
        let (root, log, follower) = try Self.following(Self.oldHeader + Self.oldSession(1, second: 0))
        defer { try? FileManager.default.removeItem(atPath: root) }
        _ = follower.poll()
        let piece = String(repeating: "x", count: 3 << 20)
        for _ in 0..<4 {
            try Self.append(piece, to: log)
            #expect(follower.poll().lines == 0)
        }
        try Self.append("\r\n" + Self.oldSession(2, second: 9), to: log)
        let look = follower.poll()
        #expect(look.lines == 5)
        #expect(look.records == 4)
        let summary = follower.finish().summary
        #expect(summary.skippedByReason[.overlongLine]?.count == 1)
        #expect(summary == LogAnalysis.run(plan: InputDiscovery.plan(paths: [root]), options: .init()).summary)
    }

    @Test("a UTF-16 log is read whole once, decoded, as a batch run reads it")
    func utf16Log() throws {
        let root = try Self.folder()
        defer { try? FileManager.default.removeItem(atPath: root) }
        let text = Self.oldHeader + Self.oldSession(1, second: 0)
        var bytes: [UInt8] = [0xFF, 0xFE]
        for unit in text.utf16 { bytes += [UInt8(unit & 0xFF), UInt8(unit >> 8)] }
        try Data(bytes).write(to: URL(fileURLWithPath: root + "/EX2010/IMAP420261121-1.LOG"))
        let follower = LogFollower(paths: [root], options: AnalysisOptions())
        #expect(follower.poll().records == 4)
        let summary = follower.finish().summary
        #expect(summary.skipped == 0)
        #expect(summary == LogAnalysis.run(plan: InputDiscovery.plan(paths: [root]), options: .init()).summary)
    }
}
