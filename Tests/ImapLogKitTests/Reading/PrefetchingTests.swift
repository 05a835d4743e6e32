import Testing

@testable import ImapLogDiagnosis
@testable import ImapLogKit
@testable import ImapLogReport

@Suite("Reading ahead on another thread")
struct PrefetchingTests {
    /// Hands out its bytes a few at a time, then fails if asked to.
    final class TrickleSource: ByteSource {
        let bytes: [UInt8]
        let failsAtEnd: Bool
        var offset = 0
        var step = 1

        init(_ bytes: [UInt8], failsAtEnd: Bool = false) {
            self.bytes = bytes
            self.failsAtEnd = failsAtEnd
        }

        func read(into buffer: UnsafeMutableRawBufferPointer) throws(ImapLogError) -> Int {
            step = step % 97 + 13
            let n = min(buffer.count, bytes.count - offset, step)
            if n == 0 {
                if failsAtEnd { throw ImapLogError.readFailed(path: "x", byteOffset: Int64(offset), reason: "EIO") }
                return 0
            }
            for i in 0..<n { buffer[i] = bytes[offset + i] }
            offset += n
            return n
        }
    }

    private func drain(_ source: ByteSource, readSize: Int) throws(ImapLogError) -> [UInt8] {
        try TestSupport.readAll(source, readSize: readSize)
    }

    @Test(arguments: [1, 7, 4096, 70_000])
    func theSameBytesInTheSameOrder(readSize: Int) throws {
        let bytes = (0..<300_000).map { UInt8(truncatingIfNeeded: $0 &* 31 &+ $0 >> 9) }
        let source = PrefetchingByteSource(inner: TrickleSource(bytes), chunkSize: 1000, depth: 3)
        #expect(try drain(source, readSize: readSize) == bytes)
        #expect(try drain(PrefetchingByteSource(inner: TrickleSource([])), readSize: readSize).isEmpty)
    }

    @Test func anErrorComesAfterTheBytesReadBeforeIt() {
        let bytes = Array(repeating: UInt8(ascii: "a"), count: 5_000)
        let source = PrefetchingByteSource(inner: TrickleSource(bytes, failsAtEnd: true), chunkSize: 512, depth: 2)
        var got = 0
        var buffer = [UInt8](repeating: 0, count: 300)
        #expect(throws: ImapLogError.self) {
            while true {
                let n = try buffer.withUnsafeMutableBytes { raw in
                    Result { () throws(ImapLogError) -> Int in try source.read(into: raw) }
                }.get()
                if n == 0 { break }
                got += n
            }
        }
        #expect(got == bytes.count)
    }

    @Test func abandoningTheReaderStopsTheThread() throws {
        // Read a little, then drop it: the reading thread must not block forever on a full queue.
        for _ in 0..<50 {
            let source = PrefetchingByteSource(
                inner: TrickleSource([UInt8](repeating: 1, count: 100_000)), chunkSize: 100, depth: 2)
            var buffer = [UInt8](repeating: 0, count: 10)
            _ = try buffer.withUnsafeMutableBytes { raw in
                Result { () throws(ImapLogError) -> Int in try source.read(into: raw) }
            }.get()
        }
    }
}
