// libFuzzer entry point: the option parser on made-up command lines, the fuzzer's bytes split at NUL into
// arguments. The parser (the option table, its parsing and help) lives in the `ImapLogCommand` target, which the
// three library targets' sources do not hold: the line below makes `Fuzz/run.sh options` compile its `Arguments/`
// folder in (not part of the package).
// fuzz-also: Sources/ImapLogCommand/Arguments/*.swift
import Foundation

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzOneInput(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let bytes = Array(UnsafeBufferPointer(start: data, count: size))
    let arguments = bytes.split(separator: 0, omittingEmptySubsequences: false).map {
        String(decoding: $0, as: UTF8.self)
    }
    // Now as a clock gives it, and the last day a log can name (`IMAPLOG_NOW=9999-12-31T23:59:59Z`).
    let latest = Int64(Timestamp.daysFromCivil(year: 10_000, month: 1, day: 1)) * 86_400_000 - 1
    for now in [Int64(1_795_000_000_000), latest] {
        do {
            let options = try Options.parse(arguments, now: now)
            precondition((1...Options.maximumTop).contains(options.top), "--top out of range")
            precondition((0...Options.maximumJobs).contains(options.jobs), "--jobs out of range")
            for time in [options.since, options.until].compactMap({ $0 }) {
                // A leap second (`9999-12-31T23:59:60.999`) may end a second past the last day.
                precondition(time >= Options.earliestTime && time <= latest + 1_000, "a time out of range")
                _ = Timestamp.format(time)
            }
            if let since = options.since, let until = options.until { precondition(since < until, "since ≥ until") }
            if let zone = options.alertTimeZone { precondition(AlertParser.timeZone(named: zone) != nil, "a bad --tz") }
        } catch {
            // Said safely: no control or invisible character of the arguments, and not the whole of a long one.
            precondition(!error.message.isEmpty, "an empty usage message")
            precondition(!error.message.unicodeScalars.contains(where: Sanitize.isUnsafe), "an unsafe usage message")
            precondition(error.message.unicodeScalars.count < 1_000, "a usage message too long")
        }
    }
    return 0
}
