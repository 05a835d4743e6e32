import Testing

@testable import ImapLogKit

@Suite("LineReader")
struct LineReaderTests {
    /// Collects lines (as text) and their flags.
    private func lines(_ bytes: [UInt8], buffer: Int = 64, maxLine: Int = 16) throws -> [(String, Bool, Bool)] {
        let reader = LineReader(bufferCapacity: buffer, maxLineLength: maxLine)
        var out: [(String, Bool, Bool)] = []
        try reader.forEachLine(of: MemoryByteSource(bytes)) { line in
            out.append((String(decoding: line.bytes, as: UTF8.self), line.isOverlong, line.isUnterminated))
        }
        return out
    }

    @Test func splitsOnLineFeedAndKeepsCarriageReturnForTheParser() throws {
        let result = try lines(Array("a\r\nbb\nccc\n".utf8))
        #expect(result.map(\.0) == ["a\r", "bb", "ccc"])
        #expect(result.allSatisfy { !$0.1 && !$0.2 })
    }

    @Test func handsOverAnUnterminatedLastLine() throws {
        let result = try lines(Array("one\ntwo".utf8))
        #expect(result.map(\.0) == ["one", "two"])
        #expect(result.last?.2 == true)
        #expect(result.first?.2 == false)
    }

    @Test func emptyInputHasNoLines() throws {
        #expect(try lines([]).isEmpty)
    }

    @Test func linesAcrossManyRefillsArriveWhole() throws {
        let text = (0..<500).map { "line \($0)" }.joined(separator: "\n") + "\n"
        let result = try lines(Array(text.utf8), buffer: 32, maxLine: 16)
        #expect(result.count == 500)
        #expect(result[499].0 == "line 499")
    }

    @Test func dropsOverlongLinesButCountsThemOnce() throws {
        let long = String(repeating: "x", count: 1000)
        let result = try lines(Array("short\n\(long)\nafter\n".utf8), buffer: 64, maxLine: 16)
        #expect(result.map(\.0) == ["short", "", "after"])
        #expect(result.map(\.1) == [false, true, false])
    }

    @Test func anOverlongLastLineWithoutEndIsReported() throws {
        let result = try lines(Array(("ok\n" + String(repeating: "y", count: 300)).utf8), buffer: 64, maxLine: 16)
        #expect(result.count == 2)
        #expect(result[1].1 && result[1].2)
    }
}

#if os(Linux)
    import Glibc

    @Suite("Standard input")
    struct StandardInputTests {
        @Test func aPipeOnStandardInputGetsAOneMebibyteBuffer() throws {
            var ends: [Int32] = [0, 0]
            try #require(pipe(&ends) == 0)
            defer {
                close(ends[0])
                close(ends[1])
            }
            let getPipeSize: Int32 = 1032  // F_GETPIPE_SZ
            let before = fcntl(ends[0], getPipeSize)
            let input = LogInput(location: .standardInput, displayPath: "-", role: .unknown, serverHint: nil)
            _ = try input.open(standardInput: ends[0])
            let after = fcntl(ends[0], getPipeSize)
            // Linux gives 64 KiB; 1 MiB is the most an unprivileged process may ask for by default.
            #expect(before < 1 << 20)
            #expect(after == 1 << 20)
        }
    }
#endif
