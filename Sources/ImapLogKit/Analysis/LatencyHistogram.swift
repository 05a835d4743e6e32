/// A mergeable latency histogram with log-linear buckets: exact below 64 ms, then 64 buckets per
/// power of two, so any quantile is within 1/128 (0.8 %) of the true value.
///
/// Two histograms merge by adding counts, so per-file or per-thread histograms combine into exactly
/// the histogram of all the data (unlike a sorted sample or a streaming estimate).
public struct LatencyHistogram: Sendable, Equatable {
    /// Buckets below this value hold one value each.
    static let exactLimit: Int64 = 64
    /// Largest value kept; larger durations are clamped to it (≈ 795 days in milliseconds).
    static let maxValue: Int64 = (1 << 36) - 1

    /// Counts per bucket; grows to the highest bucket used.
    private(set) var counts: [UInt64] = []
    public private(set) var count: UInt64 = 0
    public private(set) var sum: UInt64 = 0
    public private(set) var max: Int64 = 0
    /// Smallest value recorded (0 when empty).
    public private(set) var min: Int64 = 0

    public init() {}

    /// The bucket of a value.
    @inline(__always)
    static func bucket(of value: Int64) -> Int {
        let v = Swift.min(Swift.max(value, 0), maxValue)
        if v < exactLimit { return Int(v) }
        let exponent = 63 - v.leadingZeroBitCount  // ≥ 6
        let mantissa = Int(v >> (exponent - 6))  // 64…127
        return 64 + (exponent - 6) * 64 + (mantissa - 64)
    }

    /// The value a bucket stands for: exact below 64, else the middle of the bucket.
    static func representative(ofBucket index: Int) -> Int64 {
        if index < Int(exactLimit) { return Int64(index) }
        let exponent = (index - 64) / 64 + 6
        let mantissa = Int64((index - 64) % 64 + 64)
        let low = mantissa << (exponent - 6)
        let width = Int64(1) << (exponent - 6)
        return low + (width - 1) / 2
    }

    /// Adds one duration in milliseconds.
    ///
    /// - Complexity: O(1) amortised.
    @inline(__always)
    public mutating func record(_ milliseconds: Int64) {
        let index = Self.bucket(of: milliseconds)
        if index >= counts.count { counts.append(contentsOf: repeatElement(0, count: index + 1 - counts.count)) }
        counts[index] &+= 1
        count &+= 1
        let clamped = Swift.min(Swift.max(milliseconds, 0), Self.maxValue)
        sum &+= UInt64(clamped)
        if clamped > max { max = clamped }
        if clamped < min || count == 1 { min = clamped }
    }

    /// Adds every value of another histogram.
    public mutating func merge(_ other: LatencyHistogram) {
        if other.counts.count > counts.count {
            counts.append(contentsOf: repeatElement(0, count: other.counts.count - counts.count))
        }
        for (i, c) in other.counts.enumerated() where c > 0 { counts[i] &+= c }
        if other.count > 0 { min = count == 0 ? other.min : Swift.min(min, other.min) }
        count &+= other.count
        sum &+= other.sum
        max = Swift.max(max, other.max)
    }

    /// The value at quantile `q` (0…1), nearest rank: the smallest value with at least ⌈q·n⌉ values at or below it.
    ///
    /// Exact below 64 ms; within 0.8 % above. 0 when empty.
    public func quantile(_ q: Double) -> Int64 {
        guard count > 0 else { return 0 }
        let rank = Swift.max(1, UInt64((q * Double(count)).rounded(.up)))
        var seen: UInt64 = 0
        for (i, c) in counts.enumerated() where c > 0 {
            seen += c
            // Clamped to the exact extremes, so one value, or all values in one bucket, read back exactly.
            if seen >= rank { return Swift.min(Swift.max(Self.representative(ofBucket: i), min), max) }
        }
        return max
    }

    /// Mean in milliseconds (exact: from the sum, not the buckets).
    public var mean: Double { count == 0 ? 0 : Double(sum) / Double(count) }
}

extension LatencyHistogram: Codable {
    private enum CodingKeys: String, CodingKey { case buckets, count, sum, max, min }

    /// Encoded sparsely as `[index, count]` pairs.
    public func encode(to encoder: Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        let pairs = counts.enumerated().filter { $0.element > 0 }.map { [UInt64($0.offset), $0.element] }
        try container.encode(pairs, forKey: .buckets)
        try container.encode(count, forKey: .count)
        try container.encode(sum, forKey: .sum)
        try container.encode(max, forKey: .max)
        try container.encode(min, forKey: .min)
    }

    /// Reads what `encode` wrote, refusing what it never writes (summaries arrive from shares others can write): a
    /// bucket out of range, twice or out of order, an empty one, buckets that do not add up to `count`, extremes out
    /// of order or past `maxValue`, a sum larger than `count` values at `maxValue` make.
    public init(from decoder: Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        func damaged(_ reason: String) -> DecodingError {
            DecodingError.dataCorruptedError(forKey: .buckets, in: container, debugDescription: reason)
        }
        let pairs = try container.decode([[UInt64]].self, forKey: .buckets)
        let bucketCount = Self.bucket(of: Self.maxValue) + 1
        var total: UInt64 = 0
        for pair in pairs {
            guard pair.count == 2, pair[0] < UInt64(bucketCount) else { throw damaged("bucket out of range") }
            let index = Int(pair[0])
            guard index >= counts.count else { throw damaged("buckets twice or out of order") }
            let (sum, overflow) = total.addingReportingOverflow(pair[1])
            guard pair[1] > 0, !overflow else { throw damaged("a bucket's count out of range") }
            total = sum
            counts.append(contentsOf: repeatElement(0, count: index + 1 - counts.count))
            counts[index] = pair[1]
        }
        count = try container.decode(UInt64.self, forKey: .count)
        sum = try container.decode(UInt64.self, forKey: .sum)
        max = try container.decode(Int64.self, forKey: .max)
        min = try container.decode(Int64.self, forKey: .min)
        guard count == total else { throw damaged("the buckets do not add up to the count") }
        let (most, overflow) = count.multipliedReportingOverflow(by: UInt64(Self.maxValue))
        guard (0...Self.maxValue).contains(min), (0...Self.maxValue).contains(max), count == 0 || min <= max,
            count > 0 || (sum == 0 && min == 0 && max == 0), overflow || sum <= most
        else { throw damaged("extremes or sum out of range") }
    }
}
