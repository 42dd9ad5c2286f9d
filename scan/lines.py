"""The paper's printed lines: rules, grids, margins, boxes and comb fields, found so they are not read as ink.

:func:`find_lines` takes the ink mask of a page and returns the pixels that belong to printed
lines, and the frames (boxes, comb fields) whose digits make one number.  A printed line is a
run of ink far longer than any stroke of a digit (:data:`LONG` digit heights, the digits'
height measured once the page-long lines are out of the way), straight, horizontal or vertical
once the page's tilt is taken out; a box is a part whose outline is ink on all four sides, and
a comb field a box with separators from its top line to its bottom one.  Where a digit's
stroke crosses or rests on a line, the line's pixels next to the stroke stay ink, so a 7
crossing a rule stays one 7 and a 0 on a rule stays closed.  What it leaves out: colour (a
blue rule under blue-black ink is told by shape alone), curved lines, and lines shorter than
:data:`LONG` digit heights that are not part of a box.
"""

from typing import NamedTuple

import numpy as np
from scipy import ndimage

# A printed line runs at least LONG digit heights (no stroke of one digit, nor of two touching
# ones, runs that far); while the digits' height is not yet known, lines spanning FIRST_PASS
# of the image's longer side are taken out to measure it.
LONG = 2.5
FIRST_PASS = 0.2
# The digits' height is the median height of the parts holding at least PART_SHARE of the
# largest one's pixels (specks and bits of faint lines are many, and small).
PART_SHARE = 0.25
# A part is a box when ink covers at least FRAMED of each of its outline's four sides.
FRAMED = 0.8
# The page's tilt is looked for up to MAX_TILT degrees either way, in TILT_STEP steps, on at
# most TILT_SAMPLE ink pixels; under MIN_TILT it is taken as level.
MAX_TILT = 6.0
TILT_STEP = 0.25
TILT_SAMPLE = 200_000
MIN_TILT = 0.2
# Where a page has lines, the writing's stroke is measured on parts holding at least SPECKLESS of
# the largest one's pixels: not on the specks and slivers along the lines (a 1 cut by a rule
# into pieces keeps a tenth or more of an 8's pixels in each).
SPECKLESS = 0.08
# A page-wide run makes a printed page only if it is at least RULE digit heights long.
RULE = 1.2
# Printed lines are at most THIN times as thick as the writing's strokes.
THIN = 0.7
# Gaps of up to GAP pixels in a faint line are bridged before its length is measured.
GAP = 5
# Levelled, a page-wide line still steps up to DRIFT pixels either way (a photo bends it, and the
# tilt is found in TILT_STEPs): its length is measured across the steps.
DRIFT = 1
# A line's pixel is a stroke's too where the ink across the line is THICKER pixels more than
# the line's own width.
THICKER = 2
# A box or comb field is MIN_FRAME to FRAME_HEIGHT digit heights tall; a separator is a column
# of ink over at least SEPARATOR of the field's height.
MIN_FRAME = 0.8
FRAME_HEIGHT = 3.0
SEPARATOR = 0.9
# Inside its outline a box is mostly paper: ink covers at most HOLLOW of it (a digit in a box
# covers a fifth or so; a blot of ink, outlined on four sides by itself, nearly all).
HOLLOW = 0.5


class Paper(NamedTuple):
    """What :func:`find_lines` found: the printed lines' pixels and the frames of boxes and comb
    fields, each (left, top, right, bottom) in the mask's pixels."""

    lines: np.ndarray
    frames: list


