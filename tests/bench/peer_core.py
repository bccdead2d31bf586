#!/usr/bin/python3
"""The numpy / contourpy peers of bench_core_descent and bench_core_surface (issue 5, items 1-5).

Each measurement does the work its gdviz benchmark does, the way a teacher's notebook would, and prints one
JSON line per measurement (see tests/bench/run_benchmarks.py):
    {"key": ..., "side": "numpy", "median_s": ..., "p99_s": ..., "runs": N, "work": {...}}
Usage: /usr/bin/python3 tests/bench/peer_core.py [--build build] [--repetitions N] [--filter REGEX]
"""

import argparse
import json
import os
import re
import subprocess
import sys
import tempfile
import time

import numpy as np

ANALYTIC_UPDATES = 10_000
FULL_BATCH_SAMPLES = 1_000_000
FULL_BATCH_UPDATES = 10
MINI_BATCH_SAMPLES = 100_000
MINI_BATCH_UPDATES = 200
NODES = 512
LOGISTIC_SAMPLES = 1_000


def timed(fn, repetitions, warm_up=True):
    """Median and p99 (nearest rank) wall time of fn() over repetitions runs, after one warm-up run."""
    if warm_up:
        fn()
    times = []
    for _ in range(repetitions):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    times.sort()
    p99 = times[min(len(times) - 1, int(np.ceil(0.99 * len(times))) - 1)]
    return {"median_s": float(np.median(times)), "p99_s": p99, "runs": repetitions}


# --- 1. Analytic updates: a plain Python loop over numpy scalars, every step recorded -------------------

def rosenbrock(x, y):
    """Value and gradient of (1 - x)^2 + 100 (y - x^2)^2."""
    t = y - x * x
    return (1 - x) ** 2 + 100 * t * t, -2 * (1 - x) - 400 * x * t, 200 * t


def analytic_run(rule):
    x, y = np.float64(-1.5), np.float64(2.0)
    f, gx, gy = rosenbrock(x, y)
    records = [(0, x, y, f, gx, gy)]
    bx = by = mx = my = vx = vy = np.float64(0.0)
    for k in range(1, ANALYTIC_UPDATES + 1):
        if rule == "gd":  # theta -= lr g
            x, y = x - 5e-4 * gx, y - 5e-4 * gy
        elif rule == "momentum":  # torch SGD: b = g first, then b = 0.9 b + g; theta -= lr b
            bx, by = (gx, gy) if k == 1 else (0.9 * bx + gx, 0.9 * by + gy)
            x, y = x - 1e-4 * bx, y - 1e-4 * by
        else:  # torch Adam, lr 1e-2, betas (0.9, 0.999), eps 1e-8
            mx, my = 0.9 * mx + 0.1 * gx, 0.9 * my + 0.1 * gy
            vx, vy = 0.999 * vx + 0.001 * gx * gx, 0.999 * vy + 0.001 * gy * gy
            step = 1e-2 / (1 - 0.9 ** k)
            c2 = np.sqrt(1 - 0.999 ** k)
            x = x - step * mx / (np.sqrt(vx) / c2 + 1e-8)
            y = y - step * my / (np.sqrt(vy) / c2 + 1e-8)
        f, gx, gy = rosenbrock(x, y)
        records.append((k, x, y, f, gx, gy))
    return records


# --- 2. Full-batch GD on linear regression, vectorized (design matrix X = [x, 1]) ---------------------

def linear_data(n, seed):
    rng = np.random.default_rng(seed)
    x = rng.uniform(-3, 3, n)
    return x, 2 * x - 1 + 0.5 * rng.standard_normal(n)


def full_batch_run(X, y):
    theta = np.zeros(2)
    n = len(y)
    records = []
    for _ in range(FULL_BATCH_UPDATES):
        r = X @ theta - y
        loss = r @ r / n
        grad = (2 / n) * (X.T @ r)
        records.append((theta.copy(), loss, grad))
        theta = theta - 0.05 * grad
    return records


# --- 3. Mini-batch / stochastic GD: per-batch numpy indexing -------------------------------------------

def mini_batch_run(x, y, batch, lr, full_loss):
    """MINI_BATCH_UPDATES shuffled updates. full_loss: also the full-data loss and gradient after each update,
    as gdviz records them (its loss curve and stop rules); without, only the batch's own loss."""
    rng = np.random.default_rng(7)
    n = len(x)
    w = b = 0.0
    order = rng.permutation(n)
    pos = 0
    records = []
    for _ in range(MINI_BATCH_UPDATES):
        if pos >= n:
            order, pos = rng.permutation(n), 0
        idx = order[pos:pos + batch]
        pos += batch
        xb, yb = x[idx], y[idx]
        r = w * xb + b - yb
        batch_loss = np.mean(r * r)
        w, b = w - lr * 2 * np.mean(r * xb), b - lr * 2 * np.mean(r)
        if full_loss:
            rf = w * x + b - y
            records.append((w, b, batch_loss, np.mean(rf * rf), 2 * np.mean(rf * x), 2 * np.mean(rf)))
        else:
            records.append((w, b, batch_loss))
    return records


