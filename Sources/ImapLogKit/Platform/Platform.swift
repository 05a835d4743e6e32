// The one file that calls the operating system directly. Everything else in the package goes
// through these functions, so a port (Windows) only has to touch this file.

#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#elseif canImport(Darwin)
    import Darwin
#elseif os(Windows)
    import ucrt
    // Folders are listed through Foundation there (no dirent); nowhere else does this file use it.
    import Foundation
#endif

/// Thin, throwing wrappers over the system calls imaplog needs.
public enum Platform {
    /// An open file descriptor.
    public typealias Descriptor = Int32

    /// Descriptor of standard input.
    public static let standardInput: Descriptor = 0
    /// Descriptor of standard output.
    public static let standardOutput: Descriptor = 1
    /// Descriptor of standard error.
    public static let standardError: Descriptor = 2

    /// The current `errno`.
    static var lastErrorNumber: Int32 {
        #if os(Windows)
            var value: Int32 = 0
            _get_errno(&value)
            return value
        #else
            return errno
        #endif
    }

    /// A sentence for an `errno` value, such as "No such file or directory".
    public static func describe(errorNumber: Int32) -> String {
        guard let text = strerror(errorNumber) else { return "error \(errorNumber)" }
        return String(cString: text)
    }

    /// What a path may turn out to be when it is opened for reading.
    public enum ReadPolicy: Sendable {
        /// A path the user named: links followed, and a FIFO or a device read as it is (`imaplog <(zcat …)`).
        case asNamed
        /// A regular file, through links: an archive or a summary (read at offsets, or twice).
        case regularFile
        /// A file found in a folder search: a regular file, never through a link.
        case regularFileFound
    }

    /// Opens `path` read-only; returns the descriptor or why not.
    ///
    /// Except `.asNamed`, the open waits for nothing (`O_NONBLOCK`: a FIFO with no writer would block the open
    /// itself) and the type is checked on the descriptor opened, not on the path beforehand, so a file swapped for
    /// a FIFO, a device or a link after a folder search is refused, never waited on or read forever.
    static func openForReading(_ path: String, policy: ReadPolicy = .regularFile) -> Result<Descriptor, SystemError> {
        #if os(Windows)
            let fd = _open(path, _O_RDONLY | _O_BINARY)
            return fd >= 0 ? .success(fd) : .failure(SystemError(number: lastErrorNumber))
        #else
            var flags = O_RDONLY | O_CLOEXEC
            if policy != .asNamed { flags |= O_NONBLOCK | O_NOCTTY }
            if policy == .regularFileFound { flags |= O_NOFOLLOW }
            let fd = open(path, flags)
            guard fd >= 0 else {
                let code = lastErrorNumber
                // O_NOFOLLOW met a link: ELOOP (EMLINK on FreeBSD). Said as a link, not as "too many levels".
                if policy == .regularFileFound && (code == ELOOP || code == EMLINK),
                    case .success(.symbolicLink) = kind(ofItemAt: path)
                {
                    return .failure(SystemError(number: code, refusedKind: .symbolicLink))
                }
                return .failure(SystemError(number: code))
            }
            guard policy != .asNamed else { return .success(fd) }
            let opened = kind(of: fd)
            guard opened == .regularFile else {
                closeDescriptor(fd)
                return .failure(SystemError(number: EINVAL, refusedKind: opened ?? .other))
            }
            // Reads of a regular file never wait anyway; cleared so that nothing downstream meets EAGAIN.
            let status = fcntl(fd, F_GETFL)
            if status >= 0 { _ = fcntl(fd, F_SETFL, status & ~O_NONBLOCK) }
            return .success(fd)
        #endif
    }

    /// What a file system object is.
    public enum FileKind: Sendable, Equatable {
        case regularFile, folder, symbolicLink, fifo, characterDevice, blockDevice, socket, other

        /// The kind, with its article: "a FIFO (named pipe)", "a symbolic link".
        public var description: String {
            switch self {
            case .regularFile: return "a regular file"
            case .folder: return "a folder"
            case .symbolicLink: return "a symbolic link"
            case .fifo: return "a FIFO (named pipe)"
            case .characterDevice: return "a character device"
            case .blockDevice: return "a block device"
            case .socket: return "a socket"
            case .other: return "neither a file nor a folder"
            }
        }