def find_lines(mask):
    """Return the :class:`Paper` in a boolean ink mask (True = ink).

    Nothing is taken for paper unless the page holds printed lines for sure: at least two
    parallel runs of ink each a fifth of the image's side long (:data:`FIRST_PASS`), thinner
    than the writing's strokes (:data:`THIN`), or boxes outlined that thin.  A digit's own bar
    or stem can be as long as that in a small image, but it is one, and as thick as the rest.
    """
    if not mask.any():
        return Paper(np.zeros_like(mask), [])
    # The work is done on the ink's bounding box (a photo's sheet holds little of it), the
    # lengths measured against the whole image.
    rows, columns = np.flatnonzero(mask.any(axis=1)), np.flatnonzero(mask.any(axis=0))
    box = slice(rows[0], rows[-1] + 1), slice(columns[0], columns[-1] + 1)
    # Margins as deep as the steepest tilt moves a line: levelling a line along the crop's edge
    # would otherwise push part of it out of the crop, and leave the rest too short.
    margin = int(np.ceil(np.tan(np.radians(MAX_TILT)) * max(mask[box].shape))) + 1
    paper = _find_lines(np.pad(mask[box], margin), max(mask.shape))
    lines = np.zeros_like(mask)
    lines[box] = paper.lines[margin:-margin, margin:-margin]
    frames = [(left + columns[0] - margin, top + rows[0] - margin, right + columns[0] - margin,
               bottom + rows[0] - margin) for left, top, right, bottom in paper.frames]
    return Paper(lines, frames)


def _find_lines(mask, side):
    """Return :func:`find_lines`' Paper of a mask cropped to its ink from an image ``side`` pixels
    long: page-wide runs are FIRST_PASS of that."""
    nothing = Paper(np.zeros_like(mask), [])
    span = FIRST_PASS * side
    tilt = page_tilt(mask)
    # Rows levelled for the horizontal lines, columns for the vertical ones.
    across, down = _shear(mask, tilt), _shear(mask.T, -tilt).T
    # Levelled to within half a TILT_STEP, a line long enough steps a row: only an image that
    # long can hold one (a small image's two wobbling bars of one 7 must not pass for rules).
    drift = DRIFT if side * np.tan(np.radians(TILT_STEP / 2)) >= 1 else 0
    page_rows, page_columns = _long(across, span, 1, drift), _long(down, span, 0, drift)
    page_row_lines, page_column_lines = _shear(page_rows, -tilt), _shear(page_columns.T, tilt).T
    page_wide = page_row_lines | page_column_lines
    # The slivers a tilted line leaves along its edges are no strokes: the writing's width is
    # measured a pixel clear of the lines and, where there are lines, on parts large enough to be
    # writing (in a photo of squared paper the slivers outnumber the digits' pixels).
    clear = mask & ~ndimage.binary_dilation(page_wide, np.ones((3, 3), bool))
    stroke = stroke_width(_large_parts(clear, SPECKLESS) if page_wide.any() else clear)
    printed_rows, printed_columns = _printed_page(page_rows, page_columns, across, down, stroke)
    height = None
    if printed_rows is not None:
        height = _height_between_lines(mask, page_row_lines, page_column_lines, span)
        # In a small image a 1's stem spans a fifth of it too, but only a digit's height.
        if height is not None:
            printed_rows, printed_columns = _printed_page(_long(page_rows, RULE * height, 1),
                                                          _long(page_columns, RULE * height, 0),
                                                          across, down, stroke)
    printed = printed_rows is not None
    if not printed:
        height = digit_height(mask)
    if height is None or stroke is None:
        return nothing
    frames, frame_rows, frame_columns = _frames(mask, height, tilt, stroke)
    if not printed:
        return Paper(_not_strokes(mask, frame_rows, frame_columns), frames)
    length = max(LONG * height, 8)
    # Page-wide runs found printed are lines even where the page is not LONG digits across.
    horizontal = _shear(_with_edges(_long(across, length, 1) | printed_rows, across, 1), -tilt)
    vertical = _shear(_with_edges(_long(down, length, 0) | printed_columns, down, 0).T, tilt).T
    lines = _not_strokes(mask, horizontal | frame_rows, vertical | frame_columns)
    return Paper(lines, frames)


