/// A table of the HTML report: titles, then rows of cells, each escaped as it is added.
///
/// Numbers are right-aligned and carry their value in `data-v` (a number the report computed, never log text), so
/// the page's script sorts them as numbers whatever the language writes.
struct HTMLTable {
    /// A cell: its text (escaped when added) and, for a number, its value.
    struct Cell {
        var text: String
        var value: Double?

        static func text(_ text: String) -> Cell { Cell(text: text, value: nil) }
        static func number(_ text: String, _ value: Double) -> Cell { Cell(text: text, value: value) }
    }

    private let titles: [(String, Bool)]
    private var body = ""

    /// - Parameter titles: each column's title, and whether it holds numbers.
    init(_ titles: [(String, Bool)]) {
        self.titles = titles
    }

    var isEmpty: Bool { body.isEmpty }

    mutating func add(_ cells: [Cell]) {
        body += "<tr>"
        for cell in cells {
            if let value = cell.value {
                let number = value.isFinite ? "\(value)" : "0"
                body += "<td class=\"n\" data-v=\"\(number)\">\(HTMLEscape.text(cell.text))</td>"
            } else {
                body += "<td>\(HTMLEscape.text(cell.text))</td>"
            }
        }
        body += "</tr>\n"
    }

    /// The table in a box that scrolls sideways on a narrow screen.
    func render() -> String {
        var out = "<div class=\"scroll\"><table class=\"sortable\">\n<thead><tr>"
        for (title, isNumeric) in titles {
            out += isNumeric ? "<th class=\"n\">\(HTMLEscape.text(title))</th>" : "<th>\(HTMLEscape.text(title))</th>"
        }
        return out + "</tr></thead>\n<tbody>\n" + body + "</tbody>\n</table></div>\n"
    }
}
