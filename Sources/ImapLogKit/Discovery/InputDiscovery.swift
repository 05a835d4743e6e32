import Foundation

/// What the paths on a command line amount to: the logs to read, grouped into streams.
package struct InputPlan: Sendable {
    /// Each stream is one server's roll-over sequence (or standard input), read in order by one worker;
    /// streams are read in parallel.
    package var streams: [[LogInput]]
    /// Paths that could not be used: missing, empty of logs, a folder that cannot be listed, a FIFO, device or
    /// link named like a log in a folder, a name that is not UTF-8, a damaged archive.
    ///
    /// The run goes on without them; the report lists them (`Report.Input.problems`).
    package var problems: [ImapLogError]
    /// Files in the folders searched that are not named like protocol logs.
    package var ignoredFileCount: Int
    /// Logs reached more than once (`logs ./logs`, a folder and a file in it, a link to a file also named):
    /// each is read once, and this counts the others.
    package var duplicateCount = 0
    /// Each stream's key (its folder, protocol and role), in stream order: what tells one server's roll-over
    /// sequence from another's when the folders are searched again (`imaplog watch`).
    package var streamKeys: [String] = []

    /// Every input, in stream order.
    package var inputs: [LogInput] { streams.flatMap { $0 } }
    /// How many inputs there are (without building `inputs`: 4.5 MB for 40,000 files).
    package var inputCount: Int { streams.reduce(0) { $0 + $1.count } }
}