def stroke_width(mask):
    """Return the writing's stroke width: the median, over ink pixels, of the shorter of the
    horizontal and vertical runs through each (None without ink)."""
    if not mask.any():
        return None
    runs = np.minimum(_run_lengths(mask), _run_lengths(mask.T).T)
    return float(np.median(runs[mask]))


def _printed_page(rows, columns, across, down, stroke):
    """Return the printed lines (horizontal, vertical) among the long runs ``rows`` of the levelled
    ``across`` and ``columns`` of the levelled ``down``, or (None, None) when the page holds none:
    two parallel lines make a printed page, and then one line across them, a margin, is printed too."""
    (printed_rows, row_count), (printed_columns, column_count) = (_printed(rows, across, stroke, 1),
                                                                  _printed(columns, down, stroke, 0))
    return (printed_rows, printed_columns) if row_count >= 2 or column_count >= 2 else (None, None)


def _printed(lines, mask, stroke, axis):
    """Return (pixels, count) of the printed lines among ``lines`` (long runs along ``axis`` of the
    levelled ``mask``): the rows (or columns) whose runs are mostly thinner across than
    :data:`THIN` strokes, and how many lines apart from each other they make.  A digit's long
    stem is as thick as the writing, and left out even on a page whose grid it follows."""
    if stroke is None or not lines.any():
        return np.zeros_like(lines), 0
    across = _run_lengths(mask.T).T if axis == 1 else _run_lengths(mask)
    thin = np.count_nonzero(lines & (across <= THIN * stroke), axis=axis)
    holding = thin > 0.5 * np.count_nonzero(lines, axis=axis)  # the rows (or columns) of printed lines
    count = np.count_nonzero(holding[1:] & ~holding[:-1]) + bool(holding[0])
    return lines & (holding[:, None] if axis == 1 else holding[None, :]), count


def _long(mask, length, axis, drift=0):
    """Return the pixels of ``mask`` in runs along ``axis`` (1: rows, 0: columns) at least
    ``length`` long, gaps of up to :data:`GAP` pixels in a faint line bridged, and steps of up
    to ``drift`` pixels across."""
    across = 2 * drift + 1
    bridged = ndimage.binary_dilation(mask, structure=np.ones((across, GAP) if axis else (GAP, across)))
    runs = _run_lengths(bridged) if axis else _run_lengths(bridged.T).T
    return mask & (runs >= length)


def _with_edges(lines, mask, axis):
    """Return ``lines`` (along ``axis`` of the levelled ``mask``) with the ink a pixel to either side:
    a line's edges, broken into short runs where a photo blurs or bends it, are the line too."""
    return mask & ndimage.binary_dilation(lines, structure=np.ones((3, 1) if axis else (1, 3), bool))


def _run_lengths(mask):
    """Return, per pixel, the length of the run along its row that it belongs to (0 off the mask)."""
    height, width = mask.shape
    padded = np.zeros((height, width + 2), bool)
    padded[:, 1:-1] = mask
    flat = padded.ravel()
    change = np.flatnonzero(flat[1:] != flat[:-1]) + 1
    starts, ends = change[0::2], change[1::2]
    marks = np.bincount(starts, ends - starts, flat.size + 1) - np.bincount(ends, ends - starts, flat.size + 1)
    return np.cumsum(marks[:-1]).reshape(height, width + 2)[:, 1:-1].astype(np.int32)


def _not_strokes(mask, rows, columns):
    """Return the line pixels ``rows`` (horizontal lines) and ``columns`` (vertical ones) less those
    a digit's stroke also covers: where the ink across a line, the other lines left out, is
    thicker than the line itself by :data:`THICKER` pixels (a stroke crossing it, or resting on it)."""
    lines = np.zeros_like(mask)
    for line, other, axis in ((rows, columns, 0), (columns, rows, 1)):
        if not line.any():
            continue
        rest = mask & ~other
        across = _run_lengths(rest.T).T if axis == 0 else _run_lengths(rest)
        width = np.median(across[line])
        lines |= line & (across <= width + THICKER)
    return lines


