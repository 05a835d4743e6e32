/// The language of the report's words (numbers, names, commands and log text are never translated).
public enum Language: String, Sendable, CaseIterable, Codable {
    case english = "en"
    case french = "fr"
}

/// Picks the English or French wording: `w("failed", "en échec")`.
struct Words: Sendable {
    var language: Language

    func callAsFunction(_ english: String, _ french: String) -> String {
        language == .french ? french : english
    }

    /// "front end" / "accès client", "back end" / "boîtes aux lettres".
    func role(_ role: Role) -> String {
        switch role {
        case .frontEnd: return self("front end", "accès client")
        case .backEnd: return self("back end", "boîtes aux lettres")
        case .unknown: return self("role unknown", "rôle inconnu")
        }
    }

    /// A rate as a percentage, French with a comma and a non-breaking space.
    func percent(_ rate: Double) -> String {
        let text = Format.percent(rate)
        guard language == .french else { return text }
        return text.replacingOccurrences(".", ",").replacingOccurrences("%", "\u{00A0}%")
    }

    /// A number with two decimals: 0.82, or 0,82 in French.
    func decimal(_ value: Double) -> String {
        let hundredths = Int((value * 100).rounded())
        let text = "\(hundredths / 100).\(hundredths % 100 < 10 ? "0" : "")\(hundredths % 100)"
        return language == .french ? text.replacingOccurrences(".", ",") : text
    }

    /// A count with thousands separators (French: narrow no-break spaces).
    func count(_ value: Int) -> String {
        let text = Format.count(value)
        return language == .french ? text.replacingOccurrences(",", "\u{202F}") : text
    }
}

extension String {
    /// Every occurrence of `target` replaced, without Foundation.
    func replacingOccurrences(_ target: String, _ replacement: String) -> String {
        split(separator: Substring(target), omittingEmptySubsequences: false).joined(separator: replacement)
    }
}
