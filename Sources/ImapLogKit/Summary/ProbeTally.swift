// Exchange's own probe traffic, counted apart, and the keys it is kept under.

/// All probe traffic: counted apart, never thrown away.
public struct ProbeTally: Sendable, Codable, Equatable {
    public var records = 0
    public var commands = CommandTally()
    public var sessions: [ProbeKey: ProbeSessionTally] = [:]
    /// Probe sessions per minute of their start, by probe and server: gaps, failures and slow spells.
    public var minutes: [ProbeServerKey: MinuteTable<ProbeMinuteTally>] = [:]

    package mutating func merge(_ other: ProbeTally) {
        records += other.records
        commands.merge(other.commands)
        for (k, v) in other.sessions { sessions[k, default: ProbeSessionTally()].merge(v) }
        Summary.mergeNested(&minutes, other.minutes)
    }
}

/// Probe sessions of one kind on one server, to one back end.
public struct ProbeKey: Hashable, Sendable, Codable, Comparable {
    public var kind: ProbeKind
    public var server: ServerKey
    /// Lower-cased back end a front-end probe was proxied to; empty when none was named.
    public var backend = ""

    public static func < (lhs: ProbeKey, rhs: ProbeKey) -> Bool {
        (lhs.kind, lhs.server, lhs.backend) < (rhs.kind, rhs.server, rhs.backend)
    }
}

/// One probe kind on one server.
public struct ProbeServerKey: Hashable, Sendable, Codable, Comparable {
    public var kind: ProbeKind
    public var server: ServerKey

    public static func < (lhs: ProbeServerKey, rhs: ProbeServerKey) -> Bool {
        (lhs.kind, lhs.server) < (rhs.kind, rhs.server)
    }
}

// Encoded with the dictionaries whose keys are not strings in key order (`encodeSorted`), so the same tally always
// gives the same bytes; here, beside the type, because its synthesized coding keys are private to this file.
extension ProbeTally {
    public func encode(to encoder: any Encoder) throws {
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
