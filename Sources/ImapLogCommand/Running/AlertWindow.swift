import ImapLogDiagnosis
import ImapLogKit

/// The alert's time centres the analysis: from an hour before it to half an hour after, unless `--since` or
/// `--until` says otherwise.
enum AlertWindow {
    /// How far before the alert's time the analysis starts, in ms.
    static let before: Int64 = 3_600_000
    /// How far after the alert's time the analysis ends, in ms.
    static let after: Int64 = 1_800_000

    /// Runs the analysis (`analyse`) over the window around the alert's time when there is one to centre on, and
    /// over everything again when the window held none of the logs' records (the alert is about another day).
    ///
    /// The window is written into `request.alert`, for the report to say, and taken out again when dropped.
    ///
    /// - Returns: the analysis, and whether the window was dropped.
    static func analyse(
        _ options: AnalysisOptions, request: inout DiagnosisRequest,
        analyse: (AnalysisOptions) -> AnalysisResult
    ) -> (result: AnalysisResult, isWindowDropped: Bool) {
        guard let time = request.alert?.time, options.since == nil, options.until == nil else {
            return (analyse(options), false)
        }
        var centred = options
        centred.since = time - before
        centred.until = time + after
        request.alert?.windowFrom = Timestamp.format(time - before, withMilliseconds: false)
        request.alert?.windowTo = Timestamp.format(time + after, withMilliseconds: false)
        let result = analyse(centred)
        guard result.summary.records > 0 && result.summary.filteredOut == result.summary.records else {
            return (result, false)
        }
        request.alert?.windowFrom = nil
        request.alert?.windowTo = nil
        return (analyse(options), true)
    }
}