        #if !os(Windows)
            init(mode: mode_t) {
                switch mode & S_IFMT {
                case S_IFREG: self = .regularFile
                case S_IFDIR: self = .folder
                case S_IFLNK: self = .symbolicLink
                case S_IFIFO: self = .fifo
                case S_IFCHR: self = .characterDevice
                case S_IFBLK: self = .blockDevice
                case S_IFSOCK: self = .socket
                default: self = .other
                }
            }
        #endif
    }

    /// `ENOENT`: nothing at the path.
    public static let noSuchFile = ENOENT
    /// `EEXIST`: something at the path already.
    public static let fileExists = EEXIST
    /// `ENXIO`: a FIFO opened for writing without waiting, that no process reads.
    public static let noReader = ENXIO

    /// What is at `path`, a link taken as the link (`lstat`), or the `errno` (`noSuchFile`: nothing there).
    public static func kind(ofItemAt path: String) -> Result<FileKind, SystemError> {
        #if os(Windows)
            // No FIFOs or devices to tell apart among the files a search or a summary meets.
            var isFolder: ObjCBool = false
            guard FileManager.default.fileExists(atPath: path, isDirectory: &isFolder) else {
                return .failure(SystemError(number: ENOENT))
            }
            return .success(isFolder.boolValue ? .folder : .regularFile)
        #else
            var info = stat()
            guard lstat(path, &info) == 0 else { return .failure(SystemError(number: lastErrorNumber)) }
            return .success(FileKind(mode: info.st_mode))
        #endif
    }

    /// What `path` is once links are followed (`stat`): a folder named through a link is a folder.
    public static func kind(ofFolderAt path: String) -> Result<FileKind, SystemError> {
        #if os(Windows)
            return kind(ofItemAt: path)
        #else
            var info = stat()
            guard stat(path, &info) == 0 else { return .failure(SystemError(number: lastErrorNumber)) }
            return .success(FileKind(mode: info.st_mode))
        #endif
    }

    /// Whether `fd` is an open descriptor of this process.
    public static func isOpen(_ fd: Descriptor) -> Bool {
        #if os(Windows)
            return fd >= 0 && fd <= 2
        #else
            return fcntl(fd, F_GETFD) != -1
        #endif
    }

    /// What the open descriptor is, or nil when the system will not say.
    static func kind(of fd: Descriptor) -> FileKind? {
        #if os(Windows)
            return .regularFile
        #else
            var info = stat()
            guard fstat(fd, &info) == 0 else { return nil }
            return FileKind(mode: info.st_mode)
        #endif
    }

    /// One entry of a folder, its name as the file system holds it.
    public struct FolderEntry: Sendable, Equatable {
        /// The name, when it is UTF-8; nil when it is not (such a path cannot be spelt as a `String` to open it).
        public var name: String?
        /// The name to show: UTF-8 as it is, each byte that is not UTF-8 as `\xNN`.
        public var displayName: String
        /// What the entry is, links taken as links.
        public var kind: FileKind
    }

    /// The entries of the folder `path` (without `.` and `..`), in the order the system gives them.
    ///
    /// With `followingLink` false the folder itself is opened with `O_NOFOLLOW`: a subfolder swapped for a link
    /// after its parent was listed is not followed. Each entry's kind is read without following links.
    public static func listFolder(_ path: String, followingLink: Bool) -> Result<[FolderEntry], SystemError> {
        #if os(Windows)
            do {
                let names = try FileManager.default.contentsOfDirectory(atPath: path)
                return .success(
                    names.map { name in
                        var isFolder: ObjCBool = false
                        _ = FileManager.default.fileExists(atPath: path + "\\" + name, isDirectory: &isFolder)
                        return FolderEntry(
                            name: name, displayName: name, kind: isFolder.boolValue ? .folder : .regularFile)
                    })
            } catch {
                return .failure(SystemError(number: EACCES))
            }
        #else
            var flags = O_RDONLY | O_DIRECTORY | O_CLOEXEC | O_NONBLOCK
            if !followingLink { flags |= O_NOFOLLOW }
            let fd = open(path, flags)
            guard fd >= 0 else { return .failure(SystemError(number: lastErrorNumber)) }
            guard let folder = fdopendir(fd) else {
                let code = lastErrorNumber
                closeDescriptor(fd)
                return .failure(SystemError(number: code))
            }
            defer { closedir(folder) }
            // Where d_name sits in a dirent: the struct's own layout, so it holds with every C library.
            guard let nameOffset = MemoryLayout<dirent>.offset(of: \dirent.d_name) else {
                return .failure(SystemError(number: EINVAL))
            }
            var entries: [FolderEntry] = []
            while true {
                errno = 0
                guard let entry = readdir(folder) else {
                    // NULL with errno set: the listing broke off (an I/O error on a share).
                    let code = lastErrorNumber
                    if code != 0 { return .failure(SystemError(number: code)) }
                    break
                }
                // The name is NUL-terminated within the entry the system wrote (never past it: d_name may be
                // shorter than its declared size).
                let namePointer = (UnsafeRawPointer(entry) + nameOffset).assumingMemoryBound(to: CChar.self)
                let bytes = UnsafeRawBufferPointer(start: namePointer, count: strlen(namePointer))
                if bytes.elementsEqual(".".utf8) || bytes.elementsEqual("..".utf8) { continue }
                var info = stat()
                let kind =
                    fstatat(dirfd(folder), namePointer, &info, AT_SYMLINK_NOFOLLOW) == 0
                    ? FileKind(mode: info.st_mode) : FileKind.other
                let decoded = decodeName(bytes)
                entries.append(FolderEntry(name: decoded.name, displayName: decoded.display, kind: kind))
            }
            return .success(entries)
        #endif
    }

