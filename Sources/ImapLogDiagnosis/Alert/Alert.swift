import Foundation
import ImapLogKit

/// What an administrator's alert or cmdlet output says: which monitors are failing, on which server,
/// which mailbox servers it names, and when.
package struct Alert: Sendable, Equatable, Codable {
    /// Failing monitors in the order first seen: those of `Unhealthy`/`Degraded` rows and of probes that
    /// `Failed`/`TimedOut`; in text with no status at all, the monitors it names.
    package var monitors: [Monitor] = []
    /// The failing IMAP health sets named (`IMAP`, `IMAP.Proxy`, `IMAP.Protocol`).
    package var healthSets: [String] = []
    /// Failing health sets that are not IMAP's (`ActiveSync`, `POP.Protocol`): imaplog cannot check them.
    package var otherHealthSets: [String] = []
    /// The text gives the health of IMAP monitors and every one is healthy: the problem has cleared.
    package var isAllHealthy = false
    /// The server the alert or probe ran on (`Get-ServerHealth`'s Server, `-Server`, ClientAccessServer).
    package var servers: [String] = []
    /// Mailbox servers it names: `StateAttribute4`, `_Mbx:`, `Proxy=`, `Proxy:`, `ServerFqdn:`, `MbxServre:`.
    package var mailboxServers: [String] = []
    /// The alert's time (ms since 1970, UTC), when it gives one.
    package var time: Int64?
    /// The time as written in the alert.
    package var timeText: String?
    /// The time was the server's local time (no `Z` or offset), read in the zone given to the parser.
    package var timeIsLocal = false
    /// Error lines it quotes (`Error : IMAP Error: aYKG NO LOGIN failed.`), at most 10 of 300 characters.
    package var errors: [String] = []
    /// Part of the text was not read: it was longer than `AlertParser.maximumBytes`, or a line than
    /// `AlertParser.maximumLineLength`.
    package var isTruncated = false
    /// The zone a local time was read in (`Europe/Paris`, `GMT+0100`), when the time was local.
    package var timeZone: String?
    /// The logs' window the alert's time centred the analysis on (ISO times); nil when every row was read.
    package var windowFrom: String?
    package var windowTo: String?
    /// A time the alert gives that cannot be read, as written (`2026-11-17T10:05:99999999999Z`: a field out of
    /// range), when it gives no time that can: left out, so the analysis is not centred on it.
    package var unreadableTime: String?

    package init() {}
}
