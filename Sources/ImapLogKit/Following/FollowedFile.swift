/// One log `LogFollower` follows: where it is, how far it has been read, and the parsers that carry its schema
/// from one read to the next.
struct FollowedFile {
    /// How a log is read while it is followed.
    enum Kind {
        /// A plain file: read up to its last line end at each look, the rest once written.
        case growing
        /// A `.gz` file, a `.zip` entry or a UTF-16 file: read whole once.
        case archived
    }

    var input: LogInput
    /// Its stream's place in `LogFollower.streams`.
    var stream: Int
    var kind: Kind
    /// Its identity and length when last read (nil: not opened yet).
    var state: Platform.FileState?
    /// Bytes read and counted: up to a line end.
    var offset: Int64 = 0
    /// Lines counted so far, so line numbers go on where the last read ended.
    var lineCount = 0
    /// Bumped when the file is cut short or replaced: its lines are then counted as another file of the same name.
    var generation = 0
    /// Whether the last folder search found it (a file rolled away by retention, or a share gone, is not).
    var isPresent = true
    /// An archive read whole already.
    var isRead = false
    /// Whether the exact count has an entry for this generation of the file.
    var isCounted = false
    /// The parsers of the two counts (each file states its own schema; a parser keeps it between reads).
    ///
    /// Kept only while the file grows (a few kilobytes each: a folder of a hundred thousand finished logs must not
    /// hold two per log); made again, from the file's header lines, when a file left alone grows again.
    var parsers: (exact: RecordParser, live: RecordParser)?
    /// Looks since the file last grew.
    var idleLooks = 0
    /// Its first bytes (up to `headLength`), as read: a file deleted and written again under the same name may
    /// get the same identity back (a freed inode is reused), but seldom the same first line.
    var head: [UInt8] = []
    /// The bytes just before `offset` (up to `headLength`): with `head`, what tells a copy of the file put in its
    /// place (rsync, a log collector: a new identity, the same bytes and more) from another file.
    var tail: [UInt8] = []
    static let headLength = 256
    /// Inside a line longer than a read, passed over until its end, where it is counted once as too long.
    var isDiscardingLine = false
    /// Started again (cut short or replaced) this many times.
    var restarts = 0

    init(input: LogInput, stream: Int) {
        self.input = input
        self.stream = stream
        switch input.location {
        case .file: kind = .growing
        case .gzipFile, .zipEntry, .standardInput: kind = .archived
        }
    }

    /// Starts the file again from its first byte: it was cut short or replaced.
    mutating func restart() {
        offset = 0
        lineCount = 0
        generation += 1
        isCounted = false
        parsers = (RecordParser(), RecordParser())
        head = []
        tail = []
        isDiscardingLine = false
        restarts += 1
    }
}

/// Bytes held in memory, handed out as a `ByteSource` (the part of a log read at one look).
final class BufferByteSource: ByteSource {
    private let bytes: UnsafeRawBufferPointer
    private var offset = 0

    init(_ bytes: UnsafeRawBufferPointer) { self.bytes = bytes }

    func read(into buffer: UnsafeMutableRawBufferPointer) throws(ImapLogError) -> Int {
        let n = min(buffer.count, bytes.count - offset)
        guard n > 0, let from = bytes.baseAddress, let to = buffer.baseAddress else { return 0 }
        to.copyMemory(from: from + offset, byteCount: n)
        offset += n
        return n
    }
}
