import Foundation

/// Reads an alert as its bytes arrive: finds the encoding, cuts lines, and hands each to the parser, so
/// memory holds one line and what the alert says, never the whole text.
///
/// ```swift
/// var reader = AlertReader(timeZone: zone)
/// while !reader.isFull, let chunk = next() { reader.read(chunk) }
/// let alert = reader.finish()
/// ```
package struct AlertReader {
    /// How the bytes encode the text.
    package enum Encoding: Sendable {
        case utf8, utf16LittleEndian, utf16BigEndian
    }

    /// Bytes looked at to tell UTF-16 without a byte-order mark from UTF-8.
    private static let sampleSize = 4096
    /// Bytes (UTF-8) or code units (UTF-16) kept of a line: enough for `AlertParser.maximumLineLength`
    /// scalars whatever their width.
    private static let maximumLineBytes = 4 * AlertParser.maximumLineLength
    private static let maximumLineUnits = 2 * AlertParser.maximumLineLength

    private let timeZone: TimeZone
    private var encoding: Encoding?
    /// The first bytes, kept until there are enough to tell the encoding.
    private var sample: [UInt8] = []
    private var line: [UInt8] = []
    private var lineUnits: [UInt16] = []
    /// UTF-16: the first byte of a code unit whose second is in the next read.
    private var oddByte: UInt8?
    private var isAfterCR = false
    private var isLineCut = false
    private var parser = UnitReader()
    /// Bytes given so far, counted up to one past `AlertParser.maximumBytes`.
    package private(set) var byteCount = 0
    /// Part of the text was not read: more than `AlertParser.maximumBytes` came, or a line was longer than
    /// `AlertParser.maximumLineLength`.
    package private(set) var isTruncated = false

    /// `encoding` nil: told from a byte-order mark, else from the first bytes (UTF-16 when every other byte
    /// is zero), else UTF-8.
    package init(timeZone: TimeZone = .gmt, encoding: Encoding? = nil) {
        self.timeZone = timeZone
        self.encoding = encoding
    }

    /// Whether more than `AlertParser.maximumBytes` came: whatever follows is not read.
    package var isFull: Bool { byteCount > AlertParser.maximumBytes }

    /// Reads the next bytes of the alert.
    package mutating func read(_ bytes: UnsafeRawBufferPointer) {
        let room = max(0, AlertParser.maximumBytes - byteCount)
        byteCount = min(byteCount + bytes.count, AlertParser.maximumBytes + 1)
        var kept = bytes
        if bytes.count > room {
            isTruncated = true
            kept = UnsafeRawBufferPointer(rebasing: bytes[..<room])
        }
        guard encoding != nil else {
            sample.append(contentsOf: kept)
            if sample.count >= Self.sampleSize { startReading() }
            return
        }
        consume(kept)
    }

    package mutating func read(_ bytes: [UInt8]) {
        bytes.withUnsafeBytes { read($0) }
    }

    /// What the alert says, once every byte has been read.
    package mutating func finish() -> Alert {
        if encoding == nil { startReading() }
        if !line.isEmpty || !lineUnits.isEmpty || isLineCut { endLine() }
        var alert = parser.finish().alert(timeZone: timeZone)
        alert.isTruncated = isTruncated
        return alert
    }

    /// Decides the encoding from the sample, then reads it.
    private mutating func startReading() {
        var skip = 0
        if sample.starts(with: [0xFF, 0xFE]) {
            (encoding, skip) = (.utf16LittleEndian, 2)
        } else if sample.starts(with: [0xFE, 0xFF]) {
            (encoding, skip) = (.utf16BigEndian, 2)
        } else if sample.starts(with: [0xEF, 0xBB, 0xBF]) {
            (encoding, skip) = (.utf8, 3)
        } else if let littleEndian = Self.utf16WithoutMark(sample.prefix(Self.sampleSize)) {
            encoding = littleEndian ? .utf16LittleEndian : .utf16BigEndian
        } else {
            encoding = .utf8
        }
        let bytes = sample
        sample = []
        bytes.withUnsafeBytes { consume(UnsafeRawBufferPointer(rebasing: $0[skip...])) }
    }

    /// Whether bytes with no mark look like UTF-16, and in which order: text that is mostly ASCII has a
    /// zero in every other byte, which UTF-8 text never has.
    private static func utf16WithoutMark(_ sample: ArraySlice<UInt8>) -> Bool? {
        guard sample.count >= 2 else { return nil }
        var zerosAtEven = 0
        var zerosAtOdd = 0
        for (offset, byte) in sample.enumerated() where byte == 0 {
            if offset % 2 == 0 { zerosAtEven += 1 } else { zerosAtOdd += 1 }
        }
        let pairs = sample.count / 2
        // A third of the pairs with a zero on one side and almost none on the other.
        if zerosAtOdd * 3 >= pairs && zerosAtEven * 10 <= zerosAtOdd { return true }
        if zerosAtEven * 3 >= pairs && zerosAtOdd * 10 <= zerosAtEven { return false }
        return nil
    }

    /// Cuts lines at CRLF, LF or a lone CR.
    ///
    /// Neither byte (UTF-8) nor code unit (UTF-16) occurs inside the
    /// encoding of another character, so lines are cut before they are decoded.
    private mutating func consume(_ bytes: UnsafeRawBufferPointer) {
        switch encoding {
        case .utf8?:
            for byte in bytes {
                if byte == 0x0A || byte == 0x0D {
                    endLine(at: byte)
                } else {
                    isAfterCR = false
                    if line.count < Self.maximumLineBytes { line.append(byte) } else { isLineCut = true }
                }
            }
        case let order?:
            let isLittleEndian = order == .utf16LittleEndian
            for byte in bytes {
                guard let first = oddByte else {
                    oddByte = byte
                    continue
                }
                oddByte = nil
                let unit = isLittleEndian ? UInt16(first) | UInt16(byte) << 8 : UInt16(first) << 8 | UInt16(byte)
                if unit == 0x0A || unit == 0x0D {
                    endLine(at: UInt8(unit))
                } else {
                    isAfterCR = false
                    if lineUnits.count < Self.maximumLineUnits { lineUnits.append(unit) } else { isLineCut = true }
                }
            }
        case nil:
            preconditionFailure("the encoding is decided before any line is cut")
        }
    }

    /// A CR or LF: ends the line, but for the LF of a CRLF.
    private mutating func endLine(at byte: UInt8) {
        if byte == 0x0A && isAfterCR {
            isAfterCR = false
            return
        }
        isAfterCR = byte == 0x0D
        endLine()
    }

    private mutating func endLine() {
        var text =
            encoding == .utf8 ? String(decoding: line, as: UTF8.self) : String(decoding: lineUnits, as: UTF16.self)
        line.removeAll(keepingCapacity: true)
        lineUnits.removeAll(keepingCapacity: true)
        if isLineCut || text.unicodeScalars.count > AlertParser.maximumLineLength {
            isTruncated = true
            text = String(String.UnicodeScalarView(text.unicodeScalars.prefix(AlertParser.maximumLineLength)))
        }
        isLineCut = false
        parser.read(text)
    }
}
