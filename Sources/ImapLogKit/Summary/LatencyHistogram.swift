/// A mergeable latency histogram with log-linear buckets: exact below 64 ms, then 64 buckets per
/// power of two, so any quantile is within 1/128 (0.8 %) of the true value.
///
/// Two histograms merge by adding counts, so per-file or per-thread histograms combine into exactly
/// the histogram of all the data (unlike a sorted sample or a streaming estimate).
package struct LatencyHistogram: Sendable, Equatable {
    /// Buckets below this value hold one value each.
    static let exactLimit: Int64 = 64
    /// Largest value kept; larger durations are clamped to it (≈ 795 days in milliseconds).
    static let maxValue: Int64 = (1 << 36) - 1
    /// Buckets a page holds: memory follows the pages used, 128 bytes each, never the highest bucket.
    ///
    /// A dense array up to the highest bucket took 16 KB once a single huge duration was seen, per server and per
    /// server × command: a memory bomb. Sixteen buckets are a quarter of a power of two past 64 ms, so the usual
    /// spread of durations (0 to a few seconds) fills the pages it touches, and the rest cost nothing.
    static let pageSize = 16
    /// Words of `storage` that hold the directory: one byte per page, 128 pages (`bucket(of: maxValue)` is 1,983).
    static let directoryWords = 16

    /// The directory, then the pages in the order they were first used (empty until a value is recorded).
    ///
    /// Byte `p` of the directory (byte `p % 8` of word `p / 8`, low first) is 0 when page `p` holds nothing, else
    /// its place among the pages plus one: a bucket's count is found with two loads, no search, no shifting when a
    /// page is added (a bitmap and a count of the bits below cost 20 more instructions a record, on processors
    /// without a population-count instruction in the baseline).
    private var storage: [UInt64] = []
    package private(set) var count: UInt64 = 0
    package private(set) var sum: UInt64 = 0
    package private(set) var max: Int64 = 0
    /// Smallest value recorded (0 when empty).
    package private(set) var min: Int64 = 0

    package init() {}

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

    /// Where page `page`'s counts start in `storage`, or 0 when it holds nothing.
    @inline(__always)
    private static func start(ofPage page: Int, in storage: UnsafeMutableBufferPointer<UInt64>) -> Int {
        let entry = Int(truncatingIfNeeded: storage[page &>> 3] &>> UInt64((page & 7) &<< 3)) & 0xFF
        return entry == 0 ? 0 : directoryWords &+ (entry &- 1) &* pageSize
    }

    /// Adds `n` to a bucket's count, adding its page if it is new.
    @inline(__always)
    private mutating func add(_ n: UInt64, toBucket index: Int) {
        if storage.isEmpty { storage = [UInt64](repeating: 0, count: Self.directoryWords) }
        let page = index / Self.pageSize
        let added: Bool = storage.withUnsafeMutableBufferPointer { words in
            // Safe: `page` < 128 (the buckets end at 1,983), so its directory byte is in the first 16 words, and a
            // page the directory names lies within the storage.
            let start = Self.start(ofPage: page, in: words)
            guard start > 0 else { return false }
            words[start &+ (index & (Self.pageSize - 1))] &+= n
            return true
        }
        if !added { addPage(page, bucket: index, n) }
    }

    /// Appends page `page`, with `n` in `bucket`.
    private mutating func addPage(_ page: Int, bucket: Int, _ n: UInt64) {
        let place = (storage.count - Self.directoryWords) / Self.pageSize + 1
        storage[page / 8] |= UInt64(place) << UInt64((page % 8) * 8)
        storage.append(contentsOf: repeatElement(0, count: Self.pageSize))
        storage[storage.count - Self.pageSize + bucket % Self.pageSize] = n
    }

    /// The buckets holding counts, ascending, with their counts.
    func forEachBucket(_ body: (_ index: Int, _ count: UInt64) -> Void) {
        guard !storage.isEmpty else { return }
        for page in 0..<(Self.directoryWords * 8) {
            let entry = Int(storage[page / 8] >> UInt64((page % 8) * 8)) & 0xFF
            guard entry > 0 else { continue }
            let start = Self.directoryWords + (entry - 1) * Self.pageSize
            for k in 0..<Self.pageSize where storage[start + k] > 0 {
                body(page * Self.pageSize + k, storage[start + k])
            }
        }
    }

    /// Pages in use (for tests: memory is 128 bytes a page, and 128 for the directory).
    package var pageCountInUse: Int { storage.isEmpty ? 0 : (storage.count - Self.directoryWords) / Self.pageSize }

    /// The same values: pages are stored in the order they were first used, so the storage is not compared.
    package static func == (lhs: LatencyHistogram, rhs: LatencyHistogram) -> Bool {
        guard lhs.count == rhs.count, lhs.sum == rhs.sum, lhs.max == rhs.max, lhs.min == rhs.min,
            lhs.pageCountInUse == rhs.pageCountInUse
        else { return false }
        var left: [(Int, UInt64)] = []
        lhs.forEachBucket { left.append(($0, $1)) }
        var right: [(Int, UInt64)] = []
        rhs.forEachBucket { right.append(($0, $1)) }
        return left.elementsEqual(right) { $0 == $1 }
    }

    /// Adds one duration in milliseconds.
    ///
    /// - Complexity: O(1) amortised.
    @inline(__always)
    package mutating func record(_ milliseconds: Int64) {
        add(1, toBucket: Self.bucket(of: milliseconds))
        count &+= 1
        let clamped = Swift.min(Swift.max(milliseconds, 0), Self.maxValue)
        sum &+= UInt64(clamped)
        if clamped > max { max = clamped }
        if clamped < min || count == 1 { min = clamped }
    }

    /// Adds every value of another histogram.
    package mutating func merge(_ other: LatencyHistogram) {
        if count == 0 && storage.isEmpty {
            self = other
            return
        }
        other.forEachBucket { index, n in add(n, toBucket: index) }
        if other.count > 0 { min = count == 0 ? other.min : Swift.min(min, other.min) }
        count &+= other.count
        sum &+= other.sum
        max = Swift.max(max, other.max)
    }

    /// The value at quantile `q` (0…1), nearest rank: the smallest value with at least ⌈q·n⌉ values at or below it.
    ///
    /// Exact below 64 ms; within 0.8 % above. 0 when empty.
    package func quantile(_ q: Double) -> Int64 {
        guard count > 0 else { return 0 }
        let rank = Swift.max(1, UInt64((q * Double(count)).rounded(.up)))
        var seen: UInt64 = 0
        var found: Int?
        forEachBucket { index, n in
            guard found == nil else { return }
            seen &+= n
            if seen >= rank { found = index }
        }
        // Clamped to the exact extremes, so one value, or all values in one bucket, read back exactly.
        guard let found else { return max }
        return Swift.min(Swift.max(Self.representative(ofBucket: found), min), max)
    }

    /// Mean in milliseconds (exact: from the sum, not the buckets).
    package var mean: Double { count == 0 ? 0 : Double(sum) / Double(count) }
}

