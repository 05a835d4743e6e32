import Foundation

/// Renders a report as JSON: the documented contract, keys sorted, so equal reports are equal bytes.
public enum JSONRenderer {
    public static func render(_ report: Report) throws -> String {
        String(decoding: try renderBytes(report), as: UTF8.self)
    }

    /// The JSON as UTF-8 bytes, ending in a newline (no copy into a `String`: reports can be megabytes).
    public static func renderBytes(_ report: Report) throws -> Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        var data = try encoder.encode(report)
        data.append(0x0A)
        return data
    }
}

/// Renders one table of a report as CSV (RFC 4180), formulas neutralised.
public enum CSVRenderer {
    /// The tables `--table` can name.
    public enum Table: String, CaseIterable, Sendable {
        case servers, commands, errors, users, clients, timeline, files
    }

    public static func render(_ report: Report, table: Table) -> String {
        var rows: [[String]] = []
        switch table {
        case .servers:
            rows.append([
                "server", "role", "seen_from", "sessions", "commands", "failures", "failure_rate", "p50_ms", "p90_ms",
                "p99_ms", "max_ms", "mean_ms", "proxied_sessions", "proxied_commands", "proxied_failures",
                "request_bytes", "response_bytes",
            ])
            for s in report.servers {
                rows.append(
                    [
                        s.server, s.role.rawValue, s.seenFrom, "\(s.sessions)", "\(s.commands)", "\(s.failures)",
                        "\(s.failureRate)",
                    ] + latency(s.latencyMs)
                        + ["\(s.proxied?.sessions ?? 0)", "\(s.proxied?.commands ?? 0)", "\(s.proxied?.failures ?? 0)"]
                        + ["\(s.requestBytes)", "\(s.responseBytes)"])
            }
        case .commands:
            rows.append([
                "command", "count", "failures", "p50_ms", "p90_ms", "p99_ms", "max_ms", "mean_ms", "request_bytes",
                "response_bytes",
            ])
            for c in report.commands {
                rows.append(
                    [c.command, "\(c.count)", "\(c.failures)"] + latency(c.latencyMs)
                        + ["\(c.requestBytes)", "\(c.responseBytes)"])
            }
        case .errors:
            rows.append(["class", "code", "message", "count", "servers", "example"])
            for e in report.errors {
                rows.append([
                    e.errorClass.rawValue, e.code, e.message, "\(e.count)", e.servers.joined(separator: " "),
                    e.example ?? "",
                ])
            }
        case .users, .clients:
            rows.append([
                table == .users ? "user" : "address", "commands", "failures", "failed_logons", "credential_failures",
                "sessions",
            ])
            for p in table == .users ? report.users : report.clients {
                rows.append([
                    p.name, "\(p.commands)", "\(p.failures)", "\(p.failedLogons)", "\(p.credentialFailures)",
                    "\(p.sessions)",
                ])
            }
        case .timeline:
            rows.append(["time", "server", "role", "requests", "failures", "mean_latency_ms"])
            for b in report.timeline {
                rows.append([b.time, b.server, b.role.rawValue, "\(b.requests)", "\(b.failures)", "\(b.meanLatencyMs)"])
            }
        case .files:
            rows.append([
                "path", "role", "server", "format", "lines", "header_lines", "records", "skipped", "first", "last",
            ])
            for f in report.input.files {
                rows.append([
                    f.path, f.role.rawValue, f.server ?? "", f.format ?? "", "\(f.lines)", "\(f.headerLines)",
                    "\(f.records)", "\(f.skipped)", f.first ?? "", f.last ?? "",
                ])
            }
        }
        return rows.map { $0.map(Sanitize.csvCell).joined(separator: ",") }.joined(separator: "\r\n") + "\r\n"
    }

    private static func latency(_ l: Report.Latency) -> [String] {
        ["\(l.p50)", "\(l.p90)", "\(l.p99)", "\(l.max)", "\(l.mean)"]
    }
}
