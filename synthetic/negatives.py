"""Marks that are not digits, for training the network to say so (``main.py --negatives``).

A page holds more than digits: letters and words, scribbles, dots and dashes, the strokes of
rules and boxes.  Trained with all ten outputs 0 (:data:`model.NO_CLASS`, as touching pairs
are), the network learns to give such a mark low outputs everywhere, which the tools' decision
(:func:`prediction.decide`) reads as "not a digit".  Each mark is drawn with Pillow on a
square canvas and framed by :func:`preprocess.to_mnist`, as the scan command frames a part of a
page.  Letters come from the system's DejaVu fonts (not handwriting fonts: those are kept as an
independent check) and Pillow's own font; real pen strokes that are not digits come from
training digits turned or mirrored (:data:`TURNS`).  All are distorted as the training digits
are.  What it leaves out: letters that look like digits (O, l, S, Z, B, g, q ... see
:data:`LETTERS`), which no shape alone tells from 0, 1, 5, 2, 8, 9.
"""

import functools
from pathlib import Path

import numpy as np
from PIL import Image, ImageDraw, ImageFont

import preprocess
from mnist import IMAGE_SIDE, PIXELS
from synthetic import distort

# Letters and signs drawn as non-digits: both cases, without those a digit's shape can take
# (O o Q D U for 0, I l i j J for 1, Z z for 2, S s for 5, B for 8, b G for 6, g q for 9,
# T for 7) and signs that are one stroke (/ | ! ( ) [ ] ' , .) as a 1 is.
LETTERS = "AaCcdEeFfHhKkLMmNnPpRrtuVvWwXxYy" + "+=%#&@*<>~?$"
FONT_GLOB = "/usr/share/fonts/truetype/dejavu/DejaVu*.ttf"
CANVAS = 112  # px: the marks are drawn at 4x MNIST's 28 px, then framed down
# The kinds of mark and their shares of the negatives ("turned": only given training digits).
KINDS = {"letter": 0.3, "letters": 0.15, "scribble": 0.15, "rule": 0.1, "dots": 0.05, "turned": 0.25}
# Training digits turned a quarter (k = 1, 3), a half (2) or mirrored ("mirror"), and the digits
# each turn may take: not those it leaves a digit (0, 1, 8 mirrored; 6 and 9 turned half into
# each other; 2 and 5 a half turn from themselves; 0 a quarter turn from a wide 0).
TURNS = {1: "123456789", 3: "123456789", 2: "347", "mirror": "2345679"}


@functools.lru_cache(maxsize=1)
def font_files():
    """Return the non-handwriting font files found (DejaVu), sorted; may be empty."""
    return tuple(sorted(str(p) for p in Path("/").glob(FONT_GLOB.lstrip("/"))))


@functools.lru_cache(maxsize=256)
def _font(index, size):
    """Return font ``index`` of :func:`font_files` (past their end: Pillow's own) at ``size`` px."""
    files = font_files()
    if index < len(files):
        return ImageFont.truetype(files[index], size)
    return ImageFont.load_default(size)


def negatives(count, rng, stroke=None, pixels=None, labels=None):
    """Return ``count`` non-digit marks (count x 784 float32 in [0, 1]), framed as to_mnist frames a part.

    ``stroke`` is the width the strokes are grown towards (a fraction of the longer side), as
    for every other training row.  The kinds of mark are :data:`KINDS`, in those shares;
    turned digits come from ``pixels`` (m x 784 uint8) with ``labels``, only when given.
    Every mark is then distorted as the training digits are (:func:`synthetic.distort.distort`).
    One thread draws them (about 1 ms each): Pillow's drawing holds Python's lock, and two
    threads measured slower than one.
    """
    kinds = dict(KINDS) if pixels is not None else {k: v for k, v in KINDS.items() if k != "turned"}
    kinds = rng.choice(list(kinds), size=count, p=np.array(list(kinds.values())) / sum(kinds.values()))
    out = np.zeros((count, PIXELS), dtype=np.float32)
    for i, kind in enumerate(kinds):
        if kind == "turned":
            out[i] = _turned(pixels, labels, rng, stroke)
            continue
        while True:  # a mark drawn wholly off the canvas is drawn again
            picture = Image.new("L", (CANVAS, CANVAS))
            DRAWERS[kind](ImageDraw.Draw(picture), rng)
            angle = rng.uniform(-15, 15)
            framed = preprocess.to_mnist(np.asarray(picture.rotate(angle, Image.Resampling.BILINEAR)), stroke)
            if framed is not None:
                out[i] = framed.ravel()
                break
    return distort.distort(out, rng, out=out)


