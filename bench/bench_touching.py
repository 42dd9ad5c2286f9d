"""How far the cutting of touching digits is from what perfect segmentation would read.

The touching numbers of ``bench/bench_scans.py`` (same seeds, same scans) are read four ways
by the same network:
- the scan command's pipeline (``segment.read_digits``: find the parts, cut them, read);
- perfect segmentation: each digit gets exactly the ink it put on the page (where two digits
  overlap, the pixel goes to the one with more ink there), framed by ``preprocess.to_mnist``;
- each digit alone, as if it touched nothing;
- the cutting's best reading: for each part the reading (among all that ``split.readings``
  scored) that gives the right number, if any: what a perfect choice among today's cuts would
  read (slightly generous: a reading with the right digits from the wrong ink counts).
The pipeline's misreads are also counted by kind: fewer digits than written (touching digits
left as one: a part not cut, or cut too few times), more (a digit cut in two), or as many but
some wrong (cut in the wrong place, or a digit misread).
The perfect segmentation and the digits alone are ceilings that no cutting can pass with this
network; the gap from the pipeline to the best reading is the choosing's, from the best reading
to perfect segmentation the cuts'.

Usage: python bench/bench_touching.py [--part dev|final] [--count N] [--weights DIR]
"""

import argparse
import sys
import tempfile
from contextlib import contextmanager
from pathlib import Path

import numpy as np

PROJECT_DIR = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(PROJECT_DIR), str(PROJECT_DIR / "tests")]

import scans  # noqa: E402
import preprocess  # noqa: E402
from scan import segment  # noqa: E402
from scan import split  # noqa: E402
import thetas  # noqa: E402
from bench_scans import SEEDS  # noqa: E402
from prediction import classify  # noqa: E402


def segmented(shape, placings, stroke):
    """Return (perfect, alone): k x 784 inputs for one number's k digits, from each one's own ink."""
    layers = scans.digit_layers(placings, shape)
    alpha = layers.max(axis=0)
    owner = layers.argmax(axis=0)
    perfect = [preprocess.to_mnist(alpha * ((owner == k) & (layers[k] > 0)), stroke) for k in range(len(layers))]
    alone = [preprocess.to_mnist(layer, stroke) for layer in layers]
    return (np.stack([image.ravel() for image in perfect]), np.stack([image.ravel() for image in alone]))


@contextmanager
def recorded_readings(network, calls):
    """While active, each :func:`split.split_part` call appends (its pieces, the digit strings of
    every reading the part had) to ``calls``; a part too narrow to cut has one.  The readings
    are the ones ``split_part`` itself scored (:func:`split.readings` is recorded as it runs)."""
    kept_part, kept_readings = split.split_part, split.readings
    scored = []

    def recording_readings(*args, **kwargs):
        found = kept_readings(*args, **kwargs)
        scored.append(found)
        return found

    def recording(*args, **kwargs):
        scored.clear()
        pieces = kept_part(*args, **kwargs)
        found = scored[0] if scored else pieces and [(0, pieces)]
        texts = set()
        for _, reading in found:
            labels = classify(network, np.stack([image.ravel() for image, _ in reading])).argmax(axis=1)
            texts.add("".join(str(label) for label in labels))
        calls.append((pieces, texts))
        return pieces

    split.split_part, split.readings = recording, recording_readings
    try:
        yield
    finally:
        split.split_part, split.readings = kept_part, kept_readings


def misread_kind(text, got):
    """Return how ``got`` misreads ``text`` (digits only): "fewer", "more" or "wrong" digits, or None."""
    if got == text:
        return None
    return "fewer" if len(got) < len(text) else "more" if len(got) > len(text) else "wrong"


def read_and_match(path, text, network):
    """Return (the pipeline's text for the scan ``path``, whether some choice of one reading per
    part reads ``text``), from one pass of the pipeline."""
    calls = []
    with recorded_readings(network, calls):
        reading = segment.read_page(path, network)
    digits = reading.digits
    position = {id(digit.image): i for i, digit in enumerate(digits)}
    # Parts in reading order: where each part's first digit ended up.
    options = [texts for pieces, texts in sorted((c for c in calls if c[0]), key=lambda c: position[id(c[0][0][0])])]

    def matches(part, at):
        if part == len(options):
            return at == len(text)
        return any(text.startswith(option, at) and matches(part + 1, at + len(option)) for option in options[part])

    return " / ".join(reading.texts()), matches(0, 0)


def main():
    """Print the four readings' exact-number figures and the two ceilings' per-digit ones."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--part", choices=sorted(SEEDS), default="final",
                        help="which seed: dev or final, as bench/bench_scans.py (default: final)")
    parser.add_argument("--count", type=int, default=300, help="touching numbers (default 300)")
    parser.add_argument("--weights", default=str(thetas.PRETRAINED_DIR), metavar="DIR",
                        help="the model (default: the shipped one)")
    args = parser.parse_args()
    network = thetas.load_network(args.weights)
    exact = {"pipeline": 0, "best reading": 0, "perfect": 0, "alone": 0}
    digits = {"perfect": 0, "alone": 0}
    misreads = {"fewer": 0, "more": 0, "wrong": 0}
    with tempfile.TemporaryDirectory() as folder:
        print("making and reading the touching numbers...", file=sys.stderr, flush=True)
        placed = []
        made = scans.make_touching(args.count, 4, SEEDS[args.part] + 1, Path(folder), placed)
        for (path, text), (shape, placings) in zip(made, placed):
            got, matched = read_and_match(path, text, network)
            exact["pipeline"] += got == text
            kind = misread_kind(text, got)
            if kind:
                misreads[kind] += 1
            exact["best reading"] += matched
            truth = np.array([int(c) for c in text])
            for name, inputs in zip(("perfect", "alone"), segmented(shape, placings, network.preprocessing.stroke)):
                right = classify(network, inputs).argmax(axis=1) == truth
                exact[name] += right.all()
                digits[name] += right.sum()
    count = len(made)
    print(f"\npart: {args.part} (seed {SEEDS[args.part] + 1}), {count} four-digit numbers with 1-2 touching pairs\n")
    print("| read by | numbers exact | digits right |\n| --- | --- | --- |")
    print(f"| the scan command's pipeline (cutting) | {exact['pipeline'] / count:.2%} | |")
    print(f"| the cutting's best reading (a perfect choice among its readings) | "
          f"{exact['best reading'] / count:.2%} | |")
    print(f"| perfect segmentation (each digit's own ink) | {exact['perfect'] / count:.2%} | "
          f"{digits['perfect'] / (4 * count):.2%} |")
    print(f"| each digit alone | {exact['alone'] / count:.2%} | {digits['alone'] / (4 * count):.2%} |")
    print("\nThe pipeline's misreads, by kind:\n\n| read as | numbers |\n| --- | --- |")
    print(f"| fewer digits than written (touching digits left as one) | {misreads['fewer'] / count:.2%} |")
    print(f"| more digits than written (a digit cut in two) | {misreads['more'] / count:.2%} |")
    print(f"| as many digits, some wrong (a cut in the wrong place, or a digit misread) | "
          f"{misreads['wrong'] / count:.2%} |")


if __name__ == "__main__":
    main()
