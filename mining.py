"""The scan command's own pieces of touching digits, labelled by whose ink they hold: training examples.

Numbers whose neighbouring digits touch are written from training digits as scans are
(:func:`handwriting.write_number`), their parts found as the scan command finds them
(:func:`segment.find_parts`) and every wide part cut where it cuts
(:func:`split.cut_bounds`, :func:`split.pieces`).  The writer says where each digit's ink went,
so each piece is labelled by the ink each digit put in it:
- a digit nearly whole (:data:`WHOLE` of its ink) with little else (under :data:`FOREIGN` of
  the piece's ink from other digits) is that digit;
- a piece holding :data:`BLOT` or more of each of two digits is a blot of two: "no digit"
  (:data:`model.NO_CLASS`), which the cutting's scores need to read low;
- anything between is left out: an imperfect piece of the right reading (a 2 with the tip of
  its neighbour's stroke) taught as "no digit" made the network refuse the right readings.
``main.py --mined N`` trains on the pieces of N such numbers.
"""

import functools
import itertools
import multiprocessing
from concurrent.futures import ProcessPoolExecutor

import numpy as np

import handwriting
import preprocess
import segment
import split
from mnist import IMAGE_SIDE, PIXELS
from model import NO_CLASS

# Each number: this many digits, of which 1 or 2 neighbouring pairs touch (as the benchmark's
# touching numbers; bench/bench_scans.py).
DIGITS = 4
WHOLE = 0.9
FOREIGN = 0.1
BLOT = 1 / 3
# Blots far outnumber digits among the pieces (most pairs of cuts hold parts of two digits):
# this share of them is kept, so that digits and blots come about as many.
BLOTS_KEPT = 0.12
# Numbers written per task: each task has its own generator, seeded from the caller's in order.
BLOCK = 25


def mine_pieces(pixels, labels, count, rng, stroke=None):
    """Return (images k x 784 float32 in [0, 1], targets k int) from ``count`` numbers written
    from ``pixels`` (m x 784 uint8 digits, ``labels`` m,): the labelled pieces of their wide parts.

    ``stroke`` goes to :func:`preprocess.to_mnist` as in the scan command.  The same ``rng``
    state gives the same pieces, on any number of cores.
    """
    sizes = [min(BLOCK, count - start) for start in range(0, count, BLOCK)]
    seeds = rng.integers(2**63, size=len(sizes))
    source = (np.asarray(pixels).reshape(-1, IMAGE_SIDE, IMAGE_SIDE), np.asarray(labels), stroke)
    if preprocess.WORKERS > 1 and "fork" in multiprocessing.get_all_start_methods():
        # Processes, not threads: the cutting is mostly small numpy steps that hold the GIL.
        # Forked workers get the digits without a copy (a fork's initargs are not pickled);
        # only the seeds go out and the pieces come back.
        with ProcessPoolExecutor(preprocess.WORKERS, mp_context=multiprocessing.get_context("fork"),
                                 initializer=_use, initargs=source) as pool:
            blocks = list(pool.map(_mine_block, sizes, seeds))
    else:
        _use(*source)
        blocks = list(map(_mine_block, sizes, seeds))
    rows = [row for block in blocks for row in block]
    if not rows:
        return np.zeros((0, PIXELS), np.float32), np.zeros(0, int)
    pieces, targets = zip(*rows)
    return np.stack(pieces).reshape(-1, PIXELS).astype(np.float32), np.array(targets)


# What the numbers are written from: (digits m x 28 x 28 uint8, labels, stroke), set by
# :func:`_use` in each worker (or in this process when mining on one core).
_source = None


def _use(images, labels, stroke):
    """Set the digits, labels and stroke that :func:`_mine_block` writes numbers from."""
    global _source
    _source = (images, labels, stroke)


def _mine_block(count, seed):
    """Return [(28x28 piece, target)] for the pieces of ``count`` numbers written with ``seed``."""
    images, labels, stroke = _source
    rng = np.random.default_rng(seed)
    found = []
    for _ in range(count):
        chosen = rng.integers(len(images), size=DIGITS)
        touching = handwriting.touching_neighbours(DIGITS, rng)
        placed = []
        page, alpha = handwriting.write_number(images[chosen], rng, touching=touching, placed=placed)
        layers = handwriting.digit_layers(placed, alpha.shape)
        found.extend(label_pieces(page, layers, labels[chosen], rng, stroke))
    return found


def label_pieces(page, layers, digits, rng, stroke=None):
    """Yield (28x28 piece, target) for the pieces of the wide parts of ``page`` (float, white = 1).

    ``layers`` (k x page's shape) is each written digit's own ink, ``digits`` (k,) their labels;
    the target is a digit, :data:`model.NO_CLASS`, and pieces neither clearly are left out, as
    are blots but a random :data:`BLOTS_KEPT` of them (drawn from ``rng``).
    """
    totals = layers.sum(axis=(1, 2))
    for crop, (left, top, right, bottom), line_height, alone in segment.find_parts(page):
        if not split.may_hold_several(crop.shape, line_height, alone):
            continue
        bounds = split.cut_bounds(crop)
        # Each digit's ink between every two cuts, from its running sums along the rows.
        running = np.zeros((len(layers), crop.shape[0], crop.shape[1] + 1))
        np.cumsum(layers[:, top:bottom, left:right], axis=2, out=running[:, :, 1:])
        rows = np.arange(crop.shape[0])
        # A piece between cuts a and b holds the columns after cut a and before cut b, row by
        # row; none in a row where the two cuts cross.
        after = np.stack([running[:, rows, np.minimum(bound + 1, crop.shape[1])] for bound in bounds], 1)
        before = np.stack([running[:, rows, np.maximum(bound, 0)] for bound in bounds], 1)  # k x cuts x rows
        chosen = {}
        for a, b in itertools.combinations(range(len(bounds)), 2):
            target = piece_target(np.maximum(before[:, b] - after[:, a], 0).sum(axis=1), totals, digits)
            if target is not None and (target != NO_CLASS or rng.random() < BLOTS_KEPT):
                chosen[a, b] = target
        for a, b, piece, _ in split.pieces(crop, bounds, chosen):
            image = preprocess.to_mnist(piece, stroke)
            if image is not None:
                yield image, chosen[a, b]


def piece_target(inside, totals, digits):
    """Return a piece's target from the ink each of k digits (labels ``digits``) put inside it
    (``inside``, k,) and in all (``totals``, k,): a digit, :data:`model.NO_CLASS`, or None.
    """
    share = inside / np.maximum(totals, 1e-9)
    order = np.argsort(share)[::-1]
    if len(share) > 1 and share[order[1]] >= BLOT:
        return NO_CLASS
    best = order[0]
    if share[best] >= WHOLE and inside.sum() - inside[best] < FOREIGN * inside.sum():
        return int(digits[best])
    return None
