"""Benchmark training speed and memory against baselines measured in the same run.

Prints three tables:
  1. one cost+gradient evaluation on the 60,000 training examples vs the two matrix products
     any implementation must do (X . Theta1^T and delta2^T . X, same dtype), and vs a direct
     float64 port of the article's function (which rebuilds the 60000x785 input on every call);
  2. the whole default training (`python main.py`) vs scikit-learn's MLPClassifier with the same
     architecture, solver, regularisation and iteration count, on the same data;
  3. peak resident memory of `python main.py`.

Usage: python bench/bench_train.py [--repeats N] [--skip-sklearn]
Needs scikit-learn (bench/requirements.txt); the project itself does not.
"""

import argparse
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

PROJECT_DIR = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(PROJECT_DIR))

import mnist  # noqa: E402
from evaluation import accuracy  # noqa: E402
from training import single_threaded_optimizer_blas  # noqa: E402
from model import Objective  # noqa: E402


def median_time(function, repeats):
    """Return the median wall time of ``repeats`` calls of ``function`` after one warm-up call."""
    return float(np.median(call_times(function, repeats)))


def call_times(function, repeats):
    """Return the wall times of ``repeats`` calls of ``function`` after one warm-up call."""
    function()
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        function()
        times.append(time.perf_counter() - start)
    return np.array(times)


def article_cost(nn_params, X, Y, lamb):
    """The article's cost and gradient, ported directly in float64 (the baseline, not for use)."""
    from scipy.special import expit
    m = len(X)
    Theta1 = nn_params[:100 * 785].reshape(100, 785)
    Theta2 = nn_params[100 * 785:].reshape(10, 101)
    a1 = np.hstack([np.ones((m, 1)), X])  # the 60000x785 copy made on every call
    a2 = np.hstack([np.ones((m, 1)), expit(a1 @ Theta1.T)])
    h = expit(a2 @ Theta2.T)
    J = np.sum(-Y * np.log(h) - (1 - Y) * np.log(1 - h)) / m
    J += lamb / (2 * m) * (np.sum(Theta1[:, 1:] ** 2) + np.sum(Theta2[:, 1:] ** 2))
    d3 = h - Y
    d2 = (d3 @ Theta2[:, 1:]) * a2[:, 1:] * (1 - a2[:, 1:])
    g1 = d2.T @ a1 / m
    g2 = d3.T @ a2 / m
    g1[:, 1:] += lamb / m * Theta1[:, 1:]
    g2[:, 1:] += lamb / m * Theta2[:, 1:]
    return J, np.concatenate([g1.ravel(), g2.ravel()])


def random_params():
    """The parameter vector every timing uses: uniform in [-0.15, 0.15], seed 0."""
    return np.random.default_rng(0).uniform(-0.15, 0.15, 100 * 785 + 10 * 101)


def evaluation_times(data, repeats, dtypes=(np.float32, np.float64)):
    """Return [(dtype name, evaluation times, two-products times)], measured interleaved."""
    y = data.y[:data.n_train]
    params = random_params()
    # One dtype at a time, each design freed before the next is made.
    return [(np.dtype(dtype).name, *_interleaved_times(data, y, params, dtype, repeats)) for dtype in dtypes]


def _interleaved_times(data, y, params, dtype, repeats):
    """Return (evaluation times, two-products times) in ``dtype``, measured interleaved."""
    design = mnist.scale(data.X[:data.n_train], dtype=dtype, bias=True)
    objective = Objective(design, y, 100, 10, 0.1)
    Theta1 = params[:100 * 785].reshape(100, 785).astype(dtype)
    delta2 = np.random.default_rng(1).standard_normal((len(design), 100)).astype(dtype)

    def products():
        design @ Theta1.T
        delta2.T @ design

    # Interleaved, so both see the same moments of a shared machine; the minimum is the
    # run least disturbed by other work, the median the typical one.
    t_eval, t_products = [], []
    with single_threaded_optimizer_blas():  # as during training
        for _ in range(repeats):
            t_eval.append(call_times(lambda: objective(params), 1)[0])
            t_products.append(call_times(products, 1)[0])
    return np.array(t_eval), np.array(t_products)


