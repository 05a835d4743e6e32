import Testing

@testable import ImapLogDiagnosis
@testable import ImapLogKit
@testable import ImapLogReport

/// The word-at-a-time helpers and hand-made tables of the hot path, each checked against a plain reference.
@Suite("Hot-path building blocks")
struct FastPathTests {
    /// A small deterministic generator (tests must give the same cases on every run).
    private struct SplitMix {
        var state: UInt64
        mutating func next() -> UInt64 {
            state &+= 0x9E37_79B9_7F4A_7C15
            var z = state
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return z ^ (z >> 31)
        }
        mutating func below(_ n: Int) -> Int { Int(next() % UInt64(n)) }
    }

    private func withBytes<T>(_ bytes: [UInt8], _ body: (UnsafePointer<UInt8>, Int) -> T) -> T {
        bytes.withUnsafeBufferPointer { body($0.baseAddress.unsafelyUnwrapped, $0.count) }
    }

    @Test func hexSessionIdsMatchAPlainParse() {
        let alphabet = Array("0123456789abcdefABCDEFgG:@`/ \u{7F}".utf8) + [0xC3, 0x00]
        var random = SplitMix(state: 1)
        for round in 0..<20_000 {
            let length = round % 3 == 0 ? random.below(18) : 16
            // Mostly hex digits, sometimes one other byte.
            var bytes = (0..<length).map { _ in alphabet[random.below(22)] }
            if length > 0 && random.below(4) == 0 {
                bytes[random.below(length)] = alphabet[random.below(alphabet.count)]
            }
            let hexDigits = Set("0123456789abcdefABCDEF".utf8)
            let expected: UInt64? =
                (1...16).contains(length) && bytes.allSatisfy(hexDigits.contains)
                ? UInt64(String(decoding: bytes, as: UTF8.self), radix: 16) : nil
            let got = withBytes(bytes) { Bytes.hex($0, ByteRange(start: 0, end: $1)) }
            #expect(got == expected, "\(String(decoding: bytes, as: UTF8.self))")
        }
        #expect(withBytes(Array("00000000000002E3".utf8)) { Bytes.hex($0, ByteRange(start: 0, end: $1)) } == 0x2E3)
        #expect(withBytes(Array("FFFFFFFFFFFFFFFF".utf8)) { Bytes.hex($0, ByteRange(start: 0, end: $1)) } == .max)
        #expect(withBytes(Array("0000000000000G00".utf8)) { Bytes.hex($0, ByteRange(start: 0, end: $1)) } == nil)
    }

    @Test func wordScanFindsTheFirstByteLikeALoop() {
        var random = SplitMix(state: 2)
        for _ in 0..<5_000 {
            let length = random.below(40)
            let bytes = (0..<length).map { _ in
                [UInt8(ascii: ","), UInt8(ascii: "a"), 0x2B, 0xAC, 0x00][random.below(5)]
            }
            let from = length == 0 ? 0 : random.below(length + 1)
            let expected = bytes[from...].firstIndex(of: UInt8(ascii: ",")) ?? length
            #expect(withBytes(bytes) { Bytes.scan(for: UInt8(ascii: ","), in: $0, from: from, end: $1) } == expected)
        }
    }

