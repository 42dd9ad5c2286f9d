"""Distorted copies of training digits, so the network learns what varies between writers and pens.

Each copy of a 28x28 digit is turned, scaled, slanted and shifted a little, bent by an elastic
displacement field (Simard, Steinkraus and Platt 2003: random displacements smoothed by a
Gaussian), and drawn with a thinner or thicker pen (grey erosion or dilation, blended by a
random amount).  All of it is vectorised over a block of images; ``main.py --augment R``
trains on a fresh copy of every digit in each of R rounds.  The same generator state gives
the same copies.  What it leaves out: strokes are never redrawn, so a pen much wider than
MNIST's (or a flagged 1, which MNIST's writers rarely made) is not learned here.
"""

import functools

import numpy as np
from scipy import ndimage

import preprocess
from mnist import IMAGE_SIDE, PIXELS
from preprocess import resample

# How much each distortion varies, at MNIST's scale (28x28 frame, 20x20 digit box):
# rotation in degrees, scale range, shear (x shift per row), shift in pixels, the elastic
# field's smoothing sigma and strength alpha, and the pen: up to a whole 3x3 dilation
# (thicker) or 60 % of an erosion (thinner: a whole one can erase MNIST's thinnest strokes).
# Alpha is below Simard et al.'s 34, which bent digits too far for 100 hidden units: see
# docs/experiments.md#distortions.
DISTORTIONS = {"rotation": 10, "scale": (0.9, 1.1), "shear": 0.3, "shift": 1.5,
               "sigma": 4.0, "alpha": 20.0, "thicker": 1.0, "thinner": 0.6}


def distort(images, rng, out=None, chunk=2048, **settings):
    """Return distorted copies of ``images`` (n x 784, float in [0, 1] or uint8) as float32 in [0, 1].

    ``rng`` is a ``numpy.random.Generator``; ``settings`` override :data:`DISTORTIONS`.
    Written into ``out`` if given.
    """
    settings = {**DISTORTIONS, **settings}
    images = np.asarray(images)
    if out is None:
        out = np.empty((len(images), PIXELS), dtype=np.float32)

    def blocks():
        # Bounded temporaries, whatever the data set size.  Each block's random numbers are
        # drawn here, block after block, and the work runs on all cores.
        for start in range(0, len(images), chunk):
            draws = _draw(rng, len(images[start:start + chunk]), **settings)
            yield functools.partial(_distort_rows, images, out, start, chunk, draws, settings)

    preprocess.in_parallel(blocks())
    return out


def _draw(rng, n, rotation, scale, shear, shift, thicker, thinner, **unused):
    """Return the random numbers for distorting ``n`` images, drawn from ``rng`` in a fixed order."""
    angle = np.radians(rng.uniform(-rotation, rotation, n))
    zoom = rng.uniform(*scale, n)
    slant = rng.uniform(-shear, shear, n)
    field = rng.random((2, n, IMAGE_SIDE, IMAGE_SIDE), dtype=np.float32)  # uniform in [-1, 1) below
    shift_y = rng.uniform(-shift, shift, n)
    shift_x = rng.uniform(-shift, shift, n)
    pen = rng.uniform(-thinner, thicker, n).astype(np.float32)
    return angle, zoom, slant, field, shift_y, shift_x, pen


def _distort_rows(images, out, start, chunk, draws, settings):
    """Write distortions of ``images[start:start + chunk]`` into the same rows of ``out``."""
    block = images[start:start + chunk].astype(np.float32)
    if images.dtype == np.uint8:
        block /= 255
    out[start:start + chunk] = _distort_block(block, draws, settings["sigma"], settings["alpha"])


def _distort_block(block, draws, sigma, alpha):
    """Distort a block of n x 784 float32 images in [0, 1] by ``draws`` (see :func:`_draw`);
    return n x 784 float32 in [0, 1]."""
    n = len(block)
    side = IMAGE_SIDE
    images = block.reshape(n, side, side)
    angle, zoom, slant, displacement, shift_y, shift_x, amount = draws
    # Where each output pixel samples its source: an affine map about the centre, plus a
    # smooth random displacement field.
    cos, sin = np.cos(angle) / zoom, np.sin(angle) / zoom
    # rows: y' = cos y - sin x ; columns: x' = sin y + cos x + slant y
    a_yy, a_yx = cos, -sin
    a_xy, a_xx = sin + slant * cos, cos - slant * sin
    centre = (side - 1) / 2
    grid_y, grid_x = np.mgrid[:side, :side].astype(np.float32) - centre
    displacement = ndimage.gaussian_filter(displacement, sigma=(0, 0, sigma, sigma), mode="constant")
    displacement *= 2 * alpha
    displacement -= alpha * ndimage.gaussian_filter(np.ones((side, side), np.float32), sigma, mode="constant")
    source_y = (a_yy[:, None, None] * grid_y + a_yx[:, None, None] * grid_x + centre
                + shift_y[:, None, None] + displacement[0])
    source_x = (a_xy[:, None, None] * grid_y + a_xx[:, None, None] * grid_x + centre
                + shift_x[:, None, None] + displacement[1])
    warped = resample(images, source_y, source_x)
    # Pen: blend towards the 3x3 dilation (thicker) or erosion (thinner) by a random amount.
    for grow, morphology in ((True, ndimage.grey_dilation), (False, ndimage.grey_erosion)):
        chosen = np.flatnonzero((amount > 0) == grow)
        pen = morphology(warped[chosen], size=(1, 3, 3))
        warped[chosen] += np.abs(amount[chosen])[:, None, None] * (pen - warped[chosen])
    np.clip(warped, 0, 1, out=warped)
    return warped.reshape(n, PIXELS)
