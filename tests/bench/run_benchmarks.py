#!/usr/bin/python3
"""Runs gdviz's benchmarks and their peers on this machine in one go, and prints each pair and its ratio.

    /usr/bin/python3 tests/bench/run_benchmarks.py [--build build] [--repetitions N] [--filter REGEX]

(a) Every Google Benchmark executable <build>/bench/bench_* runs with --benchmark_repetitions=N; each
    benchmark's median over the repetitions is its "gdviz" side (p99 from the repetitions). A benchmark named
    "<key>@<side>" is a physical limit measured in the same binary: the side <side> of <key>.
(b) Every executable <build>/bench/measure_* and every script tests/bench/peer_*.py / measure_*.py (scripts
    with /usr/bin/python3; all given --build <dir> --repetitions N, and --filter REGEX for peer scripts) prints
    JSON lines, one record per measurement: {"key", "side", "median_s" | "value"+"unit", optional "p99_s",
    "runs", "work" {"updates": ..}, "goal", "met"}.
Records are grouped by key; each other side is printed against gdviz with ratio = other / gdviz (how many
times faster gdviz is; against a limit side, gdviz's share of the limit's speed). Goals come from GOALS below
or from the record itself. Exits 0 when everything ran (missed goals included), 1 when something failed to run.
"""

import argparse
import glob
import json
import os
import re
import statistics
import subprocess
import sys

HERE = os.path.dirname(os.path.abspath(__file__))

# Issue 5's goals for pairs: key pattern -> (other side pattern, minimum ratio other/gdviz, text), and
# absolute goals on gdviz's median: key pattern -> (maximum seconds, text).
RATIO_GOALS = [
    (r"^analytic_updates/", r"^numpy loop$", 100, ">= 100x numpy loop"),
    (r"^full_batch_linear/", r"^numpy$", 3, ">= 3x numpy"),
    (r"^full_batch_linear/", r"^read pass$", 0.6, ">= 60% of read pass"),
    (r"^minibatch_linear/", r"^numpy loop$", 100, ">= 100x numpy loop"),
    (r"^contour_lines/", r"^contourpy$", 1, "no slower than contourpy"),
]
TIME_GOALS = [
    (r"^surface_grid/512/rosenbrock$", 0.010, "< 10 ms"),
    (r"^surface_grid/512/expression$", 0.025, "< 25 ms"),
]


