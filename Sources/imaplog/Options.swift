import Foundation
import ImapLogDiagnosis
import ImapLogKit
import ImapLogReport

/// The command line, parsed.
///
/// Written by hand: imaplog has no package dependencies.
struct Options: Equatable {
    enum OutputFormat: String, CaseIterable { case text, json, csv }
    enum ColorChoice: String, CaseIterable { case auto, always, never }

    var paths: [String] = []
    var format = OutputFormat.text
    var table = CSVRenderer.Table.servers
    var since: Int64?
    var until: Int64?
    var servers: [String] = []
    var users: [String] = []
    var commands: [String] = []
    var top = 10
    var bucketMinutes: Int?
    var excludesProbes = false
    var color = ColorChoice.auto
    var jobs = 0
    var monitors: [Monitor] = []
    var alertPath: String?
    /// Names for servers the logs know only by address (`--name 10.0.1.11=CAS01`), by lower-cased address.
    var serverNames: [String: String] = [:]
    /// The zone the alert's local times are in (`--tz Europe/Paris`, `+01:00`); nil: this machine's.
    var alertTimeZone: String?
    var language = Language.english
    var isCheck = false
    /// `imaplog merge FILE…`: the paths are summaries to merge.
    var isMerge = false
    var saveSummaryPath: String?
    /// Replace users, e-mail addresses and client addresses with pseudonyms.
    var redacts = false
    /// The pseudonyms' key (nil: a random one per run).
    var redactionSalt: String?
    var showsHelp = false
    var showsVersion = false

    /// A command line that cannot be used.
    ///
    /// exit status 64.
    struct UsageError: Error, Equatable {
        var message: String
    }

    /// The most rows `--top` may ask for: as many as a spreadsheet holds under its header (Excel's sheets
    /// have 1,048,576 rows), far more than a report is read for.
    static let maximumTop = 1_048_575
    /// The most logs `--jobs` may read at a time: workers beyond the cores only add memory (each holds a
    /// stream's tables), and no server Exchange runs on has more than 256 cores.
    static let maximumJobs = 256
    /// The earliest time `--since` and `--until` may name: 0000-01-01T00:00:00Z.
    ///
    /// The first a log's four-digit year can write. A span reaching further back names no log, and its milliseconds soon overflow.
    static let earliestTime = Int64(Timestamp.daysFromCivil(year: 0, month: 1, day: 1)) * 86_400_000

