import CZlib

/// The central directory of a `.zip` archive: enough to stream its entries (stored or deflated).
///
/// Written here rather than taken from a package, to keep imaplog a single dependency-free binary.
/// Handles Zip64 sizes and offsets; refuses encrypted entries and methods other than 0 and 8.
///
/// Archives come from shares others can write, so every number read is checked before it is used: sizes and
/// offsets must lie inside the file (a Zip64 field may hold anything up to 2^64 - 1), and no two entries may
/// share bytes, nor an entry the central directory's. A zip bomb made of entries that all point at the same
/// compressed bytes (8.5 MB inflating to 70 TB) is refused whole: no real archiver writes one.
struct ZipDirectory {
    /// One file in the archive.
    struct Entry: Equatable, Sendable {
        /// The path inside the archive, with `/` separators.
        var name: String
        /// 0 stored, 8 deflated; anything else is unsupported.
        var method: UInt16
        var compressedSize: Int64
        var uncompressedSize: Int64
        /// The CRC-32 of the uncompressed bytes, as the central directory says (right even when the local header,
        /// written before the data, leaves it 0 for a data descriptor).
        var crc32: UInt32 = 0
        var localHeaderOffset: Int64
        var isEncrypted: Bool
        /// Where the next entry's local header, or the central directory, starts: the entry's header and data end
        /// at or before it (checked when the entry is opened, as the local header says how long it is).
        var spanEnd: Int64
        var isDirectory: Bool { name.hasSuffix("/") }
    }

    var entries: [Entry]

    /// Largest central directory read; a real log archive's is far smaller.
    ///
    /// It is read whole: a year of hourly logs from five servers (43,800 entries) takes under 4 MB.
    static let maxDirectorySize: Int64 = 64 << 20

    /// The fixed part of a local file header; its name and extra field follow.
    private static let localHeaderSize: Int64 = 30

