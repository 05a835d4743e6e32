/// The fields imaplog knows, whatever their column in a given file.
enum LogField: Int, CaseIterable {
    case dateTime, sessionId, sequence, serverEndpoint, clientEndpoint, user, duration, requestSize, responseSize
    case command, parameters, context
    /// 2007/2010 only: `+` connect, `-` disconnect, `<` received, `>` sent, `*` information.
    case event
    /// 2007/2010 only: the protocol text.
    case data

    /// How many fields there are, as a constant the compiler sees (`data` must stay last).
    ///
    /// `allCases.count` is computed at run time.
    static var count: Int { LogField.data.rawValue + 1 }
}

/// Which column holds which field, read from a header (`#Fields:` or a bare field-list row).
///
/// Fields are mapped by name, never by position: unknown names are ignored, a duplicate keeps its first
/// column, and a field missing from the list is empty in every row.
struct Schema: Equatable {
    /// For each `LogField`, its column, or -1.
    private(set) var columnOfField: [Int]
    private(set) var format: LogFormat
    private(set) var columnCount: Int

    /// The 2013+ list, assumed when a file has no header at all (pasted excerpts).
    static let defaultCommandRows = Schema(
        names: [
            "dateTime", "sessionId", "seqNumber", "sIp", "cIp", "user", "duration", "rqsize", "rpsize",
            "command", "parameters", "context",
        ])

    init(names: [String]) {
        var columns = [Int](repeating: -1, count: LogField.count)
        var format = LogFormat.commandRows
        for (column, raw) in names.enumerated() {
            let name = raw.trimmingSpaces().lowercased()
            let field: LogField?
            switch name {
            case "datetime": field = .dateTime
            case "date-time":
                field = .dateTime
                format = .protocolEvents
            case "sessionid", "session-id": field = .sessionId
            case "seqnumber", "sequence-number": field = .sequence
            case "sip", "local-endpoint": field = .serverEndpoint
            case "cip", "remote-endpoint": field = .clientEndpoint
            case "user": field = .user
            case "duration": field = .duration
            case "rqsize": field = .requestSize
            case "rpsize": field = .responseSize
            case "command": field = .command
            case "parameters": field = .parameters
            case "context": field = .context
            case "event":
                field = .event
                format = .protocolEvents
            case "data": field = .data
            default: field = nil
            }
            if let field, columns[field.rawValue] < 0 { columns[field.rawValue] = column }
        }
        self.columnOfField = columns
        self.format = format
        self.columnCount = names.count
    }

    /// Whether rows under this schema can become records at all.
    var isUsable: Bool {
        guard column(of: .dateTime) >= 0 else { return false }
        switch format {
        case .commandRows: return column(of: .command) >= 0
        case .protocolEvents: return column(of: .event) >= 0
        }
    }

    /// Column of a field, or -1.
    @inline(__always)
    func column(of field: LogField) -> Int {
        columnOfField[field.rawValue]
    }

    /// The fewest columns a row needs: up to the command (or event).
    ///
    /// Missing trailing fields are empty.
    var minimumColumns: Int {
        let key = format == .commandRows ? column(of: .command) : column(of: .event)
        return max(column(of: .dateTime), key) + 1
    }
}

extension String {
    /// The string without leading and trailing spaces and tabs.
    package func trimmingSpaces() -> String {
        var s = Substring(self)
        while let c = s.first, c == " " || c == "\t" { s = s.dropFirst() }
        while let c = s.last, c == " " || c == "\t" { s = s.dropLast() }
        return String(s)
    }
}
