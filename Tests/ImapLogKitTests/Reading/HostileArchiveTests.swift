import Foundation
import SampleLogKit
import Testing

@testable import ImapLogDiagnosis
@testable import ImapLogKit
@testable import ImapLogReport

/// Archives made by an attacker (issue 20): a crafted `.zip` is refused with a message and the run goes on, a
/// bomb is cut at the inflation limit, and damage costs no byte that could be inflated.
@Suite("Hostile archives")
struct HostileArchiveTests {
    // MARK: - Finding 1: numbers that crashed the zip reader

    /// A Zip64 end record with the directory's size and offset at 2^63, as in the issue's 245-byte archive.
    @Test func zip64FieldsOfTwoToTheSixtyThreeAreRefused() throws {
        let archive = CraftedZip.zip64Only(entryCount: 1, directorySize: 1 << 63, directoryOffset: 1 << 63)
        try expectRefused(archive, saying: "central directory out of range")
    }

    @Test func aZip64LocatorPastTwoToTheSixtyThreeIsRefused() throws {
        var archive = CraftedZip.zip64Only(entryCount: 1, directorySize: 0, directoryOffset: 0)
        // The locator's offset field: 8 bytes into the locator, itself 20 bytes before the end record (22).
        let field = archive.count - 22 - 20 + 8
        archive.replaceSubrange(field..<field + 8, with: CraftedZip.le64(0xFFFF_FFFF_FFFF_FFF0))
        try expectRefused(archive, saying: "Zip64 record out of range")
    }

    /// An offset and a size each fine, whose sum overflows.
    @Test func aDirectoryWhoseEndOverflowsIsRefused() throws {
        let archive = CraftedZip.zip64Only(entryCount: 1, directorySize: 100, directoryOffset: UInt64(Int64.max - 10))
        try expectRefused(archive, saying: "central directory out of range")
    }

    /// An entry's Zip64 extra field with its header's offset at 2^63 + 1.
    @Test func anEntrysZip64OffsetPastInt64IsRefused() throws {
        let extra = CraftedZip.zip64Extra([(1 << 63) + 1])
        let archive = CraftedZip.archive(
            locals: [],
            central: [CraftedZip.central(name: "IMAP4BE2026111607-1.LOG", offset: 0xFFFF_FFFF, extra: extra)]
        )
        try expectRefused(archive, saying: "lies outside the archive")
    }

    /// Sizes and offsets that fit an Int64 but not the file: the sums `offset + 30` and `start + length` overflowed.
    @Test func anEntrysSizeOrOffsetNearInt64MaxIsRefused() throws {
        let data = Array("line\n".utf8)
        let local = CraftedZip.local(name: "IMAP4BE2026111607-1.LOG", data: data)
        for (compressed, offset) in [(UInt64(Int64.max - 40), UInt64(0)), (UInt64(5), UInt64(Int64.max - 10))] {
            let entry = CraftedZip.central(
                name: "IMAP4BE2026111607-1.LOG", compressed: 0xFFFF_FFFF, offset: 0xFFFF_FFFF,
                extra: CraftedZip.zip64Extra([compressed, offset]))
            try expectRefused(CraftedZip.archive(locals: [local], central: [entry]), saying: "lies outside the archive")
        }
    }

