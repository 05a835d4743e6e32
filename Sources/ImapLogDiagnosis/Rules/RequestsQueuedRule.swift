import ImapLogKit

/// RequestsQueuedGt500Monitor: an ActiveSync monitor (`MSExchange Throttling\Task queue length` above 500 for 2
/// samples) that the IMAP runbook copied in. The rule says so, and reports the peak of IMAP commands in flight.

extension Diagnoser {
    /// Not an IMAP monitor: say so, and report the peak of IMAP commands in flight per server instead.
    func requestsQueued() -> MonitorResult {
        let w = words
        let name = Monitor.requestsQueued.rawValue
        var peaks: [ServerKey: InFlightPeak] = [:]
        for (key, peak) in summary.peakInFlight {
            peaks[ServerKey.named(names.canonical(key.name), role: key.role), default: InFlightPeak.empty].merge(peak)
        }
        let listed = peaks.sorted { ($1.value.peak, $0.key) < ($0.value.peak, $1.key) }.prefix(5).map {
            "\(names.display($0.key.name)) \(w.count($0.value.peak)) (\(clock($0.value.at / 60_000)))"
        }
        let summaryText = w(
            "\(name) watches ActiveSync's task queue (MSExchange Throttling\\Task queue length), not IMAP: the IMAP page copied it from the ActiveSync one. In these IMAP logs the most commands in flight at once were: \(listed.joined(separator: ", ")).",
            "\(name) surveille la file de tâches d'ActiveSync (MSExchange Throttling\\Task queue length), pas IMAP : la page IMAP l'a copié de celle d'ActiveSync. Dans ces journaux IMAP, le plus de commandes simultanées : \(listed.joined(separator: ", "))."
        )
        return MonitorResult(name: name, fired: false, summary: summaryText, suspects: [])
    }
}
