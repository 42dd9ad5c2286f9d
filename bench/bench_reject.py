"""Saying "not a digit": how often the tools keep quiet about marks that are not digits, and
how often they wrongly reject real digits.

Marks are drawn here as pen strokes, as ``bench/realworld.py`` draws digits: capital and small
letters in the shapes people write them (none of the letters a digit's shape can take, such as
O, l, S, Z, B, g), and scribbles (curves that loop over themselves), in several hands.  They
are made by this file's own code, not by ``synthetic/negatives.py`` (the training's fonts and
curves), and never trained on.  Measured:

- pages of a letter, a word or a scribble, scanned: the scan command prints no digit;
- a word followed by a number (MNIST test digits): the scan command prints only the number;
- letters and scribbles drawn in the window: it says "Not a digit";
- real digits rejected as not digits: MNIST's test set, and ``bench/realworld.py``'s sets
  (real writers, drawn, thin and thick pens) as the tools read them;
- real handwritten letters kept out of training (``letters.py``'s final part; its calibration
  part for ``--part dev``): the share of
  those no digit's shape takes that are rejected, and each letter's;
- real pages (``bench/bench_real_pages.py``, when ``../shared/real-dev`` is here): pages of
  words that print no digit, pages of words and numbers read exactly.

``--part dev`` and ``final`` (default) draw different marks (different seeds) and use the
realworld sets' two halves; the README's figures come from ``final``.  About three minutes.

Usage: python bench/bench_reject.py [--weights DIR] [--part dev|final] [--count N] [--no-pages]
Needs scikit-learn for the real writers' digits (bench/requirements.txt).
"""

import argparse
import io
import sys
from pathlib import Path

import numpy as np
from PIL import Image, ImageDraw

sys.path.insert(0, str(Path(__file__).resolve().parent))

import bench_real_pages  # noqa: E402
import bench_realworld  # noqa: E402  (puts the project on sys.path)
import realworld  # noqa: E402
import drawing  # noqa: E402
import letters  # noqa: E402
import mnist  # noqa: E402
import scans  # noqa: E402
import thetas  # noqa: E402
from prediction import judge  # noqa: E402
from realworld import arc, seg  # noqa: E402
from scan import segment  # noqa: E402

SEEDS = {"dev": 100, "final": 200}

# Letters as people write them, in a unit box (x right, y down; small letters from 0.4 down).
LETTERS = {
    "A": [seg((0.15, 0.95), (0.5, 0.05), (0.85, 0.95)), seg((0.3, 0.6), (0.7, 0.6))],
    "E": [seg((0.8, 0.05), (0.25, 0.05), (0.25, 0.95), (0.8, 0.95)), seg((0.25, 0.5), (0.7, 0.5))],
    "F": [seg((0.8, 0.05), (0.25, 0.05), (0.25, 0.95)), seg((0.25, 0.5), (0.7, 0.5))],
    "H": [seg((0.2, 0.05), (0.2, 0.95)), seg((0.8, 0.05), (0.8, 0.95)), seg((0.2, 0.5), (0.8, 0.5))],
    "K": [seg((0.25, 0.05), (0.25, 0.95)), seg((0.8, 0.05), (0.25, 0.55)), seg((0.4, 0.45), (0.8, 0.95))],
    "M": [seg((0.1, 0.95), (0.15, 0.05), (0.5, 0.6), (0.85, 0.05), (0.9, 0.95))],
    "N": [seg((0.2, 0.95), (0.2, 0.05), (0.8, 0.95), (0.8, 0.05))],
    "R": [seg((0.25, 0.95), (0.25, 0.05), (0.55, 0.05)) + arc(0.55, 0.27, 0.22, 0.22, -90, 90)
          + seg((0.55, 0.49), (0.25, 0.49)), seg((0.45, 0.49), (0.8, 0.95))],
    "V": [seg((0.15, 0.05), (0.5, 0.95), (0.85, 0.05))],
    "W": [seg((0.05, 0.05), (0.27, 0.95), (0.5, 0.35), (0.73, 0.95), (0.95, 0.05))],
    "X": [seg((0.2, 0.05), (0.8, 0.95)), seg((0.8, 0.05), (0.2, 0.95))],
    "Y": [seg((0.2, 0.05), (0.5, 0.5), (0.8, 0.05)), seg((0.5, 0.5), (0.5, 0.95))],
    "c": [arc(0.55, 0.7, 0.3, 0.25, -40, -320)],
    "e": [seg((0.25, 0.7), (0.8, 0.7)) + arc(0.52, 0.7, 0.28, 0.25, 0, -300)],
    "h": [seg((0.25, 0.05), (0.25, 0.95)),
          seg((0.25, 0.65)) + arc(0.5, 0.65, 0.25, 0.2, 180, 360) + seg((0.75, 0.65), (0.75, 0.95))],
    "k": [seg((0.25, 0.05), (0.25, 0.95)), seg((0.7, 0.45), (0.25, 0.75), (0.75, 0.95))],
    "m": [seg((0.15, 0.95), (0.15, 0.45)) + arc(0.3, 0.57, 0.15, 0.12, 180, 360) + seg((0.45, 0.57), (0.45, 0.95)),
          arc(0.6, 0.57, 0.15, 0.12, 180, 360) + seg((0.75, 0.57), (0.75, 0.95))],
    "n": [seg((0.25, 0.95), (0.25, 0.45)) + arc(0.5, 0.62, 0.25, 0.17, 180, 360) + seg((0.75, 0.62), (0.75, 0.95))],
    "r": [seg((0.3, 0.95), (0.3, 0.45)), arc(0.5, 0.62, 0.2, 0.15, 180, 300)],
    "u": [seg((0.25, 0.45), (0.25, 0.75)) + arc(0.5, 0.75, 0.25, 0.2, 180, 0) + seg((0.75, 0.75), (0.75, 0.45)),
          seg((0.75, 0.45), (0.77, 0.95))],
    "v": [seg((0.2, 0.45), (0.5, 0.95), (0.8, 0.45))],
    "w": [seg((0.05, 0.45), (0.27, 0.95), (0.5, 0.6), (0.73, 0.95), (0.95, 0.45))],
    "x": [seg((0.25, 0.45), (0.75, 0.95)), seg((0.75, 0.45), (0.25, 0.95))],
    "y": [seg((0.25, 0.4), (0.5, 0.72)), seg((0.75, 0.4), (0.4, 0.98))],
}
FRAME = 112  # px: a frame for scans.write_number, the mark in its middle 80 px as MNIST frames a digit
BOX = FRAME * 20 // 28


