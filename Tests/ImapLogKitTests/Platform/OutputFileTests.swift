import Foundation
import Testing

@testable import ImapLogKit

@Suite("Output files: never through a link, never over a device")
struct OutputFileTests {
    @Test func aFileIsWrittenBesideItsTargetAndTakesItsPlaceOnlyWhenComplete() throws {
        let root = TestSupport.temporaryFolder()
        defer { TestSupport.remove(root) }
        let target = "\(root)/MBX01.summary"
        TestSupport.write("old", to: target)
        let output = try OutputFile.open(target).get()
        output.write(Array("new bytes".utf8)[...])
        // Until committed, the target is as it was and the bytes are in a file of an unguessable name beside it.
        #expect(FileManager.default.contents(atPath: target) == Data("old".utf8))
        let beside = try FileManager.default.contentsOfDirectory(atPath: root).filter { $0 != "MBX01.summary" }
        #expect(beside.count == 1 && beside[0].hasPrefix("MBX01.summary.imaplog-partial-") && beside[0].count == 46)
        #expect(throws: Never.self) { try output.commit().get() }
        #expect(FileManager.default.contents(atPath: target) == Data("new bytes".utf8))
        #expect(try FileManager.default.contentsOfDirectory(atPath: root) == ["MBX01.summary"])
    }

    @Test func aDiscardedFileLeavesNothingBehind() throws {
        let root = TestSupport.temporaryFolder()
        defer { TestSupport.remove(root) }
        let output = try OutputFile.open("\(root)/x.summary").get()
        output.write([1, 2, 3][...])
        output.discard()
        #expect(try FileManager.default.contentsOfDirectory(atPath: root).isEmpty)
        // Dropped without a word, the same.
        _ = try OutputFile.open("\(root)/y.summary").get()
        #expect(try FileManager.default.contentsOfDirectory(atPath: root).isEmpty)
    }

    @Test(.enabled(if: FileManager.default.fileExists(atPath: "/dev/full")))
    func aWriteThatFailsIsTheFailureAndTheDeviceStays() throws {
        let output = try OutputFile.open("/dev/full").get()
        output.write([UInt8](repeating: 7, count: 100_000)[...])
        let failure = try #require(output.commit().failure)
        #expect(failure.reason == "No space left on device")
    }

    @Test func linksFoldersAndMissingFoldersAreRefusedBeforeAnythingIsMade() throws {
        let root = TestSupport.temporaryFolder()
        defer { TestSupport.remove(root) }
        TestSupport.write("precious", to: "\(root)/victim")
        try FileManager.default.createSymbolicLink(
            atPath: "\(root)/link.summary", withDestinationPath: "\(root)/victim")
        try FileManager.default.createSymbolicLink(
            atPath: "\(root)/dangling.summary", withDestinationPath: "\(root)/no")
        for path in ["\(root)/link.summary", "\(root)/dangling.summary", root, "\(root)/missing/x.summary"] {
            #expect(OutputFile.check(path) != nil, "\(path)")
            #expect(OutputFile.open(path).failure != nil, "\(path)")
        }
        #expect(OutputFile.check("\(root)/link.summary")?.reason.hasPrefix("a symbolic link") == true)
        #expect(OutputFile.check("\(root)/missing/x.summary")?.reason == "the folder \(root)/missing does not exist")
        #expect(OutputFile.check("\(root)/new.summary") == nil)
        #expect(
            try FileManager.default.contentsOfDirectory(atPath: root).sorted() == [
                "dangling.summary", "link.summary", "victim",
            ])
        #expect(FileManager.default.contents(atPath: "\(root)/victim") == Data("precious".utf8))
    }

    /// A folder on the way planted as a link (`share/reports` → a victim's folder) is refused too: the summary
    /// would land, and replace a file of the same name, where the link points.
    @Test func aFolderOnTheWayThatIsALinkIsRefused() throws {
        let root = TestSupport.temporaryFolder()
        defer { TestSupport.remove(root) }
        TestSupport.write("precious", to: "\(root)/victim/today.summary")
        TestSupport.write("", to: "\(root)/share/kept")
        try FileManager.default.createSymbolicLink(
            atPath: "\(root)/share/reports", withDestinationPath: "\(root)/victim")
        for path in ["\(root)/share/reports/today.summary", "\(root)/share/reports/./new.summary"] {
            #expect(
                OutputFile.check(path)?.reason.hasPrefix("its folder \(root)/share/reports is a symbolic link") == true)
            #expect(OutputFile.open(path).failure != nil)
        }
        #expect(FileManager.default.contents(atPath: "\(root)/victim/today.summary") == Data("precious".utf8))
        #expect(try FileManager.default.contentsOfDirectory(atPath: "\(root)/victim") == ["today.summary"])
        // The real folder, named, is written.
        #expect(OutputFile.check("\(root)/victim/new.summary") == nil)
        #expect(OutputFile.check("\(root)/share/./new.summary") == nil)
    }

    @Test func descriptorsThisProcessWasHandedAreWrittenAsThemselves() {
        #expect(OutputFile.handedDescriptor("-") == 1)
        #expect(OutputFile.handedDescriptor("/dev/stdout") == 1)
        #expect(OutputFile.handedDescriptor("/dev/stderr") == 2)
        #expect(OutputFile.handedDescriptor("/dev/fd/63") == 63)
        #expect(OutputFile.handedDescriptor("/proc/self/fd/9") == 9)
        for other in ["/dev/fd/", "/dev/fd/x", "/dev/fd/1/..", "/dev/fd/99999999999", "/dev/null", "out.summary"] {
            #expect(OutputFile.handedDescriptor(other) == nil, "\(other)")
        }
        #expect(OutputFile.check("/dev/fd/987654") != nil)
    }

    @Test func fileNamesThatAreNotUTF8AreShownByteByByte() {
        func show(_ bytes: [UInt8]) -> (String?, String) {
            bytes.withUnsafeBytes { Platform.decodeName($0) }
        }
        #expect(show(Array("café".utf8)) == ("café", "café"))
        #expect(show([0x63, 0x61, 0x66, 0xE9]) == (nil, "caf\\xE9"))
        #expect(show([0xC3, 0x28, 0x41]) == (nil, "\\xC3(A"))
        #expect(show([0xF0, 0x9F, 0x98]) == (nil, "\\xF0\\x9F\\x98"))
    }
}

extension Result {
    /// The error, or nil on success.
    fileprivate var failure: Failure? {
        if case .failure(let error) = self { return error }
        return nil
    }
}
