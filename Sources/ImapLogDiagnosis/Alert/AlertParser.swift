import Foundation
import ImapLogKit

/// Reads alert text, `Get-ServerHealth` tables, `Invoke-MonitoringProbe … | Format-List` and
/// `Test-ImapConnectivity` output, as pasted or saved (UTF-8, or UTF-16 as PowerShell's `Out-File` writes).
///
/// The text is read in units: a table row, or a block of lines between blank lines. A unit's status
/// (`AlertValue`, `ResultType`, `Result`) applies to the monitors that unit names, and to no other.
package enum AlertParser {
    /// Bytes of an alert read; the rest is ignored (an alert is a page, not a log), and said to be.
    ///
    /// A console paste holds at most the 9,001 lines of a Windows console's default buffer: 2.2 MB as 120
    /// columns of UTF-16. The largest cmdlet output an administrator would save for an alert, every monitor of
    /// a server in `Get-ServerHealth | Format-List` (some 1,200 blocks of 30 lines), measured 1.35 MB as UTF-8
    /// and 2.7 MB as UTF-16 on a generated one. 16 MiB is six times that; the slowest hostile 16 MiB measured
    /// (lines of digits and dashes) is read in under 6 s, and memory does not grow with the size.
    package static let maximumBytes = 16 << 20
    /// Unicode scalars kept of one line; the rest of it is ignored.
    package static let maximumLineLength = 4096
    static let maximumErrors = 10
    static let maximumErrorLength = 300
    /// Servers kept per list, so that hostile text cannot make the dedup checks quadratic.
    static let maximumServers = 100
    /// Characters of an unreadable time kept to show it.
    static let maximumTimeTextLength = 64

    /// Parses the bytes of an alert file: UTF-16 LE or BE with or without a byte-order mark, else UTF-8.
    ///
    /// Reads at most `maximumBytes` of them.
    package static func parse(bytes: some Collection<UInt8>, timeZone: TimeZone = .gmt) -> Alert {
        var reader = AlertReader(timeZone: timeZone)
        let isRead: Void? = bytes.withContiguousStorageIfAvailable { reader.read(UnsafeRawBufferPointer($0)) }
        if isRead == nil { reader.read(Array(bytes.prefix(maximumBytes + 1))) }
        return reader.finish()
    }

    /// Parses the text, reading times without a `Z` or an offset as local times of `timeZone` (the zone
    /// of the server that printed them).
    ///
    /// - Complexity: O(n) in the length of the text, of which at most `maximumBytes` (as UTF-8) are read.
    package static func parse(_ text: String, timeZone: TimeZone = .gmt) -> Alert {
        var reader = AlertReader(timeZone: timeZone, encoding: .utf8)
        var text = text
        text.withUTF8 { reader.read(UnsafeRawBufferPointer($0)) }
        return reader.finish()
    }

    /// The zone `text` names: an IANA identifier (`Europe/Paris`), `UTC`/`GMT`/`Z`, or an offset (`+01:00`,
    /// `-0530`, `UTC+1`) of at most 14 hours; nil when it names none.
    package static func timeZone(named text: String) -> TimeZone? {
        let trimmed = text.trimmingCharacters(in: .whitespaces)
        guard trimmed.utf8.count <= 64 else { return nil }
        if ["utc", "gmt", "z"].contains(trimmed.lowercased()) { return TimeZone(secondsFromGMT: 0) }
        if trimmed.contains("/"), let zone = TimeZone(identifier: trimmed) { return zone }
        var offset = Substring(trimmed)
        for prefix in ["UTC", "GMT", "utc", "gmt"] where offset.hasPrefix(prefix) { offset = offset.dropFirst(3) }
        guard let sign = offset.first, sign == "+" || sign == "-" else { return nil }
        let digits = Array(offset.dropFirst().utf8.filter { $0 != UInt8(ascii: ":") })
        // Digits only, so the value below has at most four of them.
        guard (1...4).contains(digits.count), digits.allSatisfy(isDigit) else { return nil }
        let value = digits.reduce(0) { $0 * 10 + Int($1 - 0x30) }
        let (hours, minutes) = digits.count <= 2 ? (value, 0) : (value / 100, value % 100)
        guard hours <= 14, minutes < 60 else { return nil }
        let seconds = (hours * 3600 + minutes * 60) * (sign == "-" ? -1 : 1)
        return TimeZone(secondsFromGMT: seconds)
    }

    /// Whether `text` may be a server's name: a host name (letters, digits, `-` and `.`, labels of at most
    /// 63 characters not starting or ending with `-`, at most 253 in all) or an IP address, but not the
    /// machine itself (`localhost`, loopback addresses).
    static func isHostName(_ text: String) -> Bool {
        let bytes = Array(text.utf8)
        guard !bytes.isEmpty, bytes.count <= 253 else { return false }
        if bytes.contains(UInt8(ascii: ":")) { return isIPv6(bytes) }
        let labels = bytes.split(separator: UInt8(ascii: "."), omittingEmptySubsequences: false)
        let isNumeric = bytes.allSatisfy { $0 == UInt8(ascii: ".") || isDigit($0) }
        if isNumeric {
            guard labels.count == 4, labels.allSatisfy({ (1...3).contains($0.count) }) else { return false }
            let values = labels.map { $0.reduce(0) { $0 * 10 + Int($1 - 0x30) } }
            return values.allSatisfy { $0 <= 255 } && values[0] != 127 && values[0] != 0
        }
        if text.lowercased() == "localhost" { return false }
        return labels.allSatisfy { label in
            guard let first = label.first, let last = label.last, label.count <= 63 else { return false }
            return first != UInt8(ascii: "-") && last != UInt8(ascii: "-")
                && label.allSatisfy { isDigit($0) || isLetter($0) || $0 == UInt8(ascii: "-") }
        }
    }

    /// An IPv6 address, loosely: hex groups of at most 4 digits, one `::` at most, not the loopback.
    private static func isIPv6(_ bytes: [UInt8]) -> Bool {
        guard bytes.count <= 45, bytes.allSatisfy({ isHexDigit($0) || $0 == UInt8(ascii: ":") }) else { return false }
        let groups = bytes.split(separator: UInt8(ascii: ":"), omittingEmptySubsequences: false)
        let empty = groups.filter(\.isEmpty).count
        guard (3...8).contains(groups.count), groups.allSatisfy({ $0.count <= 4 }), empty <= 3 else { return false }
        let text = String(decoding: bytes, as: UTF8.self).lowercased()
        return text != "::1" && text != "::"
    }

    static func isDigit(_ byte: UInt8) -> Bool { byte &- 0x30 < 10 }
    static func isLetter(_ byte: UInt8) -> Bool { (byte | 0x20) &- 0x61 < 26 }

    /// ASCII bytes as a string, their capitals made small.
    static func asciiLowercased(_ bytes: some Collection<UInt8>) -> String {
        String(unsafeUninitializedCapacity: bytes.count) { buffer in
            for (index, byte) in bytes.enumerated() { buffer[index] = byte &- 0x41 < 26 ? byte | 0x20 : byte }
            return bytes.count
        }
    }

    /// `text` without the white space (but line ends) around it.
    static func trimmed(_ text: some StringProtocol) -> String {
        let isSpace = { (character: Character) in character.isWhitespace && !character.isNewline }
        guard let first = text.firstIndex(where: { !isSpace($0) }), let last = text.lastIndex(where: { !isSpace($0) })
        else { return "" }
        return String(text[first...last])
    }
    private static func isHexDigit(_ byte: UInt8) -> Bool { isDigit(byte) || (byte | 0x20) &- 0x61 < 6 }
    static func isHostByte(_ byte: UInt8) -> Bool {
        isDigit(byte) || isLetter(byte) || byte == UInt8(ascii: "-") || byte == UInt8(ascii: ".")
    }

    /// A server name as a value gives it (`Server : EX01`, `Target: EX01.contoso.local|HQ`, `"EX01"`), or
    /// nil when the whole value is not a host name.
    static func hostName(inValue value: some StringProtocol) -> String? {
        var host = Substring(value.prefix { $0 != "|" }).trimmingCharacters(in: .whitespaces)
        if host.count >= 2, let first = host.first, first == host.last, first == "\"" || first == "'" {
            host = String(host.dropFirst().dropLast())
        }
        if host.hasSuffix(".") { host.removeLast() }
        return isHostName(host) ? host : nil
    }
}
