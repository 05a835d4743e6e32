import Foundation

/// JSON lines (`imaplog watch --format ndjson`): each value on one line, keys sorted, the same escaping as the
/// JSON report.
package enum JSONLines {
    /// `value` as one line of JSON, ending in a newline.
    package static func line(_ value: some Encodable) throws -> Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        var data = Sanitize.jsonInvisiblesEscaped(try encoder.encode(value))
        data.append(0x0A)
        return data
    }
}
