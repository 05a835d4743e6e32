import Foundation
import ImapLogDiagnosis
import ImapLogKit

/// Makes text that came from a log safe for where it is going.
///
/// Log content is untrusted: user names and IMAP arguments come from the network.
package enum Sanitize {
    /// For a terminal: control characters (C0, DEL, C1), bidirectional controls, invisible format characters
    /// (category Cf: U+200B, U+FEFF, U+2060…) and the line and paragraph separators become visible escapes
    /// (`\x1B`, `\u{202E}`, `\u{200B}`), so no log line can move the cursor, recolour or reorder the screen, or
    /// hide text in a name.
    package static func terminal(_ text: String) -> String {
        guard text.unicodeScalars.contains(where: isUnsafe) else { return text }
        var out = ""
        for scalar in text.unicodeScalars {
            if isUnsafe(scalar) {
                out +=
                    scalar.value < 0x100
                    ? "\\x" + hex(scalar.value, width: 2) : "\\u{" + hex(scalar.value, width: 4) + "}"
            } else {
                out.unicodeScalars.append(scalar)
            }
        }
        return out
    }

    /// For a CSV cell of text from the logs: control and invisible characters escaped as for a terminal (CSV
    /// gets printed too); a formula neutralised with a leading `'` where a spreadsheet would run it (`=`, `+`,
    /// `-`, `@`, tab or CR first, at the start or after a `;`, where a spreadsheet set for a language that
    /// writes decimal commas splits the line); quoted (RFC 4180) when it holds a `,`, a `;`, a quote or a line end.
    ///
    /// Numbers the report writes itself are not text from the logs: they go in a cell as they are.
    package static func csvCell(_ text: String) -> String {
        let parts = terminal(text).split(separator: ";", omittingEmptySubsequences: false).map { part in
            guard let first = part.unicodeScalars.first, "=+-@\t\r".unicodeScalars.contains(first) else {
                return String(part)
            }
            return "'" + part
        }
        let cell = parts.joined(separator: ";")
        if cell.contains(where: { $0 == "," || $0 == ";" || $0 == "\"" || $0 == "\n" || $0 == "\r" }) {
            return "\"" + cell.replacing("\"", with: "\"\"") + "\""
        }
        return cell
    }

    /// JSON text with every character `isUnsafe` finds that the encoder leaves as it is (DEL, C1 controls,
    /// bidirectional and invisible format characters, the line and paragraph separators) written as a `\u`
    /// escape: the same string to a JSON reader, nothing live on a terminal that shows the file.
    ///
    /// JSON's own structure is ASCII, so such a character can only stand inside a string, where an escape is valid.
    package static func jsonInvisiblesEscaped<Bytes: Collection<UInt8>>(_ json: Bytes) -> Data {
        // Each of them is DEL or starts with a byte of 0xC2 or more (U+0080 and up): most reports hold none.
        guard json.contains(where: { $0 >= 0x7F }) else { return Data(json) }
        let text = String(decoding: json, as: UTF8.self)
        guard text.unicodeScalars.contains(where: isUnsafe) else { return Data(json) }
        var out = ""
        out.reserveCapacity(json.count + 64)
        for scalar in text.unicodeScalars {
            guard isUnsafe(scalar), scalar.value >= 0x20 else {
                out.unicodeScalars.append(scalar)
                continue
            }
            for unit in String(scalar).utf16 { out += "\\u" + hex(UInt32(unit), width: 4) }
        }
        return Data(out.utf8)
    }

    static func isUnsafe(_ scalar: Unicode.Scalar) -> Bool {
        let v = scalar.value
        if v < 0x20 || (0x7F...0x9F).contains(v) { return true }
        guard v >= 0xA0 else { return false }
        // Format characters: bidirectional embeddings, overrides, isolates and marks, zero-width spaces and
        // joiners, the byte-order mark, tags; and the separators that end a line where no line end shows.
        return scalar.properties.generalCategory == .format || v == 0x2028 || v == 0x2029
    }

    private static func hex(_ value: UInt32, width: Int) -> String {
        let digits = String(value, radix: 16, uppercase: true)
        return String(repeating: "0", count: max(0, width - digits.count)) + digits
    }
}
