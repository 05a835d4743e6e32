import CZlib
import Foundation

/// The on-disk form of a `Summary`, for fleets: each server (or each task of a job engine) summarises its own
/// logs, and the summaries merge centrally into the report one run over every log would have given.
///
/// The file is gzip (whose CRC-32 guards the bytes) holding a first line `imaplog-summary <version>` and the
/// summary as JSON. A file of another version, or damaged, is refused with a message that says so.
public enum SummaryFile {
    /// The version written; bump when `Summary`'s encoded form changes.
    ///
    /// 2: per-minute tables as packed base64 numbers.
    public static let version = 2
    static let magic = "imaplog-summary"

    /// The file's bytes.
    public static func encode(_ summary: Summary) throws -> [UInt8] {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        let payload = Array("\(magic) \(version)\n".utf8) + Array(try encoder.encode(summary))
        return gzip(payload)
    }

    /// Reads a summary file, checking what it is.
    public static func decode(_ bytes: [UInt8], path: String) throws(ImapLogError) -> Summary {
        let text: [UInt8]
        do {
            let source = try InflatingByteSource(wrapping: MemoryByteSource(bytes), format: .gzip, path: path)
            var out: [UInt8] = []
            var buffer = [UInt8](repeating: 0, count: 1 << 16)
            while true {
                let n = try buffer.withUnsafeMutableBytes { raw in
                    Result { () throws(ImapLogError) -> Int in try source.read(into: raw) }
                }.get()
                if n == 0 { break }
                out += buffer[0..<n]
            }
            text = out
        } catch {
            throw ImapLogError.badSummary(
                path: path, reason: "not an imaplog summary, or a damaged one (it does not decompress)")
        }
        guard let newline = text.firstIndex(of: 0x0A) else {
            throw ImapLogError.badSummary(path: path, reason: "not an imaplog summary")
        }
        let header = String(decoding: text[..<newline], as: UTF8.self).split(separator: " ")
        guard header.count == 2, header[0] == magic else {
            throw ImapLogError.badSummary(path: path, reason: "not an imaplog summary")
        }
        guard Int(header[1]) == version else {
            throw ImapLogError.badSummary(
                path: path,
                reason:
                    "written in summary format \(header[1]); this imaplog reads format \(version): summarise the logs again with this version"
            )
        }
        do {
            return try JSONDecoder().decode(Summary.self, from: Data(text[(newline + 1)...]))
        } catch {
            throw ImapLogError.badSummary(path: path, reason: "the summary inside is damaged")
        }
    }

    private static func gzip(_ bytes: [UInt8]) -> [UInt8] {
        var stream = z_stream()
        deflateInit2_(
            &stream, 6, Z_DEFLATED, 15 + 16, 8, Z_DEFAULT_STRATEGY, zlibVersion(), Int32(MemoryLayout<z_stream>.size))
        defer { deflateEnd(&stream) }
        var input = bytes
        var output = [UInt8](repeating: 0, count: Int(deflateBound(&stream, uLong(bytes.count))) + 64)
        let produced = input.withUnsafeMutableBufferPointer { inBuffer in
            output.withUnsafeMutableBufferPointer { outBuffer in
                stream.next_in = inBuffer.baseAddress
                stream.avail_in = uInt(inBuffer.count)
                stream.next_out = outBuffer.baseAddress
                stream.avail_out = uInt(outBuffer.count)
                _ = deflate(&stream, Z_FINISH)
                return outBuffer.count - Int(stream.avail_out)
            }
        }
        return Array(output[0..<produced])
    }
}
