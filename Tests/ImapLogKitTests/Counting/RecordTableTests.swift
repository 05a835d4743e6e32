import Testing

@testable import ImapLogKit

/// The raw-memory tables written on every record, checked against arrays.
@Suite("Record tables")
struct RecordTableTests {
    @Test func aTableGrowsAndIsWrittenInPlaceLikeAnArray() {
        let table = RecordTable<[Int]>()
        var reference: [[Int]] = []
        for round in 0..<1_000 {
            if round % 3 == 0 || reference.isEmpty {
                table.append([round])
                reference.append([round])
            } else {
                let index = (round * 7919) % reference.count
                table[index].append(round)
                reference[index].append(round)
            }
        }
        table.extend(toHold: reference.count + 4, with: [-1])
        reference += Array(repeating: [-1], count: 5)
        #expect(Array(table) == reference)
        #expect(table.count == reference.count)
    }

    @Test func denseTablesReadEmptyUntilWrittenAndListTheWrittenOnes() {
        let counts = DenseTable(empty: 0)
        #expect(counts[41] == 0)
        counts[3] += 2
        counts[40] += 1
        counts[3] += 5
        var written: [Int32: Int] = [:]
        counts.forEachWritten { written[$0] = $1 }
        #expect(written == [3: 7, 40: 1])
        #expect(counts[39] == 0 && counts[100] == 0)
    }
}
