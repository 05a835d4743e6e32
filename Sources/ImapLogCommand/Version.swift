import CBuildInfo

extension Command {
    /// imaplog's version, as `--version` and every report's header say it.
    ///
    /// Never written in the code: `Scripts/release.sh` builds with the output of `git describe`
    /// (`-Xcc -DIMAPLOG_VERSION=…`, see `Sources/CBuildInfo`); any other build says "dev".
    package static let version = String(cString: imaplog_build_version())
}
