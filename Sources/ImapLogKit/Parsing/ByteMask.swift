#if arch(x86_64)
    // The compiler's own SSE2 header (clang's builtin module, shipped with every Swift toolchain): no package.
    import _Builtin_intrinsics.intel
#endif

/// Sixteen byte comparisons made one 16-bit mask: bit k is set when byte k compared equal.
enum ByteMask {
    /// The mask of `comparison` (each byte all ones or all zeros).
    ///
    /// One instruction (`pmovmskb`) on x86-64, where Swift's SIMD types have no such operation; elsewhere,
    /// `portableBits`.
    @inline(__always)
    static func bits(_ comparison: SIMDMask<SIMD16<Int8>>) -> UInt32 {
        #if arch(x86_64)
            UInt32(truncatingIfNeeded: _mm_movemask_epi8(unsafeBitCast(comparison, to: SIMD2<Int64>.self)))
        #else
            portableBits(comparison)
        #endif
    }

    /// `bits` by arithmetic, for any processor: each half's eight bytes keep a distinct bit, summed into the top
    /// byte by one multiplication.
    @inline(__always)
    static func portableBits(_ comparison: SIMDMask<SIMD16<Int8>>) -> UInt32 {
        let words = unsafeBitCast(comparison, to: SIMD2<UInt64>.self)
        let low = ((UInt64(littleEndian: words[0]) & 0x8040_2010_0804_0201) &* 0x0101_0101_0101_0101) >> 56
        let high = ((UInt64(littleEndian: words[1]) & 0x8040_2010_0804_0201) &* 0x0101_0101_0101_0101) >> 56
        return UInt32(truncatingIfNeeded: low | high << 8)
    }
}
