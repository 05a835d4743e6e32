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
        let rows = RowReading.read(places, from: inputs)
        if !rows.isEmpty {
            var files: [String: Report.File] = [:]
            for file in report.input.files where files[file.path] == nil { files[file.path] = file }
            for (place, text) in rows {
                let path = String(place[..<(place.lastIndex(of: ":") ?? place.endIndex)])
                // A file changed since it was read: the line there now is no row of its time.
                let isSameRow = files[path].map { Self.isRow(text, of: $0) } ?? true
                renderer.rows[place] = isSameRow ? .text(redactor?.redactText(text) ?? text) : .notReadable
            }
        }
        renderer.commandLine = commandLine(redactor: redactor)
        renderer.timeZone = options.alertTimeZone.flatMap(AlertParser.timeZone(named:))
        return renderer
    }

    /// Whether `row` can be a row of `file` as it was read: its time (the first field) within the file's first and
    /// last records' times.
    static func isRow(_ row: String, of file: Report.File) -> Bool {
        guard let first = file.firstMillis, let last = file.lastMillis else { return true }
        guard let time = Timestamp.parse(String(row.prefix { $0 != "," })) else { return false }
        return first <= time && time <= last
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
