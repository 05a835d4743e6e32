// Base64 as the summary's JSON holds it: written in pieces, read back as Foundation reads it.

/// Base64 as the summary's JSON holds it.
enum Base64 {
    private static let alphabet = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/".utf8)

    /// `bytes` as `JSONEncoder` writes their base64 (`Data.base64EncodedString`, `=` padding) as a string: quoted,
    /// `/` written `\/`; in pieces of about 48 KiB.
    static func writeJSONString(_ bytes: [UInt8], to sink: (ArraySlice<UInt8>) -> Void) {
        var out: [UInt8] = [UInt8(ascii: "\"")]
        out.reserveCapacity(1 << 16)
        func append(_ value: UInt32) {
            let c = alphabet[Int(value & 63)]
            if c == UInt8(ascii: "/") { out.append(UInt8(ascii: "\\")) }
            out.append(c)
        }
        var i = 0
        while i < bytes.count {
            let remaining = bytes.count - i
            let group =
                UInt32(bytes[i]) << 16 | (remaining > 1 ? UInt32(bytes[i + 1]) << 8 : 0)
                | (remaining > 2 ? UInt32(bytes[i + 2]) : 0)
            append(group >> 18)
            append(group >> 12)
            if remaining > 1 { append(group >> 6) } else { out.append(UInt8(ascii: "=")) }
            if remaining > 2 { append(group) } else { out.append(UInt8(ascii: "=")) }
            i += 3
            if out.count >= 48 * 1_024 {
                sink(out[...])
                out.removeAll(keepingCapacity: true)
            }
        }
        out.append(UInt8(ascii: "\""))
        sink(out[...])
    }

    private static let values: [UInt8] = {
        var table = [UInt8](repeating: 0xFF, count: 256)
        for (value, c) in alphabet.enumerated() {
            table[Int(c)] = UInt8(value)
        }
        return table
    }()

    /// The bytes of a JSON string (quotes included) of base64 with `=` padding, whose only escape is `\/` (how
    /// `JSONEncoder` writes `/`); nil for anything else.
    static func decode(jsonString text: [UInt8]) -> [UInt8]? {
        guard text.count >= 2, text.first == UInt8(ascii: "\""), text.last == UInt8(ascii: "\"") else { return nil }
        var output: [UInt8] = []
        output.reserveCapacity(text.count / 4 * 3)
        var group: UInt32 = 0
        var inGroup = 0
        var padding = 0
        var i = 1
        let end = text.count - 1
        while i < end {
            var c = text[i]
            i += 1
            if c == UInt8(ascii: "\\") {
                guard i < end, text[i] == UInt8(ascii: "/") else { return nil }
                c = text[i]
                i += 1
            }
            if c == UInt8(ascii: "=") {
                padding += 1
                group <<= 6
            } else {
                let value = values[Int(c)]
                guard value != 0xFF, padding == 0 else { return nil }
                group = group << 6 | UInt32(value)
            }
            inGroup += 1
            if inGroup == 4 {
                guard padding <= 2 else { return nil }
                output.append(UInt8(truncatingIfNeeded: group >> 16))
                if padding < 2 { output.append(UInt8(truncatingIfNeeded: group >> 8)) }
                if padding < 1 { output.append(UInt8(truncatingIfNeeded: group)) }
                group = 0
                inGroup = 0
                // Padding ends the text.
                if padding > 0 && i < end { return nil }
            }
        }
        return inGroup == 0 ? output : nil
    }
}
