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
    /// Part of the text was not read: it was longer than `AlertParser.maximumCharacters`, or a line than
    /// `AlertParser.maximumLineLength`.
    public var isTruncated = false
    /// The zone a local time was read in (`Europe/Paris`, `GMT+0100`), when the time was local.
    public var timeZone: String?
    /// The logs' window the alert's time centred the analysis on (ISO times); nil when every row was read.
    public var windowFrom: String?
    public var windowTo: String?

    public init() {}
}

/// Reads alert text, `Get-ServerHealth` tables, `Invoke-MonitoringProbe … | Format-List` and
/// `Test-ImapConnectivity` output, as pasted or saved (UTF-8, or UTF-16 as PowerShell's `Out-File` writes).
///
/// The text is read in units: a table row, or a block of lines between blank lines. A unit's status
/// (`AlertValue`, `ResultType`, `Result`) applies to the monitors that unit names, and to no other.
public enum AlertParser {
    /// Unicode scalars of the text read; the rest is ignored (an alert is a page, not a log).
    public static let maximumCharacters = 1 << 20
    /// Unicode scalars kept of one line; the rest of it is ignored.
    public static let maximumLineLength = 4096
    private static let maximumErrors = 10
    private static let maximumErrorLength = 300
    /// Servers kept per list, so that hostile text cannot make the dedup checks quadratic.
    private static let maximumServers = 100

    /// Decodes the bytes of an alert file: UTF-16 LE or BE with or without a byte-order mark, else UTF-8.
    ///
    /// Reads at most `4 * maximumCharacters + 4` bytes: enough for more than `maximumCharacters` scalars
    /// in any encoding, so `parse` still sees (and reports) that the text was cut.
    public static func decode(_ bytes: [UInt8]) -> String {
        let body = bytes.prefix(4 * maximumCharacters + 4)
        if body.starts(with: [0xFF, 0xFE]) { return utf16(body.dropFirst(2), littleEndian: true) }
        if body.starts(with: [0xFE, 0xFF]) { return utf16(body.dropFirst(2), littleEndian: false) }
        if body.starts(with: [0xEF, 0xBB, 0xBF]) { return String(decoding: body.dropFirst(3), as: UTF8.self) }
        if let littleEndian = utf16WithoutMark(body) { return utf16(body, littleEndian: littleEndian) }
        return String(decoding: body, as: UTF8.self)
    }

    /// Whether bytes with no mark look like UTF-16, and in which order: text that is mostly ASCII has a
    /// zero in every other byte, which UTF-8 text never has.
    private static func utf16WithoutMark(_ bytes: ArraySlice<UInt8>) -> Bool? {
        let sample = bytes.prefix(4096)
        guard sample.count >= 2 else { return nil }
        var zerosAtEven = 0
        var zerosAtOdd = 0
        for (offset, byte) in sample.enumerated() where byte == 0 {
            if offset % 2 == 0 { zerosAtEven += 1 } else { zerosAtOdd += 1 }
        }
        let pairs = sample.count / 2
        // A third of the pairs with a zero on one side and almost none on the other.
        if zerosAtOdd * 3 >= pairs && zerosAtEven * 10 <= zerosAtOdd { return true }
        if zerosAtEven * 3 >= pairs && zerosAtOdd * 10 <= zerosAtEven { return false }
        return nil
    }

    private static func utf16(_ bytes: ArraySlice<UInt8>, littleEndian: Bool) -> String {
        var units: [UInt16] = []
        units.reserveCapacity(bytes.count / 2)
        var i = bytes.startIndex
        while i + 1 < bytes.endIndex {
            let a = UInt16(bytes[i])
            let b = UInt16(bytes[i + 1])
            units.append(littleEndian ? a | b << 8 : a << 8 | b)
            i += 2
        }
        return String(decoding: units, as: UTF16.self)
    }

    /// Parses the text, reading times without a `Z` or an offset as local times of `timeZone` (the zone
    /// of the server that printed them).
    ///
    /// - Complexity: O(n) in the length of the text, of which at most `maximumCharacters` are read.
    public static func parse(_ text: String, timeZone: TimeZone = .gmt) -> Alert {
        let (lines, isTruncated) = splitLines(text)
        var reader = UnitReader()
        for line in lines { reader.read(line) }
        var alert = reader.finish().alert(timeZone: timeZone)
        alert.isTruncated = isTruncated
        return alert
    }

