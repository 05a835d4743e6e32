import CZlib

/// Decompresses another source with zlib: `.gz` files (several members in a row too) and the
/// raw deflate data of `.zip` entries, streaming, in constant memory.
///
/// Damage costs no byte that zlib could inflate: what it produced before reporting a damaged stream (a bad
/// check value, a cut file) is handed out first, and the error comes with the next read. A bomb is cut short
/// at `maxInflationRatio` times the compressed bytes read, or `maxLinesPerCompressedByte` lines for each, with
/// an error that says so.
final class InflatingByteSource: ByteSource {
    /// What the compressed bytes look like.
    enum Format {
        /// gzip (or zlib) headers, detected by zlib; members may follow one another.
        case gzip
        /// Bare deflate data, as inside a `.zip` entry.
        case rawDeflate
    }

    /// Most bytes inflated per compressed byte read, counted from the start of the input.
    ///
    /// Protocol logs compress 7 to 9 times (SampleLogs' archives, gzip -9 of generated hours), a monitor's
    /// NOOP every 100 ms 26 times, a client flooding one bad command (the sequence number and the time going on
    /// as in a real log) 44 times; 200 leaves more than four times that. Deflate reaches 1,032 on a run of one
    /// byte: a 10 MB bomb stops at 2 GB (a few seconds of reading) rather than 10 GB, and a `.zip` whose entries
    /// cannot share bytes (`ZipDirectory`) stops at 200 times its size in all.
    static let maxInflationRatio: Int64 = 200

    /// Most lines inflated per compressed byte read, counted from the start of the input.
    ///
    /// Reading costs by the line more than by the byte: 52 million empty lines took 6 s of one core, so a 10 MB bomb
    /// of line ends, 2 billion lines at the byte limit, would take minutes. Logs hold at most 0.4 lines per
    /// compressed byte (the flood above, 110-byte lines compressed 44 times; a monitor's NOOPs 0.2): 8 leaves twenty
    /// times that, and bounds a 10 MB input to 80 million lines, about 10 s.
    static let maxLinesPerCompressedByte: Int64 = 8

    private let inner: ByteSource
    private let format: Format
    private let path: String
    /// The decompressor whose compressed bytes this one's output is measured against (a `.gz` inside a `.zip`
    /// entry: the archive's bytes, not the entry's inflated ones), or nil for its own.
    private let outer: InflatingByteSource?
    private let stream: UnsafeMutablePointer<z_stream>
    private let input: UnsafeMutableRawBufferPointer
    private var isInnerExhausted = false
    private var isFinished = false
    /// Compressed bytes read from `inner`, including those zlib has not used yet.
    private(set) var compressedBytesRead: Int64 = 0
    /// Bytes handed out.
    private var inflatedBytes: Int64 = 0
    /// Line ends handed out.
    private var inflatedLines: Int64 = 0
    /// An error met after bytes that were handed out first: thrown by the next read.
    private var pendingFailure: ImapLogError?
    /// An error of `inner` met after some compressed bytes were read: those are inflated first.
    private var innerFailure: ImapLogError?

