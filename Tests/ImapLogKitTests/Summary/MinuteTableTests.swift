import Foundation
import Testing

@testable import ImapLogDiagnosis
@testable import ImapLogKit
@testable import ImapLogReport

@Suite("Per-minute tables")
struct MinuteTableTests {
    private func tally(_ n: Int) -> LogonTally { LogonTally(logons: n, serverFaults: 0, credentialFailures: 0) }

    @Test func behavesLikeADictionaryThroughSparseAndDenseDays() throws {
        var table = MinuteTable<LogonTally>()
        var reference: [Int64: LogonTally] = [:]
        // A busy day (turns dense), scattered far-apart minutes (stay sparse), negative minutes (before 1970).
        var minutes: [Int64] = (0..<1440).map { 29_000_000 + $0 } + [0, -1, -1441, 5_000_000_000, 7, 29_000_000]
        minutes += (0..<500).map { Int64($0) * 1_000_003 }
        for (i, minute) in minutes.enumerated() {
            table.add(tally(i % 3 + 1), at: minute)
            reference[minute, default: LogonTally()].merge(tally(i % 3 + 1))
        }
        #expect(table.count == reference.count)
        #expect(table.keys == reference.keys.sorted())
        #expect(table.lastMinute == reference.keys.max() && MinuteTable<LogonTally>().lastMinute == nil)
        for (minute, value) in reference { #expect(table[minute] == value) }
        #expect(table[12_345] == nil && table[-2] == nil)

        // Merging in halves, in either order, gives the same table.
        var a = MinuteTable<LogonTally>()
        var b = MinuteTable<LogonTally>()
        for (i, minute) in minutes.enumerated() {
            (i % 2 == 0 ? { a.add(tally(i % 3 + 1), at: minute) } : { b.add(tally(i % 3 + 1), at: minute) })()
        }
        var ab = a
        ab.merge(b)
        var ba = b
        ba.merge(a)
        #expect(ab == table && ba == table)

        // Encoded as one packed string, read back exactly; a damaged one is refused, not misread.
        let data = try JSONEncoder().encode(table)
        #expect(try JSONDecoder().decode(MinuteTable<LogonTally>.self, from: data) == table)
        #expect(data.count < table.count * 50)
        let cut = try JSONEncoder().encode(String(try JSONDecoder().decode(String.self, from: data).dropLast(8)))
        #expect(throws: DecodingError.self) { try JSONDecoder().decode(MinuteTable<LogonTally>.self, from: cut) }
    }
}
