// libFuzzer entry point: the analysis's bounded tables under made-up floods. The bytes are read as a list of
// operations on a latency histogram, a per-minute table (minutes in any order), an interner with a small limit,
// the open-session table and summaries merged past their limits; each is checked against a plain reference.
// Compiled together with the library targets' sources by `Fuzz/run.sh analysis` (not part of the package).
import Foundation

/// Reads the fuzzer's bytes as numbers.
private struct Reader {
    let bytes: UnsafeBufferPointer<UInt8>
    var position = 0

    var isAtEnd: Bool { position >= bytes.count }

    mutating func byte() -> UInt8 {
        guard position < bytes.count else { return 0 }
        position += 1
        return bytes[position - 1]
    }

    mutating func number(_ width: Int) -> UInt64 {
        var n: UInt64 = 0
        for _ in 0..<width { n = n << 8 | UInt64(byte()) }
        return n
    }
}

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzOneInput(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    var reader = Reader(bytes: UnsafeBufferPointer(start: data, count: size))
    var histogram = LatencyHistogram()
    var values: [Int64] = []
    var table = MinuteTable<TimelineTally>(spill: SpillFile(isAvailable: false))
    var minutes: [Int64: Int] = [:]
    let interner = Interner(limit: 5, lowercases: true)
    var interned: [String: Int32] = [:]
    var sessions = SessionTable<Int>()
    var open: [UInt64: Int] = [:]
    var summary = Summary()
    var records = 0
    while !reader.isAtEnd {
        switch reader.byte() % 5 {
        case 0:
            // Any duration, negative and huge ones too.
            let value = Int64(bitPattern: reader.number(reader.byte() % 9 == 0 ? 8 : 3)) >> Int64(reader.byte() % 64)
            histogram.record(value)
            values.append(min(max(value, 0), LatencyHistogram.maxValue))
        case 1:
            // A minute within ten years, in any order.
            let minute = 29_000_000 + Int64(reader.number(3) % (3_650 * 1_440))
            table.add(TimelineTally(requests: 1, failures: 0, latencySum: 1, latencyCount: 1), at: minute)
            minutes[minute, default: 0] += 1
            precondition(table.openDayCount <= MinuteTable<TimelineTally>.maxOpenDays, "too many days open")
        case 2:
            let name = String(UnicodeScalar(UInt8(97 + reader.byte() % 8)))
            let id = interner.intern(name)
            if let known = interned[name] {
                precondition(id == known, "a key changed its id")
            } else {
                interned[name] = id
            }
            precondition(interner.count <= 6, "the interner grew past its limit and (other)")
        case 3:
            let key = SessionTable<Int>.Key(id: reader.number(1) % 32, slot: Int32(reader.byte() % 2))
            let packed = key.id << 1 | UInt64(key.slot)
            if reader.byte() % 3 == 0 {
                precondition(sessions.remove(key) == open.removeValue(forKey: packed), "remove disagrees")
            } else if let position = sessions.find(key) {
                sessions[position] += 1
                open[packed, default: 0] += 1
            } else {
                precondition(open[packed] == nil, "find disagrees")
                sessions.insert(key, 1)
                open[packed] = 1
            }
            precondition(sessions.count == open.count, "counts disagree")
        default:
            // A summary of one server and one user, merged: past the limits they are pooled, never lost.
            var part = Summary()
            let server = ServerKey(name: "mbx\(reader.number(2))", role: .backEnd)
            var tally = ServerTally()
            tally.records = 1 + Int(reader.byte())
            records += tally.records
            part.servers[server] = tally
            part.serverSpellings[server.name] = server.name
            part.users["u\(reader.number(3))"] = PartyTally(commands: tally.records)
            summary.merge(part)
        }
    }
    // The histogram against the values themselves: count, extremes, and every quantile from the same buckets.
    precondition(histogram.count == UInt64(values.count), "histogram count")
    if !values.isEmpty {
        let sorted = values.sorted()
        precondition(histogram.max == sorted.last && histogram.min == sorted.first, "histogram extremes")
        for q in [0.0, 0.25, 0.5, 0.9, 0.99, 1.0] {
            let rank = max(1, Int((q * Double(sorted.count)).rounded(.up)))
            let bucket = LatencyHistogram.bucket(of: sorted[rank - 1])
            let expected = min(
                max(LatencyHistogram.representative(ofBucket: bucket), histogram.min), histogram.max)
            precondition(histogram.quantile(q) == expected, "quantile \(q)")
        }
        guard let data = try? JSONEncoder().encode(histogram),
            (try? JSONDecoder().decode(LatencyHistogram.self, from: data)) == histogram
        else { preconditionFailure("a histogram does not round-trip") }
        var split = LatencyHistogram()
        var rest = LatencyHistogram()
        for (k, v) in values.enumerated() {
            if k % 2 == 0 { split.record(v) } else { rest.record(v) }
        }
        split.merge(rest)
        precondition(split == histogram, "merged halves differ")
    }
    precondition(table.count == minutes.count, "minute count")
    precondition(table.allSatisfy { minutes[$0.minute] == $0.value.requests }, "minutes differ")
    precondition(summary.servers.values.reduce(0) { $0 + $1.records } == records, "server records lost")
    precondition(summary.users.values.reduce(0) { $0 + $1.commands } == records, "user commands lost")
    return 0
}