    /// The lines of the text, split at CRLF, LF or a lone CR, each cut at `maximumLineLength`.
    ///
    /// Works on Unicode scalars: in Swift `"\r\n"` is one `Character`, equal neither to `"\r"` nor `"\n"`.
    private static func splitLines(_ text: String) -> (lines: [String], isTruncated: Bool) {
        var lines: [String] = []
        var current = String.UnicodeScalarView()
        var length = 0
        var read = 0
        var isTruncated = false
        var afterCR = false
        for scalar in text.unicodeScalars {
            guard read < maximumCharacters else {
                isTruncated = true
                break
            }
            read += 1
            if scalar == "\n" && afterCR {
                afterCR = false
                continue
            }
            afterCR = scalar == "\r"
            if scalar == "\n" || scalar == "\r" {
                lines.append(String(current))
                current = String.UnicodeScalarView()
                length = 0
            } else if length < maximumLineLength {
                current.append(scalar)
                length += 1
            } else {
                isTruncated = true
            }
        }
        if !current.isEmpty { lines.append(String(current)) }
        return (lines, isTruncated)
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
    private static func isLetter(_ byte: UInt8) -> Bool { (byte | 0x20) &- 0x61 < 26 }
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
private struct AlertUnit {
    enum Health: Int, Comparable {
        case none, healthy, other, failing
        static func < (lhs: Health, rhs: Health) -> Bool { lhs.rawValue < rhs.rawValue }
    }

    var health = Health.none
    /// Names from the unit's identity: a row's words, or a block's `Name`, `MonitorIdentity` and like fields.
    var names = AlertNames()
    /// Names in a block's free text, used when it has no identity field.
    var textNames = AlertNames()
    var servers: [String] = []
    var mailboxServers: [String] = []
    var errors: [String] = []
    /// The first time in the unit, as found.
    var time: AlertTime?
    var isRow = false
    var hasContent = false

    /// The names that count: the identity's, else the text's.
    var effectiveNames: AlertNames { names.isEmpty ? textNames : names }
}

/// Monitors and health sets named somewhere.
private struct AlertNames {
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
    mutating func read(_ text: some StringProtocol, allowsCutNames: Bool = false) {
        let words = text.split { $0.isWhitespace || ",;:()[]{}<>\"'|=`".contains($0) }
        for word in words {
            for part in word.split(whereSeparator: { $0 == "\\" || $0 == "/" }) {
                readOne(Substring(part), allowsCutNames: allowsCutNames)
            }
        }
    }

    private mutating func readOne(_ word: Substring, allowsCutNames: Bool) {
        let isCut = word.hasSuffix("...") || word.hasSuffix("\u{2026}")
        // A sentence's full stop is not part of the name ("… on ImapCTPMonitor.").
        var name = String(word)
        if !isCut { while name.hasSuffix(".") || name.hasSuffix("!") || name.hasSuffix("?") { name.removeLast() } }
        guard name.count >= 3, name.count <= 64 else { return }
        var found = AlertNames()
        if isCut {
            guard allowsCutNames, let monitor = Monitor.named(truncated: name) else { return }
            found.monitors = [monitor]
        } else if let monitor = Monitor.named(name) {
            found.monitors = [monitor]
        } else if let set = Monitor.healthSet(named: name) {
            found.imapSets = [set]
        } else if let set = AlertNames.otherHealthSets.first(where: { $0.lowercased() == name.lowercased() }) {
            found.namedOtherSets = [set]
        } else if let set = AlertNames.otherHealthSet(ofMonitor: name) {
            found.impliedOtherSets = [set]
        }
        add(found)
    }

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

/// Reads lines into units.
private struct UnitReader {
    var units: [AlertUnit] = []
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
        let words = line.split(whereSeparator: \.isWhitespace)
        if words.isEmpty {
            endBlock()
            isInTable = false
            return
        }
        if readCommand(line) { return }
        let lower = words.map { $0.lowercased() }
        if isHeader(lower) || words.allSatisfy({ $0.allSatisfy { $0 == "-" } }) {
            endBlock()
            isInTable = true
            return
        }
        if readRow(words, lower: lower) { return }
        if isInTable { return }  // the rest of a wrapped header (`onent`)
        readBlockLine(line)
    }

    /// A table header: `Server State Name … AlertValue` (Get-ServerHealth), `Server State HealthSet …`.
    private func isHeader(_ lower: [String]) -> Bool {
        lower.contains("server") && !lower.contains(":")
            && lower.contains { ["state", "alertvalue", "healthsetname", "healthset", "targetresource"].contains($0) }
    }

    /// A pasted command line (`[PS] C:\Windows\system32>Get-ServerHealth EX01 | ?{…}`).
    private mutating func readCommand(_ line: String) -> Bool {
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
                    unit.servers.append(host)
                }
            }
            index += 1
        }
        commandNames = names
        unit.hasContent = true
        units.append(unit)
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
        if let host = AlertParser.hostName(inValue: words[0]) { unit.servers.append(host) }
        let line = words.joined(separator: " ")
        unit.readMarkers(in: line)
        unit.readTime(in: line)
        units.append(unit)
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
        let trimmed = value.trimmingCharacters(in: .whitespaces)
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
            if let host = AlertParser.hostName(inValue: trimmed) { block.servers.append(host) }
        case "source":
            // An event's Source is its provider (Microsoft-Exchange-ManagedAvailability); a monitoring system's is
            // the computer, written in full.
            if trimmed.contains("."), let host = AlertParser.hostName(inValue: trimmed) { block.servers.append(host) }
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
            if let host = AlertParser.hostName(inValue: trimmed) { block.servers.append(host) }
        case "stateattribute4", "mailboxserver", "mbxservre", "mbxserver", "mailboxservername":
            if let host = AlertParser.hostName(inValue: trimmed) { block.mailboxServers.append(host) }
        case "error", "exception", "failurecontext", "detailederrorinformation", "errormessage":
            if !trimmed.isEmpty { block.errors.append(trimmed) }
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
        guard let colon = line.firstIndex(of: ":") else { return nil }
        let key = line[..<colon].trimmingCharacters(in: .whitespaces)
        guard let first = key.unicodeScalars.first, first.properties.isAlphabetic, key.count <= 40,
            key.unicodeScalars.allSatisfy({
                $0.isASCII && ($0.properties.isAlphabetic || $0 == " " || $0 == "_" || ("0"..."9").contains($0))
            })
        else { return nil }
        return (key.lowercased().filter { $0 != " " }, line[line.index(after: colon)...])
    }

    private mutating func endBlock() {
        if block.hasContent {
            if block.effectiveNames.isEmpty { block.names = commandNames }
            units.append(block)
        }
        block = AlertUnit()
    }

    mutating func finish() -> [AlertUnit] {
        endBlock()
        return units
    }
}

