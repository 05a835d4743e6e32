/// A problem that stops imaplog from reading an input at all.
///
/// A malformed line is never one of these: it is counted as skipped, with its reason and where it was,
/// and the run goes on. These are for inputs that cannot be read. The command-line layer maps them to
/// exit codes; the library only describes them.
package enum ImapLogError: Error, Equatable, Sendable {
    /// A path named by the user does not exist (and is not a pattern that matches anything).
    case notFound(path: String)
    /// The file or folder exists but could not be opened (permissions, a device, …).
    case cannotOpen(path: String, reason: String)
    /// A read failed part-way through a file.
    case readFailed(path: String, byteOffset: Int64, reason: String)
    /// A path met in a folder search that is not read: a FIFO, a device or a link named like a log, a name that
    /// is not UTF-8 (the reason says which, and what to do).
    case notRead(path: String, reason: String)
    /// A `.gz` stream is damaged or cut short.
    case badCompressedData(path: String, byteOffset: Int64, reason: String)
    /// A `.zip` archive's directory could not be read.
    case badArchive(path: String, reason: String)
    /// A compressed input inflated to more than `InflatingByteSource.maxInflationRatio` times the compressed
    /// bytes read, or more than `maxLinesPerCompressedByte` lines for each (a zip or gzip bomb): the bytes before
    /// the limit were read, the rest was not.
    case inflationLimit(path: String, compressedBytes: Int64, inflatedBytes: Int64, lines: Int64)
    /// A folder or pattern held no IMAP4/POP3 protocol logs.
    case noLogsFound(path: String)
    /// A file given to `imaplog merge` is not a summary this version can read.
    case badSummary(path: String, reason: String)

    /// The path the problem is about.
    package var path: String {
        switch self {
        case .notFound(let path), .cannotOpen(let path, _), .notRead(let path, _), .readFailed(let path, _, _),
            .badCompressedData(let path, _, _), .badArchive(let path, _), .inflationLimit(let path, _, _, _),
            .noLogsFound(let path),
            .badSummary(let path, _):
            return path
        }
    }

    /// A message a user can act on: what happened, where, and what to try.
    package var message: String {
        switch self {
        case .notFound(let path):
            return "\(path): no such file or folder. Check the path; "
                + "Get-ImapSettings shows the log folder (LogFileLocation)."
        case .cannotOpen(let path, let reason):
            return "\(path): cannot open (\(reason)). Check that you may read it, "
                + "or copy the logs somewhere you can."
        case .notRead(let path, let reason):
            return "\(path): not read: \(reason)."
        case .readFailed(let path, let offset, let reason):
            return "\(path): read failed at byte \(offset) (\(reason)). "
                + "The lines before it were analysed; copy the file again and retry."
        case .badCompressedData(let path, let offset, let reason):
            return "\(path): compressed data is damaged near byte \(offset) (\(reason)). "
                + "The lines before it were analysed; check the archive with gzip -t or unzip -t."
        case .badArchive(let path, let reason):
            return "\(path): not a readable .zip archive (\(reason)). Check it with unzip -t."
        case .inflationLimit(let path, let compressed, let inflated, let lines):
            return "\(path): inflates to \(inflated) bytes in \(lines) lines from \(compressed) compressed, past "
                + "imaplog's limit of \(InflatingByteSource.maxInflationRatio) bytes or "
                + "\(InflatingByteSource.maxLinesPerCompressedByte) lines for each compressed byte, as a zip or gzip bomb "
                + "does (logs compress 7 to 45 times). The lines before it were analysed, the rest was not read."
        case .badSummary(let path, let reason):
            return "\(path): \(reason)."
        case .noLogsFound(let path):
            return "\(path): no IMAP4 or POP3 protocol logs found (files named IMAP4*.LOG, IMAP4BE*.LOG, "
                + "POP3*.LOG, also inside .gz and .zip). Is protocol logging on? "
                + "Set-ImapSettings -ProtocolLogEnabled $true, then restart the IMAP4 services."
        }
    }
}
