import ImapLogDiagnosis
import Testing

@testable import ImapLogCommand
@testable import ImapLogKit

@Suite("The analysis centred on the alert's time")
struct AlertWindowTests {
    private let time: Int64 = 1_794_821_400_000

    /// An analysis's result of `records` records, `filteredOut` of them outside the filters.
    private func result(records: Int, filteredOut: Int) -> AnalysisResult {
        var summary = Summary()
        summary.files = [
            .of(
                path: "IMAP4BE2026111609-1.LOG", role: .backEnd, server: nil, format: nil, lines: records,
                headerLines: 0, records: records, skipped: 0, first: nil, last: nil, notices: [], error: nil)
        ]
        summary.filteredOut = filteredOut
        return AnalysisResult(summary: summary, pop3: nil, problems: [])
    }

    private func request(alertTime: Int64?) -> DiagnosisRequest {
        var request = DiagnosisRequest()
        var alert = Alert()
        alert.time = alertTime
        request.alert = alertTime == nil ? nil : alert
        return request
    }

    @Test func withoutAnAlertTimeTheAnalysisRunsOnceAsAsked() {
        var runs: [AnalysisOptions] = []
        var request = request(alertTime: nil)
        let (_, isDropped) = AlertWindow.analyse(AnalysisOptions(), request: &request) {
            runs.append($0)
            return result(records: 10, filteredOut: 0)
        }
        #expect(runs.count == 1 && runs[0].since == nil && runs[0].until == nil && !isDropped)
    }

    @Test func theAlertTimeCentresTheAnalysis() {
        var runs: [AnalysisOptions] = []
        var request = request(alertTime: time)
        let (analysed, isDropped) = AlertWindow.analyse(AnalysisOptions(), request: &request) {
            runs.append($0)
            return result(records: 10, filteredOut: 4)
        }
        #expect(runs.count == 1 && !isDropped && analysed.summary.filteredOut == 4)
        #expect(runs[0].since == time - 3_600_000 && runs[0].until == time + 1_800_000)
        #expect(request.alert?.windowFrom == "2026-11-16T08:30:00Z")
        #expect(request.alert?.windowTo == "2026-11-16T10:00:00Z")
    }

    @Test func aWindowOutsideTheLogsIsDroppedAndEverythingAnalysed() {
        var runs: [AnalysisOptions] = []
        var request = request(alertTime: time)
        let (analysed, isDropped) = AlertWindow.analyse(AnalysisOptions(), request: &request) {
            runs.append($0)
            return result(records: 10, filteredOut: $0.since == nil ? 0 : 10)
        }
        #expect(isDropped && runs.count == 2 && runs[1].since == nil && runs[1].until == nil)
        #expect(analysed.summary.filteredOut == 0)
        #expect(request.alert?.windowFrom == nil && request.alert?.windowTo == nil)
    }

    @Test func filtersGivenWinOverTheAlert() {
        var runs: [AnalysisOptions] = []
        var request = request(alertTime: time)
        var options = AnalysisOptions()
        options.since = time
        _ = AlertWindow.analyse(options, request: &request) {
            runs.append($0)
            return result(records: 10, filteredOut: 10)
        }
        #expect(runs.count == 1 && runs[0].since == time && request.alert?.windowFrom == nil)
    }
}
