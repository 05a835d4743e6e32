/// Exchange's `yyyy-MM-ddTHH:mm:ss.fffZ` timestamps as milliseconds since 1970 (UTC), parsed from bytes.
public enum Timestamp {
    /// Parses `2023-01-09T13:16:59.348Z`; also a space for `T`, 0 to 7 fraction digits, no `Z`.
    ///
    /// Returns nil for anything else, including impossible dates (month 13, hour 25).
    ///
    /// - Complexity: O(1): fixed positions, no allocation.
    static func parse(_ base: UnsafePointer<UInt8>, _ range: ByteRange) -> Int64? {
        let n = range.count
        guard n >= 19 else { return nil }
        let p = base + range.start
        @inline(__always) func digits(_ at: Int, _ count: Int) -> Int? {
            var value = 0
            for i in at..<(at + count) {
                let d = p[i] &- 0x30
                guard d < 10 else { return nil }
                value = value * 10 + Int(d)
            }
            return value
        }
        guard p[4] == 0x2D, p[7] == 0x2D, p[10] == 0x54 || p[10] == 0x20, p[13] == 0x3A, p[16] == 0x3A,
            let year = digits(0, 4), let month = digits(5, 2), let day = digits(8, 2),
            let hour = digits(11, 2), let minute = digits(14, 2), let second = digits(17, 2),
            (1...12).contains(month), (1...31).contains(day), hour < 24, minute < 60, second < 61
        else { return nil }
        var millis = 0
        var at = 19
        if at < n && p[at] == 0x2E {
            at += 1
            var scale = 100
            while at < n, p[at] &- 0x30 < 10 {
                millis += Int(p[at] &- 0x30) * scale
                scale /= 10
                at += 1
            }
        }
        if at < n && p[at] == 0x5A { at += 1 }
        guard at == n else { return nil }
        let days = daysFromCivil(year: year, month: month, day: day)
        return (Int64(days) * 86_400 + Int64(hour * 3600 + minute * 60 + second)) * 1000 + Int64(millis)
    }

    /// Parses a timestamp given as text (options, alert files).
    public static func parse(_ text: String) -> Int64? {
        var copy = Array(text.utf8)
        return copy.withUnsafeMutableBufferPointer { buffer in
            guard let base = buffer.baseAddress else { return nil }
            return parse(UnsafePointer(base), ByteRange(start: 0, end: buffer.count))
        }
    }

    /// Days since 1970-01-01 of a proleptic Gregorian date (Howard Hinnant's algorithm).
    static func daysFromCivil(year: Int, month: Int, day: Int) -> Int {
        let y = month <= 2 ? year - 1 : year
        let era = (y >= 0 ? y : y - 399) / 400
        let yearOfEra = y - era * 400
        let dayOfYear = (153 * (month + (month > 2 ? -3 : 9)) + 2) / 5 + day - 1
        let dayOfEra = yearOfEra * 365 + yearOfEra / 4 - yearOfEra / 100 + dayOfYear
        return era * 146_097 + dayOfEra - 719_468
    }

    /// Formats milliseconds since 1970 as `2023-01-09T13:16:59.348Z`.
    public static func format(_ millis: Int64, withMilliseconds: Bool = true) -> String {
        let (daysPart, msOfDay) = floorDivide(millis, 86_400_000)
        let z = Int(daysPart) + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let dayOfEra = z - era * 146_097
        let yearOfEra = (dayOfEra - dayOfEra / 1460 + dayOfEra / 36524 - dayOfEra / 146_096) / 365
        let dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100)
        let mp = (5 * dayOfYear + 2) / 153
        let day = dayOfYear - (153 * mp + 2) / 5 + 1
        let month = mp < 10 ? mp + 3 : mp - 9
        let year = yearOfEra + era * 400 + (month <= 2 ? 1 : 0)
        let seconds = Int(msOfDay / 1000)
        func pad(_ value: Int, _ width: Int) -> String {
            let text = String(value)
            return text.count >= width ? text : String(repeating: "0", count: width - text.count) + text
        }
        var text = "\(pad(year, 4))-\(pad(month, 2))-\(pad(day, 2))T"
        text += "\(pad(seconds / 3600, 2)):\(pad(seconds / 60 % 60, 2)):\(pad(seconds % 60, 2))"
        if withMilliseconds { text += ".\(pad(Int(msOfDay % 1000), 3))" }
        return text + "Z"
    }

    private static func floorDivide(_ a: Int64, _ b: Int64) -> (Int64, Int64) {
        let q = a / b
        let r = a % b
        return r < 0 ? (q - 1, r + b) : (q, r)
    }
}
