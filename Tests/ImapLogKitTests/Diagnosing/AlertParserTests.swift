import Foundation
import Testing

@testable import ImapLogDiagnosis
@testable import ImapLogKit
@testable import ImapLogReport

/// UTF-16 code units of `text` as bytes, little- or big-endian, with or without a byte-order mark.
private func utf16Bytes(_ text: String, littleEndian: Bool = true, bom: Bool) -> [UInt8] {
    var bytes: [UInt8] = bom ? (littleEndian ? [0xFF, 0xFE] : [0xFE, 0xFF]) : []
    for unit in text.utf16 {
        let low = UInt8(unit & 0xFF)
        let high = UInt8(unit >> 8)
        bytes += littleEndian ? [low, high] : [high, low]
    }
    return bytes
}

/// A probe run as `Invoke-MonitoringProbe … | Format-List` prints it: one block that succeeded, one that failed.
private let twoProbeBlocks = [
    "[PS] C:\\Windows\\system32>Invoke-MonitoringProbe IMAP.Protocol\\ImapDeepTestProbe -Server MBX05 | fl",
    "",
    "MachineName        : MBX05",
    "ResultName         : ImapDeepTestProbe/DB05",
    "ResultType         : Succeeded",
    "ExecutionStartTime : 3/2/2026 9:00:01 AM",
    "Error              :",
    "StateAttribute4    : MBX05.fabrikam.net",
    "",
    "MachineName        : MBX05",
    "ResultName         : ImapSelfTestProbe",
    "ResultType         : Failed",
    "ExecutionStartTime : 3/2/2026 9:01:44 AM",
    "Error              : IMAP Error: z NO [Error=MailboxOfflineException Proxy=MBX07.fabrikam.net:1993:SSL] LOGIN failed.",
    "StateAttribute4    : MBX07.fabrikam.net",
    "",
]

@Suite("Alert lines and encodings")
struct AlertLineTests {
    private let rows = [
        "Server   State          Name                 TargetResource   HealthSetName  AlertValue ServerComponent",
        "------   -----          ----                 --------------   -------------  ---------- ---------------",
        "EX07     NotApplicable   ImapCTPMonitor       MSExchangeImap4      IMAP            Unhealthy    None",
        "EX07     Online          ImapProxyTestMonitor MSExchangeImap4      IMAP.Proxy      Healthy    ImapProxy",
    ]

    @Test(arguments: ["\r\n", "\n", "\r"])
    func everyLineEndSplitsLines(end: String) {
        let alert = AlertParser.parse(rows.joined(separator: end) + end)
        #expect(alert.monitors == [.customerTouchPoint])
        #expect(alert.servers == ["EX07"])
    }

    @Test func aWindowsProbeFileKeepsItsServerTimeAndMailboxServer() {
        let alert = AlertParser.parse(twoProbeBlocks.joined(separator: "\r\n"))
        #expect(alert.monitors == [.selfTest])
        #expect(alert.servers == ["MBX05"])
        #expect(alert.mailboxServers == ["MBX07.fabrikam.net"])
        #expect(alert.time == Timestamp.parse("2026-03-02T09:01:44Z"))
    }

    @Test func utf16LittleEndianWithAByteOrderMarkAsOutFileWritesIt() {
        let bytes = utf16Bytes(rows.joined(separator: "\r\n"), bom: true)
        #expect(AlertParser.parse(bytes: bytes).monitors == [.customerTouchPoint])
    }

    @Test(arguments: [true, false])
    func utf16WithoutAByteOrderMark(littleEndian: Bool) {
        let bytes = utf16Bytes(rows.joined(separator: "\r\n"), littleEndian: littleEndian, bom: false)
        #expect(AlertParser.parse(bytes: bytes) == AlertParser.parse(rows.joined(separator: "\r\n")))
        #expect(AlertParser.parse(bytes: bytes).servers == ["EX07"])
    }

    @Test func utf8WithAndWithoutAByteOrderMark() {
        let text = "Überwachung: ImapCTPMonitor auf EX07"
        #expect(AlertParser.parse(bytes: [0xEF, 0xBB, 0xBF] + Array(text.utf8)) == AlertParser.parse(text))
        #expect(AlertParser.parse(bytes: Array(text.utf8)) == AlertParser.parse(text))
        #expect(AlertParser.parse(text).monitors == [.customerTouchPoint])
        #expect(AlertParser.parse(bytes: []) == Alert())
        #expect(AlertParser.parse(bytes: [0x41]) == Alert())
    }
}

