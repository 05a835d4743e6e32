import Foundation
import SampleLogKit
import Testing

@testable import ImapLogDiagnosis
@testable import ImapLogKit
@testable import ImapLogReport

@Suite("gzip and zip reading")
struct CompressionTests {
    private func readAll(_ source: ByteSource) throws -> [UInt8] {
        try TestSupport.readAll(source)
    }

    @Test func gzipRoundTripsAndConcatenatedMembersAreRead() throws {
        let folder = TestSupport.temporaryFolder()
        defer { TestSupport.remove(folder) }
        // Numbered, as a log's lines are: 2,000 identical lines compress 205 times, past the inflation limit.
        let a = Array((0..<2000).map { "first member line \($0)\n" }.joined().utf8)
        let b = Array("second member\n".utf8)
        TestSupport.write(Archiver.gzip(a) + Archiver.gzip(b), to: folder + "/x.LOG.gz")
        let source = try InflatingByteSource(
            wrapping: try DescriptorByteSource(path: folder + "/x.LOG.gz"), format: .gzip, path: "x")
        #expect(try readAll(source) == a + b)
    }

    @Test func aTruncatedGzipIsAnErrorNotSilence() throws {
        let folder = TestSupport.temporaryFolder()
        defer { TestSupport.remove(folder) }
        let data = Archiver.gzip(Array(String(repeating: "some log text 12345\n", count: 5000).utf8))
        TestSupport.write(Array(data.prefix(data.count / 2)), to: folder + "/cut.gz")
        let source = try InflatingByteSource(
            wrapping: try DescriptorByteSource(path: folder + "/cut.gz"), format: .gzip, path: "cut.gz")
        #expect(throws: ImapLogError.self) { _ = try readAll(source) }
    }

    @Test func zipEntriesAreListedAndInflated() throws {
        let folder = TestSupport.temporaryFolder()
        defer { TestSupport.remove(folder) }
        // Numbered: 300 identical 10-byte lines make 8.3 lines a compressed byte, past the inflation limit.
        let one = Array((0..<300).map { "entry one \($0)\n" }.joined().utf8)
        let two = Array("entry two\n".utf8)
        TestSupport.write(
            Archiver.zip([("Imap4/IMAP4BE2026111607-1.LOG", one), ("notes.txt", two)]), to: folder + "/a.zip")
        let directory = try ZipDirectory.read(path: folder + "/a.zip")
        #expect(directory.entries.map(\.name) == ["Imap4/IMAP4BE2026111607-1.LOG", "notes.txt"])
        let entry = try #require(directory.entries.first)
        #expect(try readAll(try ZipDirectory.open(entry: entry, archivePath: folder + "/a.zip")) == one)
    }

    @Test func aFileThatIsNotAZipSaysSo() throws {
        let folder = TestSupport.temporaryFolder()
        defer { TestSupport.remove(folder) }
        TestSupport.write(String(repeating: "not a zip at all\n", count: 10), to: folder + "/fake.zip")
        #expect(throws: ImapLogError.self) { try ZipDirectory.read(path: folder + "/fake.zip") }
    }
}
