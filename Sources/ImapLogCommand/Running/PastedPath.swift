import Foundation

/// A path as an admin pastes it at the prompt: quoted, with trailing spaces, as PowerShell's `& '…'`, a `file://`
/// URL, or from `~`.
enum PastedPath {
    /// The path `text` names, tidied.
    static func clean(_ text: String, home: String?) -> String {
        var path = trimmed(text)
        if path.hasPrefix("& ") { path = trimmed(String(path.dropFirst(2))) }
        for quote in ["\"", "'"] where path.count >= 2 && path.hasPrefix(quote) && path.hasSuffix(quote) {
            path = String(path.dropFirst().dropLast())
        }
        if path.hasPrefix("file://") { path = String(path.dropFirst(7)) }
        if let home, path == "~" || path.hasPrefix("~/") { path = home + path.dropFirst() }
        return trimmed(path)
    }

    /// `text` without leading and trailing white space (spaces, tabs, newlines).
    private static func trimmed(_ text: String) -> String {
        text.trimmingCharacters(in: .whitespacesAndNewlines)
    }
}
