/// One physical line handed out by `LineReader`, valid only during the call that receives it.
///
/// - Warning: `bytes` points into the reader's buffer; do not keep it past the callback.
///   The receiver may rewrite the bytes in place (the CSV parser does).
struct Line {
    /// The line without its `\n` (a trailing `\r` is left to the parser).
    ///
    /// Empty for an overlong line.
    var bytes: UnsafeMutableRawBufferPointer
    /// 1-based physical line number in its file.
    var number: Int
    /// The line was longer than the cap and was dropped.
    var isOverlong: Bool
    /// The last line of the input had no line end (cut mid-write, or still being written).
    var isUnterminated: Bool
    /// Set by the receiver, when the reader reads into supplied buffers: the lines after this one go to a fresh
    /// buffer (copied there), and this one's may be handed on.
    var wantsFreshBuffer = false
}

/// Splits a byte source into lines with one reused buffer and `memchr`, in constant memory.
///
/// A line longer than `maxLineLength` is dropped while it streams past (so a file without line ends
/// costs no memory) and reported once, as overlong, when its end arrives.
///
/// One reader serves a whole stream, file after file, with the same buffer: allocating 1 MiB per file and
/// freeing it lets small long-lived allocations fragment the heap, and memory then grows with the number of
/// files.
final class LineReader {
    /// Bytes read from the source at a time, plus room for one unfinished line.
    let bufferCapacity: Int
    /// Longest line kept.
    ///
    /// Exchange cuts parameters at 2 KiB; stack traces in `context` run longer.
    let maxLineLength: Int
    /// The reader's own buffer, allocated when first read into (a reader given buffers never is).
    private var ownBuffer: UnsafeMutableRawPointer?

    init(bufferCapacity: Int = 1 << 20, maxLineLength: Int = 64 * 1024) {
        precondition(bufferCapacity > maxLineLength, "the buffer must hold the longest line and more")
        self.bufferCapacity = bufferCapacity
        self.maxLineLength = maxLineLength
    }

    deinit {
        ownBuffer?.deallocate()
    }

    /// Calls `body` for every line of `source`, in order.
    ///
    /// - Complexity: O(n) in the bytes read; each byte is looked at once by `memchr`, and bytes of an
    ///   unfinished line are moved at most once per refill.
    func forEachLine(
        of source: ByteSource, _ body: (inout Line) throws(ImapLogError) -> Void
    ) throws(ImapLogError) {
        let buffer = ownBuffer ?? .allocate(byteCount: bufferCapacity, alignment: 64)
        ownBuffer = buffer
        try forEachLine(of: source, in: buffer, supply: nil, body)
    }

    /// Calls `body` for every line of `source`, read into buffers of `bufferCapacity` bytes that `supply` hands
    /// out, and never written over: a line stays where it was read after the call that receives it, until the
    /// reader asks for another buffer.
    ///
    /// `supply` is called first, when too little room is left for a line of the longest length kept, and after a
    /// line whose receiver set `wantsFreshBuffer`; the bytes of the lines not yet handed out are copied to the new
    /// buffer. The parsing thread reads into its batches this way, with no copy of each record.
    func forEachLine(
        of source: ByteSource, supply: () -> UnsafeMutableRawPointer,
        _ body: (inout Line) throws(ImapLogError) -> Void
    ) throws(ImapLogError) {
        try withoutActuallyEscaping(supply) { supply throws(ImapLogError) in
            try forEachLine(of: source, in: supply(), supply: supply, body)
        }
    }

    private func forEachLine(
        of source: ByteSource, in first: UnsafeMutableRawPointer, supply: (() -> UnsafeMutableRawPointer)?,
        _ body: (inout Line) throws(ImapLogError) -> Void
    ) throws(ImapLogError) {
        var base = first
        var start = 0  // first byte of the unfinished line
        var end = 0  // one past the last byte read
        var lineNumber = 0
        var isDiscarding = false  // inside an overlong line
        var isAtEnd = false
        var line = Line(
            bytes: UnsafeMutableRawBufferPointer(start: base, count: 0), number: 0,
            isOverlong: false, isUnterminated: false)

        while true {
            while start < end,
                let newline = Platform.findByte(0x0A, in: base + start, count: end - start)
            {
                let lineEnd = newline - UnsafeRawPointer(base)
                lineNumber += 1
                line.number = lineNumber
                // Too long whether it streamed past (discarding) or fits in the buffer whole.
                let isOverlong = isDiscarding || lineEnd - start > maxLineLength
                line.isOverlong = isOverlong
                line.bytes = UnsafeMutableRawBufferPointer(
                    start: base + start, count: isOverlong ? 0 : lineEnd - start)
                isDiscarding = false
                try body(&line)
                start = lineEnd + 1
                if line.wantsFreshBuffer, let supply {
                    line.wantsFreshBuffer = false
                    base = Self.move(base, from: &start, to: &end, into: supply())
                }
            }
            if isAtEnd {
                if start < end || isDiscarding {
                    lineNumber += 1
                    line.number = lineNumber
                    let isOverlong = isDiscarding || end - start > maxLineLength
                    line.isOverlong = isOverlong
                    line.isUnterminated = true
                    line.bytes = UnsafeMutableRawBufferPointer(
                        start: base + start, count: isOverlong ? 0 : end - start)
                    try body(&line)
                }
                return
            }
            let pending = end - start
            if let supply {
                // Lines handed out stay put: the read goes after them while a whole line still fits.
                if pending > maxLineLength {
                    isDiscarding = true
                    start = end
                }
                if bufferCapacity - start <= maxLineLength {
                    base = Self.move(base, from: &start, to: &end, into: supply())
                }
            } else if pending > maxLineLength {
                isDiscarding = true
                start = 0
                end = 0
            } else if start > 0 {
                if pending > 0 { (base).copyMemory(from: base + start, byteCount: pending) }
                start = 0
                end = pending
            }
            let n = try source.read(into: UnsafeMutableRawBufferPointer(start: base + end, count: bufferCapacity - end))
            if n == 0 { isAtEnd = true } else { end += n }
        }
    }

    /// Copies the bytes from `start` to `end` of `base` to the start of `fresh`, and points the indices there.
    private static func move(
        _ base: UnsafeMutableRawPointer, from start: inout Int, to end: inout Int, into fresh: UnsafeMutableRawPointer
    ) -> UnsafeMutableRawPointer {
        if end > start { fresh.copyMemory(from: base + start, byteCount: end - start) }
        end -= start
        start = 0
        return fresh
    }
}