@Suite("Alert status: what is failing")
struct AlertStatusTests {
    @Test func aRaggedPasteWithAPromptAWrappedHeaderAndCutNames() {
        let text = """
            [PS] C:\\Windows\\system32>Get-ServerHealth CAS09 | ?{$_.HealthSetName -like "IMAP*"}

            Server  State           Name                 TargetResource       HealthSetName   AlertValue ServerComp
                                                                                                         onent
            ------  -----           ----                 --------------       -------------   ---------- ----------
            CAS09     Online   ImapProxyTestMo...   MSExchangeImap4    IMAP.Proxy    Healthy    ImapProxy
            CAS09   NotApplicable      AverageCommandPro... MSExchangeImap4  IMAP   Unhealthy  None
            CAS09  NotApplicable ImapCTPMonitor  MSExchangeImap4   IMAP  Healthy   None
            """
        let alert = AlertParser.parse(text)
        #expect(alert.monitors == [.averageCommandProcessingTime])
        #expect(alert.servers == ["CAS09"])
        #expect(alert.healthSets == ["IMAP"])
        #expect(!alert.isAllHealthy)
    }

    @Test func rowsWithoutAHeaderStillNameTheirServer() {
        let unhealthy = AlertParser.parse(
            "EX01     NotApplicable   ImapCTPMonitor       MSExchangeImap4      IMAP            Unhealthy    None")
        #expect(unhealthy.monitors == [.customerTouchPoint] && unhealthy.servers == ["EX01"])
        // A row cut before its AlertValue says nothing of health: it names the monitor and server.
        let cut = AlertParser.parse("srv01      Offline    1     ImapProxyTestMonitor …")
        #expect(cut.monitors == [.proxyTest] && cut.servers == ["srv01"])
    }

    @Test func onlyTheFailedBlockOfAProbeRunCounts() {
        let alert = AlertParser.parse(twoProbeBlocks.joined(separator: "\n"))
        #expect(alert.monitors == [.selfTest])
        #expect(alert.mailboxServers == ["MBX07.fabrikam.net"])
        #expect(alert.errors.count == 1 && alert.errors.first?.contains("MailboxOfflineException") == true)
    }

    @Test func aFailedResultBelongsToItsOwnBlockNotTheLastNameInTheFile() {
        let text = """
            Name       : ImapProxyTestProbe
            ResultType : Succeeded

            ResultType : Failed
            Name       : ImapCTPProbe
            """
        #expect(AlertParser.parse(text).monitors == [.customerTouchPoint])
        let identity = "MonitorIdentity : IMAP\\ImapProxyTestMonitor\nAlertValue      : Degraded\n"
        #expect(AlertParser.parse(identity).monitors == [.proxyTest])
    }

    @Test func everythingHealthyMeansTheProblemHasCleared() {
        let text = """
            Server          State           Name                 TargetResource       HealthSetName   AlertValue ServerComponent
            ------          -----           ----                 --------------       -------------   ---------- ---------------
            EX02     NotApplicable   ImapCTPMonitor       MSExchangeImap4      IMAP            Healthy    None
            EX02     Online          ImapProxyTestMonitor MSExchangeImap4      IMAP.Proxy      Healthy    ImapProxy
            """
        let alert = AlertParser.parse(text)
        #expect(alert.monitors.isEmpty && alert.isAllHealthy)
        #expect(alert.servers == ["EX02"])
    }

    @Test func plainAlertTextNamesItsMonitor() {
        let text = """
            The IMAP health set is unhealthy on EX03.
            ImapCTPMonitor has failed 5 consecutive times.
            """
        let alert = AlertParser.parse(text)
        #expect(alert.monitors == [.customerTouchPoint])
        #expect(!alert.isAllHealthy)
        let colon = AlertParser.parse("ImapDeepTestMonitor failed on MBX01: 5 consecutive failures")
        #expect(colon.monitors == [.deepTest])
    }