    /// - Parameters:
    ///   - outer: a decompressor `inner` reads from, whose compressed bytes bound this one's output (nested
    ///     compression gains nothing on the limit).
    ///   - inputCapacity: compressed bytes read at a time; the limit grows by this many at once.
    init(
        wrapping inner: ByteSource, format: Format, path: String, measuredAgainst outer: InflatingByteSource? = nil,
        inputCapacity: Int = 256 * 1024
    ) throws(ImapLogError) {
        self.inner = inner
        self.format = format
        self.path = path
        self.outer = outer
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

    /// Refills the compressed buffer when zlib has used it all: whole, unless the input ends, so the limit does
    /// not depend on how a pipe hands its bytes over.
    private func refillIfEmpty() throws(ImapLogError) {
        guard stream.pointee.avail_in == 0, !isInnerExhausted, let base = input.baseAddress else { return }
        var filled = 0
        while filled < input.count {
            do {
                let n = try inner.read(into: UnsafeMutableRawBufferPointer(rebasing: input[filled...]))
                if n == 0 {
                    isInnerExhausted = true
                    break
                }
                filled += n
            } catch {
                // The bytes read before the error are inflated first; the error comes after them.
                guard filled > 0 else { throw error }
                innerFailure = error
                isInnerExhausted = true
                break
            }
        }
        compressedBytesRead += Int64(filled)
        stream.pointee.next_in = base.assumingMemoryBound(to: Bytef.self)
        stream.pointee.avail_in = uInt(filled)
    }

    /// What follows the end of a member.
    private enum AfterMember {
        /// Nothing, or zeros (padding).
        case end
        /// Another gzip member (concatenated `.gz` files are legal).
        case member
        /// Bytes that are not gzip, at this offset of the compressed input.
        case garbage(at: Int64)
    }

    /// After one member ends, what follows it: for a `.zip` entry's deflate data, nothing is read past its end.
    private func afterMember() throws(ImapLogError) -> AfterMember {
        guard format == .gzip else { return .end }
        try refillIfEmpty()
        guard stream.pointee.avail_in > 0, let next = stream.pointee.next_in else { return .end }
        // A gzip member starts 1f 8b.
        if next[0] == 0x1f && (stream.pointee.avail_in < 2 || next[1] == 0x8b) { return .member }
        // Zeros (a tape's or a copy tool's padding) are passed over; anything else is said, not read as text.
        while stream.pointee.avail_in > 0, let at = stream.pointee.next_in {
            let count = Int(stream.pointee.avail_in)
            if let nonZero = (0..<count).first(where: { at[$0] != 0 }) {
                return .garbage(at: compressedBytesRead - Int64(count - nonZero))
            }
            stream.pointee.next_in = at + count
            stream.pointee.avail_in = 0
            try refillIfEmpty()
        }
        return .end
    }

    /// The compressed bytes the limits are counted on.
    private var limitBase: Int64 { outer?.compressedBytesRead ?? compressedBytesRead }

    /// `limitBase` times `ratio`, or nearly `Int64.max` (one less, so that one more still fits).
    private func limit(_ ratio: Int64) -> Int64 {
        let (limit, overflow) = limitBase.multipliedReportingOverflow(by: ratio)
        return overflow ? Int64.max - 1 : limit
    }

    /// The number of line ends in `count` bytes from `start`; past `allowed`, `allowed` and where the last line
    /// allowed ends (just past its line end).
    ///
    /// - Complexity: O(count): 16 bytes compared at a time, about 0.3 instructions a byte (a byte at a time, 7).
    private static func countLines(_ start: UnsafePointer<UInt8>, _ count: Int, allowed: Int64) -> (
        lines: Int64, cutAt: Int?
    ) {
        let lines = Int64(countLineEnds(start, count))
        guard lines > allowed else { return (lines, nil) }
        var seen: Int64 = 0
        var end = 0
        while seen < allowed {
            if start[end] == 0x0A { seen += 1 }
            end += 1
        }
        return (allowed, end)
    }

    /// How many bytes of `count` from `start` are line ends.
    static func countLineEnds(_ start: UnsafePointer<UInt8>, _ count: Int) -> Int {
        let raw = UnsafeRawPointer(start)
        let lineEnd = SIMD16<UInt8>(repeating: 0x0A)
        var total = 0
        var i = 0
        while count - i >= 16 {
            // Each lane counts to at most 255 before it is added up, so its 8 bits never wrap.
            let blockEnd = min(count - 16, i + 254 * 16)
            var lanes = SIMD16<Int8>()
            while i <= blockEnd {
                // Safe: i + 16 <= count. A true comparison is all ones (-1): subtracting it counts one.
                let bytes = raw.loadUnaligned(fromByteOffset: i, as: SIMD16<UInt8>.self)
                lanes &-= unsafeBitCast(bytes .== lineEnd, to: SIMD16<Int8>.self)
                i += 16
            }
            total += Int(SIMD16<UInt16>(truncatingIfNeeded: SIMD16<UInt8>(truncatingIfNeeded: lanes)).wrappedSum())
        }
        while i < count {
            total += start[i] == 0x0A ? 1 : 0
            i += 1
        }
        return total
    }

    func read(into buffer: UnsafeMutableRawBufferPointer) throws(ImapLogError) -> Int {
        guard let out = buffer.baseAddress, buffer.count > 0 else { return 0 }
        if let failure = pendingFailure {
            pendingFailure = nil
            throw failure
        }
        guard !isFinished else { return 0 }
        while true {
            try refillIfEmpty()
            let byteLimit = limit(Self.maxInflationRatio)
            // One byte of room past the limit: zlib filling it shows the limit is passed. It is never handed out.
            let room = Int(min(Int64(buffer.count), byteLimit - inflatedBytes + 1, Int64(UInt32.max)))
            let start = out.assumingMemoryBound(to: Bytef.self)
            stream.pointee.next_out = start
            stream.pointee.avail_out = uInt(room)
            let status = inflate(stream, Z_NO_FLUSH)
            var produced = room - Int(stream.pointee.avail_out)
            var isPastLimit = inflatedBytes + Int64(produced) > byteLimit
            if isPastLimit { produced -= 1 }
            let lines = Self.countLines(
                start, produced, allowed: limit(Self.maxLinesPerCompressedByte) - inflatedLines)
            if let cut = lines.cutAt {
                // The lines within the limit are handed out whole, up to their line end; the next is not.
                produced = cut
                isPastLimit = true
            }
            inflatedBytes += Int64(produced)
            inflatedLines += lines.lines
            if isPastLimit {
                return try handOut(
                    produced,
                    then: .inflationLimit(
                        path: path, compressedBytes: limitBase, inflatedBytes: inflatedBytes, lines: inflatedLines))
            }
            switch status {
            case Z_STREAM_END:
                let next: AfterMember
                do {
                    next = try afterMember()
                } catch {
                    return try handOut(produced, then: error)
                }
                switch next {
                case .member:
                    inflateReset(stream)
                case .end:
                    if let innerFailure { return try handOut(produced, then: innerFailure) }
                    isFinished = true
                case .garbage(let offset):
                    return try handOut(
                        produced,
                        then: .badCompressedData(
                            path: path, byteOffset: offset,
                            reason: "bytes that are not gzip follow the end of the compressed data; they were not read"
                        ))
                }
                if produced > 0 || isFinished { return produced }
            case Z_OK:
                if produced > 0 { return produced }
            case Z_BUF_ERROR:
                if produced > 0 { return produced }
                if isInnerExhausted && stream.pointee.avail_in == 0 { return try handOut(0, then: endsEarly()) }
            case Z_NEED_DICT:
                return try handOut(produced, then: failure("the data needs a preset dictionary, which no log uses"))
            default:
                let reason = stream.pointee.msg.map { String(cString: $0) } ?? "zlib error \(status)"
                return try handOut(produced, then: failure(reason))
            }
            if isInnerExhausted && stream.pointee.avail_in == 0 && produced == 0 && status == Z_OK {
                return try handOut(0, then: endsEarly())
            }
        }
    }

    /// Hands out the bytes produced before `failure`, which the next read throws; throws it now if there are none.
    private func handOut(_ produced: Int, then failure: ImapLogError) throws(ImapLogError) -> Int {
        isFinished = true
        guard produced > 0 else { throw failure }
        pendingFailure = failure
        return produced
    }

    /// The input ended inside the compressed data: a read error of the input, else a file cut short.
    private func endsEarly() -> ImapLogError {
        innerFailure ?? failure("the compressed data ends early (file cut short?)")
    }

    private func failure(_ reason: String) -> ImapLogError {
        let offset = compressedBytesRead - Int64(stream.pointee.avail_in)
        return .badCompressedData(path: path, byteOffset: offset, reason: reason)
    }
}
