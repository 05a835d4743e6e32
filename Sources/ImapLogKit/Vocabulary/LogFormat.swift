/// The two layouts Exchange has written.
package enum LogFormat: String, Codable, Sendable {
    /// Exchange 2013 and later: one row per command, with duration and context.
    case commandRows = "2013+"
    /// Exchange 2007/2010: one row per protocol event (`<` received, `>` sent, …).
    case protocolEvents = "2007/2010"
}
