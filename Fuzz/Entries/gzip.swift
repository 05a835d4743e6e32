// libFuzzer entry point: the gzip reader on bytes the fuzzer makes up (headers, damaged and cut members, several
// members in a row, padding and trailing bytes, bombs), as a `.gz` file, as raw deflate (a `.zip` entry's data)
// and through standard input's sniffing. Compiled together with the library targets' sources by
// `Fuzz/run.sh gzip` (not part of the package).
import Foundation

/// Every byte a source gives before its first error, and that error, read `readSize` bytes at a time.
private func readAll(_ source: ByteSource, readSize: Int) -> (bytes: [UInt8], error: ImapLogError?) {
    var out: [UInt8] = []
    var buffer = [UInt8](repeating: 0, count: readSize)
    while true {
        let result = buffer.withUnsafeMutableBytes { raw in
            Result { () throws(ImapLogError) -> Int in try source.read(into: raw) }
        }
        switch result {
        case .success(let n):
            precondition(n >= 0 && n <= readSize, "a read out of bounds")
            if n == 0 { return (out, nil) }
            out += buffer[0..<n]
        case .failure(let error):
            // After an error, the source stays at its end.
            let again = buffer.withUnsafeMutableBytes { raw in (try? source.read(into: raw)) ?? 0 }
            precondition(again == 0, "bytes after an error")
            return (out, error)
        }
    }
}

private func isLimit(_ error: ImapLogError?) -> Bool {
    if case .inflationLimit? = error { return true }
    return false
}

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzOneInput(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let bytes = Array(UnsafeBufferPointer(start: data, count: size))
    for format in [InflatingByteSource.Format.gzip, .rawDeflate] {
        // Read in big pieces and in small ones, with a big compressed buffer and a small one: the same bytes, the
        // same error, except that a smaller buffer meets the limit sooner (its bytes are then a prefix).
        guard
            let big = try? InflatingByteSource(wrapping: MemoryByteSource(bytes), format: format, path: "fuzz"),
            let small = try? InflatingByteSource(
                wrapping: MemoryByteSource(bytes), format: format, path: "fuzz", inputCapacity: 7)
        else { preconditionFailure("zlib did not start") }
        let whole = readAll(big, readSize: 1 << 16)
        let pieces = readAll(small, readSize: 61)
        let limit = InflatingByteSource.maxInflationRatio * Int64(size)
        precondition(Int64(whole.bytes.count) <= limit && Int64(pieces.bytes.count) <= limit, "past the limit")
        let lines = Int64(whole.bytes.count(where: { $0 == 0x0A }))
        precondition(lines <= InflatingByteSource.maxLinesPerCompressedByte * Int64(size), "past the line limit")
        if !isLimit(whole.error) && !isLimit(pieces.error) {
            precondition(whole.bytes == pieces.bytes, "the bytes depend on the read sizes")
            precondition(whole.error == nil ? pieces.error == nil : pieces.error != nil, "the error depends on them")
        } else {
            let shorter = min(whole.bytes.count, pieces.bytes.count)
            precondition(whole.bytes.prefix(shorter) == pieces.bytes.prefix(shorter), "the bytes differ")
        }
    }

    // Through standard input's sniffing and the whole pipeline: every line accounted for.
    let summary = LogAnalysis.analyse(bytes: bytes, path: "-")
    precondition(summary.lines == summary.headerLines + summary.records + summary.skipped, "lines do not add up")
    return 0
}
