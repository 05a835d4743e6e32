/// AverageCommandProcessingTimeGt60sMonitor (health set IMAP): the counter `MSExchangeImap4\Average Command
/// Processing Time (milliseconds)` above 60,000 ms for 2 consecutive samples (5-minute samples, 900 s window).
///
/// The rule rebuilds the counter from the logs: each server's mean command time in 5-minute samples, IDLE and the
/// front end's proxy rows left out.
enum AverageCommandProcessingTimeRule {
    /// The counter's threshold, in ms.
    static let thresholdMs = 60_000.0
    /// Samples in a row above it that fire the monitor.
    static let consecutiveSamples = 2
    /// The counter's sampling interval, in minutes.
    static let sampleMinutes: Int64 = 5
}

extension Diagnoser {
    /// Rebuilds the counter from the logs: each server's mean command time in 5-minute samples (IDLE left out);
    /// the monitor fires where two samples in a row exceed 60,000 ms.
    func averageCommandProcessingTime() -> MonitorResult {
        let w = words
        let name = Monitor.averageCommandProcessingTime.rawValue
        // Per server, its tables (several spellings of one server are one server).
        var tables: [ServerKey: [MinuteTable<TimelineTally>]] = [:]
        for (key, minutes) in summary.timeline {
            tables[ServerKey(name: names.canonical(key.name), role: key.role), default: []].append(minutes)
        }
        /// A run of 5-minute samples in a row above 60 s.
        typealias Run = (from: Int64, to: Int64, length: Int, worst: Double, commands: Int)
        var suspects: [Suspect] = []
        var highest: (ServerKey, Int64, Double)?
        for (server, serverTables) in tables.sorted(by: { $0.key < $1.key }) {
            // One pass over the server's 5-minute samples in time order (a year holds a hundred thousand of them
            // a server): no list of them is kept, only the longest run so far (the earliest of equal ones).
            var longest: Run?
            var current: Run?
            var sampleCount = 0
            func close(_ start: Int64, _ sum: Int64, _ count: Int) {
                sampleCount += 1
                let mean = Double(sum) / Double(max(count, 1))
                // In time order, so a tie goes to the earliest sample whatever the dictionary's order.
                if highest == nil || mean > highest.unsafelyUnwrapped.2 { highest = (server, start, mean) }
                guard mean > AverageCommandProcessingTimeRule.thresholdMs else { return }
                if var run = current, start - run.to == AverageCommandProcessingTimeRule.sampleMinutes {
                    run.to = start
                    run.length += 1
                    run.worst = max(run.worst, mean)
                    run.commands += count
                    current = run
                } else {
                    current = (start, start, 1, mean, count)
                }
                if let run = current, run.length >= AverageCommandProcessingTimeRule.consecutiveSamples,
                    run.length > longest?.length ?? 0
                {
                    longest = run
                }
            }
            // The tables' minutes merged in time order; a sample sums the minutes of its five.
            var iterators = serverTables.map { $0.makeIterator() }
            var heads = iterators.indices.map { iterators[$0].next() }
            var sample: (start: Int64, sum: Int64, count: Int)?
            while true {
                var pick = -1
                for i in heads.indices {
                    if let head = heads[i], pick < 0 || head.minute < heads[pick].unsafelyUnwrapped.minute { pick = i }
                }
                guard pick >= 0, let (minute, tally) = heads[pick] else { break }
                heads[pick] = iterators[pick].next()
                guard tally.latencyCount > 0 else { continue }
                let start = minute - ((minute % 5) + 5) % 5
                if let open = sample, open.start == start {
                    sample = (start, open.sum + tally.latencySum, open.count + tally.latencyCount)
                } else {
                    if let open = sample { close(open.start, open.sum, open.count) }
                    sample = (start, tally.latencySum, tally.latencyCount)
                }
            }
            if let open = sample { close(open.start, open.sum, open.count) }
            guard let longest else { continue }
            let from = longest.from
            let to = longest.to
            let display = names.display(server.name)
            let (worst, commands) = (longest.worst, longest.commands)
            suspects.append(
                Suspect(
                    server: display, role: server.role, confidence: 0.95,
                    rule: w(
                        "Commands on \(display) took more than 60 s on average for \(longest.length * 5) minutes: the counter the monitor watches.",
                        "Les commandes sur \(display) ont pris plus de 60 s en moyenne pendant \(longest.length * 5) minutes : le compteur surveillé par le moniteur."
                    ),
                    monitor: name, failures: longest.length, total: sampleCount,
                    rate: rounded(Double(longest.length) / Double(max(sampleCount, 1))),
                    baselineRate: nil, window: Suspect.Window(from: minuteTime(from), to: minuteTime(to + 5)),
                    evidence: [
                        w(
                            "\(longest.length) 5-minute samples in a row above 60,000 ms from \(clock(from)) to \(clock(to + 5)); worst \(w.count(Int(worst))) ms over \(w.count(commands)) commands.",
                            "\(longest.length) échantillons de 5 minutes d'affilée au-dessus de 60 000 ms de \(clock(from)) à \(clock(to + 5)) ; pire \(w.count(Int(worst))) ms sur \(w.count(commands)) commandes."
                        )
                    ],
                    examples: []))
        }
        let summaryText: String
        if !suspects.isEmpty {
            summaryText =
                w("\(name): fires on ", "\(name) : se déclenche sur ")
                + suspects.map(\.server).sorted().joined(separator: ", ") + "."
        } else if let (server, sample, mean) = highest {
            summaryText = w(
                "\(name): no server averages over 60 s for two samples in a row; the highest 5-minute mean is \(w.count(Int(mean))) ms on \(names.display(server.name)) at \(clock(sample)).",
                "\(name) : aucun serveur ne dépasse 60 s de moyenne sur deux échantillons consécutifs ; la moyenne sur 5 minutes la plus haute est \(w.count(Int(mean))) ms sur \(names.display(server.name)) à \(clock(sample))."
            )
        } else {
            return MonitorResult(
                name: name, fired: false,
                summary: w(
                    "\(name): no command durations in these logs.",
                    "\(name) : aucune durée de commande dans ces journaux."),
                suspects: [], cause: MonitorResult.Cause.noData)
        }
        return MonitorResult(name: name, fired: !suspects.isEmpty, summary: summaryText, suspects: suspects)
    }
}
