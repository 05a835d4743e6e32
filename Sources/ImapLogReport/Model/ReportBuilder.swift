import ImapLogDiagnosis
import ImapLogKit

/// Turns a `Summary` into a `Report`: merges server names, sorts, cuts tables to size, and says what
/// stands out.
package struct ReportBuilder: Sendable {
    /// Rows kept in the users and clients tables.
    package var top = 10
    /// Timeline bucket in minutes (one of `bucketChoices`); nil picks one for the span (`defaultBucket`).
    package var bucketMinutes: Int?
    /// The timeline buckets offered, in minutes.
    package static let bucketChoices = [1, 5, 15, 60, 360, 1_440]
    /// Past two hours, the default bucket keeps a server's timeline within this many buckets.
    static let maximumBuckets: Int64 = 12_000
    package var version = "0"
    /// The monitors to diagnose, the alert, the language.
    package var request = DiagnosisRequest()
    /// What POP3 logs held (`AnalysisResult.pop3`), reported apart.
    package var pop3: Summary?
    /// Hides users, client addresses and e-mail in every sentence and table, when the report is to be shared.
    package var redactor: Redactor?
    /// Paths that were not read at all (`InputPlan.problems`), listed in the report's input.
    package var problems: [ImapLogError] = []
    /// Whether the report carries the HTML charts' series (`Report.charts`), read from the per-minute tables.
    package var includesCharts = false

    package init() {}

    /// The report of `summary`.
    package func build(_ summary: Summary) -> Report {
        var copy = summary
        return build(releasing: &copy)
    }

    /// The report's verdict alone, as `build` words it: what `imaplog watch` shows at each look, without the
    /// tables, the timeline or a copy of the summary.
    package func verdict(of summary: Summary) -> Report.Verdict {
        let stitcher = Stitcher(summary)
        var addressNames = stitcher.addressNames()
        for (address, name) in request.serverNames { addressNames[address.lowercased()] = name }
        let names = NameTable(summary, addressNames: addressNames)
        let servers = ServerFigures.build(summary, names)
        var diagnoser = Diagnoser(
            summary: summary, names: names, servers: servers, stitcher: stitcher, alert: request.alert)
        diagnoser.until = request.until
        let (_, verdict) = diagnoser.diagnose(request)
        return Phrasebook(language: request.language, redactor: redactor).verdict(verdict)
    }

    /// The report of `summary`, which is left without its per-minute tables: they go once the diagnosis and the
    /// timeline have read them, before the file list is built (when no one else holds them).
    package func build(releasing summary: inout Summary) -> Report {
        let stitcher = Stitcher(summary)
        var addressNames = stitcher.addressNames()
        // The admin's own names win over what the logs suggest.
        for (address, name) in request.serverNames { addressNames[address.lowercased()] = name }
        let names = NameTable(summary, addressNames: addressNames)
        let servers = ServerFigures.build(summary, names)
        let phrasebook = Phrasebook(language: request.language, redactor: redactor)
        var diagnoser = Diagnoser(
            summary: summary, names: names, servers: servers, stitcher: stitcher, alert: request.alert)
        diagnoser.until = request.until
        let (results, verdict) = diagnoser.diagnose(request)
        let errors = summary.errors.sorted { ($1.value.count, $0.key) < ($0.value.count, $1.key) }.map { key, tally in
            Report.ErrorEntry(
                errorClass: key.errorClass, code: key.code, message: key.message, count: tally.count,
                servers: Array(Set(tally.servers.map(names.display))).sorted(), example: tally.example)
        }
        let bucket = bucketMinutes ?? Self.defaultBucket(span: (summary.last ?? 0) - (summary.first ?? 0))
        let timeline = buildTimeline(summary, names, bucket: bucket)
        let charts = includesCharts ? buildCharts(summary, names, servers: servers) : nil
        // The rest of the report does not read them: 15 MB for 335 days of five servers.
        summary.timeline = [:]
        summary.probes.minutes = [:]
        summary.logonsByBackend = [:]
        var report = Report(
            tool: .init(version: version),
            language: request.language,
            monitor: Nullable(request.monitors.first.map { MonitorReference($0, source: request.source) }),
            alert: request.alert,
            verdict: phrasebook.verdict(verdict),
            monitors: results.map(phrasebook.monitor),
            nextSteps: nextSteps(verdict: verdict, results: results, servers: servers, names: names, summary: summary)
                .map(phrasebook.step),
            input: buildInput(summary),
            findings: Findings.reconcile(
                Findings.derive(
                    servers: servers, errors: errors, timeline: timeline, bucketMinutes: bucket, summary: summary
                ).filter { !(verdict.suspects.isEmpty == false && $0.kind == "overview") }, with: verdict
            ).map(phrasebook.finding),
            servers: servers,
            commands: summary.commands.sorted { ($1.value.count, $0.key) < ($0.value.count, $1.key) }.map {
                Report.Command(
                    command: $0.key, count: $0.value.count, failures: $0.value.failures,
                    latencyMs: Report.Latency($0.value.latency), requestBytes: $0.value.requestBytes,
                    responseBytes: $0.value.responseBytes)
            },
            serverCommands: buildServerCommands(summary, names),
            errors: errors,
            users: parties(summary.users),
            clients: parties(summary.clients),
            timelineBucketMinutes: bucket,
            timeline: timeline,
            sessions: summary.sessions,
            probes: buildProbes(summary, names),
            overflow: summary.overflow,
            pop3: pop3.map(buildPOP3))
        report.charts = charts
        redactor?.redactTables(&report)
        return report
    }

    /// The POP3 section: servers, sessions and errors of the POP3 logs, with their own names.
    private func buildPOP3(_ summary: Summary) -> Report.POP3 {
        let names = NameTable(summary)
        let errors = summary.errors.sorted { ($1.value.count, $0.key) < ($0.value.count, $1.key) }.prefix(top).map {
            key, tally in
            Report.ErrorEntry(
                errorClass: key.errorClass, code: key.code, message: key.message, count: tally.count,
                servers: Array(Set(tally.servers.map(names.display))).sorted(), example: tally.example)
        }
        return Report.POP3(
            records: summary.records, sessions: summary.sessions,
            credentialFailures: summary.users.values.reduce(0) { $0 + $1.credentialFailures },
            servers: ServerFigures.build(summary, names), errors: Array(errors))
    }

    /// The runbook's steps for each monitor in question (named, else whose condition the logs show), in order,
    /// with the servers the logs single out and the alert's own server.
    private func nextSteps(
        verdict: Verdict, results: [MonitorResult], servers: [Report.Server], names: NameTable, summary: Summary
    ) -> [NextStep] {
        var monitors = request.monitors
        if monitors.isEmpty { monitors = results.filter(\.fired).compactMap { Monitor(rawValue: $0.name) } }
        let alertServer = request.alert?.servers.first.flatMap { name -> StepServer? in
            // The logs' spelling when they know the server, else the alert's own (not lower-cased).
            let display = names.display(name.lowercased())
            let known = display == name.lowercased() ? name : display
            let roles = Set(
                servers.filter { names.canonical($0.server.lowercased()) == names.canonical(name.lowercased()) }.map(
                    \.role))
            let role: Role = roles.count == 1 ? roles.first ?? .unknown : .unknown
            return HostName.isSafe(known) ? StepServer(name: known, role: role, source: .alert) : nil
        }
        // The alert's server is checked for the monitors that run there: a mailbox server is no Client Access
        // server's stand-in, nor the reverse.
        func alertServerFor(_ monitor: Monitor) -> StepServer? {
            guard let server = alertServer else { return nil }
            switch monitor {
            case .customerTouchPoint, .proxyTest: return server.role == .backEnd ? nil : server
            case .deepTest, .selfTest: return server.role == .frontEnd ? nil : server
            case .averageCommandProcessingTime, .requestsQueued: return server
            }
        }
        let runbook = Runbook()
        // No answer: nothing to act on, only whether the alert's server is still unhealthy.
        if verdict.isUndetermined { return alertServer == nil ? [] : runbook.checks(alertServer) }
        guard !monitors.isEmpty else {
            // Nothing fired and nothing named: only the checks, on the alert's server if there is one.
            return runbook.checks(alertServerFor(.customerTouchPoint))
        }
        func stepServer(_ suspect: Suspect?) -> StepServer? {
            guard let suspect else { return nil }
            let given = request.serverNames.values.contains { $0.lowercased() == suspect.server.lowercased() }
            return StepServer(name: suspect.server, role: suspect.role, source: given ? .given : .logs)
        }
        let imapFiles = summary.files.filter { !FileSummary.isPOP3(path: $0.path) && $0.format != nil }
        let isExchange2010 = !imapFiles.isEmpty && imapFiles.allSatisfy { $0.format == .protocolEvents }
        var steps: [NextStep] = []
        for monitor in monitors {
            let result = results.first { $0.name == monitor.rawValue }
            let suspects = result?.suspects ?? []
            var c = Runbook.Case(monitor: monitor, alertServer: alertServerFor(monitor))
            if monitor == .customerTouchPoint {
                c.frontEnd = stepServer(suspects.first { $0.role == .frontEnd })
                // Each mailbox server singled out and not recovered, once (suspects come surest first).
                var seen = Set<String>()
                c.backEnds = suspects.filter { $0.role == .backEnd && !$0.hasRecovered }
                    .filter { seen.insert($0.server.lowercased()).inserted }.compactMap(stepServer)
                if c.backEnds.isEmpty {
                    c.backEnds = stepServer(suspects.first { $0.role == .backEnd }).map { [$0] } ?? []
                }
                // A front end failing its own logons (Exchange 2010) is no certificate matter.
                c.isDeploymentFault = suspects.contains {
                    guard $0.role == .frontEnd else { return false }
                    if case .ctpFrontEndServesNone = $0.rule { return false }
                    return true
                }
            } else {
                c.server = stepServer(suspects.first)
            }
            c.isMonitoringAccountFault = result?.cause == MonitorResult.Cause.monitoringAccount
            c.isExchange2010 = isExchange2010
            c.hasRecovered = !suspects.isEmpty && suspects.allSatisfy(\.hasRecovered)
            c.hasFired = result?.fired ?? false
            c.hasConfidentBackEnd = suspects.contains {
                $0.role == .backEnd && !$0.hasRecovered && $0.confidence >= CheckRenderer.criticalConfidence
            }
            steps += runbook.steps(for: c)
        }
        // A step another monitor's steps already gave is not given twice; the call to support comes once, last.
        var givenBy: [AnyHashable: String?] = [:]
        let support = steps.last { $0.command == nil && $0.text == .contactSupport }
        steps = steps.filter { step in
            guard step.text != .contactSupport else { return false }
            let key = step.command.map(AnyHashable.init) ?? AnyHashable(step.text)
            if let first = givenBy[key] { return first == step.monitor }
            givenBy[key] = step.monitor
            return true
        }
        // Twice the same command in a row says nothing more; the undoing of database moves comes after every
        // monitor's steps (a server restart may still follow a move).
        steps = steps.enumerated().filter { index, step in
            index == 0 || step.command == nil || step.command != steps[index - 1].command
        }.map(\.element)
        let isUndo = { (step: NextStep) in step.command?.contains(code: "MoveNow $false") == true }
        steps =
            steps.filter { !isUndo($0) }
            + steps.filter(isUndo).map { step in
                var last = step
                last.monitor = nil  // it undoes what any monitor's steps did
                return last
            }
        if var support {
            support.monitor = nil
            steps.append(support)
        }
        return steps
    }

    /// The report's input, which shares the summary's list of files (an array is copied only when changed).
    private func buildInput(_ summary: Summary) -> Report.Input {
        Report.Input(
            fileList: .init(summaries: summary.files), lines: summary.lines, headerLines: summary.headerLines,
            records: summary.records,
            skipped: summary.skipped,
            skippedByReason: Dictionary(
                uniqueKeysWithValues: summary.skippedByReason.map { ($0.key.rawValue, $0.value.count) }),
            skippedExamples: Dictionary(
                uniqueKeysWithValues: summary.skippedByReason.compactMap { k, v in v.example.map { (k.rawValue, $0) } }),
            filteredOut: summary.filteredOut, ignoredFiles: summary.ignoredFiles,
            first: summary.first.map { Timestamp.format($0) }, last: summary.last.map { Timestamp.format($0) },
            problems: problems.map { Report.Problem(path: $0.path, error: $0.message) })
    }

    private func buildServerCommands(_ summary: Summary, _ names: NameTable) -> [Report.ServerCommand] {
        var merged: [ServerCommandKey: CommandTally] = [:]
        for (key, tally) in summary.serverCommands {
            let server = ServerKey.named(names.canonical(key.server.name), role: key.server.role)
            merged[ServerCommandKey.of(server, command: key.command), default: CommandTally.empty].merge(tally)
        }
        return merged.sorted { $0.key < $1.key }.map { key, tally in
            Report.ServerCommand(
                server: names.display(key.server.name), role: key.server.role, command: key.command, count: tally.count,
                failures: tally.failures, latencyMs: Report.Latency(tally.latency))
        }
    }

    /// The timeline bucket for a span of `span` ms: a minute up to two hours, else the smallest choice that keeps
    /// the span within `maximumBuckets`: 5 minutes up to 41 days (a week of logs, the usual case, keeps the
    /// slow-spell findings at 5 minutes), an hour up to 16 months.
    ///
    /// The report holds every bucket of every server: with a fixed 5 minutes, the 335 days of five servers made
    /// 480,000 buckets and took 170 MiB to report.
    static func defaultBucket(span: Int64) -> Int {
        if span <= 2 * 3_600_000 { return 1 }
        let minutes = span / 60_000 + 1
        return bucketChoices.dropFirst().first { minutes <= maximumBuckets * Int64($0) } ?? bucketChoices.last ?? 1
    }

    private func buildTimeline(_ summary: Summary, _ names: NameTable, bucket: Int) -> [Report.TimelineBucket] {
        // Per server in day pages (a dictionary per bucket costs several times more on long spans).
        var merged: [ServerKey: MinuteTable<TimelineTally>] = [:]
        for (key, minutes) in summary.timeline {
            let server = ServerKey.named(names.canonical(key.name), role: key.role)
            if bucket == 1 {
                merged[server, default: MinuteTable()].merge(minutes)
                continue
            }
            // Minutes come in order: each bucket is summed here and added once.
            var table = merged.removeValue(forKey: server) ?? MinuteTable()
            var current: (start: Int64, tally: TimelineTally)?
            for (minute, tally) in minutes {
                let start = minute - ((minute % Int64(bucket)) + Int64(bucket)) % Int64(bucket)
                if let open = current, open.start == start {
                    current?.tally.merge(tally)
                } else {
                    if let open = current { table.add(open.tally, at: open.start) }
                    current = (start, tally)
                }
            }
            if let open = current { table.add(open.tally, at: open.start) }
            merged[server] = table
        }
        // In `TimelineKey` order (minute, then server), merged from the servers' tables, which each go in minute
        // order: no list of every bucket to sort, a day of each table read at a time. A step looks at every
        // server, and there are at most some 12,000 distinct bucket starts.
        let servers = merged.keys.sorted()
        var iterators = servers.map { merged[$0, default: MinuteTable()].makeIterator() }
        var rows: [Report.TimelineBucket] = []
        rows.reserveCapacity(merged.values.reduce(0) { $0 + $1.count })
        merged = [:]
        var heads = iterators.indices.map { iterators[$0].next() }
        while let minute = heads.lazy.compactMap({ $0?.minute }).min() {
            for i in servers.indices {
                guard let head = heads[i], head.minute == minute else { continue }
                let tally = head.value
                rows.append(
                    Report.TimelineBucket(
                        start: BucketStart(minute: minute), server: names.display(servers[i].name),
                        role: servers[i].role,
                        requests: tally.requests, failures: tally.failures,
                        meanLatencyMs: tally.latencyCount == 0
                            ? 0 : (Double(tally.latencySum) / Double(tally.latencyCount) * 10).rounded() / 10))
                heads[i] = iterators[i].next()
            }
        }
        return rows
    }

    private func buildProbes(_ summary: Summary, _ names: NameTable) -> Report.Probes {
        var merged: [ProbeKey: ProbeSessionTally] = [:]
        // In key order: spellings merged keep the first examples met, the same on every run.
        for (key, tally) in summary.probes.sessions.sorted(by: { $0.key < $1.key }) {
            let server = ServerKey.named(names.canonical(key.server.name), role: key.server.role)
            merged[ProbeKey.of(key.kind, server: server), default: ProbeSessionTally.empty].merge(tally)
        }
        return Report.Probes(
            records: summary.probes.records, commands: summary.probes.commands.count,
            failures: summary.probes.commands.failures,
            sessions: merged.sorted { $0.key < $1.key }.map { key, tally in
                Report.ProbeSessions(
                    probe: key.kind.rawValue, server: names.display(key.server.name), role: key.server.role,
                    sessions: tally.sessions, failedSessions: tally.failedSessions,
                    first: tally.first.map { Timestamp.format($0) }, last: tally.last.map { Timestamp.format($0) })
            })
    }

    private func parties(_ table: [String: PartyTally]) -> [Report.Party] {
        table.sorted { ($1.value.commands, $0.key) < ($0.value.commands, $1.key) }.prefix(top).map {
            Report.Party(
                name: $0.key, commands: $0.value.commands, failures: $0.value.failures,
                failedLogons: $0.value.failedLogons, credentialFailures: $0.value.credentialFailures,
                sessions: $0.value.sessions)
        }
    }

}
