import Testing

@testable import ImapLogDiagnosis
@testable import ImapLogKit
@testable import ImapLogReport

/// Runs `body` over a mutable copy of `text`'s bytes.
private func withLine<T>(_ text: String, _ body: (UnsafeMutablePointer<UInt8>, Int) -> T) -> T {
    var bytes = Array(text.utf8)
    return bytes.withUnsafeMutableBufferPointer { body($0.baseAddress.unsafelyUnwrapped, $0.count) }
}

@Suite("CSV splitting")
struct CSVSplitterTests {
    private func fields(_ text: String) -> ([String], Bool) {
        withLine(text) { base, count in
            let out = UnsafeMutablePointer<ByteRange>.allocate(capacity: 33)
            defer { out.deallocate() }
            let result = CSVSplitter.split(base, count: count, into: out, capacity: 32)
            let strings = (0..<min(result.fieldCount, 32)).map { Bytes.string(UnsafePointer(base), out[$0]) }
            return (strings, result.endsInsideQuotes)
        }
    }

    @Test func plainFieldsAndEmptyOnes() {
        #expect(fields("a,b,,d").0 == ["a", "b", "", "d"])
        #expect(fields("a,").0 == ["a", ""])
        #expect(fields("").0 == [""])
    }

    @Test func doubledQuotesAreUnescapedInPlace() {
        let (f, open) = fields(#"x,"R=""aXSV NO LOGIN failed."";Msg=Proxy:h:1993:SSL",y"#)
        #expect(f == ["x", #"R="aXSV NO LOGIN failed.";Msg=Proxy:h:1993:SSL"#, "y"])
        #expect(!open)
        #expect(fields(#""a,b",c"#).0 == ["a,b", "c"])
    }

    /// The splitting rules, a byte at a time: the reference the block and word splitters must match.
    private func referenceFields(_ bytes: [UInt8]) -> ([[UInt8]], Bool) {
        let quote = UInt8(ascii: "\""), comma = UInt8(ascii: ",")
        var result: [[UInt8]] = []
        var open = false
        var i = 0
        while true {
            var field: [UInt8] = []
            if i < bytes.count && bytes[i] == quote {
                i += 1
                var closed = false
                while i < bytes.count {
                    if bytes[i] == quote {
                        if i + 1 < bytes.count && bytes[i + 1] == quote {
                            field.append(quote)
                            i += 2
                            continue
                        }
                        i += 1
                        closed = true
                        break
                    }
                    field.append(bytes[i])
                    i += 1
                }
                if !closed { open = true }
                while i < bytes.count && bytes[i] != comma {
                    field.append(bytes[i])
                    i += 1
                }
            } else {
                while i < bytes.count && bytes[i] != comma {
                    field.append(bytes[i])
                    i += 1
                }
            }
            result.append(field)
            if i >= bytes.count { break }
            i += 1
        }
        return (result, open)
    }

    /// Splits a copy of `bytes` with room for `capacity` fields: the fields stored, the count, whether a quote is open.
    ///
    /// The split starts at `from`, after `fieldsSoFar` fields the caller cut: all but the last end at the first
    /// commas, the last at `from - 1`.
    private func split(_ bytes: [UInt8], capacity: Int, from: Int = 0, fieldsSoFar: Int = 0) -> ([[UInt8]], Int, Bool) {
        var copy = bytes
        return copy.withUnsafeMutableBufferPointer { buffer in
            // One more: the splitter's scratch slot.
            let out = UnsafeMutablePointer<ByteRange>.allocate(capacity: capacity + 1)
            defer { out.deallocate() }
            // Safe: an empty Array still hands out a valid base address.
            let base = buffer.baseAddress ?? UnsafeMutablePointer<UInt8>.allocate(capacity: 1)
            var start = 0
            for k in 0..<fieldsSoFar {
                let end =
                    k == fieldsSoFar - 1 ? from - 1 : buffer[start...].firstIndex(of: UInt8(ascii: ",")) ?? from - 1
                out[k] = ByteRange(start: start, end: end)
                start = end + 1
            }
            let result = CSVSplitter.split(
                base, count: buffer.count, from: from, fieldsSoFar: fieldsSoFar, into: out, capacity: capacity)
            let fields = (0..<min(result.fieldCount, capacity)).map {
                Array(UnsafeBufferPointer(start: base + out[$0].start, count: out[$0].count))
            }
            return (fields, result.fieldCount, result.endsInsideQuotes)
        }
    }

    @Test func blockAndWordSplittingMatchTheRulesOnRandomLines() {
        // Commas, quotes, and the bytes a word-at-a-time test may confuse with them (`-` after `,`, `#` after
        // `"`, 0x01, 0x00, bytes over 0x7F), at every offset within a word; lines up to 200 bytes, so that
        // 16-byte blocks and 64-byte chunks, the last block or chunk read again, and a first quote in any of them
        // all occur.
        let alphabet: [UInt8] = Array(#"a,,"",-#  "#.utf8) + [0x01, 0x00, 0xC3, 0xAC, 0xA2]
        var state: UInt64 = 7
        func next(_ n: Int) -> Int {
            state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            return Int((state >> 33) % UInt64(n))
        }
        // Half the lines without quotes: those take the comma-only loop.
        let quoteless = alphabet.filter { $0 != UInt8(ascii: "\"") }
        for round in 0..<30_000 {
            let pool = round % 2 == 0 ? alphabet : quoteless
            let bytes = (0..<next(201)).map { _ in pool[next(pool.count)] }
            let (got, count, open) = split(bytes, capacity: 64)
            let expected = referenceFields(bytes)
            // A line of many commas has more fields than the 64 stored.
            #expect(
                got == Array(expected.0.prefix(64)) && count == expected.0.count && open == expected.1, "\(bytes)")
            // With room for fewer fields than the line has: the count is still every field, the first ones stored.
            let (stored, total, _) = split(bytes, capacity: 5)
            #expect(total == expected.0.count && stored == Array(expected.0.prefix(5)), "\(bytes)")
            // Started after a first field the caller cut (as the parser does after the time and session id).
            if let comma = bytes.firstIndex(of: UInt8(ascii: ",")), !bytes[...comma].contains(UInt8(ascii: "\"")) {
                let (rest, restCount, restOpen) = split(bytes, capacity: 64, from: comma + 1, fieldsSoFar: 1)
                #expect(rest == got && restCount == count && restOpen == open, "\(bytes)")
            }
        }
    }

    @Test func anUnclosedQuoteRunsToTheEndOfTheLineOnly() {
        let (f, open) = fields(#"a,"unclosed, still here"#)
        #expect(f == ["a", "unclosed, still here"])
        #expect(open)
    }

    @Test func theByteMaskSetsTheBitOfEachMatchingByteOnEveryProcessor() {
        // The processor's instruction (x86-64) and the arithmetic other processors use, against a byte-by-byte
        // mask: every single byte, and random patterns.
        var state: UInt64 = 11
        var patterns: [UInt32] = (0..<16).map { 1 << $0 } + [0, 0xFFFF, 0x8001, 0x7FFE]
        for _ in 0..<2_000 {
            state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            patterns.append(UInt32(truncatingIfNeeded: state >> 40) & 0xFFFF)
        }
        for pattern in patterns {
            var bytes = SIMD16<UInt8>(repeating: UInt8(ascii: "a"))
            for k in 0..<16 where pattern & (1 << k) != 0 { bytes[k] = UInt8(ascii: ",") }
            let comparison = bytes .== SIMD16<UInt8>(repeating: UInt8(ascii: ","))
            #expect(ByteMask.bits(comparison) == pattern, "\(pattern)")
            #expect(ByteMask.portableBits(comparison) == pattern, "\(pattern)")
        }
    }
}

@Suite("Context decoding")
struct ContextFieldsTests {
    private func decode(_ text: String) -> (r: String, msg: String, err: String, excpt: String) {
        withLine(text) { base, count in
            let c = ContextFields.decode(UnsafePointer(base), ByteRange(start: 0, end: count))
            let b = UnsafePointer(base)
            return (
                Bytes.string(b, c.response), Bytes.string(b, c.message), Bytes.string(b, c.errorMessage),
                Bytes.string(b, c.exception)
            )
        }
    }

    @Test func theRealRowFromDomainNotes() {
        let c = decode(#"R="aXSV NO LOGIN failed.";Msg=Proxy:cas.example.local:1993:SSL;ErrMsg=ProxyNotAuthenticated"#)
        #expect(c.r == "aXSV NO LOGIN failed.")
        #expect(c.msg == "Proxy:cas.example.local:1993:SSL")
        #expect(c.err == "ProxyNotAuthenticated")
    }

    @Test func itemsWithoutKeyContinueThePreviousValue() {
        let c = decode("R=ok;Msg=Proxy:mbx:1993:SSL;ProxySuccess;Unseen=3")
        #expect(c.msg == "Proxy:mbx:1993:SSL;ProxySuccess")
    }

    @Test func innerQuotesThatBreakTheFirstLayerFallBackToTheRest() {
        let c = decode(#"R="z NO say "hi" to me";ErrMsg=X"#)
        #expect(c.r == #"z NO say "hi" to me"#)
        #expect(c.err == "X")
        #expect(decode(#"Excpt="never closed; at all"#).excpt == "never closed; at all")
    }

    @Test func keysAreCaseInsensitiveAndOthersIgnored() {
        let c = decode("Rows=4;r=OK;Budget=Owner:S-1,Conn:1;Excpt=Timeout-MapiExceptionTimeout/Inner")
        #expect(c.r == "OK")
        #expect(c.excpt == "Timeout-MapiExceptionTimeout/Inner")
    }
}

@Suite("Timestamps")
struct TimestampTests {
    @Test func parsesExchangeTimestamps() throws {
        let t = try #require(Timestamp.parse("2023-01-09T13:16:59.348Z"))
        #expect(Timestamp.format(t) == "2023-01-09T13:16:59.348Z")
        #expect(Timestamp.parse("2023-01-09 13:16:59") == Timestamp.parse("2023-01-09T13:16:59.000Z"))
        #expect(Timestamp.parse("1970-01-01T00:00:00.000Z") == 0)
        #expect(Timestamp.parse("2024-02-29T23:59:59.999Z").map { Timestamp.format($0) } == "2024-02-29T23:59:59.999Z")
    }

    @Test func formattedTimesReadBackTheSame() throws {
        // Years 0000-9999 are written digit by digit; each must parse back to the same instant.
        var state: UInt64 = 7
        let last = try #require(Timestamp.parse("9999-12-31T23:59:59.999Z"))
        let first = try #require(Timestamp.parse("0000-01-01T00:00:00.000Z"))
        #expect(Timestamp.format(first) == "0000-01-01T00:00:00.000Z")
        #expect(Timestamp.format(last, withMilliseconds: false) == "9999-12-31T23:59:59Z")
        for _ in 0..<20_000 {
            state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            let t = first + Int64((state >> 1) % UInt64(last - first + 1))
            let text = Timestamp.format(t)
            #expect(Timestamp.parse(text) == t, "\(text)")
            #expect(Timestamp.format(t, withMilliseconds: false) == text.prefix(19) + "Z")
        }
        // Outside those years the general path is kept.
        #expect(Timestamp.format(first - 1).hasSuffix("T23:59:59.999Z"))
    }

    @Test func rejectsWhatIsNotATime() {
        for bad in [
            "", "2023-13-09T13:16:59Z", "2023-01-09T25:16:59Z", "2023-01-09T13:16", "hello world 2023-01-09",
            "2023-01-09T13:16:59.348Zjunk",
        ] {
            #expect(Timestamp.parse(bad) == nil, "\(bad)")
        }
    }
}

@Suite("Record parser")
struct RecordParserTests {
    @Test func theFieldCountCountsEveryField() {
        #expect(LogField.count == LogField.allCases.count)
    }

    private func parse(_ lines: [String]) -> ([RecordParser.Outcome], RecordParser) {
        let parser = RecordParser()
        let outcomes = lines.map { line in
            var bytes = Array(line.utf8)
            return bytes.withUnsafeMutableBytes { parser.parse($0) }
        }
        return (outcomes, parser)
    }

    @Test func headersRecordsAndBlankLines() {
        let (o, _) = parse([
            "dateTime,sessionId,seqNumber,sIp,cIp,user,duration,rqsize,rpsize,command,parameters,context",
            "#Software: Microsoft Exchange Server",
            "2023-01-09T13:16:59.348Z,00000000000000E2,0,192.168.3.212:993,192.168.3.212:22162,,39,0,53,OpenSession,,",
            "", "  \r",
        ])
        #expect(o == [.header, .header, .record, .skipped(.blankLine), .skipped(.blankLine)])
    }

    @Test func aFieldListMidStreamSwitchesSchemaByName() {
        let parser = RecordParser()
        for line in ["#Fields: command,dateTime,sessionId", "login,2023-01-09T13:16:59.348Z,00000000000000E2"] {
            var bytes = Array(line.utf8)
            _ = bytes.withUnsafeMutableBytes { parser.parse($0) }
        }
        #expect(Bytes.string(parser.base, parser.range(.command)) == "login")
        #expect(parser.time == Timestamp.parse("2023-01-09T13:16:59.348Z"))
        #expect(parser.range(.context).isEmpty)
    }

    @Test func fieldsAreReadByNameWhateverTheLayoutAndRowLength() {
        let parser = RecordParser()
        func row(_ line: String) -> [String: String] {
            var bytes = Array(line.utf8)
            // Read inside, while the line's bytes are there (the parser points into them).
            return bytes.withUnsafeMutableBytes { buffer in
                let outcome = parser.parse(buffer)
                guard outcome == .record else { return ["outcome": "\(outcome)"] }
                let fields: [(String, LogField)] = [
                    ("sessionId", .sessionId), ("user", .user), ("command", .command), ("context", .context),
                    ("event", .event), ("data", .data),
                ]
                return Dictionary(
                    uniqueKeysWithValues: fields.map { ($0.0, Bytes.string(parser.base, parser.range($0.1))) })
            }
        }
        let standard = "dateTime,sessionId,seqNumber,sIp,cIp,user,duration,rqsize,rpsize,command,parameters,context"
        let full = "2023-01-09T13:16:59.348Z,0A,3,1.2.3.4:993,5.6.7.8:1,u,0,0,0,noop,,R=ok"
        let expected = ["sessionId": "0A", "user": "u", "command": "noop", "context": "R=ok", "event": "", "data": ""]
        // Exchange's own list: a full row, one with a 13th and 14th column (unknown fields), then a short row after
        // them, whose missing context must not be the one before.
        _ = row(standard)
        #expect(row(full) == expected)
        #expect(row(full + ",puid-1,extra") == expected)
        #expect(row("2023-01-09T13:16:59.348Z,0B,3,1.2.3.4:993,5.6.7.8:1,v,0,0,0,noop")["context"] == "")
        #expect(row(full)["context"] == "R=ok")
        // The same fields in another order, with an unknown one first.
        _ = row("#Fields: puid,context,command,user,sessionId,dateTime")
        #expect(row("p,R=ok,noop,u,0A,2023-01-09T13:16:59.348Z") == expected)
        #expect(row("p,R=ok,noop,u,0A,2023-01-09T13:16:59.348Z,,,")["command"] == "noop")
        // Back to Exchange's list, then the 2007/2010 one.
        _ = row(standard)
        #expect(row(full) == expected)
        _ = row(
            "#Fields: date-time,connector-id,session-id,sequence-number,local-endpoint,remote-endpoint,event,data,context"
        )
        let old = row("2023-01-09T13:16:59.348Z,IMAP4,0A,1,1.2.3.4:143,5.6.7.8:1,<,a1 LOGIN u,")
        #expect(old["event"] == "<" && old["data"] == "a1 LOGIN u" && old["command"] == "" && old["context"] == "")
    }

    @Test func theTimeAndSessionReadFirstAgreeWithAWholeSplit() {
        // Rows whose first 42 bytes are, or almost are, Exchange's time and session id: each read with the shortcut
        // must give the fields, time and outcome a split of the whole row gives, and its number the id's.
        let times = [
            "2023-01-09T13:16:59.348Z", "2023-01-09 13:16:59.348Z", "2023-01-09T13:16:59.3489",
            "2023-13-09T13:16:59.348Z",
            "2023-01-09T13:16:59,348Z", "\"2023-01-09T13:16:59.348", "2023-01-09T13:16:59.348",
        ]
        let sessions = [
            "00000000000000E2", "00000000000000e2", "00000000000000EG", "\"0000000000000E2", "0000000000,000E2",
            "00000000000000E", "00000000000000E2X",
        ]
        let rests = [
            "0,1.2.3.4:993,5.6.7.8:1,u,1,15,143,capability,,R=ok", "3,1.2.3.4:993,5.6.7.8:1,,0,0,0",
            #"4,1.2.3.4:993,5.6.7.8:1,u,0,0,0,login,,"R=""NO"";Msg=Proxy:m:1993:SSL""#, "",
        ]
        let header = "dateTime,sessionId,seqNumber,sIp,cIp,user,duration,rqsize,rpsize,command,parameters,context"
        let parser = RecordParser()
        let reference = RecordParser()
        reference.readsTimeAndSessionFirst = false
        func read(_ line: String, with parser: RecordParser) -> (RecordParser.Outcome, [String], Int64, UInt64?) {
            var bytes = Array(line.utf8)
            return bytes.withUnsafeMutableBytes { buffer in
                let outcome = parser.parse(buffer)
                let fields = LogField.allCases.map { Bytes.string(parser.base, parser.range($0)) }
                return (outcome, fields, parser.time, parser.sessionNumber)
            }
        }
        _ = read(header, with: parser)
        _ = read(header, with: reference)
        var shortcuts = 0
        for time in times {
            for session in sessions {
                for rest in rests {
                    let line = "\(time),\(session),\(rest)"
                    let (outcome, fields, parsedTime, number) = read(line, with: parser)
                    let (expected, expectedFields, expectedTime, none) = read(line, with: reference)
                    #expect(none == nil)
                    #expect(outcome == expected, "\(line)")
                    if outcome == .record {
                        #expect(fields == expectedFields && parsedTime == expectedTime, "\(line)")
                    }
                    if let number {
                        shortcuts += 1
                        #expect(number == UInt64(fields[LogField.sessionId.rawValue], radix: 16), "\(line)")
                    }
                }
            }
        }
        // The shortcut is taken by the three 24-byte times (`T` or a space, `Z` or a fourth digit) with either
        // spelling of a 16-digit id, on the three rows that go on past it.
        #expect(shortcuts == 3 * 2 * 3)
    }

    @Test func byteOrderMarkAndCarriageReturnAreStripped() {
        let (o, p) = parse(["\u{FEFF}2023-01-09T13:16:59.348Z,0A,0,1.2.3.4:993,5.6.7.8:1,,1,0,0,noop,,R=ok\r"])
        #expect(o == [.record])
        #expect(Bytes.string(p.base, p.range(.context)) == "R=ok")
    }

    @Test func missingTrailingFieldsAreEmptyButTooFewIsSkipped() {
        let (o, _) = parse([
            "2023-01-09T13:16:59.348Z,0A,3,1.2.3.4:993,5.6.7.8:1,u,0,0,0,CloseSession,",
            "2023-01-09T13:16:59.348Z,0A,3",
            "not a log line",
            "bad-time,0A,3,1.2.3.4:993,5.6.7.8:1,u,0,0,0,noop,,",
        ])
        #expect(o == [.record, .skipped(.tooFewFields), .skipped(.tooFewFields), .skipped(.badTimestamp)])
    }

    @Test func binaryLinesAreNamedAsSuch() {
        let (o, _) = parse(["\u{0}\u{1}\u{2}garbage\u{0}"])
        #expect(o == [.skipped(.binaryData)])
    }

    @Test func theLineAfterAnUnclosedQuoteIsAContinuation() {
        let (o, _) = parse([
            #"2023-01-09T13:16:59.348Z,0A,3,1.2.3.4:993,5.6.7.8:1,u,0,0,0,noop,,"R=ok;Excpt=line one"#,
            "line two of the same field\"",
            "2023-01-09T13:17:00.000Z,0A,4,1.2.3.4:993,5.6.7.8:1,u,0,0,0,noop,,R=ok",
        ])
        #expect(o == [.record, .skipped(.quotedContinuation), .record])
    }

    @Test func aFieldListWithoutTimeMakesRowsUnusable() {
        let (o, _) = parse(["#Fields: a,b,c", "1,2,3"])
        #expect(o == [.header, .skipped(.unusableFieldList)])
    }

    /// A flood of header lines costs what records do: a schema was built for every field list (some 66,000
    /// instructions, 40 times a record), now once per list among the last few read.
    @Test func aFloodOfHeaderLinesBuildsEachSchemaOnce() {
        let fields =
            "#Fields: dateTime,sessionId,seqNumber,sIp,cIp,user,duration,rqsize,rpsize,command,parameters,context"
        let bare = "dateTime,sessionId,seqNumber,sIp,cIp,user,duration,rqsize,rpsize,command,parameters,context"
        let old = "#Fields: date-time,connector-id,session-id,sequence-number,local-endpoint,remote-endpoint,event,data"
        let parser = RecordParser()
        var formats: [LogFormat] = []
        for k in 0..<3_000 {
            var line = Array([fields, bare, old][k % 3].utf8)
            let outcome = line.withUnsafeMutableBytes { parser.parse($0) }
            #expect(outcome == .header)
            if k < 3 { formats.append(parser.format) }
        }
        #expect(parser.schemasBuilt == 2)
        #expect(formats == [.commandRows, .commandRows, .protocolEvents])
        // The schema in force is the last list read (the 3,000th: 2007/2010's).
        #expect(parser.format == .protocolEvents)
    }
}

@Suite("Command facts")
struct CommandFactsTests {
    private func facts(context: String, parameters: String = "", proxyRow: Bool = false, shortcut: Bool = true)
        -> (CommandFacts, (ByteRange) -> String)
    {
        var bytes = Array((context + "|" + parameters).utf8)
        let base = UnsafeMutablePointer<UInt8>.allocate(capacity: bytes.count)
        base.initialize(from: &bytes, count: bytes.count)
        let contextRange = ByteRange(start: 0, end: context.utf8.count)
        let parameterRange = ByteRange(start: context.utf8.count + 1, end: bytes.count)
        let f = CommandFacts.extract(
            UnsafePointer(base), context: contextRange, parameters: parameterRange, isProxyRow: proxyRow,
            shortcut: shortcut)
        return (f, { Bytes.string(UnsafePointer(base), $0) })
    }

    @Test func okAndFailures() {
        #expect(facts(context: "R=ok").0.outcome == .ok)
        #expect(!facts(context: "R=OK").0.isFailure)
        let (no, s) = facts(context: #"R="aXSV NO LOGIN failed.";ErrMsg=ProxyNotAuthenticated"#)
        #expect(no.outcome == .no && no.isFailure)
        #expect(
            s(no.tag) == "aXSV" && s(no.responseText) == "LOGIN failed." && s(no.errorCode) == "ProxyNotAuthenticated")
        #expect(facts(context: #"R="a1 BAD Command Argument Error. 11""#).0.outcome == .bad)
        #expect(facts(context: "").0.outcome == .none)
    }

    /// A back-end name with a byte no host name holds inside it is no name: cut at that byte, it would name
    /// another server (`MBX`), and a suggested command would reach it.
    @Test func aNameRunningIntoAForeignByteIsNoName() {
        let foreign = ["MBX\u{200B}02.contoso.com", "MBX\u{0430}2", "MBX02$(Stop-Computer)", "MBX02`whoami`", "MBX=1"]
        // In a route a name also ends only at its port, its bracket or the end of its value: `MBX01 x` is not the
        // real MBX01 beside it, `MBX';calc;'` not `MBX`.
        let inRouteOnly = ["MBX01 x", "MBX';calc;'", "MBX02/x", "MBX02\\x", "-cmd|x", "MBX02,x", "MBX02)x"]
        for hostile in foreign + inRouteOnly {
            for context in [
                "R=ok;Msg=Proxy:\(hostile):1993:SSL", #"R="a NO [Error=X Proxy=\#(hostile):1993:SSL] f""#,
            ] {
                let (f, s) = facts(context: context)
                #expect(s(f.backend) == "", "\(context)")
            }
            #expect(facts(context: "", parameters: hostile + ":1993", proxyRow: true).0.backend.isEmpty)
        }
        for hostile in foreign {
            let (f, s) = facts(context: "R=ok;Msg=_Mbx:\(hostile)")
            #expect(s(f.backend) == "", "\(hostile)")
        }
        // Names end where fields and values end.
        for (context, name) in [
            ("R=ok;Msg=Proxy:MBX01.contoso.com:1993:SSL", "MBX01.contoso.com"),
            ("R=ok;Msg=_Mbx:MBX02.contoso.com.", "MBX02.contoso.com"), ("R=ok;Msg=_Mbx:MBX03;x", "MBX03"),
            ("R=ok;Msg=_Mbx:MBX04)", "MBX04"), ("R=ok;Msg=_Mbx:MBX05", "MBX05"),
        ] {
            let (f, s) = facts(context: context)
            #expect(s(f.backend) == name, "\(context)")
        }
    }

    @Test func fourByteContextsReadAsTheGeneralReadingReadsThem() {
        // `R=ok` takes a shortcut; every four-byte context near it must come out as the general reading gives it.
        let alphabet = Array("R=okOKnr;\"".utf8)
        var checked = 0
        for a in alphabet {
            for b in alphabet {
                for c in alphabet {
                    for d in alphabet {
                        let context = String(decoding: [a, b, c, d], as: UTF8.self)
                        let (short, s) = facts(context: context, parameters: "MBX01.contoso.com:1993", proxyRow: true)
                        let (general, g) = facts(
                            context: context, parameters: "MBX01.contoso.com:1993", proxyRow: true, shortcut: false)
                        #expect(short.outcome == general.outcome, "\(context)")
                        #expect(s(short.tag) == g(general.tag) && s(short.errorCode) == g(general.errorCode))
                        #expect(
                            s(short.backend) == g(general.backend) && s(short.responseText) == g(general.responseText))
                        checked += 1
                    }
                }
            }
        }
        #expect(checked == 10_000)
        #expect(facts(context: "R=ok").0.outcome == .ok && facts(context: "R=ok", shortcut: false).0.outcome == .ok)
    }

    /// The parsing thread reads a row's facts and numbers ahead for the counting thread: they must be what the
    /// counting thread reads itself (the command compared as the interner does, without case or spaces).
    @Test func aRowReadAheadHoldsWhatTheCountingThreadWouldRead() {
        let parser = RecordParser()
        let header =
            "#Fields: dateTime,sessionId,seqNumber,sIp,cIp,user,duration,rqsize,rpsize,command,parameters,context"
        let start = "2026-11-17T09:41:54.051Z,00000000000001B5,3,10.0.1.11:993,10.20.13.33:55247,u@contoso.com,"
        // (row after `start`, back end, error code, duration, request size, response size); nil back end: no
        // facts read ahead (a proxy row without context: the counting thread reads it if it needs to).
        let rows: [(String, String?, String, Int64?, Int64, Int64)] = [
            ("30000,425,15979,proxy,MBX03.contoso.com:1993:SSL,", nil, "", 30000, 425, 15979),
            ("30000,425,15979, PROXY ,MBX03.contoso.com:1993:SSL,", nil, "", 30000, 425, 15979),
            ("12,1,2,proxy,MBX03.contoso.com:1993:SSL,R=ok", "MBX03.contoso.com", "", 12, 1, 2),
            (
                "12,1,2,Proxy,MBX04.contoso.com:1993:SSL,\"R=\"\"a NO x\"\";ErrMsg=Gone\"", "MBX04.contoso.com", "Gone",
                12, 1, 2
            ),
            ("7,,,proxyx,MBX03.contoso.com:1993:SSL,", "", "", 7, 0, 0),
            (",9,x,login,a b,R=ok;Msg=Proxy:MBX05.contoso.com:1993:SSL", "MBX05.contoso.com", "", nil, 9, 0),
            ("1x,1234567890,3,login,a b,R=no", "", "", nil, 1_234_567_890, 3),
            ("1x,12345678901,3,login,a b,R=no", "", "", nil, 0, 3),  // past `Bytes.maximumDigits`: absent
        ]
        var header8 = Array(header.utf8)
        #expect(header8.withUnsafeMutableBytes { parser.parse($0) } == .header)
        for (row, backend, code, duration, request, response) in rows {
            var bytes = Array((start + row).utf8)
            bytes.withUnsafeMutableBytes { line in
                #expect(parser.parse(line) == .record, "\(row)")
                let read = RowFacts(parser)
                let s = { Bytes.string(parser.base, $0) }
                #expect(read.facts.map { s($0.backend) } == backend, "\(row)")
                #expect((read.facts.map { s($0.errorCode) } ?? "") == code, "\(row)")
                #expect(read.duration == duration && read.requestSize == request && read.responseSize == response)
            }
        }
    }

    @Test func everyCarrierOfTheBackEndName() {
        let (a, sa) = facts(context: "R=ok;Msg=Proxy:MBX01.contoso.com:1993:SSL")
        #expect(sa(a.backend) == "MBX01.contoso.com")
        let (b, sb) = facts(
            context: #"R="z NO LOGIN failed. [Error=ConnectionFailedTransient Proxy=mbx02.contoso.com:1993:SSL]""#)
        #expect(sb(b.backend) == "mbx02.contoso.com" && sb(b.errorCode) == "ConnectionFailedTransient")
        #expect(sb(b.responseText) == "LOGIN failed.")
        let (c, sc) = facts(context: "", parameters: "MBX03.contoso.com:1993:SSL", proxyRow: true)
        #expect(sc(c.backend) == "MBX03.contoso.com")
        let (d, sd) = facts(context: #"R="1 NO failed";Excpt="Probe error _Mbx:MBX04.contoso.com failed""#)
        #expect(sd(d.backend) == "MBX04.contoso.com")
        let (e, se) = facts(context: #"R=ok;Msg="Location: ServerFqdn: MBX05.contoso.com, DatabaseName: DB9""#)
        #expect(se(e.location) == "MBX05.contoso.com")
    }

    @Test func errorCodesFromExceptionsAndAuthenticationMessages() {
        let (a, sa) = facts(
            context: #"R="1 NO LOGIN failed.";Excpt="DB03 is offline.-MailboxOfflineException/MapiExceptionMdbOffline""#
        )
        #expect(sa(a.errorCode) == "MailboxOfflineException")
        let (b, sb) = facts(context: #"R="a NO LOGIN failed.";Msg="AuthFailed:LogonDenied,User: bob""#)
        #expect(sb(b.errorCode) == "AuthFailed:LogonDenied")
    }

    @Test func errorClassesFollowTheProbesBlame() {
        #expect(ErrorClass.classify(code: "AuthFailed:LogonDenied", message: "") == .authentication)
        #expect(ErrorClass.classify(code: "ProxyNotAuthenticated", message: "") == .deployment)
        #expect(ErrorClass.classify(code: "MailboxOfflineException", message: "") == .store)
        #expect(ErrorClass.classify(code: "MapiExceptionTimeout", message: "") == .store)
        #expect(ErrorClass.classify(code: "ProxyTimeout", message: "") == .service)
        #expect(ErrorClass.classify(code: "ProxyFailed", message: "") == .network)
        #expect(ErrorClass.classify(code: "WrongServer", message: "") == .routing)
        #expect(ErrorClass.classify(code: "OverBudget", message: "") == .throttling)
        #expect(ErrorClass.classify(code: "", message: "LOGIN failed.") == .authentication)
        #expect(ErrorClass.classify(code: "", message: "BAD Command Argument Error. 11") == .client)
        #expect(ErrorClass.classify(code: "Weird", message: "?") == .other)
    }
}
