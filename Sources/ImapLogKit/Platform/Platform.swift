// The folder that calls the operating system directly. Everything else in the package goes through the functions
// of `Platform` (this file: descriptors and errors; `Platform+Files`, `+Folders`, `+StandardStreams`, `+Memory`:
// the rest), so a port (Windows) only has to touch this folder.

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
package enum Platform {
    /// An open file descriptor.
    package typealias Descriptor = Int32

    /// Descriptor of standard input.
    package static let standardInput: Descriptor = 0
    /// Descriptor of standard output.
    package static let standardOutput: Descriptor = 1
    /// Descriptor of standard error.
    package static let standardError: Descriptor = 2

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
    package static func describe(errorNumber: Int32) -> String {
        guard let text = strerror(errorNumber) else { return "error \(errorNumber)" }
        return String(cString: text)
    }

    /// `ENOENT`: nothing at the path.
    package static let noSuchFile = ENOENT
    /// `EEXIST`: something at the path already.
    package static let fileExists = EEXIST
    /// `ENXIO`: a FIFO opened for writing without waiting, that no process reads.
    package static let noReader = ENXIO

    /// The current time in milliseconds since 1970-01-01T00:00:00Z.
    package static func nowMilliseconds() -> Int64 {
        var spec = timespec()
        #if os(Windows)
            timespec_get(&spec, TIME_UTC)
        #else
            clock_gettime(CLOCK_REALTIME, &spec)
        #endif
        return Int64(spec.tv_sec) * 1000 + Int64(spec.tv_nsec) / 1_000_000
    }
}

/// An `errno` value from a failed system call, or a file refused for what it is.
package struct SystemError: Error, Equatable, Sendable {
    /// The `errno` value.
    package let number: Int32
    /// What the file turned out to be when it was refused for it (a FIFO where a regular file was wanted); nil
    /// when the system itself refused.
    package var refusedKind: Platform.FileKind?

    package init(number: Int32, refusedKind: Platform.FileKind? = nil) {
        self.number = number
        self.refusedKind = refusedKind
    }

    /// The system's sentence for it, or what the refused file is.
    package var description: String {
        guard let refusedKind else { return Platform.describe(errorNumber: number) }
        return refusedKind == .other ? "not a regular file" : "\(refusedKind.description), not a regular file"
    }
}

#if !os(Windows)
    /// The C library's `close`, by a name that `Platform.close` does not hide.
    @inline(__always)
    @discardableResult
    func closeDescriptor(_ fd: Int32) -> Int32 {
        close(fd)
    }
#endif
