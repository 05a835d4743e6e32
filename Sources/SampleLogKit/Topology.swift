/// The made-up organisation the sample logs come from: contoso.com, two Client Access servers and three
/// mailbox servers, two databases each.
public struct Topology: Sendable {
    public struct Server: Sendable, Hashable {
        public var name: String
        public var address: String
        public var fqdn: String { "\(name).contoso.com" }
    }

    public var frontEnds: [Server]
    public var backEnds: [Server]
    /// Database → the mailbox server where it is active.
    public var databases: [(name: String, server: Int)]

    public static let contoso = Topology.contoso(frontEnds: 2, backEnds: 3)

    /// contoso with `frontEnds` Client Access and `backEnds` mailbox servers, up to 99 of each.
    ///
    /// CAS01 is at 10.0.1.11, CAS02 at 10.0.1.12, …; MBX01 at 10.0.2.21, …; two databases each (DB01 and DB02 on
    /// MBX01, …). A fleet of any size, for measuring against the number of servers.
    public static func contoso(frontEnds: Int, backEnds: Int) -> Topology {
        precondition((1...99).contains(frontEnds) && (1...99).contains(backEnds), "1 to 99 servers of each kind")
        func number(_ index: Int) -> String { index < 9 ? "0\(index + 1)" : "\(index + 1)" }
        return Topology(
            frontEnds: (0..<frontEnds).map { Server(name: "CAS\(number($0))", address: "10.0.1.\(11 + $0)") },
            backEnds: (0..<backEnds).map { Server(name: "MBX\(number($0))", address: "10.0.2.\(21 + $0)") },
            databases: (0..<(2 * backEnds)).map { ("DB\(number($0))", $0 / 2) })
    }
}

/// One user with a mailbox.
struct Mailbox {
    var account: String  // alice.martin
    var upn: String  // alice.martin@contoso.com
    var database: Int
}

/// What happens during a story, as knobs on the simulation.
public struct Story: Sendable {
    /// Folder under SampleLogs/.
    public var folder: String
    public var title: String
    public var year: Int
    public var month: Int
    public var day: Int
    /// Start, minutes after midnight UTC.
    public var startMinute: Int
    public var minutes: Int
    public var users: Int
    public var seed: UInt64
    /// Mailbox server (index into backEnds) that refuses proxied logons, from `incidentStart` minutes in.
    public var refusingBackEnd: Int?
    /// Mailbox server that answers slowly, and how many times slower.
    public var slowBackEnd: Int?
    public var slowFactor = 1
    /// Front end (index into frontEnds) whose IMAP4 service hangs from `incidentStart`: it logs nothing more,
    /// its own probes stop, and clients go to the other front end.
    public var hungFrontEnd: Int?
    /// Minutes into the story when the incident starts.
    public var incidentStart = 0
    /// Users who keep typing a wrong password, and how many tries each.
    public var wrongPasswordUsers = 0
    public var wrongPasswordTries = 0
    /// How the files are handed over.
    public var packaging = Packaging.plainFolders

    public enum Packaging: Sendable {
        /// `STORY/SERVER/IMAP4*.LOG`, as copied from each server's Logging\Imap4 folder.
        case plainFolders
        /// A `.zip` per front end and `.gz` files per back end, as log collectors hand them over.
        case archives
    }
}

extension Story {
    /// The stories in SampleLogs/, each described in SampleLogs/README.md.
    public static let samples: [Story] = [
        Story(
            folder: "01-quiet-morning", title: "A quiet, healthy morning", year: 2026, month: 11, day: 16,
            startMinute: 7 * 60 + 40, minutes: 40, users: 24, seed: 1),
        Story(
            folder: "02-mbx02-refusing-logons", title: "MBX02 refuses proxied logons (mailbox database offline)",
            year: 2026, month: 11, day: 17, startMinute: 9 * 60 + 40, minutes: 40, users: 24, seed: 2,
            refusingBackEnd: 1, incidentStart: 12),
        Story(
            folder: "03-slow-mbx03", title: "MBX03's store hangs: commands take minutes", year: 2026, month: 11,
            day: 18, startMinute: 13 * 60 + 40, minutes: 40, users: 24, seed: 3, slowBackEnd: 2, slowFactor: 6000,
            incidentStart: 10),
        Story(
            folder: "04-wrong-passwords", title: "Users typing wrong passwords", year: 2026, month: 11, day: 19,
            startMinute: 8 * 60 + 40, minutes: 40, users: 24, seed: 4, wrongPasswordUsers: 3, wrongPasswordTries: 6),
        Story(
            folder: "05-collected-archives", title: "Logs handed over as .zip and .gz by a log collector",
            year: 2026, month: 11, day: 20, startMinute: 10 * 60 + 40, minutes: 30, users: 16, seed: 5,
            packaging: .archives),
        Story(
            folder: "07-cas02-imap4-hung", title: "CAS02's IMAP4 service hangs", year: 2026, month: 11, day: 22,
            startMinute: 10 * 60, minutes: 40, users: 24, seed: 7, hungFrontEnd: 1, incidentStart: 15),
    ]
}
