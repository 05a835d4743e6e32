/// A stream of bytes read front to back: a file, standard input, a decompressor.
///
/// Sources are single-threaded objects: each worker opens its own.
protocol ByteSource: AnyObject {
    /// Fills the start of `buffer` with up to `buffer.count` bytes and returns how many; 0 means the end.
    func read(into buffer: UnsafeMutableRawBufferPointer) throws(ImapLogError) -> Int
}

extension ByteSource {
    /// The next `count` bytes, or fewer at the end (a pipe may hand them over a few at a time).
    func readUpTo(_ count: Int) throws(ImapLogError) -> [UInt8] {
        var bytes = [UInt8](repeating: 0, count: count)
        var filled = 0
        while filled < count {
            let n = try bytes.withUnsafeMutableBytes { raw in
                Result { () throws(ImapLogError) -> Int in
                    try read(into: UnsafeMutableRawBufferPointer(rebasing: raw[filled...]))
                }
            }.get()
            if n == 0 { break }
            filled += n
        }
        return Array(bytes[0..<filled])
    }
}

/// Reads a file descriptor with `read(2)`: a regular file or standard input.
final class DescriptorByteSource: ByteSource {
    private let fd: Platform.Descriptor
    private let path: String
    private let ownsDescriptor: Bool
    private var offset: Int64 = 0

    /// Opens `path` for reading, as `policy` allows (by default a regular file, links followed).
    init(path: String, policy: Platform.ReadPolicy = .regularFile) throws(ImapLogError) {
        switch Platform.openForReading(path, policy: policy) {
        case .success(let fd): self.fd = fd
        case .failure(let error) where error.refusedKind != nil && policy == .regularFileFound:
            // Swapped for a FIFO, a device or a link since the folder search.
            throw ImapLogError.notRead(path: path, reason: InputDiscovery.notRegularReason(error.refusedKind))
        case .failure(let error): throw ImapLogError.cannotOpen(path: path, reason: error.description)
        }
        self.path = path
        self.ownsDescriptor = true
    }

    /// Reads an already open descriptor (standard input), which it does not close.
    init(borrowing fd: Platform.Descriptor, name: String) {
        self.fd = fd
        self.path = name
        self.ownsDescriptor = false
    }

    deinit {
        if ownsDescriptor { Platform.close(fd) }
    }

    func read(into buffer: UnsafeMutableRawBufferPointer) throws(ImapLogError) -> Int {
        switch Platform.read(fd, into: buffer) {
        case .success(let n):
            offset += Int64(n)
            return n
        case .failure(let error):
            throw ImapLogError.readFailed(path: path, byteOffset: offset, reason: error.description)
        }
    }
}

/// Reads `length` bytes of a file from `start` with positioned reads: a stored `.zip` entry,
/// or the compressed bytes of a deflated one.
final class FileRangeByteSource: ByteSource {
    private let fd: Platform.Descriptor
    private let path: String
    private var position: Int64
    private let end: Int64

    /// - Throws: `ImapLogError.badArchive` for a range no file can hold (negative, or ending past `Int64.max`: the
    ///   numbers come from an archive's directory), `cannotOpen` when the file cannot be opened.
    init(path: String, start: Int64, length: Int64) throws(ImapLogError) {
        guard start >= 0, length >= 0, start <= Int64.max - length else {
            throw ImapLogError.badArchive(
                path: path, reason: "a range of \(length) bytes at \(start) is outside any file")
        }
        switch Platform.openForReading(path) {
        case .success(let fd): self.fd = fd
        case .failure(let error): throw ImapLogError.cannotOpen(path: path, reason: error.description)
        }
        self.path = path
        self.position = start
        self.end = start + length
    }

    deinit { Platform.close(fd) }

    func read(into buffer: UnsafeMutableRawBufferPointer) throws(ImapLogError) -> Int {
        let wanted = Int(min(Int64(buffer.count), end - position))
        guard wanted > 0 else { return 0 }
        let target = UnsafeMutableRawBufferPointer(rebasing: buffer[0..<wanted])
        switch Platform.read(fd, into: target, at: position) {
        case .success(let n):
            if n == 0 {
                throw ImapLogError.readFailed(
                    path: path, byteOffset: position, reason: "the file ends before the archive says it does")
            }
            position += Int64(n)
            return n
        case .failure(let error):
            throw ImapLogError.readFailed(path: path, byteOffset: position, reason: error.description)
        }
    }
}

/// Bytes in memory as a source.
final class MemoryByteSource: ByteSource {
    private let bytes: [UInt8]
    private var offset = 0

    init(_ bytes: [UInt8]) { self.bytes = bytes }

    func read(into buffer: UnsafeMutableRawBufferPointer) throws(ImapLogError) -> Int {
        let n = min(buffer.count, bytes.count - offset)
        guard n > 0 else { return 0 }
        bytes.withUnsafeBytes { raw in
            buffer.baseAddress?.copyMemory(from: raw.baseAddress.unsafelyUnwrapped + offset, byteCount: n)
        }
        offset += n
        return n
    }
}

/// Hands out some bytes already read, then the rest of another source.
final class ReplayingByteSource: ByteSource {
    private var prefix: [UInt8]
    private var offset = 0
    private let rest: ByteSource

    init(prefix: [UInt8], then rest: ByteSource) {
        self.prefix = prefix
        self.rest = rest
    }

    func read(into buffer: UnsafeMutableRawBufferPointer) throws(ImapLogError) -> Int {
        if offset < prefix.count {
            let n = min(buffer.count, prefix.count - offset)
            prefix.withUnsafeBytes { raw in
                buffer.baseAddress?.copyMemory(from: raw.baseAddress.unsafelyUnwrapped + offset, byteCount: n)
            }
            offset += n
            return n
        }
        return try rest.read(into: buffer)
    }
}
