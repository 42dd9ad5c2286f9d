"""Read handwritten digits from scanned images and photos: ``python recognise.py IMAGE [IMAGE ...]``.

For each file it prints the digits read, left to right, one output line per line of digits,
with each digit's confidence (``--json`` for boxes and top-3 guesses).  Finding the digits is
:mod:`segment`'s job; this file holds the command line and the output.
"""

import argparse
import json
import os
import sys

import numpy as np

import segment
import thetas


def describe(path, digits, probabilities, as_json=False):
    """Return the output text for one file: a line per line of digits, or one JSON object."""
    labels = probabilities.argmax(axis=1) if len(digits) else []
    if as_json:
        lines = {}
        for digit, p, label in zip(digits, probabilities, labels):
            top3 = np.argsort(p)[::-1][:3]
            lines.setdefault(digit.line, []).append({
                "box": list(digit.box), "digit": int(label), "confidence": round(float(p[label]), 4),
                "top3": [[int(d), round(float(p[d]), 4)] for d in top3]})
        return json.dumps({"file": str(path), "lines": [
            {"text": "".join(str(d["digit"]) for d in line), "digits": line} for line in lines.values()]})
    if not digits:
        return f"{path}: no digits found"
    out = []
    for number in sorted({d.line for d in digits}):
        members = [i for i, d in enumerate(digits) if d.line == number]
        text = "".join(str(labels[i]) for i in members)
        confidences = " ".join(f"{probabilities[i, labels[i]]:.0%}" for i in members)
        out.append(f"{path}: {text}  ({confidences})")
    return "\n".join(out)


def parse_args(argv=None):
    """Parse the command line."""
    parser = argparse.ArgumentParser(
        description="Read handwritten digits in scanned images or photos (dark ink on light paper, "
                    "or light on dark), left to right, one output line per line of digits.")
    parser.add_argument("images", nargs="+", metavar="IMAGE", help="image files (PNG, JPEG, BMP, TIFF, GIF...)")
    parser.add_argument("--json", action="store_true",
                        help="print one JSON object per file: per digit its box, digit, confidence, top 3")
    parser.add_argument("--weights", metavar="DIR", help=thetas.WEIGHTS_HELP)
    parser.add_argument("--verbose", action="store_true",
                        help="say on stderr which weights are used: folder, test accuracy, date trained")
    return parser.parse_args(argv)


def main(argv=None):
    """Read every image named on the command line; return 1 if any failed, else 0."""
    args = parse_args(argv)
    try:
        network = thetas.load_network(args.weights)
    except thetas.ThetaError as e:
        print(f"error: {e}", file=sys.stderr)
        return 1
    if args.verbose:
        print(f"model: {thetas.describe(network)}", file=sys.stderr)
    try:
        return 1 if read_all(args.images, network, args.json) else 0
    except BrokenPipeError:
        # The reader stopped listening (`| head -1`): stop quietly, as Unix tools do.  Point
        # stdout at /dev/null so the interpreter's final flush does not fail again.
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 141  # 128 + SIGPIPE, what a shell reports for a tool stopped by a closed pipe
    except KeyboardInterrupt:
        print("\ninterrupted", file=sys.stderr)
        return 130


def read_all(paths, network, as_json):
    """Read and print each image in turn; return True if any could not be read."""
    failed = False
    for path in paths:
        try:
            digits, probabilities = segment.read_digits(path, network)
        except segment.ImageError as e:
            failed = True
            print(f"error: {e}", file=sys.stderr)
            if as_json:
                print(json.dumps({"file": path, "error": str(e)}), flush=True)
            continue
        print(describe(path, digits, probabilities, as_json), flush=True)
    return failed


if __name__ == "__main__":
    sys.exit(main())
