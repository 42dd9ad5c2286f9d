"""Turn a picture of one digit into the 28x28 form MNIST digits have, ready for the network.

MNIST digits were size-normalised to fit a 20x20 box (keeping their aspect ratio, anti-aliased)
and placed in a 28x28 field so that their centre of mass sits in the middle.  A digit drawn or
scanned any size, anywhere, must go through the same steps before the network sees it; the
drawing window, the scan command and the tests all call :func:`to_mnist` for that.
"""

import collections
import functools
import os
from concurrent.futures import ThreadPoolExecutor
from typing import NamedTuple, Optional

import numpy as np
from PIL import Image
from scipy import ndimage

from mnist import IMAGE_SIDE as SIDE

BOX = 20
# Where MNIST puts the centre of mass: (13.996, 14.004) on average over its first 10,000
# training digits, in pixel-index coordinates.
CENTRE = 14.0
# Pixels at or below this fraction of full ink are background when finding the digit's extent.
INK_THRESHOLD = 0.05
# MNIST's median stroke width as a fraction of the digit's longer side (0.138 over its first
# 3,000 training digits, measured by :func:`stroke_width` at 4x; quartiles 0.117 and 0.163).
MNIST_STROKE = 0.138
# Strokes are found, to measure their width, where ink exceeds this share of its peak.
STROKE_MASK = 0.5
# Ink of at least this coverage is solid: where two digits' strokes are taken to touch.
SOLID_INK = 0.5
# Stroke widths are measured and changed with the digit's longer side at least this many pixels.
STROKE_WORK_SIDE = 80
# Threads that work on blocks of images side by side (:func:`in_parallel`): one per core, at
# most 4: each holds a block's temporaries (tens of MiB), and on a large machine memory would
# grow with the cores while the optimizer, not the making of rows, takes the time.
WORKERS = min(os.cpu_count() or 1, 4)


class Preprocessing(NamedTuple):
    """What a network expects done to its inputs, as model.json records it.

    ``deskew``: each 28x28 input sheared upright by its moments (:func:`deskew`); ``recentre``:
    with deskew, its centre of mass also moved to exactly (14, 14); ``stroke``: strokes thinner
    than this fraction of a digit's longer side grown before it is scaled (:func:`to_mnist`),
    or None to take strokes as drawn.  The defaults are the article's: none of it.
    """

    deskew: bool = False
    recentre: bool = False
    stroke: Optional[float] = None

    def apply(self, images, in_place=False):
        """Return 28x28 ``images`` (n x 784) as the network sees them: deskewed if it asks for
        that (into ``images`` itself with ``in_place``), else ``images`` unchanged."""
        if not self.deskew:
            return images
        return deskew(images, out=images if in_place else None, recentre=self.recentre)


def to_mnist(ink, stroke=None):
    """Return the 28x28 float32 MNIST form of ``ink`` (2-D, light ink on dark), or None if blank.

    ``ink`` is a float array in [0, 1] or a uint8 array (divided by 255).  The result is in
    [0, 1], as the training pixels were.  With ``stroke`` (a width as a fraction of the digit's
    longer side, such as :data:`MNIST_STROKE`) the strokes are first redrawn at that width.
    """
    ink = as_unit_float(ink)
    box = ink_bounding_box(ink)
    if box is None:
        return None
    top, bottom, left, right = box
    crop = ink[top:bottom, left:right]
    if stroke is not None:
        crop = normalise_stroke_width(crop, stroke)
    scale = BOX / max(crop.shape)
    height = max(1, round(crop.shape[0] * scale))
    width = max(1, round(crop.shape[1] * scale))
    # Pillow scales its filters' support with the reduction factor, so this is a true
    # anti-aliased (area-aware) reduction, not point sampling.
    small = Image.fromarray(crop, mode="F").resize((width, height), Image.Resampling.LANCZOS)
    small = np.clip(np.asarray(small), 0, 1)
    if small.sum() <= 0:
        return None
    return place_by_centre_of_mass(small)


def stroke_width(mask):
    """Return the mean stroke width in pixels of a boolean ink mask: 2 x area / boundary pixels.

    A stroke of length L and width w has area L w and about 2 L boundary pixels.
    """
    boundary = mask & ~ndimage.binary_erosion(mask)
    return 2 * mask.sum() / max(boundary.sum(), 1)


