"""Find the handwritten digits in an image: separate ink from paper, find the parts, lines and numbers.

The pipeline: greyscale (:mod:`scan.decode`) -> in a photo, the sheet found and everything off it blanked, and
uneven light divided out (:func:`page.even_light`) -> polarity (dark ink on light paper, or light on
dark) -> paper level removed by Otsu's threshold -> specks dropped -> digits found as connected
components, parts of one digit merged, parts holding touching digits cut (:mod:`scan.split`) ->
grouped into lines, and within a line into numbers by the gaps -> each digit through
:func:`preprocess.to_mnist`.  :func:`read_digits` adds the network's scores.  The scan command
(``recognise.py``) and the window's Open... both read files through here.
"""

from typing import NamedTuple

import numpy as np
from scipy import ndimage

import preprocess
from mnist import PIXELS
from prediction import Judgement, judge
from scan import lines, page, split
from scan.decode import ImageError, open_image  # noqa: F401  (ImageError: what read_digits raises)

# Ink and paper must differ by this much (on 0..1) for the image to hold any ink at all.
MIN_CONTRAST = 0.15
# Ink must stand this many (robust) standard deviations of the paper's noise above the paper.
NOISE_SIGMAS = 5
# A component smaller than this fraction of the largest one is a speck, not (part of) a digit.
SPECK_FRACTION = 0.08
# Within a line, a gap between digits wider than this many digit heights separates two numbers
# (digits of one number stand at most about half a height apart).
NUMBER_GAP = 1.0
# A part of faint ink less than SHADE of which is strong ink is shading, not writing (a digit's
# strong core is most of it, a blurred light pencil's half).
SHADE = 0.35
# At most this many ink parts are considered, the largest first.
MAX_PARTS = 1000
# A number (parts written together, see NUMBER_GAP) in which more than WORD_SHARE of the parts,
# or at least WORD_REJECTED of them, are not digits is a word: all of it is left out, the letters
# that pass for digits too.  Real digits are rejected 1 time in 200, so two rejected parts in one
# number are letters, not digits ("-5" keeps its 5; docs/experiments.md, "Real letters").
WORD_SHARE = 0.5
WORD_REJECTED = 2
# A line in which more than this share of the parts are not digits (words included) is a line
# of text, and so is every line of a page in which more than this share are: in text, a number is
# read only if each of its digits is sure, a letter that passes for a digit seldom is
# (docs/experiments.md, "Real letters").
TEXT_SHARE = 0.5
# In a word, a run of sure digits at its end or start is a number after all when the gap
# between it and the letters is at least APART times its own widest gap and MIN_GAP heights
# (letters in a word stand 0.15-0.45 heights apart).
APART, MIN_GAP = 2.0, 0.8
# On printed paper, a part far flatter than the page's digits (under SLIVER_FLAT of their height
# and SLIVER_LENGTH times as wide as high), or far taller (SLIVER_TALL heights) and as thin as a
# stroke (under SLIVER_THIN of their height), is a piece of a line left by its removal, not a
# digit: a grid's slivers read as 1s, 2s and 4s (docs/experiments.md, "Slivers of the grid").
SLIVER_FLAT, SLIVER_LENGTH, SLIVER_TALL, SLIVER_THIN = 0.5, 3.0, 1.8, 0.2


class Digit(NamedTuple):
    """One digit found in an image: its 28x28 MNIST form and its box in the original image."""

    image: np.ndarray  # 28 x 28 float32 in [0, 1]
    box: tuple  # (left, top, right, bottom) in original-image pixels
    line: int  # which line of digits, counting from 0 at the top
    number: int = 0  # which number within its line, counting from 0 at the left
    part: int = -1  # which part of ink it was cut from (pieces of one part share it; -1: not known)


