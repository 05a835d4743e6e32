/// Which side of Exchange's IMAP4 (or POP3) proxy wrote a log.
package enum Role: String, Codable, Sendable, Comparable, CaseIterable {
    /// Client Access (front end) service, MSExchangeImap4, ports 143/993: `IMAP4*.LOG`.
    case frontEnd
    /// Mailbox (back end) service, MSExchangeImap4BE, ports 1143/1993: `IMAP4BE*.LOG`.
    case backEnd
    /// Not known from the name or the port.
    case unknown

    package static func < (lhs: Role, rhs: Role) -> Bool {
        lhs.order < rhs.order
    }

    private var order: Int {
        switch self {
        case .frontEnd: return 0
        case .backEnd: return 1
        case .unknown: return 2
        }
    }

    /// The role a local port implies: 993/143 front end, 1993/1143 back end (also POP3's 995/110, 1995/1110).
    static func fromLocalPort(_ port: Int) -> Role {
        switch port {
        case 993, 143, 995, 110: return .frontEnd
        case 1993, 1143, 1995, 1110: return .backEnd
        default: return .unknown
        }
    }
}
