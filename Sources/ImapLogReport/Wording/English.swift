import ImapLogDiagnosis
import ImapLogKit

extension Phrasebook {
    /// The report's sentences in English, in the order of `Sentence`'s cases.
    func english(_ sentence: Sentence) -> String {
        switch sentence {
        // MARK: - Verdict (Diagnoser)

        case .mostLikelyResponsible(let server, let role, let confidence, let rule, let hasRecovered):
            return "Most likely responsible: \(self.server(server)) (\(self.role(role))), confidence "
                + "\(decimal(confidence)). " + say(rule)
                + (hasRecovered ? " It has recovered since: nothing to restart now." : "")
        case .cannotTell(let why): return "I cannot tell: " + say(why)
        case .alertTimeNotCovered(let at):
            return "I cannot tell: the logs do not cover the alert's time (\(time(at)) UTC), and nothing in them shows "
                + "a monitor's condition. Collect the logs of that time (protocol logging on), or check --tz."
        case .alertFarFromLogs(let at, let hours, let logsAfter):
            return "I cannot tell what raised the alert: the logs "
                + (logsAfter ? "start \(count(hours)) hours after" : "end \(count(hours)) hours before")
                + " its time (\(time(at)) UTC). Check that the monitor is still unhealthy, and collect the logs of a "
                + "failure (protocol logging on), or check --tz."
        case .whatTheLogsShow(let said): return "What the logs show of their own time: " + say(said)
        case .alertServerNotRead(let servers):
            return "none of the logs of the alert's server \(self.servers(servers)) were read, and the others show "
                + "no monitor's condition. Collect its logs (protocol logging on): the monitor runs there."
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

        case .ctpNoLogon: return "ImapCTPMonitor: no logon in these logs, neither at a front end nor at a back end."
        case .ctpFrontEndFailsTowardsAll(let failures, let logons, let server, let from, let to, let backEnds, let peer):
            return "\(count(failures)) of \(count(logons)) logons through \(self.server(server)) failed on the server "
                + "side between \(time(from)) and \(time(to)), towards every back end it reached "
                + "(\(servers(backEnds))), against \(percent(peer)) through the other front ends to the same back ends."
        case .ctpFrontEndHandsOffNone(let server):
            return "\(self.server(server)) fails to hand logons to any back end, while the other front ends reach "
                + "them: the fault is on \(self.server(server)) (certificate, authentication settings, or its network)."
        case .ctpRecovered(let lastFailure, let minutes, let logons):
            return "It has recovered: the last failure was at \(time(lastFailure)), \(minutes) minutes before the "
                + "logs end, and the \(count(logons)) logons since succeeded."
        case .ctpBackEndRecovered(let server):
            return "Logons proxied to \(self.server(server)) failed for a while, then recovered."
        case .ctpReadFromOwnLog(let server):
            return "Read from \(self.server(server))'s own log: no front end's log holds its logons."
        case .ctpJudgedOnUsers: return "No ImapCTPProbe session in these logs: judged on users' logons alone."
        case .ctpDeploymentErrors(let failures, let server):
            return "\(count(failures)) logons failed at \(self.server(server)) with deployment errors "
                + "(ProxyNotAuthenticated, server not found)."
        case .ctpProxyNotAuthenticated(let server):
            return "\(self.server(server)) cannot hand logons to a back end: ProxyNotAuthenticated points at its "
                + "certificate or authentication settings."
        case .ctpFailuresPointAt(let servers): return "ImapCTPMonitor: the failures point at \(self.servers(servers))."
        case .ctpMonitoringAccount(let refusals): return "ImapCTPMonitor: " + say(refusals)
        case .ctpOnlyThrottling(let throttled, let credentials):
            return "ImapCTPMonitor: no server-side failure; \(count(throttled)) commands refused by throttling (a "
                + "user's budget or connection limit: OverBudget, UserConnectionLimitReached) and "
                + "\(count(credentials)) logons refused for the user's credentials. No server is at fault."
        case .ctpOnlyWrongPasswords(let credentials):
            return "ImapCTPMonitor: only users' wrong passwords (\(count(credentials)) logons refused for their "
                + "credentials); no logon failed on a server's side."
        case .ctpNoFailedLogon:
            return "ImapCTPMonitor: no failed logon in these logs. Was protocol logging on while the probe failed? "
                + "Check the time window."
        case .ctpFailuresScattered(let failures, let server, let needed):
            return "ImapCTPMonitor: \(count(failures)) server-side logon failures, all towards \(self.server(server)), "
                + "never \(count(needed)) close together: no outage stands out. Read its rows, and compare with the "
                + "probe's own results."
        case .ctpFailuresUnnamed(let failures):
            return "ImapCTPMonitor: \(count(failures)) server-side logon failures, towards no back end the logs name "
                + "(none given, or a name that is not a host name): no server can be blamed. Read the failed rows."
        case .ctpFailuresSpread(let failures):
            return "ImapCTPMonitor: \(count(failures)) server-side logon failures, spread over the back ends: no "
                + "single mailbox server stands out. Look at the front end and the network."
        case .ctpBackEndFailures(let failures, let logons, let server, let from, let to, let rate, let other, let base):
            return "\(count(failures)) of \(count(logons)) logons to \(self.server(server)) failed on the server side "
                + "between \(time(from)) and \(time(to)) (\(percent(rate)))"
                + (other.map { ", against \(percent($0)) on most other back ends then" }
                    ?? " (no other back end's logons were read to compare)")
                + (base.map { " and \(percent($0)) on \(self.server(server)) before." } ?? ".")
        case .ctpProbeFailures(let failed, let total, let server):
            return "ImapCTPProbe: \(count(failed)) of \(count(total)) probe sessions through \(self.server(server)) "
                + "failed."
        case .ctpBackEndFails(let server):
            return "Logons proxied to \(self.server(server)) fail while the other back ends serve theirs."

        case .ctpFrontEndFailsItsLogons(let failures, let logons, let server, let from, let to, let peerRate):
            return "\(count(failures)) of \(count(logons)) logons through \(self.server(server)) failed on the server "
                + "side between \(time(from)) and \(time(to)), against \(percent(peerRate)) through the other front ends."
        case .ctpFrontEndServesNone(let server):
            return
                "Logons through \(self.server(server)) fail on its side while the other front ends serve theirs: the "
                + "IMAP4 service or the server itself."

        // MARK: - ImapProxyTestMonitor, ImapSelfTestMonitor

        case .probeNoSessions(let monitor, let probe, let role):
            return "\(monitor.rawValue): no \(probe.rawValue) sessions in these logs; it needs the "
                + (role == .frontEnd ? "front-end (IMAP4*.LOG)" : "back-end (IMAP4BE*.LOG)")
                + " logs of the server in the alert."
        case .probeLogsEndEarly(let server, let ownEnd, let othersEnd):
            return "\(self.server(server))'s own logs end at \(time(ownEnd)) while the others go on until "
                + "\(time(othersEnd)), but nothing else says it hung (its peers' traffic did not rise, and no alert "
                + "names it): its logs were probably copied earlier. Collect them again to tell."
        case .probeOwnLogsEnd(let ownEnd, let othersEnd, let loadShift, let isNamed):
            return "Its own logs end at \(time(ownEnd)) while the others go on until \(time(othersEnd))"
                + (loadShift.map {
                    ", and its peers' traffic rose \(decimal($0))-fold then: its clients moved to them, as a load "
                        + "balancer does when a server stops answering"
                } ?? "") + (isNamed ? "; the alert names it." : ".")
        case .probeGap(let probe, let server, let from, let to, let minutes):
            return "No \(probe.rawValue) session on \(self.server(server)) from \(time(from)) to \(time(to)) "
                + "(\(minutes) minutes; the probe runs every minute) while other logs go on."
        case .probeFailingRun(let minutes, let slowSeconds, let probe, let until):
            return "\(minutes) minutes in a row of failing or slow (≥ \(count(slowSeconds)) s) \(probe.rawValue) "
                + "sessions, up to \(time(until))."
        case .probeSessionsFailed(let failed, let total, let probe):
            return "\(count(failed)) of \(count(total)) \(probe.rawValue) sessions failed."
        case .probeUnanswered(let server, let role):
            return role == .frontEnd
                ? "The IMAP4 service on \(self.server(server)) stops answering its own proxy probe."
                : "The IMAP4 back-end service on \(self.server(server)) stops answering its own self-test."
        case .probeStopsEverywhere(let probe, let at):
            return "\(probe.rawValue) stops on most servers at once (\(time(at))): the probes' scheduler (the Health "
                + "Manager service) or the log collection stopped, not one server."
        case .probeRanEveryMinute(let monitor, let probe, let servers, let needed):
            return "\(monitor.rawValue): \(probe.rawValue) ran every minute on \(self.servers(servers)) without "
                + "\(spelled(needed)) failures in a row or a gap."
        case .probeInDoubt(let monitor, let why): return "\(monitor.rawValue): " + say(why)
        case .probeStopsOrFailsOn(let monitor, let probe, let servers):
            return "\(monitor.rawValue): \(probe.rawValue) stops or fails on \(self.servers(servers))."

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

        case .averageTimeAbove(let server, let thresholdSeconds, let minutes):
            return "Commands on \(self.server(server)) took more than \(count(thresholdSeconds)) s on average for "
                + "\(minutes) minutes: the counter the monitor watches."
        case .averageTimeSamplesAbove(
            let samples, let sampleMinutes, let thresholdMs, let from, let to, let worstMs, let commands):
            return "\(samples) \(count(sampleMinutes))-minute samples in a row above \(count(thresholdMs)) ms from "
                + "\(time(from)) to \(time(to)); worst \(count(worstMs)) ms over \(count(commands)) commands."
        case .averageTimeCrawlsOn(let servers, let sampleMinutes, let thresholdSeconds):
            return "AverageCommandProcessingTimeGt60sMonitor: no \(count(sampleMinutes))-minute mean above "
                + "\(count(thresholdSeconds)) s in these logs, but commands crawl on \(self.servers(servers))."
        case .averageTimeFiresOn(let servers):
            return "AverageCommandProcessingTimeGt60sMonitor: fires on \(self.servers(servers))."
        case .averageTimeHighest(let thresholdSeconds, let needed, let sampleMinutes, let meanMs, let server, let at):
            return "AverageCommandProcessingTimeGt60sMonitor: no server averages over \(count(thresholdSeconds)) s "
                + "for \(spelled(needed)) samples in a row; the highest \(count(sampleMinutes))-minute mean is "
                + "\(count(meanMs)) ms on \(self.server(server)) at \(time(at))."
        case .averageTimeNoDurations:
            return "AverageCommandProcessingTimeGt60sMonitor: no command durations in these logs."
        case .commandsCrawl(let server):
            return "Commands on \(self.server(server)) crawl against its peers'; the counter the monitor watches "
                + "averages them with the fast ones."
        case .commandsCrawlAgainstPeers(
            let p90, let p99, let commands, let peersP90, let role, let sampleMinutes, let thresholdMs, let isNamed):
            return "p90 \(count(p90)) ms, p99 \(count(p99)) ms over \(count(commands)) commands, against p90 "
                + "\(count(peersP90)) ms on the other \(self.role(role))s; no \(count(sampleMinutes))-minute mean "
                + "above \(count(thresholdMs)) ms, so the counter rebuilt from the logs stays below the threshold."
                + (isNamed ? " The alert names it." : "")
        case .requestsQueuedNotImap(let peaks):
            return "RequestsQueuedGt500Monitor watches ActiveSync's task queue (MSExchange Throttling\\Task queue "
                + "length), not IMAP: the IMAP page copied it from the ActiveSync one. In these IMAP logs the most "
                + "commands in flight at once were: "
                + peaks.map { "\(server($0.server)) \(count($0.peak)) (\(time($0.at)))" }.joined(separator: ", ")
                + "."

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

        case .testImapConnectivity(let target):
            return "Exchange 2010 has no IMAP health set to check: test IMAP4 through \(say(.stepTarget(target))) (the "
                + "test mailbox comes from New-TestCasConnectivityUser.ps1)."
        case .testAgain: return "Test again."

        // MARK: - What stands out (Findings)

        case .suspectFinding(
            let server, let role, let monitor, let failures, let total, let from, let to, let confidence,
            let hasRecovered):
            var text =
                "\(self.server(server)) (\(self.role(role))): \(monitor), \(count(failures)) of \(count(total)) failed"
            if let from, let to { text += " from \(time(from)) to \(time(to)) UTC" }
            return text + "; confidence \(decimal(confidence))" + (hasRecovered ? "; recovered since" : "")
        case .relayed(let finding): return say(finding) + " (mostly the suspect back end's failures, relayed)"
        case .serverFailures(
            let server, let role, let failures, let commands, let proxied, let rate, let classes, let top, let peers):
            return "\(self.server(server)) (\(self.role(role))): \(count(failures)) of \(count(commands)) "
                + (proxied ? "proxied commands" : "commands") + " failed (\(percent(rate))); "
                + classes.map { "\(words.errorClass($0.name)) \(count($0.count))" }.joined(separator: ", ")
                + (top.map { "; most often \($0.code)" + (quoted($0.message)) } ?? "")
                + (peers.map { "; its peers: \(count($0.failed)) of \(count($0.total))" } ?? "")
        case .serverSlow(let server, let role, let p90, let p99, let peersP90):
            return "\(self.server(server)) (\(self.role(role))) is slow: p90 \(count(p90)) ms, p99 \(count(p99)) ms, "
                + "against p90 \(count(peersP90)) ms on the other \(self.role(role))s"
        case .serverSlowSpell(
            let server, let role, let from, let to, let windows, let bucketMinutes, let worstMean, let peersMean):
            return "\(self.server(server)) (\(self.role(role))) was slow from \(time(from)) to \(time(to)) UTC "
                + "(\(windows) of its \(bucketMinutes)-minute windows): mean \(count(worstMean)) ms a command at worst, "
                + "against \(count(peersMean)) ms on the other \(self.role(role))s"
        case .wrongPasswords(let refused, let codes, let users, let userCount, let spray):
            return "\(count(refused)) logons refused for the user's credentials (\(codes.joined(separator: ", ")))"
                + (users.isEmpty
                    ? ""
                    : " from \(count(userCount)) user\(userCount == 1 ? "" : "s"): "
                        + users.map { "\(user($0.name)) (\($0.count))" }.joined(separator: ", "))
                + (spray.map {
                    "; \(count($0.count)) of them from one address, \(client($0.name)): a password spray (or one "
                        + "device with a stale password)"
                } ?? "") + ". Wrong passwords or disabled accounts: not a server fault."
        case .monitoringAccountFinding(let refused, let codes):
            return "\(count(refused)) logons of Exchange's monitoring account (HealthMailbox…) refused "
                + "(\(codes.joined(separator: ", "))). The health mailbox account itself is broken (its password, a "
                + "disabled account, Active Directory): no user's wrong password and no mailbox server explains this."
        case .probesFailed(let probes):
            return "Exchange's own probes failed: "
                + probes.map { "\($0.name) \(count($0.share.failed)) of \(count($0.share.total)) sessions" }.joined(
                    separator: ", ")
                + "."
        case .overview(let commands, let entries, let rate, let top, let firstAt):
            return "No server stands out: \(count(commands)) commands on \(entries) server entries, "
                + "\(percent(rate)) failed."
                + (top.map {
                    " Most frequent server-side error: \($0.code) (\(errorClass($0.errorClass))) ×\(count($0.count))"
                        + (firstAt.map { ", first at \(place($0))" } ?? "") + "."
                } ?? "")
        }
    }
}

