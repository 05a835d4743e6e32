import Foundation
import ImapLogKit

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