def _article_time(data, y, params, repeats):
    """Return the median time of one evaluation of the article's port, float64."""
    X64 = mnist.scale(data.X[:data.n_train], dtype=np.float64)
    Y = np.eye(10)[y]
    return median_time(lambda: article_cost(params, X64, Y, 0.1), repeats)


def bench_evaluation(data, repeats):
    """Table 1: evaluation time vs the two unavoidable products and vs the article's port."""
    rows = evaluation_times(data, repeats)
    y = data.y[:data.n_train]
    params = random_params()
    t_article = _article_time(data, y, params, repeats)

    print(f"\n1. One cost+gradient evaluation, {data.n_train} examples, {repeats} runs each, interleaved")
    print(f"{'dtype':<9}{'evaluation s':>14}{'2 products s':>14}{'eval/products':>15}"
          f"{'(min/min)':>11}{'article port/eval':>19}")
    for name, t_eval, t_products in rows:
        e, p = np.median(t_eval), np.median(t_products)
        print(f"{name:<9}{e:>14.3f}{p:>14.3f}{e / p:>15.2f}{t_eval.min() / t_products.min():>11.2f}"
              f"{t_article / e:>19.2f}")
    print("(evaluation and products: medians; min/min: the least disturbed runs)")
    print(f"(article port, float64, median {t_article:.3f} s)")


def run_main_measured(out_dir, *options):
    """Run `python main.py` (default settings, or ``options``); return (wall s, peak RSS MiB, test acc)."""
    start = time.perf_counter()
    process = subprocess.Popen([sys.executable, str(PROJECT_DIR / "main.py"), "--out", out_dir, *options],
                               stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    output = process.stdout.read()
    _, status, usage = os.wait4(process.pid, 0)
    seconds = time.perf_counter() - start
    if status != 0:
        sys.exit(f"main.py failed:\n{output}")
    test_line = next(line for line in output.splitlines() if line.startswith("Test set accuracy"))
    return seconds, usage.ru_maxrss / 1024, float(test_line.split()[3]) / 100


def run_sklearn(data, dtype):
    """Train scikit-learn's MLPClassifier like the article on ``dtype`` pixels -> (seconds, test acc)."""
    import warnings
    from sklearn.exceptions import ConvergenceWarning
    from sklearn.neural_network import MLPClassifier

    X = mnist.scale(data.X, dtype=dtype)
    n = data.n_train
    classifier = MLPClassifier(hidden_layer_sizes=(100,), activation="logistic", solver="lbfgs",
                               alpha=0.1, max_iter=100, random_state=0)
    start = time.perf_counter()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)  # it stops at max_iter, as asked
        classifier.fit(X[:n], data.y[:n])
    seconds = time.perf_counter() - start
    return seconds, accuracy(data.y[n:], classifier.predict(X[n:]))


def main():
    """Run the benchmarks and print the tables."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=7, help="timed repeats per measurement (default 7)")
    parser.add_argument("--skip-sklearn", action="store_true", help="skip the scikit-learn comparison")
    args = parser.parse_args()
    print(f"machine: {os.cpu_count()} cores, Python {sys.version.split()[0]}, numpy {np.__version__}")
    # main.py runs first, while this process is small: a child forked from a large parent would
    # have the parent's pages counted in its peak resident memory.
    with tempfile.TemporaryDirectory() as out_dir:
        ours_seconds, ours_rss, ours_accuracy = run_main_measured(out_dir)
    data = mnist.load(mnist.BUNDLED_DIR)
    bench_evaluation(data, args.repeats)

    print("\n2. Whole default training (784-100-10, lambda 0.1, 100 L-BFGS-B iterations)")
    print(f"{'implementation':<40}{'wall s':>9}{'test acc':>10}{'ours/this':>11}")
    print(f"{'python main.py (load+train+eval+save)':<40}{ours_seconds:>9.1f}{100 * ours_accuracy:>9.2f}%")
    if not args.skip_sklearn:
        for dtype in (np.float64, np.float32):
            seconds, acc = run_sklearn(data, dtype)
            name = f"scikit-learn MLPClassifier, {np.dtype(dtype).name} X"
            print(f"{name:<40}{seconds:>9.1f}{100 * acc:>9.2f}%{ours_seconds / seconds:>11.2f}")
    print(f"\n3. Peak resident memory of python main.py: {ours_rss:.0f} MiB (target <= 450 MB)")

if __name__ == "__main__":
    main()
