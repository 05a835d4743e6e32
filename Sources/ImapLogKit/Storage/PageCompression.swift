import CZlib

/// Packed minute pages, deflated when asked and when that makes them shorter.
///
/// A day's variable-length numbers still spend a byte or more on every small count and two or three on every
/// latency; zlib's fastest level codes them in about 40 % of that (the 335 days of five servers: 38 MB of
/// packed minutes, 15.5 MB deflated day by day). A page is deflated once, when its day is packed, and
/// inflated each time it is read, which costs far more than reading plain numbers: tables deflate only past a
/// size (`MinuteTable.deflateAbove`), so a few days of logs pay nothing.
///
/// The first byte says how the rest is kept: 0, the numbers as they are; 1, their length (four bytes, low
/// first), then a raw deflate stream of them.
enum PageCompression {
    /// Pages shorter than this stay as they are: too short to gain.
    static let minimumLength = 64
    private static let headerLength = 5

    /// Raw deflate, with zlib's default window and memory.
    ///
    /// No header, no checksum: a page lives in this process only. A 4 KiB window and small hash tables made it
    /// slower, not faster (merging the 4.3 GB run's summary: 891 M instructions deflating and inflating pages,
    /// against 458 M with the defaults).
    private static let windowBits: Int32 = -15
    private static let memoryLevel: Int32 = 8

    /// A page of `bytes`: deflated if `deflating` and shorter so, else as they are.
    static func stored(_ bytes: [UInt8], deflating: Bool) -> [UInt8] {
        if deflating && bytes.count >= minimumLength, let deflated = deflate(bytes), deflated.count < bytes.count {
            var page: [UInt8] = [1]
            page.reserveCapacity(headerLength + deflated.count)
            for k in 0..<4 { page.append(UInt8(truncatingIfNeeded: bytes.count >> (8 * k))) }
            page += deflated
            return page
        }
        return [0] + bytes
    }

    private static func deflate(_ bytes: [UInt8]) -> [UInt8]? {
        var stream = z_stream()
        guard
            deflateInit2_(
                &stream, Z_BEST_SPEED, Z_DEFLATED, windowBits, memoryLevel, Z_DEFAULT_STRATEGY, zlibVersion(),
                Int32(MemoryLayout<z_stream>.size)) == Z_OK
        else { return nil }
        defer { deflateEnd(&stream) }
        let bound = Int(deflateBound(&stream, uLong(bytes.count)))
        var produced = 0
        let output = [UInt8](unsafeUninitializedCapacity: bound) { out, count in
            let status = bytes.withUnsafeBufferPointer { input in
                stream.next_in = UnsafeMutablePointer(mutating: input.baseAddress)
                stream.avail_in = uInt(input.count)
                stream.next_out = out.baseAddress
                stream.avail_out = uInt(bound)
                return CZlib.deflate(&stream, Z_FINISH)
            }
            produced = status == Z_STREAM_END ? bound - Int(stream.avail_out) : 0
            count = produced
        }
        return produced > 0 ? output : nil
    }

    /// The numbers of a page `stored` made: in `bytes` from `start` on (a plain page is read where it is, not
    /// copied; a deflated one is inflated).
    static func numbers(of page: [UInt8]) -> (bytes: [UInt8], start: Int) {
        page.first == 1 ? (decompressed(page), 0) : (page, 1)
    }

    /// The numbers of a page `stored` made, on their own.
    static func decompressed(_ page: [UInt8]) -> [UInt8] {
        guard page.first == 1, page.count > headerLength else { return Array(page.dropFirst()) }
        let length = (0..<4).reduce(0) { $0 | Int(page[1 + $1]) << (8 * $1) }
        var stream = z_stream()
        precondition(
            inflateInit2_(&stream, windowBits, zlibVersion(), Int32(MemoryLayout<z_stream>.size)) == Z_OK,
            "zlib cannot start inflating")
        defer { inflateEnd(&stream) }
        return [UInt8](unsafeUninitializedCapacity: length) { out, count in
            let status = page.withUnsafeBufferPointer { input in
                stream.next_in = UnsafeMutablePointer(mutating: input.baseAddress.unsafelyUnwrapped + headerLength)
                stream.avail_in = uInt(input.count - headerLength)
                stream.next_out = out.baseAddress
                stream.avail_out = uInt(length)
                return inflate(&stream, Z_FINISH)
            }
            precondition(
                status == Z_STREAM_END && stream.avail_out == 0, "a packed page this process wrote does not inflate")
            count = length
        }
    }
}
