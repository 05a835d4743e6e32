// Memory: handing freed memory back to the system, and the C library's byte comparisons and searches.

#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#elseif canImport(Darwin)
    import Darwin
#elseif os(Windows)
    import ucrt
#endif

extension Platform {
    /// Asks the allocator to hand freed memory back to the system soon (glibc; elsewhere nothing to do).
    ///
    /// glibc keeps up to 128 KiB of free memory at the top of its heap and lets the limit above which blocks are
    /// mapped on their own grow with the blocks freed, up to 32 MiB: with both fixed at 128 KiB, the tables each
    /// stream builds and frees are given back instead of kept. Peak memory over 17 GB of logs: 62 to 67 MiB, then
    /// 56 to 58 MiB, at the same speed.
    package static func returnFreedMemoryPromptly() {
        #if canImport(Glibc)
            // `mallopt` is in <malloc.h>, which Swift's Glibc module leaves out: looked up by name. Its options, from
            // that header: M_TRIM_THRESHOLD -1, M_MMAP_THRESHOLD -3.
            typealias MallocOption = @convention(c) (Int32, Int32) -> Int32
            guard let symbol = dlsym(UnsafeMutableRawPointer(bitPattern: 0), "mallopt") else { return }
            let mallopt = unsafeBitCast(symbol, to: MallocOption.self)
            _ = mallopt(-1, 128 * 1024)
            _ = mallopt(-3, 128 * 1024)
        #endif
    }

    /// Hands memory the allocator holds but no longer uses back to the system.
    ///
    /// glibc keeps the freed memory of finished work in its arenas otherwise. A no-op where the C library has
    /// no such call.
    package static func releaseFreeMemory() {
        #if canImport(Glibc)
            // malloc_trim is glibc's, declared in <malloc.h>, which Swift's Glibc module leaves out: look it up.
            typealias Trim = @convention(c) (Int) -> Int32
            if let symbol = dlsym(UnsafeMutableRawPointer(bitPattern: 0), "malloc_trim") {
                _ = unsafeBitCast(symbol, to: Trim.self)(0)
            }
        #endif
    }

    /// Whether `count` bytes at `a` and at `b` are equal: the C library's `memcmp`.
    @inline(__always)
    static func equalBytes(_ a: UnsafePointer<UInt8>, _ b: UnsafePointer<UInt8>, count: Int) -> Bool {
        count == 0 || memcmp(a, b, count) == 0
    }

    /// Finds `byte` in `count` bytes from `start`: the C library's `memchr`, vectorised.
    ///
    /// - Complexity: O(count), a few bytes a cycle.
    @inline(__always)
    static func findByte(_ byte: UInt8, in start: UnsafeRawPointer, count: Int) -> UnsafeRawPointer? {
        guard count > 0 else { return nil }
        return UnsafeRawPointer(memchr(start, Int32(byte), count))
    }
}
