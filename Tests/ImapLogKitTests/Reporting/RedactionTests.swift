import Foundation
import Testing

@testable import ImapLogDiagnosis
@testable import ImapLogKit
@testable import ImapLogReport

@Suite("Redaction")
struct RedactionTests {
    private func hex(_ bytes: [UInt8]) -> String {
        bytes.map { ($0 < 16 ? "0" : "") + String($0, radix: 16) }.joined()
    }

    @Test func sha256AndHmacMatchTheStandardVectors() {
        #expect(hex(SHA256.hash([])) == "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855")
        #expect(
            hex(SHA256.hash(Array("abc".utf8))) == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
        // Two blocks: 56 bytes of message force the length into a second block.
        #expect(
            hex(SHA256.hash(Array("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq".utf8)))
                == "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1")
        // RFC 4231, test cases 2 and 6 (a key longer than a block).
        #expect(
            hex(SHA256.hmac(key: Array("Jefe".utf8), message: Array("what do ya want for nothing?".utf8)))
                == "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843")
        #expect(
            hex(
                SHA256.hmac(
                    key: [UInt8](repeating: 0xAA, count: 131),
                    message: Array("Test Using Larger Than Block-Size Key - Hash Key First".utf8)))
                == "60e431591ee0b67f0d8a26aacbf5b77f8e0bc6213728c5140546040f0ee37f54")
    }

    private func summary() -> Summary {
        TestSupport.analyse(
            TestSupport.header + """
                2026-11-17T09:00:00.000Z,0000000000000001,0,10.0.1.11:993,10.20.30.40:50000,,1,0,53,OpenSession,,\r
                2026-11-17T09:00:01.000Z,0000000000000001,1,10.0.1.11:993,10.20.30.40:50000,zoe.martin@contoso.com,5,41,30,login,zoe.martin@contoso.com *****,"R=""a1 NO LOGIN failed."";Msg=Proxy:MBX02.contoso.com:1993:SSL"\r

                """, role: .frontEnd)
    }

    /// Found by the fuzzer: a user named like the report's times made redaction turn those times into
    /// pseudonyms, which the report (keeping its times as numbers) could not read back.
    @Test func aUserNamedLikeATimeLeavesTheTimesAlone() throws {
        let named = TestSupport.analyse(
            TestSupport.header + """
                2026-11-17T09:00:00.000Z,0000000000000001,0,10.0.1.11:993,10.20.30.40:50000,,1,0,53,OpenSession,,\r
                2026-11-17T09:00:01.000Z,0000000000000001,1,10.0.1.11:993,10.20.30.40:50000,2026-11-17T09:00:00.000Z,5,41,30,login,x *****,"R=""a1 NO LOGIN failed."";Msg=Proxy:MBX02.contoso.com:1993:SSL"\r
                2026-11-17T09:00:02.000Z,0000000000000002,0,10.0.1.11:993,10.20.30.41:50000,2026-11-17T09:00:00Z,5,41,30,login,y *****,R=ok\r

                """, role: .frontEnd)
        let report = ReportBuilder().build(named)
        var redacting = ReportBuilder()
        redacting.redactor = Redactor(salt: "k", summary: named)
        let redacted = redacting.build(named)
        #expect(redacted.timeline.map(\.time) == report.timeline.map(\.time))
        #expect(redacted.input.files.map(\.first) == report.input.files.map(\.first))
        #expect(redacted.input.first == report.input.first && redacted.input.first == "2026-11-17T09:00:00.000Z")
        // The users themselves are still hidden.
        #expect(!redacted.users.isEmpty && redacted.users.allSatisfy { $0.name.hasPrefix("user-") })
    }

    @Test func usersMailAndClientsBecomeStablePseudonymsServersStay() {
        let redactor = Redactor(salt: "k", summary: summary())
        let user = redactor.pseudonym("user", "zoe.martin@contoso.com")
        #expect(user.hasPrefix("user-") && user.count == 15)
        #expect(redactor.pseudonym("user", "Zoe.Martin@Contoso.com") == user)
        #expect(Redactor(salt: "other", summary: summary()).pseudonym("user", "zoe.martin@contoso.com") != user)
        #expect(redactor.redactText("zoe.martin@contoso.com") == user)
        let client = redactor.pseudonym("client", "10.20.30.40")
        #expect(
            redactor.redactText("logon of zoe.martin@contoso.com from 10.20.30.40:50000 via MBX02.contoso.com.")
                == "logon of \(user) from \(client):50000 via MBX02.contoso.com.")
        // Any address, even one never seen as a user; the server's own address stays.
        #expect(redactor.redactText("ask bob@fabrikam.com") == "ask \(redactor.pseudonym("user", "bob@fabrikam.com"))")
        #expect(redactor.redactText("10.0.1.11") == "10.0.1.11")
    }

    @Test func aRedactedReportHasNoneOfTheNamesLeft() throws {
        let summary = LogAnalysis.run(plan: InputDiscovery.plan(paths: [TestSupport.sampleLogs]), options: .init())
            .summary
        let report = ReportBuilder().build(summary)
        var redacting = ReportBuilder()
        redacting.redactor = Redactor(salt: nil, summary: summary)
        let redacted = redacting.build(summary)
        let json = try JSONRenderer.render(redacted)
        let plain = try JSONRenderer.render(report)
        #expect(plain.contains("@contoso.com") && plain.lowercased().contains("healthmailbox"))
        #expect(!json.contains("@contoso.com"))
        // The accounts (healthmailbox3f9a…), not the word the findings use for them (HealthMailbox…).
        #expect(json.lowercased().range(of: "healthmailbox[0-9a-f]{6}", options: .regularExpression) == nil)
        #expect(json.contains("MBX02"))
        #expect(redacted.servers == report.servers)
        #expect(redacted.users.count == report.users.count)
        #expect(redacted.verdict == report.verdict)
        for renderer in [TextRenderer().render(redacted), CSVRenderer.render(redacted, table: .users)] {
            #expect(!renderer.contains("@contoso.com"))
        }
        // No user and no client address is left anywhere, as a word of its own, in either language.
        let servers = Set(summary.servers.keys.map { $0.name.lowercased() })
            .union(summary.servers.values.flatMap(\.addresses).map { $0.lowercased() })
        let hidden = Set(summary.users.keys.map { $0.lowercased() } + summary.clients.keys.map { $0.lowercased() })
            .filter { !$0.isEmpty && !servers.contains($0) && !$0.hasPrefix("127.") }
        #expect(hidden.count > 10)
        redacting.request.language = .french
        let french = redacting.build(summary)
        for output in [
            json, TextRenderer().render(redacted), TextRenderer().render(french), try JSONRenderer.render(french),
        ] {
            let words = Set(
                output.lowercased().split { $0.isWhitespace || ",;\"'()[]<>=|\\/{}".contains($0) }.map {
                    String($0).trimmingCharacters(in: CharacterSet(charactersIn: ".:!?"))
                })
            let left = hidden.filter { user in words.contains(user) || words.contains { $0.hasPrefix(user + ":") } }
            #expect(left.isEmpty, "left in clear: \(left.sorted().prefix(5))")
        }
    }

    @Test func usersWithDelimitersAreHiddenAndServersNeverAre() throws {
        // MBX02 refuses logons; among the users, names with a backslash and a space, and a client that logged on
        // with the guilty server's name as its user name.
        var rows = TestSupport.header
        let users = ["CONTOSO\\alice", "Alice Martin", "MBX02.contoso.com", "bob@contoso.com"]
        for i in 0..<24 {
            let user = users[i % users.count]
            let second = String(format: "%02d", i)
            let context =
                i % 2 == 0
                ? "\"R=\"\"a NO LOGIN failed.\"\";Msg=Proxy:MBX02.contoso.com:1993:SSL;ErrMsg=MailboxOffline\""
                : "R=ok;Msg=Proxy:MBX01.contoso.com:1993:SSL"
            rows +=
                "2026-11-17T09:00:\(second).000Z,\(String(format: "%016X", i + 1)),1,10.0.1.11:993,10.20.30.40:50000,"
                + "\"\(user)\",5,41,30,login,\"\(user) *****\",\(context)\r\n"
        }
        // And wrong passwords, which the findings list by user.
        for (i, user) in ["CONTOSO\\alice", "Alice Martin", "CONTOSO\\alice"].enumerated() {
            rows +=
                "2026-11-17T09:01:0\(i).000Z,\(String(format: "%016X", i + 100)),1,10.0.1.11:993,10.20.30.40:50000,"
                + "\"\(user)\",5,41,30,login,\"\(user) *****\","
                + "\"R=\"\"a NO LOGIN failed.\"\";Msg=\"\"AuthFailed:LogonDenied,User: \(user)\"\";ErrMsg=AuthFailed:LogonDenied\"\r\n"
        }
        let summary = TestSupport.analyse(rows, role: .frontEnd)
        var builder = ReportBuilder()
        builder.request.monitors = [.customerTouchPoint]
        let report = builder.build(summary)
        #expect(report.verdict.suspects.first?.server == "MBX02.contoso.com")
        builder.redactor = Redactor(salt: "k", summary: summary)
        let redacted = builder.build(summary)
        let text = TextRenderer().render(redacted) + (try JSONRenderer.render(redacted))
        for hidden in ["alice", "Alice Martin", "bob@contoso.com"] {
            #expect(!text.contains(hidden), "\(hidden) is left in clear")
        }
        // The server stays named, in the verdict and the steps, though a user went by its name.
        #expect(redacted.verdict.suspects.first?.server == "MBX02.contoso.com")
        #expect(redacted.nextSteps.contains { $0.command?.contains("'MBX02.contoso.com'") == true })
    }
}
