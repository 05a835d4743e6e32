import CZlib

/// Packed minute pages, deflated when asked and when that makes them shorter.
///
/// A day's variable-length numbers still spend a byte or more on every small count and two or three on every
/// latency; zlib's fastest level codes them in about 40 % of that (the 335 days of five servers: 38 MB of
/// packed minutes, 15.5 MB deflated day by day). A page is deflated once, when its day is packed, and
/// inflated each time it is read, some 20 instructions a byte each way: tables deflate only past a size
/// (`MinuteTable.deflateAbove`), so the usual spans of days and weeks pay nothing.
///
/// The first byte says how the rest is kept: 0, the numbers as they are; 1, their length (four bytes, low
/// first), then a zlib stream of them.
enum PageCompression {
    /// Pages shorter than this stay as they are: zlib's header and checksum would eat the gain.
    static let minimumLength = 64
    private static let headerLength = 5

    /// A page of `bytes`: deflated if `deflating` and shorter so, else as they are.
    static func stored(_ bytes: [UInt8], deflating: Bool) -> [UInt8] {
        if deflating && bytes.count >= minimumLength {
            var bound = compressBound(uLong(bytes.count))
            var output = [UInt8](repeating: 0, count: headerLength + Int(bound))
            let status = output.withUnsafeMutableBufferPointer { out in
                bytes.withUnsafeBufferPointer { input in
                    compress2(
                        out.baseAddress.unsafelyUnwrapped + headerLength, &bound, input.baseAddress,
                        uLong(input.count), Z_BEST_SPEED)
                }
            }
            let length = headerLength + Int(bound)
            if status == Z_OK && length < bytes.count + 1 {
                output[0] = 1
                for k in 0..<4 { output[1 + k] = UInt8(truncatingIfNeeded: bytes.count >> (8 * k)) }
                // Kept for long: a copy of exactly its size.
                return Array(output[0..<length])
            }
        }
        return [0] + bytes
    }

    /// The numbers of a page `stored` made.
    static func decompressed(_ page: [UInt8]) -> [UInt8] {
        guard page.first == 1, page.count > headerLength else { return Array(page.dropFirst()) }
        let length = (0..<4).reduce(0) { $0 | Int(page[1 + $1]) << (8 * $1) }
        let start = headerLength
        var outputLength = uLong(length)
        let output = [UInt8](unsafeUninitializedCapacity: length) { out, count in
            let status = page.withUnsafeBufferPointer { input in
                uncompress(
                    out.baseAddress, &outputLength, input.baseAddress.unsafelyUnwrapped + start,
                    uLong(input.count - start))
            }
            precondition(status == Z_OK && outputLength == length, "a packed page this process wrote does not inflate")
            count = Int(outputLength)
        }
        return output
    }
}
