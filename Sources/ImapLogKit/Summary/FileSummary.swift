/// What one file (or standard input) held.
package struct FileSummary: Sendable, Codable, Equatable {
    package var path: String
    package var role: Role
    package var server: String?
    package var format: LogFormat?
    package var lines = 0
    package var headerLines = 0
    package var records = 0
    package var skipped = 0
    package var first: Int64?
    package var last: Int64?
    /// Things worth knowing that are not errors: no header, a last line without a line end.
    package var notices: [String] = []
    /// Why reading stopped early, if it did.
    package var error: String?

    /// Whether the file is a POP3 log, by its name (`POP3*.LOG`, `POP3BE*.LOG`, also in an archive).
    package static func isPOP3(path: String) -> Bool {
        let name = path.split(whereSeparator: { $0 == "/" || $0 == "\\" || $0 == "!" }).last.map(String.init) ?? path
        return LogFileName.parse(name)?.protocolName == "POP3"
    }
}

extension FileSummary {
    /// A file's counts as the report hands them back (its memberwise initialiser stays internal).
    package static func of(
        path: String, role: Role, server: String?, format: LogFormat?, lines: Int, headerLines: Int, records: Int,
        skipped: Int, first: Int64?, last: Int64?, notices: [String], error: String?
    ) -> FileSummary {
        FileSummary(
            path: path, role: role, server: server, format: format, lines: lines, headerLines: headerLines,
            records: records, skipped: skipped, first: first, last: last, notices: notices, error: error)
    }
}
