import Foundation
import ImapLogKit

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
