"""How far the cutting of touching digits is from what perfect segmentation would read.

The touching numbers of ``bench/bench_scans.py`` (same seeds, same scans) are read three ways
by the same network:
- the scan command's pipeline (``segment.read_digits``: find the parts, cut them, read);
- perfect segmentation: each digit gets exactly the ink it put on the page (where two digits
  overlap, the pixel goes to the one with more ink there), framed by ``preprocess.to_mnist``;
- each digit alone, as if it touched nothing.
The last two are ceilings that no cutting can pass with this network: the gap between the
first and the second is the cutting's, the rest is the network's reading of single digits.

Usage: python bench/bench_touching.py [--part dev|final] [--count N] [--weights DIR]
"""

import argparse
import sys
import tempfile
from pathlib import Path

import numpy as np

PROJECT_DIR = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(PROJECT_DIR), str(PROJECT_DIR / "tests")]

import scans  # noqa: E402
import preprocess  # noqa: E402
import thetas  # noqa: E402
from bench_scans import SEEDS, read_text  # noqa: E402
from prediction import classify  # noqa: E402


def segmented(shape, placings, stroke):
    """Return (perfect, alone): k x 784 inputs for one number's k digits, from each one's own ink."""
    layers = scans.digit_layers(placings, shape)
    alpha = layers.max(axis=0)
    owner = layers.argmax(axis=0)
    perfect = [preprocess.to_mnist(alpha * ((owner == k) & (layers[k] > 0)), stroke) for k in range(len(layers))]
    alone = [preprocess.to_mnist(layer, stroke) for layer in layers]
    return (np.stack([image.ravel() for image in perfect]), np.stack([image.ravel() for image in alone]))


def main():
    """Print the three readings' exact-number and per-digit figures."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--part", choices=sorted(SEEDS), default="final",
                        help="which seed: dev or final, as bench/bench_scans.py (default: final)")
    parser.add_argument("--count", type=int, default=300, help="touching numbers (default 300)")
    parser.add_argument("--weights", default=str(thetas.PRETRAINED_DIR), metavar="DIR",
                        help="the model (default: the shipped one)")
    args = parser.parse_args()
    network = thetas.load_network(args.weights)
    exact = {"pipeline": 0, "perfect": 0, "alone": 0}
    digits = {"perfect": 0, "alone": 0}
    with tempfile.TemporaryDirectory() as folder:
        print("making and reading the touching numbers...", file=sys.stderr, flush=True)
        placed = []
        made = scans.make_touching(args.count, 4, SEEDS[args.part] + 1, Path(folder), placed)
        for (path, text), (shape, placings) in zip(made, placed):
            exact["pipeline"] += read_text(path, network) == text
            truth = np.array([int(c) for c in text])
            for name, inputs in zip(("perfect", "alone"), segmented(shape, placings, network.stroke)):
                right = classify(network, inputs).argmax(axis=1) == truth
                exact[name] += right.all()
                digits[name] += right.sum()
    count = len(made)
    print(f"\npart: {args.part} (seed {SEEDS[args.part] + 1}), {count} four-digit numbers with 1-2 touching pairs\n")
    print("| read by | numbers exact | digits right |\n| --- | --- | --- |")
    print(f"| the scan command's pipeline (cutting) | {exact['pipeline'] / count:.2%} | |")
    print(f"| perfect segmentation (each digit's own ink) | {exact['perfect'] / count:.2%} | "
          f"{digits['perfect'] / (4 * count):.2%} |")
    print(f"| each digit alone | {exact['alone'] / count:.2%} | {digits['alone'] / (4 * count):.2%} |")


if __name__ == "__main__":
    main()