def ink_map(grey):
    """Return (ink, strong, weak), or Nones if the image holds no ink.

    ``ink`` is float in [0, 1] with paper at 0 and full ink at 1; ``strong`` marks pixels above
    Otsu's threshold between ink and paper, ``weak`` those above half of it, which joins the
    faint parts of a light pencil stroke to its dark ones.  Polarity comes from the paper,
    which covers most of any page: a light median means dark ink on light paper.  Where ink
    is so sparse (a thin pen) that Otsu's threshold falls inside the paper's own noise, the
    threshold is raised to clear it: the paper's median plus :data:`NOISE_SIGMAS` robust
    standard deviations.
    """
    ink = 1 - grey if np.median(grey) > 0.5 else grey
    paper_level = np.median(ink)
    noise = 1.4826 * np.median(np.abs(ink - paper_level))  # the paper's spread; ink is sparse
    threshold = max(otsu_threshold(ink), paper_level + NOISE_SIGMAS * noise)
    strong = ink > threshold
    if not strong.any() or strong.all():
        return None, None, None
    paper, full = np.median(ink[~strong]), np.percentile(ink[strong], 90)
    if full - paper < MIN_CONTRAST:
        return None, None, None
    ink = np.clip((ink - paper) / (full - paper), 0, 1)
    weak = ink > (threshold - paper) / (full - paper) / 2
    return ink, strong, weak


def otsu_threshold(values, bins=256):
    """Return the threshold on [0, 1] that maximises the between-class variance (Otsu)."""
    counts, edges = np.histogram(values, bins=bins, range=(0, 1))
    centres = (edges[:-1] + edges[1:]) / 2
    weight_low = np.cumsum(counts)
    weight_high = weight_low[-1] - weight_low
    sum_low = np.cumsum(counts * centres)
    mean_low = sum_low / np.maximum(weight_low, 1)
    mean_high = (sum_low[-1] - sum_low) / np.maximum(weight_high, 1)
    between = weight_low * weight_high * (mean_low - mean_high) ** 2
    return edges[int(np.argmax(between)) + 1]


class Reading(NamedTuple):
    """What was read in one image: its parts (:class:`Digit`), the network's
    :class:`prediction.Judgement` of them (which are not digits, which unsure), and the printed
    lines taken for paper (a boolean mask of the working image, ``scale`` original pixels each)."""

    digits: list
    judgement: Judgement
    lines: np.ndarray
    scale: float

    @property
    def probabilities(self):
        """The network's normalised scores for the parts (m x 10)."""
        return self.judgement.probabilities

    @property
    def kept(self):
        """The indices of the parts read as digits (not rejected), in reading order."""
        return np.flatnonzero(~self.judgement.rejected)

    def texts(self, mark_unsure=False):
        """Return one string per line of digits read (parts not digits left out), as
        :func:`line_texts`; with ``mark_unsure`` a ``?`` follows each unsure digit."""
        labels, unsure = self.judgement.labels, self.judgement.unsure
        return line_texts([self.digits[i] for i in self.kept],
                          [f"{labels[i]}{'?' if mark_unsure and unsure[i] else ''}" for i in self.kept])


def find_digits(grey, scale=1.0, stroke=None, network=None, drawn=False):
    """Return the digits in a greyscale image, in reading order (lines top to bottom).

    ``grey`` is float in [0, 1]; ``scale`` maps its pixels to the original image's for the boxes;
    ``stroke`` goes to :func:`preprocess.to_mnist` (the network's ``stroke``).  With a
    ``network``, parts wide enough to hold touching digits are cut by :func:`split.split_part`.
    A ``drawn`` image (the window's canvas) is evenly lit and unruled by making: it skips
    :func:`page.even_light`, which would take a thick pen's strokes round a loop for a desk
    around a sheet, and the search for printed lines.
    """
    return _find_digits(grey, scale, stroke, network, drawn)[0]


def _find_digits(grey, scale, stroke, network, drawn=False):
    """Return (digits, :class:`lines.Paper`) of a greyscale image (see :func:`find_digits`)."""
    digits = []
    ink, strong, weak = ink_map(grey if drawn else page.even_light(grey))
    no_lines = lines.Paper(np.zeros(grey.shape, bool), [])
    paper = lines.find_lines(weak) if ink is not None and not drawn else no_lines
    if ink is not None:  # the printed lines are paper, not ink
        strong, weak = strong & ~paper.lines, weak & ~paper.lines
    parts = find_parts(ink, strong, weak, printed=bool(paper.lines.any()))
    for part, (crop, (left, top, right, bottom), line_height, alone) in enumerate(parts):
        if network is None:
            image = preprocess.to_mnist(crop, stroke)
            pieces = [] if image is None else [(image, (0, 0, right - left, bottom - top))]
        else:
            pieces = split.split_part(crop, network, stroke, line_height, alone)
        for image, (x0, y0, x1, y1) in pieces:
            digits.append((image, (left + x0, top + y0, left + x1, top + y1), part))
    return _reading_order(digits, scale, paper.frames), paper


