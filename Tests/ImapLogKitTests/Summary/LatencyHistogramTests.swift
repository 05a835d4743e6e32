import Foundation
import SampleLogKit
import Testing

@testable import ImapLogDiagnosis
@testable import ImapLogKit
@testable import ImapLogReport

@Suite("Latency histogram")
struct LatencyHistogramTests {
    /// Nearest-rank quantile of sorted values: the reference the histogram must stay within 1 % of.
    private func exact(_ sorted: [Int64], _ q: Double) -> Int64 {
        let rank = max(1, Int((q * Double(sorted.count)).rounded(.up)))
        return sorted[rank - 1]
    }

    @Test func smallValuesAreExact() {
        var h = LatencyHistogram()
        for v in [0, 1, 2, 3, 63, 5, 5, 5] as [Int64] { h.record(v) }
        // Sorted: 0 1 2 3 5 5 5 63. Nearest rank: the 4th value for the median, the 6th for p75.
        #expect(h.quantile(0.5) == 3)
        #expect(h.quantile(0.75) == 5)
        #expect(h.quantile(1.0) == 63)
        #expect(h.max == 63 && h.min == 0 && h.count == 8)
        #expect(h.mean == Double(0 + 1 + 2 + 3 + 63 + 15) / 8)
    }

    @Test func quantilesStayWithinOnePercentOfTheTruth() {
        var random = SeededRandom(seed: 7)
        var h = LatencyHistogram()
        var values: [Int64] = []
        for _ in 0..<50_000 {
            let v = Int64(random.latency(typical: random.pick([3, 40, 900, 25_000])))
            values.append(v)
            h.record(v)
        }
        values.sort()
        for q in [0.5, 0.9, 0.99, 0.999] {
            let truth = exact(values, q)
            let estimate = h.quantile(q)
            #expect(abs(Double(estimate - truth)) <= 0.01 * Double(max(truth, 1)), "q=\(q): \(estimate) vs \(truth)")
        }
        #expect(h.max == values.last)
    }

    @Test func mergingEqualsRecordingEverythingInOne() {
        var random = SeededRandom(seed: 11)
        var whole = LatencyHistogram()
        var parts = [LatencyHistogram(), LatencyHistogram(), LatencyHistogram()]
        for i in 0..<10_000 {
            let v = Int64(random.int(0...200_000))
            whole.record(v)
            parts[i % 3].record(v)
        }
        var merged = LatencyHistogram()
        for part in parts { merged.merge(part) }
        #expect(merged == whole)
    }

    @Test func hostileValuesAreClamped() {
        var h = LatencyHistogram()
        h.record(-5)
        h.record(Int64.max)
        #expect(h.count == 2 && h.min == 0 && h.max == LatencyHistogram.maxValue)
    }

    /// One huge duration costs one page of buckets, not every bucket below it (16 KB per server and command).
    @Test func aHugeDurationCostsOnePage() throws {
        var histogram = LatencyHistogram()
        histogram.record(3)
        histogram.record(Int64.max)
        #expect(histogram.pageCountInUse == 2)
        let top = LatencyHistogram.representative(ofBucket: LatencyHistogram.bucket(of: LatencyHistogram.maxValue))
        #expect(histogram.quantile(1.0) == top && histogram.quantile(0.5) == 3)
        let again = try JSONDecoder().decode(LatencyHistogram.self, from: JSONEncoder().encode(histogram))
        #expect(again == histogram)
    }

    /// Pages give the same quantiles as one bucket per value would, on values spread over every power of two.
    @Test func pagedBucketsGiveTheSameQuantiles() {
        var random = SeededRandom(seed: 5)
        var histogram = LatencyHistogram()
        var counts: [Int: UInt64] = [:]
        for _ in 0..<20_000 {
            let value = Int64(random.int(0...1_000)) << Int64(random.int(0...26))
            histogram.record(value)
            counts[LatencyHistogram.bucket(of: value), default: 0] += 1
        }
        var seen: [Int: UInt64] = [:]
        histogram.forEachBucket { seen[$0] = $1 }
        #expect(seen == counts)
        for q in [0.01, 0.5, 0.9, 0.99, 0.999] {
            let rank = max(1, UInt64((q * 20_000).rounded(.up)))
            var below: UInt64 = 0
            let bucket =
                counts.keys.sorted().first {
                    below += counts[$0] ?? 0; return below >= rank
                } ?? 0
            let expected = min(
                max(LatencyHistogram.representative(ofBucket: bucket), histogram.min), histogram.max)
            #expect(histogram.quantile(q) == expected)
        }
    }
}
