/// Which part of the system an error points at, following how Exchange's own probes assign blame.
package enum ErrorClass: String, Codable, Sendable, CaseIterable, Comparable {
    /// The user's credentials or account (wrong password, disabled user): not a server's fault.
    case authentication
    /// The monitoring account's own credentials or account: a `HealthMailbox…` (or loopback probe) logon refused.
    ///
    /// The health mailbox itself is broken (its password, a disabled account, Active Directory), which no
    /// user's wrong password explains and no mailbox server causes. `classify` never returns it: only the
    /// analysis knows a logon is the probe's.
    case monitoringAccount
    /// The front end could not route to the right back end (WrongServer, MdbOffline, no back end found).
    case routing
    /// The mailbox server's store: mailbox offline, transient storage errors, MAPI timeouts.
    case store
    /// Budgets and connection limits.
    case throttling
    /// The connection between front end and back end.
    case network
    /// The IMAP service itself: time-outs, "Server Unavailable", unexpected errors.
    case service
    /// Certificates, configuration, sites: ProxyNotAuthenticated, ServerNotFound.
    case deployment
    /// The client's own mistake: bad arguments, wrong state, unknown messages.
    case client
    /// Anything not recognised.
    case other

    package static func < (lhs: ErrorClass, rhs: ErrorClass) -> Bool { lhs.rawValue < rhs.rawValue }

    /// Whether an error of this class says something against a server.
    ///
    /// Not a user's credentials, not the monitoring account's (a broken health mailbox, whatever server it
    /// logs on to), not the client's own mistake.
    package var pointsAtAServer: Bool {
        switch self {
        // Throttling refuses one user past its budget or connection limit: the user's, like a wrong password.
        case .authentication, .monitoringAccount, .client, .throttling: return false
        case .routing, .store, .network, .service, .deployment, .other: return true
        }
    }

    /// Classifies an error from its code (`LogonDenied`, `MailboxOfflineException`, …) and, failing
    /// that, its response text (`LOGIN failed.`).
    package static func classify(code: String, message: String) -> ErrorClass {
        let c = code.lowercased()
        let rules: [(String, ErrorClass)] = [
            ("proxynotauthenticated", .deployment), ("servernotfound", .deployment), ("servernotinsite", .deployment),
            ("certificate", .deployment),
            ("logondenied", .authentication), ("authfailed", .authentication), ("userdisabled", .authentication),
            ("noaduserbysid", .authentication), ("accountdisabled", .authentication),
            ("wrongserver", .routing), ("mdboffline", .routing), ("nobackendfound", .routing),
            ("noproxyserver", .routing),
            ("mailboxoffline", .store), ("connectionfailedtransient", .store), ("storagetransient", .store),
            ("mapiexception", .store), ("objectnotfound", .store), ("storage", .store),
            ("overbudget", .throttling), ("connectionlimit", .throttling), ("budget", .throttling),
            ("proxyfailed", .network), ("networkconnectionfailed", .network), ("noproxyconnection", .network),
            ("proxytimeout", .service), ("preauthtimeout", .client),
            // `* BYE` instead of an answer: the service closed the connection.
            ("bye", .service),
        ]
        if !c.isEmpty, let rule = rules.first(where: { c.contains($0.0) }) { return rule.1 }
        let m = message.lowercased()
        let messageRules: [(String, ErrorClass)] = [
            ("login failed", .authentication), ("authenticate failed", .authentication),
            ("authenticated but not connected", .network), ("server unavailable", .service),
            ("unexpected error", .service), ("command error", .client), ("invalid state", .client),
            ("argument error", .client), ("message set is invalid", .client), ("no longer exist", .client),
        ]
        if let rule = messageRules.first(where: { m.contains($0.0) }) { return rule.1 }
        return .other
    }
}
