import Foundation
import Testing

/// `--format html` and `--output FILE` end to end: hostile log text arrives escaped, the rows cited are shown,
/// the page is written to a file as summaries are (never through a link), a failed write is exit 74.
@Suite("HTML report and --output, end to end", .serialized)
struct HTMLReportTests {
    /// A front end's log whose user is a script, with a quote, a bidi override and an escape sequence in a
    /// parameter, and a store error that names a tag; every logon towards MBX01 fails.
    static let hostileLog: String = {
        var text =
            "dateTime,sessionId,seqNumber,sIp,cIp,user,duration,rqsize,rpsize,command,parameters,context\r\n"
            + "#Software: Microsoft Exchange Server\r\n#Version: 15.1.2507.39\r\n#Log-type: IMAP4 Log\r\n"
            + "#Date: 2026-11-17T09:00:00.000Z\r\n"
            + "#Fields: dateTime,sessionId,seqNumber,sIp,cIp,user,duration,rqsize,rpsize,command,parameters,context\r\n"
        for minute in 10..<60 {
            text +=
                "2026-11-17T09:\(minute):00.000Z,00000000000000\(minute),0,10.0.0.1:993,10.0.9.9:5000,,1,0,53,"
                + "OpenSession,,\r\n"
            text +=
                "2026-11-17T09:\(minute):01.000Z,00000000000000\(minute),1,10.0.0.1:993,10.0.9.9:5000,"
                + "<script>alert(1)</script>,30,20,40,login,\"<img src=x onerror=alert(2)> \"\"q\u{202E}evil\u{2066}x\","
                + "\"R=\"\"a1 NO LOGIN failed.\"\";Msg=Proxy:mbx01.contoso.com:1993:SSL;ErrMsg=ProxyFailed;"
                + "Excpt=<b>x</b>-MailboxOfflineException\"\r\n"
        }
        return text
    }()

    static func withHostileLogs(_ body: (String) throws -> Void) throws {
        try FileSafetyTests.withFolder { folder in
            try FileManager.default.createDirectory(atPath: folder + "/CAS01", withIntermediateDirectories: true)
            try hostileLog.write(toFile: folder + "/CAS01/IMAP42026111709-1.LOG", atomically: false, encoding: .utf8)
            try body(folder)
        }
    }

    @Test func hostileLogTextArrivesEscapedUnderAStrictPolicy() throws {
        try Self.withHostileLogs { folder in
            let r = try Binary.run(["--format", "html", folder])
            #expect(r.status == 0 || r.status == 65, "\(r.stderr)")
            let page = r.stdout
            #expect(page.hasPrefix("<!DOCTYPE html>"))
            #expect(page.contains("&lt;script&gt;alert(1)&lt;/script&gt;"))
            for raw in ["<script>alert", "<img", "<b>x</b>", "\u{202E}", "\u{2066}"] {
                #expect(!page.contains(raw), "\(raw) reached the page as it is")
            }
            #expect(page.contains("\\u{202E}evil\\u{2066}x"))
            #expect(page.contains("&quot;q"))
            #expect(page.components(separatedBy: "<script").count == 2)
            #expect(page.contains("<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; "))
            #expect(!page.contains("unsafe-inline"))
            for link in page.matches(of: /href="([^"]*)"/) { #expect(link.1.hasPrefix("#")) }
        }
    }

    @Test func theRowsCitedAreShownWithTheirText() throws {
        let r = try Binary.run([
            "--format", "html", "--monitor", "ImapCTPMonitor", "SampleLogs/02-mbx02-refusing-logons",
        ])
        #expect(r.status == 0, "\(r.stderr)")
        #expect(r.stdout.contains("IMAP42026111709-1.LOG:247</code></td><td><code>2026-11-17T09:55:00.809Z,"))
        #expect(r.stdout.components(separatedBy: "<figure class=\"chart\">").count == 6)
        // The whole sample set stays well under a megabyte.
        let all = try Binary.run(["--format", "html", "SampleLogs"])
        #expect(all.stdout.utf8.count < 1_000_000)
    }

    @Test func redactionHidesUsersInTheRowsAndTheKeyInTheCommandLine() throws {
        let r = try Binary.run([
            "--format", "html", "--redact-salt", "s3cret", "--monitor", "ImapCTPMonitor",
            "SampleLogs/02-mbx02-refusing-logons",
        ])
        #expect(r.status == 0, "\(r.stderr)")
        #expect(!r.stdout.contains("s3cret"))
        #expect(!r.stdout.lowercased().contains("healthmailbox"))
        #expect(r.stdout.contains("--redact-salt …"))
    }

    @Test func outputWritesTheReportToAFileInAnyFormat() throws {
        try FileSafetyTests.withFolder { folder in
            for format in ["text", "json", "csv", "html"] {
                let target = "\(folder)/report.\(format)"
                let r = try Binary.run(["--format", format, "--output", target, FileSafetyTests.logs])
                #expect(r.status == 0, "\(r.stderr)")
                #expect(r.stdout.isEmpty)
                let direct = try Binary.run(["--format", format, FileSafetyTests.logs])
                let written = FileSafetyTests.contents(target) ?? ""
                // The page's footer says the command line that made it, --output included.
                let cut = { (page: String) in page.components(separatedBy: "<footer>")[0] }
                #expect(format == "html" ? cut(written) == cut(direct.stdout) : written == direct.stdout)
            }
            #expect(try FileManager.default.contentsOfDirectory(atPath: folder).count == 4)
        }
    }

    @Test func outputRefusesALinkAndSaysAFailedWriteWith74() throws {
        try FileSafetyTests.withFolder { folder in
            let victim = "\(folder)/victim"
            try "precious".write(toFile: victim, atomically: false, encoding: .utf8)
            let link = "\(folder)/report.html"
            try FileManager.default.createSymbolicLink(atPath: link, withDestinationPath: victim)
            let r = try Binary.run(["--format", "html", "--output", link, FileSafetyTests.logs])
            #expect(r.status == 74)
            #expect(r.stderr.contains("report.html") && r.stderr.contains("link"), "\(r.stderr)")
            #expect(FileSafetyTests.contents(victim) == "precious")
        }
        if FileManager.default.fileExists(atPath: "/dev/full") {
            let full = try Binary.run(["--format", "html", "--output", "/dev/full", FileSafetyTests.logs])
            #expect(full.status == 74, "\(full.stderr)")
        }
        let both = try Binary.run(["--output", "x.html", "--save-summary", "x.summary", FileSafetyTests.logs])
        #expect(both.status == 64)
    }
}
