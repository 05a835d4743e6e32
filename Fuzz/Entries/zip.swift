// libFuzzer entry point: the `.zip` reader on archives the fuzzer makes up: the central directory (Zip64 fields,
// offsets, overlapping entries), each entry opened and read (stored, deflated, a `.gz` inside), and the archive
// searched and analysed as a folder's would be. Compiled together with the library targets' sources by
// `Fuzz/run.sh zip` (not part of the package).
import Foundation

/// One file per fuzzing process: the reader works on paths.
private let archivePath = NSTemporaryDirectory() + "imaplog-fuzz-\(ProcessInfo.processInfo.processIdentifier).zip"

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzOneInput(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let bytes = Array(UnsafeBufferPointer(start: data, count: size))
    guard FileManager.default.createFile(atPath: archivePath, contents: Data(bytes)) else {
        preconditionFailure("cannot write \(archivePath)")
    }
    let fileSize = Int64(size)

    // The directory: refused, or entries whose spans lie inside the file, one after another, never sharing bytes.
    if let directory = try? ZipDirectory.read(path: archivePath) {
        let spans = directory.entries.map { ($0.localHeaderOffset, $0.localHeaderOffset + 30 + $0.compressedSize) }
            .sorted { $0.0 < $1.0 }
        for (index, span) in spans.enumerated() {
            precondition(span.0 >= 0 && span.0 <= span.1 && span.1 <= fileSize, "an entry outside the file")
            if index + 1 < spans.count { precondition(span.1 <= spans[index + 1].0, "entries share bytes") }
        }
        for entry in directory.entries {
            precondition(entry.spanEnd <= fileSize && entry.compressedSize >= 0, "a span past the file")
        }
        // Every entry read: what comes out is bounded by the inflation limit, for the archive as a whole.
        var total: Int64 = 0
        var buffer = [UInt8](repeating: 0, count: 1 << 16)
        for entry in directory.entries.prefix(256) {
            guard let source = try? ZipDirectory.open(entry: entry, archivePath: archivePath) else { continue }
            var read: Int64 = 0
            while true {
                let n = buffer.withUnsafeMutableBytes { raw in (try? source.read(into: raw)) ?? 0 }
                precondition(n >= 0 && n <= buffer.count, "a read out of bounds")
                if n == 0 { break }
                read += Int64(n)
            }
            let bound =
                entry.method == 0 && !entry.name.lowercased().hasSuffix(".gz")
                ? 1 : InflatingByteSource.maxInflationRatio
            precondition(read <= bound * entry.compressedSize, "an entry inflated past the limit")
            total += read
        }
        precondition(total <= InflatingByteSource.maxInflationRatio * fileSize, "the archive inflated past the limit")
    }

    // The archive as a searched folder's: planned, analysed, every line accounted for.
    let plan = InputDiscovery.plan(paths: [archivePath])
    var options = AnalysisOptions()
    options.workerCount = 1
    let result = LogAnalysis.run(plan: plan, options: options)
    let summary = result.summary
    precondition(summary.lines == summary.headerLines + summary.records + summary.skipped, "lines do not add up")
    for file in summary.files {
        precondition(file.lines == file.headerLines + file.records + file.skipped, "file lines do not add up")
    }
    precondition(result.problems.allSatisfy { !$0.message.isEmpty }, "a problem without a message")
    return 0
}
