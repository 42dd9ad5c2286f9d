"""Issue 9's targets in one table, from one command: accuracy beyond MNIST, training time, speed.

Runs, in this order: ``python main.py --preset best`` into a temporary folder (wall time and
peak memory: the time a user waits for the best model), the default ``python main.py`` against
scikit-learn's MLPClassifier on float64 pixels (the article's preset), one cost+gradient
evaluation against the two big matrix products (float32, interleaved), and the shipped model on
MNIST's test set and on the final half of the sets in bench/realworld.py.  About 12 minutes.

Usage: python bench/bench_targets.py [--repeats N] [--weights DIR]
"""

import argparse
import sys
import tempfile
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))

import bench_realworld  # noqa: E402  (puts the project on sys.path)
import bench_train  # noqa: E402
import mnist  # noqa: E402
import realworld  # noqa: E402
import thetas  # noqa: E402


def main():
    """Measure everything and print the table."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=15, help="interleaved evaluation timings (default 15)")
    parser.add_argument("--weights", default=str(thetas.PRETRAINED_DIR), metavar="DIR",
                        help="the model to score (default: the shipped one)")
    args = parser.parse_args()
    rows = []
    # Subprocesses first, while this process is small (a child's peak memory counts the parent's pages).
    with tempfile.TemporaryDirectory() as out_dir:
        seconds, peak, accuracy = bench_train.run_main_measured(out_dir, "--preset", "best")
    rows.append(("`--preset best` wall time, peak memory (retrained here)",
                 f"{seconds:.0f} s, {peak:.0f} MiB ({100 * accuracy:.2f} %)", "<= 6 min, <= 1.5 GB"))
    with tempfile.TemporaryDirectory() as out_dir:
        article_seconds, _, article_accuracy = bench_train.run_main_measured(out_dir)
    print("  timed main.py", file=sys.stderr, flush=True)
    data = mnist.load(mnist.BUNDLED_DIR)
    sklearn_seconds, sklearn_accuracy = bench_train.run_sklearn(data, np.float64)
    rows.append(("the article's preset: accuracy, time / scikit-learn (float64)",
                 f"{100 * article_accuracy:.2f} %, {article_seconds:.1f} s / {sklearn_seconds:.1f} s = "
                 f"{article_seconds / sklearn_seconds:.2f}x", "97.35 %, ~0.3-0.45x"))
    (_, evaluation, products), = bench_train.evaluation_times(data, args.repeats, dtypes=(np.float32,))
    rows.append(("one evaluation / the two matrix products, float32 (median; min/min)",
                 f"{np.median(evaluation) / np.median(products):.2f}x; "
                 f"{evaluation.min() / products.min():.2f}x", "<= 1.15x"))
    del data
    network = thetas.load_network(args.weights)
    rows.append(("MNIST test accuracy, shipped model", f"{100 * bench_realworld.mnist_test_accuracy(network):.2f} %",
                 ">= 99.0 %"))
    targets = [">= 95 %", ">= 98 %", ">= 97 %", ">= 97 %"]
    for (name, make), target in zip(bench_realworld.SETS.items(), targets):
        samples = make()
        chosen = realworld.split(len(samples), seed=0)["final"]
        inputs, labels = realworld.read_set([samples[i] for i in chosen], network)
        rows.append((f"{name}, final half ({len(chosen)})",
                     f"{100 * realworld.accuracy(network, inputs, labels):.2f} %", target))
        print(f"  read {name}", file=sys.stderr, flush=True)
    width = max(len(r[0]) for r in rows)
    print(f"{'measure':<{width}}  {'measured':<36}  target")
    for name, figure, target in rows:
        print(f"{name:<{width}}  {figure:<36}  {target}")


if __name__ == "__main__":
    main()
