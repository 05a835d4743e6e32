import ImapLogKit

/// The language of the report's words (numbers, names, commands and log text are never translated).
package enum Language: String, Sendable, CaseIterable, Codable {
    case english = "en"
    case french = "fr"
}

extension String {
    /// Every occurrence of `target` replaced, without Foundation.
    package func replacingOccurrences(_ target: String, _ replacement: String) -> String {
        split(separator: Substring(target), omittingEmptySubsequences: false).joined(separator: replacement)
    }
}