extension LatencyHistogram: Codable {
    private enum CodingKeys: String, CodingKey { case buckets, count, sum, max, min }

    /// Encoded sparsely as `[index, count]` pairs.
    package func encode(to encoder: Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        var pairs: [[UInt64]] = []
        forEachBucket { index, n in pairs.append([UInt64(index), n]) }
        try container.encode(pairs, forKey: .buckets)
        try container.encode(count, forKey: .count)
        try container.encode(sum, forKey: .sum)
        try container.encode(max, forKey: .max)
        try container.encode(min, forKey: .min)
    }

    /// Reads what `encode` wrote, refusing what it never writes (summaries arrive from shares others can write): a
    /// bucket out of range, twice or out of order, an empty one, buckets that do not add up to `count`, extremes out
    /// of order or past `maxValue`, a sum larger than `count` values at `maxValue` make.
    package init(from decoder: Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        func damaged(_ reason: String) -> DecodingError {
            DecodingError.dataCorruptedError(forKey: .buckets, in: container, debugDescription: reason)
        }
        let pairs = try container.decode([[UInt64]].self, forKey: .buckets)
        let bucketCount = Self.bucket(of: Self.maxValue) + 1
        var total: UInt64 = 0
        var previous = -1
        for pair in pairs {
            guard pair.count == 2, pair[0] < UInt64(bucketCount) else { throw damaged("bucket out of range") }
            let index = Int(pair[0])
            guard index > previous else { throw damaged("buckets twice or out of order") }
            let (sum, overflow) = total.addingReportingOverflow(pair[1])
            guard pair[1] > 0, !overflow else { throw damaged("a bucket's count out of range") }
            total = sum
            previous = index
            add(pair[1], toBucket: index)
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
