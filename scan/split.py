"""Cut a part of ink holding touching or overlapping digits into digits, letting the network choose.

Recognition-based segmentation: candidate cuts come from the valleys of the part's column
ink profile, each refined into the path from top to bottom that crosses the least ink
(:func:`cheapest_paths`; it bends around a slanted join or an overlap); every reading of the
part as one, two or three digits is scored by the network's outputs for its pieces, and the
best reading is kept, "one digit after all" included.  :func:`segment.find_digits` calls
:func:`split_part` for parts wide for their height.  What it leaves out: digits touching above or
below each other, and more than three digits in one part.
"""

import itertools

import numpy as np
from scipy import ndimage

import preprocess
from prediction import outputs

# The numbers below were chosen on bench/bench_scans.py's dev seeds (touching numbers) with the
# tests' flat scans, which must not get worse; each one's measurements are in
# docs/experiments.md#cutting.  The network reads a blot of two touching digits low everywhere
# ("no digit", main.py --pairs), but a piece of one digit can read as well as a digit, so the
# costs and the "surely one digit" rules keep wide single digits whole.
# A part at least WIDE times a digit's height may hold several digits (a 1 against a 7 is
# 0.6 heights wide); one under MIN_HEIGHT pixels is too small to cut (a texture of a thousand
# dots must not cost a thousand searches).
WIDE = 0.5
MIN_HEIGHT = 12
# At most MAX_DIGITS digits in one part.  MAX_CUTS cuts start in the deepest valleys of the
# column profile, and more every GRID_STEP of the part's height between them: where two digits
# touch over much of their height (a 6 leaning on a 0) the profile has no valley.
MAX_DIGITS = 3
MAX_CUTS = 8
GRID_STEP = 0.07
# A cut path wanders at most BAND of the part's height either side of its start: with wider
# bands, paths from neighbouring starts run together and carve around a digit's loop.
BAND = 0.1
# A second piece costs PIECE_PENALTY in the reading's score (log of the network's outputs), so
# a second digit must be clearly more convincing than one wide digit.  A third costs less: a
# part worth cutting in two and wide enough for three most often holds three.
PIECE_PENALTY = np.log(0.3)
THIRD_PENALTY = np.log(0.7)
# Few single digits are wider than tall (0.76 of their height at the median, 1.03 at the 95th
# percentile, in flat scans): a piece wider than WIDEST heights costs ASPECT_COST per unit above.
WIDEST = 1.0
ASPECT_COST = 6.0
# Touching digits are about as tall as each other: a piece shorter than SHORTEST of a digit's
# height (the tail of a 3 cut off) costs HEIGHT_COST per unit below.
SHORTEST = 0.7
HEIGHT_COST = 6.0
# A part read as one digit with an output of at least SURE, and no wider than SURELY_ONE
# heights, is one digit: it is not cut at all.
SURE = 0.9
SURELY_ONE = 1.6
# A part narrower than NARROW heights is usually one digit (a pair that narrow holds a 1), so
# it is cut only if every piece reads at least SURE_PIECE.  See docs/experiments.md#narrow-parts.
NARROW = 1.05
SURE_PIECE = 0.9
# A part the network rejects whole (not a digit) and narrower than REJECTED_WIDE heights is not
# cut: a letter, whose pieces pass for 1s and 7s; touching digits are wider (docs/experiments.md,
# "Real letters").
REJECTED_WIDE = 0.8
# A part alone in its image is cut only when wider than ALONE_WIDE heights: single digits
# written squat reach 1.66 among the benchmark's pen scans (bench/realworld.py).
ALONE_WIDE = 1.8
# Neighbouring pieces may share ink (overlapping digits) over at most MAX_SHARED of the
# narrower one's width: more, and one digit passes for two.
MAX_SHARED = 0.5
# A piece narrower than MIN_WIDTH of the part's height, or holding under MIN_INK of its ink,
# is a sliver, not a digit.
MIN_WIDTH = 0.12
MIN_INK = 0.05


def split_part(crop, network, stroke=None, line_height=0, alone=False):
    """Return the digits in ``crop`` (2-D ink in [0, 1], cropped to one part) as [(image, box)].

    ``image`` is the 28x28 MNIST form of one digit, ``box`` its (left, top, right, bottom)
    within the crop.  Widths and heights are judged against the height of a digit: the
    part's own or ``line_height`` (its neighbours'), whichever is more.  A part narrower
    than :data:`WIDE` times that height, or under :data:`MIN_HEIGHT` pixels tall, is one digit;
    so is a part ``alone`` in its image (most often one digit written by itself) unless it is
    wider than :data:`ALONE_WIDE` times its height.  Otherwise the best of its
    :func:`readings` is kept (the whole part on a tie).
    """
    height, width = crop.shape
    if not may_hold_several(crop.shape, line_height, alone):
        whole = preprocess.to_mnist(crop, stroke)
        return [] if whole is None else [(whole, (0, 0, width, height))]
    found = readings(crop, network, stroke, line_height)
    return max(found, key=lambda reading: reading[0])[1] if found else []


