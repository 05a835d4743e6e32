/// Follows a JSON text's strings and brackets, a byte at a time: whether a byte is inside a string (escapes
/// included), and how deep the brackets are, so a key's name inside a string or a nested object is never taken
/// for a top-level key.
struct JSONNesting {
    /// What a byte was.
    enum Step {
        /// Outside strings, not a bracket.
        case other
        /// A string's opening quote.
        case stringStarts
        /// Inside a string (its bytes as written, escapes included).
        case inString
        /// A string's closing quote.
        case stringEnds
        /// `{` or `[`: `depth` is one more.
        case opens
        /// `}` or `]`: `depth` is one less.
        case closes
    }

    private(set) var depth = 0
    private(set) var isInString = false
    private var escaped = false

    /// Starts `depth` deep, inside a string or not.
    init(depth: Int = 0, inString: Bool = false) {
        self.depth = depth
        self.isInString = inString
    }

    @inline(__always)
    mutating func step(_ c: UInt8) -> Step {
        if isInString {
            if escaped {
                escaped = false
            } else if c == UInt8(ascii: "\\") {
                escaped = true
            } else if c == UInt8(ascii: "\"") {
                isInString = false
                return .stringEnds
            }
            return .inString
        }
        switch c {
        case UInt8(ascii: "\""):
            isInString = true
            return .stringStarts
        case UInt8(ascii: "{"), UInt8(ascii: "["):
            depth += 1
            return .opens
        case UInt8(ascii: "}"), UInt8(ascii: "]"):
            depth -= 1
            return .closes
        default:
            return .other
        }
    }
}