    @Test func aFileRangeBeyondAnyFileIsAnErrorNotATrap() throws {
        let folder = TestSupport.temporaryFolder()
        defer { TestSupport.remove(folder) }
        TestSupport.write("x", to: folder + "/f")
        for (start, length) in [(Int64.max - 1, Int64(10)), (-1, 1), (0, -1)] {
            #expect(throws: ImapLogError.self) {
                _ = try FileRangeByteSource(path: folder + "/f", start: start, length: length)
            }
        }
    }

    /// One crafted archive in a searched folder is named as unreadable; the logs beside it are read.
    @Test func aCraftedArchiveInAFolderIsNamedAndTheRestIsRead() throws {
        let root = TestSupport.temporaryFolder()
        defer { TestSupport.remove(root) }
        let log = TestSupport.header + String(repeating: Self.record, count: 3)
        TestSupport.write(log, to: "\(root)/MBX01/IMAP4BE2026111607-1.LOG")
        TestSupport.write(
            CraftedZip.zip64Only(entryCount: 1, directorySize: 1 << 63, directoryOffset: 1 << 63),
            to: "\(root)/MBX02.zip")
        let plan = InputDiscovery.plan(paths: [root])
        #expect(plan.inputs.map(\.displayPath) == ["\(root)/MBX01/IMAP4BE2026111607-1.LOG"])
        #expect(plan.problems.count == 1)
        #expect(plan.problems.first?.path == "\(root)/MBX02.zip")
        #expect(plan.problems.first?.message.contains("not a readable .zip archive") == true)
        let result = LogAnalysis.run(plan: plan, options: AnalysisOptions())
        #expect(result.summary.records == 3)
        #expect(result.problems == plan.problems)
    }

    // MARK: - Finding 5: entries sharing bytes, bombs

    /// Two entries pointing at one local header: with enough of them, 8.5 MB inflated to 70 TB.
    @Test func entriesSharingBytesAreRefused() throws {
        let data = CraftedZip.rawDeflate(Array(String(repeating: "a line of a log\n", count: 100).utf8))
        let local = CraftedZip.local(name: "IMAP4BE2026111607-1.LOG", method: 8, data: data)
        let central = (1...3).map { n in
            CraftedZip.central(
                name: "IMAP4BE2026111607-\(n).LOG", method: 8, compressed: UInt32(data.count), uncompressed: 1600,
                offset: 0)
        }
        try expectRefused(CraftedZip.archive(locals: [local], central: central), saying: "share bytes")
    }

    /// An entry whose data would run into the central directory (a stored entry reading the directory as text).
    @Test func anEntryOverlappingTheCentralDirectoryIsRefused() throws {
        let data = Array("line\n".utf8)
        let local = CraftedZip.local(name: "IMAP4BE2026111607-1.LOG", data: data)
        let entry = CraftedZip.central(name: "IMAP4BE2026111607-1.LOG", compressed: UInt32(data.count) + 40, offset: 0)
        try expectRefused(CraftedZip.archive(locals: [local], central: [entry]), saying: "lies outside the archive")
    }

    /// The directory's entries do not overlap, but a local header's long extra field pushes the data into the next.
    @Test func aLocalHeaderPushingDataIntoTheNextEntryIsRefusedOnOpening() throws {
        let folder = TestSupport.temporaryFolder()
        defer { TestSupport.remove(folder) }
        let one = Array("first\n".utf8)
        let two = Array("second\n".utf8)
        let nameOne = "IMAP4BE2026111607-1.LOG"
        let nameTwo = "IMAP4BE2026111607-2.LOG"
        // The first local header says its extra field is 40 bytes long: its data would start inside the second.
        var localOne = CraftedZip.local(name: nameOne, data: one)
        localOne.replaceSubrange(28..<30, with: CraftedZip.le16(40))
        let localTwo = CraftedZip.local(name: nameTwo, data: two)
        let archive = CraftedZip.archive(
            locals: [localOne, localTwo],
            central: [
                CraftedZip.central(name: nameOne, compressed: UInt32(one.count), offset: 0),
                CraftedZip.central(
                    name: nameTwo, compressed: UInt32(two.count), uncompressed: UInt32(two.count),
                    crc: CraftedZip.crc32(two), offset: UInt32(localOne.count)),
            ])
        TestSupport.write(archive, to: folder + "/a.zip")
        let directory = try ZipDirectory.read(path: folder + "/a.zip")
        #expect(directory.entries.count == 2)
        #expect(throws: ImapLogError.self) {
            _ = try ZipDirectory.open(entry: directory.entries[0], archivePath: folder + "/a.zip")
        }
        #expect(
            try TestSupport.readAll(ZipDirectory.open(entry: directory.entries[1], archivePath: folder + "/a.zip"))
                == two)
    }

    /// A deflated bomb of line ends stops at the line limit and says so; the next entry is read whole.
    @Test func aZipBombEntryStopsAtTheLineLimitAndTheNextIsRead() throws {
        let root = TestSupport.temporaryFolder()
        defer { TestSupport.remove(root) }
        let bomb = [UInt8](repeating: 0x0A, count: 8 << 20)
        let log = Array((TestSupport.header + String(repeating: Self.record, count: 5)).utf8)
        TestSupport.write(
            Archiver.zip([("Imap4/IMAP42026111607-1.LOG", bomb), ("Imap4/IMAP42026111608-1.LOG", log)]),
            to: "\(root)/CAS01.zip")
        let directory = try ZipDirectory.read(path: "\(root)/CAS01.zip")
        let compressed = directory.entries[0].compressedSize
        let (bytes, error) = Self.readUntilError(
            try ZipDirectory.open(entry: directory.entries[0], archivePath: "\(root)/CAS01.zip"))
        let lines = InflatingByteSource.maxLinesPerCompressedByte * compressed
        #expect(Int64(bytes.count) == lines)
        #expect(bytes.allSatisfy { $0 == 0x0A })
        #expect(
            error
                == .inflationLimit(
                    path: "\(root)/CAS01.zip!Imap4/IMAP42026111607-1.LOG", compressedBytes: compressed,
                    inflatedBytes: lines, lines: lines))

        let result = LogAnalysis.run(plan: InputDiscovery.plan(paths: [root]), options: AnalysisOptions())
        #expect(result.summary.records == 5)
        #expect(result.summary.files.map(\.lines) == [bytes.count, 11])
        #expect(result.problems.count == 1)
        #expect(result.problems.first?.message.contains("past imaplog's limit of 200 bytes or 8 lines") == true)
        #expect(result.summary.files.first?.error == result.problems.first?.message)
    }

    /// A bomb of long lines stops at the byte limit, from a file and through standard input.
    @Test func aGzipBombStopsAtTheByteLimitFromAFileAndFromStandardInput() throws {
        let folder = TestSupport.temporaryFolder()
        defer { TestSupport.remove(folder) }
        let line = [UInt8](repeating: 0x41, count: 999) + [0x0A]
        let gz = Archiver.gzip(Array([[UInt8]](repeating: line, count: 8 << 10).joined()))
        TestSupport.write(gz, to: folder + "/IMAP4BE2026111607-1.LOG.gz")
        let (bytes, error) = Self.readUntilError(
            try InflatingByteSource(
                wrapping: DescriptorByteSource(path: folder + "/IMAP4BE2026111607-1.LOG.gz"), format: .gzip,
                path: "bomb.gz"))
        #expect(Int64(bytes.count) == InflatingByteSource.maxInflationRatio * Int64(gz.count))
        let lineEnds = bytes.count(where: { $0 == 0x0A })
        #expect(
            error
                == .inflationLimit(
                    path: "bomb.gz", compressedBytes: Int64(gz.count), inflatedBytes: Int64(bytes.count),
                    lines: Int64(lineEnds)))
        // Standard input sniffs gzip: the same limit (the line it cuts is not one: its end never came).
        let summary = LogAnalysis.analyse(bytes: gz, path: "-")
        #expect(summary.lines == lineEnds)
        #expect(summary.files.first?.error?.contains("past imaplog's limit") == true)
    }

    /// Many small members, each a bomb of its own: the limit counts the whole input.
    @Test func aMultiMemberGzipBombStopsAtTheLimit() throws {
        let member = Archiver.gzip([UInt8](repeating: 0x0A, count: 200_000))
        let gz = Array([[UInt8]](repeating: member, count: 100).joined())
        let (bytes, error) = Self.readUntilError(
            try InflatingByteSource(wrapping: MemoryByteSource(gz), format: .gzip, path: "members.gz"))
        #expect(Int64(bytes.count) == InflatingByteSource.maxLinesPerCompressedByte * Int64(gz.count))
        guard case .inflationLimit? = error else {
            Issue.record("expected the inflation limit, got \(String(describing: error))")
            return
        }
    }

    /// The limit is generous for real logs: a client flooding one bad command (the time and the sequence number
    /// going on) compresses about 40 times, and is read whole.
    @Test func aRealisticFloodIsReadWhole() throws {
        var text = TestSupport.header
        for i in 0..<40_000 {
            text +=
                "2026-11-16T07:00:00.000Z,08DCF1A2B3C4D5E6,\(i),10.0.2.22:143,198.51.100.7:40000,,0,3,24,x,,"
                + "R=\"x BAD Command Error. 12\"\r\n"
        }
        let log = Array(text.utf8)
        let gz = Archiver.gzip(log)
        #expect(log.count / gz.count > 30)
        let (bytes, error) = Self.readUntilError(
            try InflatingByteSource(wrapping: MemoryByteSource(gz), format: .gzip, path: "flood.gz"))
        #expect(error == nil)
        #expect(bytes == log)
    }

    /// The line count behind the line limit, 16 bytes at a time: every length around its blocks, every density.
    @Test func lineEndsAreCountedExactly() {
        var generator = SystemRandomNumberGenerator()
        for length in [0, 1, 15, 16, 17, 31, 254 * 16, 255 * 16 - 1, 255 * 16, 255 * 16 + 17, 70_001] {
            for density in [0, 3, 256] {
                let bytes = (0..<length).map { _ in
                    density == 256
                        || (density > 0 && UInt8.random(in: 0...255, using: &generator) % UInt8(density) == 0)
                        ? UInt8(0x0A) : UInt8.random(in: 0x0B...0xFF, using: &generator)
                }
                let counted = bytes.withUnsafeBufferPointer { buffer in
                    buffer.baseAddress.map { InflatingByteSource.countLineEnds($0, length) } ?? 0
                }
                #expect(counted == bytes.count(where: { $0 == 0x0A }), "\(length) bytes, density \(density)")
            }
        }
    }

    // MARK: - Finding 8: bytes before the damage

    /// A bad CRC is found after the whole member is inflated: every line comes out, then the error.
    @Test func aBadCheckValueLosesNoLine() throws {
        let folder = TestSupport.temporaryFolder()
        defer { TestSupport.remove(folder) }
        let text = TestSupport.header + Self.records(875)
        var gz = Archiver.gzip(Array(text.utf8))
        gz[gz.count - 8] ^= 0xFF  // the CRC-32 of the trailer
        let (bytes, error) = Self.readUntilError(
            try InflatingByteSource(wrapping: MemoryByteSource(gz), format: .gzip, path: "crc.gz"), readSize: 1 << 20)
        #expect(bytes == Array(text.utf8))
        guard case .badCompressedData(_, _, let reason)? = error else {
            Issue.record("expected damaged data, got \(String(describing: error))")
            return
        }
        #expect(reason.contains("check"))

        TestSupport.write(gz, to: folder + "/MBX01/IMAP4BE2026111607-1.LOG.gz")
        let result = LogAnalysis.run(plan: InputDiscovery.plan(paths: [folder]), options: AnalysisOptions())
        #expect(result.summary.records == 875)
        #expect(result.summary.files.first?.error != nil)
        #expect(result.problems.count == 1)
    }

    /// A `.zip` entry whose bytes do not match the directory's CRC-32 or size, stored or deflated, gives every line
    /// it holds, then the damage is said (the file's error, a problem: exit 74), as a `.gz` member's is.
    @Test(arguments: [(UInt16(0), "crc"), (UInt16(8), "crc"), (UInt16(0), "size"), (UInt16(8), "size")])
    func aZipEntryThatDoesNotMatchItsCheckValueIsSaid(method: UInt16, damage: String) throws {
        let folder = TestSupport.temporaryFolder()
        defer { TestSupport.remove(folder) }
        let log = Array((TestSupport.header + Self.records(50)).utf8)
        let name = "CAS01/IMAP42026111607-1.LOG"
        let data = method == 0 ? log : CraftedZip.rawDeflate(log)
        let crc = CraftedZip.crc32(log) ^ (damage == "crc" ? 0xDEAD_BEEF : 0)
        let size = UInt32(log.count) + (damage == "size" ? 1 : 0)
        TestSupport.write(
            CraftedZip.archive(
                locals: [CraftedZip.local(name: name, method: method, data: data)],
                central: [
                    CraftedZip.central(
                        name: name, method: method, compressed: UInt32(data.count), uncompressed: size, crc: crc,
                        offset: 0)
                ]), to: folder + "/a.zip")
        let entry = try #require(try ZipDirectory.read(path: folder + "/a.zip").entries.first)
        let (bytes, error) = Self.readUntilError(try ZipDirectory.open(entry: entry, archivePath: folder + "/a.zip"))
        #expect(bytes == log)
        guard case .badCompressedData(_, _, let reason)? = error else {
            Issue.record("expected damaged data, got \(String(describing: error))")
            return
        }
        #expect(reason.contains(damage == "crc" ? "CRC" : "bytes where the archive's directory says"))
        let result = LogAnalysis.run(plan: InputDiscovery.plan(paths: [folder]), options: AnalysisOptions())
        #expect(result.summary.records == 50)
        #expect(result.summary.files.first?.error != nil)
        #expect(result.problems.count == 1)
    }

    /// An end record that counts fewer entries than the directory holds hides none of them.
    @Test func entriesPastTheEndRecordsCountAreRead() throws {
        let folder = TestSupport.temporaryFolder()
        defer { TestSupport.remove(folder) }
        let one = Array((TestSupport.header + Self.records(3)).utf8)
        let two = Array((TestSupport.header + Self.records(4)).utf8)
        let names = ["CAS01/IMAP42026111607-1.LOG", "CAS02/IMAP42026111607-1.LOG"]
        let localOne = CraftedZip.local(name: names[0], data: one)
        let localTwo = CraftedZip.local(name: names[1], data: two)
        let directory =
            CraftedZip.central(
                name: names[0], compressed: UInt32(one.count), uncompressed: UInt32(one.count),
                crc: CraftedZip.crc32(one), offset: 0)
            + CraftedZip.central(
                name: names[1], compressed: UInt32(two.count), uncompressed: UInt32(two.count),
                crc: CraftedZip.crc32(two), offset: UInt32(localOne.count))
        let body = localOne + localTwo
        let archive =
            body + directory
            + CraftedZip.end(count: 1, size: UInt32(directory.count), offset: UInt32(body.count))
        TestSupport.write(archive, to: folder + "/a.zip")
        #expect(try ZipDirectory.read(path: folder + "/a.zip").entries.map(\.name) == names)
        let result = LogAnalysis.run(plan: InputDiscovery.plan(paths: [folder]), options: AnalysisOptions())
        #expect(result.summary.records == 7)
        #expect(result.problems.isEmpty)
    }

    /// The same entry with the right CRC-32 and size is read without a word.
    @Test func aZipEntryThatMatchesItsCheckValueIsReadQuietly() throws {
        let folder = TestSupport.temporaryFolder()
        defer { TestSupport.remove(folder) }
        let log = Array((TestSupport.header + Self.records(50)).utf8)
        TestSupport.write(Archiver.zip([("CAS01/IMAP42026111607-1.LOG", log)]), to: folder + "/a.zip")
        let result = LogAnalysis.run(plan: InputDiscovery.plan(paths: [folder]), options: AnalysisOptions())
        #expect(result.summary.records == 50)
        #expect(result.problems.isEmpty)
    }

    /// A file cut short: the bytes inflated before the cut come out, then the error.
    @Test func aCutGzipKeepsWhatItInflated() throws {
        let text = Array((TestSupport.header + Self.records(2000)).utf8)
        let gz = Archiver.gzip(text)
        let cut = Array(gz.prefix(gz.count - 100))
        let (bytes, error) = Self.readUntilError(
            try InflatingByteSource(wrapping: MemoryByteSource(cut), format: .gzip, path: "cut.gz"), readSize: 1 << 20)
        #expect(error != nil)
        #expect(bytes.count > text.count - 20_000)
        #expect(Array(text.prefix(bytes.count)) == bytes)
    }

    /// A read error part-way: the compressed bytes read before it are inflated, then the read error is said.
    @Test func aReadErrorComesAfterTheBytesReadBeforeIt() throws {
        let text = Array((TestSupport.header + Self.records(2000)).utf8)
        let gz = Archiver.gzip(text)
        let failing = FailingByteSource(bytes: Array(gz.prefix(gz.count / 2)))
        let (bytes, error) = Self.readUntilError(
            try InflatingByteSource(wrapping: failing, format: .gzip, path: "x.gz"), readSize: 1 << 20)
        #expect(error == FailingByteSource.failure)
        #expect(bytes.count > text.count / 3)
        #expect(Array(text.prefix(bytes.count)) == bytes)
    }

    /// Bytes after the last member are not gzip: said, never read as text; zeros (padding) are passed over.
    @Test func trailingBytesAreSaidAndZerosPassedOver() throws {
        let text = Array((TestSupport.header + Self.record).utf8)
        let gz = Archiver.gzip(text)
        let padded = Self.readUntilError(
            try InflatingByteSource(
                wrapping: MemoryByteSource(gz + [UInt8](repeating: 0, count: 1000)), format: .gzip, path: "p.gz"))
        #expect(padded.bytes == text && padded.error == nil)
        let planted = Self.readUntilError(
            try InflatingByteSource(
                wrapping: MemoryByteSource(gz + [0, 0] + Array(Self.record.utf8)), format: .gzip, path: "t.gz"))
        #expect(planted.bytes == text)
        #expect(
            planted.error
                == .badCompressedData(
                    path: "t.gz", byteOffset: Int64(gz.count + 2),
                    reason: "bytes that are not gzip follow the end of the compressed data; they were not read"))
    }

    // MARK: - Finding 9: a `.LOG.gz` inside a `.zip`

    @Test func aGzippedLogInsideAZipIsInflated() throws {
        let root = TestSupport.temporaryFolder()
        defer { TestSupport.remove(root) }
        let log = Array((TestSupport.header + String(repeating: Self.record, count: 4)).utf8)
        TestSupport.write(Archiver.zip([("MBX01/IMAP4BE2026111607-1.LOG.gz", Archiver.gzip(log))]), to: "\(root)/c.zip")
        // Stored too: the gzip bytes as they are in the archive.
        let gz = Archiver.gzip(log)
        TestSupport.write(
            CraftedZip.archive(
                locals: [CraftedZip.local(name: "MBX02/IMAP4BE2026111607-1.LOG.gz", data: gz)],
                central: [
                    CraftedZip.central(
                        name: "MBX02/IMAP4BE2026111607-1.LOG.gz", compressed: UInt32(gz.count),
                        uncompressed: UInt32(gz.count), crc: CraftedZip.crc32(gz), offset: 0)
                ]), to: "\(root)/d.zip")
        let result = LogAnalysis.run(plan: InputDiscovery.plan(paths: [root]), options: AnalysisOptions())
        #expect(result.problems.isEmpty)
        #expect(result.summary.files.count == 2)
        #expect(result.summary.records == 8)
        #expect(result.summary.skipped == 0)
    }

    /// Nesting gains nothing: a gzip bomb deflated again in a `.zip` stops at the limit of the archive's bytes.
    @Test func aGzipBombInsideAZipIsMeasuredAgainstTheArchive() throws {
        let folder = TestSupport.temporaryFolder()
        defer { TestSupport.remove(folder) }
        let gz = Archiver.gzip([UInt8](repeating: 0x0A, count: 16 << 20))
        TestSupport.write(Archiver.zip([("IMAP4BE2026111607-1.LOG.gz", gz)]), to: folder + "/n.zip")
        let directory = try ZipDirectory.read(path: folder + "/n.zip")
        let entry = try #require(directory.entries.first)
        #expect(entry.compressedSize < gz.count)
        let (bytes, error) = Self.readUntilError(try ZipDirectory.open(entry: entry, archivePath: folder + "/n.zip"))
        #expect(Int64(bytes.count) <= InflatingByteSource.maxLinesPerCompressedByte * entry.compressedSize)
        guard case .inflationLimit? = error else {
            Issue.record("expected the inflation limit, got \(String(describing: error))")
            return
        }
    }

    // MARK: - Helpers

    static let record =
        "2026-11-16T07:00:01.000Z,08DCF1A2B3C4D5E6,1,10.0.2.22:143,10.0.1.5:52344,bob@contoso.com,3,6,28,noop,,"
        + "R=\"a1 OK NOOP completed.\"\r\n"

    /// `count` records, each a second after the last with the next sequence number: they compress as a log does.
    static func records(_ count: Int) -> String {
        (0..<count).map { i in
            let time = "2026-11-16T07:\(i / 600 % 60 / 10)\(i / 60 % 10):\(i % 60 / 10)\(i % 10).000Z"
            return "\(time),08DCF1A2B3C4D5E6,\(i),10.0.2.22:143,10.0.1.5:52344,bob@contoso.com,\(i % 7),6,28,noop,,"
                + "R=\"a1 OK NOOP completed.\"\r\n"
        }.joined()
    }

    private func expectRefused(_ archive: [UInt8], saying words: String) throws {
        let folder = TestSupport.temporaryFolder()
        defer { TestSupport.remove(folder) }
        TestSupport.write(archive, to: folder + "/crafted.zip")
        do {
            let directory = try ZipDirectory.read(path: folder + "/crafted.zip")
            // Read, the entries must not open either: nothing may trap.
            for entry in directory.entries {
                _ = try TestSupport.readAll(ZipDirectory.open(entry: entry, archivePath: folder + "/crafted.zip"))
            }
            Issue.record("the crafted archive was read")
        } catch {
            guard case .badArchive(_, let reason) = error else {
                Issue.record("expected a bad archive, got \(error)")
                return
            }
            #expect(reason.contains(words), "\(reason)")
        }
    }

    /// Every byte a source gives before its first error, and that error.
    static func readUntilError(_ source: @autoclosure () throws -> ByteSource, readSize: Int = 4096) -> (
        bytes: [UInt8], error: ImapLogError?
    ) {
        var out: [UInt8] = []
        do {
            let opened = try source()
            var buffer = [UInt8](repeating: 0, count: readSize)
            while true {
                let n = try buffer.withUnsafeMutableBytes { raw in
                    Result { () throws(ImapLogError) -> Int in try opened.read(into: raw) }
                }.get()
                if n == 0 { return (out, nil) }
                out += buffer[0..<n]
            }
        } catch let error as ImapLogError {
            return (out, error)
        } catch {
            return (out, .readFailed(path: "?", byteOffset: 0, reason: "\(error)"))
        }
    }
}

