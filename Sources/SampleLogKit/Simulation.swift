/// Simulates IMAP traffic through Exchange's front ends and back ends and writes the rows each server
/// would log: users' sessions (logon, proxy, commands), wrong passwords, a refusing or slow back end, and
/// Exchange's own probes (ImapProxyTestProbe, ImapCTPProbe, ImapSelfTestProbe, ImapDeepTestProbe).
struct Simulation {
    let topology: Topology
    let story: Story
    var random: SeededRandom
    /// Rows per server: front ends first, then back ends.
    var frontRows: [[Row]]
    var backRows: [[Row]]
    /// POP3 rows per server, when the story has POP3 users.
    var pop3FrontRows: [[Row]]
    var pop3BackRows: [[Row]]
    private var frontSessionIDs: [UInt64]
    private var backSessionIDs: [UInt64]
    private var pop3FrontSessionIDs: [UInt64]
    private var pop3BackSessionIDs: [UInt64]
    private var mailboxes: [Mailbox] = []
    private let start: Int64
    private let end: Int64
    private let incidentTime: Int64
    private let incidentEnd: Int64

    init(topology: Topology, story: Story) {
        self.topology = topology
        self.story = story
        self.random = SeededRandom(seed: story.seed &* 0x5851_F42D_4C95_7F2D &+ 1)
        frontRows = Array(repeating: [], count: topology.frontEnds.count)
        backRows = Array(repeating: [], count: topology.backEnds.count)
        pop3FrontRows = Array(repeating: [], count: topology.frontEnds.count)
        pop3BackRows = Array(repeating: [], count: topology.backEnds.count)
        pop3FrontSessionIDs = topology.frontEnds.indices.map { UInt64(0x90 + $0 * 0x100) }
        pop3BackSessionIDs = topology.backEnds.indices.map { UInt64(0xC0 + $0 * 0x100) }
        frontSessionIDs = topology.frontEnds.indices.map { UInt64(0x1A0 + $0 * 0x300) }
        backSessionIDs = topology.backEnds.indices.map { UInt64(0x2C0 + $0 * 0x500) }
        let day = Int64(LogFormatting.days(year: story.year, month: story.month, day: story.day))
        start = day * 86_400_000 + Int64(story.startMinute) * 60_000
        end = start + Int64(story.minutes) * 60_000
        incidentTime = start + Int64(story.incidentStart) * 60_000
        let incidentStart = start + Int64(story.incidentStart) * 60_000
        incidentEnd = story.incidentMinutes.map { incidentStart + Int64($0) * 60_000 } ?? Int64.max
        for i in 0..<story.users { mailboxes.append(Self.mailbox(i, topology: topology)) }
    }

    /// The `index`th user of contoso (alice.martin, bruno.bernard, …), with a mailbox on one of the databases.
    private static func mailbox(_ index: Int, topology: Topology) -> Mailbox {
        let first = [
            "alice", "bruno", "chloe", "david", "emma", "farid", "grace", "hugo", "ines", "jules", "karim",
            "lea", "marc", "nina", "omar", "paula", "quentin", "rosa", "samir", "tina", "ugo", "vera",
            "william", "yasmine", "zoe",
        ]
        let last = ["martin", "bernard", "dubois", "thomas", "robert", "richard", "petit", "durand", "leroy", "moreau"]
        let account = "\(first[index % first.count]).\(last[(index / first.count + index * 3) % last.count])"
        return Mailbox(account: account, upn: "\(account)@contoso.com", database: index % topology.databases.count)
    }

    /// Each server's log after `run()`: its hourly files (name, text), front ends first.
    func serverLogs() -> [(server: Topology.Server, isFrontEnd: Bool, files: [(String, String)])] {
        let puid = story.puid
        let front = topology.frontEnds.enumerated().map { index, server in
            (
                server, true,
                SampleWriter.hourlyFiles(frontRows[index], prefix: "IMAP4", logType: "IMAP4", puid: puid)
                    + SampleWriter.hourlyFiles(pop3FrontRows[index], prefix: "POP3", logType: "POP3", puid: puid)
            )
        }
        let back = topology.backEnds.enumerated().map { index, server in
            (
                server, false,
                SampleWriter.hourlyFiles(backRows[index], prefix: "IMAP4BE", logType: "IMAP4BE", puid: puid)
                    + SampleWriter.hourlyFiles(pop3BackRows[index], prefix: "POP3BE", logType: "POP3BE", puid: puid)
            )
        }
        return front + back
    }

