import Foundation
import ImapLogKit

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