/// Gives some bytes, then fails as a disk would.
private final class FailingByteSource: ByteSource {
    static let failure = ImapLogError.readFailed(path: "disk", byteOffset: 0, reason: "Input/output error")
    private let bytes: [UInt8]
    private var offset = 0

    init(bytes: [UInt8]) { self.bytes = bytes }

    func read(into buffer: UnsafeMutableRawBufferPointer) throws(ImapLogError) -> Int {
        guard offset < bytes.count else { throw Self.failure }
        let n = min(buffer.count, bytes.count - offset, 1000)
        bytes.withUnsafeBytes { raw in
            buffer.baseAddress?.copyMemory(from: raw.baseAddress.unsafelyUnwrapped + offset, byteCount: n)
        }
        offset += n
        return n
    }
}

/// `.zip` bytes written field by field, so that a test can write what no archiver would.
enum CraftedZip {
    static func le16(_ v: UInt16) -> [UInt8] { [UInt8(v & 0xFF), UInt8(v >> 8)] }
    static func le32(_ v: UInt32) -> [UInt8] { le16(UInt16(v & 0xFFFF)) + le16(UInt16(v >> 16)) }
    static func le64(_ v: UInt64) -> [UInt8] { le32(UInt32(v & 0xFFFF_FFFF)) + le32(UInt32(v >> 32)) }

