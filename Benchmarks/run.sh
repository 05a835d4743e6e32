#!/usr/bin/env bash
# Benchmarks/run.sh [SIZE_MB]: imaplog against DuckDB, a Python csv script, cat and wc -l, on generated logs.
# Results go to a new file, Benchmarks/results/YYYY-MM-DD-HHMM.md (UTC), with the issue's targets and whether each
# is met; Benchmarks/README.md says how to read them. REPS=N sets the rounds
# (default 3; each round runs every tool once; medians are reported); SCALE=N also times imaplog alone on N times the
# logs, for linear time and flat memory (default 4; 0 skips it).
set -euo pipefail
cd "$(dirname "$0")/.."
if [ -x /opt/swift/usr/bin/swift ]; then export PATH="/opt/swift/usr/bin:$PATH"; fi

size_mb="${1:-1024}"
# The binary timed is built as the one Scripts/release.sh ships: on Linux, fully static (`-static-executable`: glibc,
# the Swift runtime and Foundation linked in), built apart so `swift run` and `swift test` keep theirs.
static=()
if [ "$(uname -s)" = Linux ]; then static=(-Xswiftc -static-executable --build-path .build/static); fi
swift build -c release --product imaplog ${static[@]+"${static[@]}"} >/dev/null
swift build -c release --product imaplog-samplegen ${static[@]+"${static[@]}"} >/dev/null
bin="$(swift build -c release ${static[@]+"${static[@]}"} --show-bin-path)"

venv=Benchmarks/.venv
if [ ! -x "$venv/bin/python" ]; then python3 -m venv "$venv"; fi
"$venv/bin/python" -c "import duckdb" 2>/dev/null || "$venv/bin/pip" install -q duckdb

exec "$venv/bin/python" Benchmarks/bench.py --size-mb "$size_mb" --bin "$bin" --reps "${REPS:-3}" --scale "${SCALE:-4}"
