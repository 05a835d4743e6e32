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

    /// Opens `path` read-only; returns the descriptor or the `errno` of the failure.
    static func openForReading(_ path: String) -> Result<Descriptor, SystemError> {
        #if os(Windows)
            let fd = _open(path, _O_RDONLY | _O_BINARY)
        #else
            let fd = open(path, O_RDONLY | O_CLOEXEC)
        #endif
        return fd >= 0 ? .success(fd) : .failure(SystemError(number: lastErrorNumber))
    }

    /// Creates (or empties) `path` for writing, readable by all (0644); returns the descriptor or the `errno`.
    public static func openForWriting(_ path: String) -> Result<Descriptor, SystemError> {
        #if os(Windows)
            let fd = _open(path, _O_WRONLY | _O_CREAT | _O_TRUNC | _O_BINARY, _S_IREAD | _S_IWRITE)
        #else
            let fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o644)
        #endif
        return fd >= 0 ? .success(fd) : .failure(SystemError(number: lastErrorNumber))
    }

    /// Closes a descriptor written to; false when the last writes failed (a full disk shows here on some file
    /// systems).
    public static func closeWritten(_ fd: Descriptor) -> Bool {
        #if os(Windows)
            return _close(fd) == 0
        #else
            return closeDescriptor(fd) == 0
        #endif
    }

    /// Puts the file `from` in the place of `to`, replacing it (one step where the system allows it).
    public static func replace(_ to: String, with from: String) -> Bool {
        #if os(Windows)
            _ = _unlink(to)
        #endif
        return rename(from, to) == 0
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

/// An `errno` value from a failed system call.
public struct SystemError: Error, Equatable, Sendable {
    /// The `errno` value.
    public let number: Int32
    /// The system's sentence for it.
    public var description: String { Platform.describe(errorNumber: number) }
}

#if !os(Windows)
    @inline(__always)
    private func systemRead(_ fd: Int32, _ base: UnsafeMutableRawPointer, _ count: Int) -> Int {
        read(fd, base, count)
    }

    @inline(__always)
    private func closeDescriptor(_ fd: Int32) -> Int32 {
        close(fd)
    }
#endif
