/// The monitors of the IMAP health sets that imaplog knows how to check against the logs.
public enum Monitor: String, CaseIterable, Codable, Sendable, Comparable {
    case customerTouchPoint = "ImapCTPMonitor"
    case proxyTest = "ImapProxyTestMonitor"
    case deepTest = "ImapDeepTestMonitor"
    case selfTest = "ImapSelfTestMonitor"
    case averageCommandProcessingTime = "AverageCommandProcessingTimeGt60sMonitor"
    case requestsQueued = "RequestsQueuedGt500Monitor"

    public static func < (lhs: Monitor, rhs: Monitor) -> Bool {
        (allCases.firstIndex(of: lhs) ?? 0) < (allCases.firstIndex(of: rhs) ?? 0)
    }

    /// The probe whose results the monitor watches, if it watches one.
    public var probe: String? {
        switch self {
        case .customerTouchPoint: return "ImapCTPProbe"
        case .proxyTest: return "ImapProxyTestProbe"
        case .deepTest: return "ImapDeepTestProbe"
        case .selfTest: return "ImapSelfTestProbe"
        case .averageCommandProcessingTime, .requestsQueued: return nil
        }
    }

    /// The health set it belongs to (as the runbook files it, for RequestsQueuedGt500Monitor).
    public var healthSet: String {
        switch self {
        case .customerTouchPoint, .averageCommandProcessingTime, .requestsQueued: return "IMAP"
        case .proxyTest: return "IMAP.Proxy"
        case .deepTest, .selfTest: return "IMAP.Protocol"
        }
    }

    /// Finds the monitor meant by a monitor name, a probe name or `HealthSet\Probe`, in any case,
    /// including the runbook's misspelling `ImapTestDeepMonitor`.
    public static func named(_ text: String) -> Monitor? {
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
}
