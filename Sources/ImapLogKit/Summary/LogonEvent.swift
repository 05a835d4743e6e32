/// One logon, as its server logged it.
public struct LogonEvent: Sendable, Codable, Equatable {
    /// Ms since 1970.
    public var time: Int64
    /// The server that logged it (lower-cased; an address when nothing better names it).
    public var server: ServerKey
    /// Its own address (`sIp`), empty when loopback.
    public var serverAddress: String
    /// The client's address (`cIp`): for a back end, the front end that proxied the session.
    public var clientAddress: String
    public var user: String
    /// The back end a front end proxied it to (lower-cased), empty otherwise.
    public var backend: String
    public var failed: Bool
    /// The error's code and class, when it failed.
    public var errorCode: String
    public var errorClass: ErrorClass?
    /// `path:line`.
    public var example: String
}