def find_parts(ink, strong, weak, printed=False):
    """Yield the parts of ink in an image's :func:`ink_map`, each one digit or touching digits.

    Each is (crop, box, line_height, alone): the part's ink in [0, 1] (2-D, other parts' ink
    in its box left out), its (left, top, right, bottom) in the image, the median height of all
    parts (a digit's height here) and whether it is the only part.  On ``printed`` paper (lines
    were removed) the slivers the lines left are dropped (:func:`slivers`).
    """
    if ink is None:
        return
    # Hysteresis: a component of weak ink counts only if some of it is strong ink.
    labels, count = ndimage.label(weak, structure=np.ones((3, 3)))
    index = np.arange(1, count + 1)
    areas = ndimage.sum_labels(strong, labels, index=index)
    slices = ndimage.find_objects(labels)
    # A shadow's edge in a photo leaves a band of faint ink, only speckled with strong ink.
    shaded = areas < SHADE * ndimage.sum_labels(weak, labels, index=index)
    areas[shaded] = 0
    keep = np.flatnonzero(areas >= max(4, SPECK_FRACTION * areas.max(initial=0)))
    # A page holds a few hundred digits at most; beyond that the rest is texture or noise,
    # and keeping only the largest parts bounds the work.
    keep = keep[np.argsort(areas[keep])[::-1][:MAX_PARTS]]
    boxes = np.array([_box(slices[i]) for i in keep]).reshape(-1, 4)
    group = merge_parts(boxes)
    parts = [group == g for g in np.unique(group)]
    part_boxes = np.array([[*boxes[m, :2].min(axis=0), *boxes[m, 2:].max(axis=0)] for m in parts]).reshape(-1, 4)
    line_height = float(np.median(part_boxes[:, 3] - part_boxes[:, 1])) if len(parts) else 0
    if printed:
        digit_like = ~slivers(part_boxes, line_height)
        parts, part_boxes = [m for m, k in zip(parts, digit_like) if k], part_boxes[digit_like]
    for members, (left, top, right, bottom) in zip(parts, part_boxes):
        crop = ink[top:bottom, left:right] * np.isin(labels[top:bottom, left:right], keep[members] + 1)
        yield crop, (left, top, right, bottom), line_height, len(parts) == 1


def slivers(boxes, height):
    """Return which (left, top, right, bottom) boxes are far flatter, or far taller and thinner,
    than digits ``height`` high (see :data:`SLIVER_FLAT`)."""
    width, tall = (boxes[:, 2] - boxes[:, 0]).astype(float), (boxes[:, 3] - boxes[:, 1]).astype(float)
    flat = (tall < SLIVER_FLAT * height) & (width >= SLIVER_LENGTH * tall)
    return flat | ((tall >= SLIVER_TALL * height) & (width < SLIVER_THIN * height))


def _box(slice_pair):
    """Return (left, top, right, bottom) of a (rows, columns) slice pair."""
    rows, cols = slice_pair
    return cols.start, rows.start, cols.stop, rows.stop


def merge_parts(boxes):
    """Group component boxes that are parts of one digit; return a group number per box.

    With H the tallest part's height, two parts belong together when
    - one lies largely within the other's columns and they are vertically close: a 4 drawn in
      two strokes, a loop and its stem come apart; or
    - one is short (under H/2) and lies close to the other: the floating bar of a 5.  A short
      part joins one part only, the nearest tall one close to it (else the nearest short
      one): the bar of a 7 between a 0 and the 7's stem is close to both, and joined them
      into one part read as one digit.
    Digits side by side share few columns; digits on other lines are far away vertically.
    Groups are the connected sets of that relation (so a part may join through another).
    """
    left, top, right, bottom = np.asarray(boxes, dtype=float).reshape(-1, 4).T
    width, height = right - left, bottom - top
    tallest = height.max(initial=0)
    # Pairwise gaps between boxes; negative where they overlap by that much.
    gap_x = np.maximum.outer(left, left) - np.minimum.outer(right, right)
    gap_y = np.maximum.outer(top, top) - np.minimum.outer(bottom, bottom)
    stacked = (-gap_x > 0.3 * np.minimum.outer(width, width)) & (gap_y < 0.3 * tallest)
    gap = np.maximum(gap_x, gap_y)
    close = (gap < 0.25 * tallest) & ~np.eye(len(gap), dtype=bool)
    short = height < 0.5 * tallest
    # The nearest tall part if one is close (a bar broken in two joins its digit, not its
    # other half alone), else the nearest short one.
    tall_close = close & ~short[None, :]
    candidates = np.where(tall_close.any(axis=1, keepdims=True), tall_close, close)
    nearest = np.where(candidates, gap, np.inf).argmin(axis=1) if len(gap) else np.zeros(0, int)
    piece = np.zeros_like(close)
    chosen = np.flatnonzero(short & close.any(axis=1))
    piece[chosen, nearest[chosen]] = True
    return components(stacked | piece | piece.T)


