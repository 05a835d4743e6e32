/// Small hand-shaped logs for the edge cases in domain.md.
///
/// A BOM, LF-only ends, a cut last line, a header in mid-stream, a pasted excerpt without header, doubled
/// quotes, missing trailing fields, blank lines, and a 2007/2010 log. Each is described, with the counts it
/// must give, in SampleLogs/README.md.
package enum EdgeCases {
    /// Folder under SampleLogs/.
    package static let folder = "06-edge-cases"

    static let fields = LogFormatting.fields

    /// (relative path, bytes) of every edge-case file.
    package static func files() -> [(String, [UInt8])] {
        let header = LogFormatting.header(role: "IMAP4", date: 1_795_158_000_000)
        let rows = [
            "2026-11-21T07:00:01.100Z,0000000000000A01,0,10.0.1.11:993,10.20.3.4:50001,,3,0,53,OpenSession,,",
            "2026-11-21T07:00:01.200Z,0000000000000A01,1,10.0.1.11:993,10.20.3.4:50001,,1,15,143,capability,,R=ok",
            "2026-11-21T07:00:01.450Z,0000000000000A01,2,10.0.1.11:993,10.20.3.4:50001,alice.martin@contoso.com,"
                + "210,41,30,login,alice.martin@contoso.com *****,R=ok;Msg=Proxy:MBX01.contoso.com:1993:SSL",
            "2026-11-21T07:00:31.450Z,0000000000000A01,3,10.0.1.11:993,10.20.3.4:50001,alice.martin@contoso.com,"
                + "30000,120,4800,proxy,MBX01.contoso.com:1993:SSL,",
            "2026-11-21T07:00:40.000Z,0000000000000A01,4,10.0.1.11:993,10.20.3.4:50001,alice.martin@contoso.com,"
                + "0,0,0,CloseSession,,",
        ]
        // BOM and LF-only line ends, as after a re-save in an editor and a copy through Unix tools.
        let bomLF =
            [0xEF, 0xBB, 0xBF]
            + Array(
                (header.replacingOccurrences(of: "\r\n", with: "\n")
                    + rows.joined(separator: "\n") + "\n").utf8)
        // A last line cut mid-write (the service was still writing it).
        let truncated = Array(
            (header + rows.map { $0 + "\r\n" }.joined()
                + "2026-11-21T08:00:05.000Z,0000000000000B07,2,10.0.1.11:993,10.20.9.9:50011,bob.bernard@con").utf8)
        // Two files concatenated (`cat a.LOG b.LOG`): the header block again in mid-stream.
        let secondDay = rows.map {
            $0.replacingOccurrences(of: "2026-11-21T07", with: "2026-11-21T09")
                .replacingOccurrences(of: "0000000000000A01", with: "0000000000000C02")
        }
        let concatenated = Array(
            (header + rows.map { $0 + "\r\n" }.joined() + header
                + secondDay.map { $0 + "\r\n" }.joined()).utf8)
        // A pasted excerpt: no header, blank lines, a row with doubled quotes and a Msg with a comma,
        // a row with only 11 fields, and a line that is not a log row at all.
        let pasted = Array(
            ([
                "",
                "2026-11-21T10:15:02.010Z,0000000000000D10,2,10.0.1.12:993,10.20.7.7:51000,carol.dubois@contoso.com,88,41,23,"
                    + "login,carol.dubois@contoso.com *****,\"R=\"\"aXSV NO LOGIN failed.\"\";"
                    + "Msg=\"\"AuthFailed:LogonDenied,User: carol.dubois@contoso.com\"\"\"",
                "2026-11-21T10:15:03.000Z,0000000000000D10,3,10.0.1.12:993,10.20.7.7:51000,carol.dubois@contoso.com,0,0,0,"
                    + "CloseSession,",
                "   ",
                "PS C:\\> Get-ImapSettings | fl LogFileLocation",
                "2026-11-21T10:16:00.500Z,0000000000000D11,2,10.0.1.12:993,127.0.0.1:40001,HealthMailbox3f9a1c7d2be0c14a2b93"
                    + "@contoso.com,1500,20,60,login,HealthMailbox3f9a1c7d2be0c14a2b93@contoso.com *****,\"R=\"\"z NO LOGIN failed. "
                    + "[Error=ConnectionFailedTransient Proxy=MBX02.contoso.com:1993:SSL]\"\";Msg=Proxy:MBX02.contoso.com:1993:SSL\"",
            ].joined(separator: "\r\n") + "\r\n").utf8)
        // Exchange 2010's event format: commands from `<` lines, responses from `>` lines.
        let legacy = Array(
            ([
                "#Software: Microsoft Exchange Server",
                "#Version: 14.3.123.4",
                "#Log-type: IMAP4 Log",
                "#Date: 2026-11-21T11:00:00.000Z",
                "#Fields: date-time,connector-id,session-id,sequence-number,local-endpoint,remote-endpoint,event,data,context",
                "2026-11-21T11:00:00.100Z,,08CF3A1B2C3D4E5F,0,10.0.3.31:993,10.20.1.1:52000,+,,",
                "2026-11-21T11:00:00.150Z,,08CF3A1B2C3D4E5F,1,10.0.3.31:993,10.20.1.1:52000,>,* OK The Microsoft Exchange IMAP4 service is ready.,",
                "2026-11-21T11:00:00.300Z,,08CF3A1B2C3D4E5F,2,10.0.3.31:993,10.20.1.1:52000,<,a1 LOGIN dave.thomas *****,",
                "2026-11-21T11:00:00.420Z,,08CF3A1B2C3D4E5F,3,10.0.3.31:993,10.20.1.1:52000,>,a1 OK LOGIN completed.,",
                "2026-11-21T11:00:00.500Z,,08CF3A1B2C3D4E5F,4,10.0.3.31:993,10.20.1.1:52000,<,a2 SELECT INBOX,",
                "2026-11-21T11:00:00.530Z,,08CF3A1B2C3D4E5F,5,10.0.3.31:993,10.20.1.1:52000,>,* 120 EXISTS,",
                "2026-11-21T11:00:00.560Z,,08CF3A1B2C3D4E5F,6,10.0.3.31:993,10.20.1.1:52000,>,a2 OK [READ-WRITE] SELECT completed.,",
                "2026-11-21T11:00:01.000Z,,08CF3A1B2C3D4E5F,7,10.0.3.31:993,10.20.1.1:52000,<,a3 UID FETCH 1:* (FLAGS),",
                "2026-11-21T11:00:01.900Z,,08CF3A1B2C3D4E5F,8,10.0.3.31:993,10.20.1.1:52000,>,a3 OK FETCH completed.,",
                "2026-11-21T11:00:02.000Z,,08CF3A1B2C3D4E5F,9,10.0.3.31:993,10.20.1.1:52000,<,a4 EXAMINE \"No Such Folder\",",
                "2026-11-21T11:00:02.040Z,,08CF3A1B2C3D4E5F,10,10.0.3.31:993,10.20.1.1:52000,>,a4 NO EXAMINE failed.,",
                "2026-11-21T11:00:02.100Z,,08CF3A1B2C3D4E5F,11,10.0.3.31:993,10.20.1.1:52000,-,,",
            ].joined(separator: "\r\n") + "\r\n").utf8)
        return [
            ("CAS01/IMAP42026112107-1.LOG", bomLF),
            ("CAS01/IMAP42026112108-1.LOG", truncated),
            ("CAS01/IMAP42026112109-1.LOG", concatenated),
            ("CAS02/IMAP42026112110-1.LOG", pasted),
            ("EX2010/IMAP420261121-1.LOG", legacy),
        ]
    }

    /// Writes the edge-case files under `root/06-edge-cases`.
    @discardableResult
    package static func write(to root: String) throws -> [String] {
        try files().map { path, bytes in
            try SampleWriter.writeBytes(bytes, to: "\(root)/\(folder)/\(path)")
            return "\(folder)/\(path)"
        }
    }
}
