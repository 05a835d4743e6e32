// swift-tools-version:6.0
import PackageDescription

let package = Package(
    name: "imaplog",
    platforms: [.macOS(.v13)],
    products: [
        .executable(name: "imaplog", targets: ["imaplog"]),
        .executable(name: "imaplog-samplegen", targets: ["imaplog-samplegen"]),
    ],
    targets: [
        // zlib, reached as a system library: it inflates `.gz` files and `.zip` entries.
        .systemLibrary(
            name: "CZlib",
            path: "Sources/CZlib",
            providers: [.apt(["zlib1g-dev"]), .brew(["zlib"])]
        ),
        // Discovery → reading → parsing → counting → summary: bytes become mergeable counts (ARCHITECTURE.md).
        // Never prints, never exits.
        .target(name: "ImapLogKit", dependencies: ["CZlib"]),
        // Diagnosing: the counts and the failing monitor become suspects and the runbook's next steps.
        .target(name: "ImapLogDiagnosis", dependencies: ["ImapLogKit"]),
        // Reporting: the report value, its renderings (text, JSON, CSV, --check) and redaction.
        .target(name: "ImapLogReport", dependencies: ["ImapLogKit", "ImapLogDiagnosis"]),
        // The version Scripts/release.sh stamps in from git describe (`-Xcc -DIMAPLOG_VERSION=…`); "dev" otherwise.
        .target(name: "CBuildInfo"),
        // The command line: the option table (parsing, --help, "did you mean"), the run's flow, the rendering choices.
        .target(
            name: "ImapLogCommand", dependencies: ["CBuildInfo", "ImapLogKit", "ImapLogDiagnosis", "ImapLogReport"]),
        // The executable: the standard streams and the exit codes, nothing else.
        .executableTarget(name: "imaplog", dependencies: ["ImapLogCommand", "ImapLogKit"]),
        // Writes realistic IMAP4 logs: SampleLogs/, test fixtures and benchmark data.
        .target(name: "SampleLogKit", dependencies: ["CZlib"]),
        .executableTarget(name: "imaplog-samplegen", dependencies: ["SampleLogKit"]),
        .testTarget(
            name: "ImapLogKitTests", dependencies: ["ImapLogKit", "ImapLogDiagnosis", "ImapLogReport", "SampleLogKit"]),
        .testTarget(
            name: "ImapLogCommandTests",
            dependencies: ["ImapLogCommand", "ImapLogKit", "ImapLogDiagnosis", "ImapLogReport"]),
        // End to end: runs the built `imaplog`.
        .testTarget(name: "imaplogTests", dependencies: ["ImapLogKit", "SampleLogKit"]),
    ],
    swiftLanguageModes: [.v6]
)