def page_tilt(mask):
    """Return the angle (radians) that best lines up the mask's ink in rows: the tilt of a page's
    printed lines, 0 when the ink holds none or lies level already."""
    rows, columns = np.nonzero(mask)
    if len(rows) > TILT_SAMPLE:
        pick = np.random.default_rng(0).choice(len(rows), TILT_SAMPLE, replace=False)
        rows, columns = rows[pick], columns[pick]
    angles = np.radians(np.arange(-MAX_TILT, MAX_TILT + TILT_STEP / 2, TILT_STEP))
    size = mask.shape[0] + 2 * int(np.ceil(mask.shape[1] * np.tan(np.radians(MAX_TILT)))) + 2
    offset = size // 2 - mask.shape[0] // 2
    # A row holding a line gathers many pixels once the tilt is undone: the sum of squares of
    # the rows' counts peaks there.
    peaks = [np.square(np.bincount(np.round(rows - columns * np.tan(a)).astype(int) + offset,
                                   minlength=size)).sum(dtype=np.float64) for a in angles]
    best = angles[int(np.argmax(peaks))]
    return 0.0 if abs(np.degrees(best)) < MIN_TILT else float(best)


def _shear(mask, angle):
    """Return ``mask`` with each column moved up by column x tan(angle) px (nearest pixel, zero
    outside): a page tilted by ``angle`` made level, enough for thin straight lines."""
    if not angle:
        return mask
    height, width = mask.shape
    shift = np.round(np.arange(width) * np.tan(angle)).astype(int)
    rows = np.arange(height)[:, None] + shift[None, :]
    inside = (rows >= 0) & (rows < height)
    return np.where(inside, mask[np.clip(rows, 0, height - 1), np.arange(width)[None, :]], False)


def digit_height(mask, longest=None):
    """Return the median height of the mask's parts taller than a speck (and, given ``longest``,
    shorter than that either way), or None if there are none."""
    labels, count = ndimage.label(mask, structure=np.ones((3, 3)))
    if not count:
        return None
    slices = ndimage.find_objects(labels)
    heights = np.array([s[0].stop - s[0].start for s in slices])
    sizes = np.bincount(labels.ravel())[1:]
    if longest is not None:
        widths = np.array([s[1].stop - s[1].start for s in slices])
        sizes[(heights >= longest) | (widths >= longest)] = 0
    real = _large(sizes, PART_SHARE)
    return float(np.median(heights[real])) if real.any() else None


def _large(sizes, share):
    """Return which parts of these pixel counts hold at least ``share`` of the largest one's
    (and more than a speck's few pixels)."""
    return sizes >= max(4, share * sizes.max())


def _large_parts(mask, share):
    """Return the mask's parts (8-connected) holding at least ``share`` of the largest one's pixels."""
    labels, _ = ndimage.label(mask, structure=np.ones((3, 3)))
    sizes = np.bincount(labels.ravel())
    sizes[0] = 0
    return _large(sizes, share)[labels] & mask


def _height_between_lines(mask, rows, columns, span):
    """Return the digits' height on a page whose page-wide lines (``span`` long) are ``rows``
    (horizontal) and ``columns`` (vertical).

    With the lines out, a grid cuts each digit into pieces a square high; with the strokes
    crossing them kept (:func:`_not_strokes`), the digits are whole, unless the lines, uneven
    in a photo, stay joined into one page-wide part: the larger of the two measures, that part
    left out."""
    crossed = _not_strokes(mask, rows, columns)
    cut, whole = digit_height(mask & ~(rows | columns)), digit_height(mask & ~crossed, span)
    return cut if whole is None else max(whole, cut or 0)


