import Foundation
import ImapLogKit
import Testing

/// Whole outputs of the built binary on every SampleLogs story, compared with the files under `Tests/Golden/`.
///
/// After an intended change of output, record them again and review the diff:
///
///     IMAPLOG_RECORD_GOLDEN=1 swift test --filter GoldenTests
///     git diff Tests/Golden
enum Golden {
    static let folder = Binary.packageRoot + "/Tests/Golden"

    /// Whether this run writes the files instead of comparing with them.
    static let isRecording = ProcessInfo.processInfo.environment["IMAPLOG_RECORD_GOLDEN"] == "1"

    /// One run: the file it is compared with (relative to `folder`) and the arguments.
    struct Case: CustomTestStringConvertible, Sendable {
        var file: String
        var arguments: [String]
        var alert: String?

        var testDescription: String { file }
    }

    /// The stories in SampleLogs, each a folder.
    static let stories: [String] = {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: Binary.sampleLogs)) ?? []
        return names.filter { name in
            var isFolder: ObjCBool = false
            return FileManager.default.fileExists(atPath: Binary.sampleLogs + "/" + name, isDirectory: &isFolder)
                && isFolder.boolValue
        }.sorted()
    }()

    /// Stories whose alert was saved on a server in another zone than UTC (SampleLogs/README.md).
    static let alertZones = ["09-only-backend-logs": "America/New_York"]

    static let tables = ["servers", "commands", "errors", "users", "clients", "timeline", "files"]

    /// Stories whose HTML page is kept too (the page is long: a few stories show every part of it), with the
    /// monitor named as the admin would.
    static let htmlStories = [
        "02-mbx02-refusing-logons": ["--monitor", "ImapCTPMonitor"], "04-wrong-passwords": [],
        "08-cas01-certificate": ["--monitor", "ImapCTPMonitor"],
    ]

    /// Every format of every story: text in both languages, JSON, each CSV table, and `--check`.
    static let cases: [Case] = stories.flatMap { story -> [Case] in
        let path = "SampleLogs/" + story
        var cases = [
            Case(file: "\(story)/text-en.txt", arguments: [path]),
            Case(file: "\(story)/text-fr.txt", arguments: ["--lang", "fr", path]),
            Case(file: "\(story)/json.txt", arguments: ["--format", "json", path]),
            Case(file: "\(story)/check.txt", arguments: ["--check", path]),
        ]
        cases += tables.map {
            Case(file: "\(story)/csv-\($0).txt", arguments: ["--format", "csv", "--table", $0, path])
        }
        if let monitor = htmlStories[story] {
            cases.append(Case(file: "\(story)/html-en.txt", arguments: ["--format", "html"] + monitor + [path]))
            if story.hasPrefix("02-") {
                cases.append(
                    Case(
                        file: "\(story)/html-fr.txt",
                        arguments: ["--format", "html", "--lang", "fr"] + monitor + [path]))
            }
        }
        // A story's own alert, when it has one, as the admin would pass it.
        let alert = Binary.sampleLogs + "/" + story + "/alert.txt"
        if FileManager.default.fileExists(atPath: alert) {
            // Read in the zone the story's README says the alert was saved in.
            let zone = alertZones[story].map { ["--tz", $0] } ?? []
            cases.append(
                Case(file: "\(story)/alert-en.txt", arguments: ["--alert", path + "/alert.txt"] + zone + [path]))
            cases.append(
                Case(
                    file: "\(story)/alert-fr.txt",
                    arguments: ["--lang", "fr", "--alert", path + "/alert.txt"] + zone + [path]))
        }
        return cases
    }

    /// What one run printed, as the golden file holds it.
    ///
    /// The clock stands a minute after the logs' last row, as in a check run live when they were written.
    static func transcript(_ arguments: [String]) throws -> String {
        var environment = ["TZ": "UTC", "NO_COLOR": "1"]
        if let last = try lastRow(arguments.last ?? ""), let time = Timestamp.parse(last) {
            environment["IMAPLOG_NOW"] = Timestamp.format(time + 60_000)
        }
        let r = try Binary.run(arguments, environment: environment)
        return asDevelopmentBuild(
            "$ imaplog \(arguments.joined(separator: " "))\nexit \(r.status)\n--- stdout\n\(r.stdout)--- stderr\n\(r.stderr)"
        )
    }

    /// The version the binary under test says (`git describe` in a release build, `dev` otherwise).
    static let binaryVersion: String = {
        let said = (try? Binary.run(["--version"]).stdout) ?? ""
        return said.hasPrefix("imaplog ") ? String(said.dropFirst(8).prefix { $0 != "\n" }) : "dev"
    }()

    /// `text` as a development build prints it: a release binary (`IMAPLOG_BINARY`) is held to the same files.
    static func asDevelopmentBuild(_ text: String) -> String {
        guard binaryVersion != "dev", !binaryVersion.isEmpty else { return text }
        return
            text
            .replacingOccurrences(of: "imaplog \(binaryVersion):", with: "imaplog dev:")
            .replacingOccurrences(of: "\"version\" : \"\(binaryVersion)\"", with: "\"version\" : \"dev\"")
            // The HTML page's generator and footer.
            .replacingOccurrences(of: "content=\"imaplog \(binaryVersion)\"", with: "content=\"imaplog dev\"")
            .replacingOccurrences(of: " imaplog \(binaryVersion)</p>", with: " imaplog dev</p>")
    }
}

extension Golden {
    /// The time of the last row in the logs at `path`, as the JSON report gives it.
    static func lastRow(_ path: String) throws -> String? {
        let r = try Binary.run(["--format", "json", path])
        let input = try? Binary.json(r.stdout)["input"] as? [String: Any]
        return input?["last"] as? String
    }
}

@Suite("Golden outputs on SampleLogs", .serialized)
struct GoldenTests {
    @Test("Every story, every format", arguments: Golden.cases)
    func output(_ golden: Golden.Case) throws {
        let actual = try Golden.transcript(golden.arguments)
        let path = Golden.folder + "/" + golden.file
        if Golden.isRecording {
            try FileManager.default.createDirectory(
                atPath: (path as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
            try Data(actual.utf8).write(to: URL(fileURLWithPath: path))
            return
        }
        let expected = try #require(
            FileManager.default.contents(atPath: path).map { String(decoding: $0, as: UTF8.self) },
            "no golden file \(golden.file): record with IMAPLOG_RECORD_GOLDEN=1 swift test --filter GoldenTests")
        if actual != expected {
            let a = actual.split(separator: "\n", omittingEmptySubsequences: false)
            let e = expected.split(separator: "\n", omittingEmptySubsequences: false)
            let line = zip(a, e).enumerated().first { $0.element.0 != $0.element.1 }?.offset ?? min(a.count, e.count)
            Issue.record(
                """
                \(golden.file) differs from line \(line + 1):
                  expected: \(line < e.count ? String(e[line]) : "(end)")
                  actual:   \(line < a.count ? String(a[line]) : "(end)")
                Record again after an intended change: IMAPLOG_RECORD_GOLDEN=1 swift test --filter GoldenTests
                """)
        }
    }

    @Test func everyGoldenFileHasACase() throws {
        let wanted = Set(Golden.cases.map(\.file))
        let enumerator = FileManager.default.enumerator(atPath: Golden.folder)
        var stale: [String] = []
        while let file = enumerator?.nextObject() as? String {
            if file.hasSuffix(".txt") && !wanted.contains(file) { stale.append(file) }
        }
        #expect(stale.isEmpty, "golden files no case writes (remove them): \(stale.sorted())")
    }
}
