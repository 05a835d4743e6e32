// Errors: their key (class, code, response text) and how often each happened, where.

/// An error: its class, its code and the response text.
public struct ErrorKey: Hashable, Sendable, Codable, Comparable {
    public var errorClass: ErrorClass
    public var code: String
    public var message: String

    public static func < (lhs: ErrorKey, rhs: ErrorKey) -> Bool {
        (lhs.errorClass, lhs.code, lhs.message) < (rhs.errorClass, rhs.code, rhs.message)
    }
}

/// How often an error happened, on which servers, and where to see one.
public struct ErrorTally: Sendable, Codable, Equatable {
    public var count = 0
    /// Lower-cased names of the servers that logged it or that it was proxied to, at most 32.
    public var servers: [String] = []
    /// `path:line` of the first occurrence.
    public var example: String?

    package mutating func merge(_ other: ErrorTally) {
        count += other.count
        servers = Array(Set(servers + other.servers).sorted().prefix(32))
        if example == nil { example = other.example }
    }
}