    /// Parses the arguments after the program name.
    ///
    /// `now` anchors relative times (`2h`).
    static func parse(_ arguments: [String], now: Int64) throws(UsageError) -> Options {
        var options = Options()
        var index = 0
        if arguments.first == "merge" {
            options.isMerge = true
            index = 1
        }
        var onlyPaths = false
        func value(for name: String) throws(UsageError) -> String {
            index += 1
            guard index < arguments.count else { throw UsageError(message: "\(name) needs a value") }
            return arguments[index]
        }
        while index < arguments.count {
            var argument = arguments[index]
            var inlineValue: String?
            if !onlyPaths, argument.hasPrefix("--"), let equals = argument.firstIndex(of: "=") {
                inlineValue = String(argument[argument.index(after: equals)...])
                argument = String(argument[..<equals])
            } else if !onlyPaths, argument.count > 2, Self.shortOptionsWithValues.contains(String(argument.prefix(2))) {
                // `-j2`, `-fjson`: a short option's value written against it, as getopt reads it.
                inlineValue = String(argument.dropFirst(2))
                argument = String(argument.prefix(2))
            }
            func next() throws(UsageError) -> String {
                if let inlineValue { return inlineValue }
                return try value(for: argument)
            }
            if onlyPaths || argument == "-" || !argument.hasPrefix("-") {
                options.paths.append(argument)
                index += 1
                continue
            }
            switch argument {
            case "--": onlyPaths = true
            case "-h", "--help": options.showsHelp = true
            case "-V", "--version": options.showsVersion = true
            case "-f", "--format":
                let text = try next()
                guard let format = OutputFormat(rawValue: text.lowercased()) else {
                    throw UsageError(message: "--format takes text, json or csv, not '\(safe(text))'")
                }
                options.format = format
            case "--table":
                let text = try next()
                guard let table = CSVRenderer.Table(rawValue: text.lowercased()) else {
                    let names = CSVRenderer.Table.allCases.map(\.rawValue).joined(separator: ", ")
                    throw UsageError(message: "--table takes one of \(names), not '\(safe(text))'")
                }
                options.table = table
            case "--since": options.since = try time(try next(), option: "--since", now: now)
            case "--until": options.until = try time(try next(), option: "--until", now: now)
            case "--server": options.servers += list(try next())
            case "--user": options.users += list(try next())
            case "--command": options.commands += list(try next())
            case "--top":
                let text = try next()
                guard let n = Int(text), (1...maximumTop).contains(n) else {
                    throw UsageError(message: "--top takes a whole number from 1 to \(maximumTop), not '\(safe(text))'")
                }
                options.top = n
            case "--bucket":
                let text = try next()
                let minutes = text.hasSuffix("m") ? String(text.dropLast()) : text
                guard let n = Int(minutes), ReportBuilder.bucketChoices.contains(n) else {
                    let choices = ReportBuilder.bucketChoices.map(String.init).joined(separator: ", ")
                    throw UsageError(message: "--bucket takes one of \(choices) (minutes), not '\(safe(text))'")
                }
                options.bucketMinutes = n
            case "--exclude-probes": options.excludesProbes = true
            case "-m", "--monitor":
                for name in list(try next()) {
                    guard let monitor = Monitor.named(name) else {
                        let known = Monitor.allCases.map(\.rawValue).joined(separator: ", ")
                        throw UsageError(message: "unknown monitor '\(safe(name))': name one of \(known), or its probe")
                    }
                    if !options.monitors.contains(monitor) { options.monitors.append(monitor) }
                }
            case "--alert": options.alertPath = try next()
            case "--name":
                for pair in list(try next()) {
                    let parts = pair.split(separator: "=", maxSplits: 1).map(String.init)
                    guard parts.count == 2, HostName.isSafe(parts[0]), HostName.isValid(parts[1]) else {
                        throw UsageError(
                            message:
                                "--name takes ADDRESS=NAME, a server's address and its host name (10.0.1.11=CAS01), not '\(safe(pair))'"
                        )
                    }
                    options.serverNames[parts[0].lowercased()] = parts[1]
                }
            case "--tz":
                let text = try next()
                guard AlertParser.timeZone(named: text) != nil else {
                    throw UsageError(
                        message: "--tz takes a time zone (Europe/Paris, UTC, +01:00), not '\(safe(text))'")
                }
                options.alertTimeZone = text
            case "--lang", "--language":
                let text = try next()
                guard let language = Language(rawValue: String(text.lowercased().prefix(2))) else {
                    throw UsageError(message: "--lang takes en or fr, not '\(safe(text))'")
                }
                options.language = language
            case "--check": options.isCheck = true
            case "--save-summary": options.saveSummaryPath = try next()
            case "--redact": options.redacts = true
            case "--redact-salt":
                options.redacts = true
                options.redactionSalt = try next()
            case "--color", "--colour":
                let text = try next()
                guard let choice = ColorChoice(rawValue: text.lowercased()) else {
                    throw UsageError(message: "--color takes auto, always or never, not '\(safe(text))'")
                }
                options.color = choice
            case "--no-color", "--no-colour": options.color = .never
            case "-j", "--jobs":
                let text = try next()
                guard let n = Int(text), (1...maximumJobs).contains(n) else {
                    throw UsageError(
                        message: "--jobs takes a whole number from 1 to \(maximumJobs), not '\(safe(text))'")
                }
                options.jobs = n
            default:
                throw UsageError(message: "unknown option '\(safe(argument))'" + suggestion(for: argument))
            }
            index += 1
        }
        if let since = options.since, let until = options.until, since >= until {
            throw UsageError(message: "--since must be before --until")
        }
        if options.isMerge {
            if options.paths.isEmpty { throw UsageError(message: "merge needs the summary files to merge") }
            if options.since != nil || options.until != nil || !options.servers.isEmpty || !options.users.isEmpty
                || !options.commands.isEmpty || options.excludesProbes || options.saveSummaryPath != nil
            {
                throw UsageError(
                    message: "filters apply when the logs are summarised, not when summaries are merged")
            }
        }
        if options.redacts && options.saveSummaryPath != nil {
            throw UsageError(
                message:
                    "--redact applies to reports; a summary keeps the names for merging: redact when merging (imaplog merge --redact)"
            )
        }
        if options.alertPath == "-" && (options.paths.isEmpty || options.paths.contains("-")) {
            throw UsageError(message: "with --alert -, the alert comes on standard input: name the logs' path")
        }
        return options
    }