    /// A file name's bytes as a `String` when they are UTF-8, and as shown: each byte that is not UTF-8 as `\xNN`.
    static func decodeName(_ bytes: UnsafeRawBufferPointer) -> (name: String?, display: String) {
        if let name = String(validating: bytes, as: UTF8.self) { return (name, name) }
        var display = ""
        var parser = Unicode.UTF8.ForwardParser()
        var iterator = bytes.makeIterator()
        var offset = 0
        while true {
            switch parser.parseScalar(from: &iterator) {
            case .valid(let encoded):
                display.unicodeScalars.append(Unicode.UTF8.decode(encoded))
                offset += encoded.count
            case .error(let length):
                for byte in bytes[offset..<(offset + length)] {
                    let digits = String(byte, radix: 16, uppercase: true)
                    display += "\\x" + (digits.count == 1 ? "0" : "") + digits
                }
                offset += length
            case .emptyInput:
                return (nil, display)
            }
        }
    }

    /// Creates `path` as a new file for writing, readable by all (0644 less the umask): never an existing file,
    /// never through a link (`O_CREAT | O_EXCL | O_NOFOLLOW`); `EEXIST` when anything is there.
    public static func createExclusively(_ path: String) -> Result<Descriptor, SystemError> {
        #if os(Windows)
            let fd = _open(path, _O_WRONLY | _O_CREAT | _O_EXCL | _O_BINARY, _S_IREAD | _S_IWRITE)
        #else
            let fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0o644)
        #endif
        return fd >= 0 ? .success(fd) : .failure(SystemError(number: lastErrorNumber))
    }

    /// Opens an existing FIFO or character device (`/dev/null`) for writing as it is: never created, emptied or
    /// replaced, and not through a link.
    ///
    /// A FIFO that no process reads is refused at once (`ENXIO`) rather than waited on. Anything else found once
    /// open (a link or a regular file swapped in) is refused with its kind, nothing written.
    public static func openDeviceForWriting(_ path: String) -> Result<Descriptor, SystemError> {
        #if os(Windows)
            let fd = _open(path, _O_WRONLY | _O_BINARY)
            return fd >= 0 ? .success(fd) : .failure(SystemError(number: lastErrorNumber))
        #else
            let fd = open(path, O_WRONLY | O_NONBLOCK | O_NOCTTY | O_NOFOLLOW | O_CLOEXEC)
            guard fd >= 0 else {
                let code = lastErrorNumber
                if code == ELOOP || code == EMLINK, case .success(.symbolicLink) = kind(ofItemAt: path) {
                    return .failure(SystemError(number: code, refusedKind: .symbolicLink))
                }
                return .failure(SystemError(number: code))
            }
            let opened = kind(of: fd)
            guard opened == .fifo || opened == .characterDevice else {
                closeDescriptor(fd)
                return .failure(SystemError(number: EINVAL, refusedKind: opened ?? .other))
            }
            // Writes then wait for a slow reader instead of failing with EAGAIN.
            let status = fcntl(fd, F_GETFL)
            if status >= 0 { _ = fcntl(fd, F_SETFL, status & ~O_NONBLOCK) }
            return .success(fd)
        #endif
    }

    /// Closes a descriptor written to; false when the last writes failed (a full disk or share shows here on
    /// some file systems: NFS, SMB).
    public static func closeWritten(_ fd: Descriptor) -> Bool {
        #if os(Windows)
            return _close(fd) == 0
        #else
            return closeDescriptor(fd) == 0
        #endif
    }

    /// Puts the file `from` in the place of `to`, replacing it (one step where the system allows it).
    ///
    /// Whatever is at `to` then (a link planted meanwhile) is replaced as a name, never followed.
    public static func replace(_ to: String, with from: String) -> Result<Void, SystemError> {
        #if os(Windows)
            _ = _unlink(to)
        #endif
        return rename(from, to) == 0 ? .success(()) : .failure(SystemError(number: lastErrorNumber))
    }

    /// Deletes the file `path`, if it can.
    public static func removeFile(_ path: String) {
        #if os(Windows)
            _ = _unlink(path)
        #else
            _ = unlink(path)
        #endif
    }

    /// A new file for imaplog's own scratch data, open for reading and writing and already removed from its
    /// folder, so nothing is left behind however the process ends; nil where none can be made.
    ///
    /// The folder is `TMPDIR` if set, else `/var/tmp` (on disk, where `/tmp` is often memory), else `/tmp`.
    /// Not offered on Windows, where the positioned writes and reads it is used with have no equivalent here.
    static func openScratchFile() -> Descriptor? {
        #if os(Windows)
            return nil
        #else
            var folders = ["/var/tmp", "/tmp"]
            if let chosen = getenv("TMPDIR"), chosen.pointee != 0 { folders.insert(String(cString: chosen), at: 0) }
            for folder in folders {
                // mkstemp fills in the X's; the array is never empty (it ends in NUL), so its base address exists.
                var template = Array("\(folder)/imaplog-scratch-XXXXXX".utf8CString)
                let fd = template.withUnsafeMutableBufferPointer { mkstemp($0.baseAddress.unsafelyUnwrapped) }
                guard fd >= 0 else { continue }
                template.withUnsafeBufferPointer { _ = unlink($0.baseAddress.unsafelyUnwrapped) }
                _ = fcntl(fd, F_SETFD, FD_CLOEXEC)
                return fd
            }
            return nil
        #endif
    }

    /// Writes all of `bytes` at `offset` without moving the file position, retrying short writes and `EINTR`;
    /// false on any other failure (a full disk).
    static func writeAll(_ fd: Descriptor, _ bytes: UnsafeRawBufferPointer, at offset: Int64) -> Bool {
        #if os(Windows)
            return false
        #else
            guard var base = bytes.baseAddress else { return true }
            var remaining = bytes.count
            var position = offset
            while remaining > 0 {
                let n = pwrite(fd, base, remaining, off_t(position))
                if n < 0 {
                    if lastErrorNumber == EINTR { continue }
                    return false
                }
                if n == 0 { return false }
                remaining -= n
                base += n
                position += Int64(n)
            }
            return true
        #endif
    }

    /// Closes a descriptor; errors on close of a read-only file are of no use to anyone.
    static func close(_ fd: Descriptor) {
        #if os(Windows)
            _ = _close(fd)
        #else
            _ = closeDescriptor(fd)
        #endif
    }

    /// Reads up to `buffer.count` bytes; 0 means end of file.
    ///
    /// Retries on `EINTR`.
    static func read(_ fd: Descriptor, into buffer: UnsafeMutableRawBufferPointer) -> Result<Int, SystemError> {
        guard let base = buffer.baseAddress, buffer.count > 0 else { return .success(0) }
        while true {
            #if os(Windows)
                let n = Int(_read(fd, base, UInt32(min(buffer.count, Int(Int32.max)))))
            #else
                let n = systemRead(fd, base, buffer.count)
            #endif
            if n >= 0 { return .success(n) }
            let code = lastErrorNumber
            if code != EINTR { return .failure(SystemError(number: code)) }
        }
    }

    /// Reads up to `buffer.count` bytes at `offset` without moving the file position.
    static func read(
        _ fd: Descriptor, into buffer: UnsafeMutableRawBufferPointer, at offset: Int64
    ) -> Result<Int, SystemError> {
        guard let base = buffer.baseAddress, buffer.count > 0 else { return .success(0) }
        while true {
            #if os(Windows)
                guard _lseeki64(fd, offset, SEEK_SET) >= 0 else {
                    return .failure(SystemError(number: lastErrorNumber))
                }
                let n = Int(_read(fd, base, UInt32(min(buffer.count, Int(Int32.max)))))
            #else
                let n = pread(fd, base, buffer.count, off_t(offset))
            #endif
            if n >= 0 { return .success(n) }
            let code = lastErrorNumber
            if code != EINTR { return .failure(SystemError(number: code)) }
        }
    }

    /// Size in bytes of the open file, or nil for pipes and terminals.
    static func regularFileSize(_ fd: Descriptor) -> Int64? {
        #if os(Windows)
            let size = _filelengthi64(fd)
            return size >= 0 ? size : nil
        #else
            var info = stat()
            guard fstat(fd, &info) == 0, (info.st_mode & S_IFMT) == S_IFREG else { return nil }
            return Int64(info.st_size)
        #endif
    }

    /// Whether the descriptor is a terminal.
    public static func isTerminal(_ fd: Descriptor) -> Bool {
        #if os(Windows)
            return _isatty(fd) != 0
        #else
            return isatty(fd) != 0
        #endif
    }

    /// Width of the terminal on `fd` in columns, or nil when it is not a terminal.
    public static func terminalColumns(_ fd: Descriptor) -> Int? {
        #if os(Windows)
            return nil
        #else
            var size = winsize()
            #if canImport(Darwin)
                let request = UInt(TIOCGWINSZ)
            #else
                let request = UInt(TIOCGWINSZ)
            #endif
            guard ioctl(fd, request, &size) == 0, size.ws_col > 0 else { return nil }
            return Int(size.ws_col)
        #endif
    }

    /// Stops a closed pipe from killing the process, so writes fail with `EPIPE` instead.
    public static func ignoreBrokenPipeSignal() {
        #if !os(Windows)
            signal(SIGPIPE, SIG_IGN)
        #endif
    }

    /// Asks the allocator to hand freed memory back to the system soon (glibc; elsewhere nothing to do).
    ///
    /// glibc keeps up to 128 KiB of free memory at the top of its heap and lets the limit above which blocks are
    /// mapped on their own grow with the blocks freed, up to 32 MiB: with both fixed at 128 KiB, the tables each
    /// stream builds and frees are given back instead of kept. Peak memory over 17 GB of logs: 62 to 67 MiB, then
    /// 56 to 58 MiB, at the same speed.
    public static func returnFreedMemoryPromptly() {
        #if canImport(Glibc)
            // `mallopt` is in <malloc.h>, which Swift's Glibc module leaves out: looked up by name. Its options, from
            // that header: M_TRIM_THRESHOLD -1, M_MMAP_THRESHOLD -3.
            typealias MallocOption = @convention(c) (Int32, Int32) -> Int32
            guard let symbol = dlsym(UnsafeMutableRawPointer(bitPattern: 0), "mallopt") else { return }
            let mallopt = unsafeBitCast(symbol, to: MallocOption.self)
            _ = mallopt(-1, 128 * 1024)
            _ = mallopt(-3, 128 * 1024)
        #endif
    }

    /// Asks for a 1 MiB buffer on a pipe (`cat logs | imaplog -`), where Linux gives 64 KiB.
    ///
    /// The writer and the reader then hand over 16 times less often. On a loaded machine that counts: 1 GB
    /// through standard input took 3.5-3.7 s through a 1 MiB pipe against 4.5-4.6 s through a 64 KiB one (same
    /// writer, alternating runs). Nothing happens for other inputs or on other systems.
    public static func enlargePipeBuffer(_ fd: Descriptor) {
        #if os(Linux)
            var info = stat()
            guard fstat(fd, &info) == 0, (info.st_mode & S_IFMT) == S_IFIFO else { return }
            // F_SETPIPE_SZ, 1031 in <linux/fcntl.h> (not in Swift's Glibc module). Past /proc/sys/fs/pipe-max-size
            // (1 MiB by default) an unprivileged process is refused, and the pipe stays as it was.
            _ = fcntl(fd, 1031, Int32(1 << 20))
        #endif
    }

    /// The outcome of writing to an output stream.
    public enum WriteOutcome: Equatable, Sendable {
        /// Everything was written.
        case written
        /// The reader went away (`imaplog … | head`).
        case closedPipe
        /// Another error, with its `errno`.
        case failed(Int32)
    }

    /// Writes all of `bytes` to `fd`, retrying short writes and `EINTR`.
    public static func writeAll(_ fd: Descriptor, _ bytes: UnsafeRawBufferPointer) -> WriteOutcome {
        guard var base = bytes.baseAddress else { return .written }
        var remaining = bytes.count
        while remaining > 0 {
            #if os(Windows)
                let n = Int(_write(fd, base, UInt32(min(remaining, Int(Int32.max)))))
            #else
                let n = write(fd, base, remaining)
            #endif
            if n < 0 {
                let code = lastErrorNumber
                if code == EINTR { continue }
                #if os(Windows)
                    return .failed(code)
                #else
                    return code == EPIPE ? .closedPipe : .failed(code)
                #endif
            }
            remaining -= n
            base += n
        }
        return .written
    }

    /// Closes standard output at the end of a run.
    ///
    /// A file on a full share may refuse the last writes only now (NFS, SMB). Nothing open there (`imaplog >&-`)
    /// is no failure.
    public static func closeStandardOutput() -> WriteOutcome {
        #if os(Windows)
            return _close(standardOutput) == 0 ? .written : .failed(lastErrorNumber)
        #else
            guard closeDescriptor(standardOutput) != 0 else { return .written }
            let code = lastErrorNumber
            // EINTR: POSIX leaves the descriptor's state open to question, Linux has closed it; nothing to retry.
            if code == EBADF || code == EINTR { return .written }
            return code == EPIPE ? .closedPipe : .failed(code)
        #endif
    }

    /// Hands memory the allocator holds but no longer uses back to the system.
    ///
    /// glibc keeps the freed memory of finished work in its arenas otherwise. A no-op where the C library has
    /// no such call.
    public static func releaseFreeMemory() {
        #if canImport(Glibc)
            // malloc_trim is glibc's, declared in <malloc.h>, which Swift's Glibc module leaves out: look it up.
            typealias Trim = @convention(c) (Int) -> Int32
            if let symbol = dlsym(UnsafeMutableRawPointer(bitPattern: 0), "malloc_trim") {
                _ = unsafeBitCast(symbol, to: Trim.self)(0)
            }
        #endif
    }

    /// The path with every symbolic link, `.` and `..` resolved (the C library's `realpath`), or nil when it does
    /// not exist.
    ///
    /// Two spellings of one file (`logs/a.LOG`, `./logs/a.LOG`, a link to it) give the same answer.
    public static func canonicalPath(_ path: String) -> String? {
        #if os(Windows)
            guard let full = _fullpath(nil, path, 0) else { return nil }
            defer { free(full) }
            return String(cString: full)
        #else
            guard let resolved = realpath(path, nil) else { return nil }
            defer { free(resolved) }
            return String(cString: resolved)
        #endif
    }

    /// The current time in milliseconds since 1970-01-01T00:00:00Z.
    public static func nowMilliseconds() -> Int64 {
        var spec = timespec()
        #if os(Windows)
            timespec_get(&spec, TIME_UTC)
        #else
            clock_gettime(CLOCK_REALTIME, &spec)
        #endif
        return Int64(spec.tv_sec) * 1000 + Int64(spec.tv_nsec) / 1_000_000
    }

    /// Whether `count` bytes at `a` and at `b` are equal: the C library's `memcmp`.
    @inline(__always)
    static func equalBytes(_ a: UnsafePointer<UInt8>, _ b: UnsafePointer<UInt8>, count: Int) -> Bool {
        count == 0 || memcmp(a, b, count) == 0
    }

    /// Finds `byte` in `count` bytes from `start`: the C library's `memchr`, vectorised.
    ///
    /// - Complexity: O(count), a few bytes a cycle.
    @inline(__always)
    static func findByte(_ byte: UInt8, in start: UnsafeRawPointer, count: Int) -> UnsafeRawPointer? {
        guard count > 0 else { return nil }
        return UnsafeRawPointer(memchr(start, Int32(byte), count))
    }
}

/// An `errno` value from a failed system call, or a file refused for what it is.
public struct SystemError: Error, Equatable, Sendable {
    /// The `errno` value.
    public let number: Int32
    /// What the file turned out to be when it was refused for it (a FIFO where a regular file was wanted); nil
    /// when the system itself refused.
    public var refusedKind: Platform.FileKind?

    public init(number: Int32, refusedKind: Platform.FileKind? = nil) {
        self.number = number
        self.refusedKind = refusedKind
    }

    /// The system's sentence for it, or what the refused file is.
    public var description: String {
        guard let refusedKind else { return Platform.describe(errorNumber: number) }
        return refusedKind == .other ? "not a regular file" : "\(refusedKind.description), not a regular file"
    }
}

#if !os(Windows)
    @inline(__always)
    private func systemRead(_ fd: Int32, _ base: UnsafeMutableRawPointer, _ count: Int) -> Int {
        read(fd, base, count)
    }

    @inline(__always)
    @discardableResult
    private func closeDescriptor(_ fd: Int32) -> Int32 {
        close(fd)
    }
#endif
