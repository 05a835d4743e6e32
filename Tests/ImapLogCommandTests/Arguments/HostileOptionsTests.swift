import Testing

@testable import ImapLogCommand

/// Option values made to break the parser: numbers past any range, spans past what 64 bits hold.
///
/// What the binary says of them is `HostileArgumentsTests`, end to end.
@Suite("Hostile option values")
struct HostileOptionsTests {
    private let now: Int64 = 1_795_000_000_000

    @Test func spansThatOverflowAreUsageErrors() throws {
        for span in [
            "106751991167300d", "9223372036854775807s", "9223372036854775807w", "15250284452472w",
            "4000000d", "99999999999999999999h", "3000000000000m",
        ] {
            #expect(throws: Options.UsageError.self, "\(span)") {
                try Options.parse(["--since", span, "logs"], now: now)
            }
            #expect(throws: Options.UsageError.self, "\(span)") {
                try Options.parse(["--until", span, "logs"], now: now)
            }
        }
        // Back to the year 0000 (the earliest a log's four-digit year can write) is still a time.
        let days = (now - Options.earliestTime) / 86_400_000
        #expect(try Options.time("\(days)d", option: "--since", now: now) >= Options.earliestTime)
        #expect(throws: Options.UsageError.self) { try Options.time("\(days + 1)d", option: "--since", now: now) }
        #expect(try Options.time("0s", option: "--since", now: now) == now)
    }

    @Test func countsOutOfRangeAreUsageErrors() throws {
        for arguments in [
            ["--top", "9223372036854775807"], ["--top", "\(Options.maximumTop + 1)"], ["--top", "0"],
            ["--jobs", "99999999999"], ["--jobs", "\(Options.maximumJobs + 1)"], ["-j-1"],
            ["--bucket", "99999999999999999999m"], ["--tz", "+99999999999"], ["--tz", "UTC+15"],
        ] {
            #expect(throws: Options.UsageError.self, "\(arguments)") { try Options.parse(arguments, now: now) }
        }
        let most = try Options.parse(["--top", "\(Options.maximumTop)", "-j", "\(Options.maximumJobs)"], now: now)
        #expect(most.top == Options.maximumTop && most.jobs == Options.maximumJobs)
    }
}
