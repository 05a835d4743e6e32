import Foundation
import Testing

@testable import ImapLogDiagnosis
@testable import ImapLogKit
@testable import ImapLogReport

/// What `imaplog watch` shows of each look: the verdict as the report words it, and each server's recent logons.
@Suite("The watch's verdict and recent logons")
struct WatchVerdictTests {
    static let stories: [String] = {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: TestSupport.sampleLogs)) ?? []
        return names.filter { $0.first?.isNumber == true }.sorted()
    }()

    @Test("the verdict alone is the report's verdict", arguments: stories)
    func verdictAloneIsTheReports(story: String) {
        let summary = LogAnalysis.run(
            plan: InputDiscovery.plan(paths: [TestSupport.sampleLogs + "/" + story]), options: .init()
        ).summary
        for language in Language.allCases {
            for monitors in [[], [Monitor.customerTouchPoint]] {
                var builder = ReportBuilder()
                builder.request.language = language
                builder.request.monitors = monitors
                #expect(builder.verdict(of: summary) == builder.build(summary).verdict)
            }
        }
    }

    @Test("recent logons: the failing back end first, front ends not blamed for its refusals")
    func recentLogons() throws {
        let summary = LogAnalysis.run(
            plan: InputDiscovery.plan(paths: [TestSupport.sampleLogs + "/02-mbx02-refusing-logons"]), options: .init()
        ).summary
        let rows = RecentActivity.servers(of: summary)
        let first = try #require(rows.first)
        #expect(first.server == "MBX02.contoso.com")
        #expect(first.role == .backEnd)
        #expect(first.state == "failing")
        #expect(first.failedLast5Minutes > 0 && first.failedLast5Minutes <= first.logonsLast5Minutes)
        #expect(rows.filter { $0.role == .frontEnd }.allSatisfy { $0.state == "writing" })
        let failures = RecentActivity.newestFailures(of: summary, count: 5)
        #expect(failures.count == 5)
        #expect(failures.allSatisfy { $0.backend == "MBX02.contoso.com" || $0.server == "MBX02.contoso.com" })
        #expect(zip(failures, failures.dropFirst()).allSatisfy { $0.time >= $1.time })
    }
}
