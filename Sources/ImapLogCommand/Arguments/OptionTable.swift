import ImapLogDiagnosis
import ImapLogKit
import ImapLogReport

/// Every option of imaplog, each declared once, in the order `--help` shows them.
///
/// To add an option, add it here: the parser accepts it by its names, `--help` shows it in its section, and
/// "did you mean" offers it. `OptionTableTests` checks that the help and the parser agree.
enum OptionTable {
    typealias UsageError = Options.UsageError

    static let all: [OptionDefinition] = [
        .value(
            "--save-summary", "FILE", section: .usage, help: "summarise the logs into FILE (- for stdout), no report"
        ) { text, options, _ throws(UsageError) in
            options.saveSummaryPath = text
        },

        // Output
        .value(
            "--format", short: "-f", "FORMAT", section: .output,
            help: "text (default), json, csv, or html (one page with charts); watch: ndjson"
        ) { text, options, _ throws(UsageError) in
            guard let format = Options.OutputFormat(rawValue: text.lowercased()) else {
                throw UsageError(
                    message: "--format takes text, json, csv or html (with watch, ndjson), not '\(Options.safe(text))'")
            }
            options.format = format
        },
        .value(
            "--output", short: "-o", "FILE", section: .output,
            help: "write the report to FILE instead of standard output (replaced only once complete)"
        ) { text, options, _ throws(UsageError) in
            options.outputPath = text
        },
        .value(
            "--table", "TABLE", section: .output,
            help: "with csv: servers (default), commands, errors, users, clients, timeline, files"
        ) { text, options, _ throws(UsageError) in
            guard let table = CSVRenderer.Table(rawValue: text.lowercased()) else {
                let names = CSVRenderer.Table.allCases.map(\.rawValue).joined(separator: ", ")
                throw UsageError(message: "--table takes one of \(names), not '\(Options.safe(text))'")
            }
            options.table = table
        },
        .value(
            "--top", "N", section: .output,
            help: "rows in the users, clients, errors and files tables (default 10, at most \(Options.maximumTop))"
        ) { text, options, _ throws(UsageError) in
            guard let n = Int(text), (1...Options.maximumTop).contains(n) else {
                throw UsageError(
                    message: "--top takes a whole number from 1 to \(Options.maximumTop), not '\(Options.safe(text))'")
            }
            options.top = n
        },
        .value(
            "--bucket", "MINUTES", section: .output,
            help: """
                timeline buckets: 1, 5, 15, 60, 360 or 1440 (default: 1 up to a two-hour
                span, else the smallest that keeps it within 12,000 buckets)
                """
        ) { text, options, _ throws(UsageError) in
            let minutes = text.hasSuffix("m") ? String(text.dropLast()) : text
            guard let n = Int(minutes), ReportBuilder.bucketChoices.contains(n) else {
                let choices = ReportBuilder.bucketChoices.map(String.init).joined(separator: ", ")
                throw UsageError(message: "--bucket takes one of \(choices) (minutes), not '\(Options.safe(text))'")
            }
            options.bucketMinutes = n
        },
        .value(
            "--color", aliases: ["--colour"], "WHEN", section: .output,
            help: "auto (default: on a terminal, unless NO_COLOR is set), always, never"
        ) { text, options, _ throws(UsageError) in
            guard let choice = Options.ColorChoice(rawValue: text.lowercased()) else {
                throw UsageError(message: "--color takes auto, always or never, not '\(Options.safe(text))'")
            }
            options.color = choice
        },
        .flag("--no-color", aliases: ["--no-colour"], section: .output, help: "the same as --color never") {
            $0.color = .never
        },
        .flag(
            "--redact", section: .output,
            help: """
                replace users, e-mail addresses and client addresses with pseudonyms (user-…,
                client-…), in every format; server names stay. Random key per run unless:
                """
        ) { $0.redacts = true },
        .value(
            "--redact-salt", "KEY", section: .output,
            help: "the pseudonyms' key: the same KEY gives the same pseudonyms in every report"
        ) { text, options, _ throws(UsageError) in
            options.redacts = true
            options.redactionSalt = text
        },

        // Filters
        .value(
            "--since", "TIME", section: .filters,
            help: """
                from TIME: 2026-11-16T09:00:00Z, '2026-11-16 09:00', or back from now: 30m, 2h, 7d;
                with watch, now: from the logs' current ends
                """
        ) { text, options, now throws(UsageError) in
            if text.lowercased() == "now" {
                options.startsAtEnd = true
                return
            }
            options.since = try Options.time(text, option: "--since", now: now)
        },
        .value("--until", "TIME", section: .filters, help: "before TIME") { text, options, now throws(UsageError) in
            options.until = try Options.time(text, option: "--until", now: now)
        },
        .value(
            "--server", "NAME", section: .filters,
            help: """
                records of this server, as its own log or as the back end proxied to
                (short name or FQDN, any case; repeat or separate with commas)
                """
        ) { text, options, _ throws(UsageError) in
            options.servers += Options.list(text)
        },
        .value(
            "--user", "PATTERN", section: .filters, help: "records of matching users (* and ? allowed, any case)"
        ) { text, options, _ throws(UsageError) in
            options.users += Options.list(text)
        },
        .value(
            "--command", "NAME", section: .filters, help: "only these commands (login, select, uid+fetch, ...)"
        ) { text, options, _ throws(UsageError) in
            options.commands += Options.list(text)
        },
        .flag(
            "--exclude-probes", section: .filters,
            help: "leave Exchange's own probe traffic out of the tables (still counted under probes)"
        ) { $0.excludesProbes = true },

        // Diagnosis
        .value(
            "--monitor", short: "-m", "NAME", section: .diagnosis,
            help: """
                the failing monitor: ImapCTPMonitor, ImapProxyTestMonitor, ImapDeepTestMonitor,
                ImapSelfTestMonitor, AverageCommandProcessingTimeGt60sMonitor, RequestsQueuedGt500Monitor,
                or its probe (ImapCTPProbe, IMAP\\ImapCTPProbe), any case. Without one, every rule runs.
                """
        ) { text, options, _ throws(UsageError) in
            for name in Options.list(text) {
                guard let monitor = Monitor.named(name) else {
                    let known = Monitor.allCases.map(\.rawValue).joined(separator: ", ")
                    throw UsageError(
                        message: "unknown monitor '\(Options.safe(name))': name one of \(known), or its probe")
                }
                if !options.monitors.contains(monitor) { options.monitors.append(monitor) }
            }
        },
        .value(
            "--alert", "FILE", section: .diagnosis,
            help: """
                read the monitor, servers and time from an alert, Get-ServerHealth, Invoke-MonitoringProbe
                or Test-ImapConnectivity output (- for standard input); its time centres the analysis
                """
        ) { text, options, _ throws(UsageError) in
            options.alertPath = text
        },
        .value(
            "--tz", "ZONE", section: .diagnosis,
            help: "the time zone of the alert's local times (Europe/Paris, +01:00; default: this machine's)"
        ) { text, options, _ throws(UsageError) in
            guard AlertParser.timeZone(named: text) != nil else {
                throw UsageError(
                    message: "--tz takes a time zone (Europe/Paris, UTC, +01:00), not '\(Options.safe(text))'")
            }
            options.alertTimeZone = text
        },
        .value(
            "--name", "ADDR=NAME", section: .diagnosis,
            help: "the host name of a server the logs know only by address (repeat, or comma-separated)"
        ) { text, options, _ throws(UsageError) in
            for pair in Options.list(text) {
                let parts = pair.split(separator: "=", maxSplits: 1).map(String.init)
                guard parts.count == 2, HostName.isSafe(parts[0]), HostName.isValid(parts[1]) else {
                    throw UsageError(
                        message:
                            "--name takes ADDRESS=NAME, a server's address and its host name (10.0.1.11=CAS01), not '\(Options.safe(pair))'"
                    )
                }
                options.serverNames[parts[0].lowercased()] = parts[1]
            }
        },
        .value(
            "--lang", aliases: ["--language"], "LANG", section: .diagnosis,
            help: "en (default) or fr: the whole report, and the runbook's steps, in French"
        ) { text, options, _ throws(UsageError) in
            guard let language = Language(rawValue: String(text.lowercased().prefix(2))) else {
                throw UsageError(message: "--lang takes en or fr, not '\(Options.safe(text))'")
            }
            options.language = language
        },
        .flag(
            "--check", section: .diagnosis,
            help: """
                monitoring-plugin mode: one status line with performance data;
                exit 0 OK, 1 WARNING, 2 CRITICAL, 3 UNKNOWN
                """
        ) { $0.isCheck = true },

        // Other
        .value(
            "--jobs", short: "-j", "N", section: .other,
            help: "read N logs at a time (default: one per core, at most \(Options.maximumJobs))"
        ) { text, options, _ throws(UsageError) in
            guard let n = Int(text), (1...Options.maximumJobs).contains(n) else {
                throw UsageError(
                    message: "--jobs takes a whole number from 1 to \(Options.maximumJobs), not '\(Options.safe(text))'"
                )
            }
            options.jobs = n
        },
        .value(
            "--interval", "SECS", section: .other,
            help: "with watch: seconds between looks at the logs (default 5; 0.5 and 2.5 work)"
        ) { text, options, _ throws(UsageError) in
            guard let seconds = Double(text), Options.intervalRange.contains(seconds) else {
                throw UsageError(
                    message: "--interval takes a number of seconds from 0.1 to 86400, not '\(Options.safe(text))'")
            }
            options.interval = seconds
            options.intervalWasSet = true
        },
        .flag("--help", short: "-h", section: .other, help: "this text") { $0.showsHelp = true },
        .flag("--version", short: "-V", section: .other, help: "the version") { $0.showsVersion = true },
    ]

    /// Each option by each of its names (long, short, aliases).
    private static let byName: [String: OptionDefinition] = {
        var byName: [String: OptionDefinition] = [:]
        for option in all {
            for name in option.allNames {
                precondition(byName.updateValue(option, forKey: name) == nil, "two options are named \(name)")
            }
        }
        return byName
    }()

    /// The option `name` (`--format`, `-f`, `--colour`) names; nil when there is none.
    static func option(named name: String) -> OptionDefinition? {
        byName[name]
    }

    /// The short names of options with a value, which may be written against them (`-j2`), as getopt reads them.
    static let shortNamesTakingValues: Set<String> = Set(
        all.compactMap { $0.valueName == nil ? nil : $0.shortName })
}
