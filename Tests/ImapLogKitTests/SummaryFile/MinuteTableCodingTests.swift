import Foundation
import Testing

@testable import ImapLogDiagnosis
@testable import ImapLogKit
@testable import ImapLogReport

/// Per-minute tables as summary files hold them: base64 of variable-length numbers, read page by page when their
/// minutes ascend and minute by minute otherwise.
@Suite("Per-minute tables in summary files")
struct MinuteTableCodingTests {
    private func tally(_ n: Int) -> LogonTally { LogonTally(logons: n, serverFaults: 0, credentialFailures: 0) }

    @Test func encodingsOutOfOrderAreReadMinuteByMinute() throws {
        // `encode` writes minutes ascending and those are read page by page; anything else (a summary made by
        // hand) is read one minute at a time: both give the table the minutes add up to.
        func encoded(_ minutes: [(Int64, LogonTally)]) -> Data {
            var bytes: [UInt8] = []
            func number(_ n: UInt64) {
                var n = n
                while n >= 0x80 {
                    bytes.append(UInt8(truncatingIfNeeded: n) | 0x80)
                    n >>= 7
                }
                bytes.append(UInt8(n))
            }
            func signed(_ n: Int64) { number(UInt64(bitPattern: (n << 1) ^ (n >> 63))) }
            number(UInt64(minutes.count))
            var previous: Int64 = 0
            for (minute, tally) in minutes {
                signed(minute - previous)
                previous = minute
                for k in 0..<LogonTally.fieldCount { signed(tally.field(k)) }
            }
            return Data("\"\(Data(bytes).base64EncodedString())\"".utf8)
        }
        let ascending: [(Int64, LogonTally)] = [(-3000, tally(1)), (5, tally(2)), (1439, tally(3)), (1440, tally(4))]
        let shuffled: [(Int64, LogonTally)] = [
            (1440, tally(4)), (5, tally(1)), (-3000, tally(1)), (5, tally(1)), (1439, tally(3)),
        ]
        for minutes in [ascending, shuffled] {
            var reference = MinuteTable<LogonTally>()
            for (minute, value) in minutes { reference.add(value, at: minute) }
            let table = try JSONDecoder().decode(MinuteTable<LogonTally>.self, from: encoded(minutes))
            #expect(table == reference)
            #expect(table.count == 4 && table[5] == tally(2) && table[1440] == tally(4) && table[6] == nil)
        }
    }
}

@Suite("Fuzzer findings")
struct FuzzFindingTests {
    /// Found by the fuzzer (a crash): a minute near the bottom of Int64 in a summary's minute table.
    ///
    /// Finding its day overflowed: a crafted summary file could have stopped `merge`.
    @Test func aMinuteTableWithAnAbsurdMinuteIsRefused() throws {
        var huge: [UInt8] = [2]  // two minutes
        // Gap: zig-zag of Int64.min + 5 (ten 7-bit groups), then four fields of 1; then a gap of 1 and four fields.
        let zigzag = UInt64(bitPattern: ((Int64.min + 5) << 1) ^ ((Int64.min + 5) >> 63))
        var n = zigzag
        while n >= 0x80 {
            huge.append(UInt8(truncatingIfNeeded: n) | 0x80)
            n >>= 7
        }
        huge.append(UInt8(n))
        huge += [2, 2, 2, 2, 2, 2, 2, 2, 2]
        let json = Data("\"\(Data(huge).base64EncodedString())\"".utf8)
        #expect(throws: DecodingError.self) { try JSONDecoder().decode(MinuteTable<TimelineTally>.self, from: json) }
        // Minutes that logs can give still read back.
        var table = MinuteTable<TimelineTally>()
        let early = try #require(Timestamp.parse("0001-01-01T00:00:00.000Z")) / 60_000
        let late = try #require(Timestamp.parse("9999-12-31T23:59:00.000Z")) / 60_000
        var tally = TimelineTally()
        tally.requests = 1
        table.add(tally, at: early)
        table.add(tally, at: late)
        let encoded = try JSONEncoder().encode(table)
        #expect(try JSONDecoder().decode(MinuteTable<TimelineTally>.self, from: encoded) == table)
    }
}