# --- 4. Cost-surface grids by broadcasting ---------------------------------------------------------------

def node_axes(x_min, x_max, y_min, y_max):
    return np.linspace(x_min, x_max, NODES), np.linspace(y_min, y_max, NODES)


def grid_rosenbrock():
    xs, ys = node_axes(-2, 2, -1, 3)  # gdviz's default Rosenbrock window
    X, Y = np.meshgrid(xs, ys)
    return (1 - X) ** 2 + 100 * (Y - X ** 2) ** 2


def grid_expression():
    xs, ys = node_axes(-5, 5, -5, 5)
    X, Y = np.meshgrid(xs, ys)
    return np.sin(X) * np.cos(Y) + 0.1 * (X ** 2 + Y ** 2)


def logistic_data(n, seed):
    rng = np.random.default_rng(seed)
    labels = (rng.uniform(size=n) < 0.5).astype(float)
    return np.clip(rng.standard_normal(n) + (labels - 0.5) * 2, -3, 3), labels


def grid_logistic(x, labels):
    """Mean binary cross-entropy from the logit, over every (w, b) node, in blocks of rows to bound memory."""
    ws, bs = node_axes(-6, 6, -6, 6)
    out = np.empty((NODES, NODES))
    rows = 8
    for j in range(0, NODES, rows):
        z = ws[None, :, None] * x[None, None, :] + bs[j:j + rows, None, None]
        loss = np.maximum(z, 0) - z * labels + np.log1p(np.exp(-np.abs(z)))
        out[j:j + rows] = loss.mean(axis=2)
    return out


# --- 5. Contour lines with contourpy on gdviz's own grid and levels ---------------------------------------

def read_contour_grid(path):
    with open(path, "rb") as f:
        nx, ny, count = np.frombuffer(f.read(12), dtype="<i4")
        window = np.frombuffer(f.read(32), dtype="<f8")
        levels = np.frombuffer(f.read(8 * count), dtype="<f8")
        z = np.frombuffer(f.read(8 * nx * ny), dtype="<f8").reshape(ny, nx)
    return np.linspace(window[0], window[1], nx), np.linspace(window[2], window[3], ny), z, levels


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--build", default="build")
    parser.add_argument("--repetitions", type=int, default=5)
    parser.add_argument("--filter", default="")
    args = parser.parse_args()
    wanted = re.compile(args.filter)
    reps = max(1, args.repetitions)

    def emit(key, side, fn, work=None, repetitions=reps, warm_up=True):
        if not wanted.search(key):
            return
        record = {"key": key, "side": side, **timed(fn, repetitions, warm_up)}
        if work:
            record["work"] = work
        print(json.dumps(record), flush=True)

    for rule in ("gd", "momentum", "adam"):
        emit(f"analytic_updates/rosenbrock/{rule}", "numpy loop", lambda: analytic_run(rule),
             {"updates": ANALYTIC_UPDATES})

    x, y = linear_data(FULL_BATCH_SAMPLES, 1)
    X = np.column_stack([x, np.ones_like(x)])
    emit("full_batch_linear/1M", "numpy", lambda: full_batch_run(X, y),
         {"updates": FULL_BATCH_UPDATES, "samples": FULL_BATCH_UPDATES * FULL_BATCH_SAMPLES})
    del x, y, X

    x, y = linear_data(MINI_BATCH_SAMPLES, 1)
    for name, batch, lr in (("mini32", 32, 0.02), ("stochastic", 1, 0.002)):
        work = {"updates": MINI_BATCH_UPDATES}
        emit(f"minibatch_linear/100k/{name}", "numpy loop", lambda: mini_batch_run(x, y, batch, lr, True), work)
        emit(f"minibatch_linear/100k/{name}", "numpy loop, batch loss only",
             lambda: mini_batch_run(x, y, batch, lr, False), work)

    emit("surface_grid/512/rosenbrock", "numpy", grid_rosenbrock)
    emit("surface_grid/512/expression", "numpy", grid_expression)
    lx, labels = logistic_data(LOGISTIC_SAMPLES, 1)
    emit("surface_grid/512/logistic_1k", "numpy", lambda: grid_logistic(lx, labels),
         repetitions=min(reps, 3), warm_up=False)  # seconds per run: no warm-up, at most 3 runs

    key = "contour_lines/512/12_levels"
    if wanted.search(key):
        import contourpy
        exporter = os.path.join(args.build, "bench", "bench_core_surface")
        with tempfile.TemporaryDirectory() as tmp:
            path = os.path.join(tmp, "grid.bin")
            subprocess.run([exporter, f"--export-contour-grid={path}"], check=True)
            xs, ys, z, levels = read_contour_grid(path)

        def trace():
            generator = contourpy.contour_generator(xs, ys, z)  # contourpy's default: the serial algorithm
            return [generator.lines(level) for level in levels]
        emit(key, "contourpy", trace)
    return 0


if __name__ == "__main__":
    sys.exit(main())
