import Foundation
import Testing

@testable import ImapLogDiagnosis
@testable import ImapLogKit
@testable import ImapLogReport

/// The HTML report: escaping of log text, the page's policy, the charts' series and their bounds.
@Suite("HTML report")
struct HTMLRendererTests {
    @Test func theFiveCharactersThatEndTextOrAnAttributeAreEntities() {
        #expect(HTMLEscape.text("<script>alert('x')</script>") == "&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;")
        #expect(HTMLEscape.text("a \"b\" & c") == "a &quot;b&quot; &amp; c")
        #expect(HTMLEscape.text("&amp;") == "&amp;amp;")
        #expect(HTMLEscape.text("café 日本語 😀") == "café 日本語 😀")
    }

    @Test(arguments: [
        ("\u{202E}", "\\u{202E}"), ("\u{202A}", "\\u{202A}"), ("\u{2066}", "\\u{2066}"), ("\u{2069}", "\\u{2069}"),
        ("\u{2028}", "\\u{2028}"), ("\u{2029}", "\\u{2029}"), ("\u{200B}", "\\u{200B}"), ("\u{FEFF}", "\\u{FEFF}"),
        ("\u{1B}", "\\x1B"), ("\u{00}", "\\x00"), ("\u{7F}", "\\x7F"), ("\u{9B}", "\\x9B"), ("\r", "\\x0D"),
    ])
    func controlAndInvisibleCharactersAreMadeVisible(character: String, shown: String) {
        #expect(HTMLEscape.text("ad\(character)min") == "ad\(shown)min")
    }

    @Test func lineEndsAndTabsStay() {
        #expect(HTMLEscape.text("a\nb\tc") == "a\nb\tc")
    }

    @Test func theBucketKeepsEverySpanWithinTheMostPoints() {
        #expect(ChartSeries.bucket(forSpanMinutes: 40) == 1)
        #expect(ChartSeries.bucket(forSpanMinutes: 2_000) == 1)
        #expect(ChartSeries.bucket(forSpanMinutes: 2_001) == 5)
        // A week: 10,080 minutes.
        #expect(ChartSeries.bucket(forSpanMinutes: 10_080) == 15)
        // A year: 525,600 minutes.
        #expect(ChartSeries.bucket(forSpanMinutes: 525_600) == 360)
        for minutes: Int64 in [1, 59, 1_440, 44_640, 525_600, 5_256_000] {
            let bucket = ChartSeries.bucket(forSpanMinutes: minutes)
            #expect(
                (minutes + Int64(bucket) - 1) / Int64(bucket) <= Int64(ChartSeries.maximumPoints) || bucket == 1_440)
        }
        #expect(ChartSeries.bucketStart(61, bucketMinutes: 15) == 60)
        #expect(ChartSeries.bucketStart(-1, bucketMinutes: 15) == -15)
    }

    /// A log whose user is a script, with a quote, bidi and control characters in a parameter.
    static let hostileLog =
        TestSupport.header
        + (10..<40).map { minute in
            "2026-11-16T07:\(minute):01.000Z,00000000000000A\(minute),1,10.0.1.11:993,10.20.1.5:50001,"
                + "<script>alert(1)</script>,5,0,0,login,\"\"\"q\u{202E}x\u{1B}[31m\",\"R=\"\"a NO LOGIN failed.\"\";"
                + "Msg=Proxy:mbx01.contoso.com:1993:SSL;ErrMsg=ProxyFailed\"\r\n"
        }.joined()

    @Test func hostileLogTextArrivesEscapedUnderAStrictPolicy() throws {
        var builder = ReportBuilder()
        builder.includesCharts = true
        let report = builder.build(TestSupport.analyse(Self.hostileLog))
        var renderer = HTMLRenderer()
        renderer.rows = ["a.log:1": .text("<img src=x onerror=alert(2)>\u{2066}\"")]
        var withRow = report
        if !withRow.verdict.suspects.isEmpty { withRow.verdict.suspects[0].examples = ["a.log:1"] }
        let page = renderer.render(withRow)
        #expect(page.contains("&lt;script&gt;alert(1)&lt;/script&gt;"))
        #expect(!page.contains("<script>alert"))
        #expect(!page.contains("<img"))
        #expect(!page.unicodeScalars.contains { Sanitize.isUnsafe($0) && $0 != "\n" })
        #expect(page.components(separatedBy: "<script").count == 2)
        let policy = try #require(
            page.firstRange(of: "Content-Security-Policy\" content=\"").map { page[$0.upperBound...] })
        let csp = String(policy.prefix { $0 != "\"" })
        #expect(csp.hasPrefix("default-src 'none'; style-src 'sha256-"))
        #expect(!csp.contains("unsafe"))
        #expect(csp.contains(HTMLAssets.hash(HTMLAssets.script)))
        #expect(page.contains("<style>\(HTMLAssets.style)</style>"))
        #expect(page.contains("<script>\(HTMLAssets.script)</script>"))
        // No text from the logs in a place that takes a link or a style.
        #expect(!page.contains("style=\""))
        for link in page.matches(of: /href="([^"]*)"/) { #expect(link.1.hasPrefix("#")) }
    }

    @Test func theChartsAreOnlyMadeForTheHTMLReportAndLeftOutOfJSON() throws {
        var builder = ReportBuilder()
        let plain = builder.build(TestSupport.analyse(Self.hostileLog))
        builder.includesCharts = true
        let charted = builder.build(TestSupport.analyse(Self.hostileLog))
        #expect(plain.charts == nil)
        let charts = try #require(charted.charts)
        #expect(charts.servers.count == charted.servers.count)
        #expect(charts.servers.allSatisfy { $0.requests.count == charts.bucketCount })
        // The front end's own log: every command in its chart. (A back end seen only from the front ends has its
        // logons charted, not its commands: no log of its own was read.)
        let frontEnd = try #require(charts.servers.first { $0.role == .frontEnd })
        let tabled = try #require(charted.servers.first { $0.role == .frontEnd })
        #expect(frontEnd.requests.reduce(0, +) == tabled.commands)
        #expect(charts.servers.contains { $0.role == .backEnd && $0.logons.reduce(0, +) == 30 })
        #expect(try JSONRenderer.render(plain) == JSONRenderer.render(charted))
        let page = HTMLRenderer().render(charted)
        #expect(page.components(separatedBy: "<figure class=\"chart\">").count == charts.servers.count + 1)
    }

    @Test func frenchWordsAndTheZoneOfTzAreSaid() {
        var builder = ReportBuilder()
        builder.includesCharts = true
        builder.request.language = .french
        let report = builder.build(TestSupport.analyse(Self.hostileLog))
        var renderer = HTMLRenderer()
        renderer.timeZone = TimeZone(identifier: "Europe/Paris")
        let page = renderer.render(report)
        #expect(page.contains("<html lang=\"fr\">"))
        #expect(page.contains("GRAPHIQUES"))
        #expect(page.contains("heure locale (Europe/Paris)"))
        #expect(page.contains("08:10"))
    }
}

