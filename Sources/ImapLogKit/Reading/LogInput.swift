/// One log to read: a file, a `.gz` file, an entry of a `.zip` archive, or standard input.
public struct LogInput: Sendable, Hashable {
    /// Where the bytes come from.
    public enum Location: Sendable, Hashable {
        case file(path: String)
        case gzipFile(path: String)
        case zipEntry(archive: String, entry: ZipEntryReference)
        case standardInput
    }

    public var location: Location
    /// How reports name it: the path, `archive.zip!folder/IMAP4….LOG`, or `-`.
    public var displayPath: String
    /// Front end or back end, from the file name; `.unknown` leaves it to each record's port.
    public var role: Role
    /// The server that wrote it, from the folder it was collected in, when that is named like a host.
    public var serverHint: String?
    /// Files with the same key are one server's roll-over sequence, read in order as one stream.
    var streamKey: String
    /// Position in that sequence.
    var orderKey: String

    /// Opens the input's bytes.
    func open(standardInput: Platform.Descriptor) throws(ImapLogError) -> ByteSource {
        switch location {
        case .file(let path):
            return try DescriptorByteSource(path: path)
        case .gzipFile(let path):
            return try InflatingByteSource(wrapping: try DescriptorByteSource(path: path), format: .gzip, path: path)
        case .zipEntry(let archive, let reference):
            return try ZipDirectory.open(entry: reference.entry, archivePath: archive)
        case .standardInput:
            return GzipSniffingByteSource(
                inner: DescriptorByteSource(borrowing: standardInput, name: "standard input"),
                path: "standard input")
        }
    }
}

/// A `.zip` entry, wrapped so that `LogInput` stays a plain value.
public struct ZipEntryReference: Sendable, Hashable {
    let entry: ZipDirectory.Entry

    public static func == (lhs: ZipEntryReference, rhs: ZipEntryReference) -> Bool {
        lhs.entry.name == rhs.entry.name && lhs.entry.localHeaderOffset == rhs.entry.localHeaderOffset
    }

    public func hash(into hasher: inout Hasher) {
        hasher.combine(entry.name)
        hasher.combine(entry.localHeaderOffset)
    }
}

/// Standard input may carry a `.gz` file (`imaplog - < IMAP4BE….LOG.gz`): look at the first bytes and
/// decompress when they are gzip's magic number.
final class GzipSniffingByteSource: ByteSource {
    private let inner: ByteSource
    private let path: String
    private var resolved: ByteSource?
    private var head: [UInt8] = []
    private var headOffset = 0

    init(inner: ByteSource, path: String) {
        self.inner = inner
        self.path = path
    }

    func read(into buffer: UnsafeMutableRawBufferPointer) throws(ImapLogError) -> Int {
        if let resolved { return try resolved.read(into: buffer) }
        // Read two bytes (a pipe may hand them over one at a time).
        var probe = [UInt8](repeating: 0, count: 2)
        var got = 0
        while got < 2 {
            let n = try probe.withUnsafeMutableBytes { raw in
                Result { () throws(ImapLogError) -> Int in
                    try inner.read(into: UnsafeMutableRawBufferPointer(rebasing: raw[got...]))
                }
            }.get()
            if n == 0 { break }
            got += n
        }
        let prefix = Array(probe[0..<got])
        let replay = ReplayingByteSource(prefix: prefix, then: inner)
        if got == 2 && prefix[0] == 0x1f && prefix[1] == 0x8b {
            resolved = try InflatingByteSource(wrapping: replay, format: .gzip, path: path)
        } else {
            resolved = replay
        }
        // Safe: assigned on both branches just above.
        return try resolved.unsafelyUnwrapped.read(into: buffer)
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