def may_hold_several(shape, line_height=0, alone=False):
    """Return whether a part of ``shape`` (height, width) is wide and tall enough to be cut (see :func:`split_part`)."""
    height, width = shape
    return width >= (ALONE_WIDE if alone else WIDE) * max(height, line_height) and height >= MIN_HEIGHT


def readings(crop, network, stroke=None, line_height=0):
    """Return every reading of a part as [(score, [(image, box), ...])], the whole part first.

    The pieces lie between cut paths (:func:`cut_columns`, :func:`cheapest_paths`); a reading
    is one to :data:`MAX_DIGITS` of them from the part's left end to its right (:func:`_chains`),
    scored by the sum of the log of the network's highest output for each piece, less the
    costs of pieces too wide or too short for a digit and of a second and a third piece
    (:data:`PIECE_PENALTY`, :data:`THIRD_PENALTY`).
    A part read as one digit surely enough (:data:`SURE`) has that one reading only; in a
    narrow part (:data:`NARROW`) a reading of several pieces needs each read :data:`SURE_PIECE`;
    [] if the part holds no ink.
    """
    height, width = crop.shape
    digit_height = max(height, line_height)
    whole = preprocess.to_mnist(crop, stroke)
    if whole is None:
        return []
    whole_confidence = outputs(network, whole.ravel()[None]).max(axis=1)
    surely_one = whole_confidence[0] >= SURE and width <= SURELY_ONE * digit_height
    letter = whole_confidence[0] < network.decision.not_digit_below and width < REJECTED_WIDE * digit_height
    # A part surely one digit is not cut at all: the cuts and their pieces are most of the work.
    bounds = [np.full(height, -1), np.full(height, width)] if surely_one or letter else cut_bounds(crop)
    images, keys = _pieces(crop, bounds, stroke)
    images, keys = [whole] + images, [(0, len(bounds) - 1, (0, height, 0, width))] + keys
    confidence = whole_confidence if len(images) == 1 else np.r_[
        whole_confidence, outputs(network, np.stack([image.ravel() for image in images[1:]])).max(axis=1)]
    scores = np.log(np.maximum(confidence, 1e-12))
    aspects = np.array([(right - left) / digit_height for _, _, (_, _, left, right) in keys])
    heights = np.array([(bottom - top) / digit_height for _, _, (top, bottom, _, _) in keys])
    scores -= ASPECT_COST * np.maximum(aspects - WIDEST, 0) + HEIGHT_COST * np.maximum(SHORTEST - heights, 0)

    def reading(chain):
        extra = len(chain) - 1
        score = scores[chain].sum() + min(extra, 1) * PIECE_PENALTY + max(extra - 1, 0) * THIRD_PENALTY
        return score, [(images[i], (keys[i][2][2], keys[i][2][0], keys[i][2][3], keys[i][2][1])) for i in chain]

    narrow = width < NARROW * digit_height
    return [reading([0])] + [reading(chain) for chain in _chains(keys, len(bounds) - 1)
                             if not narrow or confidence[chain].min() >= SURE_PIECE]


def cut_bounds(crop):
    """Return the cuts that bound a part's pieces, left to right, each a column per row (height,):
    the part's left edge (-1), the cut paths (:func:`cut_columns`, :func:`cheapest_paths`; a path
    found twice kept once), its right edge (its width)."""
    height, width = crop.shape
    paths = list(cheapest_paths(crop, cut_columns(crop), int(BAND * height)))
    paths = [path for i, path in enumerate(paths) if i == 0 or not np.array_equal(path, paths[i - 1])]
    return [np.full(height, -1)] + paths + [np.full(height, width)]


def pieces(crop, bounds, pairs=None):
    """Yield (a, b, piece, box) for the ink between every two cuts ``bounds[a]`` < ``bounds[b]``
    except the whole part (or only the ``pairs`` (a, b) given): ``piece`` is ``crop`` with all
    else blanked, ``box`` its ink's (top, bottom, left, right).  Slivers (narrower than
    :data:`MIN_WIDTH` of the height, or under :data:`MIN_INK` of the ink) are left out."""
    height, width = crop.shape
    columns = np.arange(width)
    total = crop.sum()
    for a, b in itertools.combinations(range(len(bounds)), 2) if pairs is None else pairs:
        if (a, b) == (0, len(bounds) - 1):
            continue
        piece = crop * ((columns > bounds[a][:, None]) & (columns < bounds[b][:, None]))
        box = preprocess.ink_bounding_box(piece)
        if box is None or box[3] - box[2] < MIN_WIDTH * height or piece.sum() < MIN_INK * total:
            continue
        yield a, b, piece, box


def _pieces(crop, bounds, stroke):
    """Return (images, keys) of the :func:`pieces` between the cuts ``bounds``: 28x28 images,
    and (a, b, ink box as top, bottom, left, right)."""
    images, keys = [], []
    for a, b, piece, box in pieces(crop, bounds):
        image = preprocess.to_mnist(piece, stroke)
        if image is not None:
            images.append(image)
            keys.append((a, b, box))
    return images, keys


