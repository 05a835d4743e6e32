import ImapLogKit

/// The monitors of the IMAP health sets that imaplog knows how to check against the logs.
package enum Monitor: String, CaseIterable, Codable, Sendable, Comparable {
    case customerTouchPoint = "ImapCTPMonitor"
    case proxyTest = "ImapProxyTestMonitor"
    case deepTest = "ImapDeepTestMonitor"
    case selfTest = "ImapSelfTestMonitor"
    case averageCommandProcessingTime = "AverageCommandProcessingTimeGt60sMonitor"
    case requestsQueued = "RequestsQueuedGt500Monitor"

    package static func < (lhs: Monitor, rhs: Monitor) -> Bool {
        (allCases.firstIndex(of: lhs) ?? 0) < (allCases.firstIndex(of: rhs) ?? 0)
    }

    /// The probe whose results the monitor watches, if it watches one.
    package var probe: String? {
        switch self {
        case .customerTouchPoint: return "ImapCTPProbe"
        case .proxyTest: return "ImapProxyTestProbe"
        case .deepTest: return "ImapDeepTestProbe"
        case .selfTest: return "ImapSelfTestProbe"
        case .averageCommandProcessingTime, .requestsQueued: return nil
        }
    }

    /// The health set it belongs to (as the runbook files it, for RequestsQueuedGt500Monitor).
    package var healthSet: String {
        switch self {
        case .customerTouchPoint, .averageCommandProcessingTime, .requestsQueued: return "IMAP"
        case .proxyTest: return "IMAP.Proxy"
        case .deepTest, .selfTest: return "IMAP.Protocol"
        }
    }

    /// Finds the monitor meant by a monitor name, a probe name or `HealthSet\Probe`, in any case,
    /// including the runbook's misspelling `ImapTestDeepMonitor`.
    package static func named(_ text: String) -> Monitor? {
        var name = text.trimmingSpaces().lowercased()
        if let slash = name.lastIndex(where: { $0 == "\\" || $0 == "/" }) {
            name = String(name[name.index(after: slash)...])
        }
        let aliases: [String: Monitor] = [
            "imaptestdeepmonitor": .deepTest, "imaptestdeepprobe": .deepTest,
            "averagecommandprocessingtimemonitor": .averageCommandProcessingTime,
        ]
        if let alias = aliases[name] { return alias }
        return allCases.first { $0.rawValue.lowercased() == name || $0.probe?.lowercased() == name }
    }

    /// The IMAP health sets, as Exchange spells them.
    package static let healthSets = ["IMAP", "IMAP.Proxy", "IMAP.Protocol"]

    /// The IMAP health set spelled `text` in any case, in Exchange's spelling; nil for any other text
    /// (POP's `POP.Protocol` is not IMAP's).
    package static func healthSet(named text: String) -> String? {
        let name = text.trimmingSpaces().lowercased()
        return healthSets.first { $0.lowercased() == name }
    }

    /// The monitors meant by a monitor name, a probe name, `HealthSet\Probe`, or an IMAP health set.
    ///
    /// A health set means every monitor of it that imaplog can check: `IMAP.Protocol` is
    /// ImapDeepTestMonitor and ImapSelfTestMonitor, `IMAP.Proxy` ImapProxyTestMonitor. `IMAP` is
    /// ImapCTPMonitor and AverageCommandProcessingTimeGt60sMonitor: the health set alone does not say which
    /// fired, and a rule that finds nothing says so; RequestsQueuedGt500Monitor is left out because it is an
    /// ActiveSync monitor the runbook filed under IMAP. Empty for anything else.
    package static func named(healthSetOrMonitor text: String) -> [Monitor] {
        if let monitor = named(text) { return [monitor] }
        guard let set = healthSet(named: text) else { return [] }
        if set == "IMAP" { return [.customerTouchPoint, .averageCommandProcessingTime] }
        return allCases.filter { $0.healthSet == set }
    }

    /// The one monitor whose name (or its probe's) begins with `text` cut by a console (`AverageCommandPro...`,
    /// `ImapProxyTestMo…`); nil when several or none do, or when too little is left to tell.
    package static func named(truncated text: String) -> Monitor? {
        var name = Substring(text.trimmingSpaces().lowercased())
        while let last = name.last, last == "." || last == "\u{2026}" { name = name.dropLast() }
        // Shorter than "ImapC" (5) would begin too many names to mean one.
        guard name.count >= 5 else { return nil }
        let matches = allCases.filter {
            $0.rawValue.lowercased().hasPrefix(name) || $0.probe?.lowercased().hasPrefix(name) == true
        }
        return matches.count == 1 ? matches.first : nil
    }
}