    @Test func aHealthSetNamesItsMonitors() {
        let alert = AlertParser.parse("EX04   Online   IMAP.Protocol   Unhealthy   11/3/2026 7:12:00 AM   2")
        #expect(alert.monitors == [.deepTest, .selfTest])
        #expect(alert.healthSets == ["IMAP.Protocol"])
        #expect(alert.servers == ["EX04"])
        #expect(AlertParser.parse("Health set IMAP.Proxy raised an alert").monitors == [.proxyTest])
    }

    @Test func anActiveSyncAlertIsNotAnImapOne() {
        let text = """
            EX05   NotApplicable   ActiveSyncCTPMonitor   MSExchangeSyncAppPool   ActiveSync   Unhealthy   None
            EX05   NotApplicable   ImapCTPMonitor         MSExchangeImap4         IMAP         Healthy     None
            """
        let alert = AlertParser.parse(text)
        // IMAP's own monitor is healthy; what fails is ActiveSync's, which the command line refuses.
        #expect(alert.monitors.isEmpty && alert.isAllHealthy)
        #expect(alert.otherHealthSets == ["ActiveSync"] && alert.servers == ["EX05"])
        let prose = AlertParser.parse("Pop3CTPMonitor reported the POP3 service unreachable on EX05.")
        #expect(prose.monitors.isEmpty && !prose.isAllHealthy && prose.otherHealthSets == ["POP"])
        let pop = AlertParser.parse("EX05 NotApplicable Pop3CTPMonitor MSExchangePop3 POP.Protocol Unhealthy None")
        #expect(pop.monitors.isEmpty && pop.otherHealthSets == ["POP.Protocol"])
    }
}

@Suite("Alert servers and times")
struct AlertServerAndTimeTests {
    private let paris = TimeZone(identifier: "Europe/Paris") ?? .gmt

    @Test func testImapConnectivityNamesItsServerAndError() {
        let text = """
            ClientAccessServer : CAS11.contoso.local
            Scenario           : Test IMAP4 Connectivity
            Result             : Failure
            Error              : IMAP Error: aYKG NO LOGIN failed.
            """
        let alert = AlertParser.parse(text)
        #expect(alert.servers == ["CAS11.contoso.local"])
        #expect(alert.errors == ["IMAP Error: aYKG NO LOGIN failed."])
    }

    @Test func theMonitoringEventTextNamesBothServers() {
        let text = """
            The IMAP.Proxy health set raised an alert.
            Client Access Server Name: CAS12
            MbxServre: MBX12.contoso.local
            Target: CAS12.contoso.local|HQ
            """
        let alert = AlertParser.parse(text)
        #expect(alert.monitors == [.proxyTest])
        #expect(alert.servers == ["CAS12", "CAS12.contoso.local"])
        #expect(alert.mailboxServers == ["MBX12.contoso.local"])
    }

    @Test func onlyHostNamesBecomeServers() {
        let text = """
            Server          : x;Stop-Computer -Force;#
            ClientAccessServer : localhost
            MachineName     : C:\\Windows\\system32
            StateAttribute4 : -bad-.contoso.com
            Error           : _Mbx:127.0.0.1 Proxy=MBX13.contoso.com:1993:SSL
            ResultType      : Failed
            Name            : ImapCTPProbe
            """
        let alert = AlertParser.parse(text)
        #expect(alert.servers.isEmpty)
        #expect(alert.mailboxServers == ["MBX13.contoso.com"])
        #expect(AlertParser.isHostName("10.0.0.7") && AlertParser.isHostName("mbx-01.contoso.com"))
        #expect(!AlertParser.isHostName(String(repeating: "a", count: 64) + ".com"))
        #expect(!AlertParser.isHostName("ex01.") && !AlertParser.isHostName("ex_01"))
    }

    @Test func localTimesAreReadInTheServersZone() {
        // Paris is UTC+1 in winter and UTC+2 in summer.
        let winter = AlertParser.parse("ExecutionStartTime : 27/11/2026 10:30:12\nResultType : Failed", timeZone: paris)
        #expect(winter.time == Timestamp.parse("2026-11-27T09:30:12Z"))
        #expect(winter.timeText == "27/11/2026 10:30:12" && winter.timeIsLocal)
        let summer = AlertParser.parse("ExecutionStartTime : 7/17/2026 10:05:32 AM", timeZone: paris)
        #expect(summer.time == Timestamp.parse("2026-07-17T08:05:32Z"))
        let iso = AlertParser.parse("TimeRaised : 2026-07-17 10:05:32", timeZone: paris)
        #expect(iso.time == Timestamp.parse("2026-07-17T08:05:32Z") && iso.timeIsLocal)
        // Without a zone, local times are read as UTC.
        #expect(AlertParser.parse("Time : 17/11/2026 10:05:32").time == Timestamp.parse("2026-11-17T10:05:32Z"))
    }

