/// The central directory of a `.zip` archive: enough to stream its entries (stored or deflated).
///
/// Written here rather than taken from a package, to keep imaplog a single dependency-free binary.
/// Handles Zip64 sizes and offsets; refuses encrypted entries and methods other than 0 and 8.
struct ZipDirectory {
    /// One file in the archive.
    struct Entry: Equatable, Sendable {
        /// The path inside the archive, with `/` separators.
        var name: String
        /// 0 stored, 8 deflated; anything else is unsupported.
        var method: UInt16
        var compressedSize: Int64
        var uncompressedSize: Int64
        var localHeaderOffset: Int64
        var isEncrypted: Bool
        var isDirectory: Bool { name.hasSuffix("/") }
    }

    var entries: [Entry]

    /// Largest central directory read; a real log archive's is far smaller.
    static let maxDirectorySize: Int64 = 64 << 20

    /// Reads the central directory of the archive at `path`.
    static func read(path: String) throws(ImapLogError) -> ZipDirectory {
        let file: FileRangeByteSource
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
        file = try FileRangeByteSource(path: path, start: size - tailLength, length: tailLength)
        let tail = try file.readUpTo(Int(tailLength))
        guard let eocd = lastIndex(of: [0x50, 0x4b, 0x05, 0x06], in: tail, upTo: tail.count - 22) else {
            throw bad("no end-of-central-directory record")
        }
        var entryCount = Int64(tail.uint16(at: eocd + 10))
        var directorySize = Int64(tail.uint32(at: eocd + 12))
        var directoryOffset = Int64(tail.uint32(at: eocd + 16))
        if entryCount == 0xFFFF || directorySize == 0xFFFF_FFFF || directoryOffset == 0xFFFF_FFFF {
            // Zip64: a locator just before the record points at the Zip64 end record.
            guard eocd >= 20, tail.uint32(at: eocd - 20) == 0x0706_4b50 else { throw bad("Zip64 locator missing") }
            let zip64Offset = Int64(tail.uint64(at: eocd - 20 + 8))
            guard zip64Offset >= 0, zip64Offset + 56 <= size else { throw bad("Zip64 record out of range") }
            let record = try FileRangeByteSource(path: path, start: zip64Offset, length: 56).readUpTo(56)
            guard record.uint32(at: 0) == 0x0606_4b50 else { throw bad("Zip64 record missing") }
            entryCount = Int64(record.uint64(at: 32))
            directorySize = Int64(record.uint64(at: 40))
            directoryOffset = Int64(record.uint64(at: 48))
        }
        guard directorySize >= 0, directorySize <= maxDirectorySize, directoryOffset >= 0,
            directoryOffset + directorySize <= size
        else { throw bad("central directory out of range") }
        let directory = try FileRangeByteSource(path: path, start: directoryOffset, length: directorySize)
            .readUpTo(Int(directorySize))

        var entries: [Entry] = []
        var at = 0
        while at + 46 <= directory.count, entries.count < entryCount {
            guard directory.uint32(at: at) == 0x0201_4b50 else { throw bad("damaged central directory entry") }
            let flags = directory.uint16(at: at + 8)
            let method = directory.uint16(at: at + 10)
            var compressed = Int64(directory.uint32(at: at + 20))
            var uncompressed = Int64(directory.uint32(at: at + 24))
            let nameLength = Int(directory.uint16(at: at + 28))
            let extraLength = Int(directory.uint16(at: at + 30))
            let commentLength = Int(directory.uint16(at: at + 32))
            var localOffset = Int64(directory.uint32(at: at + 42))
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
                        uncompressed = Int64(directory.uint64(at: value))
                        value += 8
                    }
                    if compressed == 0xFFFF_FFFF, value + 8 <= fieldEnd {
                        compressed = Int64(directory.uint64(at: value))
                        value += 8
                    }
                    if localOffset == 0xFFFF_FFFF, value + 8 <= fieldEnd {
                        localOffset = Int64(directory.uint64(at: value))
                    }
                }
                field += 4 + length
            }
            entries.append(
                Entry(
                    name: name, method: method, compressedSize: compressed, uncompressedSize: uncompressed,
                    localHeaderOffset: localOffset, isEncrypted: flags & 1 != 0))
            at = next
        }
        return ZipDirectory(entries: entries)
    }

    /// A source of the entry's uncompressed bytes.
    static func open(entry: Entry, archivePath: String) throws(ImapLogError) -> ByteSource {
        let display = "\(archivePath)!\(entry.name)"
        guard !entry.isEncrypted else {
            throw ImapLogError.badArchive(path: display, reason: "the entry is encrypted; extract it first")
        }
        guard entry.method == 0 || entry.method == 8 else {
            throw ImapLogError.badArchive(
                path: display, reason: "compression method \(entry.method) is not supported (only stored and deflate)")
        }
        let header = try FileRangeByteSource(path: archivePath, start: entry.localHeaderOffset, length: 30).readUpTo(30)
        guard header.uint32(at: 0) == 0x0403_4b50 else {
            throw ImapLogError.badArchive(path: display, reason: "local header missing")
        }
        let dataStart = entry.localHeaderOffset + 30 + Int64(header.uint16(at: 26)) + Int64(header.uint16(at: 28))
        let raw = try FileRangeByteSource(path: archivePath, start: dataStart, length: entry.compressedSize)
        if entry.method == 0 { return raw }
        return try InflatingByteSource(wrapping: raw, format: .rawDeflate, path: display)
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
