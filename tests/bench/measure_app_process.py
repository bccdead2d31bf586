#!/usr/bin/python3
"""Whole-process measurements of gdviz for the benchmarks of issue 5, printed as JSON lines in the protocol
of tests/bench (run by tests/bench/run_benchmarks.py, which passes --build DIR --repetitions N):

- end_to_end/png_3x10k, side gdviz (item 6): `gdviz --headless --scenario tests/bench/app/three_runs_10k.json
  --png OUT.png --size 1200x900`, three 10,000-step runs on Rosenbrock and their picture, timed from spawn to
  exit. The matplotlib side is tests/bench/peer_app_picture.py.
- window/first_frame (item 7): `gdviz` (the built-in lesson, 1600 x 1000) with GDVIZ_REPORT_FIRST_FRAME=1,
  timed from spawn to the line "first frame: ... ms" it prints at the end of the main window's first paint.
  Goal: under 300 ms. Offscreen (QT_QPA_PLATFORM=offscreen) unless --platform says otherwise.
"""
import argparse
import json
import os
import statistics
import subprocess
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))


def percentile(sorted_values, q):
    return sorted_values[min(len(sorted_values) - 1, int(q * len(sorted_values)))]


def record(key, side, seconds, **extra):
    seconds = sorted(seconds)
    line = {"key": key, "side": side, "median_s": statistics.median(seconds), "p99_s": percentile(seconds, 0.99),
            "runs": len(seconds)}
    line.update(extra)
    print(json.dumps(line), flush=True)


def environment(platform):
    env = dict(os.environ)
    env["QT_QPA_PLATFORM"] = platform
    env.setdefault("XDG_RUNTIME_DIR", tempfile.gettempdir())
    return env


def end_to_end(gdviz, repetitions, env):
    scenario = os.path.join(HERE, "app", "three_runs_10k.json")
    seconds = []
    with tempfile.TemporaryDirectory() as tmp:
        out = os.path.join(tmp, "gdviz.png")
        for _ in range(repetitions):
            started = time.perf_counter()
            subprocess.run([gdviz, "--headless", "--scenario", scenario, "--png", out, "--size", "1200x900"],
                           check=True, env=env, stderr=subprocess.DEVNULL)
            seconds.append(time.perf_counter() - started)
    record("end_to_end/png_3x10k", "gdviz", seconds, work={"updates": 30_000})


def first_frame(gdviz, repetitions, env):
    env = dict(env, GDVIZ_REPORT_FIRST_FRAME="1")
    seconds = []
    for _ in range(repetitions):
        started = time.perf_counter()
        process = subprocess.Popen([gdviz], env=env, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
        line = process.stdout.readline()
        seconds.append(time.perf_counter() - started)
        process.wait(timeout=30)
        if not line.startswith("first frame:"):
            raise SystemExit(f"gdviz printed {line!r} instead of the first frame's time")
    median = statistics.median(seconds)
    record("window/first_frame", "gdviz", seconds, goal="first frame < 300 ms", met=median < 0.3)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--build", default="build")
    parser.add_argument("--repetitions", type=int, default=7)
    parser.add_argument("--platform", default="offscreen", help="QT_QPA_PLATFORM for both (default offscreen)")
    args = parser.parse_args()
    gdviz = os.path.join(os.path.abspath(args.build), "bin", "gdviz")
    env = environment(args.platform)
    repetitions = max(1, args.repetitions)
    end_to_end(gdviz, repetitions, env)
    first_frame(gdviz, repetitions, env)


if __name__ == "__main__":
    main()
