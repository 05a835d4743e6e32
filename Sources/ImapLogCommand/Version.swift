extension Command {
    /// imaplog's version, as `--version` and every report's header say it.
    ///
    /// The one place it is written: a release build may put one made from `git describe` here.
    public static let version = "0.1.0"
}
