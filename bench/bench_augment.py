"""How should L-BFGS-B see distorted digits?  Train the same network under several schemes, compare.

Every scheme trains the 784-100-10 network (deskewed digits, lambda 3, seed 0) on MNIST's first
50,000 training digits and is scored on the other 10,000 training digits (never the test set),
so choosing a scheme here does not tune on anything the README reports:

- none:      the digits only, 800 iterations (today's best preset);
- copies K:  K fixed distorted copies of every digit, one run of N iterations;
- fresh R:   R rounds; each round draws one new distorted copy of every digit and continues
             from the previous round's weights (a warm restart: L-BFGS-B's curvature memory is
             lost, the data is new).

It prints wall time per scheme (relative to "none", same run) and validation accuracy.

Usage: python bench/bench_augment.py [--schemes none:800 copies:2:600 fresh:4:200 ...] [--limit N]
       [--set alpha=20 ...]
"""

import argparse
import sys
import time
from pathlib import Path

import numpy as np

PROJECT_DIR = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(PROJECT_DIR))

import training  # noqa: E402
import mnist  # noqa: E402
import preprocess  # noqa: E402
from prediction import predict  # noqa: E402
from synthetic import distort  # noqa: E402

LAMBDA = 3.0
DESKEW = preprocess.Preprocessing(deskew=True)


def run_scheme(scheme, pixels, labels, X_val, y_val):
    """Train under ``scheme`` ("none:ITER", "copies:K:ITER" or "fresh:ROUNDS:ITER") -> (seconds, accuracy)."""
    kind, *numbers = scheme.split(":")
    numbers = [int(n) for n in numbers]
    start = time.perf_counter()
    if kind in ("none", "copies"):
        copies = numbers[0] if kind == "copies" else 0
        rows = training.Rows(len(pixels), copies)
        design = training.build_design(pixels, labels, rows, DESKEW, np.random.default_rng([0, 1]))
        Theta1, Theta2, *_ = training.train_in_rounds(design, rows, labels,
                                                      training.Fit(lamb=LAMBDA, maxiter=numbers[-1]))
    elif kind == "fresh":  # main.py's --augment ROUNDS
        rounds, iterations = numbers
        rng = np.random.default_rng([0, 1])
        rows = training.Rows(len(pixels), 1)
        design = training.build_design(pixels, labels, rows, DESKEW, rng)
        fit = training.Fit(lamb=LAMBDA, maxiter=rounds * iterations, rounds=rounds)
        Theta1, Theta2, *_ = training.train_in_rounds(design, rows, labels, fit, DESKEW, pixels, rng)
    else:
        raise SystemExit(f"unknown scheme {scheme!r}")
    seconds = time.perf_counter() - start
    return seconds, float(np.mean(predict(Theta1, Theta2, X_val) == y_val))


def main():
    """Run each scheme and print the table."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--schemes", nargs="+",
                        default=["none:800", "copies:1:800", "copies:2:600", "fresh:4:200"],
                        help="schemes to compare, as kind:numbers (default: %(default)s)")
    parser.add_argument("--limit", type=int, default=50000, help="training digits (default 50000)")
    parser.add_argument("--set", nargs="+", default=[], metavar="NAME=VALUE",
                        help="change a distortion setting (distort.DISTORTIONS), e.g. alpha=20")
    args = parser.parse_args()
    for setting in args.set:
        name, value = setting.split("=")
        distort.DISTORTIONS[name] = float(value)
    data = mnist.load(mnist.BUNDLED_DIR)
    pixels, labels = data.X[:args.limit], data.y[:args.limit]
    X_val = preprocess.deskew(mnist.scale(data.X[50000:60000]))
    y_val = data.y[50000:60000]
    rows = []
    for scheme in args.schemes:
        seconds, accuracy = run_scheme(scheme, pixels, labels, X_val, y_val)
        rows.append((scheme, seconds, accuracy))
        print(f"  {scheme}: {seconds:.0f} s, validation {100 * accuracy:.2f} %", file=sys.stderr, flush=True)
    base = rows[0][1]
    print(f"{'scheme':<16}{'wall s':>8}{'time/first':>12}{'validation acc':>16}")
    for scheme, seconds, accuracy in rows:
        print(f"{scheme:<16}{seconds:>8.0f}{seconds / base:>12.2f}{100 * accuracy:>15.2f}%")


if __name__ == "__main__":
    main()
