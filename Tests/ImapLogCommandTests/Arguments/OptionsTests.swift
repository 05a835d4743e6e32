import ImapLogDiagnosis
import ImapLogKit
import Testing

@testable import ImapLogCommand

@Suite("Command-line options")
struct OptionsTests {
    private let now: Int64 = 1_795_000_000_000

    @Test func valuesInBothSpellingsAndPaths() throws {
        let o = try Options.parse(
            ["--format=json", "--top", "5", "a", "-", "--server", "MBX01,mbx02", "--", "--odd"], now: now)
        #expect(o.format == .json && o.top == 5)
        #expect(o.paths == ["a", "-", "--odd"])
        #expect(o.servers == ["MBX01", "mbx02"])
    }

    @Test func aShortOptionsValueMayBeWrittenAgainstIt() throws {
        let joined = try Options.parse(["-j2", "-fjson", "-mImapCTPMonitor", "logs"], now: now)
        let apart = try Options.parse(["-j", "2", "-f", "json", "-m", "ImapCTPMonitor", "logs"], now: now)
        #expect(joined.jobs == 2 && joined.format == .json && joined.monitors == [.customerTouchPoint])
        #expect(joined.jobs == apart.jobs && joined.format == apart.format && joined.monitors == apart.monitors)
        #expect(joined.paths == ["logs"])
        #expect(throws: Options.UsageError.self) { try Options.parse(["-j0"], now: now) }
        // Flags take no value: `-hx` is not `-h`.
        #expect(throws: Options.UsageError.self) { try Options.parse(["-hx"], now: now) }
    }

    @Test func relativeAndAbsoluteTimes() throws {
        #expect(try Options.time("2h", option: "--since", now: now) == now - 7_200_000)
        #expect(try Options.time("30m", option: "--since", now: now) == now - 1_800_000)
        #expect(
            try Options.time("2026-11-16", option: "--since", now: now)
                == Options.time("2026-11-16T00:00:00Z", option: "", now: now))
        #expect(
            try Options.time("2026-11-16 09:30", option: "--since", now: now)
                == Options.time("2026-11-16T09:30:00.000Z", option: "", now: now))
        #expect(try Options.time("2026-11-16T09:30:00Z", option: "", now: now) == 1_794_821_400_000)
        #expect(throws: Options.UsageError.self) { try Options.time("soon", option: "--since", now: now) }
    }

    @Test func contradictionsAndTyposAreUsageErrors() {
        #expect(throws: Options.UsageError.self) {
            try Options.parse(["--since", "2026-11-17", "--until", "2026-11-16"], now: now)
        }
        #expect(
            throws: Options.UsageError(message: "unknown option '--exclude-probe' (did you mean --exclude-probes?)")
        ) {
            try Options.parse(["--exclude-probe"], now: now)
        }
        #expect(throws: Options.UsageError.self) { try Options.parse(["--top"], now: now) }
        #expect(throws: Options.UsageError.self) { try Options.parse(["--bucket", "7"], now: now) }
    }
}
