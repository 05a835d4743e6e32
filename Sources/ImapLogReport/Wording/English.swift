import ImapLogDiagnosis
import ImapLogKit

extension Phrasebook {
    /// The report's sentences in English, in the order of `Sentence`'s cases.
    func english(_ sentence: Sentence) -> String {
        switch sentence {
        case .text(let text): return logText(text)

        // MARK: - Verdict (Diagnoser)

        case .mostLikelyResponsible(let server, let role, let confidence, let rule, let hasRecovered):
            return "Most likely responsible: \(self.server(server)) (\(self.role(role))), confidence "
                + "\(decimal(confidence)). " + say(rule)
                + (hasRecovered ? " It has recovered since: nothing to restart now." : "")
        case .cannotTell(let why): return "I cannot tell: " + say(why)
        case .alertTimeNotCovered(let at):
            return "I cannot tell: the logs do not cover the alert's time (\(time(at)) UTC), and nothing in them shows "
                + "a monitor's condition. Collect the logs of that time (protocol logging on), or check --tz."
        case .coverage(let from, let to, let servers, let hasMore):
            guard let from, let to else { return "The logs hold no timed row." }
            return "The logs cover \(time(from)) – \(time(to)) UTC"
                + (servers.isEmpty ? "." : ", servers \(self.servers(servers))\(hasMore ? ", …" : "").")
        case .onlyPOP3(let records):
            return "only POP3 logs were read (\(count(records)) records, reported below); the IMAP monitors need "
                + "IMAP4*.LOG or IMAP4BE*.LOG."
        case .noRecord(let lines, let skipped):
            return "no log record was read (\(count(lines)) lines, \(count(skipped)) skipped). Are these Exchange "
                + "IMAP4 protocol logs, and was protocol logging on?"
        case .filtersLeftNothing(let records):
            return "the filters (--since, --until, --server, --user, --command, or the alert's time window) left none "
                + "of the \(count(records)) records."
        case .noCondition: return "No monitor's condition shows in these logs: no server to blame."
        case .noConditionWhileBlind(let checked, let blind):
            return "No condition shows for \(checked.joined(separator: ", ")). Not checked, for want of data: "
                + say(blind)
        case .noServerStandsOut: return "No server stands out; what each monitor's rule found:"
        case .failuresOutsideAlertWindow(let from, let to, let failures):
            return "Outside the alert's window (\(time(from)) – \(time(to)) UTC) the logs hold \(count(failures)) more "
                + "failed commands: run again with --since and --until around them to see what they say."
        case .logsStopped(let minutes, let lastRow):
            return "The newest row is \(count(minutes)) minutes old (\(time(lastRow)) UTC): the IMAP4 service may "
                + "have stopped writing (hung), or protocol logging was turned off."
        case .upToThen: return "Up to then:"
        case .alertShowsHealthy: return "The alert shows every IMAP monitor Healthy again: the problem has cleared."
        case .recoveredSince(let since, let minutes, let requests, let failures):
            return "It has recovered: since \(time(since)), \(minutes) minutes before the logs end, its "
                + "\(count(requests)) requests ran without the fault (\(count(failures)) failed)."
        case .monitoringAccountRefused(let refusals):
            return "The monitoring account's own logons were refused (\(count(refusals))): the health mailbox account "
                + "(HealthMailbox…) is broken (its password, a disabled account, Active Directory), not a server; "
                + "users' wrong passwords never explain this."
        case .ownLogAgrees(let failures, let store, let firstAt):
            return "Its own log agrees: \(count(failures)) failures, \(count(store)) of them store errors"
                + (firstAt.map { " (first at \(place($0)))." } ?? ".")
        case .linkedLogons(let failedThere, let linked, let server, let codes, let firstAt, let oneUserIn):
            return "Linked logon by logon: \(count(failedThere)) of the \(count(linked)) failed logons found in "
                + "\(self.server(server))'s own log failed there too"
                + (codes.isEmpty ? "" : " (\(self.codes(codes)))") + (firstAt.map { ", first at \(place($0))" } ?? "")
                + "."
                + (oneUserIn.map { " (Logons of one user in about \(count($0)) were kept for linking.)" } ?? "")
        case .mostFrequentError(let e): return "Most frequent error: " + error(e)

        // MARK: - ImapCTPMonitor

        // MARK: - ImapProxyTestMonitor, ImapSelfTestMonitor

        // MARK: - ImapDeepTestMonitor

        case .deepTestProbeFailures(let failed, let total, let server, let rate, let otherRate):
            return "ImapDeepTestProbe: \(count(failed)) of \(count(total)) sessions on \(self.server(server)) failed "
                + "(\(percent(rate)))"
                + (otherRate.map { ", against \(percent($0)) on the other mailbox servers." }
                    ?? " (no other mailbox server's deep tests were read to compare).")
        case .deepTestFailsOwn(let server):
            return "\(self.server(server)) fails its own deep test: the mailbox databases it serves cannot be opened "
                + "over IMAP."
        case .deepTestTooFewFailures(let failed, let server, let needed):
            return "ImapDeepTestMonitor: ImapDeepTestProbe failed \(count(failed)) time(s), all on "
                + "\(self.server(server)): fewer than the \(needed) in a row that fire the "
                + "monitor."
        case .deepTestFailuresSpread(let failed):
            return "ImapDeepTestMonitor: ImapDeepTestProbe failed \(count(failed)) times, not concentrated on one "
                + "mailbox server."
        case .deepTestFailsOn(let servers):
            return "ImapDeepTestMonitor: the deep test fails on \(self.servers(servers))."
        case .deepTestNoOwnLog:
            return "ImapDeepTestMonitor: no mailbox server's own log (IMAP4BE*.LOG) in these logs, so neither its deep "
                + "tests nor its users' store errors can be read."
        case .deepTestJudgedOnUsers(let probesFailed, let errors, let commands, let server, let rate, let otherRate):
            return
                (probesFailed.map {
                    "ImapDeepTestProbe failed \(count($0)) time(s) only: judged on the users' commands too. "
                }
                ?? "No ImapDeepTestProbe session in these logs: judged on the users' commands. ")
                + "\(count(errors)) of \(count(commands)) commands in \(self.server(server))'s own log failed with "
                + "store errors (\(percent(rate))), against \(percent(otherRate)) on the other mailbox servers."
        case .usersMeetStoreErrors(let server):
            return "Users' commands on \(self.server(server)) fail with store errors: what its deep test would meet."
        case .deepTestNoStoreErrors:
            return "ImapDeepTestMonitor: no ImapDeepTestProbe session in these logs, and no mailbox server's users "
                + "meet store errors."
        case .storeErrorsPointAt(let servers, let hadProbes):
            return
                (hadProbes
                ? "ImapDeepTestMonitor: too few deep tests failed to say; the users' store errors point at "
                : "ImapDeepTestMonitor: no deep-test session in these logs; the users' store errors point at ")
                + self.servers(servers) + "."

        // MARK: - AverageCommandProcessingTimeGt60sMonitor, RequestsQueuedGt500Monitor

        // MARK: - Next steps (Runbook)

        case .stepServer(let server):
            let name = self.server(server.name)
            if server.isAddress {
                return server.role == .backEnd ? "the mailbox server at \(name)" : "the Client Access server at \(name)"
            }
            switch server.source {
            case .logs: return name
            case .alert: return "\(name) (named by the alert)"
            case .given: return "\(name) (named by --name)"
            }
        case .stepTarget(let target):
            switch target {
            case .server(let server): return say(.stepServer(server))
            case .placeholder(.alertServer): return "the server that raised the alert"
            case .placeholder(.clientAccessServer): return "the Client Access server that raised the alert"
            case .placeholder(.mailboxServer): return "the mailbox server in the alert"
            }
        case .checkIMAPMonitors(let target):
            return
                "Check which IMAP monitors are still unhealthy (AlertValue Unhealthy) on \(say(.stepTarget(target)))."
        case .findServerName(let address):
            let address = server(address)
            return "The logs know this server only by its address, \(address): find its name (the commands below look "
                + "it up the same way), or give it to imaplog with --name \(address)=NAME."
        case .checkMonitorUnhealthy(let monitor, let target):
            return "Check that \(monitor.rawValue) is still unhealthy (AlertValue Unhealthy) on "
                + "\(say(.stepTarget(target)))."
        case .runItsProbeAgain:
            return "Run its probe again. ResultType Succeeded means the failure was transient; StateAttribute4 names "
                + "the mailbox server that answered."
        case .moveDatabasesIfStoreErrorsGoOn(let server):
            return "If store errors go on (mailbox offline, transient storage errors), move the active databases off "
                + "\(say(.stepServer(server))) and check that none is left active there."
        case .moveDatabasesIfProbeStillFails(let server):
            return "If it still fails, move the active databases off \(say(.stepServer(server))) and check that none "
                + "is left active there."
        case .moveDatabasesIfStillUnhealthy(let server):
            return "Still unhealthy: move the active databases off \(say(.stepServer(server))) and check that none is "
                + "left active there."
        case .letDatabasesBack(let server):
            return "If you moved the databases off \(say(.stepServer(server))): once the probe succeeds again, let "
                + "databases be activated there again (this undoes the move)."
        case .contactSupport:
            return "If it still fails, contact Microsoft Support (Servers > Exchange Server), following your "
                + "organisation's procedure."
        case .faultEnded(let target):
            return "The fault on \(say(.stepTarget(target))) ended long before the logs do: restart nothing now. "
                + "Confirm the monitor is healthy again; if the alert is still raised, collect logs that cover the "
                + "time it was raised."
        case .checkHealthMailboxes:
            return "The monitoring account's own logons are refused (HealthMailbox…, LogonDenied): the probe fails "
                + "while users log on. List the health mailboxes and check their accounts are enabled and not locked "
                + "out."
        case .restartHealthManager(let target):
            return "Restarting the Health Manager service on \(say(.stepTarget(target))) lets Managed Availability "
                + "reset its health mailboxes' credentials; users are not affected."
        case .checkCertificate(let frontEnd):
            return "\(say(.stepServer(frontEnd))) cannot authenticate to the back ends (ProxyNotAuthenticated): check "
                + "the certificate IMAP uses there, its services and expiry date."
        case .compareIMAPSettings: return "Compare with its IMAP settings."
        case .checkBackEndMonitors(let backEnd):
            return "Look at the mailbox server the failing logons were proxied to, \(say(.stepServer(backEnd))): are "
                + "its IMAP.Protocol monitors unhealthy?"
        case .restartBackEndIfUnhealthy(let backEnd):
            return "If they are, deal with them first: restart the IMAP4 back-end service on "
                + "\(say(.stepServer(backEnd))) (then follow the ImapDeepTestMonitor steps)."
        case .restartIMAP4ThenServer(let server, let backEnd):
            guard let backEnd else {
                return "Restart the IMAP4 service on \(say(.stepServer(server))); if that is not enough, restart the "
                    + "server."
            }
            return "If \(say(.stepServer(backEnd))) is healthy, restart the IMAP4 service on "
                + "\(say(.stepServer(server))); if that is not enough, restart the server."
        case .runProbeAgain: return "Run the probe again."
        case .turnProtocolLoggingOff:
            return "Turn protocol logging off again where you turned it on, then restart the IMAP4 service (the "
                + "runbook's -ProtocolLoggingEnabled does not exist)."
        case .restartIMAP4(let server): return "Restart the IMAP4 service on \(say(.stepServer(server)))."
        case .checkImapProxyActive:
            return "The monitor takes the ImapProxy component offline: once the probe succeeds, check that it is "
                + "active again."
        case .bringImapProxyBack: return "If it stays inactive, bring it back."
        case .restartServerIfProbeFails(let server):
            return "If the probe still fails, restart \(say(.stepServer(server))), then run the probe again."
        case .restartIMAP4BackEnd(let server):
            return "Restart the IMAP4 back-end service on \(say(.stepServer(server)))."
        case .restartServerWithNoActiveCopy(let server):
            return "With no active copy left there, restart \(say(.stepServer(server))), then run the probe again."
        case .waitAndCheckHealth(let minutes):
            return "Wait \(count(minutes)) minutes, check the IMAP health sets, and check again \(count(minutes)) "
                + "minutes later."
        case .restartServerIfStillUnhealthy(let server): return "Still unhealthy: restart \(say(.stepServer(server)))."
        case .checkActiveSyncHealthSet(let target):
            return "RequestsQueuedGt500Monitor belongs to ActiveSync: check the ActiveSync health set on "
                + "\(say(.stepTarget(target))), not IMAP's."
        case .followActiveSyncSteps: return "Then follow the ActiveSync health set's troubleshooting steps."

        // MARK: - What stands out (Findings)
        }
    }
}
