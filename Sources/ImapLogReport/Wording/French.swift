import ImapLogDiagnosis
import ImapLogKit

extension Phrasebook {
    /// The report's sentences in French, in the order of `Sentence`'s cases.
    func french(_ sentence: Sentence) -> String {
        switch sentence {
        case .text(let text): return logText(text)

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
                + "refusées pour identifiants invalides) ; aucun serveur n'est en cause."
        case .ctpNoFailedLogon:
            return "ImapCTPMonitor : aucune ouverture de session en échec dans ces journaux. La journalisation "
                + "était-elle active pendant l'échec de la sonde ? Vérifiez la période."
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

        // MARK: - ImapProxyTestMonitor, ImapSelfTestMonitor

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

        // MARK: - Next steps (Runbook)

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
                + probes.map { "\($0.probe) \(count($0.failed)) sessions sur \(count($0.total))" }.joined(
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
        case .tablesFull(let tables):
            return "Tables pleines (les clés au-delà de la limite ont été regroupées) : "
                + tables.map { "\($0.table) \($0.pooled)" }.joined(separator: ", ")

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
