/// The bounds a summary read from a file must keep before it merges: summaries arrive from shares that others can
/// write, and a count near `Int.max`, a negative one or a time millions of years away made merging (and the report
/// after it) trap or lose the line accounting.
///
/// Every count a summary holds comes from its lines (a record, a session, a logon, a minute's requests are each at
/// least one line), so every count is checked against the summary's own line total, and that total against
/// `lineLimit`; merging refuses a summary that would take the merged total past it (`merge` in the command line).
/// Merged counts then stay below `lineLimit` whatever the files held, and no sum of them can overflow.
extension Summary {
    /// The most lines one summary, or all the summaries merged, may account for: 2^40.
    ///
    /// About 1.1 × 10^12 lines, some 160 TB of logs at 150 bytes a line (a busy server writes about 40 GB a year). Low enough that sums of
    /// counts (over every minute of a year, over a million files) and the report's products with them (a count
    /// times 100 or times 60,000) stay far below `Int.max`.
    package static let lineLimit = 1 << 40

    /// The largest sum of milliseconds a minute may hold, and the longest probe session: 2^52 ms.
    ///
    /// Some 140,000 years, for `TimelineTally.latencySum` and `ProbeMinuteTally.longestMs`. A log's duration field holds at most 18 digits, so a minute of a few absurd
    /// durations could come near `Int64.max`; the diagnosis adds a server's minutes five at a time, several servers
    /// at once, and this leaves room for 2,048 of them.
    package static let millisecondsLimit: Int64 = 1 << 52

    /// The longest duration a log's field can give (18 digits): a peak of commands in flight is dated at the start
    /// of the earliest, which can lie that far before the logs' first time.
    static let durationLimit: Int64 = 999_999_999_999_999_999

    /// The times a summary may hold (ms since 1970): the years 0000 to 9999, all that a log's four-digit year can
    /// say.
    package static let timeRange: ClosedRange<Int64> =
        Int64(Timestamp.daysFromCivil(year: 0, month: 1, day: 1)) * 86_400_000...Int64(
            Timestamp.daysFromCivil(year: 10_000, month: 1, day: 1)) * 86_400_000 - 1