    @Test func decimalsMatchAPlainParseAtEveryOffset() {
        // Digits mostly, sometimes a byte next to them in the table ('/', ':', 0xB9, 0x80 + '0'); fields placed
        // at the start of the buffer (a byte loop) and past its eighth byte (a word ending at the last digit).
        let others: [UInt8] = [0x2F, 0x3A, 0xB9, 0xB0, 0x00, 0x20, 0x2D, 0x7F]
        var random = SplitMix(state: 6)
        for _ in 0..<30_000 {
            let length = random.below(21)
            var field = (0..<length).map { _ in UInt8(0x30 + random.below(10)) }
            if length > 0 && random.below(3) == 0 { field[random.below(length)] = others[random.below(others.count)] }
            let offset = random.below(12)
            let bytes = (0..<offset).map { _ in others[random.below(others.count)] } + field + [UInt8(ascii: ",")]
            var expected: Int64? = nil
            if (1...Bytes.maximumDigits).contains(length) && field.allSatisfy({ $0 &- 0x30 < 10 }) {
                expected = field.reduce(0) { $0 * 10 + Int64($1 - 0x30) }
            }
            let got = withBytes(bytes) { base, _ in Bytes.decimal(base, ByteRange(start: offset, end: offset + length))
            }
            #expect(got == expected, "\(field) at \(offset)")
        }
        #expect(
            withBytes(Array("xxxxxxxx99999999".utf8)) { p, _ in Bytes.decimal(p, ByteRange(start: 8, end: 16)) }
                == 99_999_999)
    }

    @Test func wordLowercasingTouchesCapitalsOnly() {
        let all = (0...255).map(UInt8.init)
        for start in stride(from: 0, to: 256, by: 8) {
            let chunk = Array(all[start..<(start + 8)])
            let lowered = withBytes(chunk) { p, _ in Bytes.lowercased(word: Bytes.word(p)) }
            let expected = withBytes(chunk.map(Bytes.lowercased)) { p, _ in Bytes.word(p) }
            #expect(lowered == expected)
        }
        #expect(withBytes(Array("ab".utf8)) { Bytes.partialWord($0, count: $1) } == 0x6261)
    }

    @Test func hostBytesAreLettersDigitsDashDotUnderscore() {
        for byte in 0...255 {
            let c = UInt8(byte)
            let allowed = Set("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-._".utf8)
            let expected = allowed.contains(c)
            #expect(CommandFacts.isHostByte(c) == expected, "byte \(byte)")
        }
    }

    @Test func timestampReaderAgreesWithTheStatelessParse() {
        let texts = [
            "2026-01-01T00:00:01.025Z", "2026-01-01T23:59:59.999Z", "2026-01-02T00:00:00.000Z", "2026-01-02 10:11:12",
            "2026-01-02T10:11:12.5Z", "2026-01-02T10:11:12.1234567Z", "2026-01-02T10:11:12.12Z",
            "2026-01-02T25:11:12.000Z",
            "2026-13-02T10:11:12.000Z", "2026-01-02T10:11:12.00aZ", "2026-01-02T10:11:12.000ZZ",
            "2025-12-31T10:11:12.000Z",
            "2026-01-0xT10:11:12.000Z", "2026-01-02T10:11:12.000", "1970-01-01T00:00:00.000Z",
        ]
        var reader = TimestampReader()
        // Twice over, so each text is read both with a fresh date and with the date cached from before.
        for text in texts + texts + texts.reversed() {
            let bytes = Array(text.utf8)
            let cached = withBytes(bytes) { reader.parse($0, ByteRange(start: 0, end: $1)) }
            let plain = withBytes(bytes) { Timestamp.parse($0, ByteRange(start: 0, end: $1)) }
            #expect(cached == plain, "\(text)")
        }
        #expect(Timestamp.parse("2026-01-02T10:11:12.5Z") == Timestamp.parse("2026-01-02T10:11:12.500Z"))
    }

    @Test func timestampReaderAgreesWithTheStatelessParseWithinAMinute() {
        // Rows of one minute (the reader then reads only `:ss.fffZ`), with seconds and fractions of every kind,
        // valid or not, now and then a row of another minute or date, or of another length.
        let alphabet = Array("0123456789:.Z a".utf8)
        let minutes = ["2026-01-02T10:11", "2026-01-02T10:12", "2026-01-02 10:12", "2026-01-03T10:12"]
        var reader = TimestampReader()
        var random = SplitMix(state: 11)
        for _ in 0..<30_000 {
            var bytes = Array(minutes[random.below(10) == 0 ? random.below(minutes.count) : 0].utf8)
            var tail = Array(":\(random.below(7))\(random.below(10)).\(random.below(1000) + 1000)Z".utf8)
            tail.remove(at: 4)  // the thousands digit that kept three fraction digits
            // Most tails valid; the others with one byte, or the length, changed.
            switch random.below(4) {
            case 0: tail[random.below(tail.count)] = alphabet[random.below(alphabet.count)]
            case 1:
                if random.below(2) == 0 {
                    tail.removeLast()
                } else {
                    tail.append(alphabet[random.below(alphabet.count)])
                }
            default: break
            }
            bytes += tail
            let cached = withBytes(bytes) { reader.parse($0, ByteRange(start: 0, end: $1)) }
            let plain = withBytes(bytes) { Timestamp.parse($0, ByteRange(start: 0, end: $1)) }
            #expect(cached == plain, "\(String(decoding: bytes, as: UTF8.self))")
        }
    }

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
                    CommandFacts.host(base, from: 0, end: count)
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
