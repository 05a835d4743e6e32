/// Counts failures by error, a key of (code, response text) classified once, with the servers that logged it and
/// where to see one.
///
/// Bounds: `Summary.errorLimit` keys, past which an error keeps its class and is counted under that class's
/// `(other)` key; 200 bytes of response text a key; 32 servers an error; one example.
struct ErrorCounter {
    private struct Accumulator {
        var count = 0
        var servers = Set<Int32>()
        var example: String?
    }
    /// Key bytes: the code, 0x1F, the text, and a marker for a refusal only the session explains.
    private let names = Interner(limit: Summary.errorLimit, lowercases: false)
    private var errors: [Int32: Accumulator] = [:]
    /// Errors past the limit, by their `(other)` key of each class (a few keys).
    private var pooledErrors: [ErrorKey: Accumulator] = [:]
    private var keys: [Int32: ErrorKey] = [:]

    /// Counts a failed row under its error, logged by `server` on `session`; returns the error.
    mutating func count(
        _ base: UnsafePointer<UInt8>, facts: CommandFacts, session: SessionState, server: Int32, path: String,
        line: Int
    ) -> ErrorKey? {
        // One key per (code, response text); the class is worked out once per distinct key.
        var scratch = [UInt8]()
        scratch.reserveCapacity(facts.errorCode.count + facts.responseText.count + 1)
        scratch.append(
            contentsOf: UnsafeBufferPointer(start: base + facts.errorCode.start, count: facts.errorCode.count))
        scratch.append(0x1F)
        let text =
            facts.responseText.count > 200
            ? ByteRange(start: facts.responseText.start, end: facts.responseText.start + 200) : facts.responseText
        scratch.append(contentsOf: UnsafeBufferPointer(start: base + text.start, count: text.count))
        var id = intern(scratch)
        var known = keys[id]
        var isPooled = id == names.pooledID
        if known == nil || isPooled {
            let code = Bytes.string(base, facts.errorCode)
            var message = Bytes.string(base, text)
            if facts.outcome == .bad && !message.isEmpty { message = "BAD " + message }
            let codeOrStatus =
                code.isEmpty ? (facts.outcome == .bad ? "BAD" : facts.outcome == .no ? "NO" : "error") : code
            let errorClass = ErrorClass.classify(code: code, message: message)
            // Past the table's limit the error keeps its class (what the rules read), counted under `(other)`.
            known =
                isPooled
                ? ErrorKey(errorClass: errorClass, code: Interner.pooledKey, message: "")
                : ErrorKey(errorClass: errorClass, code: codeOrStatus, message: message)
            if !isPooled { keys[id] = known }
        }
        // A refusal whose class only the session tells (the text alone does not) gets a key of its own: the same
        // bytes with a marker after them.
        func variant(_ marker: UInt8, _ make: (ErrorKey) -> ErrorKey) {
            guard let plain = known else { return }
            if !isPooled {
                scratch.append(marker)
                id = intern(scratch)
                isPooled = id == names.pooledID
            }
            if isPooled {
                known = make(plain)
                known?.code = Interner.pooledKey
                known?.message = ""
                return
            }
            if keys[id] == nil { keys[id] = make(plain) }
            known = keys[id]
        }
        // A logon the front end proxied and then refused with no code of its own (`NO LOGIN failed.` beside
        // `Msg=Proxy:…`): the front end had accepted the credentials before it proxied, so the back end refused
        // it. Not a wrong password: pointing at the back end.
        if session.backend >= 0, facts.errorCode.isEmpty, known?.errorClass == .authentication {
            variant(0x1D) { ErrorKey(errorClass: .other, code: "RefusedByBackEnd", message: $0.message) }
        }
        // Credentials refused to a probe (a `HealthMailbox…` user, the loopback session) are the monitoring
        // account's.
        if session.isProbe, known?.errorClass == .authentication {
            variant(0x1E) { ErrorKey(errorClass: .monitoringAccount, code: $0.code, message: $0.message) }
        }
        func accumulate(_ accumulator: inout Accumulator) {
            accumulator.count += 1
            if accumulator.servers.count < 32 {
                accumulator.servers.insert(server)
                if session.backend >= 0 { accumulator.servers.insert(session.backend) }
            }
            if accumulator.example == nil { accumulator.example = "\(path):\(line)" }
        }
        if isPooled, let known {
            accumulate(&pooledErrors[known, default: Accumulator()])
        } else {
            accumulate(&errors[id, default: Accumulator()])
        }
        return known
    }

    /// The id of an error's key bytes, or `(other)`'s past the limit.
    private func intern(_ bytes: [UInt8]) -> Int32 {
        bytes.withUnsafeBufferPointer { buffer in
            names.intern(buffer.baseAddress.unsafelyUnwrapped, ByteRange(start: 0, end: buffer.count))
        }
    }

    /// Adds every error with its servers by name; returns the failures counted under `(other)` keys.
    func finish(into summary: inout Summary, names serverNames: StreamServerNames) -> Int {
        for (id, accumulator) in errors {
            guard let key = keys[id] else { continue }
            let servers = accumulator.servers.map { serverNames[$0].lowercased }.sorted()
            summary.errors[key, default: ErrorTally()].merge(
                ErrorTally(count: accumulator.count, servers: servers, example: accumulator.example))
        }
        var pooled = 0
        for (key, accumulator) in pooledErrors {
            let servers = accumulator.servers.map { serverNames[$0].lowercased }.sorted()
            summary.errors[key, default: ErrorTally()].merge(
                ErrorTally(count: accumulator.count, servers: servers, example: accumulator.example))
            pooled += accumulator.count
        }
        return pooled
    }
}
