// Files and descriptors: opening for reading or writing, what a path is, reading and writing bytes.

#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#elseif canImport(Darwin)
    import Darwin
#elseif os(Windows)
    import ucrt
    // What a path is is asked of Foundation there (no lstat); nowhere else does this file use it.
    import Foundation
#endif

extension Platform {
    /// What a path may turn out to be when it is opened for reading.
    package enum ReadPolicy: Sendable {
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
    package enum FileKind: Sendable, Equatable {
        case regularFile, folder, symbolicLink, fifo, characterDevice, blockDevice, socket, other

        /// The kind, with its article: "a FIFO (named pipe)", "a symbolic link".
        package var description: String {
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

    /// What is at `path`, a link taken as the link (`lstat`), or the `errno` (`noSuchFile`: nothing there).
    package static func kind(ofItemAt path: String) -> Result<FileKind, SystemError> {
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

    /// The first of the folders leading to `path` that is a symbolic link, or nil.
    ///
    /// The folders as written: `a`, then `a/b`, of `a/b/FILE`. The system's own links at the top of the file system (`/tmp` → `/private/tmp` on macOS,
    /// `/bin` → `usr/bin`), which only root can make, are not counted.
    package static func linkAmongFolders(of path: String) -> String? {
        #if os(Windows)
            return nil
        #else
            let isAbsolute = path.hasPrefix("/")
            let components = path.split(separator: "/", omittingEmptySubsequences: true).dropLast()
            var prefix = isAbsolute ? "" : nil as String?
            for (index, component) in components.enumerated() {
                let current = prefix.map { $0 + "/" + component } ?? String(component)
                prefix = current
                guard component != "." else { continue }
                var info = stat()
                guard lstat(current, &info) == 0 else { return nil }
                guard FileKind(mode: info.st_mode) == .symbolicLink else { continue }
                if isAbsolute && index == 0 && info.st_uid == 0 { continue }
                return current
            }
            return nil
        #endif
    }

    /// What `path` is once links are followed (`stat`): a folder named through a link is a folder.
    package static func kind(ofFolderAt path: String) -> Result<FileKind, SystemError> {
        #if os(Windows)
            return kind(ofItemAt: path)
        #else
            var info = stat()
            guard stat(path, &info) == 0 else { return .failure(SystemError(number: lastErrorNumber)) }
            return .success(FileKind(mode: info.st_mode))
        #endif
    }

    /// Whether `fd` is an open descriptor of this process.
    package static func isOpen(_ fd: Descriptor) -> Bool {
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

    /// Creates `path` as a new file for writing, readable by all (0644 less the umask): never an existing file,
    /// never through a link (`O_CREAT | O_EXCL | O_NOFOLLOW`); `EEXIST` when anything is there.
    package static func createExclusively(_ path: String) -> Result<Descriptor, SystemError> {
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
    package static func openDeviceForWriting(_ path: String) -> Result<Descriptor, SystemError> {
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
    package static func closeWritten(_ fd: Descriptor) -> Bool {
        #if os(Windows)
            return _close(fd) == 0
        #else
            return closeDescriptor(fd) == 0
        #endif
    }

    /// Puts the file `from` in the place of `to`, replacing it (one step where the system allows it).
    ///
    /// Whatever is at `to` then (a link planted meanwhile) is replaced as a name, never followed.
    package static func replace(_ to: String, with from: String) -> Result<Void, SystemError> {
        #if os(Windows)
            _ = _unlink(to)
        #endif
        return rename(from, to) == 0 ? .success(()) : .failure(SystemError(number: lastErrorNumber))
    }

    /// Deletes the file `path`, if it can.
    package static func removeFile(_ path: String) {
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

    /// The path with every symbolic link, `.` and `..` resolved (the C library's `realpath`), or nil when it does
    /// not exist.
    ///
    /// Two spellings of one file (`logs/a.LOG`, `./logs/a.LOG`, a link to it) give the same answer.
    package static func canonicalPath(_ path: String) -> String? {
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
}

#if !os(Windows)
    @inline(__always)
    private func systemRead(_ fd: Int32, _ base: UnsafeMutableRawPointer, _ count: Int) -> Int {
        read(fd, base, count)
    }
#endif