    /// Raw deflate data (a `.zip` entry's), cut from a gzip member: 10 bytes of header, 8 of trailer.
    static func rawDeflate(_ bytes: [UInt8]) -> [UInt8] {
        let gz = Archiver.gzip(bytes)
        return Array(gz[10..<(gz.count - 8)])
    }

    /// A local file header and its data.
    static func local(name: String, method: UInt16 = 0, data: [UInt8]) -> [UInt8] {
        let nameBytes = Array(name.utf8)
        return le32(0x0403_4b50) + le16(20) + le16(0) + le16(method) + le32(0) + le32(0)
            + le32(UInt32(data.count)) + le32(UInt32(data.count)) + le16(UInt16(nameBytes.count)) + le16(0)
            + nameBytes + data
    }

    /// A central directory entry.
    static func central(
        name: String, method: UInt16 = 0, compressed: UInt32 = 0, uncompressed: UInt32 = 0, crc: UInt32 = 0,
        offset: UInt32, extra: [UInt8] = []
    ) -> [UInt8] {
        let nameBytes = Array(name.utf8)
        return le32(0x0201_4b50) + le16(20) + le16(20) + le16(0) + le16(method) + le32(0) + le32(crc)
            + le32(compressed) + le32(uncompressed) + le16(UInt16(nameBytes.count)) + le16(UInt16(extra.count))
            + le16(0) + le16(0) + le16(0) + le32(0) + le32(offset) + nameBytes + extra
    }

