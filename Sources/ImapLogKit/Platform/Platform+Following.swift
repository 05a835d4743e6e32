// Following logs live (`imaplog watch`): what a file is now, stop signals, waiting, and a terminal's keys.

import Synchronization

#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#elseif canImport(Darwin)
    import Darwin
#elseif os(Windows)
    import ucrt
    import WinSDK
#endif

/// Set by SIGINT or SIGTERM once `Platform.catchStopSignals()` is called; read by `Platform.isStopRequested`.
///
/// An atomic, so the signal handler only stores (async-signal-safe) and the loop only loads.
private let stopSignal = Atomic<Int32>(0)

extension Platform {
    /// What identifies an open file and how long it is: a file replaced under the same name (log rotation by
    /// copy, a share remounted) has another identity; a file cut short keeps it and shrinks.
    package struct FileState: Sendable, Equatable {
        package var device: UInt64
        package var inode: UInt64
        package var size: Int64
    }

    /// The state of an open regular file, or nil when it is not one.
    static func state(of fd: Descriptor) -> FileState? {
        #if os(Windows)
            let size = _filelengthi64(fd)
            return size >= 0 ? FileState(device: 0, inode: 0, size: size) : nil
        #else
            var info = stat()
            guard fstat(fd, &info) == 0, (info.st_mode & S_IFMT) == S_IFREG else { return nil }
            return FileState(device: UInt64(info.st_dev), inode: UInt64(info.st_ino), size: Int64(info.st_size))
        #endif
    }

    /// Makes SIGINT (Ctrl-C) and SIGTERM set a flag (`isStopRequested`) instead of ending the process, so a watch
    /// ends with its final report.
    package static func catchStopSignals() {
        #if !os(Windows)
            signal(SIGINT) { _ in stopSignal.store(1, ordering: .relaxed) }
            signal(SIGTERM) { _ in stopSignal.store(1, ordering: .relaxed) }
            // A parent may have started us with them blocked (a test runner's thread, a service manager).
            var stops = sigset_t()
            sigemptyset(&stops)
            sigaddset(&stops, SIGINT)
            sigaddset(&stops, SIGTERM)
            pthread_sigmask(SIG_UNBLOCK, &stops, nil)
        #else
            signal(SIGINT) { _ in stopSignal.store(1, ordering: .relaxed) }
        #endif
    }

    /// Whether SIGINT or SIGTERM arrived since `catchStopSignals()`.
    package static var isStopRequested: Bool { stopSignal.load(ordering: .relaxed) != 0 }

    /// Waits up to `milliseconds` for input on `fd` (nil: just waits), returning early when a signal arrives.
    ///
    /// - Returns: whether `fd` has input to read.
    package static func wait(milliseconds: Int, forInputOn fd: Descriptor?) -> Bool {
        #if os(Windows)
            Sleep(DWORD(max(0, milliseconds)))
            return false
        #else
            var entry = pollfd(fd: fd ?? -1, events: Int16(POLLIN), revents: 0)
            let n = poll(&entry, 1, Int32(clamping: max(0, milliseconds)))
            return n > 0 && fd != nil && entry.revents & Int16(POLLIN) != 0
        #endif
    }

    /// A byte typed on `fd`, when one is waiting; nil otherwise (or at its end).
    package static func readKey(_ fd: Descriptor) -> UInt8? {
        var byte: UInt8 = 0
        #if os(Windows)
            return nil
        #else
            let n = readOneByte(fd, &byte)
            return n == 1 ? byte : nil
        #endif
    }

    /// A terminal's settings, kept to be put back.
    package struct TerminalSettings: @unchecked Sendable {
        #if !os(Windows)
            fileprivate var saved: termios
        #endif
    }

    /// Puts the terminal on `fd` in a mode where each key arrives at once, unechoed (so `q` ends a watch).
    ///
    /// Returns what to put back; nil when `fd` is no terminal. Ctrl-C still sends SIGINT.
    package static func enterKeyMode(_ fd: Descriptor) -> TerminalSettings? {
        #if os(Windows)
            return nil
        #else
            guard isatty(fd) != 0 else { return nil }
            var settings = termios()
            guard tcgetattr(fd, &settings) == 0 else { return nil }
            let saved = settings
            settings.c_lflag &= ~tcflag_t(ICANON | ECHO)
            withUnsafeMutableBytes(of: &settings.c_cc) { cc in
                cc[Int(VMIN)] = 0
                cc[Int(VTIME)] = 0
            }
            guard tcsetattr(fd, TCSANOW, &settings) == 0 else { return nil }
            return TerminalSettings(saved: saved)
        #endif
    }

    /// Puts back the terminal settings `enterKeyMode` changed.
    package static func restore(_ settings: TerminalSettings, on fd: Descriptor) {
        #if !os(Windows)
            var saved = settings.saved
            _ = tcsetattr(fd, TCSANOW, &saved)
        #endif
    }
}

#if !os(Windows)
    @inline(__always)
    private func readOneByte(_ fd: Int32, _ byte: UnsafeMutablePointer<UInt8>) -> Int {
        read(fd, byte, 1)
    }
#endif
