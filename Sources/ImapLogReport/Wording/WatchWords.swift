import ImapLogDiagnosis
import ImapLogKit

/// The words of `imaplog watch`'s live screen, in English and French.
package struct WatchWords: Sendable {
    package var language: Language

    package init(language: Language) { self.language = language }

    private var isFrench: Bool { language == .french }

    func title(files: Int, seconds: String) -> String {
        isFrench
            ? "imaplog watch · \(files) journal\(files == 1 ? "" : "aux") · toutes les \(seconds) s · q, Ctrl-C : fin et rapport"
            : "imaplog watch · \(files) log\(files == 1 ? "" : "s") · every \(seconds) s · q or Ctrl-C: stop, full report"
    }

    func reading(time: String, lines: Int, behind: Int64, newest: String?) -> String {
        let state: String
        if behind > 0 {
            state = isFrench ? "\(Self.bytes(behind)) à lire, rattrapage" : "\(Self.bytes(behind)) behind, catching up"
        } else {
            state = isFrench ? "à jour" : "up to date"
        }
        let read = isFrench ? "\(lines) lignes lues, \(state)" : "\(lines) lines read, \(state)"
        let row = newest.map { isFrench ? " · dernière ligne \($0)" : " · newest row \($0)" } ?? ""
        return "\(time) · \(read)\(row)"
    }

    func verdictHeading(since: String) -> String {
        isFrench ? "VERDICT (inchangé depuis \(since))" : "VERDICT (unchanged since \(since))"
    }

    func suspect(server: String, role: String, confidence: Int, hasRecovered: Bool) -> String {
        let recovered = hasRecovered ? (isFrench ? ", rétabli depuis" : ", recovered since") : ""
        return isFrench
            ? "Suspect : \(server) (\(role)), confiance \(confidence) %\(recovered)"
            : "Suspect: \(server) (\(role)), \(confidence)% confident\(recovered)"
    }

    var waiting: String {
        isFrench
            ? "En attente de lignes : rien de lu pour l'instant (avec --since now, seules les lignes écrites à partir de maintenant comptent)."
            : "Waiting for rows: nothing read yet (with --since now, only the rows written from now on count)."
    }

    func succeedingAgain(_ server: String, minutes: Int64) -> String {
        isFrench
            ? "Les connexions vers \(server) réussissent à nouveau (aucun refus en 5 minutes) ; le verdict tient jusqu'à \(minutes) minutes sans échec, la fenêtre du moniteur."
            : "Logons to \(server) succeed again (none refused in 5 minutes); the verdict holds until \(minutes) minutes pass without a failure, the monitor's window."
    }

    var noSuspect: String { isFrench ? "Aucun serveur suspect pour l'instant." : "No suspect server so far." }

    func role(_ role: Role) -> String {
        switch role {
        case .frontEnd: isFrench ? "frontal" : "front end"
        case .backEnd: isFrench ? "boîte aux lettres" : "back end"
        default: isFrench ? "inconnu" : "unknown"
        }
    }

    /// The role in the servers' table's narrow column.
    func shortRole(_ role: Role) -> String {
        switch role {
        case .frontEnd: isFrench ? "frontal" : "front"
        case .backEnd: isFrench ? "BAL" : "back"
        default: "?"
        }
    }

    var columns: [String] {
        isFrench
            ? ["SERVEUR", "RÔLE", "CONNEX 1m", "5m", "ÉCHECS 1m", "5m", "P90 5m", "ÉTAT"]
            : ["SERVER", "ROLE", "LOGONS 1m", "5m", "FAILED 1m", "5m", "P90 5m", "STATE"]
    }

    var failedExplained: String {
        isFrench
            ? "ÉCHECS : refusées par la faute d'un serveur (pas les mots de passe faux)"
            : "FAILED: logons refused for a server's fault (not wrong passwords)"
    }

    func state(_ state: String) -> String {
        switch state {
        case "failing": isFrench ? "en échec" : "failing"
        case "quiet": isFrench ? "silencieux" : "quiet"
        default: isFrench ? "écrit" : "writing"
        }
    }

    var noLogons: String {
        isFrench
            ? "Aucune connexion dans les cinq dernières minutes des journaux."
            : "No logon in the logs' last five minutes."
    }

    func quiet(server: String, minutes: Int) -> String {
        isFrench
            ? "SILENCE  \(server) : aucune ligne depuis \(minutes) min alors que les autres écrivent (service IMAP4 bloqué ?)"
            : "QUIET  \(server): no new row for \(minutes) min while the others write (a hung IMAP4 service?)"
    }

    var newestFailures: String { isFrench ? "DERNIERS ÉCHECS (UTC)" : "NEWEST FAILURES (UTC)" }

    var noFailures: String { isFrench ? "Aucun échec imputable à un serveur." : "No failure that points at a server." }

    var problems: String { isFrench ? "ILLISIBLE POUR L'INSTANT" : "NOT READABLE NOW" }

    /// `12.3 MB`.
    static func bytes(_ count: Int64) -> String {
        if count < 1_000 { return "\(count) B" }
        if count < 1_000_000 { return "\(count / 1_000) kB" }
        let tenths = count / 100_000
        return "\(tenths / 10).\(tenths % 10) MB"
    }
}
