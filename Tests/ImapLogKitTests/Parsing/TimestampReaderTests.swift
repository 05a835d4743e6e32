import Testing

@testable import ImapLogKit

/// The timestamp reader that keeps the date of the row before, checked against the stateless parse.
@Suite("Timestamp reader")
struct TimestampReaderTests {
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
}
