extension Simulation {
    // Users: their sessions through the front ends, wrong passwords, refusing and slow back ends.

    /// One user's session through a front end; returns whether a server refused the logon.
    @discardableResult
    mutating func userSession(_ mailbox: Mailbox, at time: Int64, wrongPassword: Bool, frontEnd: Int) -> Bool {
        let fe = topology.frontEnds[frontEnd]
        let beIndex = topology.databases[mailbox.database].server
        let be = topology.backEnds[beIndex]
        let client: String
        if let address = story.clientAddress {
            client = "\(address):\(random.int(49152...65000))"
        } else {
            client = "10.20.\(random.int(1...40)).\(random.int(2...250)):\(random.int(49152...65000))"
        }
        let sIp = "\(fe.address):993"
        frontSessionIDs[frontEnd] += 1
        let sid = frontSessionIDs[frontEnd]
        var t = time
        var frontSession = SessionRows(sessionId: sid, serverEndpoint: sIp, clientEndpoint: client)
        func front(
            _ user: String, _ duration: Int, _ rq: Int, _ rp: Int, _ command: String, _ parameters: String,
            _ context: String, _ sim: inout Simulation
        ) {
            sim.frontRows[frontEnd].append(frontSession.next(t, user, duration, rq, rp, command, parameters, context))
        }
        front("", random.int(1...40), 0, 53, "OpenSession", "", "", &self)
        t += Int64(random.int(20...300))
        front("", random.int(0...2), 15, 143, "capability", "", "R=ok", &self)
        t += Int64(random.int(50...900))
        let loginTag = tag()
        if wrongPassword {
            let duration = random.latency(typical: 60)
            t += Int64(duration)
            front(
                mailbox.upn, duration, 41, 23, "login", "\(mailbox.upn) *****",
                LogFormatting.context([
                    ("R", "\(loginTag) NO LOGIN failed."),
                    ("Msg", "AuthFailed:LogonDenied,User: \(mailbox.upn)"),
                ]), &self)
            t += Int64(random.int(10...2000))
            front(mailbox.upn, 0, 0, 0, "CloseSession", "", "", &self)
            return false
        }
        let proxy = "\(be.fqdn):1993:SSL"
        if cannotProxy(frontEnd, at: t) {
            // The back end refuses the front end's own credentials: it never logs the logon.
            let duration = random.latency(typical: 30)
            t += Int64(duration)
            front(
                mailbox.upn, duration, 41, 23, "login", "\(mailbox.upn) *****",
                LogFormatting.context([
                    ("R", "\(loginTag) NO LOGIN failed."), ("Msg", "Proxy:\(proxy)"),
                    ("ErrMsg", "ProxyNotAuthenticated"),
                ]), &self)
            t += Int64(random.int(10...500))
            front(mailbox.upn, 0, 0, 0, "CloseSession", "", "", &self)
            return true
        }
        let backendLogin = backEndSession(mailbox, backEnd: beIndex, frontEnd: frontEnd, at: t, user: true)
        t += Int64(backendLogin.logonDuration + random.int(5...30))
        if backendLogin.refused {
            front(
                mailbox.upn, backendLogin.logonDuration + 12, 41, 23, "login", "\(mailbox.upn) *****",
                LogFormatting.context([
                    ("R", "\(loginTag) NO LOGIN failed."), ("Msg", "Proxy:\(proxy)"),
                    ("ErrMsg", backendLogin.errMsg),
                ]), &self)
            t += Int64(random.int(10...500))
            front(mailbox.upn, 0, 0, 0, "CloseSession", "", "", &self)
            return true
        }
        front(
            mailbox.upn, backendLogin.logonDuration + 12, 41, 30, "login", "\(mailbox.upn) *****",
            LogFormatting.context([("R", "ok"), ("Msg", "Proxy:\(proxy)")]), &self)
        // While proxied, the front end writes a proxy row about every 30 s with the bytes moved.
        var proxyTime = t + 30_000
        while proxyTime < backendLogin.end {
            t = proxyTime
            front(mailbox.upn, 30_000, random.int(40...900), random.int(200...60_000), "proxy", proxy, "", &self)
            proxyTime += 30_000
        }
        t = max(t, backendLogin.end + Int64(random.int(1...20)))
        front(mailbox.upn, 0, 0, 0, "CloseSession", "", "", &self)
        return false
    }

