"""Benchmark preparing one round of training rows, on all cores against one, in the same run.

``--preset best`` refills its distorted copies (and touching pairs) every round: 60,000
distorted, deskewed and recentred digits and 6,000 pairs, eight times per training.  The blocks
of images are worked on side by side by ``preprocess.in_parallel``; the baseline is the same
code held to one thread (``preprocess.WORKERS = 1``), which is how it ran before.  The rows must
come out byte-identical either way (the same weights for a seed on any machine).

Usage: python bench/bench_prepare.py [--repeats N]
"""

import argparse
import hashlib
import sys
from pathlib import Path

import numpy as np

PROJECT_DIR = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(PROJECT_DIR))

import mnist  # noqa: E402
import preprocess  # noqa: E402
import training  # noqa: E402
from bench_train import call_times  # noqa: E402
from main import BEST_PAIRS  # noqa: E402


def main():
    """Time one round's refill with one thread and with all, alternating; print the table."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=3, help="timed refills per setting (default 3)")
    args = parser.parse_args()
    data = mnist.load(mnist.BUNDLED_DIR)
    pixels = data.X[:data.n_train]
    layout = training.Rows(len(pixels), copies=1, pairs=BEST_PAIRS)
    rows = np.empty((layout.total, mnist.PIXELS + 1), np.float32)
    rows[:, 0] = 1
    prep = preprocess.Preprocessing(True, True, preprocess.MNIST_STROKE)
    digests = {}

    def refill():
        training.refill(rows, layout, pixels, data.y[:data.n_train], np.random.default_rng(0), prep)

    cores = preprocess.WORKERS
    times = {1: [], cores: []}
    for _ in range(args.repeats):  # alternate, so that a noisy spell hits both
        for workers in times:
            preprocess.WORKERS = workers
            times[workers].extend(call_times(refill, 1))
            digests[workers] = hashlib.sha256(rows.tobytes()).hexdigest()[:16]
    one, all_cores = np.median(times[1]), np.median(times[cores])
    print(f"one round's rows: {len(pixels):,} distorted + deskewed digits and {BEST_PAIRS:,} pairs, "
          f"median of {args.repeats}")
    print("| threads | seconds | ratio to one thread | rows' SHA-256 |")
    print("| --- | --- | --- | --- |")
    print(f"| 1 (before) | {one:.2f} | 1.00x | {digests[1]} |")
    print(f"| {cores} | {all_cores:.2f} | {all_cores / one:.2f}x | {digests[cores]} |")
    if digests[1] != digests[cores]:
        print("the rows differ between thread counts: this is a bug", file=sys.stderr)
        sys.exit(1)


if __name__ == "__main__":
    main()
