import Testing

@testable import ImapLogDiagnosis
@testable import ImapLogKit
@testable import ImapLogReport

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

    /// Hands out `bytes` a random number of bytes at a time (a pipe gives what it holds).
    private final class ChunkedSource: ByteSource {
        private let bytes: [UInt8]
        private var offset = 0
        private var state: UInt64

        init(_ bytes: [UInt8], seed: UInt64) {
            self.bytes = bytes
            state = seed
        }

        func read(into buffer: UnsafeMutableRawBufferPointer) throws(ImapLogError) -> Int {
            state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            let n = min(buffer.count, bytes.count - offset, 1 + Int((state >> 33) % 40))
            guard n > 0 else { return 0 }
            for k in 0..<n { buffer[k] = bytes[offset + k] }
            offset += n
            return n
        }
    }

    @Test func piecesAndSuppliedBuffersGiveTheSameLinesAndSuppliedOnesStayWhereTheyWereRead() throws {
        // Lines of 0 to 40 bytes (past the 16 kept: overlong), with and without a last line end, read in pieces
        // of 1 to 40 bytes, as the whole input read at once gives them. A line of exactly 16 bytes is kept even
        // when its end comes in a later piece. With supplied buffers, the receiver asks for a fresh one after some
        // lines.
        var state: UInt64 = 5
        func next(_ n: Int) -> Int {
            state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            return Int((state >> 33) % UInt64(n))
        }
        for round in 0..<500 {
            var text: [UInt8] = []
            for _ in 0..<next(30) {
                text += (0..<next(41)).map { _ in UInt8(ascii: "a") + UInt8(next(26)) }
                text.append(next(5) == 0 ? 0x0D : UInt8(ascii: "x"))
                text.append(0x0A)
            }
            if next(2) == 0 { text += Array("tail".utf8) }
            let expected = try lines(text, buffer: 64, maxLine: 16)

            let reader = LineReader(bufferCapacity: 64, maxLineLength: 16)
            var buffers: [UnsafeMutableRawPointer] = []
            defer { for buffer in buffers { buffer.deallocate() } }
            // Every line handed out: each must still be where it was read, unchanged (a buffer handed on with its
            // lines is not written to again).
            var handedOut: [(UnsafeMutableRawBufferPointer, [UInt8])] = []
            var unmoved = true
            func checkHandedOut() {
                for (bytes, copy) in handedOut where Array(bytes) != copy { unmoved = false }
            }
            var got: [(String, Bool, Bool)] = []
            var requests = 0
            try reader.forEachLine(
                of: ChunkedSource(text, seed: UInt64(round)),
                supply: {
                    checkHandedOut()
                    let buffer = UnsafeMutableRawPointer.allocate(byteCount: 64, alignment: 64)
                    buffers.append(buffer)
                    return buffer
                }
            ) { line in
                got.append((String(decoding: line.bytes, as: UTF8.self), line.isOverlong, line.isUnterminated))
                handedOut.append((line.bytes, Array(line.bytes)))
                if next(4) == 0 {
                    line.wantsFreshBuffer = true
                    // After the last line, nothing is left to move.
                    if !line.isUnterminated { requests += 1 }
                }
            }
            checkHandedOut()
            // The reader's own buffer, read into in the same pieces.
            var own: [(String, Bool, Bool)] = []
            try LineReader(bufferCapacity: 64, maxLineLength: 16).forEachLine(
                of: ChunkedSource(text, seed: UInt64(round))
            ) { line in
                own.append((String(decoding: line.bytes, as: UTF8.self), line.isOverlong, line.isUnterminated))
            }
            #expect(own.map(\.0) == expected.map(\.0) && own.map(\.1) == expected.map(\.1), "\(text)")
            #expect(got.map(\.0) == expected.map(\.0) && got.map(\.1) == expected.map(\.1), "\(text)")
            #expect(got.map(\.2) == expected.map(\.2), "\(text)")
            #expect(unmoved, "\(text)")
            // A buffer is never read into again from its start: more than its size takes another, and so does
            // every request.
            #expect(buffers.count >= 1 + requests && (text.count <= 64 || buffers.count > 1), "\(text)")
        }
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
