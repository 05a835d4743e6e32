import Foundation
import SampleLogKit

// imaplog-samplegen: writes SampleLogs/ (the stories and edge cases), or bulk logs for benchmarks.
//
//   imaplog-samplegen [--out DIR]                     all stories and edge cases (default DIR: SampleLogs)
//   imaplog-samplegen --out DIR --story FOLDER        one story
//   imaplog-samplegen --out DIR --bulk MB [--seed N]  at least MB megabytes of logs, hour by hour, for benchmarks
//     [--users-per-hour N]                            users signing in each hour (default 400; fewer: more days
//                                                      for the same size, as for measuring memory against time span)
//     [--front-ends N] [--back-ends N]                 Client Access and mailbox servers (default 2 and 3; more, as
//                                                      for measuring memory against the number of servers)

var out = "SampleLogs"
var storyName: String?
var bulkMegabytes: Int?
var seed: UInt64 = 42
var usersPerHour = 400
var frontEnds = 2
var backEnds = 3
var arguments = Array(CommandLine.arguments.dropFirst())
func fail(_ message: String) -> Never {
    FileHandle.standardError.write(Data("imaplog-samplegen: \(message)\n".utf8))
    exit(64)
}
while !arguments.isEmpty {
    let argument = arguments.removeFirst()
    func value() -> String {
        guard !arguments.isEmpty else { fail("\(argument) needs a value") }
        return arguments.removeFirst()
    }
    switch argument {
    case "--out": out = value()
    case "--story": storyName = value()
    case "--bulk":
        guard let mb = Int(value()), mb > 0 else { fail("--bulk takes megabytes, a whole number") }
        bulkMegabytes = mb
    case "--users-per-hour":
        guard let n = Int(value()), n > 0 else { fail("--users-per-hour takes a whole number above 0") }
        usersPerHour = n
    case "--front-ends", "--back-ends":
        guard let n = Int(value()), (1...99).contains(n) else { fail("\(argument) takes a number from 1 to 99") }
        if argument == "--front-ends" { frontEnds = n } else { backEnds = n }
    case "--seed":
        guard let n = UInt64(value()) else { fail("--seed takes a whole number") }
        seed = n
    case "-h", "--help":
        print(
            "usage: imaplog-samplegen [--out DIR] [--story FOLDER | --bulk MB [--seed N] [--users-per-hour N]"
                + " [--front-ends N] [--back-ends N]]")
        exit(0)
    default: fail("unknown argument '\(argument)'")
    }
}

do {
    if let megabytes = bulkMegabytes {
        let bytes = try BulkWriter.write(
            to: out, targetBytes: Int64(megabytes) << 20, seed: seed, usersPerHour: usersPerHour,
            frontEnds: frontEnds, backEnds: backEnds)
        print("wrote \(bytes) bytes of logs under \(out)")
    } else {
        var stories = Story.samples
        if let storyName {
            stories = stories.filter { $0.folder == storyName }
            guard !stories.isEmpty || storyName == EdgeCases.folder else { fail("no story named '\(storyName)'") }
        }
        for story in stories {
            let files = try SampleWriter.write(story, to: out)
            print("\(story.folder): \(files.count) files")
        }
        if storyName == nil || storyName == EdgeCases.folder {
            let files = try EdgeCases.write(to: out)
            print("\(EdgeCases.folder): \(files.count) files")
        }
    }
} catch {
    fail("\(error)")
}
