// Exchange's own probe traffic, counted apart, and the keys it is kept under.

/// All probe traffic: counted apart, never thrown away.
package struct ProbeTally: Sendable, Codable, Equatable {
    package var records = 0
    package var commands = CommandTally()
    package var sessions: [ProbeKey: ProbeSessionTally] = [:]
    /// Probe sessions per minute of their start, by probe and server: gaps, failures and slow spells.
    package var minutes: [ProbeServerKey: MinuteTable<ProbeMinuteTally>] = [:]

    package mutating func merge(_ other: ProbeTally) {
        records += other.records
        commands.merge(other.commands)
        for (k, v) in other.sessions { sessions[k, default: ProbeSessionTally()].merge(v) }
        Summary.mergeNested(&minutes, other.minutes)
    }
}

/// Probe sessions of one kind on one server, to one back end.
package struct ProbeKey: Hashable, Sendable, Codable, Comparable {
    package var kind: ProbeKind
    package var server: ServerKey
    /// Lower-cased back end a front-end probe was proxied to; empty when none was named.
    package var backend = ""

    package static func < (lhs: ProbeKey, rhs: ProbeKey) -> Bool {
        (lhs.kind, lhs.server, lhs.backend) < (rhs.kind, rhs.server, rhs.backend)
    }
}

/// One probe kind on one server.
package struct ProbeServerKey: Hashable, Sendable, Codable, Comparable {
    package var kind: ProbeKind
    package var server: ServerKey

    package static func < (lhs: ProbeServerKey, rhs: ProbeServerKey) -> Bool {
        (lhs.kind, lhs.server) < (rhs.kind, rhs.server)
    }
}

// Encoded with the dictionaries whose keys are not strings in key order (`encodeSorted`), so the same tally always
// gives the same bytes; here, beside the type, because its synthesized coding keys are private to this file.
extension ProbeTally {
    package func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(records, forKey: .records)
        try container.encode(commands, forKey: .commands)
        try container.encodeSorted(sessions, forKey: .sessions)
        try container.encodeSorted(minutes, forKey: .minutes)
    }
}

extension ProbeKey {
    package static func of(_ kind: ProbeKind, server: ServerKey) -> ProbeKey { ProbeKey(kind: kind, server: server) }
}
