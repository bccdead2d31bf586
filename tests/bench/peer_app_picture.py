#!/usr/bin/python3
"""The matplotlib side of benchmark 6 (issue 5): the picture `gdviz --headless --png` draws, the way a teacher
would draw it in a notebook today.

With --draw OUT.png it computes the three 10,000-step runs of tests/bench/app/three_runs_10k.json in numpy
(plain GD, SGD with momentum 0.9 and Adam, torch.optim's update rules, with numpy scalars in a Python loop)
and draws the same picture as gdviz at the same size: a log colour map of Rosenbrock's function over
[-2, 2] x [-1, 3] on a 512 x 512 grid with a colour bar, 12 contour lines, the three paths with their start
and current points, and a star at the minimum.

Run by tests/bench/run_benchmarks.py (--build DIR --repetitions N), it times N whole processes of itself with
--draw and prints one JSON line in the protocol of tests/bench (key end_to_end/png_3x10k, side matplotlib).
"""
import argparse
import json
import os
import re
import statistics
import subprocess
import sys
import tempfile
import time

STEPS = 10_000
START = (-1.5, 2.0)
WIDTH, HEIGHT, DPI = 1200, 900, 100
COLORS = ["#0072B2", "#D55E00", "#009E73"]  # Okabe-Ito, as gdviz's run palette


def rosenbrock(x, y, a=1.0, b=100.0):
    return (a - x) ** 2 + b * (y - x * x) ** 2


def gradient(x, y, a=1.0, b=100.0):
    return -2 * (a - x) - 4 * b * x * (y - x * x), 2 * b * (y - x * x)


def run_sgd(lr, momentum=0.0):
    import numpy as np
    theta = np.array(START)
    buf = None
    path = np.empty((STEPS + 1, 2))
    path[0] = theta
    for t in range(STEPS):
        g = np.array(gradient(theta[0], theta[1]))
        if momentum:
            buf = g if buf is None else momentum * buf + g
            g = buf
        theta = theta - lr * g
        path[t + 1] = theta
    return path


def run_adam(lr, beta1=0.9, beta2=0.999, eps=1e-8):
    import numpy as np
    theta = np.array(START)
    m = np.zeros(2)
    v = np.zeros(2)
    path = np.empty((STEPS + 1, 2))
    path[0] = theta
    for t in range(1, STEPS + 1):
        g = np.array(gradient(theta[0], theta[1]))
        m = beta1 * m + (1 - beta1) * g
        v = beta2 * v + (1 - beta2) * g * g
        m_hat = m / (1 - beta1 ** t)
        v_hat = v / (1 - beta2 ** t)
        theta = theta - lr * m_hat / (np.sqrt(v_hat) + eps)
        path[t] = theta
    return path


def draw(out):
    import matplotlib
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    import numpy as np
    from matplotlib.colors import LogNorm

    paths = [run_sgd(0.001), run_sgd(0.0005, momentum=0.9), run_adam(0.02)]
    xs = np.linspace(-2, 2, 512)
    ys = np.linspace(-1, 3, 512)
    X, Y = np.meshgrid(xs, ys)
    Z = rosenbrock(X, Y)
    fig, ax = plt.subplots(figsize=(WIDTH / DPI, HEIGHT / DPI), dpi=DPI)
    norm = LogNorm(vmin=max(Z.min(), 1e-2), vmax=Z.max())
    mesh = ax.pcolormesh(X, Y, np.maximum(Z, 1e-2), norm=norm, cmap="bone_r", shading="auto")
    fig.colorbar(mesh, ax=ax, label="loss (log scale)")
    ax.contour(X, Y, Z, levels=np.geomspace(max(Z.min(), 1e-2), Z.max(), 12), colors="k", linewidths=0.5, alpha=0.5)
    for path, color in zip(paths, COLORS):
        ax.plot(path[:, 0], path[:, 1], color=color, linewidth=2.5)
        ax.plot(*path[0], "o", markerfacecolor="white", markeredgecolor=color, markersize=8)
        ax.plot(*path[-1], "o", markerfacecolor=color, markeredgecolor="white", markersize=10)
    ax.plot(1.0, 1.0, "*", color="white", markeredgecolor="black", markersize=14)
    ax.set_xlabel("x")
    ax.set_ylabel("y")
    ax.set_xlim(-2, 2)
    ax.set_ylim(-1, 3)
    fig.tight_layout()
    fig.savefig(out, dpi=DPI)


def measure(repetitions):
    seconds = []
    with tempfile.TemporaryDirectory() as tmp:
        out = os.path.join(tmp, "peer.png")
        for _ in range(repetitions):
            started = time.perf_counter()
            subprocess.run([sys.executable, os.path.abspath(__file__), "--draw", out], check=True)
            seconds.append(time.perf_counter() - started)
    seconds.sort()
    print(json.dumps({"key": "end_to_end/png_3x10k", "side": "matplotlib", "median_s": statistics.median(seconds),
                      "p99_s": seconds[min(len(seconds) - 1, int(0.99 * len(seconds)))], "runs": len(seconds),
                      "work": {"updates": 3 * STEPS}}), flush=True)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--draw", metavar="OUT.png", help="draw the picture once and exit")
    parser.add_argument("--build", default="build", help="the build directory (unused: this side needs no binary)")
    parser.add_argument("--repetitions", type=int, default=7)
    parser.add_argument("--filter", default="", help="measure only if its key matches this regular expression")
    args = parser.parse_args()
    if args.draw:
        draw(args.draw)
    elif re.search(args.filter, "end_to_end/png_3x10k"):
        measure(max(1, args.repetitions))


if __name__ == "__main__":
    main()
