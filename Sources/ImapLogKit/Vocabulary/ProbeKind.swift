/// Exchange's own monitoring traffic, told apart by its loopback address, `HealthMailbox…` users,
/// `exchangemon.net` names and the tag `z`.
package enum ProbeKind: String, Sendable, Codable, CaseIterable, Comparable {
    /// Front end, logs on through the proxy: ImapCTPProbe (ImapCTPMonitor).
    case customerTouchPoint = "ImapCTPProbe"
    /// Front end, banner and CAPABILITY only: ImapProxyTestProbe (ImapProxyTestMonitor).
    case proxyTest = "ImapProxyTestProbe"
    /// Back end, logs on: ImapDeepTestProbe (ImapDeepTestMonitor).
    case deepTest = "ImapDeepTestProbe"
    /// Back end, no logon: ImapSelfTestProbe (ImapSelfTestMonitor).
    case selfTest = "ImapSelfTestProbe"
    /// Health-mailbox traffic that fits none of the above.
    case other = "other"

    package static func < (lhs: ProbeKind, rhs: ProbeKind) -> Bool { lhs.rawValue < rhs.rawValue }
}
