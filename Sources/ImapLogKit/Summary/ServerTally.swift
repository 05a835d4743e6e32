/// What a server did, as its own logs tell it and as the front ends that proxied to it tell it.
package struct ServerTally: Sendable, Codable, Equatable {
    /// Records in this server's own logs.
    package var records = 0
    /// Sessions in its own logs.
    package var sessions = 0
    /// Client commands in its own logs.
    package var own = CommandTally()
    /// How its own sessions ended.
    package var outcomes = SessionTally()
    /// Front-end sessions proxied to this server (it is their back end).
    package var proxiedSessions = 0
    /// Front-end commands on sessions proxied to this server.
    package var proxied = CommandTally()
    /// Failed records in its own logs, by error class.
    package var failureClasses: [ErrorClass: Int] = [:]
    /// Failed front-end records on sessions proxied to it, by error class.
    package var proxiedFailureClasses: [ErrorClass: Int] = [:]
    /// Local addresses (`sIp`) its own logs show, at most 8.
    package var addresses: [String] = []
    /// `path:line` of the first server-side failures in its own logs (not credentials, not the client's), at most 5.
    package var examples: [String] = []
    /// `path:line` of the first server-side failures of front-end rows proxied to it, at most 5.
    package var proxiedExamples: [String] = []

    package mutating func merge(_ other: ServerTally) {
        records += other.records
        sessions += other.sessions
        own.merge(other.own)
        outcomes.merge(other.outcomes)
        proxiedSessions += other.proxiedSessions
        proxied.merge(other.proxied)
        failureClasses.merge(other.failureClasses, uniquingKeysWith: +)
        proxiedFailureClasses.merge(other.proxiedFailureClasses, uniquingKeysWith: +)
        addresses = Array(Set(addresses + other.addresses).sorted().prefix(8))
        examples = Array((examples + other.examples).prefix(5))
        proxiedExamples = Array((proxiedExamples + other.proxiedExamples).prefix(5))
    }
}

// Encoded with the dictionaries whose keys are not strings in key order (`encodeSorted`), so the same tally always
// gives the same bytes; here, beside the type, because its synthesized coding keys are private to this file.
extension ServerTally {
    package func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(records, forKey: .records)
        try container.encode(sessions, forKey: .sessions)
        try container.encode(own, forKey: .own)
        try container.encode(outcomes, forKey: .outcomes)
        try container.encode(proxiedSessions, forKey: .proxiedSessions)
        try container.encode(proxied, forKey: .proxied)
        try container.encodeSorted(failureClasses, forKey: .failureClasses)
        try container.encodeSorted(proxiedFailureClasses, forKey: .proxiedFailureClasses)
        try container.encode(addresses, forKey: .addresses)
        try container.encode(examples, forKey: .examples)
        try container.encode(proxiedExamples, forKey: .proxiedExamples)
    }
}

// Empty tallies for the diagnosis and the report, which start sums from them: their own initialisers stay
// internal, so the types keep their synthesized memberwise ones.
extension ServerTally {
    package static var empty: ServerTally { ServerTally() }
}
