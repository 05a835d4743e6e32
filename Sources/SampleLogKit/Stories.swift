/// The stories that show a fault somewhere else than in a back end that refuses or crawls: a front end's own
/// fault, back-end logs alone, no probe traffic, a broken monitoring account, POP3 beside IMAP, a failover
/// that has already recovered, and multi-role Exchange 2016 servers behind SNAT. Each is described in
/// SampleLogs/README.md.
extension Story {
    static let moreSamples: [Story] = [
        {
            var story = Story(
                folder: "08-cas01-certificate", title: "CAS01 cannot authenticate to any back end",
                year: 2026, month: 11, day: 23, startMinute: 10 * 60 + 40, minutes: 40, users: 24, seed: 8,
                incidentStart: 11)
            story.proxyNotAuthenticatedFrontEnd = 0
            story.alert = AlertFile(lines: Alerts.cas01Unhealthy, utf16: true)
            return story
        }(),
        {
            var story = Story(
                folder: "09-only-backend-logs", title: "MBX02's store fails; only the mailbox servers' logs",
                year: 2026, month: 11, day: 24, startMinute: 15 * 60 + 40, minutes: 40, users: 24, seed: 9,
                refusingBackEnd: 1, incidentStart: 10, packaging: .backEndsOnly)
            story.storeFault = .storeUnreachable
            story.alert = AlertFile(lines: Alerts.ctpProbeFailedOnCAS02, utf16: false)
            return story
        }(),
        {
            var story = Story(
                folder: "10-no-probe-traffic", title: "MBX01 refuses users' logons; no probe traffic in the logs",
                year: 2026, month: 11, day: 25, startMinute: 8 * 60, minutes: 40, users: 24, seed: 10,
                refusingBackEnd: 0, incidentStart: 14)
            story.probesRun = false
            story.clientRetries = 2
            return story
        }(),
        {
            var story = Story(
                folder: "11-broken-monitoring-account", title: "The health mailboxes' password is broken",
                year: 2026, month: 11, day: 26, startMinute: 12 * 60, minutes: 40, users: 24, seed: 11)
            story.healthMailboxDenied = true
            return story
        }(),
        {
            var story = Story(
                folder: "12-pop3-beside-imap", title: "POP3 logs beside quiet IMAP logs",
                year: 2026, month: 11, day: 27, startMinute: 7 * 60 + 20, minutes: 40, users: 16, seed: 12)
            story.pop3 = Pop3(users: 8, failingBackEnd: 2, failingMinutes: 15...26, wrongPasswordTries: 8)
            return story
        }(),
        {
            var story = Story(
                folder: "13-failover-blip", title: "MBX03's databases fail over for three minutes, then all is well",
                year: 2026, month: 11, day: 28, startMinute: 14 * 60, minutes: 40, users: 24, seed: 13,
                refusingBackEnd: 2, incidentStart: 2)
            story.storeFault = .failover
            story.incidentMinutes = 3
            story.clientRetries = 2
            story.alert = AlertFile(lines: Alerts.mbx03Healthy, utf16: false)
            return story
        }(),
        {
            var story = Story(
                folder: "14-multirole-2016", title: "Two multi-role Exchange 2016 servers behind SNAT; EX02 is slow",
                year: 2026, month: 11, day: 29, startMinute: 9 * 60, minutes: 40, users: 20, seed: 14,
                slowBackEnd: 1, incidentStart: 10)
            story.incidentMinutes = 20
            story.slowCommandMillis = 70_000...200_000
            story.topology = .contosoMultiRole
            story.puid = true
            story.clientAddress = "10.0.0.5"
            return story
        }(),
    ]
}

/// What admins saved from their consoles, for the stories' `alert.txt`.
enum Alerts {
    static let getServerHealthHeader = [
        "Server          State           Name                 TargetResource       HealthSetName   AlertValue ServerComp",
        "                                                                                                     onent",
        "------          -----           ----                 --------------       -------------   ---------- ----------",
    ]

