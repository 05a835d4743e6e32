import ImapLogKit

/// A server as the next steps name it: its name, its role, and where that name came from.
public struct StepServer: Sendable, Hashable {
    /// Where the name came from.
    public enum Source: Sendable, Hashable {
        /// The logs (their content, or the folder they were collected in).
        case logs
        /// The alert the admin passed with `--alert`.
        case alert
        /// `--name ADDRESS=NAME` on the command line.
        case given
    }

    public var name: String
    public var role: Role
    public var source: Source

    package init(name: String, role: Role, source: Source) {
        self.name = name
        self.role = role
        self.source = source
    }

    /// Whether the logs know the server only by its address.
    public var isAddress: Bool { HostName.isAddress(name) }

    /// The server in a PowerShell command: the name quoted (`'MBX02.contoso.com'`), an address looked up in DNS
    /// (Exchange's cmdlets take names, not addresses); nil when the text may not stand in a command at all.
    var expression: String? {
        if isAddress { return "(Resolve-DnsName '\(name)' -Type PTR)[0].NameHost" }
        return HostName.quoted(name)
    }
}

/// What a step says, and its command shows in angle brackets, in place of a server the diagnosis did not find.
public enum StepPlaceholder: Sendable, Hashable {
    /// The server that raised the alert.
    case alertServer
    /// The Client Access server that raised the alert.
    case clientAccessServer
    /// The mailbox server in the alert.
    case mailboxServer
}

/// The server a step is about: the one the diagnosis found, or a placeholder for the admin to fill in.
public enum StepTarget: Sendable, Hashable {
    case server(StepServer)
    case placeholder(StepPlaceholder)

    init(_ server: StepServer?, else placeholder: StepPlaceholder) {
        self = server.map(Self.server) ?? .placeholder(placeholder)
    }
}

