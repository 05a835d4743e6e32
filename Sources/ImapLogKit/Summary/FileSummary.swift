/// What one file (or standard input) held.
public struct FileSummary: Sendable, Codable, Equatable {
    public var path: String
    public var role: Role
    public var server: String?
    public var format: LogFormat?
    public var lines = 0
    public var headerLines = 0
    public var records = 0
    public var skipped = 0
    public var first: Int64?
    public var last: Int64?
    /// Things worth knowing that are not errors: no header, a last line without a line end.
    public var notices: [String] = []
    /// Why reading stopped early, if it did.
    public var error: String?

    /// Whether the file is a POP3 log, by its name (`POP3*.LOG`, `POP3BE*.LOG`, also in an archive).
    public static func isPOP3(path: String) -> Bool {
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
