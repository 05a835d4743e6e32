import ImapLogCommand

extension ExitStatus {
    /// The process's exit status: BSD's sysexits, as `imaplog --help` lists them, or with `--check` the monitoring
    /// plugin's 0 OK, 1 WARNING, 2 CRITICAL, 3 UNKNOWN.
    var exitCode: Int32 {
        switch self {
        case .success: 0
        case .usage: 64  // EX_USAGE
        case .noRecords: 65  // EX_DATAERR
        case .noInput: 66  // EX_NOINPUT
        case .ioError: 74  // EX_IOERR
        case .check(let status): status.rawValue
        }
    }
}
