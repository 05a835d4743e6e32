/// The made-up organisation the sample logs come from: contoso.com, two Client Access servers and three
/// mailbox servers, two databases each.
package struct Topology: Sendable {
    package struct Server: Sendable, Hashable {
        package var name: String
        package var address: String
        package var fqdn: String { "\(name).contoso.com" }
    }

    package var frontEnds: [Server]
    package var backEnds: [Server]
    /// Database → the mailbox server where it is active.
    package var databases: [(name: String, server: Int)]

    package static let contoso = Topology.contoso(frontEnds: 2, backEnds: 3)

    /// contoso with `frontEnds` Client Access and `backEnds` mailbox servers, up to 99 of each.
    ///
    /// CAS01 is at 10.0.1.11, CAS02 at 10.0.1.12, …; MBX01 at 10.0.2.21, …; two databases each (DB01 and DB02 on
    /// MBX01, …). A fleet of any size, for measuring against the number of servers.
    package static func contoso(frontEnds: Int, backEnds: Int) -> Topology {
        precondition((1...99).contains(frontEnds) && (1...99).contains(backEnds), "1 to 99 servers of each kind")
        func number(_ index: Int) -> String { index < 9 ? "0\(index + 1)" : "\(index + 1)" }
        return Topology(
            frontEnds: (0..<frontEnds).map { Server(name: "CAS\(number($0))", address: "10.0.1.\(11 + $0)") },
            backEnds: (0..<backEnds).map { Server(name: "MBX\(number($0))", address: "10.0.2.\(21 + $0)") },
            databases: (0..<(2 * backEnds)).map { ("DB\(number($0))", $0 / 2) })
    }

    /// Two multi-role Exchange 2016 servers, EX01 (10.0.3.31) and EX02 (10.0.3.32), each front end and back end
    /// at once, with two databases each.
    package static let contosoMultiRole: Topology = {
        let servers = [Server(name: "EX01", address: "10.0.3.31"), Server(name: "EX02", address: "10.0.3.32")]
        return Topology(
            frontEnds: servers, backEnds: servers,
            databases: [("DB01", 0), ("DB02", 0), ("DB03", 1), ("DB04", 1)])
    }()
}

/// One user with a mailbox.
struct Mailbox {
    var account: String  // alice.martin
    var upn: String  // alice.martin@contoso.com
    var database: Int

    /// Exchange's own monitoring account for a database (the probes log on as it).
    var isHealthMailbox: Bool { account.hasPrefix("HealthMailbox") }
}

/// What happens during a story, as knobs on the simulation.
package struct Story: Sendable {
    /// Folder under SampleLogs/.
    package var folder: String
    package var title: String
    package var year: Int
    package var month: Int
    package var day: Int
    /// Start, minutes after midnight UTC.
    package var startMinute: Int
    package var minutes: Int
    package var users: Int
    package var seed: UInt64
    /// Mailbox server (index into backEnds) that refuses proxied logons, from `incidentStart` minutes in.
    package var refusingBackEnd: Int?
    /// Mailbox server that answers slowly, and how many times slower.
    package var slowBackEnd: Int?
    package var slowFactor = 1
    /// Front end (index into frontEnds) whose IMAP4 service hangs from `incidentStart`: it logs nothing more,
    /// its own probes stop, and clients go to the other front end.
    package var hungFrontEnd: Int?
    /// Minutes into the story when the incident starts.
    package var incidentStart = 0
    /// Users who keep typing a wrong password, and how many tries each.
    package var wrongPasswordUsers = 0
    package var wrongPasswordTries = 0
    /// How the files are handed over.
    package var packaging = Packaging.plainFolders
    /// How the refusing back end refuses (the exceptions its logons fail with).
    package var storeFault = StoreFault.mailboxOffline
    /// How long the incident lasts, in minutes; nil: to the story's end.
    package var incidentMinutes: Int?
    /// Front end (index into frontEnds) that cannot authenticate to any back end from `incidentStart`: every logon
    /// it proxies is refused with `ProxyNotAuthenticated` (a certificate or configuration fault) and never reaches
    /// a back end.
    package var proxyNotAuthenticatedFrontEnd: Int?
    /// Whether Exchange's probes run (false: monitoring turned off, or a collector that filtered them out).
    package var probesRun = true
    /// Whether the health mailboxes' password is broken: every probe logon is refused with `LogonDenied`.
    package var healthMailboxDenied = false
    /// How many times a user's client tries again (after 20–60 s) when a server refuses its logon.
    package var clientRetries = 0
    /// Every command on `slowBackEnd` takes this many milliseconds while the incident lasts (instead of
    /// `slowFactor` times the usual).
    package var slowCommandMillis: ClosedRange<Int>?
    /// The one client address every front end sees (a load balancer doing SNAT); nil: the clients' own.
    package var clientAddress: String?
    /// The servers, when not contoso's two Client Access and three mailbox servers.
    package var topology: Topology?
    /// Whether the files have the 13th field, `puid` (a value on each row with a user).
    package var puid = false
    /// POP3 users beside the IMAP ones (POP3 and POP3BE files in the same server folders), if any.
    package var pop3: Pop3?
    /// What the admin saved from a console beside the logs, written as the story's `alert.txt`.
    package var alert: AlertFile?

    package enum Packaging: Sendable {
        /// `STORY/SERVER/IMAP4*.LOG`, as copied from each server's Logging\Imap4 folder.
        case plainFolders
        /// A `.zip` per front end and `.gz` files per back end, as log collectors hand them over.
        case archives
        /// Only the back ends' folders (`IMAP4BE*.LOG`): the front ends' logs were not collected.
        case backEndsOnly
    }

    package enum StoreFault: Sendable {
        /// `MailboxOfflineException` on every refused logon.
        case mailboxOffline
        /// `MailboxOfflineException` or `ConnectionFailedTransientException` (quoting the server's legacy DN).
        case storeUnreachable
        /// A database failover: `MailboxOfflineException` or `WrongServerException`.
        case failover
    }

    /// POP3 traffic: users polling every 10 minutes, users with a wrong password, and a back end whose store
    /// refuses some logons for a while.
    package struct Pop3: Sendable {
        package var users: Int
        /// Minutes (from the story's start) during which `failingBackEnd` refuses POP3 logons.
        package var failingBackEnd: Int
        package var failingMinutes: ClosedRange<Int>
        package var wrongPasswordTries: Int
    }

    /// A text an admin saved from a console.
    package struct AlertFile: Sendable {
        package var lines: [String]
        /// UTF-16 LE with a byte-order mark (Windows PowerShell 5's `Out-File`), or UTF-8 without one.
        package var utf16: Bool

        /// The file's bytes: CRLF line ends, in its encoding.
        package var bytes: [UInt8] {
            let text = lines.joined(separator: "\r\n") + "\r\n"
            guard utf16 else { return Array(text.utf8) }
            return [0xFF, 0xFE] + text.utf16.flatMap { [UInt8($0 & 0xFF), UInt8($0 >> 8)] }
        }
    }
}

extension Story {
    /// The stories in SampleLogs/, each described in SampleLogs/README.md.
    package static let samples: [Story] =
        [
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
        ] + moreSamples
}
