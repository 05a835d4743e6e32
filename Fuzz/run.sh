#!/usr/bin/env bash
# Fuzz/run.sh [SECONDS] [JOBS]: fuzzes the record parser, the context decoder and the report with libFuzzer.
# Builds ImapLogKit's sources with the fuzz entry (-sanitize=fuzzer,address), seeds a corpus from
# SampleLogs/ and Fuzz/seeds/ (the edge cases of the domain notes), runs for SECONDS (default 600).
# Crashes land in Fuzz/artifacts/; turn each into a regression test (Tests/ImapLogKitTests/Analysis/FuzzRegressionTests.swift).
set -euo pipefail
cd "$(dirname "$0")/.."
if [ -x /opt/swift/usr/bin/swiftc ]; then export PATH="/opt/swift/usr/bin:$PATH"; fi
seconds="${1:-600}"
jobs="${2:-1}"
work=Fuzz/.work
mkdir -p "$work/corpus" Fuzz/artifacts

# Seeds: every sample log cut into pieces of at most 4 KiB at line ends, plus the hand-made edge cases.
if [ -z "$(ls -A "$work/corpus")" ]; then
    find SampleLogs -type f \( -name '*.LOG' -o -name '*.log' \) -print0 |
        while IFS= read -r -d '' file; do
            split -C 4096 -d -a 4 "$file" "$work/corpus/$(echo "$file" | tr '/ ' '__')."
        done
    cp Fuzz/seeds/* "$work/corpus/"
fi

# The three library targets compiled as one module, so the fuzz entry reaches every stage: copies of their
# sources without the imports of one another.
rm -rf "$work/src" && mkdir -p "$work/src"
for f in $(find Sources/ImapLogKit Sources/ImapLogDiagnosis Sources/ImapLogReport -name '*.swift'); do
    sed -E '/^import ImapLog(Kit|Diagnosis|Report)$/d' "$f" > "$work/src/$(echo "$f" | tr / _)"
done
sources=$(find "$work/src" -name '*.swift')
# A binary left from an earlier build must not stand in for one that no longer compiles.
rm -f "$work/fuzz-imaplog"
swiftc -O -g -sanitize=fuzzer,address -parse-as-library -module-name ImapLogKit -package-name imaplog \
    -I Sources/CZlib -lz $sources Fuzz/FuzzEntry.swift -o "$work/fuzz-imaplog" 2>&1 | grep -v warning || true
test -x "$work/fuzz-imaplog"

parallel=()
if [ "$jobs" -gt 1 ]; then parallel=(-jobs="$jobs" -workers="$jobs"); fi
# libFuzzer writes its per-job logs (fuzz-N.log) in the current folder.
cd "$work"
./fuzz-imaplog corpus -max_total_time="$seconds" -max_len=65536 -timeout=10 -rss_limit_mb=2048 \
    "${parallel[@]}" -artifact_prefix=../artifacts/ -print_final_stats=1
