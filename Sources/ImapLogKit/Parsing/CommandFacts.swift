/// How a command ended, from the `R` item (or, in 2007/2010 logs, the tagged response line).
enum Outcome: UInt8 {
    /// No response recorded (OpenSession, CloseSession, proxy rows).
    case none
    /// `R=ok`, or `tag OK …`.
    case ok
    /// `tag NO …`: the server refused.
    case no
    /// `tag BAD …`: the command was malformed or out of place.
    case bad
    /// `* BYE …` in answer to a command: the server closed the connection instead of answering (a hung or
    /// stopping service).
    case closed
    /// Something else (`+` continuation).
    case other
}

/// What one record says beyond its plain fields: outcome, error code, the back end it names.
///
/// All ranges point into the parser's current line.
struct CommandFacts {
    var outcome = Outcome.none
    /// The IMAP tag of the response (`z` for Exchange's own probes).
    var tag = ByteRange.empty
    /// The response text after tag and status: `LOGIN failed.`.
    var responseText = ByteRange.empty
    /// The most specific error code found: `[Error=…]`, `ErrMsg=`, the exception type, `AuthFailed:…`..
    var errorCode = ByteRange.empty
    /// The back-end server named by `Msg=Proxy:`, `[Proxy=…]`, `_Mbx:` or a proxy row's parameters.
    var backend = ByteRange.empty
    /// `Location: ServerFqdn: …` on back-end logons: the server holding the mailbox.
    var location = ByteRange.empty

    /// Whether the record reports a failure.
    var isFailure: Bool {
        outcome == .no || outcome == .bad || outcome == .closed || (!errorCode.isEmpty && outcome != .ok)
    }

    /// Reads the facts of a 2013+ record from its `context` (and, for `proxy` rows, `parameters`).
    ///
    /// - Complexity: O(n) in the context's length; `R=ok` alone costs a few byte compares.
    /// - Parameter shortcut: whether `R=ok` alone may skip the general reading (off only to test that it gives the
    ///   same facts).
    package static func extract(
        _ base: UnsafePointer<UInt8>, context: ByteRange, parameters: ByteRange, isProxyRow: Bool,
        shortcut: Bool = true
    ) -> CommandFacts {
        var facts = CommandFacts()
        if isProxyRow { facts.backend = host(base, from: parameters.start, end: parameters.end, endingAt: .route) }
        guard !context.isEmpty else { return facts }
        // `R=ok` (bytes 52 3D 6F 6B) read as one little-endian word.
        if shortcut && context.count == 4
            && UInt32(littleEndian: UnsafeRawPointer(base + context.start).loadUnaligned(as: UInt32.self))
                == 0x6B6F_3D52
        {
            // A third of all rows: exactly what the general reading gives `R=ok`.
            facts.outcome = .ok
            return facts
        }
        let fields = ContextFields.decode(base, context)
        if fields.hasResponse { facts.readResponse(base, Bytes.trimmed(base, fields.response)) }
        if facts.outcome == .ok && fields.errorMessage.isEmpty && fields.message.isEmpty && fields.exception.isEmpty {
            return facts
        }
        if facts.errorCode.isEmpty && !fields.errorMessage.isEmpty {
            let trimmed = Bytes.trimmed(base, fields.errorMessage)
            var end = trimmed.start
            while end < trimmed.end && base[end] != UInt8(ascii: ",") && base[end] != UInt8(ascii: " ") { end += 1 }
            facts.errorCode = ByteRange(start: trimmed.start, end: end)
        }
        if facts.errorCode.isEmpty && !fields.exception.isEmpty {
            facts.errorCode = exceptionType(base, fields.exception)
        }
        if !fields.message.isEmpty {
            let msg = fields.message
            if facts.backend.isEmpty, let p = Bytes.find("Proxy:", in: base, msg) {
                facts.backend = host(base, from: p + 6, end: msg.end, endingAt: .route)
            }
            if let p = Bytes.find("ServerFqdn:", in: base, msg) {
                facts.location = host(base, from: p + 11, end: msg.end, endingAt: .text)
            }
            if facts.errorCode.isEmpty, let p = Bytes.find("AuthFailed:", in: base, msg) {
                var end = p
                while end < msg.end && base[end] != UInt8(ascii: ",") && base[end] != UInt8(ascii: " ")
                    && base[end] != UInt8(ascii: ";")
                {
                    end += 1
                }
                facts.errorCode = ByteRange(start: p, end: end)
            }
        }
        if facts.backend.isEmpty, let p = Bytes.find("_Mbx:", in: base, context) {
            facts.backend = host(base, from: p + 5, end: context.end, endingAt: .text)
        }
        return facts
    }