    /// The short options that take a value, which may be written against them (`-j2`).
    private static let shortOptionsWithValues: Set<String> = ["-f", "-j", "-m"]

    private static let knownOptions = [
        "--help", "--version", "--format", "--table", "--since", "--until", "--server", "--user", "--command", "--top",
        "--bucket", "--exclude-probes", "--color", "--no-color", "--jobs", "--monitor", "--alert", "--lang", "--check",
        "--save-summary", "--name", "--tz",
    ]

    private static func suggestion(for argument: String) -> String {
        // No option is near a long argument, whose distances would only cost time.
        guard argument.count <= 40 else { return "" }
        let close = knownOptions.min { distance($0, argument) < distance($1, argument) }
        guard let close, distance(close, argument) <= 3 else { return "" }
        return " (did you mean \(close)?)"
    }

    /// Edit distance, for "did you mean".
    private static func distance(_ a: String, _ b: String) -> Int {
        let a = Array(a)
        let b = Array(b)
        var row = Array(0...b.count)
        for i in 1...max(a.count, 1) where i <= a.count {
            var previous = row[0]
            row[0] = i
            for j in 1...max(b.count, 1) where j <= b.count {
                let current = row[j]
                row[j] = min(row[j] + 1, row[j - 1] + 1, previous + (a[i - 1] == b[j - 1] ? 0 : 1))
                previous = current
            }
        }
        return row[b.count]
    }

    private static func list(_ text: String) -> [String] {
        text.split(separator: ",").map { String($0).trimmingCharacters(in: .whitespacesAndNewlines) }.filter {
            !$0.isEmpty
        }
    }

    /// `2026-11-16T09:00:00Z`, `2026-11-16 09:00`, `2026-11-16`, or a span back from now: `90s`, `30m`, `2h`, `7d`.
    ///
    /// A span is checked arithmetic: one that reaches back before `earliestTime` (or past what 64 bits hold) is
    /// a usage error, never an overflow.
    static func time(_ text: String, option: String, now: Int64) throws(UsageError) -> Int64 {
        let units: [Character: Int64] = ["s": 1000, "m": 60_000, "h": 3_600_000, "d": 86_400_000, "w": 604_800_000]
        if let letter = text.last, let unit = units[letter], text.dropLast().allSatisfy({ ("0"..."9").contains($0) }),
            text.count > 1
        {
            let (span, overflowed) = (Int64(text.dropLast()) ?? .max).multipliedReportingOverflow(by: unit)
            let (time, underflowed) = now.subtractingReportingOverflow(span)
            guard !overflowed, !underflowed, time >= earliestTime else {
                let most = max(0, (now - earliestTime) / unit)
                throw UsageError(
                    message: "\(option) '\(safe(text))' reaches back before the year 0000, earlier than any log: "
                        + "at most \(most)\(letter) back from now")
            }
            return time
        }
        var iso = text.trimmingCharacters(in: .whitespacesAndNewlines)
        if iso.hasSuffix("Z") || iso.hasSuffix("z") { iso.removeLast() }
        switch iso.count {
        case 10: iso += "T00:00:00"
        case 16: iso += ":00"
        default: break
        }
        guard let value = Timestamp.parse(iso) else {
            throw UsageError(
                message: "\(option) takes a UTC time like 2026-11-16T09:00:00Z or 2026-11-16 09:00, "
                    + "or a span back from now like 30m, 2h, 7d; not '\(safe(text))'")
        }
        return value
    }

    /// The most characters of a value a message repeats.
    private static let maximumEchoed = 200

    /// A value as a usage message repeats it: control and invisible characters made visible (an argument can
    /// hold terminal escapes), and at most `maximumEchoed` characters.
    static func safe(_ value: String) -> String {
        let cut = value.unicodeScalars.count > maximumEchoed
        let kept = cut ? String(String.UnicodeScalarView(value.unicodeScalars.prefix(maximumEchoed))) + "…" : value
        return Sanitize.terminal(kept)
    }

