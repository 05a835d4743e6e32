/// A server in one role: Exchange 2016+ runs front end and back end on every server.
package struct ServerKey: Hashable, Sendable, Codable, Comparable {
    /// Lower-cased name (or address).
    package var name: String
    package var role: Role

    package static func < (lhs: ServerKey, rhs: ServerKey) -> Bool { (lhs.name, lhs.role) < (rhs.name, rhs.role) }
}

extension ServerKey {
    /// A server in a role, for the diagnosis and the report (the memberwise initialiser stays internal).
    package static func named(_ name: String, role: Role) -> ServerKey { ServerKey(name: name, role: role) }
}
