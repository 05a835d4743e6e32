extension Simulation {
    // Exchange's own probes.

    mutating func probes() {
        // ImapProxyTestProbe: every 60 s on each front end, banner and CAPABILITY from loopback.
        for fe in topology.frontEnds.indices {
            var t = start + Int64(random.int(0...59_999))
            while t < end {
                frontSessionIDs[fe] += 1
                let sid = frontSessionIDs[fe]
                let client = "127.0.0.1:\(random.int(20000...60000))"
                let rows = [
                    ("OpenSession", 0, 53, "", 0), ("capability", 15, 143, "R=ok", random.int(20...200)),
                    ("CloseSession", 0, 0, "", random.int(5...50)),
                ]
                var at = t
                for (seq, (command, rq, rp, context, gap)) in rows.enumerated() {
                    at += Int64(gap)
                    frontRows[fe].append(
                        Row(
                            time: at, sessionId: sid, sequence: seq, serverEndpoint: "127.0.0.1:993",
                            clientEndpoint: client, user: "", duration: random.int(0...3), requestSize: rq,
                            responseSize: rp, command: command, parameters: "", context: context))
                }
                t += 60_000 + Int64(random.int(-500...500))
            }
        }
        // ImapSelfTestProbe: every 60 s on each mailbox server, no logon.
        for be in topology.backEnds.indices {
            var t = start + Int64(random.int(0...59_999))
            while t < end {
                backSessionIDs[be] += 1
                let sid = backSessionIDs[be]
                let client = "127.0.0.1:\(random.int(20000...60000))"
                let rows = [("OpenSession", 0, 53, ""), ("capability", 15, 143, "R=ok"), ("CloseSession", 0, 0, "")]
                var at = t
                for (seq, (command, rq, rp, context)) in rows.enumerated() {
                    at += Int64(random.int(2...40))
                    backRows[be].append(
                        Row(
                            time: at, sessionId: sid, sequence: seq, serverEndpoint: "127.0.0.1:1993",
                            clientEndpoint: client, user: "", duration: random.int(0...2), requestSize: rq,
                            responseSize: rp, command: command, parameters: "", context: context))
                }
                t += 60_000 + Int64(random.int(-500...500))
            }
        }
        // ImapCTPProbe (front end, through the proxy) and ImapDeepTestProbe (back end): every 5 minutes
        // per database, logging on as the database's health mailbox.
        for (dbIndex, database) in topology.databases.enumerated() {
            let health = Mailbox(
                account: "HealthMailbox\(hexName(dbIndex))", upn: "HealthMailbox\(hexName(dbIndex))@contoso.com",
                database: dbIndex)
            for fe in topology.frontEnds.indices {
                var t = start + Int64(random.int(0...299_999))
                while t < end {
                    ctpProbe(health, frontEnd: fe, backEnd: database.server, at: t)
                    t += 300_000 + Int64(random.int(-2000...2000))
                }
            }
            var t = start + Int64(random.int(0...299_999))
            while t < end {
                _ = backEndSession(health, backEnd: database.server, frontEnd: nil, at: t, user: false)
                t += 300_000 + Int64(random.int(-2000...2000))
            }
        }
    }

    func hexName(_ index: Int) -> String {
        let seeds = ["3f9a1c7d2b", "8e41d0a6c3", "b27c95e14f", "04d8ae63b1", "c6f2173d9e", "5a0be84c27"]
        return seeds[index % seeds.count] + "e0c14a2b93"
    }

    mutating func ctpProbe(_ health: Mailbox, frontEnd: Int, backEnd: Int, at time: Int64) {
        frontSessionIDs[frontEnd] += 1
        let sid = frontSessionIDs[frontEnd]
        let client = "127.0.0.1:\(random.int(20000...60000))"
        let be = topology.backEnds[backEnd]
        var t = time
        var session = SessionRows(sessionId: sid, serverEndpoint: "127.0.0.1:993", clientEndpoint: client)
        func front(
            _ user: String, _ duration: Int, _ command: String, _ parameters: String, _ context: String,
            _ sim: inout Simulation
        ) {
            sim.frontRows[frontEnd].append(session.next(t, user, duration, 20, 60, command, parameters, context))
        }
        front("", random.int(0...5), "OpenSession", "", "", &self)
        t += Int64(random.int(10...60))
        front("", random.int(0...2), "capability", "", "R=ok", &self)
        t += Int64(random.int(10...60))
        let proxy = "\(be.fqdn):1993:SSL"
        if story.healthMailboxDenied || cannotProxy(frontEnd, at: t) {
            // Refused on the front end itself: the health mailbox's password, or the front end's credentials
            // towards the back end. No back end sees the logon.
            let duration = random.latency(typical: 30)
            t += Int64(duration)
            let context =
                story.healthMailboxDenied
                ? LogFormatting.context([
                    ("R", "z NO LOGIN failed."), ("Msg", "AuthFailed:LogonDenied,User: \(health.upn)"),
                    ("ErrMsg", "AuthFailed:LogonDenied"),
                ])
                : LogFormatting.context([
                    ("R", "z NO [Error=ProxyNotAuthenticated Proxy=\(proxy)] LOGIN failed."), ("Msg", "Proxy:\(proxy)"),
                    ("ErrMsg", "ProxyNotAuthenticated"),
                ])
            front(health.upn, duration, "login", "\(health.upn) *****", context, &self)
            t += Int64(random.int(5...50))
            front(health.upn, 0, "CloseSession", "", "", &self)
            return
        }
        let outcome = backEndSession(health, backEnd: backEnd, frontEnd: frontEnd, at: t, user: false)
        t += Int64(outcome.logonDuration + 10)
        if outcome.refused && story.storeFault != .mailboxOffline {
            front(
                health.upn, outcome.logonDuration + 10, "login", "\(health.upn) *****",
                LogFormatting.context([
                    ("R", "z NO [Error=\(outcome.errorCode) Proxy=\(proxy)] LOGIN failed."), ("Msg", "Proxy:\(proxy)"),
                    ("ErrMsg", outcome.errMsg),
                ]), &self)
        } else if outcome.refused {
            front(
                health.upn, outcome.logonDuration + 10, "login", "\(health.upn) *****",
                LogFormatting.context([
                    ("R", "z NO LOGIN failed. [Error=MailboxOfflineException Proxy=\(be.fqdn):1993:SSL]"),
                    ("Msg", "Proxy:\(be.fqdn):1993:SSL"),
                ]), &self)
        } else {
            front(
                health.upn, outcome.logonDuration + 10, "login", "\(health.upn) *****",
                LogFormatting.context([("R", "ok"), ("Msg", "Proxy:\(be.fqdn):1993:SSL")]), &self)
        }
        t = max(t + 5, outcome.end + 5)
        front(health.upn, 0, "CloseSession", "", "", &self)
    }

}
