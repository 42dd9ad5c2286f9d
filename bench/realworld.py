"""Handwriting that did not come from MNIST's training set, to measure what users meet.

Three kinds of sets, each made from a seeded generator and split into two fixed halves:
``dev`` (look at it while working) and ``final`` (untouched until the end; the README's figures
come from it).  Nothing here is ever trained on.

- Real writers: the UCI handwritten digits that scikit-learn bundles (1,797 digits by 43
  writers, 8x8, 17 grey levels), enlarged and put on paper as scans, read through the scan
  command's pipeline (:func:`segment.open_image` and :func:`segment.find_digits` with the network).
- Drawn: digits drawn as strokes into the window's picture (:func:`drawing.render_strokes`),
  three or more written styles of each digit, pens 2-40 px on the 280 px canvas, sizes 15-95 %
  of the canvas, anywhere on it, slanted, turned and jittered; read as the window reads them.
- Pens on paper: MNIST test digits made thinner or thicker (grey erosion or dilation at 4x
  resolution), put on paper as scans, read through the scan command's pipeline.
"""

import io
import sys
from pathlib import Path
from typing import NamedTuple

import numpy as np
from PIL import Image
from scipy import ndimage

PROJECT_DIR = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(PROJECT_DIR), str(PROJECT_DIR / "tests")]

import drawing  # noqa: E402
import preprocess  # noqa: E402
import scans  # noqa: E402
from scan import segment  # noqa: E402

PARTS = ("dev", "final")
CANVAS = drawing.CANVAS_SIZE
# A pen wider than this fraction of the digit's height fills its loops: no reader could tell
# an 8 from a 0, so such pairs are not drawn.  (MNIST's strokes are 10-15 % of the height.)
MAX_PEN_FRACTION = 0.25


class Sample(NamedTuple):
    """One test item: how to read it ("canvas": an L image of the window; "scan": file bytes) and its label."""

    kind: str
    data: object
    label: int


