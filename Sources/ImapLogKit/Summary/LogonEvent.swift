/// One logon, as its server logged it.
package struct LogonEvent: Sendable, Codable, Equatable {
    /// Ms since 1970.
    package var time: Int64
    /// The server that logged it (lower-cased; an address when nothing better names it).
    package var server: ServerKey
    /// Its own address (`sIp`), empty when loopback.
    package var serverAddress: String
    /// The client's address (`cIp`): for a back end, the front end that proxied the session.
    package var clientAddress: String
    package var user: String
    /// The back end a front end proxied it to (lower-cased), empty otherwise.
    package var backend: String
    package var failed: Bool
    /// The error's code and class, when it failed.
    package var errorCode: String
    package var errorClass: ErrorClass?
    /// `path:line`.
    package var example: String
}
