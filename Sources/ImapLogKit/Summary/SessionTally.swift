/// How sessions ended.
package struct SessionTally: Sendable, Codable, Equatable {
    package var total = 0
    /// Logged on at the front end and handed to a back end.
    package var loggedOnProxied = 0
    /// Logged on, no proxy involved (back-end logs, or a front end that did not say).
    package var loggedOn = 0
    /// Tried to log on and never succeeded.
    package var failedLogon = 0
    /// Never tried to log on (probes of the proxy, port scanners, clients that gave up).
    package var neverAuthenticated = 0
    /// Still open when the logs ended (counted in one of the above too).
    package var openAtEnd = 0

    package mutating func merge(_ other: SessionTally) {
        total += other.total
        loggedOnProxied += other.loggedOnProxied
        loggedOn += other.loggedOn
        failedLogon += other.failedLogon
        neverAuthenticated += other.neverAuthenticated
        openAtEnd += other.openAtEnd
    }
}

// Empty tallies for the diagnosis and the report, which start sums from them: their own initialisers stay
// internal, so the types keep their synthesized memberwise ones.
extension SessionTally {
    package static var empty: SessionTally { SessionTally() }
}
