import CZlib

/// Decompresses another source with zlib: `.gz` files (several members in a row too) and the
/// raw deflate data of `.zip` entries, streaming, in constant memory.
final class InflatingByteSource: ByteSource {
    /// What the compressed bytes look like.
    enum Format {
        /// gzip (or zlib) headers, detected by zlib; members may follow one another.
        case gzip
        /// Bare deflate data, as inside a `.zip` entry.
        case rawDeflate
    }

    private let inner: ByteSource
    private let format: Format
    private let path: String
    private let stream: UnsafeMutablePointer<z_stream>
    private let input: UnsafeMutableRawBufferPointer
    private var isInnerExhausted = false
    private var isFinished = false
    private var compressedOffset: Int64 = 0

    init(wrapping inner: ByteSource, format: Format, path: String, inputCapacity: Int = 256 * 1024)
        throws(ImapLogError)
    {
        self.inner = inner
        self.format = format
        self.path = path
        self.stream = .allocate(capacity: 1)
        self.stream.initialize(to: z_stream())
        self.input = .allocate(byteCount: inputCapacity, alignment: 16)
        // 15 + 32: a 32 KiB window, and zlib recognises a gzip or zlib header by itself.
        let windowBits: Int32 = format == .gzip ? 15 + 32 : -15
        let status = inflateInit2_(stream, windowBits, zlibVersion(), Int32(MemoryLayout<z_stream>.size))
        guard status == Z_OK else {
            stream.deinitialize(count: 1)
            stream.deallocate()
            input.deallocate()
            throw ImapLogError.badCompressedData(path: path, byteOffset: 0, reason: "zlib refused to start (\(status))")
        }
    }

    deinit {
        inflateEnd(stream)
        stream.deinitialize(count: 1)
        stream.deallocate()
        input.deallocate()
    }

    /// Refills the compressed buffer when zlib has used it all.
    private func refillIfEmpty() throws(ImapLogError) {
        guard stream.pointee.avail_in == 0, !isInnerExhausted, let base = input.baseAddress else { return }
        let n = try inner.read(into: input)
        if n == 0 { isInnerExhausted = true }
        compressedOffset += Int64(n)
        stream.pointee.next_in = base.assumingMemoryBound(to: Bytef.self)
        stream.pointee.avail_in = uInt(n)
    }

    /// After one gzip member ends, whether another follows (concatenated `.gz` files are legal).
    private func anotherMemberFollows() throws(ImapLogError) -> Bool {
        guard format == .gzip else { return false }
        try refillIfEmpty()
        guard stream.pointee.avail_in > 0, let next = stream.pointee.next_in else { return false }
        // A gzip member starts 1f 8b; anything else after the end (zero padding) is ignored.
        return next[0] == 0x1f && (stream.pointee.avail_in < 2 || next[1] == 0x8b)
    }

    func read(into buffer: UnsafeMutableRawBufferPointer) throws(ImapLogError) -> Int {
        guard !isFinished, let out = buffer.baseAddress, buffer.count > 0 else { return 0 }
        while true {
            try refillIfEmpty()
            stream.pointee.next_out = out.assumingMemoryBound(to: Bytef.self)
            stream.pointee.avail_out = uInt(min(buffer.count, Int(UInt32.max)))
            let status = inflate(stream, Z_NO_FLUSH)
            let produced = buffer.count - Int(stream.pointee.avail_out)
            switch status {
            case Z_STREAM_END:
                if try anotherMemberFollows() {
                    inflateReset(stream)
                } else {
                    isFinished = true
                }
                if produced > 0 || isFinished { return produced }
            case Z_OK:
                if produced > 0 { return produced }
            case Z_BUF_ERROR:
                if produced > 0 { return produced }
                if isInnerExhausted && stream.pointee.avail_in == 0 {
                    throw failure("the compressed data ends early (file cut short?)")
                }
            default:
                let reason = stream.pointee.msg.map { String(cString: $0) } ?? "zlib error \(status)"
                throw failure(reason)
            }
            if isInnerExhausted && stream.pointee.avail_in == 0 && produced == 0 && status == Z_OK {
                throw failure("the compressed data ends early (file cut short?)")
            }
        }
    }

    private func failure(_ reason: String) -> ImapLogError {
        let offset = compressedOffset - Int64(stream.pointee.avail_in)
        return .badCompressedData(path: path, byteOffset: offset, reason: reason)
    }
}
