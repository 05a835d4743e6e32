import ImapLogKit

/// A heading, column title or sentence of the text report, as data: which one, and the values it is made of.
///
/// The text renderer lays out; the words are made in one place per language (`English.swift`, `French.swift`),
/// as the diagnosis's `Sentence`s are. Values are kept as found: counts as numbers, times as the report's ISO
/// text, names as the report shows them. Log text is made safe for a terminal by the renderer, not here.
enum Label {
    // MARK: - First lines

    /// The files read and what their lines were: records, header lines, skipped lines.
    case fileCounts(files: Int, lines: Int, records: Int, headerLines: Int, skipped: Int)
    /// Records the filters left out.
    case filteredOut(records: Int)
    /// The time span of the records (ISO).
    case span(from: String, to: String)

    // MARK: - From the alert

    /// Between the parts of what the alert said: a semicolon, spaced as the language spaces it.
    case alertPartsSeparator

    /// The heading of what was taken from the alert.
    case fromTheAlert
    /// The monitors the alert names as failing.
    case alertFailing(monitors: [String])
    /// Every IMAP monitor in the alert is Healthy.
    case alertAllHealthy
    /// The alert names no failing monitor.
    case alertNoFailingMonitor
    /// The servers the alert names, and whether any of their logs were read.
    case alertServers([(name: String, isRead: Bool)])
    /// The mailbox servers the alert names.
    case alertMailboxServers([String])
    /// The alert's time as written, read as local time in a zone (`utc` ISO).
    case alertLocalTime(text: String, timeZone: String, utc: String)
    /// The alert's time, already in UTC (ISO).
    case alertTime(utc: String)
    /// The window of the logs analysed around the alert's time (ISO).
    case alertWindow(from: String, to: String)
    /// The alert's time is outside the logs.
    case alertTimeOutsideLogs
    /// The alert gives a time that cannot be read (a field out of range), as written: left out.
    case alertTimeUnreadable(text: String)
    /// The alert was longer than is read (`mebibytes`), or a line than `lineLength` characters: cut.
    case alertCut(mebibytes: Int, lineLength: Int)

    // MARK: - The answer

    /// The heading of the verdict.
    case verdict
    /// The heading of the next steps.
    case nextSteps
    /// The heading of the evidence for each suspect.
    case evidence
    /// A suspect's first line: its server, role, confidence, monitor and failures.
    case suspect(server: String, role: Role, confidence: Double, monitor: String, failures: Int, total: Int)
    /// Before a suspect's example rows.
    case rowsToRead
    /// The heading of the findings.
    case whatStandsOut
    /// A warning finding's mark (a critical one is CRIT, an informational one INFO, in both languages).
    case warn

    // MARK: - Tables

    /// The heading of the servers table.
    case servers
    /// How a back end whose own logs were not read is described.
    case seenFromFrontEndsNote
    /// A server described from its own logs.
    case seenFromOwnLogs
    /// A back end described as the front ends saw it.
    case seenFromFrontEnds
    /// Before the table of back ends as the front ends that proxied to them saw them.
    case asBackEnds
    /// The heading of the commands table.
    case commands
    /// What the commands' latency leaves out.
    case latencyNote
    /// Rows of a table left out.
    case more(Int)
    /// The heading of the errors table.
    case errors
    /// Errors left out, and how to see them.
    case moreErrors(Int)
    /// The heading of the users table.
    case topUsers
    /// The heading of the client addresses table.
    case topClientAddresses
    /// The sessions, by how they went.
    case sessionCounts(
        total: Int, loggedOnProxied: Int, loggedOn: Int, failedLogon: Int, neverAuthenticated: Int, openAtEnd: Int)
    /// The heading of Exchange's own probes.
    case probes
    /// How probes are counted.
    case probesNote
    /// No probe session.
    case noneSeen
    /// The heading of the timeline.
    case timeline
    /// What the timeline's sparklines show, and over how many minutes each bucket.
    case timelineNote(bucketMinutes: Int)
    /// After a server's failures sparkline: its highest bucket.
    case failuresPeak(Int)

    // MARK: - Input

    /// The heading of the files read.
    case input
    /// Files left out of the table.
    case moreFiles(Int)
    /// Files in the folders read that are not protocol logs.
    case otherFilesIgnored(Int)
    /// Before the skipped lines, by reason.
    case skippedLines
    /// Lines skipped for one reason (its English text), and where the first one is (`path:line`).
    case skippedFor(count: Int, reason: String, firstAt: String?)
    /// File notices left out.
    case moreNotices(Int)
    /// The heading of the paths that could not be read.
    case notRead
    /// Paths not read beyond those listed.
    case morePathsNotRead(Int)
    /// Tables that reached their limit, with how many keys each pooled.
    case tablesFull([(table: String, pooled: Int)])

    // MARK: - POP3

    /// What the POP3 section is.
    case pop3Note
    /// POP3's records and sessions, by how they went.
    case pop3Counts(records: Int, sessions: Int, loggedOn: Int, failedLogon: Int, credentialFailures: Int)

    // MARK: - Column titles

    /// A server's name.
    case serverColumn
    /// A server's or a file's role.
    case roleColumn
    /// Whose logs describe a server.
    case seenFromColumn
    /// Commands.
    case commandsColumn
    /// Failed commands or sessions.
    case failedColumn
    /// The failure rate.
    case rateColumn
    /// A command's name.
    case commandColumn
    /// How many.
    case countColumn
    /// Mean latency.
    case meanMsColumn
    /// An error's class.
    case classColumn
    /// Servers where an error was seen.
    case serversColumn
    /// Where an error was first seen (`path:line`).
    case firstSeenAtColumn
    /// A user's name.
    case userColumn
    /// A client's address.
    case addressColumn
    /// Failed logons.
    case failedLogonsColumn
    /// Logons refused for the user's credentials.
    case refusedCredentialsColumn
    /// A probe's name.
    case probeColumn
    /// The first session's time.
    case firstColumn
    /// The last session's time.
    case lastColumn
    /// A file's path.
    case fileColumn
    /// Lines read.
    case linesColumn
    /// Records read.
    case recordsColumn
    /// Lines skipped.
    case skippedColumn
}