    /// Reads a response: IMAP's tagged `aXSV NO LOGIN failed.`, `z NO [Error=X Proxy=host:1993:SSL] LOGIN failed.`,
    /// or POP3's untagged `+OK …` and `-ERR Authentication failure: …`.
    mutating func readResponse(_ base: UnsafePointer<UInt8>, _ r: ByteRange) {
        if Bytes.equalsIgnoringCase(base, r, "ok") {
            outcome = .ok
            return
        }
        let space = Bytes.firstIndex(of: 0x20, in: base, r)
        let first = ByteRange(start: r.start, end: space)
        // POP3 has no tags: its status is the first word. (IMAP's `+` continuation has no `OK`/`ERR` after it.)
        if Bytes.equalsIgnoringCase(base, first, "-err") {
            outcome = .no
            readText(base, ByteRange(start: space, end: r.end))
            return
        }
        if Bytes.equalsIgnoringCase(base, first, "+ok") {
            outcome = .ok
            readText(base, ByteRange(start: space, end: r.end))
            return
        }
        tag = first
        var wordStart = space
        while wordStart < r.end && base[wordStart] == 0x20 { wordStart += 1 }
        let wordEnd = Bytes.firstIndex(of: 0x20, in: base, ByteRange(start: wordStart, end: r.end))
        let word = ByteRange(start: wordStart, end: wordEnd)
        if Bytes.equalsIgnoringCase(base, word, "ok") {
            outcome = .ok
        } else if Bytes.equalsIgnoringCase(base, word, "no") {
            outcome = .no
        } else if Bytes.equalsIgnoringCase(base, word, "bad") {
            outcome = .bad
        } else if Bytes.equalsIgnoringCase(base, first, "*") && Bytes.equalsIgnoringCase(base, word, "bye") {
            outcome = .closed
            errorCode = word
            tag = .empty
            responseText = Bytes.trimmed(base, ByteRange(start: wordEnd, end: r.end))
            return
        } else {
            outcome = .other
            responseText = r
            return
        }
        readText(base, ByteRange(start: wordEnd, end: r.end))
    }

    /// Reads the text after the status and the response code in brackets, before the text or after it.
    ///
    /// Exchange's probes put it first (`[Error=ProxyNotAuthenticated Proxy=cas:1993:SSL] LOGIN failed.`) or last;
    /// either way the text is the part outside the brackets, and `Error=` inside them is the error code.
    private mutating func readText(_ base: UnsafePointer<UInt8>, _ text: ByteRange) {
        let bracket = Bytes.firstIndex(of: UInt8(ascii: "["), in: base, text)
        responseText = Bytes.trimmed(base, ByteRange(start: text.start, end: bracket))
        guard bracket < text.end else { return }
        let close = Bytes.firstIndex(of: UInt8(ascii: "]"), in: base, ByteRange(start: bracket, end: text.end))
        if responseText.isEmpty && close < text.end {
            responseText = Bytes.trimmed(base, ByteRange(start: close + 1, end: text.end))
        }
        let inside = ByteRange(start: bracket, end: close)
        if let e = Bytes.find("Error=", in: base, inside) {
            var end = e + 6
            while end < close && base[end] != 0x20 { end += 1 }
            errorCode = ByteRange(start: e + 6, end: end)
        }
        if let p = Bytes.find("Proxy=", in: base, inside) {
            backend = CommandFacts.host(base, from: p + 6, end: close, endingAt: .route)
        }
    }

    /// Where a host name may end.
    enum HostEnd {
        /// In a proxy route (`Msg=Proxy:<fqdn>:1993:SSL`, `[Proxy=<fqdn>]`, a `proxy` row's parameters): at the port's
        /// colon, the bracket, or the end of the value or field, and nowhere else.
        case route
        /// In text (`_Mbx:<server> (…)`, `ServerFqdn: <fqdn>, DatabaseName: …`): also at a space or punctuation.
        case text
    }

    /// A host name starting at `from` (after spaces), up to where a name may end (`HostEnd`).
    ///
    /// A name that runs into any other byte (`MBX\u{200B}02`, `MBXа2` with a Cyrillic letter, `MBX02$(…)`, and in a
    /// route `MBX01 x` or `MBX';calc;'`) is no name at all: cut short, it would be another server's (`MBX`, or the
    /// real `MBX01` beside it), which the logs never named and a suggested command must not reach.
    static func host(_ base: UnsafePointer<UInt8>, from: Int, end: Int, endingAt ending: HostEnd) -> ByteRange {
        var start = from
        while start < end && base[start] == 0x20 { start += 1 }
        var stop = start
        while stop < end && isHostByte(base[stop]) { stop += 1 }
        if stop < end && !endsHostName(base[stop], ending) { return ByteRange(start: start, end: start) }
        while stop > start && base[stop - 1] == UInt8(ascii: ".") { stop -= 1 }
        return ByteRange(start: start, end: stop)
    }

