"""Photos of a page: find the sheet of paper on the desk, and divide out light that falls unevenly.

:func:`even_light` turns a photo of a sheet lying on a desk, with light falling off across it
and a shadow over part of it, into what an even scan of the sheet would look like: paper near
1 everywhere, the desk blank.  :func:`segment.find_digits` calls it first; evenly lit scans
and light ink on a dark ground pass through unchanged.
"""

import numpy as np
from PIL import Image
from scipy import ndimage

# The paper's light is measured on tiles: about this many along the image's longer side,
# each at least MIN_TILE pixels.
TILES = 40
MIN_TILE = 16
# The tile levels are closed (a max then a min filter) over this many tiles: dark features
# narrower than that (strokes) are bridged, a shadow's broad edge is kept.
CLOSE_TILES = 5
# Paper whose brightest part is over this factor brighter than its darkest is evened out.
UNEVEN = 1.25
# A sheet's edge on a desk: the log of brightness changes by more than this per pixel (a
# shadow's soft edge changes it by a few hundredths at most).
EDGE_STEP = 0.06
# Dark lines narrower than THIN pixels (printed rules) are closed over where they part the
# sheet into bands (find_sheet).
THIN = 7
# A sheet covers at least this fraction of the photo, and the desk around it is at most this
# factor as bright as the paper.
MIN_SHEET = 0.1
DESK_RATIO = 0.75
# The sheet is at least this bright (on 0..1): a dark ground under light ink is not a sheet.
MIN_PAPER = 0.25
# A desk shows along at least this share of the photo's border: writing that runs off the
# edge of a page (a 7 cropped close) is not a desk (docs/experiments.md, "Real letters").
DESK_BORDER = 0.15


def even_light(grey):
    """Return ``grey`` with the page's light made even and anything off the page made blank paper.

    A photo of a sheet on a desk is lit unevenly (light falling off, shadows) and holds the
    desk around the sheet.  Light multiplies what the paper and ink reflect, so dividing by
    the paper's local brightness (:func:`paper_light`) leaves the reflectance: paper near 1 and
    ink dark, as on an even scan, and one global threshold then fits everywhere.  Images
    of evenly lit paper, and light ink on a dark ground, are returned as they are.
    """
    light, page = paper_light(grey)
    if light is None:
        return grey
    evened = np.minimum(grey / np.maximum(light, 1e-3), 1)
    if page is not None:
        evened[~page] = 1
    return evened


def paper_light(grey):
    """Return (light, page) for a greyscale image, or (None, None) if its paper is evenly and brightly lit.

    ``light`` is the paper's brightness at every pixel: the 90th percentile of each tile
    (ink covers less than a tenth of most tiles), closed over :data:`CLOSE_TILES` tiles so
    that even a broad stroke filling whole tiles is bridged, and interpolated between tile
    centres.  ``page`` marks the sheet (:func:`find_sheet`) when it lies on something darker,
    else None; tiles off the sheet take the nearest sheet tile's level.  Without a sheet, the
    light is returned for dark ink (the tiles' dark tails longer than their light ones) on
    paper lit unevenly, or so dimly that most of the image is darker than mid-grey (which
    would otherwise pass for light ink on a dark ground).
    """
    tile = max(MIN_TILE, round(max(grey.shape) / TILES))
    rows, cols = grey.shape[0] // tile, grey.shape[1] // tile
    if min(rows, cols) < 6:  # a small image is a crop or a scan, not a photo of a page
        return None, None
    page = find_sheet(grey)
    blocks = grey[:rows * tile, :cols * tile].reshape(rows, tile, cols, tile).swapaxes(1, 2).reshape(rows, cols, -1)
    low, typical, paper, high = np.percentile(blocks, [2, 50, 90, 98], axis=2)
    if page is not None:
        share = page[:rows * tile, :cols * tile].reshape(rows, tile, cols, tile).mean(axis=(1, 3))
        if ndimage.binary_erosion(share > 0.95).any():
            # Off the sheet, the nearest sheet tile's level: the desk must not dim the sheet's edge.
            nearest = ndimage.distance_transform_edt(share <= 0.5, return_distances=False, return_indices=True)
            paper = paper[tuple(nearest)]
        else:  # no 3x3 tiles wholly on it: a thick bright stroke on a dark ground, not a sheet
            page = None
    levels = ndimage.grey_closing(paper, size=(CLOSE_TILES, CLOSE_TILES), mode="nearest")
    if page is None:
        # Ink is the sparse tail of each tile's values: below its median for dark ink on paper.
        dark_ink = np.sum(typical - low) > np.sum(high - typical)
        dimmest, brightest = np.percentile(levels, [5, 95])
        even = brightest <= UNEVEN * max(dimmest, 1e-3)
        if not dark_ink or (even and np.median(typical) > 0.5):
            return None, None  # light ink on a dark ground, or paper evenly and brightly lit: as it is
    return _enlarge(levels, grey.shape, tile), page