extension HTMLRendererTests {
    @Test func aProbeGapIsFiveMinutesWithoutAProbeAfterTheFirst() {
        let sessions = [0, 0, 1, 1, 0, 0, 0, 0, 0, 1, 0, 0, 1, 0, 0, 0, 0, 0, 0]
        // Before the first session: not a gap; 4 quiet minutes: not a gap; to the end: a gap.
        #expect(SVGChart.probeGaps(sessions, bucketMinutes: 1) == Set([4, 5, 6, 7, 8, 13, 14, 15, 16, 17, 18]))
        #expect(SVGChart.probeGaps(sessions, bucketMinutes: 5) == Set([4, 5, 6, 7, 8, 10, 11, 13, 14, 15, 16, 17, 18]))
        #expect(SVGChart.probeGaps([0, 0, 0], bucketMinutes: 1).isEmpty)
    }
}

extension HTMLRendererTests {
    /// Two rows a year apart, the second failing: the chart keeps the span within its bound, and the failure in it.
    @Test func aYearsSpanIsChartedWithinTheBoundAndKeepsItsPeak() throws {
        let log =
            TestSupport.header
            + "2026-01-01T00:00:01.000Z,00000000000000A1,1,10.0.1.11:993,10.20.1.5:50001,alice,5,0,0,login,x,R=ok\r\n"
            + "2026-12-31T23:59:01.000Z,00000000000000A2,1,10.0.1.11:993,10.20.1.5:50002,bob,5,0,0,login,x,"
            + "\"R=\"\"a NO LOGIN failed.\"\";Msg=Proxy:mbx01.contoso.com:1993:SSL;ErrMsg=ProxyFailed\"\r\n"
        var builder = ReportBuilder()
        builder.includesCharts = true
        let charts = try #require(builder.build(TestSupport.analyse(log)).charts)
        #expect(charts.bucketMinutes == 360)
        #expect(charts.bucketCount <= ChartSeries.maximumPoints)
        let frontEnd = try #require(charts.servers.first { $0.role == .frontEnd })
        #expect(frontEnd.requests.reduce(0, +) == 2)
        #expect(frontEnd.failures.last == 1)
        let page = HTMLRenderer().render(builder.build(TestSupport.analyse(log)))
        #expect(page.utf8.count < 200_000)
    }
}
