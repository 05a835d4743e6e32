// libFuzzer entry point: the folder search and the output file, on trees the fuzzer makes up in a temporary
// folder (regular files, folders, FIFOs, links to /dev/zero and to each other, names that are not UTF-8).
// Compiled together with the library targets' sources by `Fuzz/run.sh files` (not part of the package).
//
// The input is a list of entries, each a kind byte, a length byte and that many bytes of name (then, for a
// file, up to 64 bytes of content). A hang (a FIFO or /dev/zero opened) is a libFuzzer timeout; a path not
// accounted for, a problem that is not shown safely, or an output file that follows a link or replaces a FIFO
// stops the run.
import Foundation

/// The kinds an entry may be.
private enum Kind: UInt8 {
    case file, folder, fifo, linkToZero, linkToEntry, up, linkToFolder
}

/// Where the trees are made: /dev/shm where there is one (memory: on ext4, creating and deleting inodes by the
/// thousand took nine tenths of the time, at some 80 runs a second), else `TMPDIR`, else /tmp.
private let fuzzRoot: String = {
    let folder =
        access("/dev/shm", W_OK) == 0 ? "/dev/shm" : ProcessInfo.processInfo.environment["TMPDIR"] ?? "/tmp"
    let base = folder + "/imaplog-fuzz-files-\(getpid())"
    mkdir(base, 0o755)
    fuzzRootForExit = Array(base.utf8CString)
    // The tree goes after each run; its folder when the fuzzer ends.
    atexit { rmdir(fuzzRootForExit) }
    return base
}()

/// `fuzzRoot` for the exit handler, which cannot capture it.
private nonisolated(unsafe) var fuzzRootForExit: [CChar] = []

/// Removes the tree at `path` (bytes: names need not be UTF-8), never following a link.
private func removeTree(_ path: [UInt8]) {
    var info = stat()
    guard withCPath(path, { lstat($0, &info) }) == 0 else { return }
    guard info.st_mode & S_IFMT == S_IFDIR else {
        _ = withCPath(path) { unlink($0) }
        return
    }
    _ = withCPath(path) { chmod($0, 0o755) }
    var names: [[UInt8]] = []
    if let folder = withCPath(path, { opendir($0) }),
        let offset = MemoryLayout<dirent>.offset(of: \dirent.d_name)
    {
        while let entry = readdir(folder) {
            let name = (UnsafeRawPointer(entry) + offset).assumingMemoryBound(to: CChar.self)
            let bytes = Array(UnsafeRawBufferPointer(start: name, count: strlen(name)))
            if bytes != [46] && bytes != [46, 46] { names.append(bytes) }
        }
        closedir(folder)
    }
    for name in names { removeTree(path + [47] + name) }
    _ = withCPath(path) { rmdir($0) }
}

