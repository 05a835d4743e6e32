/// The runbook's recovery steps for each monitor, in imaplog's own words, with the servers found filled
/// in and the runbook's known mistakes corrected: `-ProtocolLogEnabled` (not `-ProtocolLoggingEnabled`),
/// `HealthSetName` (not `HealtSetName`), `ImapDeepTestMonitor` (not `ImapTestDeepMonitor`), and
/// RequestsQueuedGt500Monitor sent to the ActiveSync health set it belongs to.
struct Runbook {
    let words: Words
    /// The Client Access server (front end) in question.
    let clientAccess: String
    /// The mailbox server (back end) in question.
    let mailbox: String
    /// Whether the logs point at a server at all (otherwise only the checks make sense).
    var hasSuspect = true

    /// The steps for `monitor`; `frontEndAtFault` adds the certificate checks of ProxyNotAuthenticated.
    func steps(for monitor: Monitor?, server: String? = nil, role: Role = .backEnd, frontEndAtFault: Bool = false)
        -> [NextStep]
    {
        guard let monitor else { return verify(clientAccess, healthSet: "IMAP", probe: "ImapCTPProbe") }
        guard hasSuspect else {
            // Nobody to restart or fail over: confirm the alert, and read what the verdict says.
            let server = monitor == .deepTest || monitor == .selfTest ? mailbox : server ?? clientAccess
            return verify(server, healthSet: monitor.healthSet, probe: monitor.probe ?? "ImapCTPProbe")
        }
        switch monitor {
        case .customerTouchPoint: return customerTouchPoint(frontEndAtFault: frontEndAtFault)
        case .proxyTest: return proxyTest()
        case .deepTest, .selfTest: return protocolProbe(monitor)
        case .averageCommandProcessingTime: return slowCommands(server ?? mailbox, role: role)
        case .requestsQueued: return activeSync(server ?? clientAccess)
        }
    }

    private func health(_ server: String, _ pattern: String = "IMAP*") -> String {
        // The runbook's own example filters on "HealtSetName", which matches nothing.
        "Get-ServerHealth \(server) | ?{$_.HealthSetName -like \"\(pattern)\"}"
    }

    private func restart(_ service: String, on server: String) -> String {
        "Invoke-Command -ComputerName \(server) { Restart-Service \(service) }"
    }

    private func verify(_ server: String, healthSet: String, probe: String) -> [NextStep] {
        let w = words
        return [
            NextStep(
                text: w(
                    "Check that the monitor is still unhealthy (AlertValue Unhealthy) on \(server).",
                    "Vérifiez que le moniteur est toujours non sain (AlertValue Unhealthy) sur \(server)."),
                command: health(server)),
            NextStep(
                text: w(
                    "Run its probe again. ResultType Succeeded means the failure was transient; StateAttribute4 names the mailbox server that answered.",
                    "Relancez sa sonde. ResultType Succeeded signifie que l'échec était passager ; StateAttribute4 indique le serveur de boîtes aux lettres qui a répondu."
                ),
                command: "Invoke-MonitoringProbe \(healthSet)\\\(probe) -Server \(server) | Format-List"),
        ]
    }