def normalise_stroke_width(crop, stroke=MNIST_STROKE):
    """Return ``crop`` (2-D float in [0, 1], cropped to the ink) with strokes at least ``stroke`` wide.

    ``stroke`` is a fraction of the crop's longer side.  The ink is binarised (at half its
    peak) at a resolution of at least :data:`STROKE_WORK_SIDE` pixels, its width measured, and
    strokes thinner than ``stroke`` are grown by the difference through a distance transform,
    which costs the same for any pen.  Thick strokes are left as they are: thinning them
    distorts the digit's shape and read thick-pen scans worse (docs/experiments.md#thick-pens).
    """
    long_side = max(crop.shape)
    if long_side < STROKE_WORK_SIDE:
        factor = STROKE_WORK_SIDE / long_side
        size = (max(1, round(crop.shape[1] * factor)), max(1, round(crop.shape[0] * factor)))
        crop = np.asarray(Image.fromarray(np.float32(crop), mode="F").resize(size, Image.Resampling.BILINEAR))
        long_side = max(crop.shape)
    mask = crop > STROKE_MASK * crop.max()
    change = (stroke * long_side - stroke_width(mask)) / 2  # per side
    if change <= 0.5:
        return crop
    return np.maximum(crop, ndimage.distance_transform_edt(~mask) <= change, dtype=np.float32)


def as_unit_float(ink):
    """Return ``ink`` as float32 in [0, 1]: uint8 is divided by 255, floats are taken as they are."""
    ink = np.asarray(ink)
    return ink.astype(np.float32) / 255 if ink.dtype == np.uint8 else ink.astype(np.float32)


def ink_bounding_box(ink, threshold=INK_THRESHOLD):
    """Return (top, bottom, left, right) bounds of pixels above ``threshold``, or None if none."""
    mask = ink > threshold
    rows = np.flatnonzero(mask.any(axis=1))
    if rows.size == 0:
        return None
    cols = np.flatnonzero(mask.any(axis=0))
    return rows[0], rows[-1] + 1, cols[0], cols[-1] + 1


def centre_of_mass(image):
    """Return the (row, column) centre of mass of a non-negative 2-D array with a positive sum."""
    total = image.sum()
    rows = image.sum(axis=1) @ np.arange(image.shape[0]) / total
    cols = image.sum(axis=0) @ np.arange(image.shape[1]) / total
    return rows, cols


def place_by_centre_of_mass(small):
    """Paste ``small`` (at most 28x28) into a 28x28 field with its centre of mass at the middle.

    The shift is rounded to whole pixels, as MNIST's was, and limited so no ink falls outside.
    """
    rows, cols = centre_of_mass(small)
    top = int(np.clip(round(CENTRE - rows), 0, SIDE - small.shape[0]))
    left = int(np.clip(round(CENTRE - cols), 0, SIDE - small.shape[1]))
    field = np.zeros((SIDE, SIDE), dtype=np.float32)
    field[top:top + small.shape[0], left:left + small.shape[1]] = small
    return field


def deskew(images, out=None, chunk=2048, recentre=False):
    """Return 28x28 images (n x 784, any float/uint8) sheared so their principal axis is vertical.

    The shear comes from each image's moments: x moves by -alpha (y - y_mean) with
    alpha = cov(x, y) / var(y), so the result has cov(x, y) = 0 and the same centre of mass;
    sampling is linear along rows.  With ``recentre`` the image is also moved so its centre of
    mass is exactly (14, 14), sampled bilinearly (MNIST's own centring rounded to whole
    pixels).  Blank images come back unchanged.  The result is float32, or written into
    ``out`` (which may be ``images`` itself, to deskew in place).
    """
    images = np.asarray(images)
    if out is None:
        out = np.empty(images.shape, dtype=np.float32)
    block_function = _deskew_recentre_block if recentre else _deskew_block

    def block(start):
        out[start:start + chunk] = block_function(images[start:start + chunk].astype(np.float32))

    # Bounded temporaries whatever the data set size; blocks on all cores (each block reads
    # and writes its own rows only).
    in_parallel(functools.partial(block, start) for start in range(0, len(images), chunk))
    return out


