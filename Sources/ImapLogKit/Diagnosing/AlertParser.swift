/// What an administrator's alert or cmdlet output says: which monitors are unhealthy, on which server,
/// which mailbox servers it names, and when.
public struct Alert: Sendable, Equatable, Codable {
    /// Monitors named as unhealthy (or simply named, in plain alert text), in the order first seen.
    public var monitors: [Monitor] = []
    /// The server the alert or probe ran on (`Get-ServerHealth`'s Server, `-Server`, ClientAccessServer).
    public var servers: [String] = []
    /// Mailbox servers it names: `_Mbx:`, `StateAttribute4`, `Proxy=`, `Proxy:`, `ServerFqdn:`.
    public var mailboxServers: [String] = []
    /// The alert's time (ms since 1970, read as UTC), when it gives one.
    public var time: Int64?
    /// Error lines it quotes (`Error : IMAP Error: aYKG NO LOGIN failed.`).
    public var errors: [String] = []

    public init() {}
}

/// Reads alert text, `Get-ServerHealth` tables, `Invoke-MonitoringProbe … | Format-List` and
/// `Test-ImapConnectivity` output, as pasted or saved (UTF-8, or UTF-16 as PowerShell's `Out-File` writes).
public enum AlertParser {
    /// Decodes the bytes of an alert file.
    public static func decode(_ bytes: [UInt8]) -> String {
        if bytes.count >= 2 && bytes[0] == 0xFF && bytes[1] == 0xFE {
            return utf16(bytes.dropFirst(2), littleEndian: true)
        }
        if bytes.count >= 2 && bytes[0] == 0xFE && bytes[1] == 0xFF {
            return utf16(bytes.dropFirst(2), littleEndian: false)
        }
        var body = bytes[...]
        if bytes.starts(with: [0xEF, 0xBB, 0xBF]) { body = bytes.dropFirst(3) }
        return String(decoding: body, as: UTF8.self)
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

    /// Parses the text.
    public static func parse(_ text: String) -> Alert {
        var alert = Alert()
        let lines = text.split(omittingEmptySubsequences: false, whereSeparator: { $0 == "\n" || $0 == "\r" })
            .map(String.init)
        var unhealthy: [Monitor] = []
        var named: [Monitor] = []
        var sawStatus = false
        var listMonitor: Monitor?
        var listIsUnhealthy = false

        func add(_ monitor: Monitor, to list: inout [Monitor]) {
            if !list.contains(monitor) { list.append(monitor) }
        }
        func addServer(_ name: String, mailbox: Bool) {
            let clean = cleanHost(name)
            guard !clean.isEmpty, clean.lowercased() != "localhost", clean.contains(where: \.isLetter) else { return }
            if mailbox {
                if !alert.mailboxServers.contains(where: { $0.lowercased() == clean.lowercased() }) {
                    alert.mailboxServers.append(clean)
                }
            } else if !alert.servers.contains(where: { $0.lowercased() == clean.lowercased() }) {
                alert.servers.append(clean)
            }
        }

        for line in lines {
            let tokens = line.split(whereSeparator: { $0 == " " || $0 == "\t" || $0 == "," || $0 == "'" || $0 == "\"" })
                .map(String.init)
            let monitorsHere = tokens.compactMap(Monitor.named)
            for monitor in monitorsHere { add(monitor, to: &named) }
            let lower = line.lowercased()
            // A Get-ServerHealth table row: Server State Name TargetResource HealthSetName AlertValue ServerComponent.
            if let monitor = monitorsHere.first, tokens.count >= 4 {
                let status = tokens.first {
                    ["unhealthy", "healthy", "degraded", "disabled"].contains($0.lowercased())
                }
                if let status {
                    sawStatus = true
                    if status.lowercased() == "unhealthy" || status.lowercased() == "degraded" {
                        add(monitor, to: &unhealthy)
                        if tokens[0] != monitor.rawValue, tokens[0].contains(where: \.isLetter) {
                            addServer(tokens[0], mailbox: false)
                        }
                    }
                }
            }
            // `Name : Value` lines (Format-List).
            if let colon = line.firstIndex(of: ":") {
                let key = String(line[..<colon]).trimmingSpaces().lowercased()
                let value = String(line[line.index(after: colon)...]).trimmingSpaces()
                switch key {
                case "name", "monitorname", "monitoridentity", "identity":
                    if let monitor = Monitor.named(value) {
                        listMonitor = monitor
                        if listIsUnhealthy { add(monitor, to: &unhealthy) }
                    }
                case "alertvalue":
                    sawStatus = true
                    listIsUnhealthy = value.lowercased() == "unhealthy" || value.lowercased() == "degraded"
                    if listIsUnhealthy, let monitor = listMonitor { add(monitor, to: &unhealthy) }
                case "server", "clientaccessserver", "machinename", "servername":
                    addServer(value, mailbox: false)
                case "stateattribute4", "mailboxserver":
                    addServer(value, mailbox: true)
                case "error", "exception", "failurecontext":
                    if !value.isEmpty && alert.errors.count < 10 { alert.errors.append(value) }
                case "executionstarttime", "executionendtime", "timeraised", "time", "lastmodified",
                    "timeoflastresult", "alerttime", "firstalertobservedtime":
                    if alert.time == nil { alert.time = parseTime(value) }
                case "resulttype", "result":
                    if ["failed", "failure", "timedout"].contains(value.lowercased()) {
                        sawStatus = true
                        if let monitor = named.last { add(monitor, to: &unhealthy) }
                    }
                default: break
                }
            }
            // `-Server X` on a command line the admin pasted.
            if let index = tokens.firstIndex(where: { $0.lowercased() == "-server" || $0.lowercased() == "-identity" }),
                index + 1 < tokens.count
            {
                addServer(tokens[index + 1], mailbox: false)
            }
            // Mailbox server carriers inside error text.
            for marker in ["_mbx:", "proxy=", "proxy:", "serverfqdn:"] {
                var search = lower[...]
                while let range = search.range(of: marker) {
                    let offset = lower.distance(from: lower.startIndex, to: range.upperBound)
                    let rest = line.dropFirst(offset)
                    let host = rest.drop(while: { $0 == " " }).prefix(while: isHostCharacter)
                    addServer(String(host), mailbox: true)
                    search = search[range.upperBound...]
                }
            }
            if alert.time == nil, let time = firstISOTime(in: line) { alert.time = time }
        }
        alert.monitors = sawStatus && !unhealthy.isEmpty ? unhealthy : named
        // A server named only as a mailbox server is not also "the" server of the alert.
        let mailboxServers = Set(alert.mailboxServers.map { $0.lowercased() })
        alert.servers.removeAll { mailboxServers.contains($0.lowercased()) }
        return alert
    }

    private static func isHostCharacter(_ c: Character) -> Bool {
        c.isASCII && (c.isLetter || c.isNumber || c == "." || c == "-" || c == "_")
    }

    private static func cleanHost(_ text: String) -> String {
        var host = String(text.trimmingSpaces().drop(while: { $0 == "\"" || $0 == "'" }).prefix(while: isHostCharacter))
        while host.hasSuffix(".") { host.removeLast() }
        return host
    }

    /// Parses a time as cmdlets print it.
    ///
    /// ISO 8601, `11/17/2026 10:05:32 AM` (en-US), `17/11/2026 10:05:32` (fr-FR); read as UTC.
    static func parseTime(_ text: String) -> Int64? {
        if let iso = firstISOTime(in: text) { return iso }
        let parts = text.split(whereSeparator: { $0 == " " || $0 == "T" })
        guard parts.count >= 2 else { return nil }
        let date = parts[0].split(whereSeparator: { $0 == "/" || $0 == "." || $0 == "-" }).compactMap { Int($0) }
        let clock = parts[1].split(separator: ":").compactMap { Int($0) }
        guard date.count == 3, clock.count >= 2 else { return nil }
        var hour = clock[0]
        let isPM = parts.count > 2 && parts[2].uppercased().hasPrefix("P")
        let isAM = parts.count > 2 && parts[2].uppercased().hasPrefix("A")
        if isPM && hour < 12 { hour += 12 }
        if isAM && hour == 12 { hour = 0 }
        // Month first with AM/PM (en-US), else day first (most other cultures), unless that cannot be.
        var (month, day) = (isAM || isPM) ? (date[0], date[1]) : (date[1], date[0])
        if month > 12 { swap(&month, &day) }
        let year = date[2] < 100 ? 2000 + date[2] : date[2]
        guard (1...12).contains(month), (1...31).contains(day), hour < 24, clock[1] < 60 else { return nil }
        let days = Int64(Timestamp.daysFromCivil(year: year, month: month, day: day))
        return (days * 86_400 + Int64(hour * 3600 + clock[1] * 60 + (clock.count > 2 ? clock[2] : 0))) * 1000
    }

    private static func firstISOTime(in text: String) -> Int64? {
        let chars = Array(text)
        guard chars.count >= 19 else { return nil }
        for start in 0...(chars.count - 19) where chars[start].isNumber {
            let candidate = String(chars[start..<(start + 19)])
            if let time = Timestamp.parse(candidate) { return time }
        }
        return nil
    }
}
