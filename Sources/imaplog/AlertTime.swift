import Foundation

/// The time zone an alert's local times are read in.
enum AlertTime {
    /// The zone `text` names: an IANA identifier (`Europe/Paris`), `UTC`/`GMT`/`Z`, or an offset (`+01:00`,
    /// `-0530`, `UTC+1`); nil when it names none.
    static func timeZone(named text: String) -> TimeZone? {
        let trimmed = text.trimmingCharacters(in: .whitespaces)
        if ["utc", "gmt", "z"].contains(trimmed.lowercased()) { return TimeZone(secondsFromGMT: 0) }
        if trimmed.contains("/"), let zone = TimeZone(identifier: trimmed) { return zone }
        var offset = Substring(trimmed)
        for prefix in ["UTC", "GMT", "utc", "gmt"] where offset.hasPrefix(prefix) { offset = offset.dropFirst(3) }
        guard let sign = offset.first, sign == "+" || sign == "-" else { return nil }
        let digits = offset.dropFirst().filter { $0 != ":" }
        guard (1...4).contains(digits.count), digits.allSatisfy(\.isASCII), let value = Int(digits) else { return nil }
        let (hours, minutes) = digits.count <= 2 ? (value, 0) : (value / 100, value % 100)
        guard hours <= 14, minutes < 60 else { return nil }
        let seconds = (hours * 3600 + minutes * 60) * (sign == "-" ? -1 : 1)
        return TimeZone(secondsFromGMT: seconds)
    }
}
