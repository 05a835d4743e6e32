import Testing

@testable import ImapLogKit

/// The interner that gives each distinct key a small id, checked against a dictionary and the host reader.
@Suite("Interner")
struct InternerTests {
    @Test func internerFoldsCaseAndTellsLongKeysApart() {
        let interner = Interner(limit: 100_000, lowercases: true)
        var ids: [String: Int32] = [:]
        var random = SplitMix(state: 3)
        for _ in 0..<20_000 {
            // Keys of every length around the word size, many sharing long prefixes.
            let length = random.below(30)
            let key =
                "HealthMailbox"
                + String((0..<length).map { _ in Character(Unicode.Scalar(UInt8(0x41 + random.below(3)))) })
            let id = withBytes(Array(key.utf8)) { interner.intern($0, ByteRange(start: 0, end: $1)) }
            if let known = ids[key.lowercased()] { #expect(known == id) } else { ids[key.lowercased()] = id }
            #expect(interner.string(id) == key.lowercased())
            let mixed = key.uppercased()
            #expect(withBytes(Array(mixed.utf8)) { interner.holds(id, $0, ByteRange(start: 0, end: $1)) })
        }
        #expect(Set(ids.values).count == ids.count)
        #expect(interner.count == ids.count)
    }

    @Test func aKeyHoldsItsOwnBytesInEitherCaseAndNoOthers() {
        // Every length from 1 to 40 (one word, several, overlapping last words, past the four-word comparison),
        // against the same bytes in capitals and against each one-byte change at every position.
        let interner = Interner(limit: 100_000, lowercases: true)
        for length in 1...40 {
            let key = (0..<length).map { UInt8(ascii: "a") + UInt8($0 % 26) }
            let id = withBytes(key) { interner.intern($0, ByteRange(start: 0, end: $1)) }
            #expect(withBytes(key.map { $0 - 32 }) { interner.holds(id, $0, ByteRange(start: 0, end: $1)) })
            for position in 0..<length {
                var other = key
                other[position] = UInt8(ascii: "0")
                #expect(
                    !withBytes(other) { interner.holds(id, $0, ByteRange(start: 0, end: $1)) },
                    "length \(length), byte \(position)")
            }
            #expect(!withBytes(key + [UInt8(ascii: "x")]) { interner.holds(id, $0, ByteRange(start: 0, end: $1)) })
        }
    }

    @Test func shortKeysGetOneIdWhereverTheyStandAndHoweverTheyAreWritten() {
        // Keys of 1 to 20 bytes (the recent-key cache takes up to 16, short ones are read as one word) of two
        // letters, written in either case, so the same bytes come back often and keys one byte apart meet in the
        // cache; at offsets before and after the eighth byte of a line.
        let interner = Interner(limit: 100_000, lowercases: true)
        var ids: [String: Int32] = [:]
        var random = SplitMix(state: 8)
        let letters = Array("ab".utf8)
        for _ in 0..<40_000 {
            var key = (0..<(1 + random.below(20))).map { _ in letters[random.below(letters.count)] }
            if random.below(2) == 0 { key = key.map { $0 & ~0x20 } }
            let offset = random.below(12)
            let line = (0..<offset).map { _ in letters[random.below(letters.count)] } + key + Array(",x".utf8)
            let range = ByteRange(start: offset, end: offset + key.count)
            let id = withBytes(line) { base, _ in interner.intern(base, range) }
            let folded = String(decoding: key, as: UTF8.self).lowercased()
            if let known = ids[folded] { #expect(known == id, "\(folded)") } else { ids[folded] = id }
            #expect(interner.string(id) == folded)
            #expect(withBytes(line) { base, _ in interner.holds(id, base, range) })
        }
        #expect(Set(ids.values).count == ids.count)
        #expect(interner.count == ids.count)
        // Keys that read as the same words and differ in length only (a NUL byte where the word is padded).
        let padded = ["ab", "ab\u{0}", "ab", "ab\u{0}", "abcdefghi", "abcdefghi\u{0}", "abcdefghi", "abcdefghi\u{0}"]
        let paddedIDs = padded.map { interner.intern($0) }
        #expect(paddedIDs[0] != paddedIDs[1] && paddedIDs[4] != paddedIDs[5])
        #expect(paddedIDs[0...1] == paddedIDs[2...3] && paddedIDs[4...5] == paddedIDs[6...7])
    }

    @Test func aKnownHostPrefixIsWhatTheHostReaderWouldRead() {
        // Proxy rows skip `CommandFacts.host` when their parameters start with the session's back end: the two
        // must agree whenever the shortcut answers.
        let interner = Interner(limit: 100, lowercases: true)
        let name = "mbx02.contoso.com"
        let id = interner.intern(name)
        let alphabet = Array("mbxMBX02.contso-_: ,;[]".utf8)
        var random = SplitMix(state: 5)
        var answered = 0
        for round in 0..<20_000 {
            // Mostly the name (any case) then a few random bytes; sometimes anything.
            var bytes: [UInt8] =
                round % 4 == 0
                ? [] : Array((random.below(2) == 0 ? name.uppercased() : name).utf8.prefix(17 - random.below(3)))
            for _ in 0..<random.below(6) { bytes.append(alphabet[random.below(alphabet.count)]) }
            let (shortcut, reference) = withBytes(bytes) { base, count in
                (
                    interner.hostPrefix(id, base, ByteRange(start: 0, end: count)),
                    CommandFacts.host(base, from: 0, end: count, endingAt: .route)
                )
            }
            // Declining is always safe (the row is then read in full); answering must give the same range.
            if let shortcut {
                answered += 1
                #expect(shortcut == reference, "\(String(decoding: bytes, as: UTF8.self))")
            }
        }
        #expect(answered > 1_000)
    }

    @Test func internerPoolsKeysPastItsLimit() {
        let interner = Interner(limit: 3, lowercases: false)
        let ids = ["a", "b", "c", "d", "a", "e", "d"].map { interner.intern($0) }
        // Past the limit every new key is one more key, `(other)`: counted, never dropped.
        #expect(ids == [0, 1, 2, 3, 0, 3, 3])
        #expect(interner.string(3) == "(other)" && interner.pooledID == 3 && interner.isFull)
        #expect(interner.count == 4)
    }

    @Test func internerReservesThePooledKeyUpFront() {
        let interner = Interner(limit: 2, lowercases: true)
        let pooled = interner.reservePooledID()
        #expect(pooled == 0 && !interner.isFull)
        #expect(["a", "b", "c"].map { interner.intern($0) } == [1, 2, pooled])
        #expect(interner.isFull && interner.reservePooledID() == pooled)
    }
}
