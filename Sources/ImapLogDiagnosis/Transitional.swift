import ImapLogKit

// Words not yet made data, wrapped as `Sentence.text` while each stage moves to sentences: this file goes when the
// last one has.

extension Suspect {
    init(
        server: String, role: Role, confidence: Double, rule: String, monitor: String, failures: Int, total: Int,
        rate: Double, baselineRate: Double?, window: Window?, evidence: [String], examples: [String],
        hasRecovered: Bool = false
    ) {
        self.init(
            server: server, role: role, confidence: confidence, rule: .text(rule), monitor: monitor,
            failures: failures, total: total, rate: rate, baselineRate: baselineRate, window: window,
            evidence: evidence.map(Sentence.text), examples: examples, hasRecovered: hasRecovered)
    }
}

extension Suspect {
    init(
        server: String, role: Role, confidence: Double, rule: String, monitor: String, failures: Int, total: Int,
        rate: Double, baselineRate: Double?, window: Window?, evidence: [Sentence], examples: [String],
        hasRecovered: Bool = false
    ) {
        self.init(
            server: server, role: role, confidence: confidence, rule: .text(rule), monitor: monitor,
            failures: failures, total: total, rate: rate, baselineRate: baselineRate, window: window,
            evidence: evidence, examples: examples, hasRecovered: hasRecovered)
    }
}

extension MonitorResult {
    init(name: String, fired: Bool, summary: String, suspects: [Suspect], cause: String? = nil) {
        self.init(name: name, fired: fired, summary: [.text(summary)], suspects: suspects, cause: cause)
    }
}

extension NextStep {
    init(text: String, command: String?, monitor: String? = nil) {
        self.init(text: .text(text), command: command, monitor: monitor)
    }
}
