"""Touching digits for training: pairs of digits that touch, and pieces cut from such pairs.

The scan command cuts a part of ink holding touching digits where the network reads its pieces
best (:mod:`scan.split`).  For that the network must read a blot of two digits, or a digit with
much of its neighbour, as "no digit" (all ten outputs 0, :data:`model.NO_CLASS`), and a digit
with a sliver of its neighbour as that digit.  :func:`touching_pairs` (``main.py --pairs``) and
:func:`cut_pieces` (``main.py --pieces``) make those examples from training digits, framed as
:func:`preprocess.to_mnist` frames a part of a page, all vectorised over blocks of pairs.
What it leaves out: only vertical cuts, and pairs, never three digits touching.
"""

import functools

import numpy as np
from scipy import ndimage

import preprocess
from mnist import IMAGE_SIDE, PIXELS
from model import NO_CLASS

# How far the second digit of a pair is lowered or raised (pixels at MNIST's scale, where a
# digit is about 20 px tall), and how far it overlaps the first past the point where their ink
# first touches: 0-2 px, a little more than the scans' handwriting.TOUCH_OVERLAP.
PAIR_RISE = 3
PAIR_OVERLAP = 2.0


def touching_pairs(pixels, count, rng, stroke=None, chunk=2048):
    """Return ``count`` images (count x 784 float32 in [0, 1]) each holding two digits that touch.

    Two digits drawn at random from ``pixels`` (m x 784 uint8) are set side by side, the second
    moved up or down a little and left until their ink touches or overlaps, and the pair is
    framed as :func:`preprocess.to_mnist` frames the part of a page it is given: its longer
    side scaled to 20 px (area-averaged), centred in 28x28, its strokes grown towards
    ``stroke`` (a fraction of the longer side) when given.  Trained with all ten outputs 0
    ("no digit"), they teach the network that a blot of two digits is not one; the scan
    command's cutting of touching digits (:mod:`scan.split`) relies on that.
    """
    out = np.empty((count, PIXELS), dtype=np.float32)

    def blocks():  # each block's random numbers drawn here, in order; the work on all cores
        for start in range(0, count, chunk):
            n = min(chunk, count - start)
            first, second = rng.integers(len(pixels), size=(2, n))
            rise = rng.integers(-PAIR_RISE, PAIR_RISE + 1, n)
            overlap = rng.uniform(0, PAIR_OVERLAP, n)
            yield functools.partial(_into, out, start, _pair_block, pixels[first], pixels[second], rise,
                                    overlap, stroke)

    preprocess.in_parallel(blocks())
    return out


def _into(out, start, function, *args):
    """Write ``function(*args)`` into the rows of ``out`` from ``start`` (a task for
    :func:`preprocess.in_parallel`)."""
    rows = function(*args)
    out[start:start + len(rows)] = rows


# Pieces of touching pairs, cut by a vertical line as the scan command's cutting cuts them
# (scan/split.py): a good piece keeps at least PIECE_KEPT of its digit's ink and at most PIECE_LEAK
# (as a share of that) of its neighbour's; a bad one keeps its digit and at least PIECE_OVER of
# its neighbour's ink, but under PIECE_MOST of the neighbour (the whole pair is touching_pairs').
PIECE_KEPT = 0.92
PIECE_LEAK = 0.15
PIECE_OVER = 0.35
PIECE_MOST = 0.9


