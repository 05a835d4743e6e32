import Foundation
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
