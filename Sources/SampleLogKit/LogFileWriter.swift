import CZlib
import Foundation

/// One row of a 2013+ IMAP4 protocol log, before rendering.
struct Row {
    var time: Int64  // ms since 1970
    var sessionId: UInt64
    var sequence: Int
    var serverEndpoint: String
    var clientEndpoint: String
    var user: String
    var duration: Int
    var requestSize: Int
    var responseSize: Int
    var command: String
    var parameters: String
    var context: String
}

/// One session's rows: its identity fixed, its rows numbered in the order they are made.
struct SessionRows {
    let sessionId: UInt64
    let serverEndpoint: String
    let clientEndpoint: String
    private var sequence = 0

    init(sessionId: UInt64, serverEndpoint: String, clientEndpoint: String) {
        self.sessionId = sessionId
        self.serverEndpoint = serverEndpoint
        self.clientEndpoint = clientEndpoint
    }

    /// The session's next row (positional, as the simulation writes a row: user, duration, request and response
    /// bytes, command, parameters, context).
    mutating func next(
        _ time: Int64, _ user: String, _ duration: Int, _ requestSize: Int, _ responseSize: Int, _ command: String,
        _ parameters: String, _ context: String
    ) -> Row {
        defer { sequence += 1 }
        return Row(
            time: time, sessionId: sessionId, sequence: sequence, serverEndpoint: serverEndpoint,
            clientEndpoint: clientEndpoint, user: user, duration: duration, requestSize: requestSize,
            responseSize: responseSize, command: command, parameters: parameters, context: context)
    }
}

/// Renders rows the way Exchange writes them: the bare field list, the `#` block, CSV rows, CRLF.
///
/// Written apart from ImapLogKit on purpose (its timestamp and CSV code too): the fixtures that test the
/// reader must not come from the reader's own code.
enum LogFormatting {
    static let fields = "dateTime,sessionId,seqNumber,sIp,cIp,user,duration,rqsize,rpsize,command,parameters,context"

    static func header(role: String, date: Int64, version: String = "15.1.2507.39", puid: Bool = false) -> String {
        let fields = puid ? fields + ",puid" : fields
        return "\(fields)\r\n#Software: Microsoft Exchange Server\r\n#Version: \(version)\r\n#Log-type: \(role) Log\r\n"
            + "#Date: \(timestamp(date))\r\n#Fields: \(fields)\r\n"
    }

    /// A row, with a 13th field `puid` when `puid` is set (a value derived from the user, empty without one).
    static func line(_ row: Row, puid: Bool = false) -> String {
        var parts: [String] = []
        parts.reserveCapacity(13)
        parts.append(timestamp(row.time))
        parts.append(hex16(row.sessionId))
        parts.append(String(row.sequence))
        parts.append(row.serverEndpoint)
        parts.append(row.clientEndpoint)
        parts.append(csv(row.user))
        parts.append(String(row.duration))
        parts.append(String(row.requestSize))
        parts.append(String(row.responseSize))
        parts.append(row.command)
        parts.append(csv(row.parameters))
        parts.append(csv(row.context))
        if puid { parts.append(row.user.isEmpty ? "" : puidValue(row.user)) }
        return parts.joined(separator: ",") + "\r\n"
    }

    /// A made-up, stable 16-digit passport unique ID for a user (FNV-1a of the name).
    static func puidValue(_ user: String) -> String {
        var hash: UInt64 = 0xCBF2_9CE4_8422_2325
        for byte in user.lowercased().utf8 { hash = (hash ^ UInt64(byte)) &* 0x100_0000_01B3 }
        return "1003" + String(hex16(hash).suffix(12))
    }

    /// Layer 2: CSV-escape a field holding `"`, `,`, CR or LF.
    static func csv(_ field: String) -> String {
        guard field.contains(where: { $0 == "\"" || $0 == "," || $0 == "\r" || $0 == "\n" }) else { return field }
        return "\"" + field.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }

    /// Layer 1: a context value holding a space, quote, comma or semicolon goes in quotes, unescaped.
    static func contextValue(_ value: String) -> String {
        value.contains(where: { $0 == " " || $0 == "\"" || $0 == "," || $0 == ";" }) ? "\"\(value)\"" : value
    }

    static func context(_ items: [(String, String)]) -> String {
        items.map { "\($0.0)=\(contextValue($0.1))" }.joined(separator: ";")
    }

    static func hex16(_ value: UInt64) -> String {
        let digits = String(value, radix: 16, uppercase: true)
        return String(repeating: "0", count: max(0, 16 - digits.count)) + digits
    }

