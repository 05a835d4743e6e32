/// Looks at the first bytes of an input and unwraps what it finds: gzip's magic number (standard input
/// may carry a `.gz` file), then a UTF-16 byte-order mark (a log re-saved by an editor as "Unicode").
///
/// What comes out is the log as UTF-8, whatever it was stored as.
final class SniffingByteSource: ByteSource {
    private let inner: ByteSource
    private let path: String
    private let detectsGzip: Bool
    private var resolved: ByteSource?
    /// The first bytes called for decompression or decoding.
    private var decodes = false

    /// - Parameter detectsGzip: also look for gzip (standard input); a file's name says so already.
    init(inner: ByteSource, path: String, detectsGzip: Bool) {
        self.inner = inner
        self.path = path
        self.detectsGzip = detectsGzip
    }

    func read(into buffer: UnsafeMutableRawBufferPointer) throws(ImapLogError) -> Int {
        try resolve().read(into: buffer)
    }

    /// Whether the bytes are decoded on the way (gzip or UTF-16).
    ///
    /// Then reading ahead on a thread of its own pays; plain text from a pipe is read as fast where it is
    /// parsed. Reads the first bytes to tell.
    func isDecoding() throws(ImapLogError) -> Bool {
        _ = try resolve()
        return decodes
    }

    /// The source the first bytes call for, found on the first read.
    private func resolve() throws(ImapLogError) -> ByteSource {
        if let resolved { return resolved }
        var source: ByteSource = inner
        var prefix = try source.readUpTo(2)
        if detectsGzip && prefix.count == 2 && prefix[0] == 0x1F && prefix[1] == 0x8B {
            source = try InflatingByteSource(
                wrapping: ReplayingByteSource(prefix: prefix, then: source), format: .gzip, path: path)
            decodes = true
            prefix = try source.readUpTo(2)
        }
        if prefix.count == 2 && (prefix == [0xFF, 0xFE] || prefix == [0xFE, 0xFF]) {
            // The mark itself is dropped: it only says how to read the rest.
            source = UTF16DecodingByteSource(inner: source, bigEndian: prefix[0] == 0xFE)
            decodes = true
        } else {
            source = ReplayingByteSource(prefix: prefix, then: source)
        }
        resolved = source
        return source
    }
}

/// Re-encodes UTF-16 (after its byte-order mark) as UTF-8, as it streams.
///
/// Surrogate pairs become one 4-byte character; a lone surrogate, or an odd last byte, becomes U+FFFD, so
/// damaged text still reads, line for line.
final class UTF16DecodingByteSource: ByteSource {
    private let inner: ByteSource
    private let bigEndian: Bool
    private var input = [UInt8](repeating: 0, count: 1 << 16)
    private var inputStart = 0
    private var inputEnd = 0
    private var isAtEnd = false
    /// Encoded bytes not yet handed out.
    private var output: [UInt8] = []
    private var outputStart = 0
    /// A high surrogate waiting for its low half.
    private var highSurrogate: UInt32?

    init(inner: ByteSource, bigEndian: Bool) {
        self.inner = inner
        self.bigEndian = bigEndian
        output.reserveCapacity(3 << 15)
    }

    func read(into buffer: UnsafeMutableRawBufferPointer) throws(ImapLogError) -> Int {
        guard buffer.count > 0 else { return 0 }
        while outputStart == output.count {
            output.removeAll(keepingCapacity: true)
            outputStart = 0
            if try !decodeMore() { return 0 }
        }
        let n = min(buffer.count, output.count - outputStart)
        output.withUnsafeBytes { raw in
            buffer.baseAddress.unsafelyUnwrapped.copyMemory(
                from: raw.baseAddress.unsafelyUnwrapped + outputStart, byteCount: n)
        }
        outputStart += n
        return n
    }

    /// Decodes the next chunk into `output`; false at the end with nothing more to give.
    private func decodeMore() throws(ImapLogError) -> Bool {
        if inputEnd - inputStart < 2 && !isAtEnd {
            let leftover = inputEnd - inputStart
            if leftover > 0 { input[0] = input[inputStart] }
            inputStart = 0
            inputEnd = leftover
            let n = try input.withUnsafeMutableBytes { raw in
                Result { () throws(ImapLogError) -> Int in
                    try inner.read(into: UnsafeMutableRawBufferPointer(rebasing: raw[leftover...]))
                }
            }.get()
            if n == 0 { isAtEnd = true } else { inputEnd += n }
        }
        while inputEnd - inputStart >= 2 {
            let a = UInt32(input[inputStart])
            let b = UInt32(input[inputStart + 1])
            inputStart += 2
            decode(unit: bigEndian ? a << 8 | b : b << 8 | a)
        }
        if isAtEnd {
            if let _ = highSurrogate {
                appendReplacement()
                highSurrogate = nil
            }
            if inputEnd > inputStart {
                appendReplacement()  // an odd last byte: the file was cut
                inputStart = inputEnd
            }
        }
        return !output.isEmpty || !isAtEnd
    }

    private func decode(unit: UInt32) {
        if let high = highSurrogate {
            highSurrogate = nil
            if (0xDC00...0xDFFF).contains(unit) {
                append(scalar: 0x10000 + ((high - 0xD800) << 10) + (unit - 0xDC00))
                return
            }
            appendReplacement()
        }
        switch unit {
        case 0xD800...0xDBFF: highSurrogate = unit
        case 0xDC00...0xDFFF: appendReplacement()
        default: append(scalar: unit)
        }
    }

    private func appendReplacement() { append(scalar: 0xFFFD) }

    private func append(scalar v: UInt32) {
        switch v {
        case 0..<0x80:
            output.append(UInt8(v))
        case 0x80..<0x800:
            output.append(UInt8(0xC0 | v >> 6))
            output.append(UInt8(0x80 | v & 0x3F))
        case 0x800..<0x10000:
            output.append(UInt8(0xE0 | v >> 12))
            output.append(UInt8(0x80 | (v >> 6) & 0x3F))
            output.append(UInt8(0x80 | v & 0x3F))
        default:
            output.append(UInt8(0xF0 | v >> 18))
            output.append(UInt8(0x80 | (v >> 12) & 0x3F))
            output.append(UInt8(0x80 | (v >> 6) & 0x3F))
            output.append(UInt8(0x80 | v & 0x3F))
        }
    }
}
