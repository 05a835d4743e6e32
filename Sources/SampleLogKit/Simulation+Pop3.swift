extension Simulation {
    // POP3 beside IMAP.

    /// POP3 beside IMAP: users polling every 10 minutes through the front ends (port 995) to the back ends (1995),
    /// a user and a scanner with a wrong password, and a back end whose store refuses logons for a while.
    mutating func pop3Traffic(_ pop3: Story.Pop3) {
        for i in 0..<pop3.users {
            let mailbox = Self.mailbox(story.users + i, topology: topology)
            var t = start + Int64(random.int(0...599_999))
            while t < end {
                pop3Session(mailbox, at: t, frontEnd: random.int(0...(topology.frontEnds.count - 1)), pop3: pop3)
                t += 600_000 + Int64(random.int(-5000...5000))
            }
        }
        let wrong = [
            Mailbox(account: "testuser", upn: "testuser", database: 0),
            Mailbox(account: "scanner.hall", upn: "scanner.hall@contoso.com", database: 1),
        ]
        for (index, mailbox) in wrong.enumerated() {
            for _ in 0..<pop3.wrongPasswordTries {
                let at = start + Int64(random.int(0...(story.minutes * 60_000 - 1)))
                pop3Refused(mailbox, at: at, frontEnd: random.int(0...(topology.frontEnds.count - 1)), sasl: index == 1)
            }
        }
    }

    mutating func pop3Client() -> String {
        "10.20.\(random.int(41...60)).\(random.int(2...250)):\(random.int(49152...65000))"
    }

    /// A logon the front end refuses itself: `user`/`pass`, or SASL `auth PLAIN`.
    mutating func pop3Refused(_ mailbox: Mailbox, at time: Int64, frontEnd: Int, sasl: Bool) {
        let sIp = "\(topology.frontEnds[frontEnd].address):995"
        let client = pop3Client()
        pop3FrontSessionIDs[frontEnd] += 1
        let sid = pop3FrontSessionIDs[frontEnd]
        var t = time
        var frontSession = SessionRows(sessionId: sid, serverEndpoint: sIp, clientEndpoint: client)
        func front(
            _ user: String, _ duration: Int, _ rq: Int, _ rp: Int, _ command: String, _ parameters: String,
            _ context: String, _ sim: inout Simulation
        ) {
            sim.pop3FrontRows[frontEnd].append(
                frontSession.next(t, user, duration, rq, rp, command, parameters, context))
        }
        front("", random.int(1...30), 0, 49, "OpenSession", "", "", &self)
        t += Int64(random.int(20...200))
        front("", random.int(0...2), 6, 74, "capa", "", "R=ok", &self)
        t += Int64(random.int(50...400))
        let refusal = LogFormatting.context([
            ("R", "-ERR Authentication failure: unknown user name or bad password."),
            ("Msg", "AuthFailed:LogonDenied,User: \(mailbox.account)"), ("ErrMsg", "AuthFailed:LogonDenied"),
        ])
        if sasl {
            let duration = random.latency(typical: 80)
            t += Int64(duration)
            front(mailbox.upn, duration, 60, 66, "auth", "PLAIN", refusal, &self)
        } else {
            front("", random.int(0...2), 20, 5, "user", mailbox.upn, "R=ok", &self)
            t += Int64(random.int(20...300))
            let duration = random.latency(typical: 80)
            t += Int64(duration)
            front(mailbox.upn, duration, 12, 66, "pass", "*****", refusal, &self)
        }
        t += Int64(random.int(10...1500))
        front(mailbox.upn, 0, 0, 0, "CloseSession", "", "", &self)
    }

    /// A POP3 client's poll: logon through the front end, then STAT, UIDL and a few RETR on the back end.
    mutating func pop3Session(_ mailbox: Mailbox, at time: Int64, frontEnd: Int, pop3: Story.Pop3) {
        let beIndex = topology.databases[mailbox.database].server
        let be = topology.backEnds[beIndex]
        let database = topology.databases[mailbox.database].name
        let proxy = "\(be.fqdn):1995:SSL"
        let fsIp = "\(topology.frontEnds[frontEnd].address):995"
        let client = pop3Client()
        pop3FrontSessionIDs[frontEnd] += 1
        let fsid = pop3FrontSessionIDs[frontEnd]
        pop3BackSessionIDs[beIndex] += 1
        let bsid = pop3BackSessionIDs[beIndex]
        let bcIp = "\(topology.frontEnds[frontEnd].address):\(random.int(20000...60000))"
        var t = time
        var frontSession = SessionRows(sessionId: fsid, serverEndpoint: fsIp, clientEndpoint: client)
        func front(
            _ user: String, _ duration: Int, _ rq: Int, _ rp: Int, _ command: String, _ parameters: String,
            _ context: String, _ sim: inout Simulation
        ) {
            sim.pop3FrontRows[frontEnd].append(
                frontSession.next(t, user, duration, rq, rp, command, parameters, context))
        }
        var backSession = SessionRows(sessionId: bsid, serverEndpoint: "\(be.address):1995", clientEndpoint: bcIp)
        func back(
            _ user: String, _ duration: Int, _ rq: Int, _ rp: Int, _ command: String, _ parameters: String,
            _ context: String, _ sim: inout Simulation
        ) {
            sim.pop3BackRows[beIndex].append(backSession.next(t, user, duration, rq, rp, command, parameters, context))
        }
        front("", random.int(1...30), 0, 49, "OpenSession", "", "", &self)
        t += Int64(random.int(20...200))
        front("", random.int(0...2), 6, 74, "capa", "", "R=ok", &self)
        t += Int64(random.int(50...400))
        front("", random.int(0...2), 30, 5, "user", mailbox.upn, "R=ok", &self)
        t += Int64(random.int(20...300))
        let passAt = t
        // The back end's side of the logon, then the front end's pass row when it answers.
        back("", random.int(0...5), 0, 49, "OpenSession", "", "", &self)
        t += Int64(random.int(2...20))
        back("", random.int(0...2), 30, 5, "user", mailbox.upn, "R=ok", &self)
        t += Int64(random.int(2...20))
        let logon = random.latency(typical: 45)
        t += Int64(logon)
        let minute = Int((time - start) / 60_000)
        if beIndex == pop3.failingBackEnd && pop3.failingMinutes.contains(minute) && random.chance(0.7) {
            let excpt =
                "Cannot open mailbox /o=Contoso/ou=Exchange Administrative Group (FYDIBOHF23SPDLT)/cn=Configuration"
                + "/cn=Servers/cn=\(be.name)/cn=Microsoft System Attendant.-StorageTransientException"
                + "/MapiExceptionNetworkError"
            back(
                mailbox.upn, logon, 12, 26, "pass", "*****",
                LogFormatting.context([("R", "-ERR Server Unavailable. 21"), ("Excpt", excpt)]), &self)
            t += Int64(random.int(1...10))
            back(mailbox.upn, 0, 0, 0, "CloseSession", "", "", &self)
            let duration = Int(t - passAt) + random.int(5...20)
            t = passAt + Int64(duration)
            front(
                mailbox.upn, duration, 12, 26, "pass", "*****",
                LogFormatting.context([
                    ("R", "-ERR Server Unavailable. 21"), ("Msg", "Proxy:\(proxy)"), ("ErrMsg", "StorageTransient"),
                ]), &self)
            t += Int64(random.int(10...500))
            front(mailbox.upn, 0, 0, 0, "CloseSession", "", "", &self)
            return
        }
        back(
            mailbox.upn, logon, 12, 22, "pass", "*****",
            LogFormatting.context([
                ("R", "ok"), ("Msg", "Location: ServerFqdn: \(be.fqdn), DatabaseName: \(database)"),
            ]), &self)
        let duration = Int(t - passAt) + random.int(5...20)
        let frontPass = passAt + Int64(duration)
        let messages = random.int(0...4)
        var commands: [(String, String, Int, Int)] = [
            ("stat", "", 12, 12), ("uidl", "", 15, 40 + 30 * random.int(10...400)),
        ]
        for _ in 0..<messages {
            let size = random.int(2_000...180_000)
            commands.append(("retr", "\(random.int(1...400))", 45 + size / 20_000, size))
        }
        commands.append(("quit", "", 1, 38))
        for (command, parameters, typical, size) in commands {
            t += Int64(random.int(5...300))
            let took = random.latency(typical: typical)
            t += Int64(took)
            back(mailbox.upn, took, parameters.utf8.count + 6, size, command, parameters, "R=ok", &self)
        }
        t += Int64(random.int(1...20))
        back(mailbox.upn, 0, 0, 0, "CloseSession", "", "", &self)
        let backEnd = t
        t = frontPass
        front(
            mailbox.upn, duration, 12, 22, "pass", "*****",
            LogFormatting.context([("R", "ok"), ("Msg", "Proxy:\(proxy)")]), &self)
        var proxyTime = t + 30_000
        while proxyTime < backEnd {
            t = proxyTime
            front(mailbox.upn, 30_000, random.int(20...200), random.int(2_000...400_000), "proxy", proxy, "", &self)
            proxyTime += 30_000
        }
        t = max(t, backEnd + Int64(random.int(1...20)))
        front(mailbox.upn, 0, 0, 0, "CloseSession", "", "", &self)
    }
}