/// Turns paths, folders, archives and patterns into an `InputPlan`.
package enum InputDiscovery {
    /// Plans the reading of `paths`; `-` is standard input.
    ///
    /// A file named explicitly is read whatever its name; a folder is searched recursively for
    /// `IMAP4*.LOG`, `IMAP4BE*.LOG`, `POP3*.LOG` (also `.gz`, and inside `.zip` archives). A path that does
    /// not exist but holds `*`, `?` or `[` is expanded here, for shells that do not.
    package static func plan(paths: [String]) -> InputPlan {
        var inputs = PlannedInputs()
        var problems: [ImapLogError] = []
        var ignored = 0
        for path in paths {
            let before = inputs.count
            let problemsBefore = problems.count
            if path == "-" {
                inputs.append(
                    LogInput(location: .standardInput, displayPath: "-", role: .unknown, serverHint: nil),
                    streamKey: "-", orderKey: "")
                continue
            }
            var targets: [String]
            if fileExists(path) {
                targets = [path]
            } else if Glob.hasWildcards(path) {
                targets = expand(pattern: path)
                if targets.isEmpty {
                    problems.append(.notFound(path: path))
                    continue
                }
            } else {
                problems.append(.notFound(path: path))
                continue
            }
            for target in targets {
                var isDirectory: ObjCBool = false
                _ = FileManager.default.fileExists(atPath: target, isDirectory: &isDirectory)
                if isDirectory.boolValue {
                    walk(folder: target, into: &inputs, problems: &problems, ignored: &ignored)
                } else {
                    add(
                        file: target, explicitly: true, folderComponents: parentComponents(of: target),
                        into: &inputs, problems: &problems, ignored: &ignored)
                }
            }
            // A path that yielded nothing and no problem of its own: say so rather than stay silent.
            if inputs.count == before && problems.count == problemsBefore {
                problems.append(.noLogsFound(path: path))
            }
        }
        let named = inputs.count
        inputs.removeDuplicates()
        let unique = inputs.count
        let (streams, keys) = inputs.streams()
        var plan = InputPlan(streams: streams, problems: problems, ignoredFileCount: ignored)
        plan.duplicateCount = named - unique
        plan.streamKeys = keys
        return plan
    }

    /// What tells two inputs apart: the file's own path (links, `.` and `..` resolved), and the entry for an
    /// archive's.
    private static func identity(of input: LogInput) -> String {
        switch input.location {
        case .file(let path), .gzipFile(let path):
            return Platform.canonicalPath(path) ?? path
        case .zipEntry(let archive, let reference):
            let entry = reference.entry
            return "\(Platform.canonicalPath(archive) ?? archive)!\(entry.localHeaderOffset)!\(entry.name)"
        case .standardInput:
            return "-"
        }
    }

    /// The server a log's folders name, in the layouts log collectors and admins produce, or nil.
    ///
    /// Only the folder holding the logs names a server, once the folders of Exchange's own log path are passed
    /// over: `MBX01/IMAP4BE….LOG`, `MBX01/Logging/Imap4/…`, `CAS01/V15/Logging/Imap4/…`, `CAS01.zip!Imap4/…`,
    /// `\\CAS01\C$\Program Files\Microsoft\Exchange Server\V15\Logging\Imap4`. A folder further up
    /// (`/home/admin/logs/Imap4`: `logs`, then `admin`) is an admin's own filing, never a server's name.
    ///
    /// - Parameter folders: the folders from the root down to the one holding the log (absolute where known).
    static func serverName(fromFolders folders: [String]) -> String? {
        for folder in folders.reversed() {
            if exchangeLogPath.contains(folder.lowercased()) { continue }
            return hostName(fromFolder: folder)
        }
        return nil
    }

    /// The folders of Exchange's log path, below the server's own folder in a collection.
    private static let exchangeLogPath: Set<String> = [
        "imap4", "imap4be", "pop3", "pop3be", "logging", "v14", "v15", "v16", "exchange server", "exchangeserver",
        "exchange", "microsoft", "program files", "c$", "d$", "e$", "f$",
    ]

    /// The host name or address a folder is named after (`MBX01`, `mbx01.contoso.com`, `10.0.2.22`), or nil for
    /// folders named for something else (`Imap4`, `logs`, `2024-01-15`, `incident-4711`, `case`, `mnt`).
    static func hostName(fromFolder name: String) -> String? {
        if HostName.isAddress(name) { return name }
        let lower = name.lowercased()
        guard !notHosts.contains(lower), !lower.contains("log"), !lower.contains("imap"), !lower.contains("pop3"),
            HostName.isValid(name), name.contains(where: \.isLetter)
        else { return nil }
        let labels = name.split(separator: ".", omittingEmptySubsequences: false)
        // A leading number ("01-quiet-morning", "2024-01-15") names a date or a sequence, not a host.
        if let first = labels.first, first.first?.isNumber == true { return nil }
        // A ticket or case number: `incident-4711`, `INC0012345`, `case_88`, `SR-1234`.
        let word = lower.prefix(while: \.isLetter)
        let rest = lower.dropFirst(word.count).drop { $0 == "-" || $0 == "_" }
        if ticketWords.contains(String(word)) && !rest.isEmpty && rest.allSatisfy(\.isNumber) { return nil }
        return name
    }

    /// Folder names that are filing, not servers.
    private static let notHosts: Set<String> = [
        "imap", "imap4", "imap4be", "pop3", "pop3be", "pop", "logging", "logs", "log", "v14", "v15", "microsoft",
        "exchange", "exchangeserver", "frontend", "backend", "fe", "be", "archive", "archives", "collected",
        "tmp", "temp", "data", "home", "root", "var", "work", "main", "downloads", "desktop", "documents",
        "users", "samplelogs", "input", "output", "new", "old", "copy", "admin", "administrator", "mnt", "media",
        "share", "shares", "shared", "case", "cases", "incident", "incidents", "ticket", "tickets", "evidence",
        "export", "exports", "collect", "collection", "collections", "upload", "uploads", "backup", "backups",
        "scratch", "test", "tests", "sample", "samples", "opt", "srv", "server", "servers", "public", "private",
        "volumes", "mount", "net", "cifs", "smb", "nfs", "files", "dump", "dumps", "support", "analysis", "extract",
        "extracted", "unzipped", "today", "yesterday", "latest", "current", "incoming", "inbox", "attachments",
    ]

    /// Words a ticket or case folder starts with, before its number.
    private static let ticketWords: Set<String> = [
        "incident", "inc", "case", "ticket", "tkt", "sr", "req", "ritm", "chg", "task", "issue", "bug", "problem",
        "prb", "cs",
    ]

    // MARK: - Walking

    private static func fileExists(_ path: String) -> Bool {
        FileManager.default.fileExists(atPath: path)
    }

    private static func parentComponents(of path: String) -> [String] {
        let parent = (path as NSString).deletingLastPathComponent
        return (Platform.canonicalPath(parent.isEmpty ? "." : parent) ?? parent).split(separator: "/").map(String.init)
    }

    /// What a folder search found below a folder, every entry in one list or another; paths relative to it.
    struct FolderContents {
        /// The regular files, sorted.
        var files: [String] = []
        /// Entries neither regular files nor folders (links, FIFOs, devices, sockets): never opened.
        var others: [(path: String, kind: Platform.FileKind)] = []
        /// Entries whose names are not UTF-8, shown escaped (`caf\xE9`): they cannot be named to the system again.
        var undecodable: [(path: String, isFolder: Bool)] = []
        /// Folders inside that could not be listed, with the system's reason.
        var unlisted: [(path: String, reason: String)] = []
    }

    /// Everything below `folder`, or why it cannot be listed.
    ///
    /// A folder named on the command line is followed when it is a link (as `grep -r` does); links met inside it
    /// are not (each folder inside is opened with `O_NOFOLLOW`, so one swapped for a link meanwhile is not
    /// followed either), so a link back up cannot loop, nor are FIFOs, devices and sockets ever opened (a link to
    /// `/dev/zero` named like a log reads forever). Kinds are read with `lstat`, names as bytes: nothing below is
    /// passed over without being in one of the lists.
    static func contents(below folder: String) -> Result<FolderContents, SystemError> {
        let listed = Platform.canonicalPath(folder) ?? folder
        var contents = FolderContents()
        var pending = [""]
        while let relative = pending.popLast() {
            let full = relative.isEmpty ? listed : listed + "/" + relative
            let entries: [Platform.FolderEntry]
            switch Platform.listFolder(full, followingLink: relative.isEmpty) {
            case .success(let found): entries = found
            case .failure(let error):
                if relative.isEmpty { return .failure(error) }
                contents.unlisted.append((relative, error.description))
                continue
            }
            for entry in entries {
                let child = relative.isEmpty ? entry.displayName : relative + "/" + entry.displayName
                guard entry.name != nil else {
                    contents.undecodable.append((child, entry.kind == .folder))
                    continue
                }
                switch entry.kind {
                case .folder: pending.append(child)
                case .regularFile: contents.files.append(child)
                default: contents.others.append((child, entry.kind))
                }
            }
        }
        contents.files.sort()
        return .success(contents)
    }

    /// Why a file is not read for what it is (`kind`, nil when unknown), as `ImapLogError.notRead` says it.
    static func notRegularReason(_ kind: Platform.FileKind?) -> String {
        if kind == .symbolicLink {
            return
                "a symbolic link: links inside a folder searched are not followed (name it on the command line to read it)"
        }
        let what = kind.map { $0 == .other ? "not a regular file" : "\($0.description), not a regular file" }
        return (what ?? "not a regular file")
            + ": a folder search reads regular files only (name it on the command line to read it)"
    }

    /// Why a path whose name is not UTF-8 is not read.
    private static func undecodableReason(isFolder: Bool) -> String {
        "its name is not UTF-8 (the bytes shown as \\xNN), so imaplog cannot name it to the system: "
            + (isFolder ? "not searched" : "not read")
            + "; rename it (convmv -f latin1 -t utf8 converts a whole tree)"
    }

    /// Whether a folder search reads a file of this name: a protocol log (also `.gz`) or a `.zip` archive.
    static func isSearchedFor(name: String) -> Bool {
        LogFileName.parse(name) != nil || name.lowercased().hasSuffix(".zip")
    }

    /// Whether a name that is not UTF-8 (its bytes shown as `\xNN`) may be one a folder search reads: named like a
    /// protocol log or an archive, whatever the bytes it holds.
    static func maybeSearchedFor(undecodableName name: String) -> Bool {
        let lower = name.lowercased()
        return lower.hasPrefix("imap4") || lower.hasPrefix("pop3") || lower.hasSuffix(".zip")
    }

    /// The summary files `imaplog merge` is to read: each file named; each regular file below a folder named
    /// (`named` false: one that is not a summary is passed over; a link or special file there is a problem, not
    /// followed); a pattern's matches, for shells that do not expand it and for lists too long for a command line.
    package static func summaryFiles(_ paths: [String]) -> (
        files: [(path: String, named: Bool)], problems: [ImapLogError]
    ) {
        var files: [(path: String, named: Bool)] = []
        var problems: [ImapLogError] = []
        for path in paths {
            let targets = fileExists(path) ? [path] : Glob.hasWildcards(path) ? expand(pattern: path) : []
            if targets.isEmpty { problems.append(.notFound(path: path)) }
            for target in targets {
                var isDirectory: ObjCBool = false
                _ = FileManager.default.fileExists(atPath: target, isDirectory: &isDirectory)
                guard isDirectory.boolValue else {
                    files.append((target, true))
                    continue
                }
                let below: FolderContents
                switch contents(below: target) {
                case .success(let found): below = found
                case .failure(let error):
                    problems.append(
                        .cannotOpen(path: target, reason: "the folder cannot be listed: \(error.description)"))
                    continue
                }
                let folder = target.hasSuffix("/") ? target : target + "/"
                for (path, reason) in below.unlisted {
                    problems.append(.cannotOpen(path: folder + path, reason: "the folder cannot be listed: \(reason)"))
                }
                for (path, isFolder) in below.undecodable {
                    problems.append(.notRead(path: folder + path, reason: undecodableReason(isFolder: isFolder)))
                }
                // Summaries have no name of their own, so every link or special file is said: a share others
                // can write may hold one planted to be followed.
                for (path, kind) in below.others {
                    problems.append(.notRead(path: folder + path, reason: notRegularReason(kind)))
                }
                files += below.files.map { (folder + $0, false) }
            }
        }
        return (files, problems)
    }

    private static func walk(
        folder: String, into inputs: inout PlannedInputs, problems: inout [ImapLogError], ignored: inout Int
    ) {
        let found: FolderContents
        switch contents(below: folder) {
        case .success(let contents): found = contents
        case .failure(let error):
            problems.append(.cannotOpen(path: folder, reason: "the folder cannot be listed: \(error.description)"))
            return
        }
        let prefix = folder.hasSuffix("/") ? folder : folder + "/"
        // Every entry not read is a problem or an ignored file, in the order of their paths.
        var skipped: [ImapLogError] = []
        for (path, reason) in found.unlisted {
            skipped.append(.cannotOpen(path: prefix + path, reason: "the folder cannot be listed: \(reason)"))
        }
        for (path, isFolder) in found.undecodable {
            if isFolder || maybeSearchedFor(undecodableName: lastComponent(path)) {
                skipped.append(.notRead(path: prefix + path, reason: undecodableReason(isFolder: isFolder)))
            } else {
                ignored += 1
            }
        }
        for (path, kind) in found.others {
            if isSearchedFor(name: lastComponent(path)) {
                skipped.append(.notRead(path: prefix + path, reason: notRegularReason(kind)))
            } else {
                ignored += 1
            }
        }
        problems += skipped.sorted { $0.path < $1.path }
        // Absolute, so that `imaplog .` inside a server's folder sees the folder's name.
        let rootComponents = (Platform.canonicalPath(folder) ?? folder).split(separator: "/").map(String.init)
        for relative in found.files {
            let relativeFolders = relative.split(separator: "/").dropLast().map(String.init)
            add(
                file: prefix + relative, explicitly: false, folderComponents: rootComponents + relativeFolders,
                into: &inputs, problems: &problems, ignored: &ignored)
        }
    }

    private static func add(
        file path: String, explicitly: Bool, folderComponents: [String],
        into inputs: inout PlannedInputs, problems: inout [ImapLogError], ignored: inout Int
    ) {
        let fileName = (path as NSString).lastPathComponent
        let lower = fileName.lowercased()
        if lower.hasSuffix(".zip") {
            addArchive(path: path, folderComponents: folderComponents, into: &inputs, problems: &problems)
            return
        }
        let name = LogFileName.parse(fileName)
        guard name != nil || explicitly else {
            ignored += 1
            return
        }
        guard FileManager.default.isReadableFile(atPath: path) else {
            problems.append(.cannotOpen(path: path, reason: "permission denied"))
            return
        }
        let location: LogInput.Location = lower.hasSuffix(".gz") ? .gzipFile(path: path) : .file(path: path)
        makeInput(
            location: location, display: path, name: name, folders: folderComponents, isNamed: explicitly,
            into: &inputs)
    }

    private static func addArchive(
        path: String, folderComponents: [String], into inputs: inout PlannedInputs, problems: inout [ImapLogError]
    ) {
        let directory: ZipDirectory
        do {
            directory = try ZipDirectory.read(path: path)
        } catch {
            problems.append(error)
            return
        }
        let stem = ((path as NSString).lastPathComponent as NSString).deletingPathExtension
        let files = directory.entries.filter { !$0.isDirectory }
        var chosen = files.filter { LogFileName.parse(lastComponent($0.name)) != nil }
        if chosen.isEmpty {
            chosen = files.filter { $0.name.lowercased().hasSuffix(".log") }
        }
        for entry in chosen {
            let inner = entry.name.split(separator: "/").dropLast().map(String.init)
            let name = LogFileName.parse(lastComponent(entry.name))
            let location = LogInput.Location.zipEntry(archive: path, entry: ZipEntryReference(entry: entry))
            makeInput(
                location: location, display: "\(path)!\(entry.name)", name: name,
                folders: folderComponents + [stem] + inner, streamPrefix: "\(path)!", into: &inputs)
        }
    }

    private static func lastComponent(_ path: String) -> String {
        String(path.split(separator: "/").last ?? Substring(path))
    }

    /// The inputs found, with what places each while planning: its stream (files with the same key are one
    /// server's roll-over sequence, read in order as one stream) and its position in that sequence.
    ///
    /// A fleet's year is a hundred thousand files: each stream's key is kept once, not once a file, the list is
    /// rid of duplicates and put in order where it is, and each identity checked is let go once the check is done.
    /// Searching 98,220 files took 58 MB of memory at its peak when each file kept its key and the list was
    /// filtered, grouped and sorted into copies.
    struct PlannedInputs {
        private struct Planned {
            var input: LogInput
            /// The stream's place in `keys`.
            var stream: Int
            var orderKey: String
        }

        private var planned: [Planned] = []
        /// Each stream's key, in the order first found, and where each is in that list.
        private var keys: [String] = []
        private var keyIndex: [String: Int] = [:]

        /// How many inputs there are.
        var count: Int { planned.count }

        mutating func append(_ input: LogInput, streamKey: String, orderKey: String) {
            let stream: Int
            if let known = keyIndex[streamKey] {
                stream = known
            } else {
                stream = keys.count
                keys.append(streamKey)
                keyIndex[streamKey] = stream
            }
            planned.append(Planned(input: input, stream: stream, orderKey: orderKey))
        }

        /// Keeps the first of the inputs that are one log (`identity`), in the order found.
        mutating func removeDuplicates() {
            var seen = Set<String>()
            var kept = 0
            for index in planned.indices where seen.insert(InputDiscovery.identity(of: planned[index].input)).inserted {
                planned.swapAt(kept, index)
                kept += 1
            }
            planned.removeLast(planned.count - kept)
        }

        /// The streams in the order of their keys, each in roll-over order (then by path), and their keys.
        mutating func streams() -> (streams: [[LogInput]], keys: [String]) {
            var rank = [Int](repeating: 0, count: keys.count)
            let order = keys.indices.sorted(by: { keys[$0] < keys[$1] })
            for (position, stream) in order.enumerated() {
                rank[stream] = position
            }
            // Only streams that kept an input (every input of one may have been a duplicate).
            let kept = Set(planned.map(\.stream))
            let sortedKeys = order.filter { kept.contains($0) }.map { keys[$0] }
            keys = []
            keyIndex = [:]
            planned.sort {
                (rank[$0.stream], $0.orderKey, $0.input.displayPath) < (
                    rank[$1.stream], $1.orderKey, $1.input.displayPath
                )
            }
            var streams: [[LogInput]] = []
            var start = 0
            while start < planned.count {
                var end = start + 1
                while end < planned.count && planned[end].stream == planned[start].stream { end += 1 }
                streams.append(planned[start..<end].map(\.input))
                start = end
            }
            planned = []
            return (streams, sortedKeys)
        }
    }

    private static func makeInput(
        location: LogInput.Location, display: String, name: LogFileName?, folders: [String], streamPrefix: String = "",
        isNamed: Bool = false, into inputs: inout PlannedInputs
    ) {
        let server = serverName(fromFolders: folders)
        let role = name?.role ?? .unknown
        let folderKey = folders.joined(separator: "/")
        let streamKey = "\(streamPrefix)\(folderKey)|\(name?.protocolName ?? "?")|\(role.rawValue)"
        var input = LogInput(location: location, displayPath: display, role: role, serverHint: server)
        input.isNamed = isNamed
        inputs.append(input, streamKey: streamKey, orderKey: name?.rollOverKey ?? display)
    }

    /// Expands a wildcard path component by component, sorted.
    private static func expand(pattern: String) -> [String] {
        let isAbsolute = pattern.hasPrefix("/")
        var current = [isAbsolute ? "/" : "."]
        let parts = pattern.split(separator: "/").map(String.init)
        for part in parts {
            var next: [String] = []
            for base in current {
                if Glob.hasWildcards(part) {
                    let glob = Glob(part)
                    let names = (try? FileManager.default.contentsOfDirectory(atPath: base)) ?? []
                    for name in names.sorted() where glob.matches(name) {
                        next.append(join(base, name, isAbsolute: isAbsolute))
                    }
                } else {
                    let candidate = join(base, part, isAbsolute: isAbsolute)
                    if fileExists(candidate) { next.append(candidate) }
                }
            }
            current = next
        }
        return current
    }

    private static func join(_ base: String, _ name: String, isAbsolute: Bool) -> String {
        if base == "." && !isAbsolute { return name }
        return base.hasSuffix("/") ? base + name : base + "/" + name
    }
}
