/// A user's or a client address's activity.
public struct PartyTally: Sendable, Codable, Equatable {
    public var commands = 0
    public var failures = 0
    /// Logons that failed, for any reason.
    public var failedLogons = 0
    /// Failures of the authentication class: the credentials were refused (wrong password, disabled user).
    public var credentialFailures = 0
    public var sessions = 0

    package mutating func merge(_ other: PartyTally) {
        commands += other.commands
        failures += other.failures
        failedLogons += other.failedLogons
        credentialFailures += other.credentialFailures
        sessions += other.sessions
    }
}