    static let help = """
        imaplog: read Exchange IMAP4 protocol logs and show which servers, commands, users and errors they hold.

        Usage:
          imaplog [options] [PATH ...]
          imaplog [options] --save-summary FILE [PATH ...]   summarise the logs into FILE (- for stdout), no report
          imaplog merge [options] FILE ...                   report on summaries, as if all their logs were read at once

          PATH is a log file, a folder (searched for IMAP4*.LOG, IMAP4BE*.LOG, POP3*.LOG, also .gz and inside .zip),
          a .gz or .zip file, a pattern like 'C:\\Logs\\IMAP4BE*.LOG', or - for standard input.
          With no PATH, imaplog reads standard input when it is a pipe, and asks for a path on a terminal.
          merge's FILE is a summary, a folder of summaries, or a pattern like 'parts/*.summary'.

        Output:
          -f, --format FORMAT   text (default), json, or csv
              --table TABLE     with csv: servers (default), commands, errors, users, clients, timeline, files
              --top N           rows in the users, clients, errors and files tables (default 10, at most 1048575)
              --bucket MINUTES  timeline buckets: 1, 5, 15, 60, 360 or 1440 (default: 1 up to a two-hour
                                span, else the smallest that keeps it within 12,000 buckets)
              --color WHEN      auto (default: on a terminal, unless NO_COLOR is set), always, never
              --no-color        the same as --color never
              --redact          replace users, e-mail addresses and client addresses with pseudonyms (user-…,
                                client-…), in every format; server names stay. Random key per run unless:
              --redact-salt KEY the pseudonyms' key: the same KEY gives the same pseudonyms in every report

        Filters (a record must match all that are given):
              --since TIME      from TIME: 2026-11-16T09:00:00Z, '2026-11-16 09:00', or back from now: 30m, 2h, 7d
              --until TIME      before TIME
              --server NAME     records of this server, as its own log or as the back end proxied to
                                (short name or FQDN, any case; repeat or separate with commas)
              --user PATTERN    records of matching users (* and ? allowed, any case)
              --command NAME    only these commands (login, select, uid+fetch, ...)
              --exclude-probes  leave Exchange's own probe traffic out of the tables (still counted under probes)

        Diagnosis (which server is to blame for an unhealthy IMAP monitor):
          -m, --monitor NAME    the failing monitor: ImapCTPMonitor, ImapProxyTestMonitor, ImapDeepTestMonitor,
                                ImapSelfTestMonitor, AverageCommandProcessingTimeGt60sMonitor, RequestsQueuedGt500Monitor,
                                or its probe (ImapCTPProbe, IMAP\\ImapCTPProbe), any case. Without one, every rule runs.
              --alert FILE      read the monitor, servers and time from an alert, Get-ServerHealth, Invoke-MonitoringProbe
                                or Test-ImapConnectivity output (- for standard input); its time centres the analysis
              --tz ZONE         the time zone of the alert's local times (Europe/Paris, +01:00; default: this machine's)
              --name ADDR=NAME  the host name of a server the logs know only by address (repeat, or comma-separated)
              --lang LANG       en (default) or fr: the whole report, and the runbook's steps, in French
              --check           monitoring-plugin mode: one status line with performance data;
                                exit 0 OK, 1 WARNING, 2 CRITICAL, 3 UNKNOWN

        Other:
          -j, --jobs N          read N logs at a time (default: one per core, at most 256)
          -h, --help            this text
          -V, --version         the version

        Exit status: 0 done; 64 bad command line; 65 nothing to analyse, or the logs cannot answer (no record, filters
        left nothing, the monitors' data absent, an alert outside the logs or about another health set: the report
        says why); 66 no input could be read; 74 some input could not be read (the report covers the rest).
        With --check: 0 OK, 1 WARNING, 2 CRITICAL, 3 UNKNOWN.

        Examples:
          imaplog 'C:\\Program Files\\Microsoft\\Exchange Server\\V15\\Logging\\Imap4'
          cat IMAP4BE*.LOG | imaplog --format json
          imaplog collected/ --since '2026-11-16 09:00' --server MBX02 --format csv --table errors
          imaplog --monitor ImapCTPMonitor '\\\\CAS01\\C$\\Program Files\\Microsoft\\Exchange Server\\V15\\Logging\\Imap4'
          imaplog --alert alert.txt --lang fr collected/
          imaplog --check --monitor ImapDeepTestMonitor /var/log/exchange/MBX02
        """
}
