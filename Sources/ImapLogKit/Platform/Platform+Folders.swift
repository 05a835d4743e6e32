// Folders: listing a folder's entries, and their names as the file system holds them.

#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#elseif canImport(Darwin)
    import Darwin
#elseif os(Windows)
    import ucrt
    // Folders are listed through Foundation there (no dirent); nowhere else does this file use it.
    import Foundation
#endif

extension Platform {
    /// One entry of a folder, its name as the file system holds it.
    package struct FolderEntry: Sendable, Equatable {
        /// The name, when it is UTF-8; nil when it is not (such a path cannot be spelt as a `String` to open it).
        package var name: String?
        /// The name to show: UTF-8 as it is, each byte that is not UTF-8 as `\xNN`.
        package var displayName: String
        /// What the entry is, links taken as links.
        package var kind: FileKind
    }

    /// The entries of the folder `path` (without `.` and `..`), in the order the system gives them.
    ///
    /// With `followingLink` false the folder itself is opened with `O_NOFOLLOW`: a subfolder swapped for a link
    /// after its parent was listed is not followed. Each entry's kind is read without following links.
    package static func listFolder(_ path: String, followingLink: Bool) -> Result<[FolderEntry], SystemError> {
        #if os(Windows)
            do {
                let names = try FileManager.default.contentsOfDirectory(atPath: path)
                return .success(
                    names.map { name in
                        var isFolder: ObjCBool = false
                        _ = FileManager.default.fileExists(atPath: path + "\\" + name, isDirectory: &isFolder)
                        return FolderEntry(
                            name: name, displayName: name, kind: isFolder.boolValue ? .folder : .regularFile)
                    })
            } catch {
                return .failure(SystemError(number: EACCES))
            }
        #else
            var flags = O_RDONLY | O_DIRECTORY | O_CLOEXEC | O_NONBLOCK
            if !followingLink { flags |= O_NOFOLLOW }
            let fd = open(path, flags)
            guard fd >= 0 else { return .failure(SystemError(number: lastErrorNumber)) }
            guard let folder = fdopendir(fd) else {
                let code = lastErrorNumber
                closeDescriptor(fd)
                return .failure(SystemError(number: code))
            }
            defer { closedir(folder) }
            // Where d_name sits in a dirent: the struct's own layout, so it holds with every C library.
            guard let nameOffset = MemoryLayout<dirent>.offset(of: \dirent.d_name) else {
                return .failure(SystemError(number: EINVAL))
            }
            var entries: [FolderEntry] = []
            while true {
                errno = 0
                guard let entry = readdir(folder) else {
                    // NULL with errno set: the listing broke off (an I/O error on a share).
                    let code = lastErrorNumber
                    if code != 0 { return .failure(SystemError(number: code)) }
                    break
                }
                // The name is NUL-terminated within the entry the system wrote (never past it: d_name may be
                // shorter than its declared size).
                let namePointer = (UnsafeRawPointer(entry) + nameOffset).assumingMemoryBound(to: CChar.self)
                let bytes = UnsafeRawBufferPointer(start: namePointer, count: strlen(namePointer))
                if bytes.elementsEqual(".".utf8) || bytes.elementsEqual("..".utf8) { continue }
                var info = stat()
                let kind =
                    fstatat(dirfd(folder), namePointer, &info, AT_SYMLINK_NOFOLLOW) == 0
                    ? FileKind(mode: info.st_mode) : FileKind.other
                let decoded = decodeName(bytes)
                entries.append(FolderEntry(name: decoded.name, displayName: decoded.display, kind: kind))
            }
            return .success(entries)
        #endif
    }

    /// A file name's bytes as a `String` when they are UTF-8, and as shown: each byte that is not UTF-8 as `\xNN`.
    static func decodeName(_ bytes: UnsafeRawBufferPointer) -> (name: String?, display: String) {
        if let name = String(validating: bytes, as: UTF8.self) { return (name, name) }
        var display = ""
        var parser = Unicode.UTF8.ForwardParser()
        var iterator = bytes.makeIterator()
        var offset = 0
        while true {
            switch parser.parseScalar(from: &iterator) {
            case .valid(let encoded):
                display.unicodeScalars.append(Unicode.UTF8.decode(encoded))
                offset += encoded.count
            case .error(let length):
                for byte in bytes[offset..<(offset + length)] {
                    let digits = String(byte, radix: 16, uppercase: true)
                    display += "\\x" + (digits.count == 1 ? "0" : "") + digits
                }
                offset += length
            case .emptyInput:
                return (nil, display)
            }
        }
    }
}
