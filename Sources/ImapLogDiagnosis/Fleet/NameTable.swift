import ImapLogKit

/// Canonical names (short name → FQDN) and their best spellings.
package struct NameTable {
    private let canonicalByName: [String: String]
    private let spellings: [String: String]

    /// - Parameter addressNames: back ends known only by address, named by the front ends (`Stitcher`).
    package init(_ summary: Summary, addressNames: [String: String] = [:]) {
        var all = Set(summary.servers.keys.map(\.name))
        for tally in summary.errors.values { all.formUnion(tally.servers) }
        all.formUnion(addressNames.values)
        var canonical = ServerNames.canonicalNames(all.map { $0.lowercased() })
        var spellings = summary.serverSpellings
        for (address, name) in addressNames {
            let lower = name.lowercased()
            canonical[address] = canonical[lower] ?? lower
            if spellings[lower] == nil { spellings[lower] = name }
        }
        canonicalByName = canonical
        self.spellings = spellings
    }

    package func canonical(_ lowercased: String) -> String {
        canonicalByName[lowercased] ?? lowercased
    }

    package func display(_ lowercased: String) -> String {
        let name = canonical(lowercased)
        return spellings[name] ?? name
    }
}