/// Calls `body` with `bytes` as a NUL-terminated C path.
private func withCPath<T>(_ bytes: [UInt8], _ body: (UnsafePointer<CChar>) -> T) -> T {
    let terminated = bytes + [0]
    return terminated.withUnsafeBufferPointer { pointer in
        pointer.withMemoryRebound(to: CChar.self) { body($0.baseAddress.unsafelyUnwrapped) }
    }
}

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzOneInput(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let input = Array(UnsafeBufferPointer(start: data, count: size))
    let root = fuzzRoot + "/tree"
    removeTree(Array(root.utf8))
    mkdir(root, 0o755)
    defer { removeTree(Array(root.utf8)) }

    // Build the tree. `made` holds each entry's path bytes (from the root) and kind.
    var made: [(path: [UInt8], kind: Kind)] = []
    var folder: [UInt8] = []
    var depth = 0
    var position = 0
    while position + 2 <= input.count && made.count < 32 {
        let kind = Kind(rawValue: input[position] % 7) ?? .file
        let length = Int(input[position + 1] % 24)
        position += 2
        var name = Array(input[position..<min(position + length, input.count)]).filter { $0 != 0 && $0 != 47 }
        position = min(position + length, input.count)
        if kind == .up {
            if depth > 0, let slash = folder.lastIndex(of: 47) {
                folder = Array(folder[..<slash])
                depth -= 1
            } else if depth > 0 {
                folder = []
                depth = 0
            }
            continue
        }
        if name.isEmpty || name == [46] || name == [46, 46] { name = Array("x".utf8) }
        // An archive is another part's fuzzing (zip): kept out, so every entry here is one path.
        if String(decoding: name, as: UTF8.self).lowercased().hasSuffix(".zip") { name += [95] }
        let relative = folder.isEmpty ? name : folder + [47] + name
        let full = Array(root.utf8) + [47] + relative
        var created = false
        switch kind {
        case .file:
            let content = Array(input[position..<min(position + 64, input.count)])
            position += content.count
            created = withCPath(full) { path in
                let fd = open(path, O_WRONLY | O_CREAT | O_EXCL, 0o644)
                guard fd >= 0 else { return false }
                content.withUnsafeBytes { _ = write(fd, $0.baseAddress, $0.count) }
                close(fd)
                return true
            }
        case .folder:
            created = withCPath(full) { mkdir($0, 0o755) == 0 }
            if created && depth < 4 {
                folder = relative
                depth += 1
            }
        case .fifo:
            created = withCPath(full) { mkfifo($0, 0o644) == 0 }
        case .linkToZero:
            created = withCPath(full) { symlink("/dev/zero", $0) == 0 }
        case .linkToEntry, .linkToFolder:
            let target = made.last.map { Array(root.utf8) + [47] + $0.path } ?? Array(root.utf8)
            created = withCPath(target) { t in withCPath(full) { symlink(t, $0) == 0 } }
        case .up:
            break
        }
        if created { made.append((relative, kind)) }
    }

    // The search: every entry is read, passed over or named; nothing blocks.
    let plan = InputDiscovery.plan(paths: [root])
    // Each input opened and read to its end, as the analysis opens it (LogAnalysis itself is the records
    // entry's: here it would cost nine tenths of the time).
    var problems = plan.problems
    var buffer = [UInt8](repeating: 0, count: 4096)
    for input in plan.inputs {
        do {
            let source = try input.open(standardInput: -1)
            var total = 0
            while true {
                let n = try buffer.withUnsafeMutableBytes { raw in
                    Result { () throws(ImapLogError) -> Int in try source.read(into: raw) }
                }.get()
                if n == 0 { break }
                total += n
                // The files made here hold 64 bytes at most (gzip could inflate them a little more).
                precondition(total < 1 << 20, "read without end: \(input.displayPath)")
            }
        } catch {
            problems.append(error)
        }
    }
    for problem in problems {
        precondition(problem.path.hasPrefix(root), "a problem outside the tree: \(problem.path)")
        let shown = Sanitize.terminal(problem.message)
        precondition(!shown.unicodeScalars.contains { Sanitize.isUnsafe($0) }, "a problem shown unsafely")
    }
    // Accounting: each entry below a folder that was searched is an input, an ignored file or a problem.
    var notFolders = 0
    var hiddenBelow: [[UInt8]] = []
    for (path, kind) in made {
        // Entries below a folder whose name is not UTF-8 cannot be reached: that folder is the one problem.
        if hiddenBelow.contains(where: { path.starts(with: $0 + [47]) }) { continue }
        let isUTF8 = String(validating: path, as: UTF8.self) != nil
        if kind == .folder {
            if !isUTF8 {
                hiddenBelow.append(path)
                notFolders += 1
            }
            continue
        }
        notFolders += 1
    }
    let accounted = plan.inputCount + plan.ignoredFileCount + plan.problems.count
    let emptyRootProblem = plan.inputCount == 0 && plan.problems.contains(.noLogsFound(path: root)) ? 1 : 0
    precondition(accounted - emptyRootProblem == notFolders, "\(accounted) accounted for, \(notFolders) entries")

    // The output file, aimed at each entry in turn: a link is never followed, a FIFO never replaced or waited on,
    // a folder refused; a file or nothing gets exactly the bytes; nothing is left beside it.
    let payload = Array(input.prefix(300))
    for (path, kind) in made.prefix(6) {
        guard let text = String(validating: path, as: UTF8.self) else { continue }
        let target = root + "/" + text
        var before = stat()
        let existed = lstat(target, &before) == 0
        // What a link leads to, when that is a file (never read through to a FIFO or /dev/zero).
        var followed = stat()
        let linkedContents: Data? =
            kind == .linkToEntry && stat(target, &followed) == 0 && followed.st_mode & S_IFMT == S_IFREG
            ? FileManager.default.contents(atPath: target) : nil
        switch OutputFile.open(target) {
        case .success(let output):
            precondition(kind == .file || !existed, "opened for writing: \(kind)")
            output.write(payload[...])
            if case .failure(let failure) = output.commit() { preconditionFailure("commit: \(failure.reason)") }
            var after = stat()
            precondition(lstat(target, &after) == 0 && after.st_mode & S_IFMT == S_IFREG, "not a file after")
            precondition(FileManager.default.contents(atPath: target) == Data(payload), "other bytes written")
        case .failure:
            precondition(kind != .file, "a regular file refused")
            var after = stat()
            precondition(
                lstat(target, &after) == 0 && after.st_mode & S_IFMT == before.st_mode & S_IFMT, "the target changed")
            if let linkedContents {
                precondition(FileManager.default.contents(atPath: target) == linkedContents, "written through a link")
            }
        }
        let parent = (target as NSString).deletingLastPathComponent
        let left = (try? FileManager.default.contentsOfDirectory(atPath: parent)) ?? []
        precondition(!left.contains { $0.contains(".imaplog-partial-") }, "a partial file left behind")
    }

    // File names as bytes: UTF-8 comes back as it is; anything else shown with each bad byte as \xNN.
    input.prefix(64).withUnsafeBytes { raw in
        let decoded = Platform.decodeName(raw)
        if let name = decoded.name {
            precondition(Array(name.utf8) == Array(raw), "a UTF-8 name changed")
        } else {
            precondition(decoded.display.contains("\\x"), "bad bytes not shown")
        }
    }
    return 0
}