extension AlertUnit {
    mutating func raise(_ to: Health) { health = max(health, to) }

    /// Mailbox servers carried inside text: `_Mbx:`, `Proxy=`, `Proxy:`, `ServerFqdn:`, `MbxServre:`.
    mutating func readMarkers(in line: String) {
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
                    mailboxServers.append(host)
                }
                at = max(end, at + 1)
            }
        }
    }

    /// Keeps the first time found in the unit.
    mutating func readTime(in text: some StringProtocol) {
        if time == nil { time = AlertTime.first(in: text) }
    }
}

extension [AlertUnit] {
    /// The alert these units make.
    func alert(timeZone: TimeZone) -> Alert {
        var alert = Alert()
        let failing = filter { $0.health == .failing }
        var named = AlertNames()
        for unit in failing { named.add(resolved: unit.effectiveNames) }
        // No status at all (an e-mail naming the monitor), or a failure that names nothing
        // (Test-ImapConnectivity): the monitors the status-less text names are the ones meant.
        let sawStatus = contains { $0.health != .none }
        let failureNamesNothing = failing.contains { $0.effectiveNames.isEmpty }
        var statusless = AlertNames()
        for unit in self where unit.health == .none { statusless.add(resolved: unit.effectiveNames) }
        if named.meantMonitors.isEmpty && (!sawStatus || failureNamesNothing) {
            named.add(statusless)
        }
        alert.monitors = named.meantMonitors
        alert.healthSets = named.imapSets
        alert.otherHealthSets = named.otherSets
        // Every unit that gives the health of IMAP monitors (or of nothing it names) says Healthy.
        let imapStatuses = filter { $0.health != .none && ($0.effectiveNames.namesImap || $0.effectiveNames.isEmpty) }
        alert.isAllHealthy =
            !imapStatuses.isEmpty && imapStatuses.allSatisfy { $0.health == .healthy } && alert.monitors.isEmpty

        // What healthy units say of servers, times and errors is not the alert's, unless nothing failed.
        let counted = filter { $0.health == .none || $0.health == .failing || failing.isEmpty }
        let relevant = filter { $0.health == .none || $0.health == .failing }
        var servers = HostList()
        var mailboxServers = HostList()
        for unit in counted { for host in unit.servers { servers.add(host) } }
        for unit in relevant { for host in unit.mailboxServers { mailboxServers.add(host) } }
        alert.mailboxServers = mailboxServers.names
        // A server named only as a mailbox server is not also "the" server of the alert.
        alert.servers = servers.names.filter { !mailboxServers.contains($0) }
        for unit in relevant {
            for error in unit.errors where alert.errors.count < 10 { alert.errors.append(String(error.prefix(300))) }
        }
        if let found = relevant.lazy.compactMap(\.time).first, let millis = found.millis(in: timeZone) {
            alert.time = millis
            alert.timeText = found.text
            alert.timeIsLocal = found.isLocal
            if found.isLocal { alert.timeZone = timeZone.identifier }
        }
        return alert
    }
}

/// Host names without repeats in any case, in the order first seen, at most 100.
private struct HostList {
    var names: [String] = []
    private var seen: Set<String> = []