def _frames(mask, height, tilt=0.0, stroke=None):
    """Return (frames, their horizontal sides, their vertical sides and separators) of the parts of
    ``mask`` at most :data:`FRAME_HEIGHT` digit heights tall and outlined on all four sides
    (:data:`FRAMED`): boxes, and comb fields, whose separators run from the top line to the bottom.
    On a page tilted by ``tilt`` the sides are looked for in bands as wide as the tilt makes them,
    and the outline's width and the separators are measured with the tilt taken out."""
    labels, count = ndimage.label(mask, structure=np.ones((3, 3)))
    frames, rows_out, columns_out = [], np.zeros_like(mask), np.zeros_like(mask)
    for index, (rows, columns) in enumerate(ndimage.find_objects(labels), start=1):
        part = labels[rows, columns] == index
        tall, wide = part.shape
        if tall < MIN_FRAME * height or tall > FRAME_HEIGHT * height or wide < 0.5 * height:
            continue
        slope = abs(np.tan(tilt))
        across, down = 3 + int(np.ceil(slope * wide)), 3 + int(np.ceil(slope * tall))
        sides = [part[:across].any(axis=0), part[-across:].any(axis=0),
                 part[:, :down].any(axis=1), part[:, -down:].any(axis=1)]
        if min(side.mean() for side in sides) < FRAMED:
            continue
        depth = _outline_width(part, tilt) + 1  # and a pixel of antialiased edge
        if stroke is not None and depth > THIN * stroke + 1:  # as thick as the writing: a digit
            continue
        inside = part[depth + 1:-depth - 1, depth + 1:-depth - 1]
        if not inside.size or inside.mean() > HOLLOW:  # all outline, or a blot: not a box
            continue
        band = np.zeros_like(part)
        band[:depth + across - 2], band[-depth - across + 2:] = True, True
        rows_out[rows, columns] |= part & band
        separators = _separators(part, tilt, height)
        band = np.zeros_like(part)
        band[:, :depth + down - 2], band[:, -depth - down + 2:] = True, True
        columns_out[rows, columns] |= part & (band | separators)
        if separators.any(axis=0).sum() > 3 * (depth + 1):  # a comb field: its digits are one number
            frames.append((columns.start, rows.start, columns.stop, rows.stop))
    return frames, rows_out, columns_out


def _outline_width(part, tilt):
    """Return the width of a frame's outline: the median run of ink down from the top line, the
    page's ``tilt`` taken out (tilted, the top row holds a side's end as well)."""
    pad = int(np.ceil(abs(np.tan(tilt)) * part.shape[1])) + 1  # a column moves this far once levelled
    levelled = _shear(np.pad(part, ((pad, pad), (0, 0))), tilt)
    inked = np.flatnonzero(levelled.any(axis=0))
    top = np.argmax(levelled[:, inked], axis=0)
    return int(np.median(_run_lengths(levelled.T)[inked, top]))


def _separators(part, tilt, height):
    """Return the pixels of a frame's ``part`` in its separators: once the page's ``tilt`` is taken
    out, columns whose ink covers :data:`SEPARATOR` of the way from the frame's top line to its
    bottom one, those :data:`MIN_FRAME` digit heights (``height``) apart or more: a box's sides
    and a comb's separators, not a digit's stroke inside its box, which runs between the lines.
    (Boxes side by side are one part but not all of one height: each column is measured alone.)"""
    slope = abs(np.tan(tilt))
    pad = int(np.ceil(slope * part.shape[0])) + 1  # a row moves this far once levelled
    levelled = _shear(np.pad(part, ((0, 0), (pad, pad))).T, -tilt).T
    top = np.argmax(levelled, axis=0)
    extent = levelled.shape[0] - np.argmax(levelled[::-1], axis=0) - top
    columns = levelled.any(axis=0) & (extent >= MIN_FRAME * height) & (levelled.sum(axis=0) >= SEPARATOR * extent)
    band = np.zeros_like(levelled)
    band[:, ndimage.binary_dilation(columns)] = True  # and the line's antialiased edges
    return _shear(band.T, tilt).T[:, pad:-pad] & part
