import Testing

@testable import ImapLogDiagnosis
@testable import ImapLogKit
@testable import ImapLogReport

/// The shapes of real rows that the tidy format description leaves out (domain notes §8).
@Suite("Shapes seen in real output")
struct RealOutputShapesTests {
    /// What a context reads as: outcome, tag, response text, error code and back end as strings, and the class.
    private struct Read {
        var outcome: Outcome
        var isFailure: Bool
        var tag: String
        var text: String
        var code: String
        var backend: String

        var errorClass: ErrorClass { ErrorClass.classify(code: code, message: text) }
    }

    private func read(_ context: String) -> Read {
        var bytes = Array(context.utf8)
        return bytes.withUnsafeMutableBufferPointer { buffer in
            let base = UnsafePointer(buffer.baseAddress.unsafelyUnwrapped)
            let f = CommandFacts.extract(
                base, context: ByteRange(start: 0, end: buffer.count), parameters: .empty, isProxyRow: false)
            let s = { Bytes.string(base, $0) }
            return Read(
                outcome: f.outcome, isFailure: f.isFailure, tag: s(f.tag), text: s(f.responseText),
                code: s(f.errorCode), backend: s(f.backend))
        }
    }

    @Test func aMapiCodeAfterALegacyDNIsTheType() {
        // MAPI's own codes do not end in "Exception": `…/cn=EXMB04/….-MapiExceptionTimeout/MapiExceptionTimeout`.
        let r = read(
            #"R="a1 NO LOGIN failed.";Excpt="Cannot open mailbox /o=Fabrikam/ou=Exchange Administrative Group "#
                + #"(FYDIBOHF23SPDLT)/cn=Configuration/cn=Servers/cn=EXMB04/cn=Microsoft System Attendant."#
                + #"-MapiExceptionTimeout/MapiExceptionTimeout""#)
        #expect(r.code == "MapiExceptionTimeout")
        #expect(r.errorClass == .store)
    }

    @Test func theExceptionTypeIsTheTokenEndingInExceptionAfterALegacyDN() {
        let dn =
            "/o=Contoso/ou=Exchange Administrative Group (FYDIBOHF23SPDLT)/cn=Configuration/cn=Servers/cn=MBX02"
            + "/cn=Microsoft System Attendant."
        let r = read(
            #"R="a1 NO LOGIN failed.";Excpt="Cannot open mailbox "# + dn
                + #"-ConnectionFailedTransientException/MapiExceptionNetworkError""#)
        #expect(r.code == "ConnectionFailedTransientException")
        #expect(r.errorClass == .store)
        // With no inner exception after it, too.
        let bare = read(#"R="a1 NO LOGIN failed.";Excpt="Cannot open mailbox "# + dn + #"-MailboxOfflineException""#)
        #expect(bare.code == "MailboxOfflineException")
    }

    @Test func theSimpleExceptionFormsKeepTheirType() {
        #expect(read(#"R="1 NO LOGIN failed.";Excpt=MailboxOfflineException"#).code == "MailboxOfflineException")
        #expect(
            read(#"R="1 NO LOGIN failed.";Excpt=Msg-StorageTransientException/MapiExceptionTimeout"#).code
                == "StorageTransientException")
        #expect(
            read(#"R="1 NO x";Excpt="DB03 is offline.-MailboxOfflineException/MapiExceptionMdbOffline""#).code
                == "MailboxOfflineException")
        // A type not ending in `Exception`: the token before the inner exception, as before.
        #expect(read(#"R="1 NO x";Excpt=Timed out-MapiExceptionTimeout"#).code == "MapiExceptionTimeout")
    }

    @Test func aResponseCodeInBracketsBeforeTheTextIsTheErrorCode() {
        let r = read(#"R="z NO [Error=ProxyNotAuthenticated Proxy=cas.contoso.local:1993:SSL] LOGIN failed.""#)
        #expect(r.outcome == .no && r.tag == "z")
        #expect(r.text == "LOGIN failed.")
        #expect(r.code == "ProxyNotAuthenticated" && r.backend == "cas.contoso.local")
        #expect(r.errorClass == .deployment)
        let m = read(#"R="z NO [Error=MailboxOfflineException Proxy=MBX02.contoso.com:1993:SSL] LOGIN failed.""#)
        #expect(m.text == "LOGIN failed." && m.code == "MailboxOfflineException" && m.backend == "MBX02.contoso.com")
        #expect(m.errorClass == .store)
        // After the text, as before.
        let after = read(#"R="z NO LOGIN failed. [Error=MailboxOfflineException Proxy=MBX02.contoso.com:1993:SSL]""#)
        #expect(after.text == "LOGIN failed." && after.code == "MailboxOfflineException")
        // A bracket with no `Error=` names no code; the text is still read.
        let plain = read(#"R="a2 NO [AUTHENTICATIONFAILED] LOGIN failed.""#)
        #expect(plain.text == "LOGIN failed." && plain.code.isEmpty && plain.errorClass == .authentication)
    }

    @Test func pop3RefusalsAndSuccessesHaveNoTag() {
        let refusal = read(
            #"R="-ERR Authentication failure: unknown user name or bad password.";"#
                + #"Msg="AuthFailed:LogonDenied,User: testuser";ErrMsg=AuthFailed:LogonDenied"#)
        #expect(refusal.outcome == .no && refusal.isFailure && refusal.tag.isEmpty)
        #expect(refusal.text == "Authentication failure: unknown user name or bad password.")
        #expect(refusal.code == "AuthFailed:LogonDenied" && refusal.errorClass == .authentication)
        let bare = read(#"R="-ERR Command is not valid in this state.""#)
        #expect(bare.outcome == .no && bare.tag.isEmpty && bare.text == "Command is not valid in this state.")
        for ok in [#"R="+OK User successfully logged on.""#, "R=+OK", #"R="+OK""#] {
            let r = read(ok)
            #expect(r.outcome == .ok && !r.isFailure && r.tag.isEmpty, "\(ok)")
        }
    }
}
