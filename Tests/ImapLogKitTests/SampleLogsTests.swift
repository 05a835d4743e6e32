import Foundation
import SampleLogKit
import Testing

@testable import ImapLogDiagnosis
@testable import ImapLogKit
@testable import ImapLogReport

@Suite("SampleLogs")
struct SampleLogsTests {
    /// The committed SampleLogs/ are exactly what the generator makes, so anyone can make them again.
    @Test func theCommittedSamplesAreWhatTheGeneratorWrites() throws {
        let fresh = TestSupport.temporaryFolder()
        defer { TestSupport.remove(fresh) }
        var written: [String] = []
        for story in Story.samples { written += try SampleWriter.write(story, to: fresh) }
        written += try EdgeCases.write(to: fresh)
        #expect(written.count > 40)
        for relative in written {
            let committed = FileManager.default.contents(atPath: TestSupport.sampleLogs + "/" + relative)
            let generated = FileManager.default.contents(atPath: fresh + "/" + relative)
            #expect(committed != nil && committed == generated, "\(relative) differs: run swift run imaplog-samplegen")
        }
    }
}

@Suite("SampleLogs stories 08-14")
struct NewSampleStoriesTests {
    /// The admin's alert for 08 is as Windows PowerShell 5's Out-File writes it: UTF-16 LE, a BOM, CRLF.
    @Test func theCAS01AlertIsUTF16WithABOM() throws {
        let story = try #require(Story.samples.first { $0.folder == "08-cas01-certificate" })
        let bytes = try #require(story.alert?.bytes)
        #expect(Array(bytes.prefix(4)) == [0xFF, 0xFE, UInt8(ascii: "["), 0])
        let text = String(
            decoding: stride(from: 2, to: bytes.count - 1, by: 2).map {
                UInt16(bytes[$0]) | UInt16(bytes[$0 + 1]) << 8
            }, as: UTF16.self)
        #expect(text.contains("ImapCTPMonitor       MSExchangeImap4      IMAP            Unhealthy"))
        #expect(text.hasSuffix("\r\n") && !text.replacingOccurrences(of: "\r\n", with: "").contains("\n"))
    }

    /// Story 14's files have the 13th field, puid, in the header and on every row; 09 has no front end's files.
    @Test func multiRoleFilesHaveAPuidAndBackEndOnlyStoriesNoCAS() throws {
        let folder = TestSupport.temporaryFolder()
        defer { TestSupport.remove(folder) }
        for name in ["14-multirole-2016", "09-only-backend-logs"] {
            let story = try #require(Story.samples.first { $0.folder == name })
            let written = try SampleWriter.write(story, to: folder)
            if name == "09-only-backend-logs" {
                #expect(written.allSatisfy { !$0.contains("/CAS") })
                continue
            }
            #expect(written.contains("14-multirole-2016/EX02/IMAP4BE2026112909-1.LOG"))
            let text = try String(
                contentsOfFile: folder + "/14-multirole-2016/EX02/IMAP4BE2026112909-1.LOG", encoding: .utf8)
            #expect(
                text.hasPrefix(
                    "dateTime,sessionId,seqNumber,sIp,cIp,user,duration,rqsize,rpsize,command,parameters,context,puid\r\n"
                ))
            #expect(text.contains(",uid+search,UNSEEN,R=ok,1003"))  // a user's row ends with its puid
        }
    }
}

@Suite("Bulk logs")
struct BulkLogsTests {
    /// A fleet of any size: four Client Access and eight mailbox servers, each found by the analysis in its role.
    @Test func aLargerFleetWritesEveryServersLogs() throws {
        let folder = TestSupport.temporaryFolder()
        defer { TestSupport.remove(folder) }
        _ = try BulkWriter.write(to: folder, targetBytes: 2 << 20, seed: 7, usersPerHour: 20, frontEnds: 4, backEnds: 8)
        let summary = LogAnalysis.run(plan: InputDiscovery.plan(paths: [folder]), options: .init()).summary
        let servers = ReportBuilder().build(summary).servers
        #expect(servers.filter { $0.role == .frontEnd }.map(\.server).sorted() == ["CAS01", "CAS02", "CAS03", "CAS04"])
        #expect(
            servers.filter { $0.role == .backEnd }.map(\.server).sorted() == (1...8).map { "MBX0\($0).contoso.com" })
        #expect(servers.allSatisfy { $0.seenFrom == "ownLogs" && $0.commands > 0 })
    }
}
