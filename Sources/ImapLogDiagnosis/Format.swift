import ImapLogKit

/// Number formatting for people: 48,213 and 12.5%.
package enum Format {
    package static func count(_ value: Int) -> String {
        let digits = String(value.magnitude)
        var out = ""
        for (i, c) in digits.enumerated() {
            if i > 0 && (digits.count - i) % 3 == 0 { out.append(",") }
            out.append(c)
        }
        return value < 0 ? "-" + out : out
    }

    package static func percent(_ rate: Double) -> String {
        let value = rate * 100
        if value == 0 { return "0%" }
        if value < 0.1 { return "<0.1%" }
        return value >= 10 ? "\(Int(value.rounded()))%" : "\((value * 10).rounded() / 10)%"
    }

    /// `2026-11-16 07:05` from an ISO timestamp.
    package static func shortTime(_ iso: String?) -> String {
        guard let iso else { return "-" }
        let chars = Array(iso)
        guard chars.count >= 16 else { return iso }
        return String(chars[0..<10]) + " " + String(chars[11..<16])
    }
}

extension Array where Element: Hashable {
    /// The elements in order, repeats removed.
    package func uniqued() -> [Element] {
        var seen = Set<Element>()
        return filter { seen.insert($0).inserted }
    }
}
