import Foundation
import Testing

@testable import ImapLogDiagnosis
@testable import ImapLogKit

/// Alert files made to break the reader: overflowing times, floods of servers and errors, endless lines and
/// files, encodings cut anywhere.
@Suite("Hostile alerts")
struct HostileAlertTests {
    /// A Format-List block of a failing monitor whose time is `time`.
    private func block(time: String) -> String {
        """
        Server                 : CAS01
        Name                   : ImapCTPMonitor
        AlertValue             : Unhealthy
        FirstAlertObservedTime : \(time)
        StateAttribute4        : MBX02.contoso.com
        """
    }

    @Test(arguments: [
        "11/17/99999999999 10:05:32 AM", "99999999999-11-17T10:05:32Z", "2026-11-17T10:05:99999999999999999999Z",
        "2026-11-17T10:05:32+99999999999:00", "17/11/2026 99999999999999999999:05:32",
        "2026-11-17T10:05:32.99999999999999999999Z", "9223372036854775808-01-01T00:00:00Z",
        "2026-13-17T10:05:32Z", "2026-11-17T24:05:32Z", "2026-11-17T10:05:61Z", "2026-11-17T10:05:32+15:00",
        "0000-11-17T10:05:32Z", "11/17/2026 13:05:32 PM",
    ])
    func anUnreadableTimeIsSaidAndLeftOutAndTheRestIsUsed(time: String) {
        let alert = AlertParser.parse(block(time: time))
        #expect(alert.time == nil && alert.timeText == nil)
        #expect(alert.unreadableTime == time)
        #expect(alert.monitors == [.customerTouchPoint])
        #expect(alert.servers == ["CAS01"] && alert.mailboxServers == ["MBX02.contoso.com"])
    }

    @Test func aTimeThatCanBeReadIsUsedAndAnUnreadableOneThenNotSaid() {
        let alert = AlertParser.parse(
            block(time: "2026-11-17T10:05:99Z") + "\nLastExecutionTime : 2026-11-17T10:06:00Z")
        #expect(alert.time == Timestamp.parse("2026-11-17T10:06:00Z") && alert.unreadableTime == nil)
    }

    @Test func anUnreadableTimeIsCutWhenShown() throws {
        let time = "2026-11-17T10:05:" + String(repeating: "9", count: 3000) + "Z"
        let shown = try #require(AlertParser.parse(block(time: time)).unreadableTime)
        #expect(shown.hasPrefix("2026-11-17T10:05:999") && shown.hasSuffix("…"))
        #expect(shown.count == AlertParser.maximumTimeTextLength + 1)
    }

    @Test func textLikeNumbersWithDotsIsNoTime() {
        // Versions and addresses are not dates that cannot be read: nothing is said of them.
        for text in ["Version 15.1.2507.39 10:05", "client 192.168.10.5 10:05:32", "build 2026.11.1234567 10:00"] {
            let alert = AlertParser.parse(text)
            #expect(alert.time == nil && alert.unreadableTime == nil, "\(text)")
        }
    }

    @Test func zonesOutOfRangeAreNone() {
        for text in ["+99999999999", "UTC+15", "-1a", "+-12", "UTC+", "+12:60", String(repeating: "+1", count: 100)] {
            #expect(AlertParser.timeZone(named: text) == nil, "\(text)")
        }
        #expect(AlertParser.timeZone(named: "UTC+14")?.secondsFromGMT() == 14 * 3600)
        #expect(AlertParser.timeZone(named: "-05:30")?.secondsFromGMT() == -(5 * 3600 + 1800))
    }

    @Test func oneBlockCannotHoldMoreServersOrErrorsThanAreKept() {
        var lines = ["Name : ImapCTPMonitor", "AlertValue : Unhealthy"]
        for n in 0..<5_000 {
            lines += ["Server : EX\(n)", "StateAttribute4 : MBX\(n)", "Error : IMAP Error: z NO LOGIN failed \(n)."]
        }
        let alert = AlertParser.parse(lines.joined(separator: "\n"))
        #expect(alert.servers.count == AlertParser.maximumServers)
        #expect(alert.mailboxServers.count == AlertParser.maximumServers)
        #expect(alert.errors.count == AlertParser.maximumErrors)
        #expect(alert.servers.first == "EX0" && alert.errors.last?.hasSuffix("failed 9.") == true)
    }

