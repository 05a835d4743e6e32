import Foundation
import SampleLogKit

@testable import ImapLogDiagnosis
@testable import ImapLogKit
@testable import ImapLogReport

/// Shared helpers for the library's tests.
enum TestSupport {
    /// The package's root folder, from this file's path.
    static let packageRoot: String = {
        var url = URL(fileURLWithPath: #filePath)
        for _ in 0..<3 { url.deleteLastPathComponent() }
        return url.path
    }()

    static let sampleLogs = packageRoot + "/SampleLogs"

    /// A fresh temporary folder; the test removes it (`remove`) when it is done.
    static func temporaryFolder() -> String {
        let path = NSTemporaryDirectory() + "imaplog-tests-" + UUID().uuidString
        try? FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        return path
    }

    /// Removes a temporary folder and everything in it.
    static func remove(_ folder: String) {
        try? FileManager.default.removeItem(atPath: folder)
    }

    static func write(_ text: String, to path: String) {
        write(Array(text.utf8), to: path)
    }

    static func write(_ bytes: [UInt8], to path: String) {
        let folder = (path as NSString).deletingLastPathComponent
        try? FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        _ = FileManager.default.createFile(atPath: path, contents: Data(bytes))
    }

    /// Every byte of a source, read `readSize` bytes at a time.
    static func readAll(_ source: ByteSource, readSize: Int = 4096) throws(ImapLogError) -> [UInt8] {
        var out: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: readSize)
        while true {
            let n = try buffer.withUnsafeMutableBytes { raw in
                Result { () throws(ImapLogError) -> Int in try source.read(into: raw) }
            }.get()
            if n == 0 { return out }
            out += buffer[0..<n]
        }
    }

    /// Analyses text as one stream.
    static func analyse(_ text: String, role: Role = .unknown, options: AnalysisOptions = .init()) -> Summary {
        LogAnalysis.analyse(bytes: Array(text.utf8), path: "test.LOG", role: role, options: options)
    }

    static let header = """
        dateTime,sessionId,seqNumber,sIp,cIp,user,duration,rqsize,rpsize,command,parameters,context\r
        #Software: Microsoft Exchange Server\r
        #Version: 15.1.2507.39\r
        #Log-type: IMAP4 Log\r
        #Date: 2026-11-16T07:00:00.000Z\r
        #Fields: dateTime,sessionId,seqNumber,sIp,cIp,user,duration,rqsize,rpsize,command,parameters,context\r

        """

    /// Every line is a header, a record or skipped.
    static func linesAddUp(_ summary: Summary) -> Bool {
        summary.files.allSatisfy { $0.lines == $0.headerLines + $0.records + $0.skipped }
            && summary.lines == summary.headerLines + summary.records + summary.skipped
    }
}

/// Access to the generator's edge-case files.
enum SampleEdgeCases {
    static func file(named name: String) -> [UInt8] {
        EdgeCases.files().first { $0.0 == name }?.1 ?? []
    }
}
