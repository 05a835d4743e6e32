import ImapLogDiagnosis
import ImapLogKit

extension Phrasebook {
    /// The report's sentences in French, in the order of `Sentence`'s cases.
    func french(_ sentence: Sentence) -> String {
        switch sentence {
        // MARK: - Verdict (Diagnoser)

        case .mostLikelyResponsible(let server, let role, let confidence, let rule, let hasRecovered):
            return "Responsable le plus probable : \(self.server(server)) (\(self.role(role))), confiance "
                + "\(decimal(confidence)). " + say(rule)
                + (hasRecovered ? " Il s'est rétabli depuis : rien à redémarrer maintenant." : "")
        case .cannotTell(let why): return "Impossible de conclure : " + say(why)
        case .alertTimeNotCovered(let at):
            return "Impossible de conclure : les journaux ne couvrent pas l'heure de l'alerte (\(time(at)) UTC), et "
                + "rien n'y montre la condition d'un moniteur. Collectez les journaux de ce moment (journalisation "
                + "active), ou vérifiez --tz."
        case .alertFarFromLogs(let at, let hours, let logsAfter):
            return "Impossible de dire ce qui a levé l'alerte : les journaux "
                + (logsAfter ? "commencent \(count(hours)) heures après" : "s'arrêtent \(count(hours)) heures avant")
                + " son heure (\(time(at)) UTC). Vérifiez que le moniteur est toujours non sain, et collectez les "
                + "journaux d'un échec (journalisation active), ou vérifiez --tz."
        case .whatTheLogsShow(let said): return "Ce que les journaux montrent de leur propre période : " + say(said)
        case .alertServerNotRead(let servers):
            return
                "aucun journal du serveur de l'alerte \(self.servers(servers)) n'a été lu, et les autres ne montrent "
                + "la condition d'aucun moniteur. Collectez ses journaux (journalisation active) : le moniteur s'y "
                + "exécute."
        case .coverage(let from, let to, let servers, let hasMore):
            guard let from, let to else { return "Les journaux ne contiennent aucune ligne datée." }
            return "Les journaux couvrent \(time(from)) – \(time(to)) UTC"
                + (servers.isEmpty ? "." : ", serveurs \(self.servers(servers))\(hasMore ? ", …" : "").")
        case .onlyPOP3(let records):
            return "seuls des journaux POP3 ont été lus (\(count(records)) enregistrements, décrits plus bas) ; les "
                + "moniteurs IMAP demandent IMAP4*.LOG ou IMAP4BE*.LOG."
        case .noRecord(let lines, let skipped):
            return "aucun enregistrement lu (\(count(lines)) lignes, \(count(skipped)) ignorées). S'agit-il de "
                + "journaux de protocole IMAP4 d'Exchange, et la journalisation était-elle active ?"
        case .filtersLeftNothing(let records):
            return "les filtres (--since, --until, --server, --user, --command, ou la période de l'alerte) n'ont "
                + "laissé aucun des \(count(records)) enregistrements."
        case .noCondition:
            return "Aucune condition de moniteur n'apparaît dans ces journaux : aucun serveur à mettre en cause."
        case .noConditionWhileBlind(let checked, let blind):
            return "Aucune condition n'apparaît pour \(checked.joined(separator: ", ")). Non vérifiés, faute de "
                + "données : " + say(blind)
        case .noServerStandsOut:
            return "Aucun serveur ne se distingue ; ce que la règle de chaque moniteur a trouvé :"
        case .failuresOutsideAlertWindow(let from, let to, let failures):
            return "Hors de la période de l'alerte (\(time(from)) – \(time(to)) UTC), les journaux contiennent "
                + "\(count(failures)) autres commandes en échec : relancez avec --since et --until autour d'elles "
                + "pour voir ce qu'elles disent."
        case .logsStopped(let minutes, let lastRow):
            return "La ligne la plus récente date de \(count(minutes)) minutes (\(time(lastRow)) UTC) : le service "
                + "IMAP4 a peut-être cessé d'écrire (bloqué), ou la journalisation du protocole a été désactivée."
        case .upToThen: return "Jusque-là :"
        case .alertShowsHealthy:
            return "L'alerte montre tous les moniteurs IMAP de nouveau sains : le problème a disparu."
        case .recoveredSince(let since, let minutes, let requests, let failures):
            return "Il s'est rétabli : depuis \(time(since)), \(minutes) minutes avant la fin des journaux, ses "
                + "\(count(requests)) requêtes se sont déroulées sans la panne (\(count(failures)) en échec)."
        case .monitoringAccountRefused(let refusals):
            return "Les ouvertures de session du compte de surveillance lui-même ont été refusées (\(count(refusals))) "
                + ": le compte de la boîte aux lettres de contrôle d'intégrité (HealthMailbox…) est en cause (son mot "
                + "de passe, un compte désactivé, Active Directory), pas un serveur ; le mot de passe erroné d'un "
                + "utilisateur ne l'explique jamais."
        case .ownLogAgrees(let failures, let store, let firstAt):
            return "Son propre journal le confirme : \(count(failures)) échecs, dont \(count(store)) erreurs de banque "
                + "d'informations" + (firstAt.map { " (premier en \(place($0)))." } ?? ".")
        case .linkedLogons(let failedThere, let linked, let server, let codes, let firstAt, let oneUserIn):
            return "Rapprochées une à une : \(count(failedThere)) des \(count(linked)) ouvertures de session en échec "
                + "retrouvées dans le journal de \(self.server(server)) y ont aussi échoué"
                + (codes.isEmpty ? "" : " (\(self.codes(codes)))")
                + (firstAt.map { ", première en \(place($0))" } ?? "") + "."
                + (oneUserIn.map {
                    " (Les ouvertures de session d'environ un utilisateur sur \(count($0)) ont été gardées pour le "
                        + "rapprochement.)"
                } ?? "")
        case .mostFrequentError(let e): return "Erreur la plus fréquente : " + error(e)

        // MARK: - ImapCTPMonitor

        case .ctpNoLogon:
            return
                "ImapCTPMonitor : aucune ouverture de session dans ces journaux, ni sur un serveur d'accès client ni "
                + "sur un serveur de boîtes aux lettres."
        case .ctpFrontEndFailsTowardsAll(let failures, let logons, let server, let from, let to, let backEnds, let peer):
            return "\(count(failures)) ouvertures de session sur \(count(logons)) via \(self.server(server)) ont "
                + "échoué côté serveur entre \(time(from)) et \(time(to)), vers chaque serveur de boîtes aux lettres "
                + "atteint (\(servers(backEnds))), contre \(percent(peer)) via les autres serveurs d'accès client vers "
                + "les mêmes serveurs."
        case .ctpFrontEndHandsOffNone(let server):
            return
                "\(self.server(server)) ne parvient à relayer les ouvertures de session vers aucun serveur de boîtes "
                + "aux lettres, alors que les autres serveurs d'accès client les atteignent : la panne est sur "
                + "\(self.server(server)) (certificat, paramètres d'authentification ou réseau)."
        case .ctpRecovered(let lastFailure, let minutes, let logons):
            return "Il s'est rétabli : le dernier échec date de \(time(lastFailure)), \(minutes) minutes avant la fin "
                + "des journaux, et les \(count(logons)) ouvertures de session suivantes ont réussi."
        case .ctpBackEndRecovered(let server):
            return "Les ouvertures de session relayées vers \(self.server(server)) ont échoué un temps, puis se sont "
                + "rétablies."
        case .ctpReadFromOwnLog(let server):
            return "Lu dans le journal de \(self.server(server)) : aucun journal de serveur d'accès client ne contient "
                + "ses ouvertures de session."
        case .ctpJudgedOnUsers:
            return "Aucune session ImapCTPProbe dans ces journaux : jugé sur les seules ouvertures de session des "
                + "utilisateurs."
        case .ctpDeploymentErrors(let failures, let server):
            return "\(count(failures)) ouvertures de session ont échoué sur \(self.server(server)) avec des erreurs de "
                + "déploiement (ProxyNotAuthenticated, serveur introuvable)."
        case .ctpProxyNotAuthenticated(let server):
            return "\(self.server(server)) ne parvient pas à relayer les ouvertures de session : ProxyNotAuthenticated "
                + "met en cause son certificat ou ses paramètres d'authentification."
        case .ctpFailuresPointAt(let servers):
            return "ImapCTPMonitor : les échecs désignent \(self.servers(servers))."
        case .ctpMonitoringAccount(let refusals): return "ImapCTPMonitor : " + say(refusals)
        case .ctpOnlyThrottling(let throttled, let credentials):
            return "ImapCTPMonitor : aucun échec côté serveur ; \(count(throttled)) commandes refusées par la "
                + "limitation (budget ou nombre de connexions d'un utilisateur : OverBudget, "
                + "UserConnectionLimitReached) et \(count(credentials)) ouvertures de session refusées pour "
                + "identifiants invalides. Aucun serveur n'est en cause."
        case .ctpOnlyWrongPasswords(let credentials):
            return "ImapCTPMonitor : uniquement des mots de passe erronés (\(count(credentials)) ouvertures de session "
                + "refusées pour identifiants invalides) ; aucune n'a échoué du fait d'un serveur."
        case .ctpNoFailedLogon:
            return "ImapCTPMonitor : aucune ouverture de session en échec dans ces journaux. La journalisation "
                + "était-elle active pendant l'échec de la sonde ? Vérifiez la période."
        case .ctpFailuresScattered(let failures, let server, let needed):
            return "ImapCTPMonitor : \(count(failures)) échecs côté serveur, tous vers \(self.server(server)), "
                + "jamais \(count(needed)) rapprochés : aucune panne ne se distingue. Lisez ses lignes et comparez "
                + "avec les résultats de la sonde."
        case .ctpFailuresUnnamed(let failures):
            return "ImapCTPMonitor : \(count(failures)) échecs côté serveur, vers aucun serveur de boîtes aux lettres "
                + "nommé par les journaux (aucun nom, ou un nom qui n'est pas un nom d'hôte) : aucun serveur ne peut "
                + "être mis en cause. Lisez les lignes en échec."
        case .ctpFailuresSpread(let failures):
            return "ImapCTPMonitor : \(count(failures)) échecs côté serveur, répartis sur les serveurs de boîtes aux "
                + "lettres : aucun ne se distingue. Examinez le serveur d'accès client et le réseau."
        case .ctpBackEndFailures(let failures, let logons, let server, let from, let to, let rate, let other, let base):
            return "\(count(failures)) ouvertures de session sur \(count(logons)) vers \(self.server(server)) ont "
                + "échoué côté serveur entre \(time(from)) et \(time(to)) (\(percent(rate)))"
                + (other.map { ", contre \(percent($0)) sur la plupart des autres serveurs de boîtes aux lettres" }
                    ?? " (aucune ouverture de session d'un autre serveur de boîtes aux lettres à comparer)")
                + (base.map { " et \(percent($0)) sur \(self.server(server)) auparavant." } ?? ".")
        case .ctpProbeFailures(let failed, let total, let server):
            return "ImapCTPProbe : \(count(failed)) sessions de sonde sur \(count(total)) via \(self.server(server)) "
                + "en échec."
        case .ctpBackEndFails(let server):
            return "Les ouvertures de session relayées vers \(self.server(server)) échouent alors que les autres "
                + "serveurs de boîtes aux lettres servent les leurs."

        case .ctpFrontEndFailsItsLogons(let failures, let logons, let server, let from, let to, let peerRate):
            return
                "\(count(failures)) ouvertures de session sur \(count(logons)) via \(self.server(server)) ont échoué "
                + "côté serveur entre \(time(from)) et \(time(to)), contre \(percent(peerRate)) via les autres serveurs "
                + "d'accès client."
        case .ctpFrontEndServesNone(let server):
            return "Les ouvertures de session via \(self.server(server)) échouent de son fait tandis que les autres "
                + "serveurs d'accès client servent les leurs : le service IMAP4 ou le serveur lui-même."

        // MARK: - ImapProxyTestMonitor, ImapSelfTestMonitor

        case .probeNoSessions(let monitor, let probe, let role):
            return "\(monitor.rawValue) : aucune session \(probe.rawValue) dans ces journaux ; il faut les journaux "
                + (role == .frontEnd ? "d'accès client (IMAP4*.LOG)" : "de boîtes aux lettres (IMAP4BE*.LOG)")
                + " du serveur de l'alerte."
        case .probeLogsEndEarly(let server, let ownEnd, let othersEnd):
            return "Les journaux de \(self.server(server)) s'arrêtent à \(time(ownEnd)) alors que les autres "
                + "continuent jusqu'à \(time(othersEnd)), mais rien d'autre n'indique un blocage (le trafic de ses "
                + "pairs n'a pas augmenté, aucune alerte ne le nomme) : ses journaux ont sans doute été copiés plus "
                + "tôt. Collectez-les de nouveau pour trancher."
        case .probeOwnLogsEnd(let ownEnd, let othersEnd, let loadShift, let isNamed):
            return "Ses propres journaux s'arrêtent à \(time(ownEnd)) alors que les autres continuent jusqu'à "
                + "\(time(othersEnd))"
                + (loadShift.map {
                    ", et le trafic de ses pairs a été multiplié par \(decimal($0)) : ses clients sont passés chez "
                        + "eux, comme le fait un équilibreur de charge quand un serveur ne répond plus"
                } ?? "") + (isNamed ? " ; l'alerte le nomme." : ".")
        case .probeGap(let probe, let server, let from, let to, let minutes):
            return "Aucune session \(probe.rawValue) sur \(self.server(server)) de \(time(from)) à \(time(to)) "
                + "(\(minutes) minutes ; la sonde tourne chaque minute) alors que les autres journaux continuent."
        case .probeFailingRun(let minutes, let slowSeconds, let probe, let until):
            return "\(minutes) minutes d'affilée de sessions \(probe.rawValue) en échec ou lentes "
                + "(≥ \(count(slowSeconds)) s), jusqu'à \(time(until))."
        case .probeSessionsFailed(let failed, let total, let probe):
            return "\(count(failed)) sessions \(probe.rawValue) sur \(count(total)) en échec."
        case .probeUnanswered(let server, let role):
            return role == .frontEnd
                ? "Le service IMAP4 de \(self.server(server)) ne répond plus à sa propre sonde de proxy."
                : "Le service IMAP4 principal de \(self.server(server)) ne répond plus à son propre autotest."
        case .probeStopsEverywhere(let probe, let at):
            return "\(probe.rawValue) s'arrête sur la plupart des serveurs à la fois (\(time(at))) : c'est le "
                + "planificateur des sondes (service Health Manager) ou la collecte des journaux qui s'est arrêté, pas "
                + "un serveur."
        case .probeRanEveryMinute(let monitor, let probe, let servers, let needed):
            return "\(monitor.rawValue) : \(probe.rawValue) a tourné chaque minute sur \(self.servers(servers)) sans "
                + "\(spelled(needed)) échecs d'affilée ni interruption."
        case .probeInDoubt(let monitor, let why): return "\(monitor.rawValue) : " + say(why)
        case .probeStopsOrFailsOn(let monitor, let probe, let servers):
            return "\(monitor.rawValue) : \(probe.rawValue) s'interrompt ou échoue sur \(self.servers(servers))."

        // MARK: - ImapDeepTestMonitor

        case .deepTestProbeFailures(let failed, let total, let server, let rate, let otherRate):
            return "ImapDeepTestProbe : \(count(failed)) sessions sur \(count(total)) en échec sur "
                + "\(self.server(server)) (\(percent(rate)))"
                + (otherRate.map { ", contre \(percent($0)) sur les autres serveurs de boîtes aux lettres." }
                    ?? " (aucun test approfondi d'un autre serveur de boîtes aux lettres à comparer).")
        case .deepTestFailsOwn(let server):
            return "\(self.server(server)) échoue à son propre test approfondi : les bases de boîtes aux lettres qu'il "
                + "héberge ne s'ouvrent pas en IMAP."
        case .deepTestTooFewFailures(let failed, let server, let needed):
            return "ImapDeepTestMonitor : ImapDeepTestProbe a échoué \(count(failed)) fois, toutes sur "
                + "\(self.server(server)) : moins que les \(needed) d'affilée qui déclenchent le moniteur."
        case .deepTestFailuresSpread(let failed):
            return "ImapDeepTestMonitor : ImapDeepTestProbe a échoué \(count(failed)) fois, sans se concentrer sur un "
                + "serveur de boîtes aux lettres."
        case .deepTestFailsOn(let servers):
            return "ImapDeepTestMonitor : le test approfondi échoue sur \(self.servers(servers))."
        case .deepTestNoOwnLog:
            return "ImapDeepTestMonitor : aucun journal de serveur de boîtes aux lettres (IMAP4BE*.LOG) dans ces "
                + "journaux : ni ses tests approfondis ni les erreurs de banque d'informations de ses utilisateurs ne "
                + "peuvent être lus."
        case .deepTestJudgedOnUsers(let probesFailed, let errors, let commands, let server, let rate, let otherRate):
            return
                (probesFailed.map {
                    "ImapDeepTestProbe n'a échoué que \(count($0)) fois : jugé aussi sur les commandes des utilisateurs. "
                }
                ?? "Aucune session ImapDeepTestProbe dans ces journaux : jugé sur les commandes des utilisateurs. ")
                + "\(count(errors)) commandes sur \(count(commands)) du journal de \(self.server(server)) ont échoué "
                + "sur des erreurs de banque d'informations (\(percent(rate))), contre \(percent(otherRate)) sur les "
                + "autres serveurs de boîtes aux lettres."
        case .usersMeetStoreErrors(let server):
            return "Les commandes des utilisateurs sur \(self.server(server)) échouent sur des erreurs de banque "
                + "d'informations : ce que son test approfondi rencontrerait."
        case .deepTestNoStoreErrors:
            return "ImapDeepTestMonitor : aucune session ImapDeepTestProbe dans ces journaux, et les utilisateurs "
                + "d'aucun serveur de boîtes aux lettres ne rencontrent d'erreurs de banque d'informations."
        case .storeErrorsPointAt(let servers, let hadProbes):
            return
                (hadProbes
                ? "ImapDeepTestMonitor : trop peu de tests approfondis en échec pour conclure ; les erreurs de banque "
                    + "d'informations des utilisateurs désignent "
                : "ImapDeepTestMonitor : aucune session de test approfondi dans ces journaux ; les erreurs de banque "
                    + "d'informations des utilisateurs désignent ")
                + self.servers(servers) + "."

        // MARK: - AverageCommandProcessingTimeGt60sMonitor, RequestsQueuedGt500Monitor

        case .averageTimeAbove(let server, let thresholdSeconds, let minutes):
            return "Les commandes sur \(self.server(server)) ont pris plus de \(count(thresholdSeconds)) s en moyenne "
                + "pendant \(minutes) minutes : le compteur surveillé par le moniteur."
        case .averageTimeSamplesAbove(
            let samples, let sampleMinutes, let thresholdMs, let from, let to, let worstMs, let commands):
            let threshold = count(thresholdMs)
            return "\(samples) échantillons de \(count(sampleMinutes)) minutes d'affilée au-dessus de \(threshold) ms "
                + "de \(time(from)) à \(time(to)) ; pire \(count(worstMs)) ms sur \(count(commands)) commandes."
        case .averageTimeCrawlsOn(let servers, let sampleMinutes, let thresholdSeconds):
            return "AverageCommandProcessingTimeGt60sMonitor : aucune moyenne sur \(count(sampleMinutes)) minutes "
                + "au-dessus de \(count(thresholdSeconds)) s dans ces journaux, mais les commandes se traînent sur "
                + "\(self.servers(servers))."
        case .averageTimeFiresOn(let servers):
            return "AverageCommandProcessingTimeGt60sMonitor : se déclenche sur \(self.servers(servers))."
        case .averageTimeHighest(let thresholdSeconds, let needed, let sampleMinutes, let meanMs, let server, let at):
            return "AverageCommandProcessingTimeGt60sMonitor : aucun serveur ne dépasse \(count(thresholdSeconds)) s "
                + "de moyenne sur \(spelled(needed)) échantillons consécutifs ; la moyenne sur "
                + "\(count(sampleMinutes)) minutes la plus haute est \(count(meanMs)) ms sur \(self.server(server)) à "
                + "\(time(at))."
        case .averageTimeNoDurations:
            return "AverageCommandProcessingTimeGt60sMonitor : aucune durée de commande dans ces journaux."
        case .commandsCrawl(let server):
            return "Les commandes sur \(self.server(server)) se traînent par rapport à ses pairs ; le compteur "
                + "surveillé les moyenne avec les rapides."
        case .commandsCrawlAgainstPeers(
            let p90, let p99, let commands, let peersP90, let role, let sampleMinutes, let thresholdMs, let isNamed):
            let threshold = count(thresholdMs)
            return "p90 \(count(p90)) ms, p99 \(count(p99)) ms sur \(count(commands)) commandes, contre p90 "
                + "\(count(peersP90)) ms sur les autres serveurs (\(self.role(role))) ; aucune moyenne sur "
                + "\(count(sampleMinutes)) minutes au-dessus de \(threshold) ms : le compteur reconstitué reste sous le "
                + "seuil." + (isNamed ? " L'alerte le nomme." : "")
        case .requestsQueuedNotImap(let peaks):
            return "RequestsQueuedGt500Monitor surveille la file de tâches d'ActiveSync (MSExchange Throttling\\Task "
                + "queue length), pas IMAP : la page IMAP l'a copié de celle d'ActiveSync. Dans ces journaux IMAP, le "
                + "plus de commandes simultanées : "
                + peaks.map { "\(server($0.server)) \(count($0.peak)) (\(time($0.at)))" }.joined(separator: ", ")
                + "."

        // MARK: - Next steps (Runbook)

        case .stepServer(let server):
            let name = self.server(server.name)
            if server.isAddress {
                return server.role == .backEnd
                    ? "le serveur de boîtes aux lettres à l'adresse \(name)"
                    : "le serveur d'accès client à l'adresse \(name)"
            }
            switch server.source {
            case .logs: return name
            case .alert: return "\(name) (nommé par l'alerte)"
            case .given: return "\(name) (nommé par --name)"
            }
        case .stepTarget(let target):
            switch target {
            case .server(let server): return say(.stepServer(server))
            case .placeholder(.alertServer): return "le serveur qui a levé l'alerte"
            case .placeholder(.clientAccessServer): return "le serveur d'accès client qui a levé l'alerte"
            case .placeholder(.mailboxServer): return "le serveur de boîtes aux lettres de l'alerte"
            }
        case .checkIMAPMonitors(let target):
            return "Vérifiez quels moniteurs IMAP sont toujours non sains (AlertValue Unhealthy) sur "
                + "\(say(.stepTarget(target)))."
        case .findServerName(let address):
            let address = server(address)
            return "Les journaux ne connaissent ce serveur que par son adresse, \(address) : trouvez son nom (les "
                + "commandes ci-dessous le cherchent de la même façon), ou donnez-le à imaplog avec --name "
                + "\(address)=NOM."
        case .checkMonitorUnhealthy(let monitor, let target):
            return "Vérifiez que \(monitor.rawValue) est toujours non sain (AlertValue Unhealthy) sur "
                + "\(say(.stepTarget(target)))."
        case .runItsProbeAgain:
            return "Relancez sa sonde. ResultType Succeeded signifie que l'échec était passager ; StateAttribute4 "
                + "indique le serveur de boîtes aux lettres qui a répondu."
        case .moveDatabasesIfStoreErrorsGoOn(let server):
            return "Si les erreurs de banque d'informations persistent (boîte aux lettres hors connexion, erreurs de "
                + "stockage passagères), déplacez les bases actives hors de \(say(.stepServer(server))) et vérifiez "
                + "qu'il n'y en reste aucune."
        case .moveDatabasesIfProbeStillFails(let server):
            return "Si elle échoue toujours, déplacez les bases actives hors de \(say(.stepServer(server))) et "
                + "vérifiez qu'il n'y en reste aucune."
        case .moveDatabasesIfStillUnhealthy(let server):
            return "Toujours non sain : déplacez les bases actives hors de \(say(.stepServer(server))) et vérifiez "
                + "qu'il n'y en reste aucune."
        case .letDatabasesBack(let server):
            return "Si vous avez déplacé les bases hors de \(say(.stepServer(server))) : une fois la sonde de nouveau "
                + "réussie, autorisez de nouveau leur activation (cela annule le déplacement)."
        case .contactSupport:
            return "Si l'échec persiste, contactez le support Microsoft (Serveurs > Exchange Server), selon la "
                + "procédure de votre organisation."
        case .faultEnded(let target):
            return "La panne de \(say(.stepTarget(target))) a pris fin bien avant la fin des journaux : ne redémarrez "
                + "rien maintenant. Vérifiez que le moniteur est de nouveau sain ; si l'alerte est toujours levée, "
                + "collectez des journaux qui couvrent son heure."
        case .checkHealthMailboxes:
            return "Les ouvertures de session du compte de surveillance sont refusées (HealthMailbox…, LogonDenied) : "
                + "la sonde échoue alors que les utilisateurs se connectent. Listez les boîtes aux lettres "
                + "d'intégrité et vérifiez que leurs comptes sont activés et non verrouillés."
        case .restartHealthManager(let target):
            return "Redémarrer le service Health Manager sur \(say(.stepTarget(target))) permet à Managed "
                + "Availability de réinitialiser les identifiants de ses boîtes aux lettres d'intégrité ; les "
                + "utilisateurs ne sont pas affectés."
        case .checkCertificate(let frontEnd):
            return "\(say(.stepServer(frontEnd))) ne s'authentifie pas auprès des serveurs de boîtes aux lettres "
                + "(ProxyNotAuthenticated) : vérifiez le certificat qu'IMAP y utilise, ses services et sa date "
                + "d'expiration."
        case .compareIMAPSettings: return "Comparez avec ses paramètres IMAP."
        case .checkBackEndMonitors(let backEnd):
            return "Examinez le serveur de boîtes aux lettres vers lequel les ouvertures de session en échec étaient "
                + "relayées, \(say(.stepServer(backEnd))) : ses moniteurs IMAP.Protocol sont-ils non sains ?"
        case .restartBackEndIfUnhealthy(let backEnd):
            return "Si c'est le cas, traitez-les d'abord : redémarrez le service IMAP4 principal sur "
                + "\(say(.stepServer(backEnd))) (puis suivez les étapes d'ImapDeepTestMonitor)."
        case .restartIMAP4ThenServer(let server, let backEnd):
            guard let backEnd else {
                return "Redémarrez le service IMAP4 sur \(say(.stepServer(server))) ; si cela ne suffit pas, "
                    + "redémarrez le serveur."
            }
            return "Si \(say(.stepServer(backEnd))) est sain, redémarrez le service IMAP4 sur "
                + "\(say(.stepServer(server))) ; si cela ne suffit pas, redémarrez le serveur."
        case .runProbeAgain: return "Relancez la sonde."
        case .turnProtocolLoggingOff:
            return "Désactivez de nouveau la journalisation du protocole là où vous l'avez activée, puis redémarrez "
                + "le service IMAP4 (le paramètre -ProtocolLoggingEnabled de la procédure n'existe pas)."
        case .restartIMAP4(let server): return "Redémarrez le service IMAP4 sur \(say(.stepServer(server)))."
        case .checkImapProxyActive:
            return "Le moniteur met le composant ImapProxy hors service : une fois la sonde réussie, vérifiez qu'il "
                + "est de nouveau actif."
        case .bringImapProxyBack: return "S'il reste inactif, réactivez-le."
        case .restartServerIfProbeFails(let server):
            return "Si la sonde échoue toujours, redémarrez \(say(.stepServer(server))), puis relancez la sonde."
        case .restartIMAP4BackEnd(let server):
            return "Redémarrez le service IMAP4 principal sur \(say(.stepServer(server)))."
        case .restartServerWithNoActiveCopy(let server):
            return "Une fois qu'aucune copie active n'y reste, redémarrez \(say(.stepServer(server))), puis relancez "
                + "la sonde."
        case .waitAndCheckHealth(let minutes):
            return "Attendez \(count(minutes)) minutes, vérifiez les indicateurs d'intégrité IMAP, puis de nouveau "
                + "\(count(minutes)) minutes plus tard."
        case .restartServerIfStillUnhealthy(let server):
            return "Toujours non sain : redémarrez \(say(.stepServer(server)))."
        case .checkActiveSyncHealthSet(let target):
            return "RequestsQueuedGt500Monitor appartient à ActiveSync : vérifiez l'indicateur d'intégrité "
                + "ActiveSync sur \(say(.stepTarget(target))), pas celui d'IMAP."
        case .followActiveSyncSteps:
            return "Suivez ensuite la procédure de dépannage de l'indicateur d'intégrité ActiveSync."

        case .testImapConnectivity(let target):
            return "Exchange 2010 n'a pas d'ensemble d'intégrité IMAP à vérifier : testez IMAP4 via "
                + "\(say(.stepTarget(target))) (la boîte de test vient de New-TestCasConnectivityUser.ps1)."
        case .testAgain: return "Testez de nouveau."

        // MARK: - What stands out (Findings)

        case .suspectFinding(
            let server, let role, let monitor, let failures, let total, let from, let to, let confidence,
            let hasRecovered):
            var text =
                "\(self.server(server)) (\(self.role(role))) : \(monitor), \(count(failures)) sur \(count(total)) en échec"
            if let from, let to { text += " de \(time(from)) à \(time(to)) UTC" }
            return text + " ; confiance \(decimal(confidence))" + (hasRecovered ? " ; rétabli depuis" : "")
        case .relayed(let finding):
            return say(finding) + " (surtout les échecs du serveur de boîtes aux lettres en cause, relayés)"
        case .serverFailures(
            let server, let role, let failures, let commands, let proxied, let rate, let classes, let top, let peers):
            return "\(self.server(server)) (\(self.role(role))) : \(count(failures)) "
                + (proxied ? "commandes relayées" : "commandes")
                + " sur \(count(commands)) en échec (\(percent(rate))) ; "
                + classes.map { "\(words.errorClass($0.name)) \(count($0.count))" }.joined(separator: ", ")
                + (top.map { " ; le plus souvent \($0.code)" + (quoted($0.message)) } ?? "")
                + (peers.map { " ; ses pairs : \(count($0.failed)) sur \(count($0.total))" } ?? "")
        case .serverSlow(let server, let role, let p90, let p99, let peersP90):
            return "\(self.server(server)) (\(self.role(role))) est lent : p90 \(count(p90)) ms, p99 \(count(p99)) ms, "
                + "contre p90 \(count(peersP90)) ms sur les autres serveurs (\(self.role(role)))"
        case .serverSlowSpell(
            let server, let role, let from, let to, let windows, let bucketMinutes, let worstMean, let peersMean):
            return "\(self.server(server)) (\(self.role(role))) a été lent de \(time(from)) à \(time(to)) UTC "
                + "(\(windows) de ses fenêtres de \(bucketMinutes) minutes) : jusqu'à \(count(worstMean)) ms en moyenne "
                + "par commande, contre \(count(peersMean)) ms sur les autres serveurs (\(self.role(role)))"
        case .wrongPasswords(let refused, let codes, let users, let userCount, let spray):
            return "\(count(refused)) ouvertures de session refusées pour identifiants invalides "
                + "(\(codes.joined(separator: ", ")))"
                + (users.isEmpty
                    ? ""
                    : ", \(count(userCount)) utilisateur\(userCount == 1 ? "" : "s") : "
                        + users.map { "\(user($0.name)) (\($0.count))" }.joined(separator: ", "))
                + (spray.map {
                    " ; \(count($0.count)) d'entre elles d'une seule adresse, \(client($0.name)) : une pulvérisation "
                        + "de mots de passe (ou un appareil au mot de passe périmé)"
                } ?? "") + ". Mots de passe erronés ou comptes désactivés : aucun serveur n'est en cause."
        case .monitoringAccountFinding(let refused, let codes):
            return "\(count(refused)) ouvertures de session du compte de surveillance d'Exchange (HealthMailbox…) "
                + "refusées (\(codes.joined(separator: ", "))). Le compte de la boîte aux lettres de contrôle "
                + "d'intégrité est lui-même en cause (son mot de passe, un compte désactivé, Active Directory) : ni le "
                + "mot de passe erroné d'un utilisateur ni un serveur de boîtes aux lettres ne l'expliquent."
        case .probesFailed(let probes):
            return "Des sondes d'Exchange ont échoué : "
                + probes.map { "\($0.name) \(count($0.share.failed)) sessions sur \(count($0.share.total))" }.joined(
                    separator: ", ")
                + "."
        case .overview(let commands, let entries, let rate, let top, let firstAt):
            return "Aucun serveur ne se distingue : \(count(commands)) commandes sur \(entries) entrées de serveur, "
                + "\(percent(rate)) en échec."
                + (top.map {
                    " Erreur côté serveur la plus fréquente : \($0.code) (\(errorClass($0.errorClass))) "
                        + "×\(count($0.count))" + (firstAt.map { ", première en \(place($0))" } ?? "") + "."
                } ?? "")
        }
    }
}

