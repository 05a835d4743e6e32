import Foundation
import ImapLogKit
import ImapLogReport

extension Options {
    /// A list of values, separated by commas (`--server MBX01,MBX02`), each trimmed; empty ones dropped.
    static func list(_ text: String) -> [String] {
        text.split(separator: ",").map { String($0).trimmingCharacters(in: .whitespacesAndNewlines) }.filter {
            !$0.isEmpty
        }
    }

    /// `2026-11-16T09:00:00Z`, `2026-11-16 09:00`, `2026-11-16`, or a span back from now: `90s`, `30m`, `2h`, `7d`.
    ///
    /// A span is checked arithmetic: one that reaches back before `earliestTime` (or past what 64 bits hold) is
    /// a usage error, never an overflow.
    static func time(_ text: String, option: String, now: Int64) throws(UsageError) -> Int64 {
        let units: [Character: Int64] = ["s": 1000, "m": 60_000, "h": 3_600_000, "d": 86_400_000, "w": 604_800_000]
        if let letter = text.last, let unit = units[letter], text.dropLast().allSatisfy({ ("0"..."9").contains($0) }),
            text.count > 1
        {
            let (span, overflowed) = (Int64(text.dropLast()) ?? .max).multipliedReportingOverflow(by: unit)
            let (time, underflowed) = now.subtractingReportingOverflow(span)
            guard !overflowed, !underflowed, time >= earliestTime else {
                let most = max(0, (now - earliestTime) / unit)
                throw UsageError(
                    message: "\(option) '\(safe(text))' reaches back before the year 0000, earlier than any log: "
                        + "at most \(most)\(letter) back from now")
            }
            return time
        }
        var iso = text.trimmingCharacters(in: .whitespacesAndNewlines)
        if iso.hasSuffix("Z") || iso.hasSuffix("z") { iso.removeLast() }
        switch iso.count {
        case 10: iso += "T00:00:00"
        case 16: iso += ":00"
        default: break
        }
        guard let value = Timestamp.parse(iso) else {
            throw UsageError(
                message: "\(option) takes a UTC time like 2026-11-16T09:00:00Z or 2026-11-16 09:00, "
                    + "or a span back from now like 30m, 2h, 7d; not '\(safe(text))'")
        }
        return value
    }

    /// The most characters of a value a message repeats.
    private static let maximumEchoed = 200

    /// A value as a usage message repeats it: control and invisible characters made visible (an argument can
    /// hold terminal escapes), and at most `maximumEchoed` characters.
    static func safe(_ value: String) -> String {
        let cut = value.unicodeScalars.count > maximumEchoed
        let kept = cut ? String(String.UnicodeScalarView(value.unicodeScalars.prefix(maximumEchoed))) + "…" : value
        return Sanitize.terminal(kept)
    }
}
