"""Numbers written by hand on paper, made from digit images: the scans the tests and benchmarks read.

:func:`write_number` sets digits side by side as a writer would (random size, small turn,
spacing, baseline jitter, paper shade, light and noise), neighbours touching or overlapping
where asked, and says where it put each digit, so each piece of ink can be traced to the digit
that made it (:func:`digit_layers`).  ``tests/scans.py`` writes them from MNIST's test digits,
never trained on.  What it leaves out: real pens (strokes are MNIST's, only scaled), printed
lines on the paper, and digits that touch above or below.
"""

import numpy as np
from PIL import Image

import preprocess

# A touching digit overlaps its neighbour by up to this share of the frame height past contact.
TOUCH_OVERLAP = 0.06


def write_number(digits, rng, light_on_dark=False, touching=(), breaks=(), placed=None):
    """Return (page, alpha): a float image in [0, 1] (1 = white) of the square uint8 ``digits`` side by side.

    Each digit is taken as MNIST frames them (28x28, or any square size with the digit in the
    same proportion of its frame).  Random frame height (40-110 px), small rotation (up to 6
    degrees), spacing, baseline jitter, paper shade, lighting gradient, noise and ink darkness.
    ``alpha`` is the ink's coverage.  Digit ``i`` in ``touching`` is moved left until its ink
    touches or overlaps digit ``i - 1``'s by up to :data:`TOUCH_OVERLAP` of the frame height;
    digit ``i`` in ``breaks`` starts a new number: a gap of 1.5-3 frame heights before it, as
    between numbers on a line.  A list given as ``placed`` receives each digit's (coverage, left, top) in ``alpha`` (see
    :func:`digit_layers`).
    """
    height = int(rng.integers(40, 111))
    pieces = [_piece(digit, height, rng) for digit in digits]
    margin = int(height * rng.uniform(0.4, 1.0))
    gaps = [int(height * (rng.uniform(1.5, 3.0) if i + 1 in breaks else rng.uniform(0.15, 0.45)))
            for i in range(len(pieces))]
    tallest = max(p.shape[0] for p in pieces)
    tops = [margin + int(rng.integers(0, height // 5 + 1)) + (tallest - p.shape[0]) // 2 for p in pieces]
    lefts = [margin]
    for i in range(1, len(pieces)):
        left = lefts[-1] + pieces[i - 1].shape[1] + gaps[i - 1]
        if i in touching:
            overlap = int(round(height * rng.uniform(0, TOUCH_OVERLAP)))
            left -= _contact_shift(pieces[i - 1], tops[i - 1], pieces[i], tops[i], left - lefts[-1]) + overlap
        lefts.append(left)
    shift = margin - min(lefts)  # a touching digit may reach left of the first one
    lefts = [x + shift for x in lefts]
    width = max(x + p.shape[1] for x, p in zip(lefts, pieces)) + margin
    alpha = np.zeros((tallest + 2 * margin + height // 5, width), np.float32)
    for piece, x, y in zip(pieces, lefts, tops):
        window = alpha[y:y + piece.shape[0], x:x + piece.shape[1]]
        np.maximum(window, piece, out=window)
    if placed is not None:
        placed.extend(zip(pieces, lefts, tops))
    paper = rng.uniform(0.75, 0.97) + np.linspace(0, rng.uniform(-0.08, 0.08), width)[None, :]
    paper = paper + rng.normal(0, rng.uniform(0.01, 0.04), alpha.shape)
    ink = rng.uniform(0.02, 0.3)
    page = np.clip(paper * (1 - alpha) + ink * alpha, 0, 1).astype(np.float32)
    return (1 - page if light_on_dark else page), alpha


def touching_neighbours(length, rng):
    """Return which digits of a ``length``-digit number touch the one before them: 1 or 2 of
    1..length-1, drawn from ``rng`` (the ``touching`` of :func:`write_number`)."""
    pairs = rng.choice(np.arange(1, length), size=min(length - 1, int(rng.integers(1, 3))), replace=False)
    return set(pairs.tolist())


def digit_layers(placed, shape):
    """Return k x ``shape`` float32: each of the k digits ``write_number`` placed, on its own.

    Their pixelwise maximum is the number's ``alpha``; each one is the ink a perfect
    segmentation would give its digit (bench/bench_touching.py).
    """
    layers = np.zeros((len(placed),) + tuple(shape), np.float32)
    for layer, (piece, left, top) in zip(layers, placed):
        layer[top:top + piece.shape[0], left:left + piece.shape[1]] = piece
    return layers


def _piece(digit, height, rng):
    """Return one digit turned a little, scaled to a frame ``height`` px tall, cropped to its ink."""
    image = Image.fromarray(digit).rotate(rng.uniform(-6, 6), Image.Resampling.BICUBIC, expand=True)
    side = round(image.size[0] * height / digit.shape[1])
    image = np.asarray(image.resize((side, side), Image.Resampling.BICUBIC), np.float32) / 255
    rows = np.flatnonzero(image.max(axis=1) > 0.1)
    cols = np.flatnonzero(image.max(axis=0) > 0.1)
    return np.clip(image[rows[0]:rows[-1] + 1, cols[0]:cols[-1] + 1], 0, 1)


def _contact_shift(left_piece, left_top, right_piece, right_top, offset):
    """Return how far to move ``right_piece`` left (from ``offset`` px right of the other's left
    edge) so that the two pieces' solid ink (:data:`preprocess.SOLID_INK`) first touches."""
    rows = np.arange(max(left_top, right_top), min(left_top + left_piece.shape[0], right_top + right_piece.shape[0]))
    left_ink = left_piece[rows - left_top] > preprocess.SOLID_INK
    right_ink = right_piece[rows - right_top] > preprocess.SOLID_INK
    both = left_ink.any(axis=1) & right_ink.any(axis=1)
    if not both.any():  # no row in common holding ink in both: just close the gap
        return offset - left_piece.shape[1]
    last_left = left_piece.shape[1] - 1 - np.argmax(left_ink[both][:, ::-1], axis=1)
    first_right = offset + np.argmax(right_ink[both], axis=1)
    return int((first_right - last_left).min()) - 1
