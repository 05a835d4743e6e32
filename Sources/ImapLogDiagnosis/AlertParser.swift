import Foundation
import ImapLogKit

/// What an administrator's alert or cmdlet output says: which monitors are failing, on which server,
/// which mailbox servers it names, and when.
public struct Alert: Sendable, Equatable, Codable {
    /// Failing monitors in the order first seen: those of `Unhealthy`/`Degraded` rows and of probes that
    /// `Failed`/`TimedOut`; in text with no status at all, the monitors it names.
    public var monitors: [Monitor] = []
    /// The failing IMAP health sets named (`IMAP`, `IMAP.Proxy`, `IMAP.Protocol`).
    public var healthSets: [String] = []
    /// Failing health sets that are not IMAP's (`ActiveSync`, `POP.Protocol`): imaplog cannot check them.
    public var otherHealthSets: [String] = []
    /// The text gives the health of IMAP monitors and every one is healthy: the problem has cleared.
    public var isAllHealthy = false
    /// The server the alert or probe ran on (`Get-ServerHealth`'s Server, `-Server`, ClientAccessServer).
    public var servers: [String] = []
    /// Mailbox servers it names: `StateAttribute4`, `_Mbx:`, `Proxy=`, `Proxy:`, `ServerFqdn:`, `MbxServre:`.
    public var mailboxServers: [String] = []
    /// The alert's time (ms since 1970, UTC), when it gives one.
    public var time: Int64?
    /// The time as written in the alert.
    public var timeText: String?
    /// The time was the server's local time (no `Z` or offset), read in the zone given to the parser.
    public var timeIsLocal = false
    /// Error lines it quotes (`Error : IMAP Error: aYKG NO LOGIN failed.`), at most 10 of 300 characters.
    public var errors: [String] = []
    /// Part of the text was not read: it was longer than `AlertParser.maximumBytes`, or a line than
    /// `AlertParser.maximumLineLength`.
    public var isTruncated = false
    /// The zone a local time was read in (`Europe/Paris`, `GMT+0100`), when the time was local.
    public var timeZone: String?
    /// The logs' window the alert's time centred the analysis on (ISO times); nil when every row was read.
    public var windowFrom: String?
    public var windowTo: String?
    /// A time the alert gives that cannot be read, as written (`2026-11-17T10:05:99999999999Z`: a field out of
    /// range), when it gives no time that can: left out, so the analysis is not centred on it.
    public var unreadableTime: String?

    public init() {}
}

/// Reads alert text, `Get-ServerHealth` tables, `Invoke-MonitoringProbe … | Format-List` and
/// `Test-ImapConnectivity` output, as pasted or saved (UTF-8, or UTF-16 as PowerShell's `Out-File` writes).
///
/// The text is read in units: a table row, or a block of lines between blank lines. A unit's status
/// (`AlertValue`, `ResultType`, `Result`) applies to the monitors that unit names, and to no other.
public enum AlertParser {
    /// Bytes of an alert read; the rest is ignored (an alert is a page, not a log), and said to be.
    ///
    /// A console paste holds at most the 9,001 lines of a Windows console's default buffer: 2.2 MB as 120
    /// columns of UTF-16. The largest cmdlet output an administrator would save for an alert, every monitor of
    /// a server in `Get-ServerHealth | Format-List` (some 1,200 blocks of 30 lines), measured 1.35 MB as UTF-8
    /// and 2.7 MB as UTF-16 on a generated one. 16 MiB is six times that; the slowest hostile 16 MiB measured
    /// (lines of digits and dashes) is read in under 6 s, and memory does not grow with the size.
    public static let maximumBytes = 16 << 20
    /// Unicode scalars kept of one line; the rest of it is ignored.
    public static let maximumLineLength = 4096
    static let maximumErrors = 10
    static let maximumErrorLength = 300
    /// Servers kept per list, so that hostile text cannot make the dedup checks quadratic.
    static let maximumServers = 100
    /// Characters of an unreadable time kept to show it.
    static let maximumTimeTextLength = 64

