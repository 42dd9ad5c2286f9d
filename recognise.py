"""Read handwritten digits from scanned images and photos: ``python recognise.py IMAGE [IMAGE ...]``.

For each file it prints the numbers read, left to right (numbers on one line separated by a
space), one output line per line of digits, with each digit's confidence (``--json`` for
numbers, boxes and top-3 guesses; ``--annotate`` for a picture of what was read).  Finding the
digits is :mod:`scan.segment`'s job and drawing the picture :mod:`scan.annotate`'s; this file holds the
command line and the output.
"""

import argparse
import json
import os
import sys

from pathlib import Path

import numpy as np

import personal
import thetas
from scan import annotate, segment


def describe(path, reading, as_json=False):
    """Return the output text for one file's :class:`scan.segment.Reading`: a line per line of
    digits, or one JSON object.

    A line's numbers are separated by a space, as written (``34651 79``); an unsure digit is
    followed by ``?``; parts that are not digits are left out.  In JSON each line holds its
    numbers, each number its digits with box, digit, confidence, unsure and top 3; ``rejected``
    lists the parts that are not digits, with their boxes and nearest digit.
    """
    judgement, kept = reading.judgement, reading.kept
    labels = judgement.labels
    if as_json:
        lines = {}
        for i in kept:
            p, label, digit = judgement.probabilities[i], labels[i], reading.digits[i]
            top3 = np.argsort(p)[::-1][:3]
            numbers = lines.setdefault(digit.line, {})
            numbers.setdefault(digit.number, []).append({
                "box": list(digit.box), "digit": int(label), "confidence": round(float(p[label]), 4),
                "unsure": bool(judgement.unsure[i]),
                "top3": [[int(d), round(float(p[d]), 4)] for d in top3]})
        rejected = [{"box": list(reading.digits[i].box), "nearest": int(labels[i]),
                     "confidence": round(float(judgement.probabilities[i, labels[i]]), 4)}
                    for i in np.flatnonzero(judgement.rejected)]
        return json.dumps({"file": str(path), "lines": [
            {"text": " ".join(_text(number) for number in numbers.values()),
             "numbers": [{"text": _text(number), "digits": number} for number in numbers.values()]}
            for numbers in lines.values()], "rejected": rejected})
    if not len(kept):
        others = len(reading.digits)
        return f"{path}: no digits found" + (f" ({others} {'mark' if others == 1 else 'marks'} not digits)"
                                             if others else "")
    out = []
    for text, line in zip(reading.texts(mark_unsure=True), sorted({reading.digits[i].line for i in kept})):
        members = [i for i in kept if reading.digits[i].line == line]
        confidences = " ".join(f"{judgement.probabilities[i, labels[i]]:.0%}" for i in members)
        out.append(f"{path}: {text}  ({confidences})")
    return "\n".join(out)


def _text(number):
    """Return the digits of one number (a list of JSON digit records) as a string, ? after an unsure one."""
    return "".join(f"{d['digit']}{'?' if d['unsure'] else ''}" for d in number)


def parse_args(argv=None):
    """Parse the command line."""
    parser = argparse.ArgumentParser(
        description="Read handwritten digits in scanned images or photos (dark ink on light paper, "
                    "or light on dark), left to right, one output line per line of digits.")
    parser.add_argument("images", nargs="+", metavar="IMAGE", help="image files (PNG, JPEG, BMP, TIFF, GIF...)")
    parser.add_argument("--json", action="store_true",
                        help="print one JSON object per file: per digit its box, digit, confidence, unsure, "
                             "top 3; the marks rejected as not digits with their boxes")
    parser.add_argument("--weights", metavar="DIR", help=thetas.WEIGHTS_HELP)
    parser.add_argument("--personal", metavar="DIR",
                        help=f"{personal.HELP}; the model learned there from your digits (the window's "
                             "Learn) is used when it was learned on the weights in use")
    parser.add_argument("--annotate", metavar="OUT",
                        help="also write the image with a box, digit and confidence on each digit read "
                             "(unsure ones marked with ?, marks that are not digits boxed in grey): OUT is an image "
                             "file (.png, .jpg...) for one "
                             "input, a folder (made if missing) for several")
    parser.add_argument("--verbose", action="store_true",
                        help="say on stderr which weights are used: folder, test accuracy, date trained, "
                             "and how many of your samples a personal model learned from")
    args = parser.parse_args(argv)
    if args.annotate:
        problem = annotate_problem(Path(args.annotate), len(args.images))
        if problem:
            parser.error(problem)
    return args


