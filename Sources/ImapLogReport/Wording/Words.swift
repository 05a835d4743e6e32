import ImapLogDiagnosis
import ImapLogKit

/// Picks the English or French wording: `w("failed", "en échec")`.
struct Words: Sendable {
    var language: Language

    init(language: Language) {
        self.language = language
    }

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

    /// An error class's name (`store` → `banque d'informations`, `monitoringAccount` → `monitoring account`).
    func errorClass(_ name: String) -> String {
        guard let errorClass = ErrorClass(rawValue: name) else { return name }
        switch errorClass {
        case .authentication: return self("authentication", "authentification")
        case .monitoringAccount: return self("monitoring account", "compte de surveillance")
        case .routing: return self("routing", "routage")
        case .store: return self("store", "banque d'informations")
        case .throttling: return self("throttling", "limitation")
        case .network: return self("network", "réseau")
        case .service: return self("service", "service")
        case .deployment: return self("deployment", "déploiement")
        case .client: return self("client", "client")
        case .other: return self("other", "autre")
        }
    }

    /// A skip reason (its English text is the JSON key).
    func skipReason(_ reason: String) -> String {
        guard language == .french, let skip = SkipReason(rawValue: reason) else { return reason }
        switch skip {
        case .blankLine: return "ligne vide"
        case .overlongLine: return "ligne de plus de 64 Kio"
        case .binaryData: return "données binaires (octets NUL ou de contrôle)"
        case .badTimestamp: return "horodatage invalide"
        case .tooFewFields: return "trop peu de champs"
        case .quotedContinuation: return "suite d'un champ entre guillemets coupé sur plusieurs lignes"
        case .unusableFieldList: return "l'en-tête #Fields ne nomme ni dateTime ni command"
        }
    }

    /// A file notice written by the analysis.
    func notice(_ text: String) -> String {
        guard language == .french else { return text }
        if text.hasPrefix("no header line") { return "pas de ligne d'en-tête : lu avec la liste de champs 2013+" }
        if text.hasPrefix("line "), let number = text.split(separator: " ").dropFirst().first {
            return
                "la ligne \(number) n'a pas de fin de ligne : le fichier a été coupé ou est encore en cours d'écriture"
        }
        return text
    }

    /// A rate as a percentage, French with a comma and a non-breaking space.
    func percent(_ rate: Double) -> String {
        let text = Format.percent(rate)
        guard language == .french else { return text }
        return text.replacingOccurrences(".", ",").replacingOccurrences("%", "\u{00A0}%")
    }

    /// Milliseconds with thousands separators.
    func millis(_ value: Int64) -> String { count(Int(value)) }

    /// A number as computed (one decimal at most here), with a decimal comma in French.
    func number(_ value: Double) -> String {
        language == .french ? "\(value)".replacingOccurrences(".", ",") : "\(value)"
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