    @Test func rowsByTheThousandAreFoldedAsRead() {
        // Each row is a unit; what they say is gathered as they end (the first servers, every monitor).
        var lines = ["Server State Name TargetResource HealthSetName AlertValue ServerComponent"]
        for n in 0..<20_000 { lines.append("EX\(n) NotApplicable ImapCTPMonitor MSExchangeImap4 IMAP Healthy None") }
        lines.append("EX7 NotApplicable ImapDeepTestMonitor MSExchangeImap4 IMAP.Protocol Unhealthy None")
        let alert = AlertParser.parse(lines.joined(separator: "\n"))
        #expect(alert.monitors == [.deepTest] && alert.servers == ["EX7"] && !alert.isAllHealthy)
    }

    @Test func aFileLongerThanTheLimitIsCutThere() {
        var bytes = Array("Name : ImapCTPMonitor\nAlertValue : Unhealthy\n\n".utf8)
        // Blank lines of 4,000 spaces: few lines, quickly read.
        let blank = [UInt8](repeating: UInt8(ascii: " "), count: 3_999) + [UInt8(ascii: "\n")]
        while bytes.count + blank.count <= AlertParser.maximumBytes { bytes += blank }
        bytes += [UInt8](repeating: UInt8(ascii: "\n"), count: AlertParser.maximumBytes - bytes.count)
        let atTheLimit = AlertParser.parse(bytes: bytes + Array("Server : EX01\n".utf8))
        #expect(atTheLimit.isTruncated && atTheLimit.monitors == [.customerTouchPoint] && atTheLimit.servers.isEmpty)
        let within = AlertParser.parse(bytes: bytes.dropLast(20) + Array("Server : EX01\n".utf8))
        #expect(!within.isTruncated && within.servers == ["EX01"])
    }

    @Test func aLineLongerThanTheLimitIsCut() {
        let name = "Name : ImapCTPMonitor" + String(repeating: " ", count: AlertParser.maximumLineLength)
        let cut = AlertParser.parse(name + "Server : EX01\nAlertValue : Unhealthy")
        #expect(cut.isTruncated && cut.monitors == [.customerTouchPoint])
        let whole = AlertParser.parse(String(repeating: "é", count: AlertParser.maximumLineLength))
        #expect(!whole.isTruncated)
        #expect(AlertParser.parse(String(repeating: "é", count: AlertParser.maximumLineLength + 1)).isTruncated)
    }

    /// The same alert whatever the size of the reads: encodings, line ends and characters cut anywhere.
    @Test(arguments: [1, 2, 3, 5, 4095, 4097])
    func readsOfAnySizeReadTheSame(size: Int) {
        let text = [
            "[PS] C:\\>Invoke-MonitoringProbe IMAP\\ImapCTPProbe -Server CAS02.contoso.com | fl", "",
            "ResultType : Failed", "ExecutionStartTime : 17/11/2026 10:05:32",
            "Error : IMAP Error: z NO [Error=MailboxOfflineException Proxy=MBX02.contoso.com:1993:SSL] Überprüfung 😀",
        ].joined(separator: "\r\n")
        let encodings: [[UInt8]] = [
            Array(text.utf8), [0xEF, 0xBB, 0xBF] + Array(text.utf8),
            [0xFF, 0xFE] + text.utf16.flatMap { [UInt8($0 & 0xFF), UInt8($0 >> 8)] },
            text.utf16.flatMap { [UInt8($0 >> 8), UInt8($0 & 0xFF)] },
        ]
        let expected = AlertParser.parse(text)
        #expect(expected.monitors == [.customerTouchPoint] && expected.mailboxServers == ["MBX02.contoso.com"])
        #expect(expected.time == Timestamp.parse("2026-11-17T10:05:32Z"))
        for bytes in encodings {
            var reader = AlertReader()
            var start = 0
            while start < bytes.count {
                reader.read(Array(bytes[start..<min(start + size, bytes.count)]))
                start += size
            }
            #expect(reader.finish() == expected)
        }
    }
}