    /// Parses the bytes of an alert file: UTF-16 LE or BE with or without a byte-order mark, else UTF-8.
    ///
    /// Reads at most `maximumBytes` of them.
    public static func parse(bytes: some Collection<UInt8>, timeZone: TimeZone = .gmt) -> Alert {
        var reader = AlertReader(timeZone: timeZone)
        let isRead: Void? = bytes.withContiguousStorageIfAvailable { reader.read(UnsafeRawBufferPointer($0)) }
        if isRead == nil { reader.read(Array(bytes.prefix(maximumBytes + 1))) }
        return reader.finish()
    }

    /// Parses the text, reading times without a `Z` or an offset as local times of `timeZone` (the zone
    /// of the server that printed them).
    ///
    /// - Complexity: O(n) in the length of the text, of which at most `maximumBytes` (as UTF-8) are read.
    public static func parse(_ text: String, timeZone: TimeZone = .gmt) -> Alert {
        var reader = AlertReader(timeZone: timeZone, encoding: .utf8)
        var text = text
        text.withUTF8 { reader.read(UnsafeRawBufferPointer($0)) }
        return reader.finish()
    }

    /// The zone `text` names: an IANA identifier (`Europe/Paris`), `UTC`/`GMT`/`Z`, or an offset (`+01:00`,
    /// `-0530`, `UTC+1`) of at most 14 hours; nil when it names none.
    public static func timeZone(named text: String) -> TimeZone? {
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

/// What one unit of the text (a table row, or a block of lines between blank lines) says.
struct AlertUnit {
    enum Health: Int, Comparable {
        case none, healthy, other, failing
        static func < (lhs: Health, rhs: Health) -> Bool { lhs.rawValue < rhs.rawValue }
    }

    var health = Health.none
    /// Names from the unit's identity: a row's words, or a block's `Name`, `MonitorIdentity` and like fields.
    var names = AlertNames()
    /// Names in a block's free text, used when it has no identity field.
    var textNames = AlertNames()
    var servers = HostList()
    var mailboxServers = HostList()
    /// The first `AlertParser.maximumErrors` error lines.
    var errors: [String] = []
    /// The first time in the unit, as found.
    var time: AlertTime?
    /// The first time-shaped text in the unit that cannot be read (a field out of range).
    var unreadableTime: String?
    var isRow = false
    var hasContent = false

    /// The names that count: the identity's, else the text's.
    var effectiveNames: AlertNames { names.isEmpty ? textNames : names }
}

/// Monitors and health sets named somewhere.
struct AlertNames {
    var monitors: [Monitor] = []
    var imapSets: [String] = []
    /// Other protocols' health sets named as such (a row's HealthSetName column).
    var namedOtherSets: [String] = []
    /// Other protocols' health sets a monitor's name implies (`Pop3CTPMonitor`), less precise.
    var impliedOtherSets: [String] = []

    var otherSets: [String] { namedOtherSets.isEmpty ? impliedOtherSets : namedOtherSets }
    var isEmpty: Bool { monitors.isEmpty && imapSets.isEmpty && otherSets.isEmpty }
    var namesImap: Bool { !monitors.isEmpty || !imapSets.isEmpty }

    /// The monitors meant: those named, else every monitor of the health sets named.
    var meantMonitors: [Monitor] {
        if !monitors.isEmpty { return monitors }
        var result: [Monitor] = []
        for set in imapSets {
            for monitor in Monitor.named(healthSetOrMonitor: set) where !result.contains(monitor) {
                result.append(monitor)
            }
        }
        return result
    }

    mutating func add(_ other: AlertNames) {
        for monitor in other.monitors where !monitors.contains(monitor) { monitors.append(monitor) }
        for set in other.imapSets where !imapSets.contains(set) { imapSets.append(set) }
        for set in other.namedOtherSets where !namedOtherSets.contains(set) { namedOtherSets.append(set) }
        for set in other.impliedOtherSets where !impliedOtherSets.contains(set) { impliedOtherSets.append(set) }
    }

    /// Adds what another unit's names resolve to: its implied sets count as named once resolved.
    mutating func add(resolved other: AlertNames) {
        var resolved = other
        resolved.namedOtherSets = other.otherSets
        resolved.impliedOtherSets = []
        add(resolved)
    }

    /// Reads the names among `text`'s words; `allowsCutNames` for a console table's `AverageCommandPro...`.
    ///
    /// Words are cut at white space, punctuation (`,;:()[]{}<>"'|=` and backquote), `\` and `/`, and any
    /// character beyond ASCII: no name has one, and bytes are read many times faster than `Character`s.
    ///
    /// - Complexity: O(n) in the length of `text`.
    mutating func read(_ text: some StringProtocol, allowsCutNames: Bool = false) {
        var text = String(text)
        text.withUTF8 { bytes in
            var start = 0
            for index in 0...bytes.count where index == bytes.count || Self.isWordBreak(bytes[index]) {
                if index > start {
                    // `AverageCommandPro…`: the word ends at the ellipsis (E2 80 A6).
                    let isCut =
                        index + 2 < bytes.count && bytes[index] == 0xE2 && bytes[index + 1] == 0x80
                        && bytes[index + 2] == 0xA6
                    readOne(
                        UnsafeBufferPointer(rebasing: bytes[start..<index]), isCut: isCut,
                        allowsCutNames: allowsCutNames)
                }
                start = index + 1
            }
        }
    }

    /// Bytes that end a word: ASCII white space and punctuation, path separators, and every byte of a
    /// character beyond ASCII.
    private static func isWordBreak(_ byte: UInt8) -> Bool {
        guard byte < 0x80 else { return true }
        let mask = byte < 64 ? wordBreaks.low : wordBreaks.high
        return mask >> UInt64(byte & 63) & 1 != 0
    }

    /// The ASCII bytes that end a word, as bits: bytes 0–63, then 64–127.
    private static let wordBreaks: (low: UInt64, high: UInt64) = {
        var (low, high): (UInt64, UInt64) = (0, 0)
        for byte in " \t\n\u{0B}\u{0C}\r,;:()[]{}<>\"'|=`\\/".utf8 {
            if byte < 64 { low |= 1 << UInt64(byte) } else { high |= 1 << UInt64(byte - 64) }
        }
        return (low, high)
    }()

    private mutating func readOne(_ word: UnsafeBufferPointer<UInt8>, isCut isCutByEllipsis: Bool, allowsCutNames: Bool)
    {
        let dot = UInt8(ascii: ".")
        let isCut =
            isCutByEllipsis
            || (word.count >= 3 && word[word.count - 1] == dot && word[word.count - 2] == dot
                && word[word.count - 3] == dot)
        // A sentence's full stop is not part of the name ("… on ImapCTPMonitor.").
        var end = word.count
        if !isCut {
            while end > 0
                && (word[end - 1] == dot || word[end - 1] == UInt8(ascii: "!") || word[end - 1] == UInt8(ascii: "?"))
            {
                end -= 1
            }
        }
        guard end >= 3, end <= 64 else { return }
        let kept = UnsafeBufferPointer(rebasing: word[..<end])
        if isCut {
            guard allowsCutNames, let monitor = Monitor.named(truncated: String(decoding: kept, as: UTF8.self)) else {
                return
            }
            var found = AlertNames()
            found.monitors = [monitor]
            add(found)
            return
        }
        // ASCII only (every other byte breaks words): lower-cased byte by byte.
        let lower = AlertParser.asciiLowercased(kept)
        if let found = Self.known[lower] {
            add(found)
        } else if lower.hasSuffix("monitor") || lower.hasSuffix("probe") {
            // Another spelling of a monitor (`ImapTestDeepMonitor`), or another protocol's.
            let name = String(decoding: kept, as: UTF8.self)
            var found = AlertNames()
            if let monitor = Monitor.named(name) {
                found.monitors = [monitor]
            } else if let set = AlertNames.otherHealthSet(ofMonitor: name) {
                found.impliedOtherSets = [set]
            }
            add(found)
        }
    }

    /// What each name of a monitor, probe or health set means, by its lower-cased spelling.
    ///
    /// A word's meaning in one look-up. Any other name that can mean something ends in `monitor` or `probe`.
    private static let known: [String: AlertNames] = {
        var known: [String: AlertNames] = [:]
        for set in otherHealthSets {
            var found = AlertNames()
            found.namedOtherSets = [set]
            known[set.lowercased()] = found
        }
        for set in Monitor.healthSets {
            var found = AlertNames()
            found.imapSets = [set]
            known[set.lowercased()] = found
        }
        for name in Monitor.allCases.flatMap({ [$0.rawValue, $0.probe].compactMap { $0 } }) {
            guard let monitor = Monitor.named(name) else { continue }
            var found = AlertNames()
            found.monitors = [monitor]
            known[name.lowercased()] = found
        }
        return known
    }()

    /// Health sets of the other protocols, which imaplog cannot check.
    static let otherHealthSets: [String] = {
        let bases = [
            "ActiveSync", "OWA", "POP", "EWS", "ECP", "Outlook", "OutlookMapiHttp", "MAPI", "Autodiscover", "RPS",
            "OAB", "RWS",
        ]
        return bases.flatMap { [$0, $0 + ".Proxy", $0 + ".Protocol"] }
    }()

    /// The other protocol's health set a monitor or probe belongs to (`Pop3CTPMonitor` is `POP`'s).
    static func otherHealthSet(ofMonitor name: String) -> String? {
        let lower = name.lowercased()
        guard lower.hasSuffix("monitor") || lower.hasSuffix("probe") else { return nil }
        let prefixes = [("pop3", "POP"), ("pop", "POP"), ("activesync", "ActiveSync"), ("owa", "OWA"), ("ews", "EWS")]
        guard let (_, base) = prefixes.first(where: { lower.hasPrefix($0.0) }) else { return nil }
        if lower.contains("proxy") { return base + ".Proxy" }
        if lower.contains("deeptest") || lower.contains("selftest") { return base + ".Protocol" }
        return base
    }
}

/// Reads lines into units, and what they say into the alert as each unit ends.
struct UnitReader {
    var units = AlertUnits()
    var block = AlertUnit()
    /// The names a pasted `Invoke-MonitoringProbe IMAP\ImapCTPProbe` gives the blocks after it.
    var commandNames = AlertNames()
    var isInTable = false

    /// Cmdlets whose pasted command line names the server (and, for a probe, the monitor).
    private static let cmdlets: Set<String> = [
        "get-serverhealth", "get-healthreport", "invoke-monitoringprobe", "test-imapconnectivity",
        "get-servercomponentstate", "get-monitoringitemidentity",
    ]
    private static let states: Set<String> = [
        "notapplicable", "online", "offline", "unknown", "active", "inactive", "functional", "unavailable",
    ]

    mutating func read(_ line: String) {
        let words = Self.words(line)
        if words.isEmpty {
            endBlock()
            isInTable = false
            return
        }
        if readCommand(line, words: words) { return }
        // A header names two columns at least, a row has three words: a line of one word needs none lower-cased.
        let lower = words.count >= 2 ? words.map { $0.lowercased() } : []
        if isHeader(lower) || words.allSatisfy({ $0.allSatisfy { $0 == "-" } }) {
            endBlock()
            isInTable = true
            return
        }
        if readRow(words, lower: lower) { return }
        if isInTable { return }  // the rest of a wrapped header (`onent`)
        readBlockLine(line)
    }

    /// The line's words, cut at white space: at ASCII white space in an ASCII line (bytes, many times faster
    /// than `Character`s), at any in another.
    private static func words(_ line: String) -> [Substring] {
        guard line.utf8.allSatisfy({ $0 < 0x80 }) else { return line.split(whereSeparator: \.isWhitespace) }
        var words: [Substring] = []
        var start: String.Index?
        let utf8 = line.utf8
        var index = utf8.startIndex
        while index < utf8.endIndex {
            let byte = utf8[index]
            if byte == 0x20 || byte &- 0x09 < 5 {
                if let first = start { words.append(line[first..<index]) }
                start = nil
            } else if start == nil {
                start = index
            }
            index = utf8.index(after: index)
        }
        if let first = start { words.append(line[first...]) }
        return words
    }

    /// A table header: `Server State Name … AlertValue` (Get-ServerHealth), `Server State HealthSet …`.
    private func isHeader(_ lower: [String]) -> Bool {
        lower.contains("server") && !lower.contains(":")
            && lower.contains { ["state", "alertvalue", "healthsetname", "healthset", "targetresource"].contains($0) }
    }

    /// A pasted command line (`[PS] C:\Windows\system32>Get-ServerHealth EX01 | ?{…}`).
    private mutating func readCommand(_ line: String, words lineWords: [Substring]) -> Bool {
        // A cheap look for a cmdlet's name first: a part of a word between `>`s, of a cmdlet's length.
        let parts = lineWords.lazy.flatMap { $0.utf8.split(separator: UInt8(ascii: ">")) }
        guard
            parts.contains(where: { name in
                (16...26).contains(name.count) && Self.cmdlets.contains(AlertParser.asciiLowercased(name))
            })
        else { return false }
        let words = line.split { $0.isWhitespace || $0 == ">" }.map(String.init)
        guard let at = words.firstIndex(where: { Self.cmdlets.contains($0.lowercased()) }) else { return false }
        endBlock()
        isInTable = false
        let isProbe = words[at].lowercased() == "invoke-monitoringprobe"
        var unit = AlertUnit()
        var names = AlertNames()
        var index = at + 1
        var sawPositional = false
        while index < words.count, !words[index].hasPrefix("|") {
            let word = words[index]
            var value: String?
            var isIdentity = false
            if word.hasPrefix("-") {
                let parameter = word.lowercased()
                let next = index + 1 < words.count && !words[index + 1].hasPrefix("-") ? words[index + 1] : nil
                if next != nil { index += 1 }
                if ["-server", "-clientaccessserver"].contains(parameter) {
                    value = next
                } else if parameter == "-identity" {
                    value = next
                    isIdentity = true
                }
            } else if !sawPositional {
                sawPositional = true
                value = word
                isIdentity = true
            }
            if let value {
                if isProbe && isIdentity {
                    names.read(value)
                } else if let host = AlertParser.hostName(inValue: value) {
                    unit.servers.add(host)
                }
            }
            index += 1
        }
        commandNames = names
        unit.hasContent = true
        units.add(unit)
        return true
    }

    /// A console table's row: `EX01  NotApplicable  ImapCTPMonitor  MSExchangeImap4  IMAP  Unhealthy  None`.
    ///
    /// Columns are ragged, so nothing is read by position but the server (the first word) and, outside a
    /// table, the state (the second) that tells a row from prose.
    private mutating func readRow(_ words: [Substring], lower: [String]) -> Bool {
        guard words.count >= 3, isInTable || Self.states.contains(lower[1]) else { return false }
        var names = AlertNames()
        for word in words.dropFirst() { names.read(word, allowsCutNames: true) }
        let health = lower.dropFirst(2).lazy.compactMap(Self.health(ofAlertValue:)).max() ?? .none
        guard !names.isEmpty || (isInTable && health != .none) else { return false }
        endBlock()
        var unit = AlertUnit()
        unit.isRow = true
        unit.hasContent = true
        unit.names = names
        unit.health = health
        if let host = AlertParser.hostName(inValue: words[0]) { unit.servers.add(host) }
        let line = words.joined(separator: " ")
        unit.readMarkers(in: line)
        unit.readTime(in: line)
        units.add(unit)
        return true
    }

    static func health(ofAlertValue value: String) -> AlertUnit.Health? {
        switch value {
        case "unhealthy", "degraded": return .failing
        case "healthy": return .healthy
        case "disabled", "repairing": return .other
        default: return nil
        }
    }

    /// A line of a Format-List block (`Name : Value`) or of prose.
    private mutating func readBlockLine(_ line: String) {
        block.hasContent = true
        block.readMarkers(in: line)
        guard let (key, value) = Self.keyAndValue(line) else {
            block.textNames.read(line)
            block.readTime(in: line)
            return
        }
        let trimmed = AlertParser.trimmed(value)
        switch key {
        case "name", "monitor", "monitorname", "monitoridentity", "identity", "resultname", "probename",
            "healthsetname", "healthset":
            block.names.read(trimmed)
        case "alertvalue":
            block.raise(Self.health(ofAlertValue: trimmed.lowercased()) ?? .other)
        case "state", "alertstate", "healthstate":
            // A monitoring system's mail says the monitor's state here; Get-ServerHealth's State is the
            // component's (Online, Offline, NotApplicable), which says nothing of the monitor.
            if let health = Self.health(ofAlertValue: trimmed.lowercased()) { block.raise(health) }
        case "description", "subject", "alert", "alertname", "title", "message":
            // Prose: its names count when the block has no identity field.
            block.textNames.read(trimmed)
            block.readTime(in: trimmed)
        case "computer", "ordinateur", "computername", "host", "hostname":
            if let host = AlertParser.hostName(inValue: trimmed) { block.servers.add(host) }
        case "source":
            // An event's Source is its provider (Microsoft-Exchange-ManagedAvailability); a monitoring system's is
            // the computer, written in full.
            if trimmed.contains("."), let host = AlertParser.hostName(inValue: trimmed) { block.servers.add(host) }
        case "resulttype":
            switch trimmed.lowercased() {
            case "failed", "timedout": block.raise(.failing)
            case "succeeded": block.raise(.healthy)
            default: block.raise(.other)
            }
        case "result":
            switch trimmed.lowercased() {
            case "failure", "failed": block.raise(.failing)
            case "success", "succeeded": block.raise(.healthy)
            default: block.raise(.other)
            }
        case "server", "clientaccessserver", "clientaccessservername", "machinename", "servername", "target":
            if let host = AlertParser.hostName(inValue: trimmed) { block.servers.add(host) }
        case "stateattribute4", "mailboxserver", "mbxservre", "mbxserver", "mailboxservername":
            if let host = AlertParser.hostName(inValue: trimmed) { block.mailboxServers.add(host) }
        case "error", "exception", "failurecontext", "detailederrorinformation", "errormessage":
            if !trimmed.isEmpty && block.errors.count < AlertParser.maximumErrors {
                block.errors.append(String(trimmed.prefix(AlertParser.maximumErrorLength)))
            }
            block.readTime(in: trimmed)
        default:
            // Format-List keys are single words; a key with spaces is a sentence with a colon
            // ("ImapCTPMonitor failed on CAS01: …"), whose names count as prose.
            if line.prefix(while: { $0 != ":" }).trimmingCharacters(in: .whitespaces).contains(" ") {
                block.textNames.read(line)
            }
            block.readTime(in: trimmed)
        }
    }

    /// `Key : Value`, the key lower-cased without its spaces (`Client Access Server Name` → `clientaccessservername`).
    private static func keyAndValue(_ line: String) -> (key: String, value: Substring)? {
        let utf8 = line.utf8
        guard let colon = utf8.firstIndex(of: UInt8(ascii: ":")) else { return nil }
        let isSpace = { (byte: UInt8) in byte == 0x20 || byte == 0x09 }
        let key = utf8[..<colon].drop(while: isSpace).reversed().drop(while: isSpace).reversed()
        guard let first = key.first, AlertParser.isLetter(first), key.count <= 40,
            key.allSatisfy({ AlertParser.isLetter($0) || AlertParser.isDigit($0) || $0 == 0x20 || $0 == 0x5F })
        else { return nil }
        return (AlertParser.asciiLowercased(key.filter { $0 != 0x20 }), line[line.index(after: colon)...])
    }

    private mutating func endBlock() {
        if block.hasContent {
            if block.effectiveNames.isEmpty { block.names = commandNames }
            units.add(block)
        }
        block = AlertUnit()
    }

    mutating func finish() -> AlertUnits {
        endBlock()
        return units
    }
}

extension AlertUnit {
    mutating func raise(_ to: Health) { health = max(health, to) }

    /// Mailbox servers carried inside text: `_Mbx:`, `Proxy=`, `Proxy:`, `ServerFqdn:`, `MbxServre:`.
    mutating func readMarkers(in line: String) {
        // Every marker ends in `:` or `=`.
        guard line.utf8.contains(where: { $0 == UInt8(ascii: ":") || $0 == UInt8(ascii: "=") }) else { return }
        let bytes = Array(line.utf8)
        for marker in ["_mbx:", "proxy=", "proxy:", "serverfqdn:", "mbxservre:"] {
            let pattern = Array(marker.utf8)
            var at = 0
            // Each byte starts at most one comparison of a marker's few bytes: linear in the line.
            while at + pattern.count <= bytes.count {
                guard (0..<pattern.count).allSatisfy({ bytes[at + $0] | 0x20 == pattern[$0] | 0x20 }) else {
                    at += 1
                    continue
                }
                var start = at + pattern.count
                while start < bytes.count && bytes[start] == UInt8(ascii: " ") { start += 1 }
                var end = start
                while end < bytes.count && end - start <= 254 && AlertParser.isHostByte(bytes[end]) { end += 1 }
                // The name must end where the text does or at a separator, never inside a path or a word.
                let isEnded = end == bytes.count || " \t:;,])\"'|>".utf8.contains(bytes[end])
                if isEnded,
                    let host = AlertParser.hostName(inValue: String(decoding: bytes[start..<end], as: UTF8.self))
                {
                    mailboxServers.add(host)
                }
                at = max(end, at + 1)
            }
        }
    }

    /// Keeps the first time found in the unit, and the first that cannot be read.
    mutating func readTime(in text: some StringProtocol) {
        guard time == nil, text.utf8.contains(where: AlertParser.isDigit) else { return }
        let found = AlertTime.scan(text)
        time = found.time
        if unreadableTime == nil { unreadableTime = found.unreadable }
    }
}

/// What the units read so far say, gathered as each ends: the units themselves are not kept.
struct AlertUnits {
    /// Names of the failing units.
    private var failing = AlertNames()
    /// Names of the units without a status.
    private var statusless = AlertNames()
    private var hasFailure = false
    private var sawStatus = false
    /// A failing unit names nothing (Test-ImapConnectivity).
    private var failureNamesNothing = false
    /// Units giving the health of IMAP monitors (or of nothing they name), and whether each said Healthy.
    private var imapStatuses = 0
    private var imapStatusesAreHealthy = true
    /// Servers of every unit, and of the relevant ones (without a status, or failing): what healthy units say
    /// of servers, times and errors is not the alert's, unless nothing failed.
    private var servers = HostList()
    private var relevantServers = HostList()
    private var mailboxServers = HostList()
    private var errors: [String] = []
    private var time: AlertTime?
    private var unreadableTime: String?

    mutating func add(_ unit: AlertUnit) {
        let names = unit.effectiveNames
        if unit.health == .failing {
            hasFailure = true
            failing.add(resolved: names)
            if names.isEmpty { failureNamesNothing = true }
        }
        if unit.health == .none {
            statusless.add(resolved: names)
        } else {
            sawStatus = true
            if names.namesImap || names.isEmpty {
                imapStatuses += 1
                if unit.health != .healthy { imapStatusesAreHealthy = false }
            }
        }
        let isRelevant = unit.health == .none || unit.health == .failing
        for host in unit.servers.names {
            servers.add(host)
            if isRelevant { relevantServers.add(host) }
        }
        guard isRelevant else { return }
        for host in unit.mailboxServers.names { mailboxServers.add(host) }
        for error in unit.errors where errors.count < AlertParser.maximumErrors { errors.append(error) }
        if time == nil { time = unit.time }
        if unreadableTime == nil { unreadableTime = unit.unreadableTime }
    }

    /// The alert these units make.
    func alert(timeZone: TimeZone) -> Alert {
        var alert = Alert()
        var named = failing
        // No status at all (an e-mail naming the monitor), or a failure that names nothing
        // (Test-ImapConnectivity): the monitors the status-less text names are the ones meant.
        if named.meantMonitors.isEmpty && (!sawStatus || failureNamesNothing) {
            named.add(statusless)
        }
        alert.monitors = named.meantMonitors
        alert.healthSets = named.imapSets
        alert.otherHealthSets = named.otherSets
        // Every unit that gives the health of IMAP monitors (or of nothing it names) says Healthy.
        alert.isAllHealthy = imapStatuses > 0 && imapStatusesAreHealthy && alert.monitors.isEmpty
        alert.mailboxServers = mailboxServers.names
        // A server named only as a mailbox server is not also "the" server of the alert.
        alert.servers = (hasFailure ? relevantServers : servers).names.filter { !mailboxServers.contains($0) }
        alert.errors = errors
        if let found = time {
            alert.time = found.millis(in: timeZone)
            alert.timeText = found.text
            alert.timeIsLocal = found.isLocal
            if found.isLocal { alert.timeZone = timeZone.identifier }
        } else {
            alert.unreadableTime = unreadableTime
        }
        return alert
    }
}

/// Host names without repeats in any case, in the order first seen, at most `AlertParser.maximumServers`.
struct HostList {
    private(set) var names: [String] = []
    private var seen: Set<String> = []

    mutating func add(_ name: String) {
        guard names.count < AlertParser.maximumServers, seen.insert(name.lowercased()).inserted else { return }
        names.append(name)
    }

    func contains(_ name: String) -> Bool { seen.contains(name.lowercased()) }
}

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
