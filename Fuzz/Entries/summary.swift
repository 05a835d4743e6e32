// libFuzzer entry point: summary files (`--save-summary`, read back by `imaplog merge`) on bytes the fuzzer makes
// up, both as a whole file (gzip) and as the JSON inside one. A summary read must keep every bound, merge with a
// real one either way round without a trap and with its lines accounted for, and give a report. Compiled together
// with the library targets' sources by `Fuzz/run.sh summary` (not part of the package).
import CZlib
import Foundation

/// A real summary, of a few generated lines of a back end's log.
private let good: Summary = {
    var log = "#Software: Microsoft Exchange Server\r\n#Version: 15.1.2507.39\r\n#Log-type: IMAP4BE Log\r\n"
    log += "#Fields: dateTime,sessionId,seqNumber,sIp,cIp,user,duration,rqsize,rpsize,command,parameters,context\r\n"
    for k in 0..<20 {
        let second = String(format: "%02d", k)
        log += "2026-11-17T09:40:\(second).907Z,00000000000007F\(k % 3),\(k),10.0.2.22:1993,10.0.1.11:36461,"
        log += "user\(k % 4)@contoso.com,\(k * 7),60,30,\(k % 5 == 0 ? "login" : "select"),INBOX,"
        log += k % 6 == 0 ? "R=no;Msg=\"\"LOGIN failed.\"\"\r\n" : "R=ok\r\n"
    }
    log += "damaged line\r\n"
    return LogAnalysis.analyse(bytes: Array(log.utf8), path: "MBX02/IMAP4BE2026111709-1.LOG")
}()

/// `bytes` as a gzip member of stored (not compressed) blocks: the fuzzer's JSON reaches the reader as written.
private func gzipStored(_ bytes: [UInt8]) -> [UInt8] {
    var out: [UInt8] = [0x1F, 0x8B, 8, 0, 0, 0, 0, 0, 0, 0xFF]
    var start = 0
    repeat {
        let end = min(start + 65_535, bytes.count)
        let length = UInt16(end - start)
        out += [end == bytes.count ? 1 : 0, UInt8(length & 0xFF), UInt8(length >> 8)]
        out += [UInt8(~length & 0xFF), UInt8(~length >> 8)]
        out += bytes[start..<end]
        start = end
    } while start < bytes.count
    let crc = bytes.withUnsafeBufferPointer { UInt32(crc32(0, $0.baseAddress, uInt($0.count))) }
    let size = UInt32(truncatingIfNeeded: bytes.count)
    for value in [crc, size] { out += (0..<4).map { UInt8(truncatingIfNeeded: value >> (8 * $0)) } }
    return out
}

/// A summary read from made-up bytes keeps every bound, merges either way round with its lines accounted for, and
/// reports.
private func check(_ summary: Summary) {
    precondition(summary.boundsProblem() == nil, "a summary read breaks a bound")
    precondition(summary.lines == summary.headerLines + summary.records + summary.skipped, "lines do not add up")
    var merged = good
    merged.merge(summary)
    precondition(merged.lines == good.lines + summary.lines, "merging lost lines")
    precondition(merged.lines == merged.headerLines + merged.records + merged.skipped, "merged lines do not add up")
    var reversed = summary
    reversed.merge(good)
    precondition(reversed.lines == merged.lines, "merging depends on the order")
    var twice = merged
    twice.merge(summary)
    let report = ReportBuilder().build(twice)
    _ = TextRenderer().render(report)
    for table in CSVRenderer.Table.allCases { _ = CSVRenderer.render(report, table: table) }
    guard let json = try? JSONRenderer.renderBytes(report),
        (try? JSONSerialization.jsonObject(with: json)) is [String: Any]
    else { preconditionFailure("the JSON report does not parse") }
    // Written again, it reads back equal.
    guard let file = try? SummaryFile.encode(summary), (try? SummaryFile.decode(file, path: "again")) == summary else {
        preconditionFailure("a summary read does not read back equal once written")
    }
}

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzOneInput(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let bytes = Array(UnsafeBufferPointer(start: data, count: size))
    // The whole file, as merge reads it (its first line for the merge key, then all of it).
    _ = try? SummaryFile.mergeKey(bytes, path: "fuzz")
    if let summary = try? SummaryFile.decode(bytes, path: "fuzz") { check(summary) }
    // The bytes as the JSON of a summary: behind the first line a real summary has.
    let header = Array("imaplog-summary \(SummaryFile.version) \"fuzz\"\n".utf8)
    if let summary = try? SummaryFile.decode(gzipStored(header + bytes), path: "fuzz") { check(summary) }
    return 0
}
