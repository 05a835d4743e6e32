/// One log to read: a file, a `.gz` file, an entry of a `.zip` archive, or standard input.
public struct LogInput: Sendable, Hashable {
    /// Where the bytes come from.
    public enum Location: Sendable, Hashable {
        case file(path: String)
        case gzipFile(path: String)
        /// Boxed: the entry's numbers would otherwise double the size of every input (4.5 MB for 40,000 files).
        indirect case zipEntry(archive: String, entry: ZipEntryReference)
        case standardInput
    }

    public var location: Location
    /// How reports name it: the path, `archive.zip!folder/IMAP4….LOG`, or `-`.
    public var displayPath: String
    /// Front end or back end, from the file name; `.unknown` leaves it to each record's port.
    public var role: Role
    /// The server that wrote it, from the folder it was collected in, when that is named like a host.
    public var serverHint: String?
    /// Named on the command line (links followed, a FIFO read as it is: `imaplog <(zcat …)`), rather than found
    /// in a folder (a regular file only, never through a link, refused if it has changed into anything else).
    public var isNamed = false

    /// Whether reading `opened` (this input, opened) on a thread of its own pays: decompression or decoding does;
    /// plain text does not, from a file (read from the page cache faster than the handover costs) or from a pipe
    /// (the reads cost the same on the parsing thread, without the copies and the third thread).
    func benefitsFromReadingAhead(_ opened: ByteSource) throws(ImapLogError) -> Bool {
        switch location {
        case .file: return false
        case .gzipFile, .zipEntry: return true
        case .standardInput: return try (opened as? SniffingByteSource)?.isDecoding() ?? true
        }
    }

    /// Opens the input's bytes, as UTF-8 (a UTF-16 file is decoded).
    func open(standardInput: Platform.Descriptor) throws(ImapLogError) -> ByteSource {
        let raw: ByteSource
        switch location {
        case .file(let path):
            raw = try DescriptorByteSource(path: path, policy: isNamed ? .asNamed : .regularFileFound)
        case .gzipFile(let path):
            raw = try InflatingByteSource(
                wrapping: try DescriptorByteSource(path: path, policy: isNamed ? .asNamed : .regularFileFound),
                format: .gzip, path: path)
        case .zipEntry(let archive, let reference):
            raw = try ZipDirectory.open(entry: reference.entry, archivePath: archive)
        case .standardInput:
            Platform.enlargePipeBuffer(standardInput)
            return SniffingByteSource(
                inner: DescriptorByteSource(borrowing: standardInput, name: "standard input"),
                path: "standard input", detectsGzip: true)
        }
        return SniffingByteSource(inner: raw, path: displayPath, detectsGzip: false)
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
