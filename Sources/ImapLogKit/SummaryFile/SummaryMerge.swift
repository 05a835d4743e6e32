/// `imaplog merge`: summaries of logs read apart (a fleet's map step) merged into the one summary a run over all
/// their logs would have given.
///
/// Two steps, so a caller can say what the first found before the second reads every file:
/// 1. `order(_:leaveOut:)` de-duplicates the files and sorts them by their first log (`SummaryFile.mergeKey`, read
///    from each file's first line), so the report does not depend on the order they were named in;
/// 2. `merge(_:leaveOut:)` decodes them one at a time, merges each and lets it go: memory holds the merged summary
///    and one file's, not every file's.
///
/// Never prints: a summary that cannot be read, or that `SummaryFile.decode` refuses (damaged, or past a bound),
/// goes to `leaveOut` as it is met, with why; `listLeftOut(_:in:)` then lists those among the merged files.
package enum SummaryMerge {
    /// The summary files to merge, in the order they merge in, and what was set aside on the way.
    package struct Order: Equatable, Sendable {
        /// The files, by merge key, then by where they were named.
        package var paths: [String] = []
        /// How many names were of a file already named (by any path to it): each file is merged once.
        package var repeatedCount = 0
        /// How many files in the folders named are not summaries, passed over without a word each.
        package var passedOverCount = 0
    }

    /// The merged summary, and what merging found.
    package struct Merged: Sendable {
        /// Every summary merged, as one.
        package var summary = Summary()
        /// How many summaries were merged (0: none could be, and there is nothing to report).
        package var mergedCount = 0
        /// How many logs are in more than one summary (the same name, lines and times): most likely a server's
        /// share summarised twice; they are counted once for each.
        package var overlappingCount = 0
    }

    /// De-duplicates and orders the files `InputDiscovery.summaryFiles` found.
    ///
    /// A file named (`named`) that is not a summary is handed to `leaveOut`; one found in a folder is only counted
    /// (`passedOverCount`): a folder of parts may hold a README.
    package static func order(
        _ files: [(path: String, named: Bool)], leaveOut: (ImapLogError) -> Void
    ) -> Order {
        var order = Order()
        var keyed: [(key: String, index: Int, path: String)] = []
        var seen = Set<String>()
        for (index, (path, named)) in files.enumerated() {
            guard seen.insert(Platform.canonicalPath(path) ?? path).inserted else {
                order.repeatedCount += 1
                continue
            }
            do {
                keyed.append((try SummaryFile.mergeKey(contentsOf: path), index, path))
            } catch {
                if named { leaveOut(problem(error, path: path)) } else { order.passedOverCount += 1 }
            }
        }
        keyed.sort { ($0.key, $0.index) < ($1.key, $1.index) }
        order.paths = keyed.map(\.path)
        return order
    }

    /// Decodes and merges the summaries of `order`, one at a time, in its order.
    ///
    /// The lines of the summaries merged are held to `Summary.lineLimit` in all (each is held to it as decoded):
    /// one that would take them past it is left out, so no merged count can overflow.
    package static func merge(_ order: Order, leaveOut: (ImapLogError) -> Void) -> Merged {
        var merged = Merged()
        var lines = 0
        // Each log is remembered by a 64-bit hash of its name, lines and times (40,000 files: 0.6 MB, not 6.5):
        // that two of 40,000 different logs pass for one has odds under one in ten billion.
        var logs = Set<Int>()
        for path in order.paths {
            let summary: Summary
            do {
                // Read as it streams from disk: the file is not held whole; checked against every bound as read.
                summary = try SummaryFile.decode(contentsOf: path)
            } catch {
                leaveOut(problem(error, path: path))
                continue
            }
            // At most `lineLimit` each (checked as decoded): neither sum can overflow.
            guard lines + summary.lines <= Summary.lineLimit else {
                leaveOut(
                    .badSummary(
                        path: path,
                        reason:
                            "refused: with it the summaries would account for more than \(Summary.lineLimit) lines"))
                continue
            }
            lines += summary.lines
            for file in summary.files {
                var hasher = Hasher()
                hasher.combine(file.path)
                hasher.combine(file.lines)
                hasher.combine(file.records)
                hasher.combine(file.first)
                hasher.combine(file.last)
                if !logs.insert(hasher.finalize()).inserted { merged.overlappingCount += 1 }
            }
            merged.summary.merge(summary)
            merged.mergedCount += 1
        }
        return merged
    }

    /// Lists the summaries left out among `summary`'s files, each with why, so the report and its JSON say them.
    package static func listLeftOut(_ leftOut: [ImapLogError], in summary: inout Summary) {
        for problem in leftOut {
            summary.files.append(
                .of(
                    path: problem.path, role: .unknown, server: nil, format: nil, lines: 0, headerLines: 0, records: 0,
                    skipped: 0, first: nil, last: nil, notices: [], error: problem.message))
        }
    }

    /// What to say of a summary file that could not be read: its own message when it is one imaplog's reading
    /// gives, else that it could not be read.
    private static func problem(_ error: ImapLogError, path: String) -> ImapLogError {
        switch error {
        case .badSummary, .cannotOpen, .notFound: error
        default: .badSummary(path: path, reason: "cannot read this summary file")
        }
    }
}