    mutating func add(_ name: String) {
        guard names.count < 100, seen.insert(name.lowercased()).inserted else { return }
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
        AlertTime.first(in: text)?.millis(in: timeZone)
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
    /// Every field is bounded when read (a year of 4 digits), so nothing here can overflow.
    func millis(in timeZone: TimeZone) -> Int64? {
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

    /// The first time in `text`.
    ///
    /// - Complexity: O(n): each position where a number starts begins one match of at most ~40 bytes.
    static func first(in text: some StringProtocol) -> AlertTime? {
        let bytes = Array(text.utf8)
        var at = 0
        while at < bytes.count {
            if AlertParser.isDigit(bytes[at]) && (at == 0 || !AlertParser.isDigit(bytes[at - 1])) {
                var iso = TimeScanner(bytes: bytes, at: at)
                if let time = iso.iso() { return time }
                var cultural = TimeScanner(bytes: bytes, at: at)
                if let time = cultural.cultural() { return time }
            }
            at += 1
        }
        return nil
    }
}

/// Matches one time at a position of a line's bytes.
private struct TimeScanner {
    let bytes: [UInt8]
    let start: Int
    var at: Int

    init(bytes: [UInt8], at: Int) {
        self.bytes = bytes
        self.start = at
        self.at = at
    }

    private var current: UInt8? { at < bytes.count ? bytes[at] : nil }

    /// A number of `digits` digits exactly (not followed by another digit).
    private mutating func number(_ digits: ClosedRange<Int>) -> Int? {
        var value = 0
        var count = 0
        while let byte = current, AlertParser.isDigit(byte) {
            guard count < digits.upperBound else { return nil }
            value = value * 10 + Int(byte - 0x30)
            count += 1
            at += 1
        }
        return count >= digits.lowerBound ? value : nil
    }

    private mutating func skip(_ byte: Character) -> Bool {
        guard let current, let ascii = byte.asciiValue, current == ascii else { return false }
        at += 1
        return true
    }

    /// `yyyy-MM-dd[T ]HH:mm[:ss[.fff…]][Z|±hh:mm|±hhmm]`.
    mutating func iso() -> AlertTime? {
        var time = AlertTime()
        guard let year = number(4...4), skip("-"), let month = number(2...2), skip("-"), let day = number(2...2),
            skip("T") || skip(" ")
        else { return nil }
        (time.year, time.month, time.day) = (year, month, day)
        guard clock(&time) else { return nil }
        if skip("Z") {
            time.offset = 0
        } else if let sign = current, sign == UInt8(ascii: "+") || sign == UInt8(ascii: "-") {
            at += 1
            guard let hours = number(2...4) else { return nil }
            var minutes = 0
            var wholeHours = hours
            if hours > 99 {
                // `+0100`.
                (wholeHours, minutes) = (hours / 100, hours % 100)
            } else if skip(":") {
                guard let m = number(2...2) else { return nil }
                minutes = m
            }
            guard wholeHours <= 14, minutes < 60 else { return nil }
            time.offset = (sign == UInt8(ascii: "-") ? -1 : 1) * (wholeHours * 3600 + minutes * 60)
        }
        return finish(time)
    }

    /// `MM/dd/yyyy h:mm:ss AM` (month first with AM/PM, as en-US writes), `dd/MM/yyyy HH:mm:ss` (day first,
    /// as most other cultures write, unless that cannot be), also with `.` or `-`, and two-digit years.
    mutating func cultural() -> AlertTime? {
        var time = AlertTime()
        guard let first = number(1...2), let separator = current,
            [UInt8(ascii: "/"), UInt8(ascii: "."), UInt8(ascii: "-")].contains(separator)
        else { return nil }
        at += 1
        guard let second = number(1...2), current == separator else { return nil }
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
        if isPM || isAM {
            guard (1...12).contains(time.hour) else { return nil }
            time.hour = time.hour % 12 + (isPM ? 12 : 0)
        }
        var (month, day) = isAM || isPM ? (first, second) : (second, first)
        if month > 12 { swap(&month, &day) }
        (time.year, time.month, time.day) = (year < 100 ? 2000 + year : year, month, day)
        return finish(time)
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
                    guard count <= 7 else { return false }
                    time.millisecond += Int(byte - 0x30) * scale
                    scale /= 10
                    at += 1
                }
            }
        }
        return true
    }

    /// The time if its fields are possible and it ends at a word's end.
    private func finish(_ time: AlertTime) -> AlertTime? {
        if let byte = current, AlertParser.isDigit(byte) || (byte | 0x20) &- 0x61 < 26 { return nil }
        guard (1...9999).contains(time.year), (1...12).contains(time.month), (1...31).contains(time.day),
            time.hour < 24, time.minute < 60, time.second < 61
        else { return nil }
        var found = time
        found.text = String(decoding: bytes[start..<at], as: UTF8.self)
        return found
    }
}
