// One input of a plan: where its bytes are, how reports name it, and what its name says.

/// One log to read: a file, a `.gz` file, an entry of a `.zip` archive, or standard input.
package struct LogInput: Sendable, Hashable {
    /// Where the bytes come from.
    package enum Location: Sendable, Hashable {
        case file(path: String)
        case gzipFile(path: String)
        /// Boxed: the entry's numbers would otherwise double the size of every input (4.5 MB for 40,000 files).
        indirect case zipEntry(archive: String, entry: ZipEntryReference)
        case standardInput
    }

    package var location: Location
    /// How reports name it: the path, `archive.zip!folder/IMAP4….LOG`, or `-`.
    package var displayPath: String
    /// Front end or back end, from the file name; `.unknown` leaves it to each record's port.
    package var role: Role
    /// The server that wrote it, from the folder it was collected in, when that is named like a host.
    package var serverHint: String?
    /// Named on the command line (links followed, a FIFO read as it is: `imaplog <(zcat …)`), rather than found
    /// in a folder (a regular file only, never through a link, refused if it has changed into anything else).
    package var isNamed = false
}

/// A `.zip` entry, wrapped so that `LogInput` stays a plain value.
package struct ZipEntryReference: Sendable, Hashable {
    let entry: ZipDirectory.Entry

    package static func == (lhs: ZipEntryReference, rhs: ZipEntryReference) -> Bool {
        lhs.entry.name == rhs.entry.name && lhs.entry.localHeaderOffset == rhs.entry.localHeaderOffset
    }

    package func hash(into hasher: inout Hasher) {
        hasher.combine(entry.name)
        hasher.combine(entry.localHeaderOffset)
    }
}
