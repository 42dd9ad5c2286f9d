"""Learning a writer's handwriting: accuracy on their misread style before and after Learn.

Each simulated writer draws one digit in a style the shipped model misreads (a flagged 1, a
slashed 0, a crossed 0, a 9 like a g, a round 4), with their own pen and size jitter, as
``bench/realworld.py`` draws digits into the window's picture.  For 5, 10 and 20 corrections
(fresh drawings of that style, labelled), the model is fine-tuned as the window's Learn does
(:func:`personal.fine_tune`), and read on 50 fresh drawings of the style; MNIST's test set and
the drawn set (every style of every digit, ``bench/realworld.py``) are read before and after,
and one Learn with 20 samples is timed.  Also: numbers of 2-5 digits drawn apart on the
window's canvas, read as the window reads them (:func:`drawing.read_canvas`).

``--part dev`` (default) and ``final`` draw different writers' drawings (different seeds);
the README's figures come from ``final``.  About five minutes on 2 cores.

Usage: python bench/bench_personal.py [--weights DIR] [--part dev|final]
"""

import argparse
import sys
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))

import realworld  # noqa: E402  (puts the project on sys.path)
import drawing  # noqa: E402
import mnist  # noqa: E402
import personal  # noqa: E402
import preprocess  # noqa: E402
import thetas  # noqa: E402
from prediction import classify, predict_proba  # noqa: E402
from realworld import arc, seg  # noqa: E402

# Styles the shipped model misreads (found by drawing candidates and reading them; see
# docs/experiments.md#personal): label and strokes in a unit box, as realworld.STYLES.
WRITERS = {
    "flagged 1": (1, [seg((0.2, 0.42), (0.6, 0.05), (0.6, 0.95))]),
    "slashed 0": (0, [arc(0.5, 0.5, 0.3, 0.45, -90, 275), seg((0.2, 0.95), (0.8, 0.05))]),
    "crossed 0": (0, [arc(0.5, 0.5, 0.3, 0.45, -90, 275), seg((0.25, 0.5), (0.75, 0.5))]),
    "9 like a g": (9, [arc(0.5, 0.27, 0.24, 0.2, 0, 360) + seg((0.74, 0.27), (0.74, 0.7))
                       + arc(0.5, 0.75, 0.24, 0.18, 0, 360)]),
    "round 4": (4, [arc(0.45, 0.35, 0.25, 0.3, -90, -250) + seg((0.3, 0.6), (0.85, 0.6)),
                    seg((0.65, 0.05), (0.65, 0.95))]),
}
SEEDS = {"dev": 100, "final": 200}
CORRECTIONS = (5, 10, 20)
FRESH = 50


def writer_hand(rng):
    """Return one writer's :class:`realworld.Hand`: their own size and pen, each jittered a little."""
    size, pen = rng.uniform(0.35, 0.8), np.exp(rng.uniform(np.log(6), np.log(30)))
    return realworld.Hand(size=(0.85 * size, 1.15 * size), pen=(0.8 * pen, 1.2 * pen), turn=6,
                          slant=(rng.uniform(-0.3, -0.1), 0.0))


def drawings(strokes, hand, count, rng, stroke):
    """Return ``count`` fresh drawings of ``strokes`` by ``hand`` in the window's 28x28 form (count x 784)."""
    images = []
    for _ in range(count):
        points, pen = realworld.draw_strokes(strokes, rng, hand)
        images.append(preprocess.to_mnist(np.asarray(drawing.render_strokes(points, width=pen)), stroke).ravel())
    return np.array(images)


def number_drawings(count, rng):
    """Return [(L image of the window's canvas, digits as a string)]: numbers of 2-5 digits,
    each in a random style of ``realworld.STYLES``, drawn one after another with gaps of a
    fifth to half a digit's height (not touching), the whole number fitted to the canvas."""
    samples = []
    width, height = drawing.NUMBER_CANVAS
    for _ in range(count):
        labels = rng.integers(0, 10, int(rng.integers(2, 6)))
        size = rng.uniform(0.3, 0.6)
        hand = realworld.Hand(size=(0.9 * size, 1.1 * size), pen=(8, 24), turn=8)
        digits, right = [], 0.0
        for label in labels:
            styles = realworld.STYLES[int(label)]
            points, pen = realworld.draw_strokes(styles[int(rng.integers(len(styles)))], rng, hand)
            points = [np.array(s, dtype=float) for s in points]
            every = np.concatenate(points)
            low, high = every.min(axis=0) - pen / 2, every.max(axis=0) + pen / 2
            tall = high[1] - low[1]
            gap = rng.uniform(0.2, 0.5) * tall if digits else 0
            rise = (low[1] + high[1]) / 2 + rng.uniform(-0.08, 0.08) * tall  # on one line, a little uneven
            digits.append(([s - [low[0] - right - gap, rise] for s in points], pen))
            right += gap + high[0] - low[0]
        every = np.concatenate([s for strokes, _ in digits for s in strokes])
        low, high = every.min(axis=0), every.max(axis=0)
        scale = min(1.0, (width - 40) / (high[0] - low[0]), (height - 40) / (high[1] - low[1]))
        centre = np.array([width, height]) / 2
        strokes = [[tuple(p) for p in (s - (low + high) / 2) * scale + centre] for points, _ in digits for s in points]
        pen = max(2, int(round(np.median([p for _, p in digits]) * scale)))
        samples.append((drawing.render_strokes(strokes, (width, height), pen), "".join(map(str, labels))))
    return samples


