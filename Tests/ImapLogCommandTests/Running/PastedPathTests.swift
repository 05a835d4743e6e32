import Testing

@testable import ImapLogCommand

@Suite("A path pasted at the prompt")
struct PastedPathTests {
    @Test func pastedPathsAreTidied() {
        #expect(PastedPath.clean("  \"C:\\Program Files\\Logs\"  \n", home: nil) == "C:\\Program Files\\Logs")
        #expect(PastedPath.clean("& 'D:\\Imap4'", home: nil) == "D:\\Imap4")
        #expect(PastedPath.clean("~/logs ", home: "/home/admin") == "/home/admin/logs")
        #expect(PastedPath.clean("file:///var/logs", home: nil) == "/var/logs")
    }
}
