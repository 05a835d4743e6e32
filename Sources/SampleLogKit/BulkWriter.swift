/// Writes large volumes of realistic logs for benchmarks.
///
/// Hour after hour of the contoso topology, with incidents now and then, until the target size is reached.
/// Each simulated hour goes to its own files.
package enum BulkWriter {
    /// Returns the bytes written.
    ///
    /// The fleet is contoso's two Client Access and three mailbox servers unless `frontEnds` and `backEnds` say
    /// otherwise.
    package static func write(
        to root: String, targetBytes: Int64, seed: UInt64, usersPerHour: Int = 400, frontEnds: Int = 2,
        backEnds: Int = 3
    ) throws -> Int64 {
        var random = SeededRandom(seed: seed)
        var written: Int64 = 0
        var hour = 0
        let topology = Topology.contoso(frontEnds: frontEnds, backEnds: backEnds)
        while written < targetBytes {
            let day = 1 + (hour / 24) % 28
            let month = 1 + (hour / (24 * 28)) % 12
            var story = Story(
                folder: "", title: "bulk", year: 2026, month: month, day: day, startMinute: (hour % 24) * 60,
                minutes: 60,
                users: usersPerHour, seed: seed &+ UInt64(hour))
            switch random.int(0...9) {
            case 0: story.refusingBackEnd = random.int(0...(backEnds - 1))
            case 1:
                story.slowBackEnd = random.int(0...(backEnds - 1))
                story.slowFactor = 50
            case 2:
                story.wrongPasswordUsers = 5
                story.wrongPasswordTries = 4
            default: break
            }
            story.incidentStart = random.int(0...50)
            var simulation = Simulation(topology: topology, story: story)
            simulation.run()
            for (server, _, files) in simulation.serverLogs() {
                for (name, text) in files {
                    let bytes = Array(text.utf8)
                    try SampleWriter.writeBytes(bytes, to: "\(root)/\(server.name)/\(uniqueName(name, hour))")
                    written += Int64(bytes.count)
                }
            }
            hour += 1
        }
        return written
    }

    /// Sessions that run past the hour land in a second file; number files by simulated hour so none clash.
    private static func uniqueName(_ name: String, _ hour: Int) -> String {
        let stem = name.dropLast("-1.LOG".count)
        return "\(stem)-\(hour + 1).LOG"
    }
}