def cut_columns(crop):
    """Return the columns where candidate cuts start, left to right: the :func:`valley_columns`
    and, every :data:`GRID_STEP` of the part's height, the columns at least half a step from them."""
    height, width = crop.shape
    valleys = valley_columns(crop)
    # At least 2 px apart: in a small part a step of 1 px gives a cut per column, and the
    # pieces between every two cuts grow as their square (a 28 px tall part took 0.75 s).
    step = max(2, int(GRID_STEP * height))
    margin = max(1, int(MIN_WIDTH * height))
    grid = [column for column in range(margin, width - margin, step)
            if all(abs(column - valley) > step // 2 for valley in valleys)]
    return sorted(valleys + grid)


def valley_columns(crop, count=MAX_CUTS):
    """Return up to ``count`` columns where a cut between two digits may start, deepest first.

    They are the local minima of the column ink profile (smoothed a little), away from the
    part's ends by :data:`MIN_WIDTH` of its height, ranked by depth: how far the profile
    rises on both sides (so the thin ends of a stroke do not count as valleys).
    """
    height, width = crop.shape
    profile = ndimage.uniform_filter1d(crop.sum(axis=0), size=max(1, height // 10))
    margin = max(1, int(MIN_WIDTH * height))
    inside = np.arange(margin, width - margin)
    if inside.size == 0:
        return []
    values = profile[inside]
    lower_left = np.r_[True, values[1:] <= values[:-1]]
    lower_right = np.r_[values[:-1] <= values[1:], True]
    minima = inside[lower_left & lower_right]
    # Plateaus give runs of equal minima: keep one column per run.
    minima = minima[np.r_[True, np.diff(minima) > 1]]
    peak_left = np.maximum.accumulate(profile)[minima]
    peak_right = np.maximum.accumulate(profile[::-1])[::-1][minima]
    depth = np.minimum(peak_left, peak_right) - profile[minima]
    return minima[np.argsort(-depth, kind="stable")][:count].tolist()


def cheapest_paths(crop, columns, band):
    """Return, for each start in ``columns``, the top-to-bottom path crossing the least ink:
    k x height, the path's column in each row.

    A path starts within ``band`` columns of its start column, moves at most one column per
    row, stays within that band, and pays a little for each sideways step so that in clean
    paper it runs straight.  All k paths are found together, one row at a time.
    """
    height, width = crop.shape
    columns = np.asarray(columns, dtype=int).reshape(-1, 1)
    inside = np.abs(np.arange(width) - columns) <= band  # k x width: each path's band

    def cost(row):  # k x width: the row's ink in each path's band, nothing outside it
        return np.where(inside, crop[row] + 1e-3, np.inf)

    total = cost(0)
    step = np.zeros((len(columns), height, width), np.int8)
    edge = np.full((len(columns), 1), np.inf)
    for row in range(1, height):
        # Moving in from the left or the right costs a little more than going straight down;
        # on a tie the left one wins, then straight down.
        options = np.stack([np.hstack([edge, total[:, :-1]]) + 1e-3, total, np.hstack([total[:, 1:], edge]) + 1e-3])
        choice = options.argmin(axis=0)
        total = np.take_along_axis(options, choice[None], axis=0)[0] + cost(row)
        step[:, row] = choice - 1
    paths = np.empty((len(columns), height), int)
    paths[:, -1] = np.argmin(total, axis=1)
    every = np.arange(len(columns))
    for row in range(height - 1, 0, -1):
        paths[:, row - 1] = paths[:, row] + step[every, row, paths[:, row]]
    return paths


def _chains(keys, last):
    """Yield readings of a part as lists of piece indices: pieces (a, b) between cut ``a`` and
    cut ``b``, left to right, the first from the part's left end (0), the last to its right
    end (``last``), at most :data:`MAX_DIGITS` of them.  The next piece starts at a cut after
    the previous one's start and at or before its end: no ink is left out, and overlapping
    digits may share ink between two cuts, over at most :data:`MAX_SHARED` of the narrower
    one's width.  ``keys[0]`` is the whole part, in no reading of more than one piece."""
    start, end = np.array([key[:2] for key in keys]).T
    left, right = np.array([key[2][2:] for key in keys]).T
    # Which piece may follow which, worked out once for all pairs (a part has hundreds of
    # readings); successors are taken in the order of the keys, by start then end.
    shared = np.maximum(np.minimum.outer(right, right) - np.maximum.outer(left, left), 0)
    narrower = np.maximum(np.minimum.outer(right - left, right - left), 1)
    follows = (start[None] > start[:, None]) & (start[None] <= end[:, None]) & (shared / narrower <= MAX_SHARED)
    follows[:, 0] = False
    successors = [np.flatnonzero(row).tolist() for row in follows]

    def extend(chain):
        if end[chain[-1]] == last:
            if len(chain) > 1:
                yield chain
            return
        if len(chain) == MAX_DIGITS:
            return
        for i in successors[chain[-1]]:
            yield from extend(chain + [i])

    for i in np.flatnonzero(start == 0)[1:].tolist():
        yield from extend([i])
