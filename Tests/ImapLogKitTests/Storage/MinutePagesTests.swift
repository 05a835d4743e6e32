import Foundation
import SampleLogKit
import Testing

@testable import ImapLogDiagnosis
@testable import ImapLogKit
@testable import ImapLogReport

/// How per-minute tables keep their days: packed once past, unpacked for a late minute, deflated and spilled
/// past their thresholds, every number read back exactly.
@Suite("Per-minute tables: packed days")
struct MinutePagesTests {
    @Test func pastDaysArePackedAndReadBackExactlyEvenWhenWrittenLate() throws {
        var table = MinuteTable<TimelineTally>()
        var reference: [Int64: TimelineTally] = [:]
        func add(_ value: TimelineTally, _ minute: Int64) {
            table.add(value, at: minute)
            reference[minute, default: TimelineTally()].merge(value)
        }
        // Thirty busy days in time order, values of every size (and negative ones, which logs never give); a minute's
        // milliseconds up to what it keeps (`Summary.millisecondsLimit`: sums past it stop there).
        let start: Int64 = 29_000_000 - 29_000_000 % 1440
        for minute in stride(from: start, to: start + 30 * 1440, by: 1) {
            let k = minute - start
            add(
                TimelineTally(
                    requests: Int(k % 300), failures: Int(k % 7),
                    latencySum: (k % 11 == 0 ? Summary.millisecondsLimit : k * 31),
                    latencyCount: k % 13 == 0 ? -Int(k) : 1), minute)
        }
        #expect(table.packedDayCount == 28)
        // Late minutes land in packed days: those unpack, take the minute, and are packed again later.
        add(TimelineTally(requests: 5, failures: 1, latencySum: 9, latencyCount: 1), start + 3 * 1440 + 17)
        add(TimelineTally(requests: 1, failures: 0, latencySum: Int64.min, latencyCount: 1), start + 10)
        #expect(table.packedDayCount == 26)
        add(TimelineTally(requests: 1, failures: 0, latencySum: 1, latencyCount: 1), start + 31 * 1440)
        #expect(table.packedDayCount == 30)  // days 0 to 29; day 31 stays open
        #expect(table.count == reference.count)
        #expect(table.entries.map(\.minute) == reference.keys.sorted())
        #expect(table.lastMinute == reference.keys.max())
        for (minute, value) in table.entries { #expect(reference[minute] == value) }
        // Going through the table (a day at a time) gives the same minutes and tallies, in the same order.
        let walked = Array(table)
        #expect(walked.count == table.count && walked.map(\.minute) == table.entries.map(\.minute))
        #expect(walked.map(\.value) == table.entries.map(\.value))
        #expect(Array(MinuteTable<TimelineTally>()).isEmpty)
        for minute in [start + 10, start + 3 * 1440 + 17, start + 20 * 1440 + 5] {
            #expect(table[minute] == reference[minute])
        }
        let data = try JSONEncoder().encode(table)
        #expect(try JSONDecoder().decode(MinuteTable<TimelineTally>.self, from: data) == table)
    }

    /// Timestamps in random order kept every day they touched unpacked (40 million rows: 1.8 GB): a bounded number
    /// of days stays open, the numbers are the same, and the scratch file reuses the blocks of days packed again.
    @Test func minutesInRandomOrderStayPacked() throws {
        let folder = TestSupport.temporaryFolder()
        defer { TestSupport.remove(folder) }
        let fd = open(folder + "/spill", O_RDWR | O_CREAT | O_EXCL, 0o600)
        #expect(fd >= 0)
        defer { close(fd) }
        let spill = SpillFile(descriptor: fd)
        var table = MinuteTable<TimelineTally>(spill: spill)
        var reference: [Int64: Int] = [:]
        var random = SeededRandom(seed: 3)
        let firstMinute: Int64 = 29_000_000
        for _ in 0..<60_000 {
            let minute = firstMinute + Int64(random.int(0...(300 * 1_440)))
            table.add(TimelineTally(requests: 1, failures: 0, latencySum: 1, latencyCount: 1), at: minute)
            reference[minute, default: 0] += 1
            #expect(table.openDayCount <= MinuteTable<TimelineTally>.maxOpenDays)
        }
        #expect(table.count == reference.count)
        #expect(table.entries.allSatisfy { reference[$0.minute] == $0.value.requests })
        // Days written again take back their old blocks: the file holds a few times the packed days, not a copy
        // per late minute.
        #expect(spill.byteCount <= 4 * Int64(table.packedByteCount) + 1_000_000)
    }
}

@Suite("Packed pages")
struct PageCompressionTests {
    @Test func aRegularDayIsDeflatedAndInflatedExactly() {
        // A day of a probe's minutes: small counts, latencies of a few hundred ms, as variable-length numbers.
        var numbers: [UInt8] = []
        var state: UInt64 = 7
        for _ in 0..<1440 {
            state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            numbers += [0, 2, 0, UInt8(0x80 | (state >> 33) & 0x7F), UInt8(2 + (state >> 40) % 3)]
        }
        let page = PageCompression.stored(numbers, deflating: true)
        #expect(page.first == 1)
        #expect(page.count < numbers.count / 2)
        #expect(PageCompression.decompressed(page) == numbers)
    }

