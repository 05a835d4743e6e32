"""Times imaplog against the tools an admin would otherwise use, on the same generated logs.

Run through Benchmarks/run.sh, which builds imaplog and installs DuckDB in a virtual environment.
Each tool computes the same thing: per server and command, the count, the failures (R is NO or BAD) and
p50/p99/max duration (IDLE and proxy rows left out). imaplog's numbers are checked against DuckDB's:
counts exactly, quantiles within the histogram's stated 1 %. DuckDB reading the CSV and counting its rows, nothing
more, shows what its aggregation costs at the least. imaplog alone is then timed on `--scale` times the logs, and
the issue's targets (speed, the ratio to DuckDB, peak memory at both sizes, linear time, .gz against gzip -dc) are
tabled with whether each is met.
"""

import argparse
import csv
import datetime
import json
import math
import os
import platform
import re
import statistics
import subprocess
import sys
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
FIELDS = ["dateTime", "sessionId", "seqNumber", "sIp", "cIp", "user", "duration", "rqsize", "rpsize", "command",
          "parameters", "context"]
COLUMNS = "{" + ",".join(f"'{f}':'{'BIGINT' if f in ('seqNumber', 'duration', 'rqsize', 'rpsize') else 'VARCHAR'}'"
                         for f in FIELDS) + "}"
FAILED = r'^R="[^ "]+ (NO|BAD) '


def duckdb_query(data, exact):
    p50 = "list_sort(list(duration) FILTER (WHERE command NOT IN ('idle','proxy')))" if exact else None
    quantiles = (
        f"{p50}[greatest(1, ceil(0.5 * count(duration) FILTER (WHERE command NOT IN ('idle','proxy'))))::BIGINT] AS p50, "
        f"{p50}[greatest(1, ceil(0.99 * count(duration) FILTER (WHERE command NOT IN ('idle','proxy'))))::BIGINT] AS p99, "
        if exact else
        "quantile_disc(duration, 0.5) FILTER (WHERE command NOT IN ('idle','proxy')) AS p50, "
        "quantile_disc(duration, 0.99) FILTER (WHERE command NOT IN ('idle','proxy')) AS p99, ")
    return (
        "SELECT regexp_extract(filename, '/([^/]+)/IMAP4[^/]*$', 1) AS server, command, count(*) AS n, "
        f"count(*) FILTER (WHERE regexp_matches(context, '{FAILED}')) AS failures, {quantiles}"
        "max(duration) FILTER (WHERE command NOT IN ('idle','proxy')) AS mx "
        f"FROM read_csv('{data}/*/*.LOG', delim=',', quote='\"', escape='\"', comment='#', skip=1, header=false, "
        f"filename=true, auto_detect=false, columns={COLUMNS}) "
        "WHERE command NOT IN ('OpenSession','CloseSession') GROUP BY ALL ORDER BY server, command")


def run_duckdb(data, exact=False):
    import duckdb
    return duckdb.connect().sql(duckdb_query(data, exact)).fetchall()


def run_duckdb_scan(data):
    """DuckDB reading the same CSV and counting its rows, nothing else: what its aggregation costs at the least."""
    import duckdb
    return duckdb.connect().sql(
        f"SELECT count(*) FROM read_csv('{data}/*/*.LOG', delim=',', quote='\"', escape='\"', comment='#', skip=1, "
        f"header=false, auto_detect=false, columns={COLUMNS})").fetchall()


def run_python(data):
    """The plain script an admin might write: csv module, lists, sort."""
    groups = {}
    failed = re.compile(FAILED)
    for server in sorted(os.listdir(data)):
        folder = os.path.join(data, server)
        for name in sorted(os.listdir(folder)):
            with open(os.path.join(folder, name), newline="", encoding="utf-8", errors="replace") as f:
                for row in csv.reader(f):
                    if not row or row[0].startswith("#") or row[0] == "dateTime" or len(row) < 12:
                        continue
                    command = row[9]
                    if command in ("OpenSession", "CloseSession"):
                        continue
                    g = groups.setdefault((server, command), [0, 0, []])
                    g[0] += 1
                    if failed.match(row[11]):
                        g[1] += 1
                    if command not in ("idle", "proxy") and row[6]:
                        g[2].append(int(row[6]))
    out = []
    for key, (n, failures, durations) in sorted(groups.items()):
        durations.sort()
        def nearest_rank(q):
            return durations[max(1, math.ceil(q * len(durations))) - 1] if durations else None
        out.append((*key, n, failures, nearest_rank(0.5), nearest_rank(0.99), durations[-1] if durations else None))
    return out