    /// Why this summary, read from a file, cannot be merged; nil when it keeps every bound.
    ///
    /// - Complexity: O(n) in the summary's files, keys and logon events; the per-minute tables were checked as they
    ///   were decoded (`MinuteTable.isWithinBounds`, `largestCount`).
    package func boundsProblem() -> String? {
        // The line accounting first: every other count is held to the total.
        var lines = 0
        for file in files {
            // Named in the refusal: at most 120 characters of it (a path in a crafted summary may be a megabyte).
            let path = file.path.count > 120 ? file.path.prefix(120) + "…" : file.path
            let parts = [file.lines, file.headerLines, file.records, file.skipped]
            guard parts.allSatisfy({ (0...Self.lineLimit).contains($0) }) else {
                return "a count of lines out of range in \(path)"
            }
            guard file.lines == file.headerLines + file.records + file.skipped else {
                return "the lines of \(path) do not add up (header lines, records and skipped lines)"
            }
            guard Self.isTime(file.first), Self.isTime(file.last) else { return "a time out of range in \(path)" }
            lines += file.lines
            guard lines <= Self.lineLimit else {
                return "more than \(Self.lineLimit) lines (the most a summary may account for)"
            }
        }
        var check = BoundsCheck(lines: lines)
        for tally in skippedByReason.values { check.count(tally.count, "skipped lines") }
        for tally in servers.values {
            check.count(tally.records, "server records")
            check.count(tally.sessions, "server sessions")
            check.count(tally.proxiedSessions, "proxied sessions")
            check.command(tally.own, "server commands")
            check.command(tally.proxied, "proxied commands")
            check.sessions(tally.outcomes)
            for count in tally.failureClasses.values { check.count(count, "failures by class") }
            for count in tally.proxiedFailureClasses.values { check.count(count, "failures by class") }
        }
        for tally in commands.values { check.command(tally, "commands") }
        for tally in serverCommands.values { check.command(tally, "commands") }
        for tally in users.values { check.party(tally, "users") }
        for tally in clients.values { check.party(tally, "clients") }
        for tally in errors.values { check.count(tally.count, "errors") }
        check.sessions(sessions)
        check.count(probes.records, "probe records")
        check.command(probes.commands, "probe commands")
        for tally in probes.sessions.values {
            check.count(tally.sessions, "probe sessions")
            check.count(tally.failedSessions, "probe sessions")
            check.time(tally.first, "probe sessions")
            check.time(tally.last, "probe sessions")
        }
        for table in timeline.values { check.table(table, "the timeline") }
        for table in probes.minutes.values { check.table(table, "the probes' minutes") }
        for table in logonsByBackend.values { check.table(table, "the logons' minutes") }
        for peak in peakInFlight.values {
            check.count(peak.peak, "commands in flight")
            if !(Self.timeRange.lowerBound - Self.durationLimit...Self.timeRange.upperBound).contains(peak.at) {
                check.problem = check.problem ?? "a time out of range in commands in flight"
            }
        }
        for position in logons.indices { check.time(logons.time(at: position), "logon events") }
        if let level = logonSampling, !(1...64).contains(level) { return "a logon sampling level out of range" }
        check.count(filteredOut, "filtered records")
        if let failures = filteredOutFailures { check.count(failures, "filtered records") }
        // Files the folders held that were not logs: not lines, but as bounded.
        if !(0...Self.lineLimit).contains(ignoredFiles) { return "a count of ignored files out of range" }
        for count in overflow.values { check.count(count, "the tables' overflow") }
        check.time(first, "the summary")
        check.time(last, "the summary")
        return check.problem
    }

    private static func isTime(_ time: Int64?) -> Bool { time.map { timeRange.contains($0) } ?? true }
}

/// Checks counts against a summary's line total, keeping the first problem found.
private struct BoundsCheck {
    let lines: Int
    var problem: String?

    mutating func count(_ value: Int, _ what: String) {
        guard problem == nil, !(0...lines).contains(value) else { return }
        problem =
            value < 0
            ? "a negative count in \(what)" : "a count in \(what) larger than the summary's \(lines) lines"
    }

    mutating func time(_ value: Int64?, _ what: String) {
        guard problem == nil, let value, !Summary.timeRange.contains(value) else { return }
        problem = "a time out of range in \(what)"
    }

    /// A per-minute table as decoding found it (`MinuteTable.isWithinBounds`, `largestCount`).
    mutating func table<Value>(_ table: MinuteTable<Value>, _ what: String) {
        guard problem == nil else { return }
        guard table.isWithinBounds else {
            problem =
                "a minute in \(what) out of range (a count below 0, milliseconds past \(Summary.millisecondsLimit), "
                + "a time outside the years 0000-9999), twice, or empty"
            return
        }
        count(Int(table.largestCount), what)
    }

    mutating func command(_ tally: CommandTally, _ what: String) {
        count(tally.count, what)
        count(tally.failures, what)
        // The histogram checked its own buckets, sum and extremes as it was decoded.
        count(Int(clamping: tally.latency.count), what)
        if problem == nil && (tally.requestBytes < 0 || tally.responseBytes < 0) {
            problem = "a negative count of bytes in \(what)"
        }
    }

    mutating func party(_ tally: PartyTally, _ what: String) {
        for value in [tally.commands, tally.failures, tally.failedLogons, tally.credentialFailures, tally.sessions] {
            count(value, what)
        }
    }

    mutating func sessions(_ tally: SessionTally) {
        for value in [
            tally.total, tally.loggedOnProxied, tally.loggedOn, tally.failedLogon, tally.neverAuthenticated,
            tally.openAtEnd,
        ] {
            count(value, "sessions")
        }
    }
}