def in_parallel(tasks, workers=None):
    """Run the callables ``tasks`` yields on ``workers`` threads (default :data:`WORKERS`).

    The generator itself runs in the calling thread, in order, and at most one task per worker
    waits ahead: a generator that draws random numbers for each task draws them as a plain
    loop would (the same results for a seed, on any number of cores), and only a few tasks'
    inputs are held at once.  NumPy and SciPy's image filters release the GIL, so blocks of
    images are worked on side by side: a training round's rows in about half the time on 2
    cores (``bench/bench_prepare.py``).  A task's exception is raised here.
    """
    workers = workers or WORKERS
    if workers == 1:
        for task in tasks:
            task()
        return
    with ThreadPoolExecutor(workers) as pool:
        waiting = collections.deque()
        for task in tasks:
            waiting.append(pool.submit(task))
            if len(waiting) > workers:
                waiting.popleft().result()
        for future in waiting:
            future.result()


def moments(images):
    """Return (y_mean, x_mean, alpha) per image of an n x 28 x 28 block: centre and shear."""
    coords = np.arange(SIDE, dtype=np.float32)
    total = images.sum(axis=(1, 2))
    safe = np.where(total > 0, total, 1)
    row_mass = images.sum(axis=2)  # n x 28: mass per row
    col_mass = images.sum(axis=1)
    y_mean = np.where(total > 0, row_mass @ coords / safe, CENTRE)
    x_mean = np.where(total > 0, col_mass @ coords / safe, CENTRE)
    dy = coords[None, :] - y_mean[:, None]  # n x 28
    dx = coords[None, :] - x_mean[:, None]
    var_y = (row_mass * dy ** 2).sum(axis=1) / safe
    cov_xy = np.einsum("nr,nrc,nc->n", dy, images, dx) / safe
    alpha = np.where(var_y > 1e-6, cov_xy / np.where(var_y > 1e-6, var_y, 1), 0)
    return y_mean, x_mean, alpha


def _deskew_recentre_block(block):
    """Deskew a block of n x 784 float32 images and move each centre of mass to (14, 14)."""
    n = len(block)
    images = block.reshape(n, SIDE, SIDE)
    y_mean, x_mean, alpha = moments(images)
    # out[y, x] = in[y + (y_mean - 14), x + (x_mean - 14) + alpha (y - 14)], bilinear.
    grid_y, grid_x = np.mgrid[:SIDE, :SIDE].astype(np.float32)
    source_y = grid_y[None] + (y_mean - CENTRE)[:, None, None]
    source_x = (grid_x[None] + (x_mean - CENTRE)[:, None, None]
                + alpha[:, None, None] * (grid_y[None] - CENTRE))
    return resample(images, source_y, source_x).reshape(n, SIDE * SIDE)


def resample(images, source_y, source_x):
    """Return n x H x W float32: image k sampled bilinearly at (source_y[k], source_x[k]); 0 outside."""
    index = np.broadcast_to(np.arange(len(images), dtype=np.float32)[:, None, None], source_y.shape)
    return ndimage.map_coordinates(images, [index, source_y, source_x], order=1, mode="constant",
                                   cval=0.0, output=np.float32)


def _deskew_block(block):
    """Deskew a block of n x 784 float32 images."""
    n = len(block)
    images = block.reshape(n, SIDE, SIDE)
    y_mean, _, alpha = moments(images)
    coords = np.arange(SIDE, dtype=np.float32)
    dy = coords[None, :] - y_mean[:, None]  # n x 28
    # out[y, x] = in[y, x + alpha (y - y_mean)], linear between the two nearest columns.
    source = coords[None, None, :] + (alpha[:, None] * dy)[:, :, None]  # n x 28 x 28
    left = np.floor(source)
    weight = source - left
    left = left.astype(np.intp)
    rows = np.arange(n)[:, None, None], np.arange(SIDE)[None, :, None]
    padded = np.pad(images, ((0, 0), (0, 0), (1, 1)))  # zero outside the field
    lo = padded[rows[0], rows[1], np.clip(left + 1, 0, SIDE + 1)]
    hi = padded[rows[0], rows[1], np.clip(left + 2, 0, SIDE + 1)]
    result = (1 - weight) * lo + weight * hi
    return result.reshape(n, SIDE * SIDE)


def squash(ink):
    """Return the whole image resized to 28x28 without cropping or centring (the classic window's way).

    Kept only as the baseline docs/experiments.md compares :func:`to_mnist` against.
    """
    ink = as_unit_float(ink)
    small = Image.fromarray(ink, mode="F").resize((SIDE, SIDE), Image.Resampling.LANCZOS)
    return np.clip(np.asarray(small), 0, 1)
