/// Exchange's `yyyy-MM-ddTHH:mm:ss.fffZ` timestamps as milliseconds since 1970 (UTC), parsed from bytes.
package enum Timestamp {
    /// Parses `2023-01-09T13:16:59.348Z`; also a space for `T`, 0 to 7 fraction digits, no `Z`.
    ///
    /// Returns nil for anything else, including impossible dates (month 13, hour 25).
    ///
    /// - Complexity: O(1): fixed positions, no allocation.
    static func parse(_ base: UnsafePointer<UInt8>, _ range: ByteRange) -> Int64? {
        guard range.count >= 19, let days = days(base + range.start) else { return nil }
        return timeOfDay(base, range, days: days)
    }

    /// Days since 1970 of the `yyyy-MM-dd` at `p` (10 bytes), or nil.
    @inline(__always)
    static func days(_ p: UnsafePointer<UInt8>) -> Int? {
        @inline(__always) func digit(_ i: Int) -> Int? {
            let d = p[i] &- 0x30
            return d < 10 ? Int(d) : nil
        }
        guard p[4] == 0x2D, p[7] == 0x2D, let y0 = digit(0), let y1 = digit(1), let y2 = digit(2),
            let y3 = digit(3), let m0 = digit(5), let m1 = digit(6), let d0 = digit(8), let d1 = digit(9)
        else { return nil }
        let month = m0 * 10 + m1
        let day = d0 * 10 + d1
        guard (1...12).contains(month), (1...31).contains(day) else { return nil }
        return daysFromCivil(year: y0 * 1000 + y1 * 100 + y2 * 10 + y3, month: month, day: day)
    }

    /// The timestamp in `range` (at least 19 bytes, date already read as `days`): `THH:mm:ss[.f…][Z]`.
    @inline(__always)
    static func timeOfDay(_ base: UnsafePointer<UInt8>, _ range: ByteRange, days: Int) -> Int64? {
        let n = range.count
        let p = base + range.start
        let h0 = p[11] &- 0x30
        let h1 = p[12] &- 0x30
        let m0 = p[14] &- 0x30
        let m1 = p[15] &- 0x30
        let s0 = p[17] &- 0x30
        let s1 = p[18] &- 0x30
        guard p[10] == 0x54 || p[10] == 0x20, p[13] == 0x3A, p[16] == 0x3A,
            h0 < 10, h1 < 10, m0 < 10, m1 < 10, s0 < 10, s1 < 10
        else { return nil }
        let hour = Int(h0) * 10 + Int(h1)
        let minute = Int(m0) * 10 + Int(m1)
        let second = Int(s0) * 10 + Int(s1)
        guard hour < 24, minute < 60, second < 61 else { return nil }
        var millis = 0
        var at = 19
        if n == 24 && p[19] == 0x2E && p[23] == 0x5A {
            // The usual `.fffZ`.
            let f0 = p[20] &- 0x30
            let f1 = p[21] &- 0x30
            let f2 = p[22] &- 0x30
            if f0 < 10 && f1 < 10 && f2 < 10 {
                millis = Int(f0) * 100 + Int(f1) * 10 + Int(f2)
                at = 24
            }
        }
        if at == 19 && at < n && p[at] == 0x2E {
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
        return (Int64(days) * 86_400 + Int64(hour * 3600 + minute * 60 + second)) * 1000 + Int64(millis)
    }

    /// Parses a timestamp given as text (options, alert files).
    package static func parse(_ text: String) -> Int64? {
        var copy = Array(text.utf8)
        return copy.withUnsafeMutableBufferPointer { buffer in
            guard let base = buffer.baseAddress else { return nil }
            return parse(UnsafePointer(base), ByteRange(start: 0, end: buffer.count))
        }
    }

    /// Days since 1970-01-01 of a proleptic Gregorian date (Howard Hinnant's algorithm).
    package static func daysFromCivil(year: Int, month: Int, day: Int) -> Int {
        let y = month <= 2 ? year - 1 : year
        let era = (y >= 0 ? y : y - 399) / 400
        let yearOfEra = y - era * 400
        let dayOfYear = (153 * (month + (month > 2 ? -3 : 9)) + 2) / 5 + day - 1
        let dayOfEra = yearOfEra * 365 + yearOfEra / 4 - yearOfEra / 100 + dayOfYear
        return era * 146_097 + dayOfEra - 719_468
    }

    /// Formats milliseconds since 1970 as `2023-01-09T13:16:59.348Z`.
    package static func format(_ millis: Int64, withMilliseconds: Bool = true) -> String {
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
        if (0...9999).contains(year) {
            // Digits straight into bytes: reports format tens of thousands of these.
            let count = withMilliseconds ? 24 : 20
            return String(unsafeUninitializedCapacity: count) { out in
                func put(_ value: Int, _ width: Int, at end: Int) {
                    var value = value
                    for k in stride(from: end - 1, through: end - width, by: -1) {
                        out[k] = UInt8(ascii: "0") + UInt8(value % 10)
                        value /= 10
                    }
                }
                put(year, 4, at: 4)
                out[4] = UInt8(ascii: "-")
                put(month, 2, at: 7)
                out[7] = UInt8(ascii: "-")
                put(day, 2, at: 10)
                out[10] = UInt8(ascii: "T")
                put(seconds / 3600, 2, at: 13)
                out[13] = UInt8(ascii: ":")
                put(seconds / 60 % 60, 2, at: 16)
                out[16] = UInt8(ascii: ":")
                put(seconds % 60, 2, at: 19)
                if withMilliseconds {
                    out[19] = UInt8(ascii: ".")
                    put(Int(msOfDay % 1000), 3, at: 23)
                }
                out[count - 1] = UInt8(ascii: "Z")
                return count
            }
        }
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

/// Parses the timestamps of one stream, remembering the last minute and the last date: rows of a log come in
/// time order, so most share their minute with the row before, and the date and time of day up to the minute
/// are parsed once a minute, the calendar arithmetic once a day.
struct TimestampReader {
    private var datePrefix: UInt64 = 0
    private var dateSuffix: UInt16 = 0
    private var days = 0
    private var hasDate = false
    /// The first 16 bytes (`yyyy-MM-ddTHH:mm`) of the last usual timestamp (24 bytes, `.fffZ`), and where
    /// its minute starts, in ms since 1970.
    private var minuteFirst: UInt64 = 0
    private var minuteSecond: UInt64 = 0
    private var minuteStart: Int64 = 0
    private var hasMinute = false

    /// Same result as `Timestamp.parse`.
    @inline(__always)
    mutating func parse(_ base: UnsafePointer<UInt8>, _ range: ByteRange) -> Int64? {
        guard range.count >= 19 else { return nil }
        let p = base + range.start
        if range.count == 24 && hasMinute && Bytes.word(p) == minuteFirst && Bytes.word(p + 8) == minuteSecond,
            let offset = Self.secondsAndMillis(Bytes.word(p + 16))
        {
            return minuteStart + offset
        }
        let prefix = Bytes.word(p)
        let suffix = UInt16(p[8]) | UInt16(p[9]) << 8
        if !hasDate || prefix != datePrefix || suffix != dateSuffix {
            guard let days = Timestamp.days(p) else { return nil }
            self.days = days
            datePrefix = prefix
            dateSuffix = suffix
            hasDate = true
        }
        guard let time = Timestamp.timeOfDay(base, range, days: days) else { return nil }
        // A usual timestamp, now checked as a whole: its minute is remembered.
        if range.count == 24, let offset = Self.secondsAndMillis(Bytes.word(p + 16)) {
            minuteFirst = prefix
            minuteSecond = Bytes.word(p + 8)
            minuteStart = time - offset
            hasMinute = true
        }
        return time
    }

    /// The milliseconds into its minute of `:ss.fffZ` (a word, first byte lowest), or nil when the word is not
    /// that, with a second under 61.
    @inline(__always)
    static func secondsAndMillis(_ word: UInt64) -> Int64? {
        // `:` in byte 0, `.` in byte 3, `Z` in byte 7; digits in the others, turned into their values.
        let digits = (word & 0x00FF_FFFF_00FF_FF00) ^ 0x0030_3030_0030_3000
        guard word & 0xFF00_0000_FF00_00FF == 0x5A00_0000_2E00_003A,
            // Every digit's value under 10: adding 0x76 sets no high bit.
            (digits | (digits &+ 0x0076_7676_0076_7600)) & 0x0080_8080_0080_8000 == 0
        else { return nil }
        @inline(__always) func digit(_ byte: UInt64) -> Int64 {
            Int64(truncatingIfNeeded: (digits >> (8 * byte)) & 0xFF)
        }
        let second = digit(1) * 10 + digit(2)
        guard second < 61 else { return nil }
        return second * 1000 + digit(4) * 100 + digit(5) * 10 + digit(6)
    }
}
