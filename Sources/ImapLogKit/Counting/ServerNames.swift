/// Merges the names one server goes by: any case, short name or FQDN.
package enum ServerNames {
    /// Whether two lower-cased names denote the same server: equal, or one is the other's first label.
    package static func sameServer(_ a: String, _ b: String) -> Bool {
        if a == b { return true }
        if a.contains(".") && b.contains(".") { return false }
        return firstLabel(a) == firstLabel(b) && !isAddress(a) && !isAddress(b)
    }

    /// `mbx01` of `mbx01.contoso.com`.
    package static func firstLabel(_ name: String) -> Substring {
        name.split(separator: ".", maxSplits: 1).first ?? Substring(name)
    }

    /// Whether the name is an IP address rather than a host name.
    package static func isAddress(_ name: String) -> Bool {
        name.contains(":") || (!name.isEmpty && name.allSatisfy { $0.isNumber || $0 == "." })
    }

    /// Maps each lower-cased name to its canonical lower-cased name: a short name goes to the one FQDN
    /// whose first label it is, when exactly one such FQDN was seen; everything else stays itself.
    package static func canonicalNames(_ names: some Sequence<String>) -> [String: String] {
        let all = Set(names)
        var fqdnsByLabel: [Substring: [String]] = [:]
        for name in all where name.contains(".") && !isAddress(name) {
            fqdnsByLabel[firstLabel(name), default: []].append(name)
        }
        var result: [String: String] = [:]
        for name in all {
            if !name.contains("."), !isAddress(name), let fqdns = fqdnsByLabel[Substring(name)], fqdns.count == 1 {
                result[name] = fqdns[0]
            } else {
                result[name] = name
            }
        }
        return result
    }
}
