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

    /// `ENOENT`: nothing at the path.
    public static let noSuchFile = ENOENT
    /// `EEXIST`: something at the path already.
    public static let fileExists = EEXIST
    /// `ENXIO`: a FIFO opened for writing without waiting, that no process reads.
    public static let noReader = ENXIO

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
    /// The C library's `close`, by a name that `Platform.close` does not hide.
    @inline(__always)
    @discardableResult
    func closeDescriptor(_ fd: Int32) -> Int32 {
        close(fd)
    }
#endif
