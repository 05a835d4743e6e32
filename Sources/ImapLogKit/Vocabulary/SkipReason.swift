/// Why a line did not become a record.
///
/// Every physical line is a header, a record, or skipped for one of these reasons, so the counts always add up.
package enum SkipReason: String, Codable, Sendable, CaseIterable, Comparable {
    case blankLine = "blank line"
    case overlongLine = "line longer than 64 KiB"
    case binaryData = "binary data (NUL or control bytes)"
    case badTimestamp = "no valid timestamp"
    case tooFewFields = "too few fields"
    case quotedContinuation = "rest of a quoted field broken across lines"
    case unusableFieldList = "the #Fields header names no dateTime or command field"

    package static func < (lhs: SkipReason, rhs: SkipReason) -> Bool { lhs.rawValue < rhs.rawValue }
}
