import Foundation
import ImapLogKit

extension AlertParser {
    /// Reads the first time in `text`: ISO 8601 (`2026-11-17T10:05:32.000Z`, `…+01:00`, `2026-11-17 10:05:32`),
    /// `11/17/2026 10:05:32 AM` (en-US), `27/11/2026 10:30:12` (fr-FR), `27.11.2026 10:30:12` (de-DE).
    ///
    /// A time without `Z` or an offset is the local time of `timeZone`.
    static func parseTime(_ text: String, timeZone: TimeZone = .gmt) -> Int64? {
        AlertTime.scan(text).time?.millis(in: timeZone)
    }
}

/// A time as an alert writes it, before its zone is applied.
struct AlertTime: Sendable, Equatable {
    var year = 1970
    var month = 1
    var day = 1
    var hour = 0
    var minute = 0
    var second = 0
    var millisecond = 0
    /// Seconds east of UTC the text gives (`Z` is 0); nil for a local time.
    var offset: Int?
    /// The time as written.
    var text = ""

    var isLocal: Bool { offset == nil }

    /// Milliseconds since 1970 (UTC), a local time read in `timeZone`.
    ///
    /// Every field was range-checked when read (years 1 to 9999, offsets of at most 14 hours), so nothing here
    /// can overflow.
    func millis(in timeZone: TimeZone) -> Int64 {
        let days = Int64(Timestamp.daysFromCivil(year: year, month: month, day: day))
        let seconds = days * 86_400 + Int64(hour * 3600 + minute * 60 + second)
        var utc = seconds - Int64(offset ?? 0)
        if offset == nil {
            // The zone's offset at the local time taken as UTC, then again at the UTC time that gives:
            // right on both sides of a change of summer time but in the hour it skips or repeats.
            let guess = timeZone.secondsFromGMT(for: Date(timeIntervalSince1970: Double(seconds)))
            let offset = timeZone.secondsFromGMT(for: Date(timeIntervalSince1970: Double(seconds - Int64(guess))))
            utc = seconds - Int64(offset)
        }
        return utc * 1000 + Int64(millisecond)
    }

    /// The first time in `text` that can be read, and the first text before it shaped like a time that
    /// cannot (a field out of range: `2026-11-17T10:05:99999999999Z`, `11/17/99999 10:05 AM`), cut to
    /// `AlertParser.maximumTimeTextLength` characters.
    ///
    /// - Complexity: O(n): each position where a number starts begins one match, which reads at most a
    ///   dozen runs of digits or separators, each the start of at most that many matches.
    static func scan(_ text: some StringProtocol) -> (time: AlertTime?, unreadable: String?) {
        let bytes = Array(text.utf8)
        var unreadable: String?
        var at = 0
        while at < bytes.count {
            if AlertParser.isDigit(bytes[at]) && (at == 0 || !AlertParser.isDigit(bytes[at - 1])) {
                var iso = TimeScanner(bytes: bytes, at: at)
                var match = iso.iso()
                if match == nil {
                    var cultural = TimeScanner(bytes: bytes, at: at)
                    match = cultural.cultural()
                }
                switch match {
                case .time(let time)?: return (time, unreadable)
                case .unreadable(let written)?: if unreadable == nil { unreadable = written }
                case nil: break
                }
            }
            at += 1
        }
        return (nil, unreadable)
    }
}

/// Matches one time at a position of a line's bytes.
///
/// Runs of digits are read whole, whatever their length, their values saturated: a field with more digits than
/// its kind has, or a value out of its range, makes the text a time that cannot be read, never an overflow.
private struct TimeScanner {
    /// What text at a position is.
    enum Match: Equatable {
        /// A time whose every field is in range.
        case time(AlertTime)
        /// Text shaped like a time, with a field out of range: as written.
        case unreadable(String)
    }

    /// Values are read up to this; any more is out of every field's range.
    private static let saturation = 1_000_000_000

    let bytes: [UInt8]
    let start: Int
    var at: Int
    /// A field had more digits than its kind has.
    private var hasLongField = false

    init(bytes: [UInt8], at: Int) {
        self.bytes = bytes
        self.start = at
        self.at = at
    }

    private var current: UInt8? { at < bytes.count ? bytes[at] : nil }

    /// A run of at least `digits.lowerBound` digits.
    ///
    /// More than `digits.upperBound`: nil when `isStrict` (the
    /// text is not a time), else the field is out of range.
    private mutating func number(_ digits: ClosedRange<Int>, isStrict: Bool = false) -> Int? {
        var value = 0
        var count = 0
        while let byte = current, AlertParser.isDigit(byte) {
            // Below 10¹⁰ whatever the length: no overflow.
            if value < Self.saturation { value = value * 10 + Int(byte - 0x30) }
            count += 1
            at += 1
        }
        guard count >= digits.lowerBound else { return nil }
        if count > digits.upperBound {
            if isStrict { return nil }
            hasLongField = true
        }
        return value
    }