    /// Whether a host name may end before `c`: in a route, a port's colon, a bracket, or the end of a context item
    /// or quoted value (`;` `"`); in text also `,` `)` `'` `/` `\` `>` `|`, a space or a line end.
    @inline(__always)
    static func endsHostName(_ c: UInt8, _ ending: HostEnd) -> Bool {
        switch c {
        case UInt8(ascii: ":"), UInt8(ascii: "]"), UInt8(ascii: ";"), UInt8(ascii: "\""):
            return true
        case UInt8(ascii: ","), UInt8(ascii: ")"), UInt8(ascii: "'"), UInt8(ascii: "/"), UInt8(ascii: "\\"),
            UInt8(ascii: ">"), UInt8(ascii: "|"), 0x20, 0x09, 0x0A, 0x0D:
            return ending == .text
        default:
            return false
        }
    }

    /// Letters, digits, `-`, `.` and `_`, by bit masks of the two ASCII halves.
    @inline(__always)
    static func isHostByte(_ c: UInt8) -> Bool {
        // Bits 45 `-`, 46 `.`, 48...57 digits; then 65...90, 95 `_`, 97...122 (as bits 1...26, 31, 33...58).
        let low: UInt64 = 0x03FF_6000_0000_0000
        let high: UInt64 = 0x07FF_FFFE_87FF_FFFE
        let mask = c < 64 ? low : c < 128 ? high : 0
        return (mask >> UInt64(c & 63)) & 1 != 0
    }

    /// The exception type in an `Excpt=` value: the last token ending in `Exception` before the inner exception.
    ///
    /// `Mailbox is offline.-MailboxOfflineException/MapiExceptionMdbOffline` → `MailboxOfflineException`. The
    /// message before the type may quote a legacy DN full of `/` (`Cannot open mailbox /o=Contoso/…/cn=Microsoft
    /// System Attendant.-ConnectionFailedTransientException/MapiExceptionNetworkError`), so the type is found by
    /// its ending, not by the first `/`. With no token ending so, the token before the first `/`.
    ///
    /// - Complexity: O(n) in the value's length; read for failures only.
    static func exceptionType(_ base: UnsafePointer<UInt8>, _ range: ByteRange) -> ByteRange {
        var type = ByteRange.empty
        // MAPI's own codes name the exception first (`-MapiExceptionTimeout/MapiExceptionTimeout`): a token after
        // a `-` that holds "Exception", when none ends with it.
        var mapiType = ByteRange.empty
        var previousWasType = false
        var tokenStart = range.start
        for i in range.start...range.end {
            guard i == range.end || base[i] == UInt8(ascii: "-") || base[i] == UInt8(ascii: "/") else { continue }
            let token = Bytes.trimmed(base, ByteRange(start: tokenStart, end: i))
            let isType = token.count > 9 && Bytes.hasSuffixIgnoringCase(base, token, "exception")
            // `…Exception/InnerException`: the second is the inner exception, not a later type.
            let isInner = previousWasType && tokenStart > range.start && base[tokenStart - 1] == UInt8(ascii: "/")
            if isType && !isInner { type = token }
            if !isType && tokenStart > range.start && base[tokenStart - 1] == UInt8(ascii: "-")
                && Bytes.find("Exception", in: base, token) != nil
            {
                mapiType = token
            }
            previousWasType = isType
            tokenStart = i + 1
        }
        if type.isEmpty { type = mapiType }
        if type.isEmpty {
            let slash = Bytes.firstIndex(of: UInt8(ascii: "/"), in: base, range)
            var dash = slash - 1
            while dash >= range.start && base[dash] != UInt8(ascii: "-") { dash -= 1 }
            type = Bytes.trimmed(base, ByteRange(start: dash + 1, end: slash))
        }
        return type.count <= 120 ? type : ByteRange(start: type.start, end: type.start + 120)
    }
}

/// What a 2013+ record says by itself, needing nothing the stream has seen before: its facts and its numbers.
///
/// The parsing thread of a pipelined stream works it out, so the counting thread (the busier one) does not
/// have to. (Packing it into 72 bytes, offsets instead of ranges, gave the same times.)
struct RowFacts {
    /// Nil for a `proxy` row with no context: its facts are only the back end in its parameters, mostly the one
    /// the session has already, which the counting thread checks more cheaply than this reading would.
    var facts: CommandFacts?
    var duration: Int64?
    var requestSize: Int64
    var responseSize: Int64

    /// Reads the record `parser` describes (a 2013+ row) as the counting thread would.
    @inline(__always)
    init(_ parser: borrowing RecordParser) {
        let base = parser.base
        let context = parser.range(.context)
        let isProxyRow = Bytes.equalsIgnoringCase(base, Bytes.trimmed(base, parser.range(.command)), "proxy")
        facts =
            isProxyRow && context.isEmpty
            ? nil
            : CommandFacts.extract(
                base, context: context, parameters: parser.range(.parameters), isProxyRow: isProxyRow)
        duration = Bytes.decimal(base, Bytes.trimmed(base, parser.range(.duration)))
        requestSize = Bytes.decimal(base, Bytes.trimmed(base, parser.range(.requestSize))) ?? 0
        responseSize = Bytes.decimal(base, Bytes.trimmed(base, parser.range(.responseSize))) ?? 0
    }
}
