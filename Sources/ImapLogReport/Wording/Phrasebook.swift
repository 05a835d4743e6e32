import ImapLogDiagnosis
import ImapLogKit

/// Makes the report's sentences, at the end: the diagnosis and the findings say what they found as `Sentence`
/// values, and this turns them into words, English (`English.swift`) or French (`French.swift`).
///
/// Every value reaches a sentence through one of the functions below, by kind. With a redactor, users, client
/// addresses and log text are hidden here, field by field; a server name never is.
struct Phrasebook {
    let words: Words
    let redactor: Redactor?

    init(language: Language, redactor: Redactor? = nil) {
        words = Words(language: language)
        self.redactor = redactor
    }

    var language: Language { words.language }

    /// One sentence in the report's language.
    func say(_ sentence: Sentence) -> String {
        language == .french ? french(sentence) : english(sentence)
    }

    /// Sentences one after the other.
    func say(_ sentences: [Sentence]) -> String {
        sentences.map(say).joined(separator: " ")
    }

    // MARK: - Values

    /// A server's name or address: never hidden, the verdict must name it.
    func server(_ name: String) -> String { name }

    /// Servers, comma-separated.
    func servers(_ names: [String]) -> String { names.map(server).joined(separator: ", ") }

    /// A user's name, or its pseudonym.
    func user(_ name: String) -> String { redactor?.user(name) ?? name }

    /// A client's address, or its pseudonym.
    func client(_ address: String) -> String { redactor?.client(address) ?? address }

    /// Text as the logs wrote it (an error message), with users, e-mail and client addresses hidden.
    func logText(_ text: String) -> String { redactor?.redactText(text) ?? text }

    /// A row to read, `path:line` (a path can hold a user's name).
    func place(_ text: String) -> String { redactor?.redactText(text) ?? text }

    /// An ISO time as the report says it: `2026-03-14 09:05`.
    func time(_ iso: String) -> String { Format.shortTime(iso) }

    func count(_ value: Int) -> String { words.count(value) }
    func percent(_ rate: Double) -> String { words.percent(rate) }
    func decimal(_ value: Double) -> String { words.decimal(value) }
    func role(_ role: Role) -> String { words.role(role) }
    func errorClass(_ errorClass: ErrorClass) -> String { words.errorClass(errorClass.rawValue) }

    /// A small count in words, as a sentence spells out a threshold (`four`, `quatre`); above ten, as `count()`.
    func spelled(_ value: Int) -> String {
        let english = ["zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten"]
        let french = ["zéro", "un", "deux", "trois", "quatre", "cinq", "six", "sept", "huit", "neuf", "dix"]
        guard english.indices.contains(value) else { return count(value) }
        return language == .french ? french[value] : english[value]
    }

    /// An error as cited: `Code (class) ×count "message"`.
    func error(_ e: ErrorMention) -> String {
        "\(e.code) (\(errorClass(e.errorClass))) ×\(count(e.count))"
            + quoted(e.message)
    }

    /// A message from the logs in quotes, after a space; nothing when empty.
    func quoted(_ message: String) -> String { message.isEmpty ? "" : " \"\(logText(message))\"" }

    /// Error codes with their counts: `NO ×3, BAD ×1`.
    func codes(_ codes: [NamedCount]) -> String {
        codes.map { "\($0.name) ×\(count($0.count))" }.joined(separator: ", ")
    }
}

// MARK: - The diagnosis in words

extension Phrasebook {
    func verdict(_ verdict: Verdict) -> Report.Verdict {
        Report.Verdict(
            summary: say(verdict.summary), suspects: verdict.suspects.map(suspect),
            isUndetermined: verdict.isUndetermined, staleMinutes: verdict.staleMinutes)
    }

    func suspect(_ s: Suspect) -> Report.Suspect {
        Report.Suspect(
            server: server(s.server), role: s.role, confidence: s.confidence, rule: say(s.rule), monitor: s.monitor,
            failures: s.failures, total: s.total, rate: s.rate, baselineRate: s.baselineRate, window: s.window,
            evidence: s.evidence.map(say), examples: s.examples.map(place), hasRecovered: s.hasRecovered)
    }

    func monitor(_ result: MonitorResult) -> Report.MonitorResult {
        Report.MonitorResult(
            name: result.name, fired: result.fired, summary: say(result.summary),
            suspects: result.suspects.map(suspect), cause: result.cause)
    }

    func finding(_ item: Findings.Item) -> Report.Finding {
        Report.Finding(
            severity: item.severity, kind: item.kind, server: item.server.map(server), text: say(item.sentence),
            role: item.role)
    }

    /// A step in words; a placeholder in its command is said in the report's language, in angle brackets.
    func step(_ step: NextStep) -> Report.NextStep {
        let command = step.command.map { command in
            command.parts.map { part in
                switch part {
                case .code(let code): return code
                case .placeholder(let placeholder): return "<" + say(.stepTarget(.placeholder(placeholder))) + ">"
                }
            }.joined()
        }
        return Report.NextStep(text: say(step.text), command: command, monitor: step.monitor)
    }
}

// MARK: - The text report's labels

extension Phrasebook {
    /// One heading, column title or sentence of the text report in the report's language.
    func say(_ label: Label) -> String {
        language == .french ? french(label) : english(label)
    }

    /// Milliseconds with thousands separators.
    func millis(_ value: Int64) -> String { words.millis(value) }

    /// A number as computed (one decimal at most), with a decimal comma in French.
    func number(_ value: Double) -> String { words.number(value) }

    /// A skip reason, given by its English text (the JSON key).
    func skipReason(_ reason: String) -> String { words.skipReason(reason) }

    /// A file notice written by the analysis.
    func notice(_ text: String) -> String { words.notice(text) }
}