    /// `Get-ServerHealth CAS01 | ?{…}` saved by Windows PowerShell 5's Out-File: ImapCTPMonitor Unhealthy.
    static let cas01Unhealthy =
        [
            #"[PS] C:\Windows\system32>Get-ServerHealth CAS01 | ?{$_.HealthSetName -like "IMAP*"} | Out-File C:\temp\alert.txt"#,
            "",
        ] + getServerHealthHeader + [
            "CAS01     NotApplicable   ImapCTPMonitor       MSExchangeImap4      IMAP            Unhealthy  None",
            "CAS01     Online          ImapProxyTestMonitor MSExchangeImap4      IMAP.Proxy      Healthy    ImapProxy",
            "CAS01     NotApplicable   AverageCommandPro... MSExchangeImap4      IMAP            Healthy    None",
            "CAS01     NotApplicable   ImapProxyTestMoni... MSExchangeImap4      IMAP.Proxy      Healthy    None",
            "",
            "",
        ]

    /// `Get-ServerHealth MBX03 | ?{…}` pasted after the failover: every IMAP monitor Healthy again.
    static let mbx03Healthy =
        [#"[PS] C:\Windows\system32>Get-ServerHealth MBX03 | ?{$_.HealthSetName -like "IMAP*"}"#, ""]
        + getServerHealthHeader + [
            "MBX03     NotApplicable   ImapDeepTestMonitor  MSExchangeImap4BE    IMAP.Protocol   Healthy    None",
            "MBX03     NotApplicable   ImapSelfTestMonitor  MSExchangeImap4BE    IMAP.Protocol   Healthy    None",
            "MBX03     NotApplicable   AverageCommandPro... MSExchangeImap4BE    IMAP            Healthy    None",
            "MBX03     NotApplicable   ImapDeepTestMonit... MSExchangeImap4BE    IMAP.Protocol   Healthy    None",
        ]

    /// `Invoke-MonitoringProbe IMAP\ImapCTPProbe -Server CAS02 | Format-List` saved as UTF-8.
    ///
    /// DB01's run succeeds, DB03's fails on MBX02. Times are CAS02's local time (UTC-5), en-US.
    static let ctpProbeFailedOnCAS02 =
        [
            #"[PS] C:\Windows\system32>Invoke-MonitoringProbe IMAP\ImapCTPProbe -Server CAS02 | Format-List"#,
            "",
            "",
        ]
        + probeResult(
            database: "DB01", mailboxServer: "MBX01.contoso.com", health: "HealthMailbox3f9a1c7d2be0c14a2b93",
            start: "11/24/2026 11:05:29 AM", end: "11/24/2026 11:05:29 AM", failed: false)
        + probeResult(
            database: "DB03", mailboxServer: "MBX02.contoso.com", health: "HealthMailboxb27c95e14fe0c14a2b93",
            start: "11/24/2026 11:05:32 AM", end: "11/24/2026 11:05:33 AM", failed: true)

    private static func probeResult(
        database: String, mailboxServer: String, health: String, start: String, end: String, failed: Bool
    ) -> [String] {
        let error =
            failed
            ? "IMAP Error: z NO [Error=ConnectionFailedTransientException Proxy=\(mailboxServer):1993:SSL] LOGIN "
                + "failed."
            : ""
        return [
            "MachineName         : CAS02",
            "ServiceName         : IMAP",
            "ResultName          : ImapCTPProbe\\\(database)",
            "ResultType          : \(failed ? "Failed" : "Succeeded")",
            "ExecutionStartTime  : \(start)",
            "ExecutionEndTime    : \(end)",
            "Error               : \(error)",
            "Exception           : "
                + (failed ? "Microsoft.Exchange.Monitoring.ActiveMonitoring.ImapProbeException: LOGIN failed." : ""),
            "ExecutionContext    : Connected to 127.0.0.1:993. CAPABILITY ok. LOGIN \(health)@contoso.com"
                + (failed ? " failed." : " ok. SELECT INBOX ok. LOGOUT ok."),
            "FailureContext      : " + (failed ? "Proxy=\(mailboxServer):1993:SSL" : ""),
            "SampleValue         : \(failed ? 1042 : 187)",
            "StateAttribute1     : CAS02",
            "StateAttribute2     : \(database)",
            "StateAttribute3     : \(health)@contoso.com",
            "StateAttribute4     : \(mailboxServer)",
            "StateAttribute5     : 993",
            "",
        ]
    }
}