// MARK: - The text report's labels

extension Phrasebook {
    /// The text report's headings, column titles and sentences in French, in the order of `Label`'s cases.
    func french(_ label: Label) -> String {
        switch label {
        // MARK: - First lines

        case .fileCounts(let files, let lines, let records, let headerLines, let skipped):
            return "\(count(files)) fichier\(files == 1 ? "" : "s"), \(count(lines)) lignes = \(count(records)) "
                + "enregistrements + \(count(headerLines)) en-tête + \(count(skipped)) ignorées"
        case .filteredOut(let records): return "\(count(records)) enregistrements écartés par les filtres"
        case .span(let from, let to): return "du \(time(from)) au \(time(to)) UTC"

        // MARK: - From the alert

        case .alertPartsSeparator: return " ; "
        case .fromTheAlert: return "D'APRÈS L'ALERTE"
        case .alertFailing(let monitors): return "en échec : " + monitors.joined(separator: ", ")
        case .alertAllHealthy:
            return "tous ses moniteurs IMAP sont sains : le problème a disparu (l'étape « vérifier que le problème "
                + "persiste » de la procédure) ; les journaux sont lus pour ce qui s'est passé avant"
        case .alertNoFailingMonitor: return "aucun moniteur en échec nommé : toutes les règles s'appliquent"
        case .alertServers(let named):
            let names = named.map { server($0.name) + ($0.isRead ? "" : " (aucun de ses journaux n'a été lu)") }
            return "serveur " + names.joined(separator: ", ")
        case .alertMailboxServers(let names): return "serveurs de boîtes aux lettres nommés " + servers(names)
        case .alertLocalTime(let text, let timeZone, let utc):
            return "heure « \(text) », lue comme heure locale de \(timeZone) (--tz pour la changer) : \(time(utc)) UTC"
        case .alertTime(let utc): return "heure \(time(utc)) UTC"
        case .alertWindow(let from, let to):
            return "journaux analysés du \(time(from)) au \(time(to)) UTC (une heure avant à une demi-heure après)"
        case .alertTimeOutsideLogs: return "son heure est hors des journaux : tous analysés"
        case .alertTimeUnreadable(let text):
            return "son heure « \(text) » est illisible (un champ hors limites) : ignorée, tous les journaux analysés"
        case .alertCut(let mebibytes, let lineLength):
            return "seuls ses \(mebibytes) premiers Mio ont été lus, et \(count(lineLength)) caractères par ligne : "
                + "le reste dépasse la limite d'imaplog"

        // MARK: - The answer

        case .verdict: return "VERDICT"
        case .nextSteps: return "ÉTAPES SUIVANTES"
        case .evidence: return "PREUVES"
        case .suspect(let server, let role, let confidence, let monitor, let failures, let total):
            return "\(self.server(server)) (\(self.role(role))), confiance \(decimal(confidence)), \(monitor) : "
                + "\(count(failures)) sur \(count(total)) en échec"
        case .rowsToRead: return "lignes à lire :"
        case .whatStandsOut: return "CE QUI RESSORT"
        case .warn: return "ATTN"

        // MARK: - Tables

        case .servers: return "SERVEURS"
        case .seenFromFrontEndsNote:
            return "Un serveur de boîtes aux lettres dont les journaux n'ont pas été lus est décrit tel que les "
                + "serveurs d'accès client l'ont vu (vu des accès client)."
        case .seenFromOwnLogs: return "ses journaux"
        case .seenFromFrontEnds: return "accès client"
        case .asBackEnds:
            return "Comme serveurs de boîtes aux lettres, vus des serveurs d'accès client qui leur ont relayé des "
                + "sessions :"
        case .commands: return "COMMANDES"
        case .latencyNote: return "(la latence exclut IDLE et les lignes proxy)"
        case .more(let rows): return "… \(rows) de plus"
        case .errors: return "ERREURS"
        case .moreErrors(let rows): return "… \(rows) de plus (--top N, ou --format json)"
        case .topUsers: return "PRINCIPAUX UTILISATEURS"
        case .topClientAddresses: return "PRINCIPALES ADRESSES CLIENTES"
        case .sessionCounts(let total, let loggedOnProxied, let loggedOn, let failedLogon, let never, let openAtEnd):
            return "\(count(total)) sessions : \(count(loggedOnProxied)) authentifiées et relayées, "
                + "\(count(loggedOn)) authentifiées, \(count(failedLogon)) en échec d'authentification, "
                + "\(count(never)) jamais authentifiées ; \(count(openAtEnd)) encore ouvertes à la fin des journaux"
        case .probes: return "SONDES D'EXCHANGE"
        case .probesNote: return "(comptées à part, jamais écartées)"
        case .noneSeen: return "aucune"
        case .timeline: return "CHRONOLOGIE"
        case .timelineNote(let minutes):
            return "(intervalles de \(minutes) minutes ; ▁…█ requêtes, échecs en dessous)"
        case .failuresPeak(let peak): return "échecs (pic \(peak))"

        // MARK: - Input

        case .input: return "ENTRÉE"
        case .moreFiles(let files): return "… \(files) fichiers de plus"
        case .otherFilesIgnored(let files):
            return "\(count(files)) autres fichiers de ces dossiers ne sont pas des journaux de protocole"
        case .skippedLines: return "Lignes ignorées :"
        case .skippedFor(let lines, let reason, let firstAt):
            return "\(count(lines)) \(skipReason(reason))" + (firstAt.map { ", première en \(place($0))" } ?? "")
        case .moreNotices(let notices): return "… \(notices) remarques de plus"
        case .notRead: return "Non lus :"
        case .morePathsNotRead(let n):
            return "… \(count(n)) autres chemins non lus (chacun sur la sortie d'erreur et dans --format json)"
        case .tablesFull(let tables):
            return "Tables pleines (enregistrements comptés sous (other) ; sessions ouvertes soldées tôt) : "
                + tables.map { "\($0.table) \(count($0.pooled))" }.joined(separator: ", ")

        // MARK: - POP3

        case .pop3Note: return "(lu à part : jamais compté dans les moniteurs IMAP)"
        case .pop3Counts(let records, let sessions, let loggedOn, let failedLogon, let credentialFailures):
            return "\(count(records)) enregistrements, \(count(sessions)) sessions : \(count(loggedOn)) "
                + "authentifiées, \(count(failedLogon)) en échec d'authentification (\(count(credentialFailures)) "
                + "refus pour identifiants invalides)."

        // MARK: - Column titles

        case .serverColumn: return "serveur"
        case .roleColumn: return "rôle"
        case .seenFromColumn: return "vu de"
        case .commandsColumn: return "commandes"
        case .failedColumn: return "échecs"
        case .rateColumn: return "taux"
        case .commandColumn: return "commande"
        case .countColumn: return "nombre"
        case .meanMsColumn: return "moy. ms"
        case .classColumn: return "classe"
        case .serversColumn: return "serveurs"
        case .firstSeenAtColumn: return "vue d'abord en"
        case .userColumn: return "utilisateur"
        case .addressColumn: return "adresse"
        case .failedLogonsColumn: return "connexions échouées"
        case .refusedCredentialsColumn: return "identifiants refusés"
        case .probeColumn: return "sonde"
        case .firstColumn: return "première"
        case .lastColumn: return "dernière"
        case .fileColumn: return "fichier"
        case .linesColumn: return "lignes"
        case .recordsColumn: return "enreg."
        case .skippedColumn: return "ignorées"
        }
    }
}
