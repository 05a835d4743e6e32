import ImapLogDiagnosis
import ImapLogKit

/// Makes text that came from a log safe for where it is going.
///
/// Log content is untrusted: user names and IMAP arguments come from the network.
public enum Sanitize {
    /// For a terminal: control characters (C0, DEL, C1) and bidirectional overrides become visible
    /// escapes (`\x1B`, `\u{202E}`), so no log line can move the cursor, recolour or reorder the screen.
    public static func terminal(_ text: String) -> String {
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

    /// For a CSV cell: control characters escaped as for a terminal (CSV gets printed too), quoted when
    /// needed (RFC 4180), and a cell that a spreadsheet would run as a formula (`=`, `+`, `-`, `@`, tab, CR
    /// first) gets a leading `'`.
    public static func csvCell(_ text: String) -> String {
        var cell = terminal(text)
        if let first = cell.unicodeScalars.first, "=+-@\t\r".unicodeScalars.contains(first) { cell = "'" + cell }
        if cell.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" }) {
            return "\"" + cell.replacing("\"", with: "\"\"") + "\""
        }
        return cell
    }

    static func isUnsafe(_ scalar: Unicode.Scalar) -> Bool {
        let v = scalar.value
        if v < 0x20 || (0x7F...0x9F).contains(v) { return true }
        // Bidirectional embeddings, overrides and isolates, and the marks that steer them.
        return (0x202A...0x202E).contains(v) || (0x2066...0x2069).contains(v) || v == 0x200E || v == 0x200F
            || v == 0x061C
    }

    private static func hex(_ value: UInt32, width: Int) -> String {
        let digits = String(value, radix: 16, uppercase: true)
        return String(repeating: "0", count: max(0, width - digits.count)) + digits
    }
}