// MARK: - The text report's labels

extension Phrasebook {
    /// The text report's headings, column titles and sentences in English, in the order of `Label`'s cases.
    func english(_ label: Label) -> String {
        switch label {
        // MARK: - First lines

        case .fileCounts(let files, let lines, let records, let headerLines, let skipped):
            return "\(count(files)) file\(files == 1 ? "" : "s"), \(count(lines)) lines = \(count(records)) records "
                + "+ \(count(headerLines)) header + \(count(skipped)) skipped"
        case .filteredOut(let records): return "\(count(records)) records filtered out"
        case .span(let from, let to): return "from \(time(from)) to \(time(to)) UTC"

        // MARK: - From the alert

        case .alertPartsSeparator: return "; "
        case .fromTheAlert: return "FROM THE ALERT"
        case .alertFailing(let monitors): return "failing: " + monitors.joined(separator: ", ")
        case .alertAllHealthy:
            return "every IMAP monitor in it is Healthy: the problem has cleared (the runbook's \"verify the issue "
                + "still exists\"); the logs are read for what happened before"
        case .alertNoFailingMonitor: return "no failing monitor named: every rule runs"
        case .alertServers(let named):
            let names = named.map { server($0.name) + ($0.isRead ? "" : " (none of its logs were read)") }
            return "server " + names.joined(separator: ", ")
        case .alertMailboxServers(let names): return "mailbox servers named " + servers(names)
        case .alertLocalTime(let text, let timeZone, let utc):
            return "time \"\(text)\", read as local time in \(timeZone) (--tz to change): \(time(utc)) UTC"
        case .alertTime(let utc): return "time \(time(utc)) UTC"
        case .alertWindow(let from, let to):
            return "logs analysed from \(time(from)) to \(time(to)) UTC (an hour before to half an hour after)"
        case .alertTimeOutsideLogs: return "its time is outside the logs: all of them analysed"
        case .alertTimeUnreadable(let text):
            return "its time \"\(text)\" cannot be read (a field is out of range): left out, all the logs analysed"
        case .alertCut(let mebibytes, let lineLength):
            return "only its first \(mebibytes) MiB were read, and \(count(lineLength)) characters of a line: "
                + "the rest is past imaplog's limit"

        // MARK: - The answer

        case .verdict: return "VERDICT"
        case .nextSteps: return "NEXT STEPS"
        case .evidence: return "EVIDENCE"
        case .suspect(let server, let role, let confidence, let monitor, let failures, let total):
            return "\(self.server(server)) (\(self.role(role))), confidence \(decimal(confidence)), \(monitor): "
                + "\(count(failures)) of \(count(total)) failed"
        case .rowsToRead: return "rows to read:"
        case .whatStandsOut: return "WHAT STANDS OUT"
        case .warn: return "WARN"

        // MARK: - Tables

        case .servers: return "SERVERS"
        case .seenFromFrontEndsNote:
            return "A back end whose own logs were not read is described as the front ends saw it (seen from front "
                + "ends)."
        case .seenFromOwnLogs: return "own logs"
        case .seenFromFrontEnds: return "front ends"
        case .asBackEnds: return "As back ends, seen from the front ends that proxied to them:"
        case .commands: return "COMMANDS"
        case .latencyNote: return "(latency leaves out IDLE and proxy rows)"
        case .more(let rows): return "… \(rows) more"
        case .errors: return "ERRORS"
        case .moreErrors(let rows): return "… \(rows) more (--top N, or --format json)"
        case .topUsers: return "TOP USERS"
        case .topClientAddresses: return "TOP CLIENT ADDRESSES"
        case .sessionCounts(let total, let loggedOnProxied, let loggedOn, let failedLogon, let never, let openAtEnd):
            return "\(count(total)) sessions: \(count(loggedOnProxied)) logged on and proxied, \(count(loggedOn)) "
                + "logged on, \(count(failedLogon)) failed to log on, \(count(never)) never authenticated; "
                + "\(count(openAtEnd)) still open when the logs end"
        case .probes: return "EXCHANGE'S OWN PROBES"
        case .probesNote: return "(counted apart, never thrown away)"
        case .noneSeen: return "none seen"
        case .timeline: return "TIMELINE"
        case .timelineNote(let minutes): return "(\(minutes)-minute buckets; ▁…█ requests, failures below)"
        case .failuresPeak(let peak): return "failures (peak \(peak))"

        // MARK: - Input

        case .input: return "INPUT"
        case .moreFiles(let files): return "… \(files) more files"
        case .otherFilesIgnored(let files):
            return "\(count(files)) other files in those folders are not protocol logs"
        case .skippedLines: return "Skipped lines:"
        case .skippedFor(let lines, let reason, let firstAt):
            return "\(count(lines)) \(skipReason(reason))" + (firstAt.map { ", first at \(place($0))" } ?? "")
        case .moreNotices(let notices): return "… \(notices) more notices"
        case .notRead: return "Not read:"
        case .morePathsNotRead(let n):
            return "… \(count(n)) more paths not read (each on standard error and in --format json)"
        case .tablesFull(let tables):
            return "Tables full (records counted under (other); open sessions settled early): "
                + tables.map { "\($0.table) \(count($0.pooled))" }.joined(separator: ", ")

        // MARK: - POP3

        case .pop3Note: return "(read apart: never counted into the IMAP monitors)"
        case .pop3Counts(let records, let sessions, let loggedOn, let failedLogon, let credentialFailures):
            return "\(count(records)) records, \(count(sessions)) sessions: \(count(loggedOn)) logged on, "
                + "\(count(failedLogon)) failed to log on (\(count(credentialFailures)) logons refused for the "
                + "user's credentials)."

        // MARK: - Column titles

        case .serverColumn: return "server"
        case .roleColumn: return "role"
        case .seenFromColumn: return "seen from"
        case .commandsColumn: return "commands"
        case .failedColumn: return "failed"
        case .rateColumn: return "rate"
        case .commandColumn: return "command"
        case .countColumn: return "count"
        case .meanMsColumn: return "mean ms"
        case .classColumn: return "class"
        case .serversColumn: return "servers"
        case .firstSeenAtColumn: return "first seen at"
        case .userColumn: return "user"
        case .addressColumn: return "address"
        case .failedLogonsColumn: return "failed logons"
        case .refusedCredentialsColumn: return "refused credentials"
        case .probeColumn: return "probe"
        case .firstColumn: return "first"
        case .lastColumn: return "last"
        case .fileColumn: return "file"
        case .linesColumn: return "lines"
        case .recordsColumn: return "records"
        case .skippedColumn: return "skipped"
        }
    }
}