def _turned(pixels, labels, rng, stroke):
    """Return one training digit turned or mirrored into a mark that is no digit (:data:`TURNS`), framed."""
    turn = list(TURNS)[int(rng.integers(len(TURNS)))]
    allowed = np.flatnonzero(np.isin(labels, [int(d) for d in TURNS[turn]]))
    image = pixels[allowed[int(rng.integers(len(allowed)))]].reshape(IMAGE_SIDE, IMAGE_SIDE)
    image = image[:, ::-1] if turn == "mirror" else np.rot90(image, turn)
    return preprocess.to_mnist(np.ascontiguousarray(image), stroke).ravel()


def _pen(rng, low=2, high=12):
    """Return a pen width in canvas pixels, drawn log-uniformly."""
    return int(round(np.exp(rng.uniform(np.log(low), np.log(high)))))


def _text(draw, rng, length):
    """Draw ``length`` letters of :data:`LETTERS` in a random font, size and weight."""
    fonts = len(font_files()) + 1
    size = int(rng.integers(40, 100 if length == 1 else 60))
    text = "".join(rng.choice(list(LETTERS), size=length))
    font = _font(int(rng.integers(fonts)), size)
    draw.text((CANVAS / 2, CANVAS / 2), text, fill=255, font=font, anchor="mm",
              stroke_width=int(rng.integers(0, 4)), stroke_fill=255)


def _scribble(draw, rng):
    """Draw a scribble: a coil of loops that drifts along (a scrawl), or a zigzag crossing-out."""
    if rng.random() < 0.5:
        steps = int(rng.integers(60, 160))
        turn = np.cumsum(rng.choice([-1, 1]) * rng.uniform(0.25, 0.6) + rng.normal(0, 0.3, steps))
        points = np.cumsum(np.c_[np.cos(turn), np.sin(turn)], axis=0)
        points[:, 0] += np.linspace(0, rng.uniform(0.3, 1.5) * steps / 3, steps)  # the drift
    else:
        corners = int(rng.integers(5, 14))
        points = np.c_[np.arange(corners) * rng.uniform(0.1, 0.5) + rng.normal(0, 0.1, corners),
                       np.arange(corners) % 2 + rng.normal(0, 0.1, corners)]
    points -= points.min(axis=0)
    points *= (CANVAS - 16) / max(points.max(), 1e-6)
    draw.line([tuple(p + 8) for p in points], fill=255, width=_pen(rng), joint="curve")


def _rule(draw, rng):
    """Draw the strokes of printed lines and boxes: a dash or rule, a corner, a cross, a box."""
    width = _pen(rng, 2, 8)
    low, high = 10, CANVAS - 10
    left, right = rng.uniform(low, 40), rng.uniform(70, high)
    top, bottom = rng.uniform(low, 45), rng.uniform(65, high)
    mid = rng.uniform(40, 70)
    if bottom - top > right - left:  # a box taller than wide is a 0 as some write it
        bottom = top + (right - left) * rng.uniform(0.4, 1)
    shapes = [
        [(left, mid), (right, mid)],  # a rule or a dash
        [(left, top), (left, bottom), (right, bottom)],  # a corner
        [(left, top), (left, bottom), (right, bottom), (right, top)],  # a comb field's tooth
        [(left, top), (right, top), (right, bottom), (left, bottom), (left, top)],  # a box
    ]
    choice = int(rng.integers(len(shapes) + 2))
    if choice < len(shapes):
        draw.line(shapes[choice], fill=255, width=width, joint="curve")
    elif choice == len(shapes):  # a cross of two lines, as where a grid's lines meet
        draw.line([(left, mid), (right, mid)], fill=255, width=width)
        draw.line([(mid, top), (mid, bottom)], fill=255, width=width)
    else:  # a piece of grid
        for x in np.linspace(left, right, 3):
            draw.line([(x, top), (x, bottom)], fill=255, width=width)
        for y in np.linspace(top, bottom, 3):
            draw.line([(left, y), (right, y)], fill=255, width=width)


def _dots(draw, rng):
    """Draw one to three dots or short dashes in a row: a full stop, a colon, an ellipsis."""
    count = int(rng.integers(1, 4))
    radius = rng.uniform(4, 12)
    stretch = rng.uniform(1, 2.5) if rng.random() < 0.5 else 1
    step = rng.uniform(2.5, 4) * radius * stretch
    vertical = rng.random() < 0.3
    for k in range(count):
        along = CANVAS / 2 + (k - (count - 1) / 2) * step
        x, y = (CANVAS / 2, along) if vertical else (along, CANVAS / 2)
        draw.ellipse([x - radius * stretch, y - radius, x + radius * stretch, y + radius], fill=255)


DRAWERS = {"letter": lambda draw, rng: _text(draw, rng, 1),
           "letters": lambda draw, rng: _text(draw, rng, int(rng.integers(2, 4))),
           "scribble": _scribble, "rule": _rule, "dots": _dots}