    /// The CRC-32 a `.zip` directory gives for `bytes` (the reflected polynomial 0xEDB88320, bit by bit).
    static func crc32(_ bytes: [UInt8]) -> UInt32 {
        var crc: UInt32 = 0xFFFF_FFFF
        for byte in bytes {
            crc ^= UInt32(byte)
            for _ in 0..<8 { crc = crc & 1 == 1 ? (crc >> 1) ^ 0xEDB8_8320 : crc >> 1 }
        }
        return ~crc
    }

    /// A Zip64 extra field holding `values` (the sizes and offset whose 32-bit fields are 0xFFFFFFFF, in order).
    static func zip64Extra(_ values: [UInt64]) -> [UInt8] {
        le16(1) + le16(UInt16(values.count * 8)) + values.flatMap(le64)
    }

    /// The end-of-central-directory record.
    static func end(count: UInt16, size: UInt32, offset: UInt32) -> [UInt8] {
        le32(0x0605_4b50) + le16(0) + le16(0) + le16(count) + le16(count) + le32(size) + le32(offset) + le16(0)
    }

    /// Local headers, then the central directory, then its end record.
    static func archive(locals: [[UInt8]], central: [[UInt8]]) -> [UInt8] {
        let body = Array(locals.joined())
        let directory = Array(central.joined())
        return body + directory
            + end(count: UInt16(central.count), size: UInt32(directory.count), offset: UInt32(body.count))
    }

    /// A Zip64 end record at offset 0 holding the numbers given, its locator, and an end record pointing there.
    static func zip64Only(entryCount: UInt64, directorySize: UInt64, directoryOffset: UInt64) -> [UInt8] {
        let record =
            le32(0x0606_4b50) + le64(44) + le16(45) + le16(45) + le32(0) + le32(0) + le64(entryCount)
            + le64(entryCount) + le64(directorySize) + le64(directoryOffset)
        let locator = le32(0x0706_4b50) + le32(0) + le64(0) + le32(1)
        return record + locator + end(count: 0xFFFF, size: 0xFFFF_FFFF, offset: 0xFFFF_FFFF)
    }
}
