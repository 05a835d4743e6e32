/// The parts of a protocol log's file name: `IMAP4BE2024011509-3.LOG` is the back end's log for
/// 2024-01-15 09:00, third file of that hour.
struct LogFileName: Equatable, Sendable {
    /// `IMAP4` or `POP3`.
    var protocolName: String
    /// Front end (`IMAP4…`) or back end (`IMAP4BE…`).
    var role: Role
    /// The date digits (`yyyyMMddHH`, `yyyyMMdd` or `yyyyMM`), possibly empty.
    var date: String
    /// Week number for weekly roll-over (`yyyyMMW2`), else 0.
    var week: Int
    /// The roll-over number after `-`, else 0.
    var sequence: Int

    /// Parses a file name (not a path); `.gz` is looked through.
    ///
    /// Case does not matter.
    ///
    /// Returns nil for anything that is not named like an IMAP4 or POP3 protocol log.
    static func parse(_ fileName: String) -> LogFileName? {
        var name = Substring(fileName.uppercased())
        if name.hasSuffix(".GZ") { name = name.dropLast(3) }
        guard name.hasSuffix(".LOG") else { return nil }
        name = name.dropLast(4)
        // Check the BE forms first: "IMAP4BE" also starts with "IMAP4".
        let prefixes: [(String, String, Role)] = [
            ("IMAP4BE", "IMAP4", .backEnd), ("POP3BE", "POP3", .backEnd),
            ("IMAP4", "IMAP4", .frontEnd), ("POP3", "POP3", .frontEnd),
        ]
        guard let (prefix, proto, role) = prefixes.first(where: { name.hasPrefix($0.0) }) else { return nil }
        var rest = name.dropFirst(prefix.count)
        let date = rest.prefix(while: \.isASCIIDigit)
        rest = rest.dropFirst(date.count)
        var week = 0
        if rest.first == "W" {
            let digits = rest.dropFirst().prefix(while: \.isASCIIDigit)
            week = Int(digits) ?? 0
            rest = rest.dropFirst(1 + digits.count)
        }
        var sequence = 0
        if rest.first == "-" {
            let digits = rest.dropFirst().prefix(while: \.isASCIIDigit)
            sequence = Int(digits.prefix(9)) ?? 0
            rest = rest.dropFirst(1 + digits.count)
        }
        // Anything else between the prefix and ".LOG" means it is not one of Exchange's names.
        guard rest.isEmpty, date.count <= 12 else { return nil }
        return LogFileName(protocolName: proto, role: role, date: String(date), week: week, sequence: sequence)
    }

    /// Orders the files of one server in the order Exchange wrote them.
    var rollOverKey: String {
        let paddedDate = date.padding(toLength: 12, withPad: "0", startingAt: 0)
        return "\(paddedDate)|\(String(week + 100))|\(String(sequence + 1_000_000_000))"
    }
}

extension Character {
    /// Whether this is one of the ASCII digits 0–9.
    var isASCIIDigit: Bool { ("0"..."9").contains(self) }
}
