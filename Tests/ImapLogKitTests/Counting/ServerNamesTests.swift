import Foundation
import Testing

@testable import ImapLogDiagnosis
@testable import ImapLogKit
@testable import ImapLogReport

/// Short server names and the fully qualified names they stand for.
@Suite("Server names")
struct ServerNamesTests {
    @Test func shortNamesMergeWithTheirFQDNWhenUnambiguous() {
        let names = ServerNames.canonicalNames([
            "mbx01", "mbx01.contoso.com", "cas01", "ex01", "ex01.a.com", "ex01.b.com", "10.0.0.1",
        ])
        #expect(names["mbx01"] == "mbx01.contoso.com")
        #expect(names["cas01"] == "cas01")
        #expect(names["ex01"] == "ex01")  // two FQDNs share the label: ambiguous, kept apart
        #expect(names["10.0.0.1"] == "10.0.0.1")
    }
}