    struct BackEndOutcome {
        var logonDuration: Int
        var refused: Bool
        var end: Int64
        /// The front end's `ErrMsg` for a refusal, and the code a probe's response quotes.
        var errMsg = "MailboxOffline"
        var errorCode = "MailboxOfflineException"
    }

    /// The back end's side of a proxied (or probe) session; returns when it ends.
    mutating func backEndSession(
        _ mailbox: Mailbox, backEnd: Int, frontEnd: Int?, at time: Int64, user: Bool
    ) -> BackEndOutcome {
        let be = topology.backEnds[backEnd]
        let sIp = "\(be.address):1993"
        let client: String
        if let frontEnd {
            client = "\(topology.frontEnds[frontEnd].address):\(random.int(20000...60000))"
        } else {
            client = "127.0.0.1:\(random.int(20000...60000))"
        }
        backSessionIDs[backEnd] += 1
        let sid = backSessionIDs[backEnd]
        let slow = slowness(backEnd, at: time)
        let crawling = crawl(backEnd, at: time)
        var t = time
        var backSession = SessionRows(sessionId: sid, serverEndpoint: sIp, clientEndpoint: client)
        func back(
            _ user: String, _ duration: Int, _ rq: Int, _ rp: Int, _ command: String, _ parameters: String,
            _ context: String, _ sim: inout Simulation
        ) {
            sim.backRows[backEnd].append(backSession.next(t, user, duration, rq, rp, command, parameters, context))
        }
        back("", random.int(0...5), 0, 53, "OpenSession", "", "", &self)
        t += Int64(random.int(2...20))
        let logon = crawling.map { random.int($0) } ?? random.latency(typical: 40) * min(slow, 20)
        t += Int64(logon)
        let database = topology.databases[mailbox.database].name
        if story.healthMailboxDenied && mailbox.isHealthMailbox {
            back(
                mailbox.upn, logon, 60, 26, "login", "\(mailbox.upn) *****",
                LogFormatting.context([
                    ("R", "1 NO LOGIN failed."), ("Msg", "AuthFailed:LogonDenied,User: \(mailbox.upn)"),
                    ("ErrMsg", "AuthFailed:LogonDenied"),
                ]), &self)
            t += Int64(random.int(1...10))
            back(mailbox.upn, 0, 0, 0, "CloseSession", "", "", &self)
            return BackEndOutcome(
                logonDuration: logon, refused: true, end: t, errMsg: "AuthFailed:LogonDenied",
                errorCode: "AuthFailed:LogonDenied")
        }
        if isRefusing(backEnd, at: time), story.storeFault != .mailboxOffline {
            let (excpt, errMsg, code) = storeRefusal(backEnd: backEnd, database: database)
            back(
                mailbox.upn, logon, 60, 26, "login", "\(mailbox.upn) *****",
                LogFormatting.context([("R", "1 NO LOGIN failed."), ("Excpt", excpt)]), &self)
            t += Int64(random.int(1...10))
            back(mailbox.upn, 0, 0, 0, "CloseSession", "", "", &self)
            return BackEndOutcome(logonDuration: logon, refused: true, end: t, errMsg: errMsg, errorCode: code)
        }
        if isRefusing(backEnd, at: time) {
            back(
                mailbox.upn, logon, 60, 26, "login", "\(mailbox.upn) *****",
                LogFormatting.context([
                    ("R", "1 NO LOGIN failed."),
                    (
                        "Excpt",
                        "Mailbox database \(database) is offline.-MailboxOfflineException/MapiExceptionMdbOffline"
                    ),
                ]), &self)
            t += Int64(random.int(1...10))
            back(mailbox.upn, 0, 0, 0, "CloseSession", "", "", &self)
            return BackEndOutcome(logonDuration: logon, refused: true, end: t)
        }
        back(
            mailbox.upn, logon, 60, 30, "login", "\(mailbox.upn) *****",
            LogFormatting.context([
                ("R", "ok"), ("Msg", "Location: ServerFqdn: \(be.fqdn), DatabaseName: \(database)"),
            ]), &self)
        var commands: [(String, String, Int)] = [
            ("select", "INBOX", 30), ("uid+search", "UNSEEN", 20), ("uid+fetch", "1:* (FLAGS)", 25),
        ]
        if user {
            for _ in 0..<random.int(1...5) {
                commands.append(
                    random.pick([
                        ("uid+fetch", "\(random.int(1...4000)) (BODY.PEEK[] FLAGS)", 45), ("noop", "", 1),
                        ("status", "\"Sent Items\" (MESSAGES UNSEEN)", 15),
                        ("uid+store", "\(random.int(1...4000)) +FLAGS (\\Seen)", 20),
                        ("list", "\"\" *", 35),
                    ]))
            }
            commands.append(("idle", "", 0))
            commands.append(("logout", "", 1))
        } else {
            commands.append(("logout", "", 1))
        }
        for (command, parameters, typical) in commands {
            t += Int64(random.int(5...400))
            var duration: Int
            var context = "R=ok"
            if command == "idle" {
                duration = random.int(60_000...600_000)
            } else if let crawling = crawl(backEnd, at: t) {
                // Every command crawls while the incident lasts, whenever its session started.
                duration = random.int(crawling)
                if command == "select" {
                    context = "R=ok;Rows=\(random.int(10...5000));Recent=0;Unseen=\(random.int(0...40))"
                }
            } else {
                duration = random.latency(typical: typical) * slow
                if command == "select" {
                    context = "R=ok;Rows=\(random.int(10...5000));Recent=0;Unseen=\(random.int(0...40))"
                }
                if command == "uid+store" && random.chance(0.05) {
                    context = LogFormatting.context([("R", "\(tag()) NO The specified message set is invalid.")])
                }
                if command == "list" && random.chance(0.04) {
                    context = LogFormatting.context([("R", "\(tag()) BAD Command Argument Error. 11")])
                }
            }
            t += Int64(duration)
            back(
                mailbox.upn, duration, parameters.utf8.count + 12, random.int(20...40_000), command, parameters,
                context, &self)
        }
        t += Int64(random.int(1...20))
        back(mailbox.upn, 0, 0, 0, "CloseSession", "", "", &self)
        return BackEndOutcome(logonDuration: logon, refused: false, end: t)
    }

    /// A refusing store's exception (`Excpt`), the front end's `ErrMsg` and the probe's error code.
    mutating func storeRefusal(backEnd: Int, database: String) -> (String, String, String) {
        let server = topology.backEnds[backEnd].name
        let offline = (
            "Mailbox database \(database) is offline.-MailboxOfflineException/MapiExceptionMdbOffline",
            "MailboxOffline", "MailboxOfflineException"
        )
        switch story.storeFault {
        case .mailboxOffline: return offline
        case .storeUnreachable where random.chance(0.5): return offline
        case .storeUnreachable:
            return (
                "Cannot open mailbox /o=Contoso/ou=Exchange Administrative Group (FYDIBOHF23SPDLT)/cn=Configuration"
                    + "/cn=Servers/cn=\(server)/cn=Microsoft System Attendant."
                    + "-ConnectionFailedTransientException/MapiExceptionNetworkError",
                "ConnectionFailedTransient", "ConnectionFailedTransientException"
            )
        case .failover where random.chance(0.5): return offline
        case .failover:
            return (
                "Database \(database) is not active on \(server).contoso.com.-WrongServerException"
                    + "/MapiExceptionWrongServer",
                "WrongServer", "WrongServerException"
            )
        }
    }

}