def components(linked):
    """Return a group number (0, 1, ...) per node of a symmetric boolean n x n adjacency matrix.

    Each node takes the smallest node number among itself and its neighbours, then the number
    that node holds (pointer jumping), until nothing changes.  (scipy.sparse.csgraph does
    this too, but importing it costs a tenth of a second, a tenth of the scan command's budget.)
    """
    n = len(linked)
    labels = np.arange(n)
    linked = linked | np.eye(n, dtype=bool)
    while True:
        smallest = np.where(linked, labels, n).min(axis=1, initial=n)
        smallest = smallest[smallest]
        if np.array_equal(smallest, labels):
            return np.unique(labels, return_inverse=True)[1]
        labels = smallest


def _reading_order(digits, scale, frames=()):
    """Sort (image, box, part) triples into lines top to bottom, left to right, as :class:`Digit`;
    boxes to original pixels.

    ``frames`` are the comb fields found on the paper: the digits in one are one number.
    """
    rows = []  # each: [top, bottom, members]
    for image, box, part in sorted(digits, key=lambda d: (d[1][1] + d[1][3]) / 2):
        middle = (box[1] + box[3]) / 2
        for row in rows:
            if row[0] <= middle <= row[1]:
                row[0], row[1] = min(row[0], box[1]), max(row[1], box[3])
                row[2].append((image, box, part))
                break
        else:
            rows.append([box[1], box[3], [(image, box, part)]])
    result = []
    for line, (_, _, members) in enumerate(sorted(rows, key=lambda row: row[0])):
        members = sorted(members, key=lambda d: d[1][0])
        for (image, box, part), number in zip(members, _numbers([box for _, box, _ in members], frames)):
            original = tuple(int(round(v * scale)) for v in box)
            result.append(Digit(image, original, line, number, part))
    return result


def _numbers(boxes, frames=()):
    """Return, for a line's digit boxes left to right, which number each belongs to (0, 1, ...).

    A gap wider than :data:`NUMBER_GAP` times the line's median digit height starts a new
    number, unless both digits stand in one of ``frames`` (a comb field: its boxes' spacing is
    not a gap between numbers).
    """
    boxes = np.asarray(boxes, dtype=float).reshape(-1, 4)
    height = np.median(boxes[:, 3] - boxes[:, 1]) if len(boxes) else 0
    gaps = boxes[1:, 0] - np.maximum.accumulate(boxes[:-1, 2])
    breaks = gaps > NUMBER_GAP * height
    centre_x, centre_y = (boxes[:, 0] + boxes[:, 2]) / 2, (boxes[:, 1] + boxes[:, 3]) / 2
    for left, top, right, bottom in frames:
        inside = (left <= centre_x) & (centre_x <= right) & (top <= centre_y) & (centre_y <= bottom)
        breaks &= ~(inside[1:] & inside[:-1])
    return np.r_[0, np.cumsum(breaks)].astype(int).tolist()


def read_digits(path, network):
    """Return (parts, probabilities m x 10) for one image file; :class:`ImageError` if it cannot be read."""
    reading = read_page(path, network)
    return reading.digits, reading.probabilities


def read_page(path, network):
    """Return the :class:`Reading` of one image file; :class:`ImageError` if it cannot be read."""
    grey, scale = open_image(path)
    digits, paper = _find_digits(grey, scale, network.preprocessing.stroke, network)
    return Reading(digits, judge_parts(network, digits), paper.lines, scale)


def judge_parts(network, digits):
    """Return the network's :class:`prediction.Judgement` of the parts ``digits`` (:class:`Digit`).

    Each part is judged alone (:func:`prediction.judge`), then each number and line by its
    parts (:func:`words_left_out`).
    """
    return words_left_out(digits, judge(network, np.array([d.image.ravel() for d in digits]).reshape(-1, PIXELS)))


