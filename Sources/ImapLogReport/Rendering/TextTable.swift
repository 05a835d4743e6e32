import ImapLogDiagnosis
import ImapLogKit

/// A plain-text table that fits a width: numbers right-aligned, the widest text column shortened
/// with `…`, and, if that is not enough, the columns marked optional left out (last first).
struct TextTable {
    enum Alignment { case left, right }

    var headers: [String]
    var alignments: [Alignment]
    /// Columns that may be left out on a narrow terminal.
    var optional: Set<Int>
    var rows: [[String]] = []

    init(_ columns: [(String, Alignment)], optional: Set<Int> = []) {
        headers = columns.map(\.0)
        alignments = columns.map(\.1)
        self.optional = optional
    }

    mutating func add(_ cells: [String]) {
        rows.append(cells.map(Sanitize.terminal))
    }

    func render(width: Int, indent: String = "  ") -> [String] {
        var table = self
        while table.naturalWidth(indent: indent) > width, let drop = table.optional.max() {
            table.remove(column: drop)
        }
        return table.fitted(width: width, indent: indent)
    }

    private func naturalWidth(indent: String) -> Int {
        let widths = headers.indices.map { i in
            ([headers[i]] + rows.map { $0[i] }).map { alignments[i] == .left ? min($0.count, 8) : $0.count }.max() ?? 0
        }
        return indent.count + widths.reduce(0, +) + 2 * (headers.count - 1)
    }

    private mutating func remove(column: Int) {
        headers.remove(at: column)
        alignments.remove(at: column)
        for i in rows.indices { rows[i].remove(at: column) }
        optional = Set(optional.compactMap { $0 == column ? nil : $0 > column ? $0 - 1 : $0 })
    }

    private func fitted(width: Int, indent: String) -> [String] {
        var widths = headers.indices.map { i in
            ([headers[i]] + rows.map { $0[i] }).map(\.count).max() ?? 0
        }
        let available = width - indent.count - 2 * (headers.count - 1)
        while widths.reduce(0, +) > available {
            // Shorten the widest left-aligned (text) column, never below 8 characters.
            guard
                let i = widths.indices.filter({ alignments[$0] == .left && widths[$0] > 8 })
                    .max(by: { widths[$0] < widths[$1] })
            else { break }
            widths[i] -= 1
        }
        func line(_ cells: [String]) -> String {
            var parts: [String] = []
            for (i, cell) in cells.enumerated() {
                var text = cell
                if text.count > widths[i] { text = String(text.prefix(max(widths[i] - 1, 0))) + "…" }
                let pad = String(repeating: " ", count: max(0, widths[i] - text.count))
                parts.append(alignments[i] == .right ? pad + text : (i == cells.count - 1 ? text : text + pad))
            }
            return indent + parts.joined(separator: "  ")
        }
        return [line(headers)] + rows.map(line)
    }
}
