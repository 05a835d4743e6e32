/// What may stand as a server's name: a DNS host name or an IP address, nothing else.
///
/// Server names come from folders, log rows (`sIp`, `Proxy:`, `Location: ServerFqdn:`), alerts and summaries:
/// text anybody can write. Only a name that passes these checks reaches a command the tool suggests, so a row
/// whose `sIp` is `x;Stop-Computer -Force;#` can never put that into the admin's next steps.
package enum HostName {
    /// Whether `text` is a host name.
    ///
    /// RFC 1123: letters, digits and `-` in dot-separated labels of 1–63 characters, not starting or ending with
    /// `-`; at most 253 characters, one trailing dot allowed. `_` is let through inside a label, as NetBIOS names
    /// and some DNS zones use it.
    package static func isValid(_ text: String) -> Bool {
        var name = Substring(text)
        if name.hasSuffix(".") { name = name.dropLast() }
        guard (1...253).contains(name.utf8.count) else { return false }
        for label in name.split(separator: ".", omittingEmptySubsequences: false) {
            guard (1...63).contains(label.utf8.count), label.first != "-", label.last != "-",
                label.utf8.allSatisfy({ isLetterOrDigit($0) || $0 == UInt8(ascii: "-") || $0 == UInt8(ascii: "_") })
            else { return false }
        }
        return true
    }

    /// Whether `text` is an IPv4 address (`10.0.1.11`) or an IPv6 address (`fe80::1`, `[::1]` without the
    /// brackets), written as Exchange writes them.
    package static func isAddress(_ text: String) -> Bool {
        isIPv4(text) || isIPv6(text)
    }

    /// Whether `text` may stand in a command: a valid host name or address.
    package static func isSafe(_ text: String) -> Bool {
        isAddress(text) || isValid(text)
    }

    /// `text` quoted for PowerShell (`'MBX02.contoso.com'`), or nil when it is no host name or address.
    package static func quoted(_ text: String) -> String? {
        // A valid name holds no quote, so single quotes need no escaping.
        isSafe(text) ? "'\(text)'" : nil
    }

    static func isIPv4(_ text: String) -> Bool {
        let parts = text.split(separator: ".", omittingEmptySubsequences: false)
        return parts.count == 4
            && parts.allSatisfy { part in
                (1...3).contains(part.utf8.count) && part.utf8.allSatisfy(isDigit) && (Int(part) ?? 256) <= 255
            }
    }

    static func isIPv6(_ text: String) -> Bool {
        guard text.contains(":"), (2...45).contains(text.utf8.count) else { return false }
        // An embedded IPv4 tail (`::ffff:10.0.1.11`) is checked as such.
        var body = Substring(text)
        if let lastColon = text.lastIndex(of: ":"), text[lastColon...].contains(".") {
            guard isIPv4(String(text[text.index(after: lastColon)...])) else { return false }
            body = text[...lastColon]
        }
        let groups = body.split(separator: ":", omittingEmptySubsequences: false)
        guard groups.count <= 9, body.components(separatedBy: "::").count <= 2 else { return false }
        return groups.allSatisfy { group in
            group.utf8.count <= 4 && group.utf8.allSatisfy { isDigit($0) || isHexLetter($0) }
        }
    }

    private static func isDigit(_ byte: UInt8) -> Bool { byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9") }

    private static func isHexLetter(_ byte: UInt8) -> Bool {
        let lower = byte | 0x20
        return lower >= UInt8(ascii: "a") && lower <= UInt8(ascii: "f")
    }

    private static func isLetterOrDigit(_ byte: UInt8) -> Bool {
        let lower = byte | 0x20
        return isDigit(byte) || (lower >= UInt8(ascii: "a") && lower <= UInt8(ascii: "z"))
    }
}
