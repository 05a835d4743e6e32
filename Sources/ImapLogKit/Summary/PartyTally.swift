/// A user's or a client address's activity.
package struct PartyTally: Sendable, Codable, Equatable {
    package var commands = 0
    package var failures = 0
    /// Logons that failed, for any reason.
    package var failedLogons = 0
    /// Failures of the authentication class: the credentials were refused (wrong password, disabled user).
    package var credentialFailures = 0
    package var sessions = 0

    package mutating func merge(_ other: PartyTally) {
        commands += other.commands
        failures += other.failures
        failedLogons += other.failedLogons
        credentialFailures += other.credentialFailures
        sessions += other.sessions
    }
}
