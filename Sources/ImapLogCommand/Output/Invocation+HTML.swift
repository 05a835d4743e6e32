import Foundation
import ImapLogDiagnosis
import ImapLogKit
import ImapLogReport

extension Invocation {
    /// The HTML renderer for `report`: the rows its suspects cite, read again from `inputs` (hidden as the report
    /// is, with `redactor`), the command line that made it, and the zone of `--tz`.
    func htmlRenderer(for report: Report, inputs: [LogInput], redactor: Redactor?) -> HTMLRenderer {
        var renderer = HTMLRenderer()
        renderer.top = options.top
        let places = report.verdict.suspects.flatMap(\.examples)
        for (place, text) in RowReading.read(places, from: inputs) {
            renderer.rows[place] = .text(redactor?.redactText(text) ?? text)
        }
        renderer.commandLine = commandLine(redactor: redactor)
        renderer.timeZone = options.alertTimeZone.flatMap(AlertParser.timeZone(named:))
        return renderer
    }

    /// The command line as given, its arguments quoted as a shell would need, the pseudonyms' key hidden.
    private func commandLine(redactor: Redactor?) -> String {
        var words = ["imaplog"]
        var hidesNext = false
        for argument in options.arguments {
            if hidesNext {
                words.append("…")
                hidesNext = false
                continue
            }
            if argument == "--redact-salt" {
                hidesNext = true
            } else if argument.hasPrefix("--redact-salt=") {
                words.append("--redact-salt=…")
                continue
            }
            let shown = redactor?.redactText(argument) ?? argument
            let isPlain = !shown.isEmpty && shown.unicodeScalars.allSatisfy { Self.plainScalars.contains($0) }
            words.append(isPlain ? shown : "'" + shown.replacingOccurrences(of: "'", with: "'\\''") + "'")
        }
        return words.joined(separator: " ")
    }

    private static let plainScalars = CharacterSet(
        charactersIn: "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_./=:,@+%")
}
