"""Accuracy beyond MNIST's test set: real writers, drawn digits, thin and thick pens (bench/realworld.py).

For each model folder given (default: the shipped one, and weights/ if main.py has saved
there) it prints one column: MNIST's test set as main.py scores it, then each set read as the
tools read it (the window's preprocessing for drawn digits, the scan command's pipeline for the
scans), with the model's own preprocessing from its model.json.  ``--stroke on|off`` overrides
the model's stroke-width setting, to compare the same weights with and without it.

The sets are split into fixed halves: ``dev`` (default) is for looking at while working;
``--part final`` is the untouched half that the README's figures come from.

Usage: python bench/bench_realworld.py [--weights DIR ...] [--part dev|final] [--stroke model|on|off ...]
Needs scikit-learn for the real writers' digits (bench/requirements.txt).
"""

import argparse
import sys
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))

import realworld  # noqa: E402  (puts the project on sys.path)
import mnist  # noqa: E402
import preprocess  # noqa: E402
import thetas  # noqa: E402
from prediction import classify  # noqa: E402

SETS = {
    "real writers (UCI digits as scans)": realworld.real_writers_set,
    "drawn: pens 2-40 px, sizes 15-95 %": realworld.drawn_set,
    "MNIST test digits, thin pen, as scans": lambda: realworld.pen_set("thin"),
    "MNIST test digits, thick pen, as scans": lambda: realworld.pen_set("thick"),
}


def mnist_test_accuracy(network):
    """Return the accuracy on MNIST's 10,000 test digits with the network's deskewing (as main.py scores)."""
    data = mnist.load(mnist.BUNDLED_DIR)
    images = mnist.scale(data.X[data.n_train:])
    return float(np.mean(classify(network, images).argmax(axis=1) == data.y[data.n_train:]))


def with_stroke(network, choice):
    """Return ``network`` with its stroke setting as ``choice`` says: model (as saved), on, off."""
    if choice == "model":
        return network
    stroke = preprocess.MNIST_STROKE if choice == "on" else None
    return network._replace(preprocessing=network.preprocessing._replace(stroke=stroke))


def main():
    """Print the table for every model given."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--weights", metavar="DIR", nargs="+",
                        help="model folders to compare (default: the shipped one, and weights/ if present)")
    parser.add_argument("--part", choices=realworld.PARTS, default="dev",
                        help="which fixed half of each set to read (default: dev; final for the README)")
    parser.add_argument("--report", metavar="DIR",
                        help="also write the table as DIR/realworld.md (a model's training report folder)")
    parser.add_argument("--stroke", choices=("model", "on", "off"), nargs="+", default=["model"],
                        help="stroke-width normalisation: as each model's model.json says (default), "
                             "or forced; several give a column each")
    args = parser.parse_args()
    folders = args.weights or [thetas.PRETRAINED_DIR] + (
        [thetas.DEFAULT_DIR] if (thetas.DEFAULT_DIR / thetas.THETA1_NAME).exists() else [])
    networks = [with_stroke(thetas.load_network(folder), choice)
                for folder in folders for choice in args.stroke]

    rows = [("MNIST test set (10,000)", [mnist_test_accuracy(n) for n in networks])]
    start = time.perf_counter()
    for name, make in SETS.items():
        samples = make()
        chosen = realworld.split(len(samples), seed=0)[args.part]
        samples = [samples[i] for i in chosen]
        figures = [realworld.accuracy(network, *realworld.read_set(samples, network)) for network in networks]
        rows.append((f"{name} ({len(samples)})", figures))
        print(f"  read {name}: {time.perf_counter() - start:.0f} s", file=sys.stderr, flush=True)

    headers = [f"{Path(n.directory).name}/ stroke {'on' if n.preprocessing.stroke else 'off'}" for n in networks]
    width = max(len(r[0]) for r in rows)
    print(f"part: {args.part}")
    print(f"{'set':<{width}}  " + "  ".join(f"{h:>22}" for h in headers))
    for name, figures in rows:
        print(f"{name:<{width}}  " + "  ".join(f"{100 * f:>21.2f}%" for f in figures))
    if args.report:
        lines = [f"# Accuracy beyond MNIST ({args.part} half)", "",
                 "From `python bench/bench_realworld.py " + " ".join(sys.argv[1:]) + "`.", "",
                 "| set | " + " | ".join(headers) + " |", "| --- |" + " --- |" * len(headers)]
        lines += [f"| {name} | " + " | ".join(f"{100 * f:.2f} %" for f in figures) + " |" for name, figures in rows]
        path = Path(args.report) / "realworld.md"
        path.write_text("\n".join(lines) + "\n")
        print(f"wrote {path}")


if __name__ == "__main__":
    main()