def annotate_problem(out, count):
    """Return why ``--annotate out`` cannot work for ``count`` inputs, or None if it can."""
    if out.is_dir() or count > 1:
        if out.exists() and not out.is_dir():
            return f"--annotate {out}: several images need a folder there, and it is a file"
        if not out.exists() and out.suffix.lower() in annotate.FORMATS:
            return (f"--annotate {out}: {count} images need a folder (made if missing), "
                    f"and this names one picture")
        return None
    if annotate.format_problem(out):
        return f"--annotate {out}: {annotate.format_problem(out)}"
    if not out.parent.is_dir():
        return f"--annotate {out}: the folder {out.parent} does not exist"
    return None


def annotation_path(out, path, count, used):
    """Return where the annotated picture of input ``path`` goes; ``used`` collects names taken."""
    if not (out.is_dir() or count > 1):
        return out
    out.mkdir(parents=True, exist_ok=True)
    name = f"{Path(path).stem}-annotated.png"
    n = 2
    while name in used:
        name, n = f"{Path(path).stem}-annotated-{n}.png", n + 1
    used.add(name)
    return out / name


def main(argv=None):
    """Read every image named on the command line; return 1 if any failed, else 0."""
    args = parse_args(argv)
    try:
        base = thetas.load_network(args.weights)
    except thetas.ThetaError as e:
        print(f"error: {e}", file=sys.stderr)
        return 1
    network = personal.personal_network(base, args.personal) or base
    if args.verbose and network is base:
        print(f"model: {thetas.describe(network)}", file=sys.stderr)
    elif args.verbose:
        print(f"model: {personal.describe(network, base)}\nlearned from {network.info.get('samples', '?')} samples",
              file=sys.stderr)
    try:
        return 1 if read_all(args.images, network, args.json, args.annotate) else 0
    except BrokenPipeError:
        # The reader stopped listening (`| head -1`): stop quietly, as Unix tools do.  Point
        # stdout at /dev/null so the interpreter's final flush does not fail again.
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 141  # 128 + SIGPIPE, what a shell reports for a tool stopped by a closed pipe
    except KeyboardInterrupt:
        print("\ninterrupted", file=sys.stderr)
        return 130


def read_all(paths, network, as_json, annotate_out=None):
    """Read and print each image in turn (and annotate it); return True if any failed."""
    failed = False
    used = set()
    for path in paths:
        try:
            reading = segment.read_page(path, network)
        except segment.ImageError as e:
            failed = True
            print(f"error: {e}", file=sys.stderr)
            if as_json:
                print(json.dumps({"file": path, "error": str(e)}), flush=True)
            continue
        print(describe(path, reading, as_json), flush=True)
        if annotate_out:
            out = annotation_path(Path(annotate_out), path, len(paths), used)
            try:
                picture = annotate.show_paper(annotate.load_picture(path), reading.lines)
                annotate.save_picture(annotate.draw_reading(picture, reading.digits, reading.judgement), out)
            except (OSError, ValueError) as e:
                failed = True
                print(f"error: {out}: cannot write the annotated picture: {getattr(e, 'strerror', None) or e}",
                      file=sys.stderr)
    return failed


if __name__ == "__main__":
    sys.exit(main())