    mutating func run() {
        for (index, mailbox) in mailboxes.enumerated() {
            // Two to four sessions an hour per user, spread over the story.
            let sessions = max(1, story.minutes * random.int(2...4) / 60)
            for _ in 0..<sessions {
                var at = start + Int64(random.int(0...(story.minutes * 60_000 - 1)))
                var refused = userSession(mailbox, at: at, wrongPassword: false, frontEnd: frontEnd(at: at))
                // A refused client tries again a little later, a few times.
                var retries = 0
                while refused && retries < story.clientRetries {
                    at += Int64(random.int(20_000...60_000))
                    refused = userSession(mailbox, at: at, wrongPassword: false, frontEnd: frontEnd(at: at))
                    retries += 1
                }
            }
            if index < story.wrongPasswordUsers {
                for _ in 0..<story.wrongPasswordTries {
                    let at = start + Int64(random.int(0...(story.minutes * 60_000 - 1)))
                    userSession(mailbox, at: at, wrongPassword: true, frontEnd: frontEnd(at: at))
                }
            }
        }
        if story.storeFault == .failover, let failing = story.refusingBackEnd {
            // The failover drops the idle connections of every user on the failing server: each client
            // reconnects within the incident and tries again when refused.
            let window = Int((min(incidentEnd, end) - incidentTime) / 1000)
            for mailbox in mailboxes where topology.databases[mailbox.database].server == failing {
                var at = incidentTime + Int64(random.int(0...(window / 2))) * 1000
                var refused = userSession(mailbox, at: at, wrongPassword: false, frontEnd: frontEnd(at: at))
                var retries = 0
                while refused && retries < story.clientRetries {
                    at += Int64(random.int(20_000...60_000))
                    refused = userSession(mailbox, at: at, wrongPassword: false, frontEnd: frontEnd(at: at))
                    retries += 1
                }
            }
        }
        if story.probesRun { probes() }
        if let pop3 = story.pop3 { pop3Traffic(pop3) }
        // A hung front end writes nothing from the incident on.
        if let hung = story.hungFrontEnd { frontRows[hung] = frontRows[hung].filter { $0.time < incidentTime } }
        // The logs are collected at the story's end: nothing after it is written yet (sessions still open
        // then stay open), for every server alike.
        for i in frontRows.indices { frontRows[i] = sorted(frontRows[i].filter { $0.time < end }) }
        for i in backRows.indices { backRows[i] = sorted(backRows[i].filter { $0.time < end }) }
        for i in pop3FrontRows.indices { pop3FrontRows[i] = sorted(pop3FrontRows[i].filter { $0.time < end }) }
        for i in pop3BackRows.indices { pop3BackRows[i] = sorted(pop3BackRows[i].filter { $0.time < end }) }
    }

    private func sorted(_ rows: [Row]) -> [Row] {
        rows.enumerated().sorted { ($0.element.time, $0.offset) < ($1.element.time, $1.offset) }.map(\.element)
    }

    /// The front end the load balancer picks: either, except a hung one.
    private mutating func frontEnd(at time: Int64) -> Int {
        let choice = random.int(0...(topology.frontEnds.count - 1))
        guard let hung = story.hungFrontEnd, choice == hung, time >= incidentTime else { return choice }
        return (hung + 1) % topology.frontEnds.count
    }

    private func isRefusing(_ backEnd: Int, at time: Int64) -> Bool {
        story.refusingBackEnd == backEnd && time >= incidentTime && time < incidentEnd
    }

    private func slowness(_ backEnd: Int, at time: Int64) -> Int {
        story.slowBackEnd == backEnd && time >= incidentTime && time < incidentEnd ? story.slowFactor : 1
    }

    /// Whether the front end cannot authenticate to back ends at `time` (`ProxyNotAuthenticated`).
    private func cannotProxy(_ frontEnd: Int, at time: Int64) -> Bool {
        story.proxyNotAuthenticatedFrontEnd == frontEnd && time >= incidentTime && time < incidentEnd
    }

    /// How long every command takes on a back end that crawls at `time`, if it does.
    private func crawl(_ backEnd: Int, at time: Int64) -> ClosedRange<Int>? {
        guard story.slowBackEnd == backEnd, time >= incidentTime, time < incidentEnd else { return nil }
        return story.slowCommandMillis
    }

    private mutating func tag() -> String {
        let letters = Array("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ")
        return "a" + String((0..<3).map { _ in letters[Int(random.next() % UInt64(letters.count))] })
    }

    // MARK: - Users

    /// One user's session through a front end; returns whether a server refused the logon.
    @discardableResult
    private mutating func userSession(_ mailbox: Mailbox, at time: Int64, wrongPassword: Bool, frontEnd: Int) -> Bool {
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

    private struct BackEndOutcome {
        var logonDuration: Int
        var refused: Bool
        var end: Int64
        /// The front end's `ErrMsg` for a refusal, and the code a probe's response quotes.
        var errMsg = "MailboxOffline"
        var errorCode = "MailboxOfflineException"
    }

    /// The back end's side of a proxied (or probe) session; returns when it ends.
    private mutating func backEndSession(
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
    private mutating func storeRefusal(backEnd: Int, database: String) -> (String, String, String) {
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

    // MARK: - Probes

    private mutating func probes() {
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

    private func hexName(_ index: Int) -> String {
        let seeds = ["3f9a1c7d2b", "8e41d0a6c3", "b27c95e14f", "04d8ae63b1", "c6f2173d9e", "5a0be84c27"]
        return seeds[index % seeds.count] + "e0c14a2b93"
    }

    private mutating func ctpProbe(_ health: Mailbox, frontEnd: Int, backEnd: Int, at time: Int64) {
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

    // MARK: - POP3

    /// POP3 beside IMAP: users polling every 10 minutes through the front ends (port 995) to the back ends (1995),
    /// a user and a scanner with a wrong password, and a back end whose store refuses logons for a while.
    private mutating func pop3Traffic(_ pop3: Story.Pop3) {
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

    private mutating func pop3Client() -> String {
        "10.20.\(random.int(41...60)).\(random.int(2...250)):\(random.int(49152...65000))"
    }

    /// A logon the front end refuses itself: `user`/`pass`, or SASL `auth PLAIN`.
    private mutating func pop3Refused(_ mailbox: Mailbox, at time: Int64, frontEnd: Int, sasl: Bool) {
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
    private mutating func pop3Session(_ mailbox: Mailbox, at time: Int64, frontEnd: Int, pop3: Story.Pop3) {
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
