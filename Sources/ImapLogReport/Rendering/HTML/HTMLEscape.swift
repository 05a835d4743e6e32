/// Makes any text safe inside an HTML page: as element text, or as a quoted attribute's value.
///
/// Log content is untrusted (a user named `<script>`, a quote in a parameter): the five characters that end text
/// or an attribute are written as entities, and the characters a reader cannot see or that reorder a line
/// (controls, bidirectional overrides and isolates, zero-width and other format characters, the line and
/// paragraph separators: `Sanitize.isUnsafe`) are made visible as `\x1B` or `\u{202E}`, as on a terminal. A line
/// end and a tab stay as they are: they cannot hide or reorder text.
///
/// The page never puts text from a log into a `href`, `style`, `class`, `id` or a script.
package enum HTMLEscape {
    /// `text` escaped for element text and for an attribute value in double or single quotes.
    ///
    /// - Complexity: O(n); text with nothing to escape is returned as it is.
    package static func text(_ text: String) -> String {
        guard text.unicodeScalars.contains(where: needsEscape) else { return text }
        var out = ""
        out.reserveCapacity(text.utf8.count + 16)
        for scalar in text.unicodeScalars {
            switch scalar {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            case "'": out += "&#39;"
            case "\n", "\t": out.unicodeScalars.append(scalar)
            default:
                if Sanitize.isUnsafe(scalar) {
                    out += Sanitize.terminal(String(scalar))
                } else {
                    out.unicodeScalars.append(scalar)
                }
            }
        }
        return out
    }

    private static func needsEscape(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar {
        case "&", "<", ">", "\"", "'": return true
        case "\n", "\t": return false
        default: return Sanitize.isUnsafe(scalar)
        }
    }
}
