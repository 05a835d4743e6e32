import Foundation
import ImapLogKit
import Testing

@testable import ImapLogCommand

/// How a run ended (Swift Testing has an `ExitStatus` of its own).
typealias RunStatus = ImapLogCommand.ExitStatus

/// A console that keeps what a run writes, and can refuse standard output as a full disk or a closed pipe would.
final class CapturedConsole: Console {
    var output: [UInt8] = []
    var error = ""
    /// What a write to standard output gives; `.written` keeps the bytes.
    var outputOutcome = Platform.WriteOutcome.written
    var typed: [String] = []

    var text: String { String(decoding: output, as: UTF8.self) }

    func writeOutput(_ bytes: UnsafeRawBufferPointer) -> Platform.WriteOutcome {
        if outputOutcome == .written { output += bytes }
        return outputOutcome
    }

    func writeError(_ text: String) { error += text }

    var isOutputTerminal: Bool { false }
    var outputColumns: Int? { nil }
    var isInputTerminal: Bool { false }

    func readLine() -> String? { typed.isEmpty ? nil : typed.removeFirst() }
}

/// The whole command, run in-process: what it writes, and how it ends.
@Suite("The command, in-process")
struct CommandTests {
    static let packageRoot: String = {
        var url = URL(fileURLWithPath: #filePath)
        for _ in 0..<4 { url.deleteLastPathComponent() }
        return url.path
    }()

    static let story = packageRoot + "/SampleLogs/01-quiet-morning"

    private func run(_ arguments: [String], console: CapturedConsole = CapturedConsole()) -> (
        RunStatus, CapturedConsole
    ) {
        let environment = ["IMAPLOG_NOW": "2026-11-20T00:00:00Z", "NO_COLOR": "1"]
        return (Command.run(arguments: arguments, environment: environment, console: console), console)
    }

    @Test func helpAndVersionGoToStandardOutput() {
        let (status, help) = run(["--help"])
        #expect(status == .success && help.text == HelpText.text + "\n" && help.error.isEmpty)
        let (_, version) = run(["-V"])
        #expect(version.text == "imaplog \(Command.version)\n")
    }

    @Test func aBadCommandLineIsAUsageErrorOnStandardError() {
        let (status, console) = run(["--formt", "json", Self.story])
        #expect(status == .usage && console.output.isEmpty)
        #expect(
            console.error
                == "imaplog: unknown option '--formt' (did you mean --format?)\nRun 'imaplog --help' for the options.\n"
        )
    }

    @Test func withCheckABadCommandLineIsUnknownOnStandardOutput() {
        let (status, console) = run(["--check", "--top", "0", Self.story])
        #expect(status == RunStatus.check(.unknown) && console.error.isEmpty)
        #expect(console.text.hasPrefix("IMAP UNKNOWN - bad command line: --top takes a whole number"))
    }

    @Test func aReportIsWrittenAndEndsWell() {
        let (status, console) = run(["--format", "csv", "--table", "servers", Self.story])
        #expect(status == .success, "\(console.error)")
        #expect(console.text.hasPrefix("server,") && console.error.isEmpty)
    }

    @Test func aFullDiskIsAnIOErrorAndAClosedPipeNone() {
        for format in ["text", "json", "csv"] {
            let full = CapturedConsole()
            full.outputOutcome = .failed(28)
            let (status, _) = run(["--format", format, Self.story], console: full)
            #expect(status == .ioError && full.error.contains("cannot write to standard output"), "\(format)")
            let closed = CapturedConsole()
            closed.outputOutcome = .closedPipe
            let (quiet, _) = run(["--format", format, Self.story], console: closed)
            #expect(quiet == .success && closed.error.isEmpty, "\(format)")
        }
        let check = CapturedConsole()
        check.outputOutcome = .failed(28)
        #expect(run(["--check", Self.story], console: check).0 == RunStatus.check(.unknown))
    }

    @Test func summariesSavedApartMergeIntoTheReportOfOneRun() throws {
        let folder = NSTemporaryDirectory() + "imaplog-command-" + UUID().uuidString
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: folder) }
        for server in ["CAS01", "MBX01"] {
            let (status, console) = run(["--save-summary", "\(folder)/\(server).summary", "\(Self.story)/\(server)"])
            #expect(status == .success && console.error.contains("written to"), "\(console.error)")
        }
        let (whole, once) = run(["--format", "csv", "--table", "servers", "\(Self.story)/CAS01", "\(Self.story)/MBX01"])
        let (merged, fromSummaries) = run(["merge", "--format", "csv", "--table", "servers", folder])
        #expect(whole == .success && merged == .success, "\(fromSummaries.error)")
        #expect(fromSummaries.text == once.text)
    }

    @Test func aMergeOfNothingSaysSo() {
        let (status, console) = run(["merge", Self.story + "/nothing-here"])
        #expect(status == .noInput && console.error.contains("nothing-here"))
    }
}