def scribble(rng):
    """Return one scribble as unit-box strokes: a Lissajous knot or a coil crossing something out."""
    t = np.linspace(0, 1, 240)
    if rng.random() < 0.5:  # frequencies 2-5, never equal: no ellipse (a 0) or figure eight
        a, b = rng.choice(np.arange(2, 6), 2, replace=False)
        turns = rng.uniform(1, 2) * 2 * np.pi
        points = np.c_[0.5 + 0.45 * np.sin(a * turns * t + rng.uniform(0, np.pi)), 0.5 + 0.45 * np.sin(b * turns * t)]
    else:
        loops = rng.uniform(4, 9) * 2 * np.pi
        points = np.c_[0.05 + 0.9 * t + 0.08 * np.cos(loops * t), 0.5 + rng.uniform(0.15, 0.3) * np.sin(loops * t)]
    return [list(map(tuple, points))]


def mark(rng):
    """Return (name, unit-box strokes) of one mark: a letter two times in three, else a scribble."""
    if rng.random() < 2 / 3:
        name = rng.choice(list(LETTERS))
        return str(name), LETTERS[name]
    return "scribble", scribble(rng)


def frame_of(strokes, rng):
    """Draw unit-box strokes into a square uint8 frame (light on dark), slanted and wobbled, as one hand writes."""
    picture = Image.new("L", (FRAME, FRAME))
    pen = int(rng.integers(6, 15))
    slant = rng.uniform(-0.3, 0.1)
    for stroke in strokes:
        points = np.array(stroke, dtype=float)
        points[:, 0] += slant * (points[:, 1] - 0.5) + 0.015 * np.sin(rng.uniform(3, 9) * points[:, 1])
        points = points * BOX + (FRAME - BOX) / 2
        ImageDraw.Draw(picture).line([tuple(p) for p in points], fill=255, width=pen, joint="curve")
    return np.asarray(picture)


def scan_of(frames, rng, index, breaks=()):
    """Return image file bytes of the frames written side by side on paper, as scans.write_number writes digits."""
    page, alpha = scans.write_number(frames, rng, breaks=breaks)
    data, _ = scans.as_file(page, alpha, realworld.SCAN_MODES[index % len(realworld.SCAN_MODES)], rng)
    return data


def marks_pages(count, rng):
    """Return scans of a letter, a word of 3-6 letters or a scribble, one per page."""
    pages = []
    for index in range(count):
        length = 1 if index % 3 == 0 else int(rng.integers(3, 7))
        pages.append(scan_of([frame_of(mark(rng)[1], rng) for _ in range(length)], rng, index))
    return pages