    /// Reads the central directory of the archive at `path`.
    ///
    /// - Throws: `ImapLogError.badArchive` when the archive is damaged or crafted: a size or offset outside the
    ///   file, entries that share bytes.
    static func read(path: String) throws(ImapLogError) -> ZipDirectory {
        let size: Int64
        switch Platform.openForReading(path) {
        case .success(let fd):
            size = Platform.regularFileSize(fd) ?? 0
            Platform.close(fd)
        case .failure(let error):
            throw ImapLogError.cannotOpen(path: path, reason: error.description)
        }
        func bad(_ reason: String) -> ImapLogError { .badArchive(path: path, reason: reason) }
        guard size >= 22 else { throw bad("too small to be a zip archive") }

        // The end-of-central-directory record sits in the last 22 + 65535 (comment) bytes.
        let tailLength = min(size, 22 + 65_535 + 20)
        let tail = try FileRangeByteSource(path: path, start: size - tailLength, length: tailLength)
            .readUpTo(Int(tailLength))
        guard let eocd = lastIndex(of: [0x50, 0x4b, 0x05, 0x06], in: tail, upTo: tail.count - 22) else {
            throw bad("no end-of-central-directory record")
        }
        // Kept unsigned as read: a Zip64 field may hold anything, and is compared with the file's size before
        // it becomes an offset.
        var entryCount = UInt64(tail.uint16(at: eocd + 10))
        var directorySize = UInt64(tail.uint32(at: eocd + 12))
        var directoryOffset = UInt64(tail.uint32(at: eocd + 16))
        let fileSize = UInt64(size)
        if entryCount == 0xFFFF || directorySize == 0xFFFF_FFFF || directoryOffset == 0xFFFF_FFFF {
            // Zip64: a locator just before the record points at the Zip64 end record.
            guard eocd >= 20, tail.uint32(at: eocd - 20) == 0x0706_4b50 else { throw bad("Zip64 locator missing") }
            let zip64Offset = tail.uint64(at: eocd - 20 + 8)
            guard fileSize >= 56, zip64Offset <= fileSize - 56 else { throw bad("Zip64 record out of range") }
            let record = try FileRangeByteSource(path: path, start: Int64(zip64Offset), length: 56).readUpTo(56)
            guard record.uint32(at: 0) == 0x0606_4b50 else { throw bad("Zip64 record missing") }
            entryCount = record.uint64(at: 32)
            directorySize = record.uint64(at: 40)
            directoryOffset = record.uint64(at: 48)
        }
        // Unsigned and bounded first, so neither the sum nor the conversions can overflow.
        guard directorySize <= UInt64(maxDirectorySize), directoryOffset <= fileSize,
            directorySize <= fileSize - directoryOffset
        else { throw bad("central directory out of range") }
        let directoryStart = Int64(directoryOffset)
        let directory = try FileRangeByteSource(path: path, start: directoryStart, length: Int64(directorySize))
            .readUpTo(Int(directorySize))

        var entries: [Entry] = []
        var at = 0
        // The directory is read to its end, whatever count the end record gives: one that says fewer entries
        // than the directory holds (or a count past 65,535 kept to 16 bits) must not hide the entries after it.
        while at + 46 <= directory.count {
            guard directory.uint32(at: at) == 0x0201_4b50 else {
                if UInt64(entries.count) >= entryCount { break }
                throw bad("damaged central directory entry")
            }
            let flags = directory.uint16(at: at + 8)
            let method = directory.uint16(at: at + 10)
            var compressed = UInt64(directory.uint32(at: at + 20))
            var uncompressed = UInt64(directory.uint32(at: at + 24))
            let crc32 = directory.uint32(at: at + 16)
            let nameLength = Int(directory.uint16(at: at + 28))
            let extraLength = Int(directory.uint16(at: at + 30))
            let commentLength = Int(directory.uint16(at: at + 32))
            var localOffset = UInt64(directory.uint32(at: at + 42))
            let nameStart = at + 46
            let extraStart = nameStart + nameLength
            let next = extraStart + extraLength + commentLength
            guard next <= directory.count else { throw bad("damaged central directory entry") }
            let name = String(decoding: directory[nameStart..<extraStart], as: UTF8.self)
                .replacing("\\", with: "/")
            // Zip64 extra field (id 1) holds, in order, whichever sizes were 0xFFFFFFFF.
            var field = extraStart
            while field + 4 <= extraStart + extraLength {
                let id = directory.uint16(at: field)
                let length = Int(directory.uint16(at: field + 2))
                var value = field + 4
                let fieldEnd = min(value + length, extraStart + extraLength)
                if id == 1 {
                    if uncompressed == 0xFFFF_FFFF, value + 8 <= fieldEnd {
                        uncompressed = directory.uint64(at: value)
                        value += 8
                    }
                    if compressed == 0xFFFF_FFFF, value + 8 <= fieldEnd {
                        compressed = directory.uint64(at: value)
                        value += 8
                    }
                    if localOffset == 0xFFFF_FFFF, value + 8 <= fieldEnd {
                        localOffset = directory.uint64(at: value)
                    }
                }
                field += 4 + length
            }
            // The entry's header and data lie before the central directory (checked again, exactly, on opening).
            guard localOffset <= directoryOffset, UInt64(localHeaderSize) <= directoryOffset - localOffset,
                compressed <= directoryOffset - localOffset - UInt64(localHeaderSize)
            else {
                throw bad("the entry \(name) lies outside the archive's data: damaged or crafted")
            }
            // Only said, never used to size anything; a value past Int64 is a lie like any other.
            guard let uncompressedSize = Int64(exactly: uncompressed) else {
                throw bad("the entry \(name) claims an impossible size")
            }
            entries.append(
                Entry(
                    name: name, method: method, compressedSize: Int64(compressed), uncompressedSize: uncompressedSize,
                    crc32: crc32, localHeaderOffset: Int64(localOffset), isEncrypted: flags & 1 != 0,
                    spanEnd: directoryStart))
            at = next
        }
        try setSpans(of: &entries, directoryStart: directoryStart, path: path)
        return ZipDirectory(entries: entries)
    }

    /// Gives each entry the end of its span (where the next one starts), and refuses entries that share bytes.
    ///
    /// Each span is at least a local header and the compressed data, from the entry's offset; sorted by offset,
    /// each must end at or before the next one's start. Every offset is already known to be inside the file.
    private static func setSpans(of entries: inout [Entry], directoryStart: Int64, path: String) throws(ImapLogError) {
        let order = entries.indices.sorted { entries[$0].localHeaderOffset < entries[$1].localHeaderOffset }
        for (position, index) in order.enumerated() {
            let entry = entries[index]
            let spanEnd = position + 1 < order.count ? entries[order[position + 1]].localHeaderOffset : directoryStart
            // No overflow: offset and size are each below the directory's start, itself inside the file.
            guard entry.localHeaderOffset + localHeaderSize + entry.compressedSize <= spanEnd else {
                let other = position + 1 < order.count ? entries[order[position + 1]].name : "the central directory"
                throw ImapLogError.badArchive(
                    path: path,
                    reason: "the entries \(entry.name) and \(other) share bytes, as in a zip bomb; "
                        + "no archiver writes that")
            }
            entries[index].spanEnd = spanEnd
        }
    }