def main():
    """Print the table."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--weights", default=str(thetas.PRETRAINED_DIR), metavar="DIR",
                        help="the base model (default: the shipped one)")
    parser.add_argument("--part", choices=tuple(SEEDS), default="dev", help="which writers (default: dev)")
    parser.add_argument("--numbers", type=int, default=300, help="numbers drawn on the canvas (default 300)")
    args = parser.parse_args()
    base = thetas.load_network(args.weights)
    stroke = base.preprocessing.stroke
    rng = np.random.default_rng(SEEDS[args.part])
    data = mnist.load(mnist.BUNDLED_DIR)
    pixels, labels = data.X[:data.n_train], data.y[:data.n_train]
    test = base.preprocessing.apply(mnist.scale(data.X[data.n_train:]))
    test_labels = data.y[data.n_train:]
    drawn = realworld.drawn_set()
    drawn = [drawn[i] for i in realworld.split(len(drawn), seed=0)[args.part]]
    drawn_inputs, drawn_labels = realworld.read_set(drawn, base)

    def scores(Theta1, Theta2):
        network = base._replace(Theta1=Theta1, Theta2=Theta2)
        mnist_right = np.mean(predict_proba(Theta1, Theta2, test).argmax(axis=1) == test_labels)
        return mnist_right, realworld.accuracy(network, drawn_inputs, drawn_labels)

    base_mnist, base_drawn = scores(base.Theta1, base.Theta2)
    rows, seconds = [], []
    for name, (label, strokes) in WRITERS.items():
        hand = writer_hand(rng)
        fresh = drawings(strokes, hand, FRESH, rng, stroke)
        corrections = drawings(strokes, hand, max(CORRECTIONS), rng, stroke)
        figures, kept = [np.mean(classify(base, fresh).argmax(axis=1) == label)], (1.0, 1.0)
        for k in CORRECTIONS:
            start = time.perf_counter()
            Theta1, Theta2, _ = personal.fine_tune(base, corrections[:k], np.full(k, label), pixels, labels)
            if k == max(CORRECTIONS):
                seconds.append(time.perf_counter() - start)
            figures.append(np.mean(predict_proba(Theta1, Theta2, base.preprocessing.apply(fresh)).argmax(axis=1)
                                   == label))
            kept = np.minimum(kept, scores(Theta1, Theta2))  # the worst after any number of corrections
        rows.append((name, figures + list(kept)))
        print(f"  {name}: " + " ".join(f"{100 * f:.0f}%" for f in figures), file=sys.stderr, flush=True)

    numbers = number_drawings(args.numbers, rng) if args.numbers else []
    exact = np.mean([" ".join(drawing.read_canvas(image, base).texts()) == text for image, text in numbers] or [0])

    print(f"\nbase model: {thetas.describe(base)}; part {args.part}\n")
    print(f"Each writer's style read in {FRESH} fresh drawings before and after learning from 5, 10 and 20 "
          f"corrections; then MNIST's test set (10,000; base {100 * base_mnist:.2f} %) and the drawn set "
          f"(every style, {len(drawn)}; base {100 * base_drawn:.2f} %) after learning, the lowest of the three.\n")
    print("| writer | before | " + " | ".join(f"after {k}" for k in CORRECTIONS) + " | MNIST after | drawn after |")
    print("| --- |" + " --- |" * (3 + len(CORRECTIONS)))
    for name, figures in rows:
        print(f"| {name} | " + " | ".join(f"{100 * f:.0f} %" for f in figures[:-2]) + " | "
              + " | ".join(f"{100 * f:.2f} %" for f in figures[-2:]) + " |")
    print(f"\none Learn with {max(CORRECTIONS)} samples: {np.median(seconds):.1f} s (median of {len(seconds)}); "
          f"numbers of 2-5 digits drawn apart on the canvas ({len(numbers)}), exact: {100 * exact:.2f} %")


if __name__ == "__main__":
    main()