def split(n, seed):
    """Return {part: indices}: a fixed random half of range(n) for each part."""
    order = np.random.default_rng(seed).permutation(n)
    return {"dev": np.sort(order[: n // 2]), "final": np.sort(order[n // 2:])}


# Drawn digits ---------------------------------------------------------------------------------

def arc(cx, cy, rx, ry, start, end, points=24):
    """Points along an elliptical arc; angles in degrees, 0 = right, 90 = down (screen axes)."""
    angles = np.radians(np.linspace(start, end, points))
    return list(zip(cx + rx * np.cos(angles), cy + ry * np.sin(angles)))


def seg(*corners, points=8):
    """Points along straight lines through the corners."""
    out = [corners[0]]
    for (x0, y0), (x1, y1) in zip(corners, corners[1:]):
        t = np.linspace(0, 1, points)[1:]
        out += list(zip(x0 + (x1 - x0) * t, y0 + (y1 - y0) * t))
    return out


# Written styles of each digit, in a unit box (x right, y down): lists of strokes.
STYLES = {
    0: [[arc(0.5, 0.5, 0.3, 0.45, -90, 275)],
        [arc(0.5, 0.5, 0.28, 0.45, -80, -440)],
        [arc(0.5, 0.5, 0.18, 0.46, -95, 270)]],
    1: [[seg((0.5, 0.05), (0.5, 0.95))],
        [seg((0.3, 0.27), (0.52, 0.05), (0.52, 0.95))],
        [seg((0.3, 0.27), (0.52, 0.05), (0.52, 0.95)), seg((0.3, 0.95), (0.74, 0.95))]],
    2: [[arc(0.5, 0.3, 0.27, 0.25, -170, 20) + seg((0.754, 0.385), (0.22, 0.95), (0.8, 0.95))],
        [arc(0.5, 0.3, 0.27, 0.25, -170, 20) + seg((0.754, 0.385), (0.3, 0.82))
         + arc(0.3, 0.87, 0.08, 0.06, -90, 200) + seg((0.23, 0.89), (0.82, 0.93))],
        [arc(0.5, 0.28, 0.28, 0.2, -180, 0) + seg((0.78, 0.28), (0.2, 0.95), (0.82, 0.95))]],
    3: [[arc(0.45, 0.28, 0.27, 0.22, -160, 90) + arc(0.45, 0.72, 0.3, 0.24, -90, 160)],
        [seg((0.22, 0.08), (0.75, 0.08), (0.45, 0.42)) + arc(0.45, 0.68, 0.3, 0.26, -90, 160)],
        [arc(0.45, 0.27, 0.25, 0.2, -160, 60) + seg((0.575, 0.443), (0.4, 0.5), (0.6, 0.52))
         + arc(0.45, 0.72, 0.3, 0.23, -60, 160)]],
    4: [[seg((0.3, 0.05), (0.2, 0.6), (0.8, 0.6)), seg((0.62, 0.2), (0.62, 0.95))],
        [seg((0.62, 0.05), (0.18, 0.62), (0.82, 0.62)), seg((0.62, 0.05), (0.62, 0.95))],
        [seg((0.62, 0.95), (0.62, 0.05), (0.18, 0.62), (0.85, 0.62))]],
    5: [[seg((0.3, 0.08), (0.27, 0.45)) + arc(0.48, 0.68, 0.28, 0.25, -130, 150),
         seg((0.3, 0.08), (0.78, 0.08))],
        [seg((0.78, 0.08), (0.3, 0.08), (0.27, 0.45)) + arc(0.48, 0.68, 0.28, 0.25, -130, 150)],
        [seg((0.32, 0.05), (0.28, 0.42)) + arc(0.5, 0.68, 0.3, 0.28, -140, 160),
         seg((0.32, 0.05), (0.75, 0.02))]],
    6: [[arc(0.75, 0.6, 0.5, 0.55, -100, -180) + arc(0.5, 0.72, 0.25, 0.21, 180, 540)],
        [seg((0.62, 0.05), (0.27, 0.65)) + arc(0.5, 0.73, 0.24, 0.21, 200, 560)],
        [arc(0.75, 0.6, 0.5, 0.55, -100, -180) + arc(0.46, 0.78, 0.2, 0.17, 180, 540)]],
    7: [[seg((0.2, 0.08), (0.8, 0.08), (0.4, 0.95))],
        [seg((0.2, 0.08), (0.8, 0.08), (0.4, 0.95)), seg((0.38, 0.5), (0.78, 0.5))],
        [seg((0.2, 0.2), (0.22, 0.08), (0.8, 0.08)) + arc(0.1, 0.08, 0.7, 0.87, 0, 80)]],
    8: [[arc(0.5, 0.27, 0.22, 0.22, 90, 450) + arc(0.5, 0.72, 0.27, 0.24, -90, 270)],
        [arc(0.5, 0.27, 0.22, 0.22, 0, 360), arc(0.5, 0.72, 0.27, 0.24, 0, 360)],
        [arc(0.5, 0.26, 0.17, 0.21, 90, 450) + arc(0.5, 0.72, 0.3, 0.25, -90, 270)]],
    9: [[arc(0.5, 0.3, 0.26, 0.24, 0, 360) + seg((0.76, 0.3), (0.72, 0.95))],
        [arc(0.5, 0.3, 0.26, 0.24, 0, 360) + arc(0.3, 0.3, 0.46, 0.65, 0, 80)],
        [arc(0.5, 0.28, 0.25, 0.22, 0, -360) + seg((0.75, 0.28), (0.55, 0.95))]],
}


class Hand(NamedTuple):
    """How a writer's drawings vary: the digit's height (fractions of the canvas), the pen (px,
    drawn log-uniformly), the turn (degrees either way) and the slant (x shift per unit of height)."""

    size: tuple = (0.15, 0.95)
    pen: tuple = (2, 40)
    turn: float = 12
    slant: tuple = (-0.35, 0.1)  # most people lean right


EVERY_HAND = Hand()


def draw_digit(label, style, rng):
    """Return (strokes in canvas pixels, pen width) for one drawn digit of ``STYLES[label][style]``."""
    return draw_strokes(STYLES[label][style], rng)


def draw_strokes(unit_strokes, rng, hand=EVERY_HAND):
    """Return (strokes in canvas pixels, pen width) for strokes in a unit box drawn by ``hand``."""
    while True:
        size = rng.uniform(*hand.size) * CANVAS  # the digit's height
        pen = int(round(np.exp(rng.uniform(np.log(hand.pen[0]), np.log(hand.pen[1])))))
        if pen <= MAX_PEN_FRACTION * size:
            break
    angle = np.radians(rng.uniform(-hand.turn, hand.turn))
    slant = rng.uniform(*hand.slant)
    width = size * rng.uniform(0.8, 1.15)
    rotation = np.array([[np.cos(angle), -np.sin(angle)], [np.sin(angle), np.cos(angle)]])
    strokes = []
    for stroke in unit_strokes:
        points = np.array(stroke, dtype=float) - 0.5
        t = np.linspace(0, 1, len(points))[:, None]
        wobble = 0.02 * np.sin(2 * np.pi * (rng.uniform(0.5, 2) * t + rng.uniform(0, 1, 2)))
        points = points + wobble
        points[:, 0] += slant * points[:, 1]
        points = points * [width, size] @ rotation.T
        strokes.append(points)
    every = np.concatenate(strokes)
    low, high = every.min(axis=0), every.max(axis=0)
    margin = pen / 2 + 1
    room = np.maximum(CANVAS - 2 * margin - (high - low), 0)
    offset = margin - low + rng.uniform(0, 1, 2) * room
    return [[(int(round(x)), int(round(y))) for x, y in s + offset] for s in strokes], pen


def drawn_set(per_style=40, seed=0):
    """Return [Sample("canvas", L image, label)] of drawn digits, every style of every digit alike."""
    rng = np.random.default_rng(seed)
    samples = []
    for label, styles in STYLES.items():
        for style in range(len(styles)):
            for _ in range(per_style):
                strokes, pen = draw_digit(label, style, rng)
                samples.append(Sample("canvas", drawing.render_strokes(strokes, width=pen), label))
    return samples


# Scans ----------------------------------------------------------------------------------------

SCAN_MODES = ("L", "JPEG", "RGB")


def as_scan(frame, rng, index):
    """Put one square uint8 digit frame on paper and encode it as a file: a Sample's data."""
    page, alpha = scans.write_number([frame], rng)
    data, _ = scans.as_file(page, alpha, SCAN_MODES[index % len(SCAN_MODES)], rng)
    return data


def real_writers_set(seed=1):
    """Return scans of the 1,797 UCI digits (scikit-learn's ``load_digits``), enlarged 8x."""
    from sklearn.datasets import load_digits
    digits = load_digits()
    rng = np.random.default_rng(seed)
    samples = []
    for index, (image, label) in enumerate(zip(digits.images, digits.target)):
        # The 8x8 box holds the digit as MNIST's 20 px box does; pad it to MNIST's 28 px frame.
        framed = np.pad(image / 16, 2)  # 12x12
        big = Image.fromarray(np.float32(framed), mode="F").resize((96, 96), Image.Resampling.BICUBIC)
        frame = np.uint8(np.clip(np.asarray(big), 0, 1) * 255)
        samples.append(Sample("scan", as_scan(frame, rng, index), int(label)))
    return samples


def disk(radius):
    """Return a boolean disk footprint of ``radius`` pixels."""
    r = int(np.ceil(radius))
    y, x = np.mgrid[-r:r + 1, -r:r + 1]
    return x * x + y * y <= radius * radius


def pen_set(kind, count=1000, seed=2):
    """Return scans of MNIST test digits redrawn with a ``kind`` ("thin" or "thick") pen."""
    images, labels = scans.mnist_test_digits()
    rng = np.random.default_rng(seed + (kind == "thick"))
    chosen = rng.choice(len(images), count, replace=False)
    samples = []
    for index, i in enumerate(chosen):
        big = np.asarray(Image.fromarray(images[i]).resize((112, 112), Image.Resampling.BICUBIC))
        if kind == "thin":  # MNIST's ~10 px strokes at this scale down to 2-5 px
            big = ndimage.grey_erosion(big, footprint=disk(rng.uniform(2.5, 4)))
        else:  # up to 18-30 px
            big = ndimage.grey_dilation(big, footprint=disk(rng.uniform(4, 10)))
        samples.append(Sample("scan", as_scan(big, rng, index), int(labels[i])))
    return samples


# Reading --------------------------------------------------------------------------------------

def inputs_of(sample, network):
    """Return the 28x28 inputs (k x 784) the tools would give ``network`` for one sample."""
    if sample.kind == "canvas":  # as the window reads its picture (Drawing.digit)
        digit = preprocess.to_mnist(np.asarray(sample.data), network.preprocessing.stroke)
        return np.zeros((0, 784)) if digit is None else digit.reshape(1, -1)
    grey, scale = segment.open_image(io.BytesIO(sample.data))  # as segment.read_digits does
    digits = segment.find_digits(grey, scale, network.preprocessing.stroke, network)
    return np.array([d.image.ravel() for d in digits]).reshape(-1, 784)


def read_set(samples, network):
    """Return (inputs list, labels): each sample's inputs as the tools make them for ``network``.

    The inputs depend on the network: its stroke setting, and its reading of wide parts,
    which may be cut into touching digits (:mod:`scan.split`).
    """
    return [inputs_of(s, network) for s in samples], np.array([s.label for s in samples])


def accuracy(network, inputs, labels):
    """Return the fraction read right: exactly one digit found, not rejected, and the right one."""
    from prediction import judge
    found = np.array([len(x) for x in inputs])
    single = found == 1
    predicted = np.full(len(labels), -1)
    if single.any():
        judgement = judge(network, np.concatenate([x for x in inputs if len(x) == 1]))
        predicted[single] = np.where(judgement.rejected, -1, judgement.labels)
    return float(np.mean(predicted == labels))
