/// The earliest and latest time of the records counted (ms since 1970), nil before the first.
struct TimeSpan {
    private(set) var first: Int64?
    private(set) var last: Int64?

    @inline(__always)
    mutating func count(_ time: Int64) {
        if first == nil || time < first.unsafelyUnwrapped { first = time }
        if last == nil || time > last.unsafelyUnwrapped { last = time }
    }
}
