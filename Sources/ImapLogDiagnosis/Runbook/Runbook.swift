import ImapLogKit

/// A server as the next steps name it: its name, its role, and where that name came from.
package struct StepServer: Sendable, Hashable {
    /// Where the name came from.
    package enum Source: Sendable, Hashable {
        /// The logs (their content, or the folder they were collected in).
        case logs
        /// The alert the admin passed with `--alert`.
        case alert
        /// `--name ADDRESS=NAME` on the command line.
        case given
    }

    package var name: String
    package var role: Role
    package var source: Source

    package init(name: String, role: Role, source: Source) {
        self.name = name
        self.role = role
        self.source = source
    }

    /// Whether the logs know the server only by its address.
    package var isAddress: Bool { HostName.isAddress(name) }

    /// The server in a PowerShell command: the name quoted (`'MBX02.contoso.com'`), an address looked up in DNS
    /// (Exchange's cmdlets take names, not addresses); nil when the text may not stand in a command at all.
    var expression: String? {
        if isAddress { return "(Resolve-DnsName '\(name)' -Type PTR)[0].NameHost" }
        return HostName.quoted(name)
    }
}

/// What a step says, and its command shows in angle brackets, in place of a server the diagnosis did not find.
package enum StepPlaceholder: Sendable, Hashable {
    /// The server that raised the alert.
    case alertServer
    /// The Client Access server that raised the alert.
    case clientAccessServer
    /// The mailbox server in the alert.
    case mailboxServer
}

