// Opening a planned input: the sources its bytes are read through (a file, gzip, a zip entry, standard input).

extension LogInput {
    /// Whether reading `opened` (this input, opened) on a thread of its own pays: decompression or decoding does;
    /// plain text does not, from a file (read from the page cache faster than the handover costs) or from a pipe
    /// (the reads cost the same on the parsing thread, without the copies and the third thread).
    func benefitsFromReadingAhead(_ opened: ByteSource) throws(ImapLogError) -> Bool {
        switch location {
        case .file: return false
        case .gzipFile, .zipEntry: return true
        case .standardInput: return try (opened as? SniffingByteSource)?.isDecoding() ?? true
        }
    }

    /// Opens the input's bytes, as UTF-8 (a UTF-16 file is decoded).
    func open(standardInput: Platform.Descriptor) throws(ImapLogError) -> ByteSource {
        let raw: ByteSource
        switch location {
        case .file(let path):
            raw = try DescriptorByteSource(path: path, policy: isNamed ? .asNamed : .regularFileFound)
        case .gzipFile(let path):
            raw = try InflatingByteSource(
                wrapping: try DescriptorByteSource(path: path, policy: isNamed ? .asNamed : .regularFileFound),
                format: .gzip, path: path)
        case .zipEntry(let archive, let reference):
            raw = try ZipDirectory.open(entry: reference.entry, archivePath: archive)
        case .standardInput:
            Platform.enlargePipeBuffer(standardInput)
            return SniffingByteSource(
                inner: DescriptorByteSource(borrowing: standardInput, name: "standard input"),
                path: "standard input", detectsGzip: true)
        }
        return SniffingByteSource(inner: raw, path: displayPath, detectsGzip: false)
    }
}
