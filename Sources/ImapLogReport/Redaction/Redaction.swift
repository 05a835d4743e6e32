import ImapLogDiagnosis
import ImapLogKit

/// Replaces users, e-mail addresses and client addresses in a report by stable pseudonyms, so the report
/// can be shared; server names and server addresses are kept.
///
/// A pseudonym is `user-` or `client-` and ten hex digits of HMAC-SHA-256 under a salt, of the value in lower
/// case: the same value gets the same pseudonym everywhere in a report, and in every report made with the
/// same salt (so two reports can be compared). Without a salt of the user's, a random one is drawn per run,
/// and pseudonyms cannot be reversed by hashing a list of likely names.
///
/// It works on the report's typed fields, by kind: `ReportBuilder` makes every sentence with the redactor (each
/// value a sentence holds goes through `user`, `client`, or `redactText` for log text and places, never a server
/// name), and hides the tables' users, clients, messages, rows and paths with `redactTables`. Every renderer (text,
/// JSON, CSV, the check line) then shows the same redacted report.
package struct Redactor: Sendable {
    private let salt: [UInt8]
    private let users: Set<String>
    private let clients: Set<String>
    /// Servers' names, first labels and addresses, lower-cased: never hidden.
    private let serverNames: Set<String>
    /// Users whose names hold a delimiter (`CONTOSO\alice`, `Alice Martin`), longest first: found as substrings,
    /// since splitting at delimiters would leave their parts in clear.
    private let compoundUsers: [String]

    /// - Parameters:
    ///   - salt: the key of the pseudonyms; nil draws a random one.
    ///   - summary: where the user names and client addresses to hide are learnt (addresses that are
    ///     servers' own stay visible).
    package init(salt: String?, summary: Summary) {
        if let salt {
            self.salt = Array(salt.utf8)
        } else {
            var generator = SystemRandomNumberGenerator()
            self.salt = (0..<32).map { _ in UInt8.random(in: 0...255, using: &generator) }
        }
        // Server names and addresses are never hidden, even where a hostile client logged on with one as its user
        // name: the verdict must still name the server.
        var serverNames = Set(summary.servers.values.flatMap { $0.addresses }.map { $0.lowercased() })
        for key in summary.servers.keys { serverNames.insert(key.name.lowercased()) }
        for name in summary.serverSpellings.keys { serverNames.insert(name.lowercased()) }
        for name in serverNames where name.contains(".") { serverNames.insert(String(ServerNames.firstLabel(name))) }
        self.serverNames = serverNames
        let users = Set(summary.users.keys.map { $0.lowercased() }.filter { !$0.isEmpty && !serverNames.contains($0) })
        self.users = users
        compoundUsers = users.filter { $0.contains(where: Redactor.isDelimiter) }.sorted {
            ($0.count, $1) > ($1.count, $0)
        }
        clients = Set(
            summary.clients.keys.map { $0.lowercased() }.filter {
                !$0.isEmpty && !serverNames.contains($0) && !Redactor.isLoopback($0)
            })
    }

    /// A user's name as the report may show it: its pseudonym, unless it is a server's name.
    func user(_ name: String) -> String {
        let lowered = name.lowercased()
        return name.isEmpty || serverNames.contains(lowered) ? name : pseudonym("user", lowered)
    }

    /// A client's address as the report may show it: its pseudonym, unless it is a server's or the loopback.
    func client(_ address: String) -> String {
        let lowered = address.lowercased()
        return address.isEmpty || serverNames.contains(lowered) || Redactor.isLoopback(lowered)
            ? address : pseudonym("client", lowered)
    }

    /// The report's tables with their users, clients, log text, rows and paths hidden (its sentences were made
    /// redacted by `ReportBuilder`).
    func redactTables(_ report: inout Report) {
        for index in report.users.indices { report.users[index].name = user(report.users[index].name) }
        for index in report.clients.indices { report.clients[index].name = client(report.clients[index].name) }
        report.errors = report.errors.map(redact)
        report.servers = report.servers.map(redact)
        if var alert = report.alert {
            alert.errors = alert.errors.map(redactText)
            report.alert = alert
        }
        report.input.skippedExamples = report.input.skippedExamples.mapValues(redactText)
        report.input.files = report.input.files.map { file in
            var redacted = file
            redacted.path = redactText(file.path)
            redacted.notices = file.notices.map(redactText)
            redacted.error = file.error.map(redactText)
            return redacted
        }
        if var pop3 = report.pop3 {
            pop3.errors = pop3.errors.map(redact)
            pop3.servers = pop3.servers.map(redact)
            report.pop3 = pop3
        }
    }

    private func redact(_ entry: Report.ErrorEntry) -> Report.ErrorEntry {
        var redacted = entry
        redacted.message = redactText(entry.message)
        redacted.example = entry.example.map(redactText)
        return redacted
    }

    /// A server's row: its name and addresses stay, the rows it cites are places.
    private func redact(_ server: Report.Server) -> Report.Server {
        var redacted = server
        redacted.examples = server.examples.map(redactText)
        redacted.proxied?.examples = server.proxied?.examples.map(redactText) ?? []
        return redacted
    }

    /// The pseudonym of a value of a kind (`user`, `client`).
    func pseudonym(_ kind: String, _ value: String) -> String {
        let digest = SHA256.hmac(key: salt, message: Array("\(kind):\(value.lowercased())".utf8))
        return kind + "-" + digest.prefix(5).map { String($0, radix: 16).leftPadded(to: 2) }.joined()
    }

    /// A text with its e-mail addresses, user names and client addresses replaced.
    package func redactText(_ text: String) -> String {
        var text = text
        var lowered = text.lowercased()
        if users.contains(lowered) { return pseudonym("user", lowered) }
        if clients.contains(lowered) { return pseudonym("client", lowered) }
        for user in compoundUsers where lowered.contains(user) {
            // Case-insensitively, every occurrence; the pseudonym holds no delimiter and no user name.
            while let range = text.range(of: user, options: [.caseInsensitive]) {
                text.replaceSubrange(range, with: pseudonym("user", user))
            }
            lowered = text.lowercased()
        }
        var out = ""
        var token = ""
        func flush() {
            if !token.isEmpty { out += redactToken(token) }
            token = ""
        }
        for character in text {
            if Redactor.isDelimiter(character) {
                flush()
                out.append(character)
            } else {
                token.append(character)
            }
        }
        flush()
        return out
    }

    private func redactToken(_ token: String) -> String {
        // Trailing punctuation belongs to the sentence, not the value.
        var core = Substring(token)
        var tail = ""
        while let last = core.last, last == "." || last == ":" || last == "!" || last == "?" {
            tail = String(last) + tail
            core = core.dropLast()
        }
        let value = core.lowercased()
        if value.isEmpty { return token }
        if users.contains(value) || (value.contains("@") && Redactor.looksLikeAddress(value)) {
            return pseudonym("user", value) + tail
        }
        if clients.contains(value) { return pseudonym("client", value) + tail }
        // `address:port`.
        if let colon = value.lastIndex(of: ":"), clients.contains(String(value[..<colon])) {
            return pseudonym("client", String(value[..<colon])) + value[colon...] + tail
        }
        return token
    }

    private static func isDelimiter(_ c: Character) -> Bool {
        c.isWhitespace || ",;\"'()[]<>=|\\/{}".contains(c)
    }

    private static func looksLikeAddress(_ value: String) -> Bool {
        guard let at = value.firstIndex(of: "@") else { return false }
        return at > value.startIndex && value.index(after: at) < value.endIndex
    }

    private static func isLoopback(_ address: String) -> Bool {
        address.hasPrefix("127.") || address == "::1" || address.hasPrefix("::ffff:127.")
    }
}

extension String {
    fileprivate func leftPadded(to width: Int) -> String {
        count >= width ? self : String(repeating: "0", count: width - count) + self
    }
}