    @Test func timesWithAnOffsetAreUsedAsGiven() {
        let zulu = AlertParser.parse("raised 2026-11-17T10:05:32.250Z on EX01", timeZone: paris)
        #expect(zulu.time == Timestamp.parse("2026-11-17T10:05:32.250Z") && !zulu.timeIsLocal)
        #expect(zulu.timeText == "2026-11-17T10:05:32.250Z")
        let offset = AlertParser.parse("TimeRaised : 2026-11-17T10:05:32+01:00", timeZone: .gmt)
        #expect(offset.time == Timestamp.parse("2026-11-17T09:05:32Z") && !offset.timeIsLocal)
    }

    @Test func hostileInputNeitherCrashesNorNamesServers() {
        let long = String(repeating: "ImapCTPMonitor x;Stop-Computer ", count: 170_000)
        let huge = AlertParser.parse(long)
        #expect(huge.isTruncated && huge.servers.isEmpty)
        for text in [
            "ExecutionStartTime : 11/17/99999999999 10:05:32 AM", "Time : 99999999999-11-17T10:05:32Z",
            "Time : 2026-11-17T10:05:99999999999999999999Z", "Time : 2026-11-17T10:05:32+99999999999:00",
            "Time : 17/11/2026 99999999999999999999:05:32",
        ] {
            #expect(AlertParser.parse(text).time == nil, "\(text)")
        }
        let bytes = Array(repeating: UInt8(ascii: "9"), count: 5 << 20)
        #expect(AlertParser.parse(bytes: bytes).isTruncated)
    }
}

@Suite("Alerts as the first version read them")
struct AlertTests {
    @Test func getServerHealthTableGivesTheUnhealthyMonitorAndItsServer() {
        let text = """
            Server          State           Name                 TargetResource       HealthSetName   AlertValue ServerComponent
            ------          -----           ----                 --------------       -------------   ---------- ---------------
            CAS01     NotApplicable   ImapCTPMonitor       MSExchangeImap4      IMAP            Unhealthy  None
            CAS01     Online          ImapProxyTestMonitor MSExchangeImap4      IMAP.Proxy      Healthy    ImapProxy
            """
        let alert = AlertParser.parse(text)
        #expect(alert.monitors == [.customerTouchPoint])
        #expect(alert.servers == ["CAS01"])
    }

    @Test func probeResultsNameTheMailboxServerAndTheTime() {
        let text = """
            PS C:\\> Invoke-MonitoringProbe IMAP\\ImapCTPProbe -Server CAS02.contoso.com | Format-List
            ResultType          : Failed
            ExecutionStartTime  : 11/17/2026 10:05:32 AM
            Error               : IMAP Error: z NO LOGIN failed. [Error=MailboxOfflineException Proxy=MBX02.contoso.com:1993:SSL]
            StateAttribute4     : MBX02.contoso.com
            """
        let alert = AlertParser.parse(text)
        #expect(alert.monitors == [.customerTouchPoint])
        #expect(alert.servers == ["CAS02.contoso.com"])
        #expect(alert.mailboxServers == ["MBX02.contoso.com"])
        #expect(alert.time == Timestamp.parse("2026-11-17T10:05:32Z"))
        #expect(alert.errors.first?.contains("NO LOGIN failed") == true)
    }

    @Test func plainAlertTextAndUTF16Files() {
        let text =
            "IMAP health set unhealthy. ImapCTPMonitor failed on CAS01: _Mbx:MBX03.contoso.com (2026-11-18T13:58:00Z)"
        var bytes: [UInt8] = [0xFF, 0xFE]
        for unit in text.utf16 { bytes += [UInt8(unit & 0xFF), UInt8(unit >> 8)] }
        let alert = AlertParser.parse(bytes: bytes)
        #expect(alert.monitors == [.customerTouchPoint])
        #expect(alert.mailboxServers == ["MBX03.contoso.com"])
        #expect(alert.time == Timestamp.parse("2026-11-18T13:58:00Z"))
        #expect(AlertParser.parseTime("17/11/2026 10:05:32") == Timestamp.parse("2026-11-17T10:05:32Z"))
    }
}

