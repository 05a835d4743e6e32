// The summary's long lists written by hand, byte for byte as `JSONEncoder` writes them: logon events, users and
// clients.

import Foundation

/// Writes logon events as the summary's `JSONEncoder` (keys sorted, compact) writes them: Foundation's encoder
/// spent some 80,000 instructions on each, most of the time a summary took to write after the analysis.
///
/// An event with a control character in one of its strings (which the encoder writes as `\u00XX` or `\n`) is
/// left to the encoder; in the others only `"`, `\` and `/` are escaped, as the encoder escapes them.
enum LogonEventWriter {
    /// Appends `event`; false (nothing appended) when it is left to the encoder.
    static func append(_ event: LogonEvent, to out: inout [UInt8]) -> Bool {
        for text in [
            event.backend, event.clientAddress, event.errorCode, event.example, event.server.name,
            event.serverAddress, event.user,
        ] where text.utf8.contains(where: { $0 < 0x20 }) {
            return false
        }
        out += #"{"backend":"#.utf8
        appendString(event.backend, to: &out)
        out += #","clientAddress":"#.utf8
        appendString(event.clientAddress, to: &out)
        if let errorClass = event.errorClass {
            out += #","errorClass":"#.utf8
            appendString(errorClass.rawValue, to: &out)
        }
        out += #","errorCode":"#.utf8
        appendString(event.errorCode, to: &out)
        out += #","example":"#.utf8
        appendString(event.example, to: &out)
        out += (event.failed ? #","failed":true"# : #","failed":false"#).utf8
        out += #","server":{"name":"#.utf8
        appendString(event.server.name, to: &out)
        out += #","role":"#.utf8
        appendString(event.server.role.rawValue, to: &out)
        out += #"},"serverAddress":"#.utf8
        appendString(event.serverAddress, to: &out)
        out += #","time":"#.utf8
        out += String(event.time).utf8
        out += #","user":"#.utf8
        appendString(event.user, to: &out)
        out.append(UInt8(ascii: "}"))
        return true
    }

    /// A string without control characters, quoted, with `"`, `\` and `/` escaped.
    static func appendString(_ text: String, to out: inout [UInt8]) {
        out.append(UInt8(ascii: "\""))
        for byte in text.utf8 {
            if byte == UInt8(ascii: "\"") || byte == UInt8(ascii: "\\") || byte == UInt8(ascii: "/") {
                out.append(UInt8(ascii: "\\"))
            }
            out.append(byte)
        }
        out.append(UInt8(ascii: "\""))
    }
}

/// Writes users' and clients' tallies as the summary's `JSONEncoder` (keys sorted, compact) writes them: names in
/// the order of their UTF-8 bytes, as the encoder sorts them, a thousand at a time.
///
/// Up to 100,000 of each are kept: the encoder built a tree of all of them first (tens of MiB).
enum PartyTallyWriter {
    static func write(
        _ tallies: [String: PartyTally], encoder: JSONEncoder, to sink: (ArraySlice<UInt8>) -> Void
    ) throws {
        let names = tallies.keys.sorted { $0.utf8.lexicographicallyPrecedes($1.utf8) }
        var out: [UInt8] = []
        out.reserveCapacity(64 * 1_024)
        for (index, name) in names.enumerated() {
            if index > 0 { out.append(UInt8(ascii: ",")) }
            if name.utf8.contains(where: { $0 < 0x20 }) {
                out += try encoder.encode(name)
            } else {
                LogonEventWriter.appendString(name, to: &out)
            }
            let tally = tallies[name] ?? PartyTally()
            out += #":{"commands":"#.utf8
            out += String(tally.commands).utf8
            out += #","credentialFailures":"#.utf8
            out += String(tally.credentialFailures).utf8
            out += #","failedLogons":"#.utf8
            out += String(tally.failedLogons).utf8
            out += #","failures":"#.utf8
            out += String(tally.failures).utf8
            out += #","sessions":"#.utf8
            out += String(tally.sessions).utf8
            out.append(UInt8(ascii: "}"))
            if index % 1_000 == 999 {
                sink(out[...])
                out.removeAll(keepingCapacity: true)
            }
        }
        sink(out[...])
    }
}
