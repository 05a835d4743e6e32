import ImapLogKit

/// RequestsQueuedGt500Monitor: an ActiveSync monitor (`MSExchange Throttling\Task queue length` above 500 for 2
/// samples) that the IMAP runbook copied in. The rule says so, and reports the peak of IMAP commands in flight.

extension Diagnoser {
    /// Not an IMAP monitor: say so, and report the peak of IMAP commands in flight per server instead.
    func requestsQueued() -> MonitorResult {
        var peaks: [ServerKey: InFlightPeak] = [:]
        for (key, peak) in summary.peakInFlight {
            peaks[ServerKey.named(names.canonical(key.name), role: key.role), default: InFlightPeak.empty].merge(peak)
        }
        let listed = peaks.sorted { ($1.value.peak, $0.key) < ($0.value.peak, $1.key) }.prefix(5).map {
            Sentence.PeakInFlight(
                server: names.display($0.key.name), peak: $0.value.peak, at: minuteTime($0.value.at / 60_000))
        }
        return MonitorResult(
            name: Monitor.requestsQueued.rawValue, fired: false, summary: [.requestsQueuedNotImap(peaks: listed)],
            suspects: [])
    }
}
