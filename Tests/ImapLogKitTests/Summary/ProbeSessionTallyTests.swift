import Testing

@testable import ImapLogDiagnosis
@testable import ImapLogKit
@testable import ImapLogReport

@Suite("Probe session tallies")
struct ProbeSessionTallyTests {
    @Test func mergeKeepsTheFirstFiveExamplesAndTheEarliestAndLatestTimes() {
        // Against the plain definition, on every mix of example counts (more than five only from a summary file)
        // and missing times.
        let times: [Int64?] = [nil, -5, 0, 7]
        for mine in 0...7 {
            for theirs in 0...7 {
                for (i, first) in times.enumerated() {
                    for other in times {
                        var a = ProbeSessionTally(sessions: 1, failedSessions: 0)
                        a.examples = (0..<mine).map { "a\($0)" }
                        a.first = first
                        a.last = times[(i + 1) % times.count]
                        var b = ProbeSessionTally(sessions: 2, failedSessions: 1)
                        b.examples = (0..<theirs).map { "b\($0)" }
                        b.first = other
                        b.last = other
                        var merged = a
                        merged.merge(b)
                        #expect(merged.sessions == 3 && merged.failedSessions == 1)
                        #expect(merged.examples == Array((a.examples + b.examples).prefix(5)))
                        #expect(merged.first == [a.first, b.first].compactMap { $0 }.min())
                        #expect(merged.last == [a.last, b.last].compactMap { $0 }.max())
                    }
                }
            }
        }
    }
}
