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
    var frontSessionIDs: [UInt64]
    var backSessionIDs: [UInt64]
    var pop3FrontSessionIDs: [UInt64]
    var pop3BackSessionIDs: [UInt64]
    var mailboxes: [Mailbox] = []
    let start: Int64
    let end: Int64
    let incidentTime: Int64
    let incidentEnd: Int64

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
    static func mailbox(_ index: Int, topology: Topology) -> Mailbox {
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

    func sorted(_ rows: [Row]) -> [Row] {
        rows.enumerated().sorted { ($0.element.time, $0.offset) < ($1.element.time, $1.offset) }.map(\.element)
    }

    /// The front end the load balancer picks: either, except a hung one.
    mutating func frontEnd(at time: Int64) -> Int {
        let choice = random.int(0...(topology.frontEnds.count - 1))
        guard let hung = story.hungFrontEnd, choice == hung, time >= incidentTime else { return choice }
        return (hung + 1) % topology.frontEnds.count
    }

    func isRefusing(_ backEnd: Int, at time: Int64) -> Bool {
        story.refusingBackEnd == backEnd && time >= incidentTime && time < incidentEnd
    }

    func slowness(_ backEnd: Int, at time: Int64) -> Int {
        story.slowBackEnd == backEnd && time >= incidentTime && time < incidentEnd ? story.slowFactor : 1
    }

    /// Whether the front end cannot authenticate to back ends at `time` (`ProxyNotAuthenticated`).
    func cannotProxy(_ frontEnd: Int, at time: Int64) -> Bool {
        story.proxyNotAuthenticatedFrontEnd == frontEnd && time >= incidentTime && time < incidentEnd
    }

    /// How long every command takes on a back end that crawls at `time`, if it does.
    func crawl(_ backEnd: Int, at time: Int64) -> ClosedRange<Int>? {
        guard story.slowBackEnd == backEnd, time >= incidentTime, time < incidentEnd else { return nil }
        return story.slowCommandMillis
    }

    mutating func tag() -> String {
        let letters = Array("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ")
        return "a" + String((0..<3).map { _ in letters[Int(random.next() % UInt64(letters.count))] })
    }

}
