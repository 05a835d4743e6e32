import Testing

@testable import ImapLogKit

/// The open-addressing table of open sessions, checked against a dictionary.
@Suite("Session table")
struct SessionTableTests {
    @Test func sessionTableMatchesADictionaryThroughChurn() {
        var table = SessionTable<Int>()
        var reference: [UInt64: Int] = [:]
        var random = SplitMix(state: 4)
        for step in 0..<200_000 {
            // Few distinct ids and slot 0/1, so probe runs collide and deletions shift entries back.
            let id = UInt64(random.below(3_000))
            let key = SessionTable<Int>.Key(id: id >> 1, slot: Int32(id & 1))
            switch random.below(3) {
            case 0:
                if let position = table.find(key) {
                    table[position] = step
                } else {
                    table.insert(key, step)
                }
                reference[id] = step
            case 1:
                #expect(table.remove(key) == reference.removeValue(forKey: id))
            default:
                #expect(table.find(key).map { table[$0] } == reference[id])
            }
        }
        #expect(table.count == reference.count)
        let listed = table.sorted { ($0.id, $0.slot) < ($1.id, $1.slot) }
        #expect(listed.count == reference.count)
        for (key, value) in listed { #expect(reference[key.id << 1 | UInt64(key.slot)] == value) }
        table.removeAll()
        #expect(table.count == 0 && table.find(.init(id: 1, slot: 0)) == nil)
    }
}
