// libFuzzer entry point: the alert reader (`AlertParser`, `AlertReader`, the alert time and zone readers) on
// made-up text, as the bytes of a file (any encoding it looks like), read in pieces, and as UTF-8 and UTF-16
// of the same text; then the report's FROM THE ALERT and the escaping of text for terminals and CSV. Compiled
// together with the library targets' sources by `Fuzz/run.sh alert` (not part of the package).
import Foundation

/// What every alert must be, whatever the text: bounded lists, a time in range or none, names that are hosts.
private func check(_ alert: Alert) {
    precondition(alert.servers.count <= AlertParser.maximumServers, "too many servers")
    precondition(alert.mailboxServers.count <= AlertParser.maximumServers, "too many mailbox servers")
    precondition(alert.errors.count <= AlertParser.maximumErrors, "too many errors")
    precondition(alert.errors.allSatisfy { $0.count <= AlertParser.maximumErrorLength }, "an error too long")
    precondition(alert.servers.allSatisfy(AlertParser.isHostName), "a server that is no host name")
    precondition(alert.mailboxServers.allSatisfy(AlertParser.isHostName), "a mailbox server that is no host name")
    precondition((alert.time == nil) == (alert.timeText == nil), "a time without its text")
    precondition(alert.time == nil || alert.unreadableTime == nil, "a time read and one said unreadable")
    if let unreadable = alert.unreadableTime {
        precondition(unreadable.unicodeScalars.count <= AlertParser.maximumTimeTextLength + 1, "unreadable too long")
    }
    if let time = alert.time {
        // Years 1 to 9999, an offset of at most 14 hours either way.
        let earliest = Int64(Timestamp.daysFromCivil(year: 1, month: 1, day: 1)) * 86_400_000 - 15 * 3_600_000
        let latest = Int64(Timestamp.daysFromCivil(year: 10_000, month: 1, day: 1)) * 86_400_000 + 15 * 3_600_000
        precondition(time >= earliest && time < latest, "a time out of range")
        _ = Timestamp.format(time)
    }
}

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzOneInput(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let bytes = Array(UnsafeBufferPointer(start: data, count: size))
    let zone = TimeZone(identifier: "Europe/Paris") ?? .gmt

    // As a file, then the same file read in pieces of 7 bytes (encodings and line ends cut anywhere).
    let alert = AlertParser.parse(bytes: bytes, timeZone: zone)
    check(alert)
    var reader = AlertReader(timeZone: zone)
    for start in stride(from: 0, to: bytes.count, by: 7) {
        reader.read(Array(bytes[start..<min(start + 7, bytes.count)]))
    }
    precondition(reader.finish() == alert, "reads in pieces give another alert")

    // The same text as UTF-8 and as UTF-16 (little-endian with a mark, big-endian without): one alert.
    let text = String(decoding: bytes, as: UTF8.self)
    let fromText = AlertParser.parse(text, timeZone: zone)
    check(fromText)
    var little: [UInt8] = [0xFF, 0xFE]
    var big: [UInt8] = [0xFE, 0xFF]
    for unit in text.utf16 {
        little += [UInt8(unit & 0xFF), UInt8(unit >> 8)]
        big += [UInt8(unit >> 8), UInt8(unit & 0xFF)]
    }
    precondition(AlertParser.parse(bytes: little, timeZone: zone) == fromText, "UTF-16 LE reads otherwise")
    precondition(AlertParser.parse(bytes: big, timeZone: zone) == fromText, "UTF-16 BE reads otherwise")

    // The time and zone readers alone, on the whole text and on its first line.
    let firstLine = String(text.prefix { $0 != "\n" && $0 != "\r" }.prefix(200))
    let scanned = AlertTime.scan(firstLine)
    if let time = scanned.time { _ = time.millis(in: zone) }
    _ = AlertParser.parseTime(firstLine, timeZone: zone)
    if let named = AlertParser.timeZone(named: firstLine) {
        precondition(abs(named.secondsFromGMT()) <= 14 * 3600 || firstLine.contains("/"), "a zone out of range")
    }

    // What the report says of it, in every format.
    var builder = ReportBuilder()
    builder.request.alert = alert
    let report = builder.build(Summary())
    let rendered = TextRenderer().render(report)
    for line in rendered.split(separator: "\n") {
        precondition(!line.unicodeScalars.contains(where: Sanitize.isUnsafe), "unsafe text in the report")
    }
    guard let json = try? JSONRenderer.renderBytes(report),
        (try? JSONSerialization.jsonObject(with: json)) is [String: Any]
    else { preconditionFailure("the JSON report does not parse") }

    // Escaping: nothing unsafe passes; a CSV cell holding a separator is quoted, and no part of it after a `;`
    // starts a formula.
    let shown = Sanitize.terminal(firstLine)
    precondition(!shown.unicodeScalars.contains(where: Sanitize.isUnsafe), "unsafe text for a terminal")
    let cell = Sanitize.csvCell(firstLine)
    precondition(!cell.unicodeScalars.contains(where: Sanitize.isUnsafe), "unsafe text in a CSV cell")
    let isQuoted = cell.count >= 2 && cell.hasPrefix("\"") && cell.hasSuffix("\"")
    let inside = isQuoted ? String(cell.dropFirst().dropLast()) : cell
    precondition(isQuoted || !inside.contains(where: { $0 == "," || $0 == ";" || $0 == "\"" }), "a cell not quoted")
    for part in inside.split(separator: ";", omittingEmptySubsequences: false) {
        precondition(part.first.map { !"=+-@\t\r".contains($0) } ?? true, "a formula in a CSV cell")
    }
    return 0
}
