import ImapLogKit
import ImapLogReport

/// The command line: arguments in; a report, or a summary, out; how it ended.
///
/// Writes only through a `Console` and ends by returning an `ExitStatus`: the executable owns the streams and the
/// exit codes, so a test runs the whole command in-process.
package enum Command {
    /// Runs imaplog with `arguments` (those after the program's name).
    ///
    /// `environment` supplies `NO_COLOR`, `TERM`, `COLUMNS`, `HOME` and `IMAPLOG_NOW`.
    package static func run(arguments: [String], environment: [String: String], console: any Console) -> ExitStatus {
        let now = now(environment)
        let options: Options
        do {
            options = try Options.parse(arguments, now: now)
        } catch {
            if arguments.contains("--check") {
                let written = console.write(CheckRenderer.unknown("bad command line: \(error.message)").1 + "\n")
                return console.finish(written, isCheck: true, status: .check(.unknown), closedPipe: .check(.unknown))
            }
            console.say("imaplog: \(error.message)\nRun 'imaplog --help' for the options.")
            return .usage
        }
        return Invocation(options: options, environment: environment, console: console, now: now).run()
    }

    /// The clock: `IMAPLOG_NOW` (an ISO time) when set, so a check on logs replayed later reads as it did
    /// live, and outputs stay reproducible; else the machine's.
    static func now(_ environment: [String: String]) -> Int64 {
        environment["IMAPLOG_NOW"].flatMap { Timestamp.parse($0) } ?? Platform.nowMilliseconds()
    }
}