    @Test func pagesDeflateCannotShortenAreKeptAsTheyAre() {
        var random: [UInt8] = []
        var state: UInt64 = 11
        for _ in 0..<300 {
            state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            random.append(UInt8(truncatingIfNeeded: state >> 56))
        }
        for bytes in [random, [], [1, 2, 3], [UInt8](repeating: 0, count: 63)] {
            let page = PageCompression.stored(bytes, deflating: true)
            #expect(page == [0] + bytes)
            #expect(PageCompression.decompressed(page) == bytes)
        }
        // Long enough, and shorter deflated: deflated.
        #expect(PageCompression.stored([UInt8](repeating: 0, count: 64), deflating: true).first == 1)
        // Not asked: kept as they are, however well they would deflate.
        #expect(
            PageCompression.stored([UInt8](repeating: 0, count: 640), deflating: false) == [0]
                + [UInt8](repeating: 0, count: 640))
    }

    @Test func longTablesDeflateTheirPackedDaysAndShortOnesDoNot() {
        // A busy server's minutes for `days` days: the table, and what its packed days' plain numbers take.
        func busy(days: Int64) -> (MinuteTable<TimelineTally>, plain: Int) {
            var table = MinuteTable<TimelineTally>()
            var plain = 0
            var state: UInt64 = 3
            for minute in Int64(0)..<(days * 1440) {
                state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
                let requests = 100 + Int(state >> 58)
                let tally = TimelineTally(
                    requests: requests, failures: Int(state >> 62),
                    latencySum: Int64(requests) * Int64(40 + (state >> 59)), latencyCount: requests)
                table.add(tally, at: minute)
                if minute < (days - 2) * 1440 {
                    plain +=
                        1
                        + (0..<4).map { MinuteTable<TimelineTally>.zigzag(tally.field($0)) }.reduce(0) {
                            $0 + ($1 < 0x80 ? 1 : $1 < 0x4000 ? 2 : 3)
                        }
                }
            }
            return (table, plain)
        }
        // Five days (about 36 KB of numbers): kept as they are, a byte a day to say so.
        let (short, shortPlain) = busy(days: 5)
        #expect(short.packedDayCount == 3 && shortPlain < MinuteTable<TimelineTally>.deflateAbove)
        #expect(short.packedByteCount == shortPlain + 3)
        // Late minutes unpack old days again and again; packed again, they count once, not once per packing.
        var churned = short
        for round in Int64(0)..<40 {
            churned.add(
                TimelineTally(requests: 1, failures: 0, latencySum: 5, latencyCount: 1), at: (round % 3) * 1440 + 5)
            churned.add(
                TimelineTally(requests: 1, failures: 0, latencySum: 5, latencyCount: 1), at: (10 + round) * 1440)
        }
        #expect(churned.packedDayCount == 43 && churned.deflatedDayCount == 0)
        // Four months: past the first 256 KB, the days are deflated to well under their numbers.
        let (long, longPlain) = busy(days: 120)
        let above = MinuteTable<TimelineTally>.deflateAbove
        #expect(long.packedDayCount == 118)
        #expect(long.packedByteCount < above + 13_000 + (longPlain - above) * 6 / 10)
        #expect(long.packedByteCount > above)
        #expect(long.deflatedDayCount > 100 && long.deflatedDayCount < 118)
        #expect(Array(long).count == 120 * 1440)
        let walked = Array(long)
        for minute in [0, 1_439, 30 * 1440 + 7, 100 * 1440 + 1_000, 119 * 1440] {
            #expect(long[Int64(minute)] == walked[minute].value)
        }
    }

