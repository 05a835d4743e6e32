#!/usr/bin/env bash
# Scripts/release.sh: builds the binary to copy onto a server, as dist/imaplog-VERSION-linux-ARCH with a .sha256
# beside it.
#
# Fully static (`-static-executable`): glibc, libstdc++, zlib, the Swift runtime and Foundation are all linked in, so
# the binary starts on any Linux of its architecture, whatever its C library (a `--static-swift-stdlib` build needs
# glibc 2.35 and GCC 12's libstdc++ on the server). Stripped. VERSION is `git describe --tags --always --dirty`,
# passed to the CBuildInfo target at build time (a plain `swift build` says "dev"). The build goes to
# .build/release-static, so `swift build`, `swift test` and Benchmarks/run.sh keep their own.
#
# Before it writes anything to dist/, the script checks that the binary is static (`file`, `ldd`), that it runs
# (`--version`, SampleLogs/), and that it prints what the golden files under Tests/Golden/ hold, byte for byte but
# for the version: the static Foundation (time zones, number formats in French) must behave as the tested build.
#
# Needs Linux, the Swift toolchain with its static libraries (usr/lib/swift_static), zlib's static library
# (zlib1g-dev), glibc's (libc6-dev), GCC's libstdc++.a, `file` and Python 3.
set -euo pipefail
cd "$(dirname "$0")/.."
if [ -x /opt/swift/usr/bin/swift ]; then export PATH="/opt/swift/usr/bin:$PATH"; fi

fail() {
    echo "release: $*" >&2
    exit 1
}

[ "$(uname -s)" = Linux ] || fail "a fully static binary is built on Linux only (this is $(uname -s))"
arch="$(uname -m)"
compiler="$(command -v cc || command -v clang || true)"
[ -n "$compiler" ] || fail "a C compiler (cc or the toolchain's clang) is needed to find the static libraries"
for library in libz.a libc.a libstdc++.a; do
    found="$("$compiler" -print-file-name="$library" 2>/dev/null || true)"
    [ -f "$found" ] || fail "$library not found: apt-get install zlib1g-dev libc6-dev libstdc++-12-dev (or your GCC's)"
done
command -v file >/dev/null || fail "file(1) is needed to check the binary: apt-get install file"
command -v python3 >/dev/null || fail "Python 3 is needed to replay the golden files' runs"

version="$(git describe --tags --always --dirty)"
# It becomes a C string literal and a file name: only what tags and hashes hold.
[[ "$version" =~ ^[A-Za-z0-9._+-]+$ ]] || fail "git describe gave '$version', not a usable version"
case "$version" in *-dirty) echo "release: tracked files have uncommitted changes: the version says so" >&2 ;; esac

build_path=.build/release-static
echo "Building imaplog $version, fully static, in $build_path (several minutes)"
flags=(-c release --product imaplog --build-path "$build_path" -Xswiftc -static-executable
    -Xcc "-DIMAPLOG_VERSION=\"$version\"")
swift build "${flags[@]}"
built="$(swift build "${flags[@]}" --show-bin-path)/imaplog"

work="$(mktemp -d "${TMPDIR:-/tmp}/imaplog-release.XXXXXX")"
trap 'rm -rf "$work"' EXIT
binary="$work/imaplog"
cp "$built" "$binary"
strip --strip-all "$binary"

# Static: no interpreter, nothing for the loader to find.
description="$(file -b "$binary")"
case "$description" in
    *"statically linked"* | *"static-pie linked"*) ;;
    *) fail "not a static binary: $description" ;;
esac
# glibc's ldd says "not a dynamic executable" (exit 1) for -static, "statically linked" for a static PIE.
linked="$(ldd "$binary" 2>&1 || true)"
if grep -q "=>" <<<"$linked"; then fail "ldd lists libraries for it: $(tr '\n' ' ' <<<"$linked")"; fi

# It runs, and says its version.
said="$("$binary" --version)"
[ "$said" = "imaplog $version" ] || fail "--version said '$said', not 'imaplog $version'"
status=0
"$binary" SampleLogs/ </dev/null >"$work/sample.txt" 2>&1 || status=$?
[ "$status" -eq 0 ] || fail "imaplog SampleLogs/ ended with $status: $(head -c 500 "$work/sample.txt")"

# The golden files' runs, as Tests/imaplogTests/GoldenTests.swift makes them: the command on the file's first line,
# TZ=UTC, NO_COLOR=1, COLUMNS=120, standard input empty, the clock a minute after the logs' last row. Only the
# version may differ.
normalise() {
    sed -E -e '1,/^--- stdout$/!s/^imaplog [A-Za-z0-9._+-]+: /imaplog VERSION: /' \
        -e 's/^( *"version" : )"[A-Za-z0-9._+-]*"$/\1"VERSION"/' "$1"
}
checked=0
differing=()
for golden in Tests/Golden/*/*.txt; do
    read -r -a arguments < <(head -n 1 "$golden" | sed 's/^\$ imaplog //')
    now="$("$binary" --format json "${arguments[-1]}" 2>/dev/null | python3 -c '
import datetime, json, sys
last = json.load(sys.stdin)["input"].get("last")
if last:
    t = datetime.datetime.strptime(last, "%Y-%m-%dT%H:%M:%S.%fZ") + datetime.timedelta(minutes=1)
    print(t.strftime("%Y-%m-%dT%H:%M:%S.") + f"{t.microsecond // 1000:03d}Z")
')"
    status=0
    env TZ=UTC NO_COLOR=1 COLUMNS=120 ${now:+IMAPLOG_NOW="$now"} "$binary" "${arguments[@]}" </dev/null \
        >"$work/stdout" 2>"$work/stderr" || status=$?
    {
        printf '$ imaplog %s\nexit %d\n--- stdout\n' "${arguments[*]}" "$status"
        cat "$work/stdout"
        printf -- '--- stderr\n'
        cat "$work/stderr"
    } >"$work/actual"
    if ! cmp -s <(normalise "$golden") <(normalise "$work/actual"); then
        differing+=("$golden")
        diff <(normalise "$golden") <(normalise "$work/actual") | head -n 10 >&2 || true
    fi
    checked=$((checked + 1))
done
[ ${#differing[@]} -eq 0 ] || fail "${#differing[@]} of $checked golden runs differ: ${differing[*]}"

mkdir -p dist
name="imaplog-$version-linux-$arch"
cp "$binary" "dist/$name"
(cd dist && sha256sum "$name" >"$name.sha256")
echo "dist/$name: $(du -h "dist/$name" | cut -f1), $description"
echo "static (ldd: $(tr -d '\t' <<<"$linked")); --version, SampleLogs/ and $checked golden runs as tested"
cat "dist/$name.sha256"