    private func customerTouchPoint(frontEndAtFault: Bool) -> [NextStep] {
        let w = words
        var steps = verify(clientAccess, healthSet: "IMAP", probe: "ImapCTPProbe")
        if frontEndAtFault {
            steps.append(
                NextStep(
                    text: w(
                        "The front end cannot authenticate to the back ends (ProxyNotAuthenticated): check the certificate IMAP uses on \(clientAccess), its services and expiry date.",
                        "Le serveur d'accès client ne s'authentifie pas auprès des serveurs de boîtes aux lettres (ProxyNotAuthenticated) : vérifiez le certificat utilisé par IMAP sur \(clientAccess), ses services et sa date d'expiration."
                    ),
                    command:
                        "Get-ExchangeCertificate -Server \(clientAccess) | Format-List Thumbprint,Services,NotAfter,Subject"
                ))
            steps.append(
                NextStep(
                    text: w(
                        "Compare with the IMAP settings of \(clientAccess).",
                        "Comparez avec les paramètres IMAP de \(clientAccess)."),
                    command:
                        "Get-ImapSettings -Server \(clientAccess) | Format-List X509CertificateName,LoginType,ExternalConnectionSettings"
                ))
        }
        steps += [
            NextStep(
                text: w(
                    "Look at the mailbox server the failing logons were proxied to, \(mailbox): are its IMAP.Protocol monitors unhealthy?",
                    "Examinez le serveur de boîtes aux lettres vers lequel les ouvertures de session en échec étaient relayées, \(mailbox) : ses moniteurs IMAP.Protocol sont-ils non sains ?"
                ),
                command: health(mailbox)),
            NextStep(
                text: w(
                    "If they are, deal with them first: restart the IMAP4 back-end service on \(mailbox) (then follow the ImapDeepTestMonitor steps).",
                    "Si c'est le cas, traitez-les d'abord : redémarrez le service IMAP4 principal sur \(mailbox) (puis suivez les étapes d'ImapDeepTestMonitor)."
                ),
                command: restart("MSExchangeIMAP4BE", on: mailbox)),
            NextStep(
                text: w(
                    "If store errors go on (mailbox offline, transient storage errors), move the active databases off \(mailbox) and check that none is left.",
                    "Si les erreurs de banque d'informations persistent (boîte aux lettres hors connexion, erreurs de stockage passagères), déplacez les bases actives hors de \(mailbox) et vérifiez qu'il n'en reste aucune."
                ),
                command:
                    "Set-MailboxServer \(mailbox) -DatabaseCopyActivationDisabledAndMoveNow $true; Get-MailboxDatabaseCopyStatus -Server \(mailbox) | Group Status"
            ),
            NextStep(
                text: w(
                    "If \(mailbox) is healthy, restart the IMAP4 service on the Client Access server \(clientAccess); if that is not enough, restart the server.",
                    "Si \(mailbox) est sain, redémarrez le service IMAP4 sur le serveur d'accès client \(clientAccess) ; si cela ne suffit pas, redémarrez le serveur."
                ),
                command: restart("MSExchangeIMAP4", on: clientAccess)),
            NextStep(
                text: w("Run the probe again.", "Relancez la sonde."),
                command: "Invoke-MonitoringProbe IMAP\\ImapCTPProbe -Server \(clientAccess) | Format-List"),
            NextStep(
                text: w(
                    "Turn protocol logging off again, then restart the IMAP4 service (the runbook's -ProtocolLoggingEnabled does not exist).",
                    "Désactivez de nouveau la journalisation du protocole, puis redémarrez le service IMAP4 (le paramètre -ProtocolLoggingEnabled de la procédure n'existe pas)."
                ),
                command: "Set-ImapSettings -Server \(clientAccess) -ProtocolLogEnabled $false"),
            support(),
        ]
        return steps
    }

    private func proxyTest() -> [NextStep] {
        let w = words
        return [
            NextStep(
                text: w(
                    "Check that IMAP.Proxy is still unhealthy on \(clientAccess).",
                    "Vérifiez qu'IMAP.Proxy est toujours non sain sur \(clientAccess)."),
                command: health(clientAccess)),
            NextStep(
                text: w(
                    "Restart the IMAP4 service on \(clientAccess).", "Redémarrez le service IMAP4 sur \(clientAccess)."),
                command: restart("MSExchangeIMAP4", on: clientAccess)),
            NextStep(
                text: w("Run the probe again.", "Relancez la sonde."),
                command: "Invoke-MonitoringProbe IMAP.Proxy\\ImapProxyTestProbe -Server \(clientAccess) | Format-List"),
            NextStep(
                text: w(
                    "The monitor takes the ImapProxy component offline: once the probe succeeds, check that it is active again.",
                    "Le moniteur met le composant ImapProxy hors service : une fois la sonde réussie, vérifiez qu'il est de nouveau actif."
                ),
                command: "Get-ServerComponentState \(clientAccess) -Component ImapProxy"),
            NextStep(
                text: w("If it stays inactive, bring it back.", "S'il reste inactif, réactivez-le."),
                command:
                    "Set-ServerComponentState \(clientAccess) -Component ImapProxy -State Active -Requester HealthAPI"),
            NextStep(
                text: w(
                    "If the probe still fails, restart \(clientAccess), then run the probe again.",
                    "Si la sonde échoue toujours, redémarrez \(clientAccess), puis relancez la sonde."),
                command: "Restart-Computer \(clientAccess)"),
            support(),
        ]
    }