def find_sheet(grey):
    """Return a mask of the sheet of paper in a photo of it lying on something darker, or None.

    The sheet's edge against a desk is a sharp step in brightness, while a shadow's edge on
    it is soft; on the logarithm of brightness (light multiplies, so a shadow adds a constant)
    the steps steeper than :data:`EDGE_STEP` per pixel part the image into regions.  The sheet
    is the brightest large region, its holes (the writing) filled; it must cover at least
    :data:`MIN_SHEET` of the image, not all of it, what lies around it must be at most
    :data:`DESK_RATIO` as bright, and it must leave :data:`DESK_BORDER` of the image's border.
    The mask is pulled in by two pixels from the sheet's rim.
    """
    # A ruled or squared sheet's lines part it into bands too small to be a sheet: where no
    # sheet is found, it is looked for again once thin dark lines are closed over.
    plain = _find_sheet(grey, grey)
    if plain is not None:
        return plain
    return _find_sheet(grey, ndimage.grey_closing(grey, size=(THIN, THIN)))


def _find_sheet(grey, edges_of):
    """Return :func:`find_sheet`'s mask for ``grey``, with its edges found in ``edges_of``, or None."""
    log_grey = ndimage.gaussian_filter(np.log(edges_of + 0.05), 1.0)
    # Sobel's kernels give 8 for a slope of 1 per pixel (4 for the smoothing, 2 for the step).
    steep = np.hypot(ndimage.sobel(log_grey, axis=0), ndimage.sobel(log_grey, axis=1)) > 8 * EDGE_STEP
    labels, count = ndimage.label(~steep)
    if count == 0:
        return None
    index = np.arange(1, count + 1)
    areas = np.bincount(labels.ravel(), minlength=count + 1)[1:]
    large = index[areas >= MIN_SHEET * grey.size]
    if len(large) == 0:
        return None
    # Medians on every 4th pixel each way: as good for regions this large, and 20x faster.
    brightness = np.array([np.median(grey[::4, ::4][labels[::4, ::4] == i]) for i in large])
    sheet = _fill_holes(labels == large[np.argmax(brightness)])
    covered, paper = sheet.mean(), np.max(brightness)
    border = np.r_[sheet[0], sheet[-1], sheet[1:-1, 0], sheet[1:-1, -1]]
    if (covered < MIN_SHEET or covered > 0.97 or paper < MIN_PAPER
            or np.median(grey[~sheet]) > DESK_RATIO * paper or 1 - border.mean() < DESK_BORDER):
        return None
    return ndimage.uniform_filter(sheet.astype(np.float32), size=5) > 0.999


def _fill_holes(mask):
    """Return ``mask`` with its holes filled: the parts of the rest (4-connected) that do not
    touch the image's border.  The same as ``ndimage.binary_fill_holes``, which grows the
    outside a pixel at a time and took a tenth of a photo's reading."""
    outside, _ = ndimage.label(~mask)
    border = np.unique(np.r_[outside[0], outside[-1], outside[:, 0], outside[:, -1]])
    return ~np.isin(outside, border[border > 0])


def _enlarge(levels, shape, tile):
    """Return a rows x cols grid of tile values interpolated (bilinear) to an image of ``shape``."""
    size = (levels.shape[1] * tile, levels.shape[0] * tile)
    big = np.asarray(Image.fromarray(np.float32(levels), mode="F").resize(size, Image.Resampling.BILINEAR))
    # The last partial tiles take the values at the grid's edge.
    return np.pad(big, ((0, shape[0] - big.shape[0]), (0, shape[1] - big.shape[1])), mode="edge")
