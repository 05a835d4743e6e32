#!/usr/bin/env bash
# .ci/memory-bombs.sh [BINARY]: runs imaplog on the hostile inputs of issue 20 (made by .ci/memory-bombs.py in a
# temporary folder, removed at the end) and fails if any run takes more than 256 MiB (peak resident memory, from
# /usr/bin/time -f %M), more than 60 s, or ends above 127 (a crash). BINARY defaults to the release build.
#
# Each bomb is `name|enforced|arguments` (`@` stands for the bomb's path; `<@` reads it from standard input, with
# no folder to name its server, as `cat`ted logs of many servers would be). Bombs of parts fixed on other branches
# are `pending` until those fixes are merged: they are run and reported, but do not fail the script; switch each
# on (pending -> yes) at the merge, or run everything as enforced with IMAPLOG_BOMBS_ALL=1.
set -euo pipefail
cd "$(dirname "$0")/.."
binary="${1:-.build/release/imaplog}"
limit_kib=$((256 * 1024))
limit_seconds=60
if [ ! -x /usr/bin/time ]; then echo "memory-bombs: /usr/bin/time is missing (apt-get install time)" >&2; exit 1; fi
if [ ! -x "$binary" ]; then echo "memory-bombs: no binary at $binary" >&2; exit 1; fi

bombs=(
    "commands|yes|--check @"
    "histograms|yes|--format json <@"
    "server-folders|yes|--format json @"
    "backends|yes|--format json @"
    "random-time|yes|--format json <@"
    "sessions|yes|--format json @"
    "headers|yes|--format json @"
    "overlap-zip|yes|--format json @"
    "padded-summary|yes|merge @"
    "huge-alert|yes|--alert @ SampleLogs/01-quiet-morning"
    "gzip-lines|yes|--format json @"
    "gzip-long-line|yes|--format json @"
    "gzip-members|yes|--format json @"
    "distinct-backends|yes|--format json @"
    "century-failures|yes|--format json @"
    "frontends-x-backends|yes|--format json @"
)

work="$(mktemp -d "${TMPDIR:-/tmp}/imaplog-bombs.XXXXXX")"
trap 'rm -rf "$work"' EXIT
failed=0
printf '%-16s %-8s %10s %8s %5s  %s\n' bomb enforced peak time exit verdict
for bomb in "${bombs[@]}"; do
    IFS='|' read -r name enforced arguments <<<"$bomb"
    if [ "${IMAPLOG_BOMBS_ALL:-0}" = 1 ]; then enforced=yes; fi
    path="$(python3 .ci/memory-bombs.py "$work" "$name" "$binary")"
    args=()
    input=/dev/null
    for word in $arguments; do
        if [ "$word" = "<@" ]; then input="$path"; else args+=("${word/#@/$path}"); fi
    done
    status=0
    rm -f "$work/time"
    timeout -s KILL "$((limit_seconds + 5))" /usr/bin/time -f '%M %e' -o "$work/time" \
        "$binary" "${args[@]}" <"$input" >/dev/null 2>"$work/stderr" || status=$?
    verdict=ok
    if [ -s "$work/time" ] && tail -n 1 "$work/time" | grep -qE '^[0-9]+ [0-9.]+$'; then
        read -r kib seconds < <(tail -n 1 "$work/time")
        # GNU time reports a child killed by a signal as "Command terminated by signal N" before its figures.
        if [ "$status" -gt 127 ]; then verdict="crashed ($(head -c 300 "$work/stderr" | tr '\n' ' '))"; fi
    else
        # Stopped by the timer: no figures, it took the whole time.
        kib=0
        seconds=$((limit_seconds + 5))
    fi
    if [ "$kib" -gt "$limit_kib" ]; then verdict="over 256 MiB"; fi
    if [ "${seconds%.*}" -ge "$limit_seconds" ]; then verdict="over ${limit_seconds} s"; fi
    printf '%-16s %-8s %7d KiB %7ss %5d  %s\n' "$name" "$enforced" "$kib" "$seconds" "$status" "$verdict"
    if [ "$verdict" != ok ] && [ "$enforced" = yes ]; then failed=$((failed + 1)); fi
    rm -rf "$work/$name" "$work/$name".*
done
enforced_count=0
for bomb in "${bombs[@]}"; do
    if [ "${IMAPLOG_BOMBS_ALL:-0}" = 1 ] || [ "$(cut -d'|' -f2 <<<"$bomb")" = yes ]; then
        enforced_count=$((enforced_count + 1))
    fi
done
echo "memory-bombs: $((enforced_count - failed)) passed, $failed failed"
if [ "$failed" -gt 0 ]; then exit 1; fi