    private func protocolProbe(_ monitor: Monitor) -> [NextStep] {
        let w = words
        let probe = monitor.probe ?? "ImapDeepTestProbe"
        return [
            NextStep(
                text: w(
                    "Check that IMAP.Protocol is still unhealthy on \(mailbox).",
                    "Vérifiez qu'IMAP.Protocol est toujours non sain sur \(mailbox)."),
                command: health(mailbox)),
            NextStep(
                text: w(
                    "Restart the IMAP4 back-end service on \(mailbox).",
                    "Redémarrez le service IMAP4 principal sur \(mailbox)."),
                command: restart("MSExchangeIMAP4BE", on: mailbox)),
            NextStep(
                text: w("Run the probe again.", "Relancez la sonde."),
                command: "Invoke-MonitoringProbe IMAP.Protocol\\\(probe) -Server \(mailbox) | Format-List"),
            NextStep(
                text: w(
                    "If it still fails, move the databases off \(mailbox).",
                    "Si elle échoue toujours, déplacez les bases de données hors de \(mailbox)."),
                command: "Set-MailboxServer -Identity \(mailbox) -DatabaseCopyActivationDisabledAndMoveNow $true"),
            NextStep(
                text: w(
                    "Check that no active copy is left on \(mailbox), then restart it.",
                    "Vérifiez qu'aucune copie active ne reste sur \(mailbox), puis redémarrez-le."),
                command: "Get-MailboxDatabaseCopyStatus -Server \(mailbox) | Group Status"),
            NextStep(
                text: w("After the restart, run the probe again.", "Après le redémarrage, relancez la sonde."),
                command: "Invoke-MonitoringProbe IMAP.Protocol\\\(probe) -Server \(mailbox) | Format-List"),
            NextStep(
                text: w(
                    "If it succeeds, let databases be activated on \(mailbox) again.",
                    "Si elle réussit, autorisez de nouveau l'activation des bases sur \(mailbox)."),
                command: "Set-MailboxServer \(mailbox) -DatabaseCopyActivationDisabledAndMoveNow $false"),
            support(),
        ]
    }

    private func slowCommands(_ server: String, role: Role) -> [NextStep] {
        let w = words
        let service = role == .frontEnd ? "MSExchangeIMAP4" : "MSExchangeIMAP4BE"
        var steps = [
            NextStep(
                text: w("Restart the IMAP4 service on \(server).", "Redémarrez le service IMAP4 sur \(server)."),
                command: restart(service, on: server)),
            NextStep(
                text: w(
                    "Wait 10 minutes, check the IMAP health sets, and check again 10 minutes later.",
                    "Attendez 10 minutes, vérifiez les indicateurs d'intégrité IMAP, puis de nouveau 10 minutes plus tard."
                ),
                command: health(server)),
        ]
        if role == .frontEnd {
            steps.append(
                NextStep(
                    text: w("Still unhealthy: restart \(server).", "Toujours non sain : redémarrez \(server)."),
                    command: "Restart-Computer \(server)"))
        } else {
            steps += [
                NextStep(
                    text: w(
                        "Still unhealthy: move the databases off \(server), check that none is active there, then restart it.",
                        "Toujours non sain : déplacez les bases hors de \(server), vérifiez qu'aucune n'y est active, puis redémarrez-le."
                    ),
                    command:
                        "Set-MailboxServer \(server) -DatabaseCopyActivationDisabledAndMoveNow $true; Get-MailboxDatabaseCopyStatus -Server \(server) | Group Status"
                ),
                NextStep(
                    text: w(
                        "10 minutes after the restart, if the monitor stays healthy, let databases be activated there again.",
                        "10 minutes après le redémarrage, si le moniteur reste sain, autorisez de nouveau l'activation des bases."
                    ),
                    command: "Set-MailboxServer \(server) -DatabaseCopyActivationDisabledAndMoveNow $false"),
            ]
        }
        steps.append(support())
        return steps
    }

    private func activeSync(_ server: String) -> [NextStep] {
        let w = words
        return [
            NextStep(
                text: w(
                    "RequestsQueuedGt500Monitor belongs to ActiveSync: check the ActiveSync health set on \(server), not IMAP's.",
                    "RequestsQueuedGt500Monitor appartient à ActiveSync : vérifiez l'indicateur d'intégrité ActiveSync sur \(server), pas celui d'IMAP."
                ),
                command: health(server, "ActiveSync*")),
            NextStep(
                text: w(
                    "Then follow the ActiveSync health set's troubleshooting steps.",
                    "Suivez ensuite la procédure de dépannage de l'indicateur d'intégrité ActiveSync."),
                command: nil),
        ]
    }

    private func support() -> NextStep {
        NextStep(
            text: words(
                "If it still fails, contact Microsoft Support (Servers > Exchange Server), following your organisation's procedure.",
                "Si l'échec persiste, contactez le support Microsoft (Serveurs > Exchange Server), selon la procédure de votre organisation."
            ),
            command: nil)
    }
}