/// The server a step is about: the one the diagnosis found, or a placeholder for the admin to fill in.
package enum StepTarget: Sendable, Hashable {
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
///
/// The steps say what to do as `Sentence` values and run `NextStep.Command`s, which hold only code and
/// placeholders: the report's words are made at the end, in its language.
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
        /// Whether every log read is Exchange 2007/2010's, which has no health sets, probes or monitors to check.
        package var isExchange2010 = false

        package init(monitor: Monitor, alertServer: StepServer?) {
            self.monitor = monitor
            self.alertServer = alertServer
        }
    }

    private typealias Command = NextStep.Command

    /// After restarting the IMAP4 service for slow commands, the runbook checks the health sets this many minutes
    /// later, and again as long after.
    static let recheckMinutes = 10

    package init() {}

    /// The steps for one monitor.
    package func steps(for c: Case) -> [NextStep] {
        var steps: [NextStep]
        switch c.monitor {
        case _ where c.isExchange2010: steps = exchange2010(c)
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
        [
            NextStep(
                text: .checkIMAPMonitors(on: StepTarget(alertServer, else: .alertServer)),
                command: health(expression(alertServer, else: .alertServer)))
        ]
    }

    // MARK: - Naming

    /// The server in a command, or a placeholder that nobody can run by mistake (shown in angle brackets).
    private func expression(_ server: StepServer?, else placeholder: StepPlaceholder) -> Command.Part {
        server?.expression.map(Command.Part.code) ?? .placeholder(placeholder)
    }

    /// A first step for a server the logs know only by its address: find its name.
    private func findName(_ server: StepServer?) -> [NextStep] {
        guard let server, server.isAddress else { return [] }
        return [
            NextStep(
                text: .findServerName(address: server.name),
                command: .code("Resolve-DnsName '\(server.name)' -Type PTR"))
        ]
    }

    // MARK: - Commands

    private func health(_ server: Command.Part, _ pattern: String = "IMAP*") -> Command {
        // The runbook's own example filters on "HealtSetName", which matches nothing.
        Command([.code("Get-ServerHealth "), server, .code(" | ?{$_.HealthSetName -like \"\(pattern)\"}")])
    }

    private func restart(_ service: String, on server: Command.Part) -> Command {
        Command([.code("Invoke-Command -ComputerName "), server, .code(" { Restart-Service \(service) }")])
    }

    private func probe(_ healthSet: String, _ probe: String, on server: Command.Part) -> Command {
        Command([.code("Invoke-MonitoringProbe \(healthSet)\\\(probe) -Server "), server, .code(" | Format-List")])
    }

    // MARK: - Steps shared by the monitors

    private func verify(_ server: StepServer?, else placeholder: StepPlaceholder, monitor: Monitor) -> [NextStep] {
        let target = expression(server, else: placeholder)
        let check = NextStep(
            text: .checkMonitorUnhealthy(monitor, on: StepTarget(server, else: placeholder)),
            command: health(target))
        // A monitor that watches a counter has no probe to run again.
        guard let probeName = monitor.probe else { return [check] }
        return [
            check,
            NextStep(text: .runItsProbeAgain, command: probe(monitor.healthSet, probeName, on: target)),
        ]
    }

    /// Moving the active databases off a mailbox server (`when`: the step, which says on what condition), and the
    /// step that lets them back (to come last).
    private func moveDatabases(off server: StepServer, when step: (StepServer) -> Sentence) -> (
        move: [NextStep], undo: [NextStep]
    ) {
        guard let target = server.expression else { return ([], []) }
        let move = NextStep(
            text: step(server),
            command: .code(
                "Set-MailboxServer \(target) -DatabaseCopyActivationDisabledAndMoveNow $true; Get-MailboxDatabaseCopyStatus -Server \(target) | Group Status"
            ))
        let undo = NextStep(
            text: .letDatabasesBack(off: server),
            command: .code("Set-MailboxServer \(target) -DatabaseCopyActivationDisabledAndMoveNow $false"))
        return ([move], [undo])
    }

    /// The last step of every monitor's: calling Microsoft.
    private func support() -> NextStep {
        NextStep(text: .contactSupport)
    }

    private func recovered(_ server: StepServer?) -> NextStep {
        NextStep(text: .faultEnded(on: StepTarget(server, else: .mailboxServer)))
    }

    /// The monitoring account's own logons refused: check the health mailboxes; the Health Manager resets them.
    private func monitoringAccount(_ server: StepServer?) -> [NextStep] {
        [
            NextStep(
                text: .checkHealthMailboxes,
                command: .code("Get-Mailbox -Monitoring | Format-Table Name,ServerName,Database")),
            NextStep(
                text: .restartHealthManager(on: StepTarget(server, else: .clientAccessServer)),
                command: restart("MSExchangeHM", on: expression(server, else: .clientAccessServer))),
        ]
    }

    // MARK: - Each monitor

    private func customerTouchPoint(_ c: Case) -> [NextStep] {
        let frontEnd = c.frontEnd ?? c.alertServer
        // The monitor is checked, and its probe run, where the alert was raised: a front end the logs blame beside
        // it is another fault.
        let checked = c.alertServer ?? frontEnd
        let cas = expression(checked, else: .clientAccessServer)
        var steps = findName(checked) + (checked == frontEnd ? [] : findName(frontEnd)) + findName(c.backEnd)
        steps += verify(checked, else: .clientAccessServer, monitor: .customerTouchPoint)
        if c.hasRecovered {
            return steps + [recovered(c.backEnd ?? frontEnd)]
        }
        if c.isMonitoringAccountFault {
            steps += monitoringAccount(frontEnd)
        }
        if c.isDeploymentFault, let suspect = c.frontEnd, let target = suspect.expression {
            steps += [
                NextStep(
                    text: .checkCertificate(frontEnd: suspect),
                    command: .code(
                        "Get-ExchangeCertificate -Server \(target) | Format-List Thumbprint,Services,NotAfter,Subject")),
                NextStep(
                    text: .compareIMAPSettings,
                    command: .code(
                        "Get-ImapSettings -Server \(target) | Format-List X509CertificateName,LoginType,ExternalConnectionSettings"
                    )),
            ]
        }
        var undo: [NextStep] = []
        for backEnd in c.backEnds {
            guard let target = backEnd.expression else { continue }
            steps += [
                NextStep(text: .checkBackEndMonitors(backEnd: backEnd), command: health(.code(target))),
                NextStep(
                    text: .restartBackEndIfUnhealthy(backEnd: backEnd),
                    command: restart("MSExchangeIMAP4BE", on: .code(target))),
            ]
            let databases = moveDatabases(off: backEnd, when: Sentence.moveDatabasesIfStoreErrorsGoOn(off:))
            steps += databases.move
            undo += databases.undo
        }
        // The runbook's conditional restart of the Client Access service, on the server the alert names (or the
        // front end the logs single out): never on a front end the logs do not blame.
        // Not when a mailbox server is plainly the cause: the Client Access server then did nothing.
        if !c.isMonitoringAccountFault, c.hasFired || c.frontEnd != nil, c.frontEnd != nil || !c.hasConfidentBackEnd,
            let frontEnd, let target = frontEnd.expression
        {
            steps.append(
                NextStep(
                    text: .restartIMAP4ThenServer(on: frontEnd, ifHealthy: c.backEnd),
                    command: restart("MSExchangeIMAP4", on: .code(target))))
        }
        steps += [
            NextStep(text: .runProbeAgain, command: probe("IMAP", "ImapCTPProbe", on: cas)),
            NextStep(
                text: .turnProtocolLoggingOff,
                command: Command([.code("Set-ImapSettings -Server "), cas, .code(" -ProtocolLogEnabled $false")])),
        ]
        return steps + undo + [support()]
    }

    /// Exchange 2007/2010: no health set to check and no probe to run; Test-ImapConnectivity tests the Client
    /// Access server, whose own IMAP4 service opens the mailboxes.
    private func exchange2010(_ c: Case) -> [NextStep] {
        let suspect = c.frontEnd ?? c.server
        let server = suspect ?? c.alertServer
        let test = Command([
            .code("Test-ImapConnectivity -ClientAccessServer "), expression(server, else: .clientAccessServer),
        ])
        var steps = findName(server)
        steps.append(
            NextStep(text: .testImapConnectivity(on: StepTarget(server, else: .clientAccessServer)), command: test))
        if c.hasFired, !c.hasRecovered, let suspect, let target = suspect.expression {
            steps += [
                NextStep(text: .restartIMAP4(on: suspect), command: restart("MSExchangeIMAP4", on: .code(target))),
                NextStep(text: .testAgain, command: test),
            ]
        }
        steps.append(
            NextStep(
                text: .turnProtocolLoggingOff,
                command: Command([
                    .code("Set-ImapSettings -Server "), expression(server, else: .clientAccessServer),
                    .code(" -ProtocolLogEnabled $false"),
                ])))
        return steps + [support()]
    }

    private func proxyTest(_ c: Case) -> [NextStep] {
        let server = c.server ?? c.alertServer
        var steps = findName(server) + verify(server, else: .clientAccessServer, monitor: .proxyTest)
        guard let suspect = c.server, let target = suspect.expression else { return steps }
        if c.hasRecovered { return steps + [recovered(suspect)] }
        steps += [
            NextStep(text: .restartIMAP4(on: suspect), command: restart("MSExchangeIMAP4", on: .code(target))),
            NextStep(text: .runProbeAgain, command: probe("IMAP.Proxy", "ImapProxyTestProbe", on: .code(target))),
            NextStep(
                text: .checkImapProxyActive, command: .code("Get-ServerComponentState \(target) -Component ImapProxy")),
            NextStep(
                text: .bringImapProxyBack,
                command: .code(
                    "Set-ServerComponentState \(target) -Component ImapProxy -State Active -Requester HealthAPI")),
            NextStep(text: .restartServerIfProbeFails(suspect), command: .code("Restart-Computer \(target)")),
            support(),
        ]
        return steps
    }

    private func protocolProbe(_ c: Case) -> [NextStep] {
        let monitor = c.monitor
        let probeName = monitor.probe ?? "ImapDeepTestProbe"
        let server = c.server ?? c.alertServer
        var steps = findName(server) + verify(server, else: .mailboxServer, monitor: monitor)
        if c.isMonitoringAccountFault { return steps + monitoringAccount(server) }
        guard let suspect = c.server, let target = suspect.expression else { return steps }
        if c.hasRecovered { return steps + [recovered(suspect)] }
        steps += [
            NextStep(text: .restartIMAP4BackEnd(on: suspect), command: restart("MSExchangeIMAP4BE", on: .code(target))),
            NextStep(text: .runProbeAgain, command: probe("IMAP.Protocol", probeName, on: .code(target))),
        ]
        let databases = moveDatabases(off: suspect, when: Sentence.moveDatabasesIfProbeStillFails(off:))
        steps += databases.move
        steps.append(
            NextStep(text: .restartServerWithNoActiveCopy(suspect), command: .code("Restart-Computer \(target)")))
        return steps + databases.undo + [support()]
    }

    private func slowCommands(_ c: Case) -> [NextStep] {
        guard let server = c.server, let target = server.expression else {
            return verify(c.alertServer, else: .clientAccessServer, monitor: .averageCommandProcessingTime)
        }
        var steps = findName(server)
        if c.hasRecovered { return steps + [recovered(server)] }
        let service = server.role == .frontEnd ? "MSExchangeIMAP4" : "MSExchangeIMAP4BE"
        steps += [
            NextStep(text: .restartIMAP4(on: server), command: restart(service, on: .code(target))),
            NextStep(text: .waitAndCheckHealth(minutes: Self.recheckMinutes), command: health(.code(target))),
        ]
        let databases: (move: [NextStep], undo: [NextStep]) =
            server.role == .backEnd
            ? moveDatabases(off: server, when: Sentence.moveDatabasesIfStillUnhealthy(off:)) : ([], [])
        steps += databases.move
        steps.append(
            NextStep(text: .restartServerIfStillUnhealthy(server), command: .code("Restart-Computer \(target)")))
        return steps + databases.undo + [support()]
    }

    private func activeSync(_ server: StepServer?) -> [NextStep] {
        [
            NextStep(
                text: .checkActiveSyncHealthSet(on: StepTarget(server, else: .alertServer)),
                command: health(expression(server, else: .alertServer), "ActiveSync*")),
            NextStep(text: .followActiveSyncSteps),
        ]
    }
}