def word_and_number_pages(count, rng):
    """Return [(scan bytes, number text)]: a word of 2-5 letters, then a 2-4 digit number of MNIST test digits."""
    images, labels = scans.mnist_test_digits()
    made = []
    for index in range(count):
        word = [frame_of(LETTERS[str(rng.choice(list(LETTERS)))], rng) for _ in range(int(rng.integers(2, 6)))]
        chosen = rng.choice(len(images), int(rng.integers(2, 5)), replace=False)
        made.append((scan_of(word + [images[i] for i in chosen], rng, index, breaks=(len(word),)),
                     "".join(str(labels[i]) for i in chosen)))
    return made


def read_texts(data, network):
    """Return the scan command's lines of digits for one image file's bytes."""
    return segment.read_page(io.BytesIO(data), network).texts()


def window_marks(count, rng):
    """Return the window's pictures of letters and scribbles drawn on its canvas."""
    pictures = []
    for _ in range(count):
        strokes, pen = realworld.draw_strokes(mark(rng)[1], rng)
        pictures.append(drawing.render_strokes(strokes, width=pen))
    return pictures


def rejected_share(network, inputs):
    """Return the fraction of the digits found (inputs: per sample, k x 784) that are rejected."""
    stacked = np.concatenate([x for x in inputs if len(x)])
    return float(np.mean(judge(network, stacked).rejected))


def main():
    """Draw the marks, read them, and print the table."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--weights", default=str(thetas.PRETRAINED_DIR), metavar="DIR",
                        help="the model (default: the shipped one)")
    parser.add_argument("--part", choices=("dev", "final"), default="final")
    parser.add_argument("--count", type=int, default=300, help="pages and drawings of each kind (default 300)")
    parser.add_argument("--no-pages", action="store_true", help="leave out the real pages (45 s)")
    args = parser.parse_args()
    network = thetas.load_network(args.weights)
    rng = np.random.default_rng(SEEDS[args.part])
    rows = []
    pages = marks_pages(args.count, rng)
    rows.append(("pages of a letter, a word or a scribble that print no digit", len(pages),
                 np.mean([read_texts(data, network) == [] for data in pages])))
    made = word_and_number_pages(args.count, rng)
    rows.append(("a word followed by a number: only the number read", len(made),
                 np.mean([read_texts(data, network) == [text] for data, text in made])))
    pictures = window_marks(args.count, rng)
    rows.append(("letters and scribbles drawn in the window said \"Not a digit\"", len(pictures),
                 np.mean([drawing.read_canvas(p, network).texts() == [] for p in pictures])))
    print("  read the marks", file=sys.stderr, flush=True)
    data = mnist.load(mnist.find_default_data())
    test = mnist.scale(data.X[data.n_train:])
    rows.append(("MNIST test digits rejected as not digits", len(test),
                 float(np.mean(judge(network, test).rejected))))
    for name, make in bench_realworld.SETS.items():
        samples = make()
        samples = [samples[i] for i in realworld.split(len(samples), seed=0)[args.part]]
        inputs, _ = realworld.read_set(samples, network)
        rows.append((f"{name}: digits rejected as not digits", len(samples), rejected_share(network, inputs)))
        print(f"  read {name}", file=sys.stderr, flush=True)
    kept_out = letters.load().part({"dev": "calibration", "final": "final"}[args.part])
    letter_rejected = judge(network, mnist.scale(kept_out.X)).rejected
    no_shape = np.isin(kept_out.letter, list(letters.NO_DIGIT_SHAPE))
    rows.append((f"real letters kept out of training, of those no digit's shape takes "
                 f"({letters.NO_DIGIT_SHAPE}): rejected", int(no_shape.sum()), float(letter_rejected[no_shape].mean())))
    each = " ".join(f"{c} {100 * letter_rejected[kept_out.letter == c].mean():.0f}" for c in letters.ALPHABET)
    pages = None if args.no_pages else bench_real_pages.measure(args.weights)
    if pages is not None:
        n, _, _, _, _, none = pages["letters"]
        rows.append(("real pages of words (../shared/real-dev) that print no digit", n, none / n))
        n, exact, *_ = pages["mixed"]
        rows.append(("real pages of words and numbers read exactly", n, exact / n))
    print(f"\nmodel: {thetas.describe(network)}; decision {dict(network.decision._asdict())}\n")
    print(f"| {args.part} part | size | share |\n| --- | --- | --- |")
    for name, size, share in rows:
        print(f"| {name} | {size:,} | {100 * share:.2f} % |")
    print(f"\nreal letters kept out ({args.part} part), % rejected: {each}")
    if pages is not None:
        print(f"\n{bench_real_pages.table(pages)}")
    elif not args.no_pages:
        print(f"\nreal pages skipped: {bench_real_pages.REAL_DEV} is absent")


if __name__ == "__main__":
    main()