def words_left_out(digits, judgement):
    """Return ``judgement`` with the words and the doubtful numbers of text rejected.

    A word is a number (parts ``digits``) in which more than :data:`WORD_SHARE` of the parts,
    or :data:`WORD_REJECTED` of them, are rejected: all of it is, but for sure digits standing
    apart at its end or start (:func:`_standing_apart`).  In a line of text
    (:data:`TEXT_SHARE`) a number with an unsure digit is rejected too: digits in text are read
    when they stand apart as sure digits.
    """
    if not digits:
        return judgement
    # A part of ink cut into pieces of which one is not a digit is a word in joined writing.
    parts = np.array([d.part for d in digits])
    _, part_of = np.unique(parts, return_inverse=True)
    cut_word = np.bincount(part_of, weights=judgement.rejected) > 0
    judgement = judgement._replace(rejected=judgement.rejected | (cut_word[part_of] & (parts >= 0)))
    groups = np.array([(d.line, d.number) for d in digits]).reshape(-1, 2)
    _, group, sizes = np.unique(groups, axis=0, return_inverse=True, return_counts=True)
    group = group.ravel()
    rejected_in = np.bincount(group, weights=judgement.rejected, minlength=len(sizes))
    words = (rejected_in > WORD_SHARE * sizes) | (rejected_in >= WORD_REJECTED)
    rejected = judgement.rejected | words[group]
    for word in np.flatnonzero(words):
        rejected[_standing_apart(digits, np.flatnonzero(group == word), judgement)] = False
    line = groups[:, 0]
    text_lines = np.bincount(line, weights=rejected) > TEXT_SHARE * np.bincount(line)
    if rejected.mean() > TEXT_SHARE:
        text_lines[:] = True
    doubtful = np.bincount(group, weights=judgement.unsure & ~rejected, minlength=len(sizes)) > 0
    rejected |= text_lines[line] & doubtful[group]
    return judgement._replace(rejected=rejected, unsure=judgement.unsure & ~rejected)


def _standing_apart(digits, members, judgement):
    """Return the members (indices of ``digits``, left to right, one word) that are digits after
    all: a run of sure digits ending or starting the word and standing apart from its letters, a
    gap at least :data:`APART` times as wide as the run's own gaps between them and
    :data:`MIN_GAP` heights ("F Z 42": 42)."""
    sure = ~judgement.rejected[members] & ~judgement.unsure[members]
    boxes = np.array([digits[i].box for i in members], dtype=float)
    gaps = boxes[1:, 0] - boxes[:-1, 2]  # gaps[k]: between members k and k + 1
    least = MIN_GAP * np.median(boxes[:, 3] - boxes[:, 1])
    n, kept = len(members), []
    ending = n - _run_length(sure[::-1])  # the run at the end: members ending .. n - 1
    if 0 < ending < n and gaps[ending - 1] >= max(APART * gaps[ending:].max(initial=0), least):
        kept += list(members[ending:])
    starting = _run_length(sure)  # the run at the start: members 0 .. starting - 1
    if 0 < starting < n and gaps[starting - 1] >= max(APART * gaps[:starting - 1].max(initial=0), least):
        kept += list(members[:starting])
    return kept


def _run_length(flags):
    """Return how many of ``flags`` (a boolean array) are True before the first False."""
    return len(flags) if flags.all() else int(np.argmin(flags))


def left_out_words(digits, judgement):
    """Return the boxes (left, top, right, bottom) of the numbers of two or more parts that were
    all rejected: the words left out."""
    whole = {}
    for digit, rejected in zip(digits, judgement.rejected):
        key = (digit.line, digit.number)
        box, all_rejected, count = whole.get(key, (digit.box, True, 0))
        box = (min(box[0], digit.box[0]), min(box[1], digit.box[1]), max(box[2], digit.box[2]),
               max(box[3], digit.box[3]))
        whole[key] = (box, all_rejected and bool(rejected), count + 1)
    return [box for box, all_rejected, count in whole.values() if all_rejected and count > 1]


def line_texts(digits, labels):
    """Return one string per line of digits: its numbers' labels, numbers separated by a space."""
    lines = {}
    for digit, label in zip(digits, labels):
        words = lines.setdefault(digit.line, {})
        words[digit.number] = words.get(digit.number, "") + str(label)
    return [" ".join(words[k] for k in sorted(words)) for _, words in sorted(lines.items())]
