/// A word or sentence only the HTML report says: its title, the charts' names and legends, its buttons.
///
/// The headings and column titles it shares with the text report are `Label`s. Values are kept as found; the
/// renderer escapes them for HTML after the words are made.
enum HTMLWord {
    /// The page's title, with the tool's name.
    case pageTitle
    /// The span of the logs, in UTC, and in the zone of `--tz` when given.
    case spanUTC(from: String, to: String)
    case spanLocal(from: String, to: String, zone: String)
    /// The confidence of a suspect, as a percentage.
    case confidence(String)
    /// A suspect's window, UTC.
    case window(from: String, to: String)
    /// A suspect that has recovered.
    case recovered
    /// The heading of the rows a suspect cites, with their text.
    case rows
    /// A cited row that cannot be read again (the file moved, changed or was standard input).
    case notReadableNow
    /// The charts' heading, and what a bucket is.
    case charts
    case chartsNote(bucketMinutes: Int)
    /// The charts' panels.
    case commandsPanel
    case failuresPanel
    case latencyPanel
    case probesPanel
    /// The legend's entries.
    case legendCommands
    case legendLogons
    case legendServerFaults
    case legendCredentials
    case legendOtherFailures
    case legendLatency
    case legendProbesOK
    case legendProbesFailed
    case legendProbeGap
    case legendSuspectWindow
    /// A panel's highest value: `max 12`.
    case peak(String)
    /// A server with no probe session seen.
    case noProbeSessions
    /// What the latency panel cannot show.
    case latencyMeanNote
    /// The heading of the skipped lines and of the file notices.
    case skippedAndNotices
    /// The session counts' heading.
    case sessions
    /// POP3's heading.
    case pop3
    /// The command line's heading, and the version's.
    case madeBy(version: String)
    case commandLine
    /// The copy button, and what it says once copied.
    case copy
    case copied
    /// The skip link to the tables.
    case tables
    /// What the escaped characters look like.
    case escapedNote
}

extension Phrasebook {
    /// One word of the HTML report in the report's language.
    func say(_ word: HTMLWord) -> String {
        let w = words
        switch word {
        case .pageTitle: return w("imaplog: IMAP log report", "imaplog\u{00A0}: rapport des journaux IMAP")
        case .spanUTC(let from, let to): return w("from \(from) to \(to) UTC", "du \(from) au \(to) UTC")
        case .spanLocal(let from, let to, let zone):
            return w("\(from) to \(to) local time (\(zone))", "\(from) au \(to) heure locale (\(zone))")
        case .confidence(let value): return w("confidence \(value)", "confiance \(value)")
        case .window(let from, let to): return w("\(from) → \(to) UTC", "\(from) → \(to) UTC")
        case .recovered: return w("recovered since", "rétabli depuis")
        case .rows: return w("Rows to read", "Lignes à lire")
        case .notReadableNow: return w("not readable now", "illisible à présent")
        case .charts: return w("CHARTS", "GRAPHIQUES")
        case .chartsNote(let minutes):
            return w(
                "One chart per server over the same span, \(minutes)-minute buckets, times in UTC; each panel has its "
                    + "own scale.",
                "Un graphique par serveur sur la même période, tranches de \(minutes) minutes, heures UTC ; chaque "
                    + "panneau a sa propre échelle.")
        case .commandsPanel: return w("commands", "commandes")
        case .failuresPanel: return w("failures", "échecs")
        case .latencyPanel: return w("mean ms", "ms moy.")
        case .probesPanel: return w("probes", "sondes")
        case .legendCommands: return w("commands", "commandes")
        case .legendLogons: return w("logons (line)", "ouvertures de session (ligne)")
        case .legendServerFaults: return w("logons failed (server)", "ouvertures en échec (serveur)")
        case .legendCredentials: return w("logons refused (credentials)", "ouvertures refusées (identifiants)")
        case .legendOtherFailures: return w("other failed commands", "autres commandes en échec")
        case .legendLatency: return w("mean latency", "latence moyenne")
        case .legendProbesOK: return w("probe sessions", "sessions de sonde")
        case .legendProbesFailed: return w("failed probe sessions", "sessions de sonde en échec")
        case .legendProbeGap: return w("no probe session", "aucune session de sonde")
        case .legendSuspectWindow: return w("suspect's window", "fenêtre du suspect")
        case .peak(let value): return w("max \(value)", "max \(value)")
        case .noProbeSessions: return w("no probe session seen", "aucune session de sonde vue")
        case .latencyMeanNote:
            return w(
                "Latency is the mean per bucket: the logs' summary keeps percentiles per server, not per minute.",
                "La latence est la moyenne de chaque tranche : le résumé des journaux garde les centiles par serveur, "
                    + "pas par minute.")
        case .skippedAndNotices: return w("Skipped lines and notices", "Lignes ignorées et remarques")
        case .sessions: return w("SESSIONS", "SESSIONS")
        case .pop3: return "POP3"
        case .madeBy(let version): return w("Made by imaplog \(version)", "Produit par imaplog \(version)")
        case .commandLine: return w("Command line", "Ligne de commande")
        case .copy: return w("Copy", "Copier")
        case .copied: return w("Copied", "Copié")
        case .tables: return w("TABLES", "TABLEAUX")
        case .escapedNote:
            return w(
                "Text from the logs is shown as written; control and invisible characters appear as \\x.. or \\u{..}.",
                "Le texte des journaux est montré tel quel ; les caractères de contrôle et invisibles apparaissent "
                    + "en \\x.. ou \\u{..}.")
        }
    }
}