    private mutating func skip(_ byte: Character) -> Bool {
        guard let current, let ascii = byte.asciiValue, current == ascii else { return false }
        at += 1
        return true
    }

    /// `yyyy-MM-dd[T ]HH:mm[:ss[.fff…]][Z|±hh:mm|±hhmm]`.
    mutating func iso() -> Match? {
        var time = AlertTime()
        guard let year = number(4...4), skip("-"), let month = number(2...2), skip("-"), let day = number(2...2),
            skip("T") || skip(" ")
        else { return nil }
        (time.year, time.month, time.day) = (year, month, day)
        guard clock(&time) else { return nil }
        var isOffsetInRange = true
        if skip("Z") {
            time.offset = 0
        } else if let sign = current, sign == UInt8(ascii: "+") || sign == UInt8(ascii: "-") {
            at += 1
            guard let hours = number(2...4) else { return nil }
            var minutes = 0
            var wholeHours = hours
            if skip(":") {
                guard let m = number(2...2) else { return nil }
                minutes = m
            } else if hours > 99 {
                // `+0100`.
                (wholeHours, minutes) = (hours / 100, hours % 100)
            }
            isOffsetInRange = wholeHours <= 14 && minutes < 60
            time.offset =
                isOffsetInRange ? (sign == UInt8(ascii: "-") ? -1 : 1) * (wholeHours * 3600 + minutes * 60) : 0
        }
        return finish(time, isInRange: isOffsetInRange)
    }

    /// `MM/dd/yyyy h:mm:ss AM` (month first with AM/PM, as en-US writes), `dd/MM/yyyy HH:mm:ss` (day first,
    /// as most other cultures write, unless that cannot be), also with `.` or `-`, and two-digit years.
    mutating func cultural() -> Match? {
        var time = AlertTime()
        // Day and month of one or two digits: longer numbers with dots are versions or addresses, not dates.
        guard let first = number(1...2, isStrict: true), let separator = current,
            [UInt8(ascii: "/"), UInt8(ascii: "."), UInt8(ascii: "-")].contains(separator)
        else { return nil }
        at += 1
        guard let second = number(1...2, isStrict: true), current == separator else { return nil }
        at += 1
        let yearStart = at
        guard let year = number(2...4), at - yearStart != 3, skip(" ") || skip("T") else { return nil }
        while skip(" ") {}
        guard clock(&time) else { return nil }
        let clockEnd = at
        while skip(" ") {}
        var isPM = false
        var isAM = false
        if let letter = current, let next = at + 1 < bytes.count ? bytes[at + 1] : nil, next | 0x20 == 0x6D {
            isAM = letter | 0x20 == 0x61
            isPM = letter | 0x20 == 0x70
            if isAM || isPM { at += 2 } else { at = clockEnd }
        } else {
            at = clockEnd
        }
        var isHourInRange = true
        if isPM || isAM {
            isHourInRange = (1...12).contains(time.hour)
            time.hour = time.hour % 12 + (isPM ? 12 : 0)
        }
        var (month, day) = isAM || isPM ? (first, second) : (second, first)
        if month > 12 { swap(&month, &day) }
        (time.year, time.month, time.day) = (year < 100 ? 2000 + year : year, month, day)
        return finish(time, isInRange: isHourInRange)
    }

    /// `HH:mm[:ss[.fff…]]`, the hour of one or two digits.
    private mutating func clock(_ time: inout AlertTime) -> Bool {
        guard let hour = number(1...2), skip(":"), let minute = number(2...2) else { return false }
        (time.hour, time.minute) = (hour, minute)
        if skip(":") {
            guard let second = number(2...2) else { return false }
            time.second = second
            if skip(".") {
                // Up to 7 fraction digits (.NET's), of which the milliseconds are the first 3.
                var scale = 100
                var count = 0
                while let byte = current, AlertParser.isDigit(byte) {
                    count += 1
                    time.millisecond += Int(byte - 0x30) * scale
                    scale /= 10
                    at += 1
                }
                if count > 7 { hasLongField = true }
            }
        }
        return true
    }

    /// The time if it ends at a word's end (nil if not) and its fields are possible (else unreadable).
    private func finish(_ time: AlertTime, isInRange: Bool) -> Match? {
        if let byte = current, AlertParser.isDigit(byte) || (byte | 0x20) &- 0x61 < 26 { return nil }
        guard !hasLongField, isInRange, (1...9999).contains(time.year), (1...12).contains(time.month),
            (1...31).contains(time.day), time.hour < 24, time.minute < 60, time.second < 61
        else {
            let written = String(decoding: bytes[start..<at], as: UTF8.self)
            let isLong = written.unicodeScalars.count > AlertParser.maximumTimeTextLength
            let kept = written.unicodeScalars.prefix(AlertParser.maximumTimeTextLength)
            return .unreadable(String(String.UnicodeScalarView(kept)) + (isLong ? "…" : ""))
        }
        var found = time
        found.text = String(decoding: bytes[start..<at], as: UTF8.self)
        return .time(found)
    }
}