def piece_targets(count):
    """Return the labels of ``count`` pieces (:func:`cut_pieces`): every other one NO_CLASS,
    the rest the digits 0-9 in turn."""
    index = np.arange(count)
    return np.where(index % 2 == 0, NO_CLASS, (index // 2) % 10)


def cut_pieces(pixels, labels, targets, rng, stroke=None, chunk=2048):
    """Return len(``targets``) images (float32 in [0, 1]): pieces cut from touching pairs.

    Each pair is made as :func:`touching_pairs` makes them (``pixels`` m x 784 uint8 with
    ``labels``) and cut by a vertical line; the piece is the ink on one side, framed as one
    part.  For a target digit d the piece holds a digit d of the pair (nearly) whole and at
    most a sliver of its neighbour: the network should read it as d.  For :data:`NO_CLASS`
    it holds one digit and a large share of its neighbour: a cut in the wrong place, which
    should read as no digit.  Where no line cuts a pair that way (digits overlapping deeply),
    the piece is the digit alone, or the whole pair.
    """
    out = np.empty((len(targets), PIXELS), dtype=np.float32)

    def blocks():  # each block's random numbers drawn here, in order; the work on all cores
        for start in range(0, len(targets), chunk):
            block_targets = targets[start:start + chunk]
            n = len(block_targets)
            kept = rng.integers(len(pixels), size=n)
            for digit in range(10):
                slots = np.flatnonzero(block_targets == digit)
                kept[slots] = rng.choice(np.flatnonzero(labels == digit), size=len(slots))
            neighbour = rng.integers(len(pixels), size=n)
            kept_left = rng.random(n) < 0.5
            rise = rng.integers(-PAIR_RISE, PAIR_RISE + 1, n)
            overlap = rng.uniform(0, PAIR_OVERLAP, n)
            choice = rng.random((n, len(_CUTS)))
            left, right = np.where(kept_left, kept, neighbour), np.where(kept_left, neighbour, kept)
            yield functools.partial(_into, out, start, _piece_block, pixels[left], pixels[right],
                                    block_targets, kept_left, rise, overlap, choice, stroke)

    preprocess.in_parallel(blocks())
    return out


# Every cut x (in the left digit's columns) tried, from left of both digits to right of both.
_CUTS = np.arange(-IMAGE_SIDE, 2 * IMAGE_SIDE + 1)


def _piece_block(left_pixels, right_pixels, targets, kept_left, rise, overlap, choice, stroke):
    """Return n x 784 float32 pieces of the pairs ``left_pixels``, ``right_pixels`` (placed as
    :func:`_place` places them), each keeping the side of its cut where its kept digit is
    (``kept_left``), the cut picked among the allowed ones by ``choice`` (n x len(_CUTS) in
    [0, 1)); see :func:`cut_pieces`."""
    n, side = len(targets), IMAGE_SIDE
    left, right, offset = _place(left_pixels, right_pixels, rise, overlap)
    # The ink left of every cut, per digit (the right digit's column j lies at j + offset).
    below_left = np.pad(np.cumsum(left.sum(axis=1), axis=1), ((0, 0), (1, 0)))  # n x 29
    below_right = np.pad(np.cumsum(right.sum(axis=1), axis=1), ((0, 0), (1, 0)))
    left_of_left = np.take_along_axis(below_left, np.clip(_CUTS, 0, side)[None].repeat(n, 0), axis=1)
    right_columns = np.clip(np.ceil(_CUTS[None] - offset[:, None]), 0, side).astype(int)
    left_of_right = np.take_along_axis(below_right, right_columns, axis=1)
    total_left, total_right = below_left[:, -1:], below_right[:, -1:]
    # The kept digit's share kept, and the neighbour's ink taken (as a share of the kept digit's).
    kept_share = np.where(kept_left[:, None], left_of_left / total_left, 1 - left_of_right / total_right)
    taken = np.where(kept_left[:, None], left_of_right, total_left - left_of_left)
    taken_share = taken / np.where(kept_left[:, None], total_left, total_right)
    taken_all = taken / np.where(kept_left[:, None], total_right, total_left)
    good = (kept_share >= PIECE_KEPT) & (taken_share <= PIECE_LEAK)
    bad = (kept_share >= PIECE_KEPT) & (taken_share >= PIECE_OVER) & (taken_all < PIECE_MOST)
    allowed = np.where((targets == NO_CLASS)[:, None], bad, good)
    # One allowed cut per pair, at random; where there is none, cut nothing off (NO_CLASS: the
    # pair whole) or everything (a digit: the kept digit alone).
    cut = _CUTS[np.argmax(choice * allowed, axis=1)]
    columns = np.arange(side)
    keep_left = (columns[None] < cut[:, None]) == kept_left[:, None]  # n x 28: the columns kept
    keep_right = ((columns[None] + offset[:, None]) < cut[:, None]) == kept_left[:, None]
    found = allowed.any(axis=1)
    whole, alone = ~found & (targets == NO_CLASS), ~found & (targets != NO_CLASS)
    keep_left = np.where(whole[:, None], True, np.where(alone[:, None], kept_left[:, None], keep_left))
    keep_right = np.where(whole[:, None], True, np.where(alone[:, None], ~kept_left[:, None], keep_right))
    left *= keep_left[:, None, :]
    right *= keep_right[:, None, :]
    ink_left, ink_right = left > preprocess.INK_THRESHOLD, right > preprocess.INK_THRESHOLD
    (top_l, bottom_l), (start_l, end_l) = _extent(ink_left, 2), _extent(ink_left, 1)
    (top_r, bottom_r), (start_r, end_r) = _extent(ink_right, 2), _extent(ink_right, 1)
    has_left, has_right = ink_left.any(axis=(1, 2)), ink_right.any(axis=(1, 2))
    far = 4 * side  # a digit cut away entirely does not count in the box

    def first(a, b):
        return np.minimum(np.where(has_left, a, far), np.where(has_right, b, far))

    def last(a, b):
        return np.maximum(np.where(has_left, a, -far), np.where(has_right, b, -far))

    box = (first(top_l, top_r + rise), last(bottom_l, bottom_r + rise),
           first(start_l, start_r + offset), last(end_l, end_r + offset))
    return _frame(left, right, rise, offset, box, stroke)


def _extent(ink, axis):
    """Return (first, end) indices per image of an n x 28 x 28 block where ``ink`` has any
    pixel along ``axis`` (1: columns, 2: rows); (0, 0) for a blank image."""
    any_ink = ink.any(axis=axis)
    first = np.argmax(any_ink, axis=1)
    end = IMAGE_SIDE - np.argmax(any_ink[:, ::-1], axis=1)
    blank = ~any_ink.any(axis=1)
    return np.where(blank, 0, first), np.where(blank, 0, end)


def _pair_block(left_pixels, right_pixels, rise, overlap, stroke):
    """Return n x 784 float32 images of ``left_pixels`` and ``right_pixels`` (n x 784 uint8)
    touching; the right digit is ``rise`` px lower and ``overlap`` px further left than touching."""
    left, right, offset = _place(left_pixels, right_pixels, rise, overlap)
    ink_left, ink_right = left > preprocess.INK_THRESHOLD, right > preprocess.INK_THRESHOLD
    (top_l, bottom_l), (left_l, right_l) = _extent(ink_left, 2), _extent(ink_left, 1)
    (top_r, bottom_r), (_, right_r) = _extent(ink_right, 2), _extent(ink_right, 1)
    # The pair's box in the left digit's coordinates.
    box = (np.minimum(top_l, top_r + rise), np.maximum(bottom_l, bottom_r + rise),
           left_l, np.maximum(right_l, right_r + offset))
    return _frame(left, right, rise, offset, box, stroke)


def _place(left_pixels, right_pixels, rise, overlap):
    """Return (left, right, offset): the two n x 784 uint8 digits as n x 28 x 28 float32 in [0, 1],
    and how far right of the left one the right one sits (px, per pair) so that, ``rise`` px
    lower, its ink overlaps the left one's by ``overlap`` px past touching."""
    n, side = len(left_pixels), IMAGE_SIDE
    left = left_pixels.reshape(n, side, side).astype(np.float32) / 255
    right = right_pixels.reshape(n, side, side).astype(np.float32) / 255
    # Contact: for each row both digits' solid ink reaches, the right digit placed at
    # column offset x has its first ink at x + first_right; they touch when that is one past
    # the left digit's last ink, in the row where the two come closest.
    rows = np.arange(side)
    solid_left, solid_right = left > preprocess.SOLID_INK, right > preprocess.SOLID_INK
    last_left = np.where(solid_left.any(axis=2), side - 1 - np.argmax(solid_left[:, :, ::-1], axis=2), -side)
    first_right = np.where(solid_right.any(axis=2), np.argmax(solid_right, axis=2), 2 * side)
    source_row = rows[None, :] - rise[:, None]  # the right digit's row level with each left row
    inside = (source_row >= 0) & (source_row < side)
    first_right = np.where(inside, np.take_along_axis(first_right, np.clip(source_row, 0, side - 1), axis=1),
                           2 * side)
    closest = (last_left - first_right).max(axis=1)
    _, right_l = _extent(left > preprocess.INK_THRESHOLD, 1)
    left_r, _ = _extent(right > preprocess.INK_THRESHOLD, 1)
    # No row in common: set them edge to edge.
    offset = np.where(closest > -side, closest + 1, right_l - left_r) - overlap
    return left, right, offset


def _frame(left, right, rise, offset, box, stroke):
    """Return n x 784 float32: ``left`` and ``right`` (n x 28 x 28), the right one ``rise`` px
    lower and ``offset`` px right, framed as one part as :func:`preprocess.to_mnist` frames it.
    ``box`` is the part's (top, bottom, start, end) in the left image's coordinates."""
    n, side = len(left), IMAGE_SIDE
    top, bottom, start, end = box
    size = np.maximum(bottom - top, end - start)
    step = size / preprocess.BOX  # source pixels per output pixel
    # Centred as to_mnist centres: the centre of mass at pixel (14, 14), the box kept inside.
    mass_left, mass_right = left.sum(axis=(1, 2)), right.sum(axis=(1, 2))
    (y_left, x_left, _), (y_right, x_right, _) = preprocess.moments(left), preprocess.moments(right)
    mass = np.maximum(mass_left + mass_right, 1e-6)
    mass_y = (mass_left * y_left + mass_right * (y_right + rise)) / mass
    mass_x = (mass_left * x_left + mass_right * (x_right + offset)) / mass
    room = (side - preprocess.BOX) / 2 * step  # how far the box may sit off the field's middle
    middle = preprocess.CENTRE - (side - 1) / 2  # the field's middle is pixel 13.5, not 14
    centre_y = np.clip(mass_y - middle * step, (top + bottom) / 2 - room, (top + bottom) / 2 + room)
    centre_x = np.clip(mass_x - middle * step, (start + end) / 2 - room, (start + end) / 2 + room)
    # Each image is only scaled and shifted, so it is resampled by a product of two matrices
    # of area weights (rows, then columns), with the right digit's shift folded into its own.
    pair = np.maximum(_area_weights(centre_y, step) @ left @ _area_weights(centre_x, step).transpose(0, 2, 1),
                      _area_weights(centre_y - rise, step) @ right
                      @ _area_weights(centre_x - offset, step).transpose(0, 2, 1))
    if stroke is not None:
        pair = _grow_strokes(pair, stroke)
    return np.clip(pair, 0, 1, out=pair).reshape(n, PIXELS)


def _area_weights(centre, step):
    """Return n x 28 x 28 weights w[k, i, j]: the share of output pixel i (of 28, each ``step[k]``
    source pixels wide, the field's middle at source position ``centre[k]``) that source pixel j
    covers; area averaging."""
    side = IMAGE_SIDE
    low = centre[:, None] + (np.arange(side) - side / 2) * step[:, None]  # n x 28 output edges
    source = np.arange(side, dtype=np.float32)
    covered = (np.minimum(low[:, :, None] + step[:, None, None], source + 0.5)
               - np.maximum(low[:, :, None], source - 0.5))
    return (np.maximum(covered, 0) / step[:, None, None]).astype(np.float32)


def _grow_strokes(images, stroke):
    """Return n x 28 x 28 ``images`` with strokes grown towards ``stroke`` x the 20 px box.

    The aim of :func:`preprocess.normalise_stroke_width`, done for a block of small images at
    once (blended towards a 3x3 dilation) where that works on one part at a time at 80 px or
    more; the shipped weights were trained on these rows, so they stay as they are.
    """
    mask = images > preprocess.STROKE_MASK * images.max(axis=(1, 2), keepdims=True)
    boundary = mask & ~ndimage.binary_erosion(mask, structure=np.ones((1, 3, 3)))
    width = 2 * mask.sum(axis=(1, 2)) / np.maximum(boundary.sum(axis=(1, 2)), 1)
    change = np.clip((stroke * preprocess.BOX - width) / 2, 0, 1).astype(np.float32)
    grown = ndimage.grey_dilation(images, size=(1, 3, 3))
    return images + change[:, None, None] * (grown - images)
