/// The parts of the `context` column imaplog reads: `R`, `Msg`, `ErrMsg`, `Excpt`.
///
/// `context` is its own little format inside a CSV field: `Key=Value` items joined by `;`, a value
/// holding a space, quote, comma or semicolon wrapped in `"…"` with inner quotes *not* escaped. Decoding is
/// lenient: a quoted value closes at a quote followed by `;Key=` or the end; an item with no `Key=`
/// continues the previous value (`Msg=Proxy:…;ProxySuccess`); an unclosed quote takes the rest.
struct ContextFields {
    var response = ByteRange.empty
    var message = ByteRange.empty
    var errorMessage = ByteRange.empty
    var exception = ByteRange.empty
    var hasResponse = false

    /// Decodes the context field in `range`.
    ///
    /// - Complexity: O(n) in the field's length.
    static func decode(_ base: UnsafePointer<UInt8>, _ range: ByteRange) -> ContextFields {
        var result = ContextFields()
        var i = range.start
        let end = range.end
        var lastSlot = -1
        let semicolon = UInt8(ascii: ";")
        while i < end {
            var k = i
            while k < end && isKeyByte(base[k]) { k += 1 }
            if k > i && k < end && base[k] == UInt8(ascii: "=") {
                let key = ByteRange(start: i, end: k)
                var value: ByteRange
                let valueStart = k + 1
                if valueStart < end && base[valueStart] == UInt8(ascii: "\"") {
                    var close = -1
                    var q = valueStart + 1
                    while q < end {
                        let p = Bytes.firstIndex(of: UInt8(ascii: "\""), in: base, ByteRange(start: q, end: end))
                        if p >= end { break }
                        if p + 1 == end || (base[p + 1] == semicolon && looksLikeKey(base, at: p + 2, end: end)) {
                            close = p
                            break
                        }
                        q = p + 1
                    }
                    if close >= 0 {
                        value = ByteRange(start: valueStart + 1, end: close)
                        i = close + 2
                    } else {
                        value = ByteRange(start: valueStart + 1, end: end)
                        i = end
                    }
                } else {
                    let semi = Bytes.firstIndex(of: semicolon, in: base, ByteRange(start: valueStart, end: end))
                    value = ByteRange(start: valueStart, end: semi)
                    i = semi + 1
                }
                lastSlot = result.assign(key: key, value: value, base: base)
            } else {
                // No `Key=`: this item belongs to the previous value.
                let semi = Bytes.firstIndex(of: semicolon, in: base, ByteRange(start: i, end: end))
                result.extend(slot: lastSlot, to: semi)
                i = semi + 1
            }
        }
        return result
    }

    @inline(__always)
    private static func isKeyByte(_ c: UInt8) -> Bool {
        Bytes.lowercased(c) &- 0x61 < 26 || c &- 0x30 < 10
    }

    private static func looksLikeKey(_ base: UnsafePointer<UInt8>, at start: Int, end: Int) -> Bool {
        var k = start
        while k < end && isKeyByte(base[k]) { k += 1 }
        return k > start && k < end && base[k] == UInt8(ascii: "=")
    }

    private mutating func assign(key: ByteRange, value: ByteRange, base: UnsafePointer<UInt8>) -> Int {
        switch key.count {
        case 1 where Bytes.equalsIgnoringCase(base, key, "r"):
            response = value
            hasResponse = true
            return 0
        case 3 where Bytes.equalsIgnoringCase(base, key, "msg"):
            message = value
            return 1
        case 6 where Bytes.equalsIgnoringCase(base, key, "errmsg"):
            errorMessage = value
            return 2
        case 5 where Bytes.equalsIgnoringCase(base, key, "excpt"):
            exception = value
            return 3
        default:
            return -1
        }
    }

    private mutating func extend(slot: Int, to end: Int) {
        switch slot {
        case 0: response.end = max(response.end, end)
        case 1: message.end = max(message.end, end)
        case 2: errorMessage.end = max(errorMessage.end, end)
        case 3: exception.end = max(exception.end, end)
        default: break
        }
    }
}
