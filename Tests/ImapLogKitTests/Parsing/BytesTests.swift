import Testing

@testable import ImapLogKit

/// The word-at-a-time byte readers of the hot path, each checked against a plain reference.
@Suite("Word-at-a-time byte readers")
struct BytesTests {
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
}
