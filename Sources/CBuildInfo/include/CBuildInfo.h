#ifndef IMAPLOG_CBUILDINFO_H
#define IMAPLOG_CBUILDINFO_H

/// The version this binary was built as: what `git describe --tags --always --dirty` said when
/// Scripts/release.sh built it (passed as `-Xcc -DIMAPLOG_VERSION="…"`), or "dev" for any other build.
///
/// The version is never written in the code, so a plain `swift build` (and the golden files) says "dev".
const char *imaplog_build_version(void);

#endif