def run_once(command):
    """Wall time and peak RSS (MiB) of one run of a shell command."""
    start = time.perf_counter()
    child = subprocess.Popen(command, shell=True, stdout=subprocess.DEVNULL)
    _, status, usage = os.wait4(child.pid, 0)
    seconds = time.perf_counter() - start
    if status != 0:
        sys.exit(f"failed ({status}): {command}")
    return seconds, usage.ru_maxrss / 1024


def timed_rounds(tools, reps):
    """Runs every tool once per round, `reps` rounds, so that a slow stretch of a shared machine falls on all
    tools alike rather than on one tool's runs. Returns each tool's times and peak RSS."""
    times = {name: [] for name, _ in tools}
    peaks = {name: 0.0 for name, _ in tools}
    for round_number in range(reps):
        for name, command in tools:
            seconds, peak = run_once(command)
            times[name].append(seconds)
            peaks[name] = max(peaks[name], peak)
            print(f"round {round_number + 1}: {name:32s} {seconds:8.2f} s  {peak:7.0f} MiB", flush=True)
    return times, peaks


def binary_kind(path):
    """How the binary is linked: fully static (what Scripts/release.sh ships), the Swift runtime linked in, or the
    runtime loaded from the toolchain."""
    try:
        linked = subprocess.run(["ldd", path], capture_output=True, text=True)
    except OSError:
        return "release build"
    if "not a dynamic executable" in linked.stdout + linked.stderr or "statically linked" in linked.stdout:
        return "release build, fully static"
    return "release build, Swift runtime loaded from the toolchain" if "libswiftCore" in linked.stdout else \
        "release build, Swift runtime linked in"


def source_version():
    """The tree measured, as `git describe` names it (a `-dirty` suffix: uncommitted changes)."""
    try:
        return subprocess.run(["git", "-C", ROOT, "describe", "--tags", "--always", "--dirty"], capture_output=True,
                              text=True, check=True).stdout.strip()
    except (OSError, subprocess.CalledProcessError):
        return "unknown"


def result_path(finished):
    """A new file under Benchmarks/results/ named after the time the run ended (UTC), never one already written."""
    folder = os.path.join(ROOT, "Benchmarks", "results")
    os.makedirs(folder, exist_ok=True)
    stem = f"{finished:%Y-%m-%d-%H%M}"
    path, n = os.path.join(folder, stem + ".md"), 2
    while os.path.exists(path):
        path, n = os.path.join(folder, f"{stem}-{n}.md"), n + 1
    return path


def generated(bin_dir, size_mb):
    """The folder of generated logs of about `size_mb` MB, made by the repository's generator if missing."""
    data = os.path.join(ROOT, "Benchmarks", "data", f"{size_mb}mb")
    if not os.path.isdir(data):
        subprocess.run([os.path.join(bin_dir, "imaplog-samplegen"), "--out", data, "--bulk", str(size_mb)], check=True)
    return data


def folder_size(folder):
    return sum(os.path.getsize(os.path.join(d, f)) for d, _, fs in os.walk(folder) for f in fs)