@Suite("Monitors by name or health set")
struct MonitorLookupTests {
    @Test func monitorsByMonitorProbeOrHealthSetPathInAnyCase() {
        #expect(Monitor.named("ImapCTPMonitor") == .customerTouchPoint)
        #expect(Monitor.named("imapctpprobe") == .customerTouchPoint)
        #expect(Monitor.named("IMAP\\ImapCTPProbe") == .customerTouchPoint)
        #expect(Monitor.named("IMAP.Protocol\\ImapDeepTestProbe") == .deepTest)
        #expect(Monitor.named("ImapTestDeepMonitor") == .deepTest)  // the runbook's misspelling
        #expect(Monitor.named("RequestsQueuedGt500Monitor") == .requestsQueued)
        #expect(Monitor.named("ImapWhatever") == nil)
    }

    @Test func healthSetsNameTheirMonitors() {
        #expect(Monitor.named(healthSetOrMonitor: "imap.protocol") == [.deepTest, .selfTest])
        #expect(Monitor.named(healthSetOrMonitor: "IMAP.Proxy") == [.proxyTest])
        #expect(Monitor.named(healthSetOrMonitor: "IMAP") == [.customerTouchPoint, .averageCommandProcessingTime])
        #expect(Monitor.named(healthSetOrMonitor: "ImapSelfTestProbe") == [.selfTest])
        #expect(Monitor.named(healthSetOrMonitor: "POP.Protocol").isEmpty)
        #expect(Monitor.named(healthSetOrMonitor: "Pop3CTPMonitor").isEmpty)
    }

    @Test func aCutNameMeansTheOneMonitorItBegins() {
        #expect(Monitor.named(truncated: "AverageCommandPro...") == .averageCommandProcessingTime)
        #expect(Monitor.named(truncated: "ImapProxyTestMo…") == .proxyTest)
        #expect(Monitor.named(truncated: "Imap...") == nil)  // several monitors begin so
    }
}

/// Alerts as monitoring systems mail them: `Key: value` lines, found in the third held-out trial.
@Suite("Alerts mailed by monitoring systems")
struct MailedAlertTests {
    @Test func aMonitorLineNamesTheMonitorBeforeItsHealthSet() {
        let alert = AlertParser.parse(
            """
            Subject: [Exchange] IMAP health set unhealthy on EX03
            Date: 02/12/2026 08:05:33

            Health set : IMAP
            Monitor    : RequestsQueuedGt500Monitor
            Server     : EX03
            State      : Unhealthy
            Description: The number of queued requests is above 500 for 2 consecutive samples.
            """)
        #expect(alert.monitors == [.requestsQueued])
        #expect(alert.servers == ["EX03"])
    }

    @Test func aScomAlertsSourceMonitorAndDescription() {
        let alert = AlertParser.parse(
            """
            Alert: IMAP.Protocol health set unhealthy
            Source: MBX01.contoso.local
            Monitor: ImapSelfTestMonitor
            Raised: 11/17/2026 4:35:10 PM
            Resolution state: New
            Description: IMAP.Protocol health set unhealthy (ImapSelfTestMonitor/MSExchangeImap4BE) - no answer.
            """)
        #expect(alert.monitors == [.selfTest])
        #expect(alert.servers == ["MBX01.contoso.local"])
        #expect(alert.time != nil)
    }

    @Test func anEventsSourceIsItsProviderNotAServer() {
        let alert = AlertParser.parse(
            """
            Nom du journal :Microsoft-Exchange-ManagedAvailability/Monitoring
            Source :       Microsoft-Exchange-ManagedAvailability
            Ordinateur :   CAS01.contoso.local
            Description :
            IMAP health set unhealthy (ImapCTPMonitor/MSExchangeImap4) - IMAP4 logons are failing.
            """)
        #expect(alert.servers == ["CAS01.contoso.local"])
        #expect(alert.monitors == [.customerTouchPoint])
    }
}
