import Foundation

/// Writes stories to disk as Exchange would leave them: one folder per server, hourly roll-over files.
package enum SampleWriter {
    /// Writes one story under `root/story.folder`.
    ///
    /// Returns the files written, relative to `root`.
    @discardableResult
    package static func write(_ story: Story, to root: String, topology: Topology = .contoso) throws -> [String] {
        var simulation = Simulation(topology: story.topology ?? topology, story: story)
        simulation.run()
        var written: [String] = []
        let base = root + "/" + story.folder
        for (server, isFrontEnd, files) in simulation.serverLogs() {
            switch story.packaging {
            case .plainFolders:
                written += try save(files, folder: "\(base)/\(server.name)", root: root)
            case .backEndsOnly where isFrontEnd:
                continue
            case .backEndsOnly:
                written += try save(files, folder: "\(base)/\(server.name)", root: root)
            case .archives where isFrontEnd:
                // Front ends as a collector's .zip per server, back ends as .gz files.
                let entries = files.map { ("Imap4/\($0.0)", Array($0.1.utf8)) }
                let path = "\(base)/\(server.name).zip"
                try writeBytes(Archiver.zip(entries), to: path)
                written.append(String(path.dropFirst(root.count + 1)))
            case .archives:
                for (name, text) in files {
                    let path = "\(base)/\(server.name)/\(name).gz"
                    try writeBytes(Archiver.gzip(Array(text.utf8)), to: path)
                    written.append(String(path.dropFirst(root.count + 1)))
                }
            }
        }
        if let alert = story.alert {
            try writeBytes(alert.bytes, to: "\(base)/alert.txt")
            written.append("\(story.folder)/alert.txt")
        }
        return written
    }

    /// Renders rows into files named `PREFIXyyyyMMddHH-1.LOG`, one per hour, each with its header.
    static func hourlyFiles(_ rows: [Row], prefix: String, logType: String, puid: Bool = false) -> [(String, String)] {
        var byHour: [Int64: [Row]] = [:]
        for row in rows { byHour[row.time / 3_600_000, default: []].append(row) }
        return byHour.keys.sorted().map { hour in
            let hourRows = byHour[hour] ?? []
            let stamp = LogFormatting.timestamp(hour * 3_600_000)
            let digits = stamp.prefix(13).filter(\.isNumber)
            var text = LogFormatting.header(
                role: logType, date: hourRows.first?.time ?? hour * 3_600_000, puid: puid)
            for row in hourRows { text += LogFormatting.line(row, puid: puid) }
            return ("\(prefix)\(digits)-1.LOG", text)
        }
    }

    private static func save(_ files: [(String, String)], folder: String, root: String) throws -> [String] {
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        return try files.map { name, text in
            let path = "\(folder)/\(name)"
            try writeBytes(Array(text.utf8), to: path)
            return String(path.dropFirst(root.count + 1))
        }
    }

    static func writeBytes(_ bytes: [UInt8], to path: String) throws {
        let folder = (path as NSString).deletingLastPathComponent
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        guard FileManager.default.createFile(atPath: path, contents: Data(bytes)) else {
            throw CocoaError(.fileWriteUnknown, userInfo: [NSFilePathErrorKey: path])
        }
    }
}
