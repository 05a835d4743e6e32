/// A file imaplog writes (a summary), written so that nothing but the path named is ever touched.
///
/// Output goes where it is often shared (a file share the servers each write their summary to), so a link or a
/// FIFO may have been planted there by someone else:
///
/// - a regular file, or nothing yet: the bytes go to a new file beside it, created exclusively under a name
///   nobody can guess (`FILE.imaplog-partial-` and 16 random hex digits, `O_CREAT | O_EXCL | O_NOFOLLOW`), which
///   takes FILE's place once complete (`rename`: a link planted at FILE meanwhile is replaced as a name, never
///   followed). A run that fails leaves no half-written file;
/// - a FIFO or a character device (`/dev/null`): written to as it is, never replaced; a FIFO nobody reads is
///   refused at once rather than waited on;
/// - `-`, `/dev/stdout`, `/dev/stderr`, `/dev/fd/N`: the descriptor this process was handed (`>(gzip > x)`);
/// - a symbolic link, a folder, a block device or a socket: refused, nothing written (a link planted at FILE
///   would make an administrator's run overwrite whatever it points at);
/// - a path through a folder that is a symbolic link (`share/reports` → elsewhere): refused as well, for the same
///   reason; the system's own links at the top (`/tmp` on macOS) excepted.
///
/// Every write is checked; the first failure is kept and said by `commit`.
package final class OutputFile {
    /// Why a file could not be written: `path` as named, `reason` a phrase ("a symbolic link: …").
    package struct Failure: Error, Equatable, Sendable {
        package var path: String
        package var reason: String
    }

    private enum Destination {
        /// A descriptor this process was handed: written to, not closed here.
        case handed
        /// A FIFO or device opened here: closed by `commit`.
        case device
        /// A partial file beside the target, renamed over it by `commit`.
        case partial(String)
    }

    /// The path as named.
    package let path: String
    private let descriptor: Platform.Descriptor
    private let destination: Destination
    /// The first write that failed, as `errno` (0: the reader of a pipe went away).
    private var failedWith: Int32?
    private var isFinished = false

    private init(path: String, descriptor: Platform.Descriptor, destination: Destination) {
        self.path = path
        self.descriptor = descriptor
        self.destination = destination
    }

    deinit {
        if !isFinished { discard() }
    }

    /// How many tries at a partial file's unguessable name before giving up (each taken name is someone
    /// else's file or link: never opened, another name is drawn).
    static let partialNameAttempts = 16

    /// The descriptor a path names when it stands for one this process was handed (`-`, `/dev/stdout`,
    /// `/dev/fd/3`, `/proc/self/fd/3`), or nil.
    static func handedDescriptor(_ path: String) -> Platform.Descriptor? {
        switch path {
        case "-", "/dev/stdout": return Platform.standardOutput
        case "/dev/stderr": return Platform.standardError
        default:
            for prefix in ["/dev/fd/", "/proc/self/fd/"] where path.hasPrefix(prefix) {
                let digits = path.dropFirst(prefix.count)
                guard !digits.isEmpty, digits.count <= 9, digits.allSatisfy(\.isASCII), let number = Int32(digits)
                else { return nil }
                return number
            }
            return nil
        }
    }

    /// Why `path` could not be written, or nil: said before the work that makes its bytes (a long analysis).
    ///
    /// Nothing is created or opened. `open` checks again, as things may change meanwhile.
    package static func check(_ path: String) -> Failure? {
        if let fd = handedDescriptor(path) {
            return Platform.isOpen(fd) ? nil : Failure(path: path, reason: "no such descriptor is open")
        }
        if let refused = linkAmongFolders(of: path) { return refused }
        switch Platform.kind(ofItemAt: path) {
        case .success(let kind):
            return refusal(of: kind, at: path)
        case .failure(let error) where error.number == Platform.noSuchFile:
            let folder = parentFolder(of: path)
            guard case .success(.folder) = Platform.kind(ofFolderAt: folder) else {
                return Failure(path: path, reason: "the folder \(folder) does not exist")
            }
            return nil
        case .failure(let error):
            return Failure(path: path, reason: error.description)
        }
    }

    /// The refusal of a path one of whose folders is a symbolic link, or nil.
    private static func linkAmongFolders(of path: String) -> Failure? {
        guard let link = Platform.linkAmongFolders(of: path) else { return nil }
        return Failure(
            path: path,
            reason:
                "its folder \(link) is a symbolic link: imaplog does not write through links (one planted there would make it write where it points); name the folder it points to"
        )
    }

    /// Why a path holding `kind` is refused, or nil when it is written (as a file, or as a FIFO or device).
    private static func refusal(of kind: Platform.FileKind, at path: String) -> Failure? {
        switch kind {
        case .regularFile, .fifo, .characterDevice:
            return nil
        case .symbolicLink:
            return Failure(
                path: path,
                reason:
                    "a symbolic link: imaplog does not write through links (one planted there would make it overwrite the file it points to); name that file itself, or - for standard output"
            )
        case .folder:
            return Failure(path: path, reason: "a folder: name a file in it")
        case .blockDevice, .socket, .other:
            return Failure(
                path: path,
                reason:
                    "\(kind.description): imaplog writes to a file, a FIFO, a character device such as /dev/null, or - (standard output)"
            )
        }
    }

    /// Opens `path` for writing as described above.
    package static func open(_ path: String) -> Result<OutputFile, Failure> {
        if let fd = handedDescriptor(path) {
            guard Platform.isOpen(fd) else {
                return .failure(Failure(path: path, reason: "no such descriptor is open"))
            }
            return .success(OutputFile(path: path, descriptor: fd, destination: .handed))
        }
        if let refused = linkAmongFolders(of: path) { return .failure(refused) }
        var kind: Platform.FileKind?
        switch Platform.kind(ofItemAt: path) {
        case .success(let found): kind = found
        case .failure(let error) where error.number == Platform.noSuchFile: kind = nil
        case .failure(let error): return .failure(Failure(path: path, reason: error.description))
        }
        if let kind, let refused = refusal(of: kind, at: path) { return .failure(refused) }
        if kind == .fifo || kind == .characterDevice {
            switch Platform.openDeviceForWriting(path) {
            case .success(let fd):
                return .success(OutputFile(path: path, descriptor: fd, destination: .device))
            case .failure(let error) where error.number == Platform.noReader:
                return .failure(Failure(path: path, reason: "a FIFO that no process reads"))
            case .failure(let error):
                if let swapped = error.refusedKind, let refused = refusal(of: swapped, at: path) {
                    return .failure(refused)
                }
                return .failure(Failure(path: path, reason: error.description))
            }
        }
        for _ in 0..<partialNameAttempts {
            let partial = path + ".imaplog-partial-" + randomHex()
            switch Platform.createExclusively(partial) {
            case .success(let fd):
                return .success(OutputFile(path: path, descriptor: fd, destination: .partial(partial)))
            case .failure(let error) where error.number == Platform.fileExists:
                continue
            case .failure(let error):
                return .failure(Failure(path: path, reason: error.description))
            }
        }
        return .failure(Failure(path: path, reason: "no free name for a file beside it"))
    }

    /// Writes `bytes`; after a failure, nothing more is written (`commit` says what failed).
    package func write(_ bytes: ArraySlice<UInt8>) {
        guard failedWith == nil, !isFinished else { return }
        switch bytes.withUnsafeBytes({ Platform.writeAll(descriptor, $0) }) {
        case .written: break
        case .closedPipe: failedWith = 0
        case .failed(let code): failedWith = code
        }
    }

    /// Finishes the file: closes what was opened here and, for a partial file, puts it in the target's place.
    ///
    /// Any write, close or rename that failed is the failure (and the partial file is removed).
    package func commit() -> Result<Void, Failure> {
        guard !isFinished else { return .success(()) }
        isFinished = true
        var failure = failedWith.map { code in
            Failure(path: path, reason: code == 0 ? "the reader went away" : Platform.describe(errorNumber: code))
        }
        switch destination {
        case .handed:
            break
        case .device:
            if !Platform.closeWritten(descriptor) && failure == nil {
                failure = Failure(path: path, reason: "the last writes failed")
            }
        case .partial(let partial):
            if !Platform.closeWritten(descriptor) && failure == nil {
                failure = Failure(path: path, reason: "the last writes failed")
            }
            if failure == nil, case .failure(let error) = Platform.replace(path, with: partial) {
                failure = Failure(path: path, reason: error.description)
            }
            if failure != nil { Platform.removeFile(partial) }
        }
        return failure.map { .failure($0) } ?? .success(())
    }

    /// Gives up: a partial file is removed, the target left as it was.
    package func discard() {
        guard !isFinished else { return }
        isFinished = true
        switch destination {
        case .handed: break
        case .device: _ = Platform.closeWritten(descriptor)
        case .partial(let partial):
            _ = Platform.closeWritten(descriptor)
            Platform.removeFile(partial)
        }
    }

    /// The folder holding `path` (`.` for a bare name).
    static func parentFolder(of path: String) -> String {
        guard let slash = path.lastIndex(where: { $0 == "/" || $0 == "\\" }) else { return "." }
        return slash == path.startIndex ? String(path[...slash]) : String(path[..<slash])
    }

    /// 16 hex digits from the system's random source: a partial file's name nobody can plant a link at ahead.
    private static func randomHex() -> String {
        let digits = String(UInt64.random(in: .min ... .max), radix: 16)
        return String(repeating: "0", count: 16 - digits.count) + digits
    }
}
