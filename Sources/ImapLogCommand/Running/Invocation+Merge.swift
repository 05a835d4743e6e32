import ImapLogDiagnosis
import ImapLogKit
import ImapLogReport

extension Invocation {
    /// `imaplog merge FILE…`: reports on summaries as one run over all their logs would (`SummaryMerge`).
    ///
    /// A summary that cannot be read, or is refused, is named, left out and listed among the report's files with
    /// why; the others are merged and reported, and the run exits 74. Only when none is left is there no report (66).
    func merge(request: DiagnosisRequest) -> ExitStatus {
        var leftOut: [ImapLogError] = []
        func leaveOut(_ error: ImapLogError) {
            leftOut.append(error)
            if !options.isCheck { console.say("imaplog: \(Sanitize.terminal(error.message))") }
        }
        // Files named, folders' files, patterns' matches (a job engine's thousands of parts: `merge 'parts/*'`).
        let (candidates, problems) = InputDiscovery.summaryFiles(options.paths)
        for problem in problems { leaveOut(problem) }
        let order = SummaryMerge.order(candidates, leaveOut: leaveOut)
        if !options.isCheck {
            let (repeated, passedOver) = (order.repeatedCount, order.passedOverCount)
            if repeated > 0 {
                let files = repeated == 1 ? "1 summary file was" : "\(repeated) summary files were"
                console.say("imaplog: \(files) named more than once; each is merged once.")
            }
            if passedOver > 0 {
                console.say(
                    passedOver == 1
                        ? "imaplog: 1 file in the folders named is not a summary: passed over."
                        : "imaplog: \(passedOver) files in the folders named are not summaries: passed over.")
            }
        }
        guard !order.paths.isEmpty else {
            let named = Sanitize.terminal(options.paths.joined(separator: " "))
            return fail(
                .noInput, leftOut.isEmpty ? "imaplog: no imaplog summary in \(named)." : nil,
                check: Sanitize.terminal(leftOut.first?.message ?? "no imaplog summary"))
        }
        var merged = SummaryMerge.merge(order, leaveOut: leaveOut)
        guard merged.mergedCount > 0 else {
            return fail(.noInput, nil, check: leftOut.first.map { Sanitize.terminal($0.message) })
        }
        SummaryMerge.listLeftOut(leftOut, in: &merged.summary)
        if merged.overlappingCount > 0 && !options.isCheck {
            let logs = merged.overlappingCount == 1 ? "1 log is" : "\(merged.overlappingCount) logs are"
            console.say(
                "imaplog: \(logs) in more than one summary (the same name, lines and times): counted once for each."
                    + " Was a server's share summarized twice?")
        }
        // One owner of the summary, so the report can free it before rendering.
        var summary = merged.summary
        merged.summary = Summary()
        return report(&summary, request: request, problems: leftOut)
    }
}