def targets(size, seconds, ratios, peaks, scaled):
    """The issue's targets against this run's figures: (target, wanted, measured, met)."""
    mb_per_s = {name: size / t / 1e6 for name, t in seconds.items()}
    mb = {name: mib * 1.048576 for name, mib in peaks.items()}  # peak RSS in decimal megabytes, as the target
    rows = [
        ("folder analysis", "≥ 1,000 MB/s", f"{mb_per_s['imaplog, folder']:,.0f} MB/s",
         mb_per_s["imaplog, folder"] >= 1000),
        ("folder against DuckDB", "≥ 5.0×", f"{ratios['imaplog, folder']:.1f}×", ratios["imaplog, folder"] >= 5),
        ("standard input", "≥ 500 MB/s", f"{mb_per_s['imaplog, standard input']:,.0f} MB/s",
         mb_per_s["imaplog, standard input"] >= 500),
        (f"peak RSS, {size / 1e9:.1f} GB", "≤ 64 MB", f"{max(mb['imaplog, folder'], mb['imaplog, standard input']):.0f} MB",
         max(mb["imaplog, folder"], mb["imaplog, standard input"]) <= 64),
    ]
    if scaled:
        big_size, big_seconds, big_peak = scaled
        growth = (big_seconds / big_size) / (seconds["imaplog, folder"] / size)
        rows += [
            (f"peak RSS, {big_size / 1e9:.1f} GB", "≤ 64 MB", f"{big_peak * 1.048576:.0f} MB", big_peak * 1.048576 <= 64),
            ("time linear in size", "time per byte within ±15 %",
             f"{big_size / size:.1f}× the bytes in {big_seconds / seconds['imaplog, folder']:.1f}× the time "
             f"(per byte: {growth:.2f}×)", abs(growth - 1) <= 0.15),
        ]
    gzip = seconds["gzip -dc > /dev/null"]
    for name in ("imaplog, .gz folder", "imaplog, .gz on standard input"):
        rows.append((name.replace("imaplog, ", "") + " against gzip -dc", "as fast or faster",
                     f"{seconds[name]:.2f} s against {gzip:.2f} s", seconds[name] <= gzip))
    return rows


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--size-mb", type=int, default=1024)
    parser.add_argument("--bin", required=True)
    parser.add_argument("--reps", type=int, default=3)
    parser.add_argument("--scale", type=int, default=4,
                        help="also time imaplog on SCALE times the logs, for linear time and flat memory (0: skip)")
    args = parser.parse_args()

    data = generated(args.bin, args.size_mb)
    files = sorted(os.path.join(d, f) for d, _, fs in os.walk(data) for f in fs)
    size = sum(os.path.getsize(f) for f in files)
    # Warm the page cache (a glob, not the list: one shell string of thousands of paths is too long).
    subprocess.run(f"cat {data}/*/* > /dev/null", shell=True, check=True)
    lines = int(subprocess.run(f"cat {data}/*/* | wc -l", shell=True, capture_output=True, text=True).stdout)
    # The same logs gzipped, file by file, as servers' archives are: for the .gz rows.
    gz = data + "-gz"
    if not os.path.isdir(gz):
        for f in files:
            target = gz + f[len(data):] + ".gz"
            os.makedirs(os.path.dirname(target), exist_ok=True)
        subprocess.run(f"cd {data} && ls -d */* | xargs -P {os.cpu_count()} -I{{}} sh -c 'gzip -6 -c {{}} > {gz}/{{}}.gz'",
                       shell=True, check=True)
    subprocess.run(f"cat {gz}/*/* > /dev/null", shell=True, check=True)
    imaplog = os.path.join(args.bin, "imaplog")
    py = sys.executable
    here = os.path.abspath(__file__)
    tools = [
        ("imaplog, folder", f"{imaplog} --format json {data}"),
        ("imaplog, standard input", f"cat {data}/*/* | {imaplog} --format json -"),
        ("DuckDB (read_csv + SQL)", f"{py} -c 'import sys; sys.path.insert(0, \"{os.path.dirname(here)}\"); "
                                    f"import bench; bench.run_duckdb(\"{data}\")'"),
        ("DuckDB, read_csv + count(*) only", f"{py} -c 'import sys; sys.path.insert(0, \"{os.path.dirname(here)}\"); "
                                             f"import bench; bench.run_duckdb_scan(\"{data}\")'"),
        ("Python csv script", f"{py} -c 'import sys; sys.path.insert(0, \"{os.path.dirname(here)}\"); "
                              f"import bench; bench.run_python(\"{data}\")'"),
        ("imaplog, .gz folder", f"{imaplog} --format json {gz}"),
        ("imaplog, .gz on standard input", f"cat {gz}/*/* | {imaplog} --format json -"),
        ("gzip -dc > /dev/null", f"cat {gz}/*/* | gzip -dc > /dev/null"),
        ("cat > /dev/null", f"cat {data}/*/* > /dev/null"),
        ("wc -l", f"cat {data}/*/* | wc -l > /dev/null"),
    ]
    times, peaks = timed_rounds(tools, args.reps)
    # Linear time and flat memory: imaplog alone on `scale` times the logs.
    scaled = None
    if args.scale > 1:
        big = generated(args.bin, args.size_mb * args.scale)
        subprocess.run(f"cat {big}/*/* > /dev/null", shell=True, check=True)
        big_times, big_peaks = timed_rounds([("imaplog, folder (scaled)", f"{imaplog} --format json {big}")], args.reps)
        scaled = (folder_size(big), statistics.median(big_times["imaplog, folder (scaled)"]),
                  big_peaks["imaplog, folder (scaled)"])
    duck_times = times["DuckDB (read_csv + SQL)"]
    results = []
    for name, _ in tools:
        seconds = statistics.median(times[name])
        # Against DuckDB round by round (the two ran minutes apart at most), then the median.
        ratio = statistics.median(d / t for d, t in zip(duck_times, times[name]))
        results.append((name, seconds, min(times[name]), max(times[name]), peaks[name], ratio))
        print(f"{name:32s} {seconds:8.2f} s  {size / seconds / 1e6:8.0f} MB/s  {peaks[name]:7.0f} MiB  "
              f"{ratio:5.1f}x DuckDB", flush=True)

    # Agreement: imaplog's per server and command against DuckDB's exact nearest-rank figures.
    report = json.loads(subprocess.run([imaplog, "--format", "json", data], capture_output=True, check=True).stdout)
    mine = {}
    for entry in report["serverCommands"]:
        server = entry["server"].split(".")[0].upper()
        key = (server, entry["command"])
        latency = entry["latencyMs"]
        mine[key] = (entry["count"], entry["failures"], latency["p50"], latency["p99"], latency["max"],
                     latency["samples"])
    problems = []
    for server, command, n, failures, p50, p99, mx in run_duckdb(data, exact=True):
        key = (server.upper(), command.lower())
        if key not in mine:
            problems.append(f"{key}: missing from imaplog")
            continue
        count, fails, m50, m99, mmax, samples = mine[key]
        if (count, fails) != (n, failures):
            problems.append(f"{key}: count/failures {count}/{fails} vs DuckDB {n}/{failures}")
        for label, ours, theirs in (("p50", m50, p50), ("p99", m99, p99), ("max", mmax, mx)):
            if theirs is None:
                continue
            if abs(ours - theirs) > max(1, 0.01 * theirs):
                problems.append(f"{key}: {label} {ours} vs DuckDB {theirs}")
    # The .gz copy must give the same numbers as the plain files.
    zipped = json.loads(subprocess.run([imaplog, "--format", "json", gz], capture_output=True, check=True).stdout)
    if zipped["serverCommands"] != report["serverCommands"]:
        problems.append("the .gz copy gives other per-server, per-command numbers than the plain files")
    agreement = "agree" if not problems else f"DISAGREE ({len(problems)}): " + "; ".join(problems[:5])
    print("imaplog and DuckDB:", agreement)

    cpu = "unknown CPU"
    try:
        with open("/proc/cpuinfo") as f:
            cpu = next(l.split(":", 1)[1].strip() for l in f if l.startswith("model name"))
    except (OSError, StopIteration):
        pass
    table = ["| tool | median s | fastest-slowest s | MB/s | lines/s | peak RSS MiB | vs DuckDB |",
             "|---|---|---|---|---|---|---|"]
    for name, seconds, fastest, slowest, peak, ratio in results:
        table.append(f"| {name} | {seconds:.2f} | {fastest:.2f}-{slowest:.2f} | {size / seconds / 1e6:.0f} | "
                     f"{lines / seconds / 1e6:.2f} M | {peak:.0f} | {ratio:.1f}× |")
    medians = {name: seconds for name, seconds, *_ in results}
    ratios = {name: ratio for name, *_, ratio in results}
    target_rows = targets(size, medians, ratios, peaks, scaled)
    target_table = ["| target | wanted | measured | met |", "|---|---|---|---|"]
    target_table += [f"| {t} | {w} | {m} | {'yes' if ok else '**no**'} |" for t, w, m, ok in target_rows]
    print("\n".join(target_table))
    duck = medians["DuckDB (read_csv + SQL)"]
    floor_note = (
        f"5× DuckDB is {duck / 5:.2f} s on this machine: {duck / 5 / medians['cat > /dev/null']:.1f}× the time "
        f"`cat` takes to copy the bytes to /dev/null, and {medians['DuckDB, read_csv + count(*) only'] / (duck / 5):.1f}× "
        f"less than DuckDB takes to read the CSV without aggregating anything.")
    print(floor_note)
    finished = datetime.datetime.now(datetime.timezone.utc)
    section = "\n".join([
        f"# Benchmark run of {finished:%Y-%m-%d %H:%M} UTC, {args.size_mb} MB requested",
        "",
        f"Measured on `{source_version()}` (git describe).",
        "",
        f"{size / 1e6:.0f} MB in {len(files)} files, {lines:,} lines; {os.cpu_count()} cores ({cpu}), "
        f"{platform.system()} {platform.release()}; medians of {args.reps} rounds, each running every tool once "
        f"(vs DuckDB: the median of the rounds' ratios); "
        f"DuckDB {__import__('duckdb').__version__}, Python {platform.python_version()}; imaplog as built by "
        f"`Benchmarks/run.sh` ({binary_kind(imaplog)}).",
        "",
        *table,
        "",
        *target_table,
        "",
        floor_note + (f" The scaled run read {scaled[0] / 1e9:.1f} GB (imaplog alone, medians of {args.reps})."
                      if scaled else ""),
        "",
        f"imaplog and DuckDB {agreement} (counts exactly, p50/p99/max within 1 %); the .gz rows read the same "
        f"files gzipped ({sum(os.path.getsize(os.path.join(d, f)) for d, _, fs in os.walk(gz) for f in fs) / 1e6:.0f} MB), "
        "MB/s counted on the uncompressed size.",
        "",
    ])
    # One file per run (Benchmarks/README.md links the runs and quotes the latest).
    path = result_path(finished)
    with open(path, "w") as f:
        f.write(section)
    print(f"written to {os.path.relpath(path, ROOT)}")
    if problems:
        sys.exit(1)


if __name__ == "__main__":
    main()
