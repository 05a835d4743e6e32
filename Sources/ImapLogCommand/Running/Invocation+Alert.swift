import Foundation
import ImapLogDiagnosis
import ImapLogReport

extension Invocation {
    /// Reads the alert at `path` (`-`: standard input) into `request`: its monitors, servers and time.
    ///
    /// - Returns: how the run ends when the alert cannot be used (it cannot be read, or it is about another
    ///   health set); nil to go on.
    func readAlert(_ path: String, into request: inout DiagnosisRequest) -> ExitStatus? {
        let zone = options.alertTimeZone.flatMap(AlertParser.timeZone(named:)) ?? TimeZone.current
        let shownPath = Sanitize.terminal(path)
        guard let alert = Self.readAlert(path, timeZone: zone) else {
            return fail(
                .noInput,
                "imaplog: \(shownPath): cannot read the alert file. Check the path, or save the alert (or the output of Get-ServerHealth, Invoke-MonitoringProbe) to a file; --alert - reads it from standard input."
            )
        }
        if alert.monitors.isEmpty && !alert.otherHealthSets.isEmpty {
            let sets = alert.otherHealthSets.joined(separator: ", ")
            return fail(
                .noRecords,
                "imaplog: \(shownPath): the alert is about \(Sanitize.terminal(sets)), not an IMAP health set (IMAP, IMAP.Proxy, IMAP.Protocol): imaplog reads IMAP4 logs only. Follow that health set's own troubleshooting.",
                check: "the alert is about \(sets), not IMAP")
        }
        if alert.isTruncated && !options.isCheck {
            console.say(
                "imaplog: \(shownPath): the alert is longer than imaplog reads (\(AlertParser.maximumBytes >> 20) MiB, lines of \(AlertParser.maximumLineLength) characters): only that much was read."
            )
        }
        if let unreadable = alert.unreadableTime, !options.isCheck {
            console.say(
                "imaplog: \(shownPath): the alert's time \"\(Sanitize.terminal(unreadable))\" cannot be read (a field is out of range): left out, the analysis is not centred on it."
            )
        }
        request.alert = alert
        if request.monitors.isEmpty && !alert.monitors.isEmpty {
            request.monitors = alert.monitors
            request.source = "alert"
        }
        return nil
    }

    /// The alert in a file or standard input, read as it comes: 64 KiB at a time, at most
    /// `AlertParser.maximumBytes` (a file of any size, or `/dev/zero`, costs no more); nil when it cannot be read.
    ///
    /// Raw bytes: a UTF-16 file piped in stays UTF-16.
    static func readAlert(_ path: String, timeZone: TimeZone) -> Alert? {
        let handle = path == "-" ? FileHandle.standardInput : FileHandle(forReadingAtPath: path)
        guard let handle else { return nil }
        var reader = AlertReader(timeZone: timeZone)
        do {
            while !reader.isFull, let chunk = try handle.read(upToCount: 65_536), !chunk.isEmpty {
                chunk.withUnsafeBytes { reader.read($0) }
            }
        } catch {
            return nil
        }
        return reader.finish()
    }
}
