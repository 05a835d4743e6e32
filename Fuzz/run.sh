#!/usr/bin/env bash
# Fuzz/run.sh [TARGET|all] [SECONDS] [JOBS]: fuzzes one part of imaplog with libFuzzer and AddressSanitizer.
#
# TARGET is the name of an entry in Fuzz/Entries/ (records: the record parser, the context decoder and the
# report; alert: the alert reader; options: the option parser; the others say what they fuzz in their first
# lines); `all` runs every entry in turn, SECONDS each (default 600). Each entry is built with the three
# library targets' sources as one module, its corpus seeded from Fuzz/seeds/TARGET/ (and, for records,
# SampleLogs/). Crashes land in Fuzz/artifacts/TARGET/; turn each into a regression test.
set -euo pipefail
cd "$(dirname "$0")/.."
if [ -x /opt/swift/usr/bin/swiftc ]; then export PATH="/opt/swift/usr/bin:$PATH"; fi
target="${1:-records}"
seconds="${2:-600}"
jobs="${3:-1}"

if [ "$target" = all ]; then
    for entry in Fuzz/Entries/*.swift; do
        "$0" "$(basename "$entry" .swift)" "$seconds" "$jobs"
    done
    exit 0
fi
entry="Fuzz/Entries/$target.swift"
if [ ! -f "$entry" ]; then
    echo "Fuzz/run.sh: no entry $entry; there are: $(cd Fuzz/Entries && ls *.swift | sed 's/\.swift$//' | tr '\n' ' ')" >&2
    exit 64
fi
work=Fuzz/.work
corpus="$work/corpus/$target"
artifacts="Fuzz/artifacts/$target"
mkdir -p "$corpus" "$artifacts"

# Seeds: the entry's own, and for the record parser every sample log cut into pieces of at most 4 KiB at line
# ends.
if [ -z "$(ls -A "$corpus")" ]; then
    if [ "$target" = records ]; then
        find SampleLogs -type f \( -name '*.LOG' -o -name '*.log' \) -print0 |
            while IFS= read -r -d '' file; do
                split -C 4096 -d -a 4 "$file" "$corpus/$(echo "$file" | tr '/ ' '__')."
            done
    fi
    if [ -d "Fuzz/seeds/$target" ]; then cp -R "Fuzz/seeds/$target/." "$corpus/"; fi
    # libFuzzer needs one input to start from.
    if [ -z "$(ls -A "$corpus")" ]; then printf 'x' > "$corpus/empty"; fi
fi

# The three library targets compiled as one module, so the entry reaches every stage: copies of their sources
# without the imports of one another.
src="$work/src"
rm -rf "$src" && mkdir -p "$src"
# An entry may name other sources it needs on a line `// fuzz-also: PATH …` (the option parser lives in the
# executable target, whose other files hold `@main`): compiled in for that entry only.
for f in $(find Sources/ImapLogKit Sources/ImapLogDiagnosis Sources/ImapLogReport -name '*.swift') \
    $(sed -n 's|^// fuzz-also: ||p' "$entry"); do
    sed -E '/^import ImapLog(Kit|Diagnosis|Report)$/d' "$f" > "$src/$(echo "$f" | tr / _)"
done
binary="$work/fuzz-$target"
# A binary left from an earlier build must not stand in for one that no longer compiles.
rm -f "$binary"
swiftc -O -g -sanitize=fuzzer,address -parse-as-library -module-name ImapLogKit -package-name imaplog \
    -I Sources/CZlib -lz $(find "$src" -name '*.swift') "$entry" -o "$binary" 2>&1 | grep -v warning || true
test -x "$binary"

parallel=()
if [ "$jobs" -gt 1 ]; then parallel=(-jobs="$jobs" -workers="$jobs"); fi
# libFuzzer writes its per-job logs (fuzz-N.log) in the current folder.
cd "$work"
"./fuzz-$target" "corpus/$target" -max_total_time="$seconds" -max_len=65536 -timeout=10 -rss_limit_mb=2048 \
    "${parallel[@]}" -artifact_prefix="../artifacts/$target/" -print_final_stats=1