def percentile99(values):
    ordered = sorted(values)
    return ordered[max(0, -(-99 * len(ordered) // 100) - 1)]


def run_google_benchmark(path, repetitions, pattern, failures):
    """Records for one Google Benchmark binary: median (and p99) of each benchmark's repetitions."""
    command = [path, "--benchmark_format=json", f"--benchmark_repetitions={repetitions}",
               "--benchmark_report_aggregates_only=false"]
    if pattern:
        command.append(f"--benchmark_filter={pattern}")
    print(f"# running {' '.join(command)}", file=sys.stderr, flush=True)
    done = subprocess.run(command, capture_output=True, text=True)
    if done.returncode != 0:
        failures.append(f"{os.path.basename(path)} exited with {done.returncode}: {done.stderr.strip()[-500:]}")
        return []
    if not done.stdout.strip():  # the filter matched none of this binary's benchmarks
        return []
    report = json.loads(done.stdout)
    scale = {"ns": 1e-9, "us": 1e-6, "ms": 1e-3, "s": 1.0}
    runs, work = {}, {}
    for entry in report["benchmarks"]:
        if entry.get("error_occurred"):
            failures.append(f"{entry['name']}: {entry.get('error_message', 'error')}")
            continue
        if entry.get("run_type") != "iteration":
            continue
        name = re.sub(r"/real_time$", "", entry["run_name"])
        runs.setdefault(name, []).append(entry["real_time"] * scale[entry["time_unit"]])
        work[name] = {k: entry[k] for k in ("updates", "samples", "nodes", "points") if k in entry}
    records = []
    for name, times in runs.items():
        key, _, side = name.partition("@")
        record = {"key": key, "side": side or "gdviz", "median_s": statistics.median(times),
                  "p99_s": percentile99(times), "runs": len(times)}
        if work[name]:
            record["work"] = work[name]
        records.append(record)
    return records


def run_json_lines(command, failures):
    print(f"# running {' '.join(command)}", file=sys.stderr, flush=True)
    done = subprocess.run(command, capture_output=True, text=True)
    if done.returncode != 0:
        failures.append(f"{' '.join(command)} exited with {done.returncode}: {done.stderr.strip()[-500:]}")
    records = []
    for line in done.stdout.splitlines():
        line = line.strip()
        if line.startswith("{"):
            try:
                records.append(json.loads(line))
            except json.JSONDecodeError:
                failures.append(f"{command[-1]}: not JSON: {line[:120]}")
    return records


def seconds_text(s):
    if s is None:
        return "-"
    return f"{s * 1e3:.3g} ms" if s < 1 else f"{s:.3g} s"


def rate_text(record):
    work = record.get("work") or {}
    for what in ("samples", "updates"):
        if what in work and record.get("median_s"):
            rate = work[what] / record["median_s"]
            return f"{rate:.3g} {what}/s"
    return ""


def value_text(record):
    if "median_s" in record:
        text = seconds_text(record["median_s"])
        if record.get("p99_s") is not None and "p99" not in text:
            text += f" (p99 {seconds_text(record['p99_s'])})"
        return text
    if "value" in record:
        return f"{record['value']:.4g} {record.get('unit', '')}".strip()
    return "-"


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--build", default="build")
    parser.add_argument("--repetitions", type=int, default=5)
    parser.add_argument("--filter", default="", help="only keys matching this regular expression")
    args = parser.parse_args()
    reps = max(1, args.repetitions)
    build = os.path.abspath(args.build)
    bench_dir = os.path.join(build, "bench")

    failures, records = [], []
    binaries = sorted(glob.glob(os.path.join(bench_dir, "bench_*")))
    if not binaries:
        failures.append(f"no benchmark executables in {bench_dir} (is libbenchmark-dev installed? built?)")
    for path in binaries:
        if os.access(path, os.X_OK) and os.path.isfile(path):
            records += run_google_benchmark(path, reps, args.filter, failures)
    common = ["--build", build, "--repetitions", str(reps)]
    for path in sorted(glob.glob(os.path.join(bench_dir, "measure_*"))):
        if os.access(path, os.X_OK) and os.path.isfile(path):
            records += run_json_lines([path] + common, failures)
    for pattern in ("peer_*.py", "measure_*.py"):
        for path in sorted(glob.glob(os.path.join(HERE, pattern))):
            extra = ["--filter", args.filter] if args.filter and pattern.startswith("peer_") else []
            records += run_json_lines(["/usr/bin/python3", path] + common + extra, failures)

    wanted = re.compile(args.filter)
    by_key = {}
    for record in records:
        if wanted.search(record.get("key", "")):
            by_key.setdefault(record["key"], []).append(record)

    rows = []
    for key in sorted(by_key):
        group = by_key[key]
        mine = next((r for r in group if r.get("side") == "gdviz"), None)
        others = [r for r in group if r is not mine]
        if mine is not None and "median_s" in mine:
            for goal_key, maximum, text in TIME_GOALS:
                if re.search(goal_key, key):
                    rows.append([key, value_text(mine), rate_text(mine), "", "", "", "",
                                 text, "yes" if mine["median_s"] < maximum else "NO"])
        for other in others:
            goal, met, ratio = other.get("goal", ""), other.get("met"), ""
            if mine is not None and "median_s" in other and "median_s" in mine and mine["median_s"] > 0:
                r = other["median_s"] / mine["median_s"]
                ratio = f"{r:.1%}" if other["side"] in ("read pass",) else f"{r:.3g}x"
                for goal_key, side, minimum, text in RATIO_GOALS:
                    if re.search(goal_key, key) and re.search(side, other["side"]):
                        goal, met = text, r >= minimum
            left = mine if mine is not None else other
            rows.append([key, value_text(mine) if mine else "-", rate_text(mine) if mine else "",
                         other["side"] if mine is not None else f"({other['side']})",
                         value_text(other) if mine is not None else "", rate_text(other) if mine else "",
                         ratio, goal or left.get("goal", ""), "" if met is None else ("yes" if met else "NO")])
        if mine is not None and not others and not any(r[0] == key for r in rows):
            rows.append([key, value_text(mine), rate_text(mine), "", "", "", "", mine.get("goal", ""),
                         "" if mine.get("met") is None else ("yes" if mine["met"] else "NO")])

    header = ["key", "gdviz median", "gdviz rate", "other side", "its median", "its rate", "ratio", "goal", "met"]
    widths = [max(len(str(row[i])) for row in rows + [header]) for i in range(len(header))]
    print(f"# {reps} repetitions each; medians (p99 over the repetitions); ratio = other / gdviz")
    for row in [header] + rows:
        print("  ".join(str(cell).ljust(width) for cell, width in zip(row, widths)).rstrip())
    for failure in failures:
        print(f"FAILED: {failure}", file=sys.stderr)
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