    static func timestamp(_ millis: Int64) -> String {
        let days = Int(millis / 86_400_000)
        let msOfDay = Int(millis % 86_400_000)
        let (y, m, d) = civil(fromDays: days)
        let s = msOfDay / 1000
        return "\(pad(y, 4))-\(pad(m, 2))-\(pad(d, 2))T\(pad(s / 3600, 2)):\(pad(s / 60 % 60, 2)):\(pad(s % 60, 2))."
            + "\(pad(msOfDay % 1000, 3))Z"
    }

    static func civil(fromDays days: Int) -> (Int, Int, Int) {
        let z = days + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let doe = z - era * 146_097
        let yoe = (doe - doe / 1460 + doe / 36524 - doe / 146_096) / 365
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100)
        let mp = (5 * doy + 2) / 153
        let d = doy - (153 * mp + 2) / 5 + 1
        let m = mp < 10 ? mp + 3 : mp - 9
        return (yoe + era * 400 + (m <= 2 ? 1 : 0), m, d)
    }

    static func days(year: Int, month: Int, day: Int) -> Int {
        let y = month <= 2 ? year - 1 : year
        let era = (y >= 0 ? y : y - 399) / 400
        let yoe = y - era * 400
        let doy = (153 * (month + (month > 2 ? -3 : 9)) + 2) / 5 + day - 1
        return era * 146_097 + yoe * 365 + yoe / 4 - yoe / 100 + doy - 719_468
    }

    static func pad(_ value: Int, _ width: Int) -> String {
        let text = String(value)
        return text.count >= width ? text : String(repeating: "0", count: width - text.count) + text
    }
}

/// Writes files, plain or compressed with zlib (gzip members, and deflated `.zip` entries).
///
/// Not shared with ImapLogKit's summary writer, for the same reason as `LogFormatting`: the `.gz` and `.zip`
/// fixtures that test the reader must not come from its own code.
package enum Archiver {
    /// gzip-compresses `bytes`.
    package static func gzip(_ bytes: [UInt8]) -> [UInt8] {
        deflate(bytes, windowBits: 15 + 16)
    }

    /// A `.zip` archive holding `entries` (name, bytes), deflated.
    package static func zip(_ entries: [(String, [UInt8])]) -> [UInt8] {
        var out: [UInt8] = []
        var central: [UInt8] = []
        for (name, bytes) in entries {
            let compressed = deflate(bytes, windowBits: -15)
            let crc = UInt32(bytes.withUnsafeBufferPointer { crc32(0, $0.baseAddress, uInt($0.count)) })
            let nameBytes = Array(name.utf8)
            let offset = UInt32(out.count)
            out += le32(0x0403_4b50) + le16(20) + le16(0) + le16(8) + le16(0) + le16(0x21)
            out += le32(crc) + le32(UInt32(compressed.count)) + le32(UInt32(bytes.count))
            out += le16(UInt16(nameBytes.count)) + le16(0) + nameBytes + compressed
            central += le32(0x0201_4b50) + le16(20) + le16(20) + le16(0) + le16(8) + le16(0) + le16(0x21)
            central += le32(crc) + le32(UInt32(compressed.count)) + le32(UInt32(bytes.count))
            central += le16(UInt16(nameBytes.count)) + le16(0) + le16(0) + le16(0) + le16(0) + le32(0) + le32(offset)
            central += nameBytes
        }
        let centralOffset = UInt32(out.count)
        out += central
        out += le32(0x0605_4b50) + le16(0) + le16(0) + le16(UInt16(entries.count)) + le16(UInt16(entries.count))
        out += le32(UInt32(central.count)) + le32(centralOffset) + le16(0)
        return out
    }

    private static func deflate(_ bytes: [UInt8], windowBits: Int32) -> [UInt8] {
        var stream = z_stream()
        deflateInit2_(
            &stream, 6, Z_DEFLATED, windowBits, 8, Z_DEFAULT_STRATEGY, zlibVersion(),
            Int32(MemoryLayout<z_stream>.size))
        var input = bytes
        var output = [UInt8](repeating: 0, count: Int(deflateBound(&stream, uLong(bytes.count))) + 64)
        let produced = input.withUnsafeMutableBufferPointer { inBuffer in
            output.withUnsafeMutableBufferPointer { outBuffer in
                stream.next_in = inBuffer.baseAddress
                stream.avail_in = uInt(inBuffer.count)
                stream.next_out = outBuffer.baseAddress
                stream.avail_out = uInt(outBuffer.count)
                _ = CZlib.deflate(&stream, Z_FINISH)
                return outBuffer.count - Int(stream.avail_out)
            }
        }
        deflateEnd(&stream)
        return Array(output[0..<produced])
    }

    private static func le16(_ v: UInt16) -> [UInt8] { [UInt8(v & 0xFF), UInt8(v >> 8)] }
    private static func le32(_ v: UInt32) -> [UInt8] { le16(UInt16(v & 0xFFFF)) + le16(UInt16(v >> 16)) }
}
