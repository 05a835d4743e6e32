// Logons per route and minute: the route (`LogonPath`) and its tally.

/// Whose logons a table of `Summary.logonsByBackend` counts: a front end's towards a back end, or a back end's own.
///
/// A front end and a back end log the same logon once each; the two views are kept apart so that one logon is
/// counted once, and a front end failing towards every back end can be told from a back end failing for all.
package struct LogonPath: Hashable, Sendable, Comparable {
    /// The front end that proxied the logons (lower-cased; empty when not known: a back end's own view, or a
    /// summary written before front ends were told apart).
    package var frontEnd: String
    /// The back end the logons went to (lower-cased; empty when the front end named none).
    package var backEnd: String
    /// Whether the back end's own log counted them (else the front end's).
    package var isBackEndView: Bool

    package init(frontEnd: String, backEnd: String, isBackEndView: Bool = false) {
        self.frontEnd = frontEnd
        self.backEnd = backEnd
        self.isBackEndView = isBackEndView
    }

    /// Reads a key.
    ///
    /// `cas01>mbx02.contoso.com` (a front end's), `=mbx02.contoso.com` (a back end's own), or a bare back end
    /// (summaries of earlier versions, front ends merged). Host names hold neither `>` nor `=`.
    package init(key: String) {
        if key.hasPrefix("=") {
            self.init(frontEnd: "", backEnd: String(key.dropFirst()), isBackEndView: true)
        } else if let arrow = key.firstIndex(of: ">") {
            self.init(frontEnd: String(key[..<arrow]), backEnd: String(key[key.index(after: arrow)...]))
        } else {
            self.init(frontEnd: "", backEnd: key)
        }
    }

    /// The key in the summary.
    package var key: String {
        isBackEndView ? "=" + backEnd : frontEnd.isEmpty ? backEnd : frontEnd + ">" + backEnd
    }

    package static func < (lhs: LogonPath, rhs: LogonPath) -> Bool { lhs.key < rhs.key }
}

/// Logons on one route in one minute (users' and probes'), and how they failed.
package struct LogonTally: Sendable, Codable, Equatable {
    package var logons = 0
    /// Failures that point at a server (not credentials, not the client).
    package var serverFaults = 0
    /// Logons refused for the user's credentials.
    package var credentialFailures = 0

    package mutating func merge(_ other: LogonTally) {
        logons += other.logons
        serverFaults += other.serverFaults
        credentialFailures += other.credentialFailures
    }
}

extension LogonTally: MinuteTally {
    package static var empty: LogonTally { LogonTally() }
    package static func isMilliseconds(field index: Int) -> Bool { false }
    package static var fieldCount: Int { 3 }
    package func field(_ index: Int) -> Int64 {
        switch index {
        case 0: Int64(logons)
        case 1: Int64(serverFaults)
        default: Int64(credentialFailures)
        }
    }

    package init(fields f: ArraySlice<Int64>) {
        let i = f.startIndex
        self.init(logons: Int(f[i]), serverFaults: Int(f[i + 1]), credentialFailures: Int(f[i + 2]))
    }
}