/// The runbook's recovery steps for each monitor, in imaplog's own words, with the servers found filled
/// in and the runbook's known mistakes corrected: `-ProtocolLogEnabled` (not `-ProtocolLoggingEnabled`),
/// `HealthSetName` (not `HealtSetName`), `ImapDeepTestMonitor` (not `ImapTestDeepMonitor`), and
/// RequestsQueuedGt500Monitor sent to the ActiveSync health set it belongs to.
///
/// Steps that restart a service or a server, or move databases, are only written for a suspect: a server the
/// logs single out. Every database move comes with the step that undoes it. A server name reaches a command
/// only as a valid host name or address, quoted.
package struct Runbook {
    /// What the diagnosis found about one monitor, as the steps need it.
    package struct Case {
        package var monitor: Monitor
        /// The server the alert was raised on: checked, and given the runbook's conditional restart of the Client
        /// Access service, but never blamed for more.
        package var alertServer: StepServer?
        /// The front end the logs single out (ImapCTPMonitor).
        package var frontEnd: StepServer?
        /// The mailbox server the logs single out (ImapCTPMonitor), the surest first.
        package var backEnd: StepServer? { backEnds.first }
        /// Every mailbox server the logs single out (two can fail at once).
        package var backEnds: [StepServer] = []
        /// The suspect of a monitor that watches one server (probes, command time), with its role.
        package var server: StepServer?
        /// Whether the front end cannot authenticate to the back ends (ProxyNotAuthenticated).
        package var isDeploymentFault = false
        /// Whether the monitoring account's own logons are refused.
        package var isMonitoringAccountFault = false
        /// Whether the fault ended long before the logs do.
        package var hasRecovered = false
        /// Whether the logs show the monitor's condition (else the steps only check).
        package var hasFired = true
        /// Whether a mailbox server is singled out surely enough to be the cause (and not recovered).
        package var hasConfidentBackEnd = false

        package init(monitor: Monitor, alertServer: StepServer?) {
            self.monitor = monitor
            self.alertServer = alertServer
        }
    }

    let words: Words

    package init(words: Words) {
        self.words = words
    }

    /// The steps for one monitor.
    package func steps(for c: Case) -> [NextStep] {
        var steps: [NextStep]
        switch c.monitor {
        case .customerTouchPoint: steps = customerTouchPoint(c)
        case .proxyTest: steps = proxyTest(c)
        case .deepTest, .selfTest: steps = protocolProbe(c)
        case .averageCommandProcessingTime: steps = slowCommands(c)
        case .requestsQueued: steps = activeSync(c.server ?? c.alertServer)
        }
        for index in steps.indices { steps[index].monitor = c.monitor.rawValue }
        return steps
    }

    /// Only the checks, when no monitor fired and none was named: is the IMAP health set still unhealthy.
    package func checks(_ alertServer: StepServer?) -> [NextStep] {
        let w = words
        let named = say(alertServer, Self.alertPlaceholder)
        return [
            NextStep(
                text: w(
                    "Check which IMAP monitors are still unhealthy (AlertValue Unhealthy) on \(named).",
                    "Vérifiez quels moniteurs IMAP sont toujours non sains (AlertValue Unhealthy) sur \(named)."),
                command: health(
                    expression(alertServer, Self.alertPlaceholder)))
        ]
    }

    // MARK: - Naming

    /// How a sentence names the server: its name, with where it came from when that is not the logs.
    private func say(_ server: StepServer?, _ fallback: (String, String)) -> String {
        let w = words
        guard let server else { return w(fallback.0, fallback.1) }
        if server.isAddress {
            return server.role == .backEnd
                ? w(
                    "the mailbox server at \(server.name)",
                    "le serveur de boîtes aux lettres à l'adresse \(server.name)")
                : w(
                    "the Client Access server at \(server.name)", "le serveur d'accès client à l'adresse \(server.name)"
                )
        }
        switch server.source {
        case .logs: return server.name
        case .alert: return server.name + w(" (named by the alert)", " (nommé par l'alerte)")
        case .given: return server.name + w(" (named by --name)", " (nommé par --name)")
        }
    }

    /// The server in a command, or a placeholder in angle brackets that nobody can run by mistake.
    private func expression(_ server: StepServer?, _ placeholder: (String, String)) -> String {
        server?.expression ?? "<" + words(placeholder.0, placeholder.1) + ">"
    }

    private static let clientAccessPlaceholder = (
        "the Client Access server that raised the alert", "le serveur d'accès client qui a levé l'alerte"
    )
    private static let alertPlaceholder = ("the server that raised the alert", "le serveur qui a levé l'alerte")
    private static let mailboxPlaceholder = (
        "the mailbox server in the alert", "le serveur de boîtes aux lettres de l'alerte"
    )

    /// A first step for a server the logs know only by its address: find its name.
    private func findName(_ server: StepServer?) -> [NextStep] {
        guard let server, server.isAddress else { return [] }
        let w = words
        return [
            NextStep(
                text: w(
                    "The logs know this server only by its address, \(server.name): find its name (the commands below look it up the same way), or give it to imaplog with --name \(server.name)=NAME.",
                    "Les journaux ne connaissent ce serveur que par son adresse, \(server.name) : trouvez son nom (les commandes ci-dessous le cherchent de la même façon), ou donnez-le à imaplog avec --name \(server.name)=NOM."
                ),
                command: "Resolve-DnsName '\(server.name)' -Type PTR")
        ]
    }

    // MARK: - Commands

    private func health(_ server: String, _ pattern: String = "IMAP*") -> String {
        // The runbook's own example filters on "HealtSetName", which matches nothing.
        "Get-ServerHealth \(server) | ?{$_.HealthSetName -like \"\(pattern)\"}"
    }

    private func restart(_ service: String, on server: String) -> String {
        "Invoke-Command -ComputerName \(server) { Restart-Service \(service) }"
    }

    private func probe(_ healthSet: String, _ probe: String, on server: String) -> String {
        "Invoke-MonitoringProbe \(healthSet)\\\(probe) -Server \(server) | Format-List"
    }

    // MARK: - Steps shared by the monitors

    private func verify(_ server: StepServer?, _ placeholder: (String, String), monitor: Monitor) -> [NextStep] {
        let w = words
        let named = say(server, placeholder)
        let target = expression(server, placeholder)
        let check = NextStep(
            text: w(
                "Check that \(monitor.rawValue) is still unhealthy (AlertValue Unhealthy) on \(named).",
                "Vérifiez que \(monitor.rawValue) est toujours non sain (AlertValue Unhealthy) sur \(named)."),
            command: health(target))
        // A monitor that watches a counter has no probe to run again.
        guard let probeName = monitor.probe else { return [check] }
        return [
            check,
            NextStep(
                text: w(
                    "Run its probe again. ResultType Succeeded means the failure was transient; StateAttribute4 names the mailbox server that answered.",
                    "Relancez sa sonde. ResultType Succeeded signifie que l'échec était passager ; StateAttribute4 indique le serveur de boîtes aux lettres qui a répondu."
                ),
                command: probe(monitor.healthSet, probeName, on: target)),
        ]
    }

    /// Moving the active databases off a mailbox server, and the step that lets them back (to come last).
    private func moveDatabases(off server: StepServer, when condition: (String, String)) -> (
        move: [NextStep], undo: [NextStep]
    ) {
        guard let target = server.expression else { return ([], []) }
        let w = words
        let named = say(server, Self.mailboxPlaceholder)
        let move = NextStep(
            text: w(condition.0, condition.1)
                + w(
                    "move the active databases off \(named) and check that none is left active there.",
                    "déplacez les bases actives hors de \(named) et vérifiez qu'il n'y en reste aucune."),
            command:
                "Set-MailboxServer \(target) -DatabaseCopyActivationDisabledAndMoveNow $true; Get-MailboxDatabaseCopyStatus -Server \(target) | Group Status"
        )
        let undo = NextStep(
            text: w(
                "If you moved the databases off \(named): once the probe succeeds again, let databases be activated there again (this undoes the move).",
                "Si vous avez déplacé les bases hors de \(named) : une fois la sonde de nouveau réussie, autorisez de nouveau leur activation (cela annule le déplacement)."
            ),
            command: "Set-MailboxServer \(target) -DatabaseCopyActivationDisabledAndMoveNow $false")
        return ([move], [undo])
    }

    /// The last step of every monitor's: calling Microsoft.
    package var supportText: String {
        words(
            "If it still fails, contact Microsoft Support (Servers > Exchange Server), following your organisation's procedure.",
            "Si l'échec persiste, contactez le support Microsoft (Serveurs > Exchange Server), selon la procédure de votre organisation."
        )
    }

    private func support() -> NextStep {
        NextStep(text: supportText, command: nil)
    }

    private func recovered(_ server: StepServer?) -> NextStep {
        let w = words
        let named = say(server, Self.mailboxPlaceholder)
        return NextStep(
            text: w(
                "The fault on \(named) ended long before the logs do: restart nothing now. Confirm the monitor is healthy again; if the alert is still raised, collect logs that cover the time it was raised.",
                "La panne de \(named) a pris fin bien avant la fin des journaux : ne redémarrez rien maintenant. Vérifiez que le moniteur est de nouveau sain ; si l'alerte est toujours levée, collectez des journaux qui couvrent son heure."
            ),
            command: nil)
    }

    /// The monitoring account's own logons refused: check the health mailboxes; the Health Manager resets them.
    private func monitoringAccount(_ server: StepServer?) -> [NextStep] {
        let w = words
        let named = say(server, Self.clientAccessPlaceholder)
        return [
            NextStep(
                text: w(
                    "The monitoring account's own logons are refused (HealthMailbox…, LogonDenied): the probe fails while users log on. List the health mailboxes and check their accounts are enabled and not locked out.",
                    "Les ouvertures de session du compte de surveillance sont refusées (HealthMailbox…, LogonDenied) : la sonde échoue alors que les utilisateurs se connectent. Listez les boîtes aux lettres d'intégrité et vérifiez que leurs comptes sont activés et non verrouillés."
                ),
                command: "Get-Mailbox -Monitoring | Format-Table Name,ServerName,Database"),
            NextStep(
                text: w(
                    "Restarting the Health Manager service on \(named) lets Managed Availability reset its health mailboxes' credentials; users are not affected.",
                    "Redémarrer le service Health Manager sur \(named) permet à Managed Availability de réinitialiser les identifiants de ses boîtes aux lettres d'intégrité ; les utilisateurs ne sont pas affectés."
                ),
                command: restart("MSExchangeHM", on: expression(server, Self.clientAccessPlaceholder))),
        ]
    }

    // MARK: - Each monitor

    private func customerTouchPoint(_ c: Case) -> [NextStep] {
        let w = words
        let frontEnd = c.frontEnd ?? c.alertServer
        let cas = expression(frontEnd, Self.clientAccessPlaceholder)
        let casNamed = say(frontEnd, Self.clientAccessPlaceholder)
        var steps = findName(frontEnd) + findName(c.backEnd)
        steps += verify(frontEnd, Self.clientAccessPlaceholder, monitor: .customerTouchPoint)
        if c.hasRecovered {
            return steps + [recovered(c.backEnd ?? frontEnd)]
        }
        if c.isMonitoringAccountFault {
            steps += monitoringAccount(frontEnd)
        }
        if c.isDeploymentFault, c.frontEnd != nil, let target = frontEnd?.expression {
            steps += [
                NextStep(
                    text: w(
                        "\(casNamed) cannot authenticate to the back ends (ProxyNotAuthenticated): check the certificate IMAP uses there, its services and expiry date.",
                        "\(casNamed) ne s'authentifie pas auprès des serveurs de boîtes aux lettres (ProxyNotAuthenticated) : vérifiez le certificat qu'IMAP y utilise, ses services et sa date d'expiration."
                    ),
                    command:
                        "Get-ExchangeCertificate -Server \(target) | Format-List Thumbprint,Services,NotAfter,Subject"),
                NextStep(
                    text: w(
                        "Compare with its IMAP settings.", "Comparez avec ses paramètres IMAP."),
                    command:
                        "Get-ImapSettings -Server \(target) | Format-List X509CertificateName,LoginType,ExternalConnectionSettings"
                ),
            ]
        }
        var undo: [NextStep] = []
        for backEnd in c.backEnds {
            guard let target = backEnd.expression else { continue }
            let named = say(backEnd, Self.mailboxPlaceholder)
            steps += [
                NextStep(
                    text: w(
                        "Look at the mailbox server the failing logons were proxied to, \(named): are its IMAP.Protocol monitors unhealthy?",
                        "Examinez le serveur de boîtes aux lettres vers lequel les ouvertures de session en échec étaient relayées, \(named) : ses moniteurs IMAP.Protocol sont-ils non sains ?"
                    ),
                    command: health(target)),
                NextStep(
                    text: w(
                        "If they are, deal with them first: restart the IMAP4 back-end service on \(named) (then follow the ImapDeepTestMonitor steps).",
                        "Si c'est le cas, traitez-les d'abord : redémarrez le service IMAP4 principal sur \(named) (puis suivez les étapes d'ImapDeepTestMonitor)."
                    ),
                    command: restart("MSExchangeIMAP4BE", on: target)),
            ]
            let databases = moveDatabases(
                off: backEnd,
                when: (
                    "If store errors go on (mailbox offline, transient storage errors), ",
                    "Si les erreurs de banque d'informations persistent (boîte aux lettres hors connexion, erreurs de stockage passagères), "
                ))
            steps += databases.move
            undo += databases.undo
        }
        // The runbook's conditional restart of the Client Access service, on the server the alert names (or the
        // front end the logs single out): never on a front end the logs do not blame.
        // Not when a mailbox server is plainly the cause: the Client Access server then did nothing.
        if !c.isMonitoringAccountFault, c.hasFired || c.frontEnd != nil, c.frontEnd != nil || !c.hasConfidentBackEnd,
            let frontEnd, let target = frontEnd.expression
        {
            let condition =
                c.backEnd.map {
                    w(
                        "If \(say($0, Self.mailboxPlaceholder)) is healthy, r",
                        "Si \(say($0, Self.mailboxPlaceholder)) est sain, r")
                }
                ?? w("R", "R")
            steps.append(
                NextStep(
                    text: condition
                        + w(
                            "estart the IMAP4 service on \(casNamed); if that is not enough, restart the server.",
                            "edémarrez le service IMAP4 sur \(casNamed) ; si cela ne suffit pas, redémarrez le serveur."
                        ),
                    command: restart("MSExchangeIMAP4", on: target)))
        }
        steps += [
            NextStep(
                text: w("Run the probe again.", "Relancez la sonde."),
                command: probe("IMAP", "ImapCTPProbe", on: cas)),
            NextStep(
                text: w(
                    "Turn protocol logging off again where you turned it on, then restart the IMAP4 service (the runbook's -ProtocolLoggingEnabled does not exist).",
                    "Désactivez de nouveau la journalisation du protocole là où vous l'avez activée, puis redémarrez le service IMAP4 (le paramètre -ProtocolLoggingEnabled de la procédure n'existe pas)."
                ),
                command: "Set-ImapSettings -Server \(cas) -ProtocolLogEnabled $false"),
        ]
        return steps + undo + [support()]
    }

    private func proxyTest(_ c: Case) -> [NextStep] {
        let w = words
        let server = c.server ?? c.alertServer
        var steps = findName(server) + verify(server, Self.clientAccessPlaceholder, monitor: .proxyTest)
        guard let suspect = c.server, let target = suspect.expression else { return steps }
        if c.hasRecovered { return steps + [recovered(suspect)] }
        let named = say(suspect, Self.clientAccessPlaceholder)
        steps += [
            NextStep(
                text: w("Restart the IMAP4 service on \(named).", "Redémarrez le service IMAP4 sur \(named)."),
                command: restart("MSExchangeIMAP4", on: target)),
            NextStep(
                text: w("Run the probe again.", "Relancez la sonde."),
                command: probe("IMAP.Proxy", "ImapProxyTestProbe", on: target)),
            NextStep(
                text: w(
                    "The monitor takes the ImapProxy component offline: once the probe succeeds, check that it is active again.",
                    "Le moniteur met le composant ImapProxy hors service : une fois la sonde réussie, vérifiez qu'il est de nouveau actif."
                ),
                command: "Get-ServerComponentState \(target) -Component ImapProxy"),
            NextStep(
                text: w("If it stays inactive, bring it back.", "S'il reste inactif, réactivez-le."),
                command: "Set-ServerComponentState \(target) -Component ImapProxy -State Active -Requester HealthAPI"),
            NextStep(
                text: w(
                    "If the probe still fails, restart \(named), then run the probe again.",
                    "Si la sonde échoue toujours, redémarrez \(named), puis relancez la sonde."),
                command: "Restart-Computer \(target)"),
            support(),
        ]
        return steps
    }

    private func protocolProbe(_ c: Case) -> [NextStep] {
        let w = words
        let monitor = c.monitor
        let probeName = monitor.probe ?? "ImapDeepTestProbe"
        let server = c.server ?? c.alertServer
        var steps = findName(server) + verify(server, Self.mailboxPlaceholder, monitor: monitor)
        if c.isMonitoringAccountFault { return steps + monitoringAccount(server) }
        guard let suspect = c.server, let target = suspect.expression else { return steps }
        if c.hasRecovered { return steps + [recovered(suspect)] }
        let named = say(suspect, Self.mailboxPlaceholder)
        steps += [
            NextStep(
                text: w(
                    "Restart the IMAP4 back-end service on \(named).",
                    "Redémarrez le service IMAP4 principal sur \(named)."),
                command: restart("MSExchangeIMAP4BE", on: target)),
            NextStep(
                text: w("Run the probe again.", "Relancez la sonde."),
                command: probe("IMAP.Protocol", probeName, on: target)),
        ]
        let databases = moveDatabases(off: suspect, when: ("If it still fails, ", "Si elle échoue toujours, "))
        steps += databases.move
        steps.append(
            NextStep(
                text: w(
                    "With no active copy left there, restart \(named), then run the probe again.",
                    "Une fois qu'aucune copie active n'y reste, redémarrez \(named), puis relancez la sonde."),
                command: "Restart-Computer \(target)"))
        return steps + databases.undo + [support()]
    }

    private func slowCommands(_ c: Case) -> [NextStep] {
        let w = words
        guard let server = c.server, let target = server.expression else {
            return verify(c.alertServer, Self.clientAccessPlaceholder, monitor: .averageCommandProcessingTime)
        }
        let named = say(server, Self.mailboxPlaceholder)
        var steps = findName(server)
        if c.hasRecovered { return steps + [recovered(server)] }
        let service = server.role == .frontEnd ? "MSExchangeIMAP4" : "MSExchangeIMAP4BE"
        steps += [
            NextStep(
                text: w("Restart the IMAP4 service on \(named).", "Redémarrez le service IMAP4 sur \(named)."),
                command: restart(service, on: target)),
            NextStep(
                text: w(
                    "Wait 10 minutes, check the IMAP health sets, and check again 10 minutes later.",
                    "Attendez 10 minutes, vérifiez les indicateurs d'intégrité IMAP, puis de nouveau 10 minutes plus tard."
                ),
                command: health(target)),
        ]
        let databases: (move: [NextStep], undo: [NextStep]) =
            server.role == .backEnd
            ? moveDatabases(off: server, when: ("Still unhealthy: ", "Toujours non sain : ")) : ([], [])
        steps += databases.move
        steps.append(
            NextStep(
                text: w("Still unhealthy: restart \(named).", "Toujours non sain : redémarrez \(named)."),
                command: "Restart-Computer \(target)"))
        return steps + databases.undo + [support()]
    }

    private func activeSync(_ server: StepServer?) -> [NextStep] {
        let w = words
        let named = say(server, Self.alertPlaceholder)
        return [
            NextStep(
                text: w(
                    "RequestsQueuedGt500Monitor belongs to ActiveSync: check the ActiveSync health set on \(named), not IMAP's.",
                    "RequestsQueuedGt500Monitor appartient à ActiveSync : vérifiez l'indicateur d'intégrité ActiveSync sur \(named), pas celui d'IMAP."
                ),
                command: health(expression(server, Self.alertPlaceholder), "ActiveSync*")),
            NextStep(
                text: w(
                    "Then follow the ActiveSync health set's troubleshooting steps.",
                    "Suivez ensuite la procédure de dépannage de l'indicateur d'intégrité ActiveSync."),
                command: nil),
        ]
    }
}
