import Foundation
import SampleLogKit
import Testing

@testable import ImapLogKit

/// Rows a report cites, read again for the HTML report's evidence.
@Suite("Reading cited rows again")
struct RowReadingTests {
    @Test func rowsAreReadByPlaceCutAndBounded() throws {
        let folder = TestSupport.temporaryFolder()
        defer { TestSupport.remove(folder) }
        let path = folder + "/IMAP42026111709-1.LOG"
        let long = String(repeating: "é", count: 1_500)
        TestSupport.write("one\r\ntwo\r\n\(long)\r\nfour\r\n", to: path)
        let input = LogInput(location: .file(path: path), displayPath: path, role: .frontEnd)
        let rows = RowReading.read(
            [path + ":2", path + ":1", path + ":3", path + ":9", "elsewhere.log:1", path + ":x"], from: [input])
        #expect(rows[path + ":1"] == "one")
        #expect(rows[path + ":2"] == "two")
        // 2,000 bytes at most, cut between characters (é is two bytes).
        let cut = try #require(rows[path + ":3"])
        #expect(cut.utf8.count <= RowReading.maximumBytes + "…".utf8.count)
        #expect(cut.hasSuffix("é…"))
        #expect(rows[path + ":9"] == nil)
        #expect(rows["elsewhere.log:1"] == nil)
        #expect(rows.count == 3)
    }

    @Test func rowsAreReadFromGzipFilesAndZipEntriesByTheirReportedPaths() throws {
        let folder = TestSupport.temporaryFolder()
        defer { TestSupport.remove(folder) }
        let lines = (1...300).map { "2026-11-16T07:00:\(String(format: "%02d", $0 % 60)).000Z,row \($0)\n" }.joined()
        try FileManager.default.createDirectory(atPath: folder + "/MBX01", withIntermediateDirectories: true)
        TestSupport.write(Archiver.gzip(Array(lines.utf8)), to: folder + "/MBX01/IMAP4BE2026111607-1.LOG.gz")
        TestSupport.write(
            Archiver.zip([("Imap4/IMAP42026111607-1.LOG", Array(lines.utf8))]), to: folder + "/CAS01.zip")
        let inputs = InputDiscovery.plan(paths: [folder]).streams.flatMap { $0 }
        #expect(inputs.count == 2)
        let places = inputs.map { $0.displayPath + ":250" }
        #expect(places.contains { $0.contains(".zip!") } && places.contains { $0.contains(".gz:") })
        let rows = RowReading.read(places, from: inputs)
        for place in places { #expect(rows[place] == "2026-11-16T07:00:10.000Z,row 250", "\(place)") }
    }

    @Test func aFileGoneIsNotReadableNow() {
        let input = LogInput(
            location: .file(path: "/nonexistent/x.LOG"), displayPath: "/nonexistent/x.LOG", role: .frontEnd)
        #expect(RowReading.read(["/nonexistent/x.LOG:1"], from: [input]).isEmpty)
        let stdin = LogInput(location: .standardInput, displayPath: "-", role: .unknown)
        #expect(RowReading.read(["-:1"], from: [stdin]).isEmpty)
    }

    @Test func atMostTwentyRowsAreRead() {
        let folder = TestSupport.temporaryFolder()
        defer { TestSupport.remove(folder) }
        let path = folder + "/a.LOG"
        TestSupport.write((1...50).map { "row \($0)\n" }.joined(), to: path)
        let input = LogInput(location: .file(path: path), displayPath: path, role: .frontEnd)
        let rows = RowReading.read((1...50).map { "\(path):\($0)" }, from: [input])
        #expect(rows.count == RowReading.maximumRows)
        #expect(rows[path + ":20"] == "row 20")
    }
}
