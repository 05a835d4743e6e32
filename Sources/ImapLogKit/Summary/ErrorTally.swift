// Errors: their key (class, code, response text) and how often each happened, where.

/// An error: its class, its code and the response text.
package struct ErrorKey: Hashable, Sendable, Codable, Comparable {
    package var errorClass: ErrorClass
    package var code: String
    package var message: String

    package static func < (lhs: ErrorKey, rhs: ErrorKey) -> Bool {
        (lhs.errorClass, lhs.code, lhs.message) < (rhs.errorClass, rhs.code, rhs.message)
    }
}

/// How often an error happened, on which servers, and where to see one.
package struct ErrorTally: Sendable, Codable, Equatable {
    package var count = 0
    /// Lower-cased names of the servers that logged it or that it was proxied to, at most 32.
    package var servers: [String] = []
    /// `path:line` of the first occurrence.
    package var example: String?

    package mutating func merge(_ other: ErrorTally) {
        count += other.count
        servers = Array(Set(servers + other.servers).sorted().prefix(32))
        if example == nil { example = other.example }
    }
}