    /// A source of the entry's uncompressed bytes (a `.gz` entry's, inflated too).
    ///
    /// - Throws: `ImapLogError.badArchive` when the entry cannot be read (encrypted, another method, a local
    ///   header that is missing or runs into the next entry).
    static func open(entry: Entry, archivePath: String) throws(ImapLogError) -> ByteSource {
        let display = "\(archivePath)!\(entry.name)"
        guard !entry.isEncrypted else {
            throw ImapLogError.badArchive(path: display, reason: "the entry is encrypted; extract it first")
        }
        guard entry.method == 0 || entry.method == 8 else {
            throw ImapLogError.badArchive(
                path: display, reason: "compression method \(entry.method) is not supported (only stored and deflate)")
        }
        let header = try FileRangeByteSource(
            path: archivePath, start: entry.localHeaderOffset, length: localHeaderSize
        ).readUpTo(Int(localHeaderSize))
        guard header.uint32(at: 0) == 0x0403_4b50 else {
            throw ImapLogError.badArchive(path: display, reason: "local header missing")
        }
        // At most 30 + 2 × 65,535 past an offset inside the file: no overflow.
        let dataStart =
            entry.localHeaderOffset + localHeaderSize + Int64(header.uint16(at: 26)) + Int64(header.uint16(at: 28))
        guard entry.compressedSize <= entry.spanEnd - dataStart else {
            throw ImapLogError.badArchive(
                path: display, reason: "the entry's data runs into the next entry's: damaged or crafted")
        }
        let raw = try FileRangeByteSource(path: archivePath, start: dataStart, length: entry.compressedSize)
        let inflated =
            entry.method == 0 ? nil : try InflatingByteSource(wrapping: raw, format: .rawDeflate, path: display)
        // The bytes are checked as they are handed out, against the directory's CRC-32 and size, as gzip checks
        // its members: damage the deflate data does not show (a stored entry, a flipped bit in a literal) is said.
        let bytes = CheckingByteSource(wrapping: inflated ?? raw, entry: entry, path: display)
        // A server's `.LOG.gz` collected into a `.zip`: inflated in turn, never read as text. Its limit counts the
        // archive's bytes, so the two layers together inflate no more than one would.
        guard entry.name.lowercased().hasSuffix(".gz") else { return bytes }
        return try InflatingByteSource(wrapping: bytes, format: .gzip, path: display, measuredAgainst: inflated)
    }

    private static func lastIndex(of signature: [UInt8], in bytes: [UInt8], upTo last: Int) -> Int? {
        guard last >= 0 else { return nil }
        var i = min(last, bytes.count - signature.count)
        while i >= 0 {
            if bytes[i] == signature[0] && bytes[i + 1] == signature[1] && bytes[i + 2] == signature[2]
                && bytes[i + 3] == signature[3]
            {
                return i
            }
            i -= 1
        }
        return nil
    }
}

extension Array where Element == UInt8 {
    /// Little-endian integers; callers check `at + size <= count` first.
    fileprivate func uint16(at i: Int) -> UInt16 {
        guard i >= 0, i + 2 <= count else { return 0 }
        return UInt16(self[i]) | UInt16(self[i + 1]) << 8
    }

    fileprivate func uint32(at i: Int) -> UInt32 {
        guard i >= 0, i + 4 <= count else { return 0 }
        return UInt32(uint16(at: i)) | UInt32(uint16(at: i + 2)) << 16
    }

    fileprivate func uint64(at i: Int) -> UInt64 {
        guard i >= 0, i + 8 <= count else { return 0 }
        return UInt64(uint32(at: i)) | UInt64(uint32(at: i + 4)) << 32
    }
}

/// Hands out an entry's bytes, and at their end checks them against the CRC-32 and the size the archive's
/// directory gives: a mismatch is the error of the read after the last byte, so every line before it is kept.
final class CheckingByteSource: ByteSource {
    private let inner: ByteSource
    private let expectedCRC: UInt32
    private let expectedSize: Int64
    private let path: String
    private var crc: uLong = 0
    private var size: Int64 = 0
    private var isChecked = false

    init(wrapping inner: ByteSource, entry: ZipDirectory.Entry, path: String) {
        self.inner = inner
        self.expectedCRC = entry.crc32
        self.expectedSize = entry.uncompressedSize
        self.path = path
    }

    func read(into buffer: UnsafeMutableRawBufferPointer) throws(ImapLogError) -> Int {
        let n = try inner.read(into: buffer)
        if n > 0, let base = buffer.baseAddress {
            crc = CZlib.crc32(crc, base.assumingMemoryBound(to: Bytef.self), uInt(n))
            size += Int64(n)
            return n
        }
        guard !isChecked else { return 0 }
        isChecked = true
        if size != expectedSize {
            throw ImapLogError.badCompressedData(
                path: path, byteOffset: size,
                reason: "the entry holds \(size) bytes where the archive's directory says \(expectedSize)")
        }
        if UInt32(truncatingIfNeeded: crc) != expectedCRC {
            throw ImapLogError.badCompressedData(
                path: path, byteOffset: size,
                reason: "bad CRC-32: the entry's bytes are not the ones the archive was made of")
        }
        return 0
    }
}