    @Test func aScratchFileThatRefusesAWriteIsNotWrittenToAgain() throws {
        // Writes to a descriptor open for reading fail, as they do on a full disk.
        let readOnly = try Platform.openForReading("/dev/null", policy: .asNamed).get()
        defer { Platform.close(readOnly) }
        let spill = SpillFile(descriptor: readOnly)
        #expect(spill.store([1, 2, 3]) == nil)
        let taken = spill.byteCount
        #expect(spill.store([4, 5, 6]) == nil && spill.byteCount == taken)
    }

    @Test func pastTheFirstDaysPackedDaysLeaveMemoryForTheScratchFileAndComeBackExactly() throws {
        // Half a year of a busy server's minutes, into a table with a scratch file of its own and into one without.
        let spill = SpillFile()
        var spilled = MinuteTable<TimelineTally>(spill: spill)
        var kept = MinuteTable<TimelineTally>(spill: SpillFile(isAvailable: false))
        var state: UInt64 = 5
        func next() -> TimelineTally {
            state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            let requests = 1 + Int(state >> 59)
            return TimelineTally(
                requests: requests, failures: Int(state >> 62), latencySum: Int64(requests) * Int64(state >> 54),
                latencyCount: requests)
        }
        for minute in Int64(0)..<(180 * 1440) {
            let tally = next()
            spilled.add(tally, at: minute)
            kept.add(tally, at: minute)
        }
        let above = MinuteTable<TimelineTally>.spillAbove
        // Without a scratch file every packed day stays in memory; with one, memory holds the first days only.
        #expect(kept.spilledDayCount == 0 && kept.packedBytesInMemory == kept.packedByteCount)
        #expect(kept.packedBytesInMemory > 10 * above)
        #expect(spilled.spilledDayCount > 150 && spilled.packedDayCount == 178)
        #expect(spilled.packedBytesInMemory >= above && spilled.packedBytesInMemory < above + 16 * 1024)
        // Each spilled day in a block of a power of two bytes: at most twice its bytes.
        let spilledBytes = Int64(spilled.packedByteCount - spilled.packedBytesInMemory)
        #expect(spill.byteCount >= spilledBytes && spill.byteCount < 2 * spilledBytes)
        #expect(spilled == kept && Array(spilled).elementsEqual(Array(kept)) { $0 == $1 })
        for minute: Int64 in [0, 100 * 1440 + 3, 179 * 1440 + 1_439] { #expect(spilled[minute] == kept[minute]) }
        #expect(spilled.lastMinute == Int64(180 * 1440 - 1))

        // Late minutes into spilled days (and a minute not there before): read back, changed, spilled again.
        let written = spill.byteCount
        for minute: Int64 in [100 * 1440 + 7, 100 * 1440 + 8, 150 * 1440, 3] {
            let tally = next()
            spilled.add(tally, at: minute)
            kept.add(tally, at: minute)
        }
        spilled.add(TimelineTally(requests: 1, failures: 0, latencySum: 1, latencyCount: 1), at: 181 * 1440 + 5)
        kept.add(TimelineTally(requests: 1, failures: 0, latencySum: 1, latencyCount: 1), at: 181 * 1440 + 5)
        // A day written again takes its old block back when it fits: the file grows by a block at most per day.
        #expect(spill.byteCount >= written && spill.byteCount <= written + 4 * 8_192)
        #expect(spilled == kept && spilled.count == 180 * 1440 + 1)

        // Merged, and through a summary's encoding, the same minutes.
        var merged = MinuteTable<TimelineTally>(spill: spill)
        merged.merge(spilled)
        merged.merge(kept)
        var doubled = kept
        doubled.merge(kept)
        #expect(merged == doubled)
        let data = try JSONEncoder().encode(spilled)
        #expect(try JSONDecoder().decode(MinuteTable<TimelineTally>.self, from: data) == kept)
    }
}
