import Foundation
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
/// It works on the report's encoded form, string by string (table cells, evidence, messages, examples), so
/// every renderer (text, JSON, CSV, the check line) shows the same redacted report.
public struct Redactor: Sendable {
    private let salt: [UInt8]
    private let users: Set<String>
    private let clients: Set<String>
    /// Users whose names hold a delimiter (`CONTOSO\alice`, `Alice Martin`), longest first: found as substrings,
    /// since splitting at delimiters would leave their parts in clear.
    private let compoundUsers: [String]

    /// - Parameters:
    ///   - salt: the key of the pseudonyms; nil draws a random one.
    ///   - summary: where the user names and client addresses to hide are learnt (addresses that are
    ///     servers' own stay visible).
    public init(salt: String?, summary: Summary) {
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

    /// The report with every sensitive value replaced.
    public func redact(_ report: Report) throws -> Report {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        let json = Array(try encoder.encode(report))
        return try JSONDecoder().decode(Report.self, from: Data(redactStrings(inJSON: json)))
    }

    /// The pseudonym of a value of a kind (`user`, `client`).
    func pseudonym(_ kind: String, _ value: String) -> String {
        let digest = SHA256.hmac(key: salt, message: Array("\(kind):\(value.lowercased())".utf8))
        return kind + "-" + digest.prefix(5).map { String($0, radix: 16).leftPadded(to: 2) }.joined()
    }

    /// A text with its e-mail addresses, user names and client addresses replaced.
    func redactText(_ text: String) -> String {
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

    /// The report's fields whose strings are times imaplog wrote itself, never log text: left alone, so a user
    /// named like a time (a hostile log can name one so) does not turn a time into a pseudonym the report cannot
    /// read back.
    private static let timeKeys: Set<String> = ["time", "first", "last", "from", "to"]

    /// Rewrites every string literal of a JSON text, leaving everything else (numbers above all) as it was.
    private func redactStrings(inJSON json: [UInt8]) throws -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(json.count)
        var key = ""
        var i = 0
        while i < json.count {
            guard json[i] == UInt8(ascii: "\"") else {
                out.append(json[i])
                i += 1
                continue
            }
            var end = i + 1
            var hasEscape = false
            while end < json.count && json[end] != UInt8(ascii: "\"") {
                if json[end] == UInt8(ascii: "\\") {
                    hasEscape = true
                    end += 1
                }
                end += 1
            }
            let literal = Array(json[i...min(end, json.count - 1)])
            let text =
                hasEscape
                ? try JSONDecoder().decode(String.self, from: Data(literal))
                : String(decoding: literal.dropFirst().dropLast(), as: UTF8.self)
            var next = end + 1
            while next < json.count && (json[next] == 0x20 || json[next] == 0x0A) { next += 1 }
            let isKey = next < json.count && json[next] == UInt8(ascii: ":")
            // Keys name the report's fields: left alone, and so are the times.
            if isKey { key = text }
            let redacted = isKey || Redactor.timeKeys.contains(key) ? text : redactText(text)
            out += redacted == text ? literal : Redactor.jsonLiteral(redacted)
            i = end + 1
        }
        return out
    }

    private static func jsonLiteral(_ text: String) -> [UInt8] {
        var out: [UInt8] = [UInt8(ascii: "\"")]
        for byte in text.utf8 {
            switch byte {
            case UInt8(ascii: "\""), UInt8(ascii: "\\"): out += [UInt8(ascii: "\\"), byte]
            case 0..<0x20: out += Array(String(format: "\\u%04x", byte).utf8)
            default: out.append(byte)
            }
        }
        out.append(UInt8(ascii: "\""))
        return out
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
