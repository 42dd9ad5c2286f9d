"""Make test scans: MNIST test digits written as numbers on paper, photographed or scanned.

Used by the scan command's tests; each scan is built from a seeded generator, so a failing
case can be made again.
"""

import io

import numpy as np
from PIL import Image
from scipy import ndimage

import mnist
from scan import segment
from synthetic.handwriting import digit_layers, touching_neighbours, write_number  # noqa: F401  (the tests' and benches' writer)

_TEST = None


def read_lines(path, network):
    """Return the digits read from one image as the scan command reads them: lines of text,
    numbers separated by a space."""
    return segment.read_page(path, network).texts()


def mnist_test_digits():
    """Return (images n x 28 x 28 uint8, labels) of the MNIST test set, loaded once."""
    global _TEST
    if _TEST is None:
        data = mnist.load(mnist.BUNDLED_DIR)
        _TEST = data.X[data.n_train:].reshape(-1, 28, 28), data.y[data.n_train:]
    return _TEST


def photograph(page, alpha, rng, frame=(4000, 3000), printed=None, ink_tint=None):
    """Return an RGB uint8 photo (``frame`` = width, height) of a sheet holding ``alpha``'s ink, on a desk.

    The sheet (A4 proportions, upright or sideways, 50-90 % of the frame's height) lies
    tilted up to 5 degrees on a darker, textured desk; the number is written on it 8-15 % of
    the sheet's height tall; light falls off across the frame (up to 30 %) and a soft shadow
    (20-45 % darker) crosses it.  ``page`` only gives the ink's darkness.  ``printed``, if
    given, draws the paper's printed lines over the whole sheet: ``printed(shape, factor, (top,
    left))`` -> (coverage, level), where the number's ``alpha`` is scaled by ``factor`` and put
    at (top, left) on a sheet of ``shape``; a level per colour channel (3 values, or an image of
    them) draws the lines in colour.  ``ink_tint``, if given, multiplies the ink's level per
    channel (blue-black ink).
    """
    width, height = frame
    sheet_h = int(height * rng.uniform(0.5, 0.9))
    sheet_w = int(sheet_h / 1.414) if rng.random() < 0.5 else min(int(sheet_h * 1.414), int(width * 0.9))
    paper, ink_level = rng.uniform(0.78, 0.95), float(np.clip(page.min(), 0.02, 0.3))
    # The number, scaled so its digits are 8-15 % of the sheet's height, somewhere on the sheet.
    rows = np.flatnonzero(alpha.max(axis=1) > 0.1)
    digit_h = rows[-1] - rows[0] + 1
    factor = min(rng.uniform(0.08, 0.15) * sheet_h / digit_h, 0.8 * sheet_w / alpha.shape[1])
    number = Image.fromarray(alpha, mode="F").resize(
        (max(1, round(alpha.shape[1] * factor)), max(1, round(alpha.shape[0] * factor))), Image.Resampling.BICUBIC)
    coverage = np.zeros((sheet_h, sheet_w), np.float32)
    x = int(rng.integers(0, max(1, sheet_w - number.size[0])))
    y = int(rng.integers(0, max(1, sheet_h - number.size[1])))
    coverage[y:y + number.size[1], x:x + number.size[0]] = np.clip(np.asarray(number), 0, 1)[
        :sheet_h - y, :sheet_w - x]
    # The sheet as rows x columns x channels: one channel (grey) unless something on it has colour.
    paper = np.full(coverage.shape + (1,), paper, np.float32)
    if printed is not None:  # the paper's printed lines, drawn over the whole sheet
        paper = (paper * print_reflectance(*printed(coverage.shape, factor, (y, x)))).astype(np.float32)
    ink = ink_level * (np.ones(1) if ink_tint is None else np.asarray(ink_tint))
    channels = paper * (1 - coverage[..., None]) + np.float32(ink) * coverage[..., None]
    angle = rng.uniform(-5, 5)
    sheet = np.stack([np.asarray(Image.fromarray(np.ascontiguousarray(channels[..., c]), mode="F").rotate(
        angle, Image.Resampling.BILINEAR, expand=True)) for c in range(channels.shape[2])], axis=2)
    mask = Image.new("F", (sheet_w, sheet_h), 1.0).rotate(angle, Image.Resampling.BILINEAR, expand=True)
    # The desk: darker, its grain a smooth random field.
    grain = Image.fromarray(rng.normal(0, 1, (12, 16)).astype(np.float32), mode="F").resize(
        frame, Image.Resampling.BICUBIC)
    photo = np.repeat((rng.uniform(0.1, 0.45) * (1 + 0.15 * np.asarray(grain)))[..., None], sheet.shape[2], axis=2)
    left = int(rng.integers(0, max(1, width - sheet.shape[1])))
    top = int(rng.integers(0, max(1, height - sheet.shape[0])))
    region = photo[top:top + sheet.shape[0], left:left + sheet.shape[1]]
    cover = np.asarray(mask)[:region.shape[0], :region.shape[1], None]
    region[:] = region * (1 - cover) + sheet[:region.shape[0], :region.shape[1]] * cover
    # Light: a gradient across the frame and a soft shadow over part of it.
    yy, xx = np.mgrid[0:height, 0:width].astype(np.float32)
    yy /= height
    xx /= width
    direction = rng.uniform(0, 2 * np.pi)
    along = np.cos(direction) * xx + np.sin(direction) * yy
    light = 1 - rng.uniform(0, 0.3) * (along - along.min()) / np.ptp(along)
    direction = rng.uniform(0, 2 * np.pi)
    across = np.cos(direction) * (xx - rng.uniform(0.2, 0.8)) + np.sin(direction) * (yy - rng.uniform(0.2, 0.8))
    softness = rng.uniform(0.01, 0.05)
    light *= 1 - rng.uniform(0.2, 0.45) / (1 + np.exp(-across / softness))
    photo *= light[..., None]
    photo = ndimage.gaussian_filter(photo, (1.0, 1.0, 0)) + rng.normal(0, 0.012, photo.shape[:2])[..., None]
    tint = np.array([1.0, rng.uniform(0.9, 1.0), rng.uniform(0.8, 1.0)], np.float32)
    return np.uint8(np.clip(photo * tint * 255, 0, 255))


def print_reflectance(coverage, level):
    """Return what printed lines of ``coverage`` (rows x columns) and ``level`` (a number, 3 values
    or rows x columns x 3) leave of the paper's light: rows x columns x 1 (grey) or x 3 channels."""
    return 1 - coverage[..., None] * (1 - np.atleast_1d(np.asarray(level, np.float32)))


def as_file(page, alpha, mode, rng):
    """Encode a page as image file bytes in ``mode``: RGB, RGBA, L, 1, I;16 or JPEG; return (bytes, ext)."""
    grey8 = np.uint8(np.round(page * 255))
    buffer = io.BytesIO()
    if mode == "RGB":  # a grey page, or one already in colour (rows x columns x 3)
        tint = np.array([1.0, rng.uniform(0.93, 1.0), rng.uniform(0.85, 1.0)])
        rgb = np.uint8(np.clip((page if page.ndim == 3 else page[..., None]) * tint * 255, 0, 255))
        Image.fromarray(rgb, "RGB").save(buffer, "PNG")
    elif mode == "RGBA":  # dark ink on a transparent sheet: to be read as if on white
        rgba = np.zeros(page.shape + (4,), np.uint8)
        rgba[..., :3] = 20
        rgba[..., 3] = np.uint8(np.round(alpha * 255))
        Image.fromarray(rgba, "RGBA").save(buffer, "PNG")
    elif mode == "L":
        Image.fromarray(grey8, "L").save(buffer, "PNG")
    elif mode == "1":
        Image.fromarray(grey8, "L").point(lambda v: 255 if v > 128 else 0).convert("1").save(buffer, "PNG")
    elif mode == "I;16":
        Image.fromarray(np.uint16(np.round(page * 65535))).save(buffer, "PNG")  # 16-bit grey
    elif mode == "JPEG":
        Image.fromarray(grey8, "L").convert("RGB").save(buffer, "JPEG", quality=int(rng.integers(60, 90)))
    else:
        raise ValueError(mode)
    return buffer.getvalue(), ".jpg" if mode == "JPEG" else ".png"


MODES = ("RGB", "RGBA", "L", "1", "I;16", "JPEG")


def make_scans(count, length, seed, folder):
    """Write ``count`` scans of ``length``-digit numbers into ``folder``; return [(path, text)].

    Digits are drawn from the MNIST test set without replacement; modes and polarity (light
    ink on dark for a quarter, except RGBA which is always on white) cycle through the cases.
    """
    return _make(count, [length], seed, folder, "scan", lambda rng: {})


def make_touching(count, length, seed, folder, placed=None):
    """Write ``count`` scans of ``length``-digit numbers in which 1-2 neighbouring pairs touch.

    As :func:`make_scans` (modes cycle, a quarter light on dark); returns [(path, text)].  A list
    given as ``placed`` receives, per scan, (alpha's shape, its digits' placings) for
    :func:`digit_layers`.
    """
    def touching(rng):
        return {"touching": touching_neighbours(length, rng)}
    return _make(count, [length], seed, folder, "touch", touching, placed)


def make_lines(count, seed, folder):
    """Write ``count`` scans of one line holding two or three numbers of 1-5 digits each.

    Returns [(path, text)] with the numbers separated by one space, as the command prints them.
    """
    def lengths(rng):
        return rng.integers(1, 6, size=int(rng.integers(2, 4))).tolist()
    return _make(count, lengths, seed, folder, "line", lambda rng: {})


def make_photos(count, length, seed, folder, frame=(4000, 3000)):
    """Write ``count`` JPEG photos of a page on a desk, each page holding a ``length``-digit number.

    See :func:`photograph`; returns [(path, text)].
    """
    images, labels = mnist_test_digits()
    rng = np.random.default_rng(seed)
    order = rng.permutation(len(images))
    folder.mkdir(parents=True, exist_ok=True)
    made = []
    for i in range(count):
        chosen = order[(i * length) % len(order):][:length]
        page, alpha = write_number(images[chosen], rng)
        path = folder / f"photo{i:04d}.jpg"
        Image.fromarray(photograph(page, alpha, rng, frame)).save(path, quality=int(rng.integers(75, 93)))
        made.append((path, "".join(str(d) for d in labels[chosen])))
    return made


def _make(count, lengths, seed, folder, stem, options, placed=None):
    """Write scans of numbers (digit counts ``lengths``: a list, or a function of the generator).

    ``options(rng)`` gives extra keyword arguments for :func:`write_number`; returns [(path, text)].
    ``placed``, if a list, receives (alpha's shape, placings) per scan (see :func:`write_number`).
    """
    images, labels = mnist_test_digits()
    rng = np.random.default_rng(seed)
    order = rng.permutation(len(images))
    folder.mkdir(parents=True, exist_ok=True)
    made, used = [], 0
    for i in range(count):
        sizes = lengths(rng) if callable(lengths) else lengths
        chosen = order[np.arange(used, used + sum(sizes)) % len(order)]
        used += sum(sizes)
        mode = MODES[i % len(MODES)]
        light_on_dark = mode != "RGBA" and i % 4 == 3
        breaks = set(np.cumsum(sizes)[:-1].tolist())
        placings = []
        page, alpha = write_number(images[chosen], rng, light_on_dark, breaks=breaks, placed=placings,
                                   **options(rng))
        if placed is not None:
            placed.append((alpha.shape, placings))
        data, ext = as_file(page, alpha, mode, rng)
        path = folder / f"{stem}{i:04d}{ext}"
        path.write_bytes(data)
        text = "".join(str(d) for d in labels[chosen])
        for end in sorted(breaks, reverse=True):
            text = text[:end] + " " + text[end:]
        made.append((path, text))
    return made


# Printed paper: what people write numbers on.  Lines are 1-3 px wide at the scan's scale and
# 0.45-0.8 of the paper's brightness: grey, or in colour pages light blue (a ruled page's margin
# red), as bright to the eye as the grey.  Colour pages are written half the time in blue-black ink.
PAPERS = ("ruled", "squared", "comb", "boxes")
LUMINANCE = np.array([0.299, 0.587, 0.114])
LIGHT_BLUE = np.array([0.62, 0.84, 1.0]) / (LUMINANCE @ [0.62, 0.84, 1.0])
MARGIN_RED = np.array([1.0, 0.45, 0.5]) / (LUMINANCE @ [1.0, 0.45, 0.5])
BLUE_BLACK = np.array([0.8, 0.85, 1.5])


def _bars(centres, width, size):
    """Return a (size,) coverage profile of bars ``width`` px wide at ``centres``, antialiased."""
    grid = np.arange(size, dtype=np.float32)[:, None]
    centres = np.asarray(centres, np.float32)[None, :]
    if centres.size == 0:
        return np.zeros(size, np.float32)
    return np.clip(width / 2 + 0.5 - np.abs(grid - centres), 0, 1).max(axis=1)


def printed_lines(kind, boxes, digit_height, rng, coloured=False):
    """Return a function drawing ``kind`` of printed paper for digits at ``boxes`` (their (left,
    top, right, bottom) in the written number's coordinates), as :func:`photograph` takes it:
    ``draw(shape, factor, (top, left))`` -> (coverage of the lines, their level).

    ruled: rules 1.0-1.5 digit heights apart, one under the digits (at their feet) or through
    them, and a margin line at the left; squared: a grid of half the digits' height; comb: a
    comb field, one box per digit, its top and bottom lines and a separator between every two
    digits; boxes: a separate square around each digit, now and then touching it.  With
    ``coloured`` the level is per channel: light blue, a ruled page's margin red.
    """
    boxes = np.asarray(boxes, np.float32)
    width = rng.uniform(1, 3)
    level = rng.uniform(0.45, 0.8)
    spacing = digit_height * rng.uniform(1.0, 1.5)
    feet = np.median(boxes[:, 3])
    anchor = feet + digit_height * (rng.uniform(-0.05, 0.1) if rng.random() < 0.6 else rng.uniform(-0.7, -0.3))
    cell = digit_height / 2
    phase = rng.uniform(0, cell)
    pad = digit_height * rng.uniform(0.08, 0.3)
    margin_x = rng.uniform(0.2, 0.6)  # where the margin line stands, as a share of the margin left of the number
    touch = rng.random(len(boxes)) < 0.2  # boxes: which digits touch their box

    def draw(shape, factor=1.0, offset=(0, 0)):
        height, wide = shape
        top, left = offset
        line = max(1.0, width * factor)
        to_y = lambda v: top + v * factor  # noqa: E731  (the number's coordinates -> the sheet's)
        to_x = lambda v: left + v * factor  # noqa: E731
        if kind == "ruled":
            start = to_y(anchor) % (spacing * factor)
            rows = _bars(np.arange(start, height, spacing * factor), line, height)
            columns = _bars([to_x(boxes[:, 0].min()) * margin_x], line, wide)
            coverage = np.maximum(rows[:, None], columns[None, :])
            if coloured:
                margin = columns[None, :, None] > rows[:, None, None]
                return coverage, np.clip(level * np.where(margin, MARGIN_RED, LIGHT_BLUE), 0, 1)
            return coverage, level
        if kind == "squared":
            step = cell * factor
            rows = _bars(np.arange(to_y(phase) % step, height, step), line, height)
            columns = _bars(np.arange(to_x(phase) % step, wide, step), line, wide)
            return np.maximum(rows[:, None], columns[None, :]), colour(level)
        coverage = np.zeros(shape, np.float32)
        if kind == "comb":
            edges = np.r_[boxes[0, 0] - pad, (boxes[1:, 0] + boxes[:-1, 2]) / 2, boxes[-1, 2] + pad]
            upper, lower = boxes[:, 1].min() - pad, boxes[:, 3].max() + pad
            rectangles = [(edges[0], upper, edges[-1], lower)]
            separators = edges
        else:
            # Each box apart from its neighbours' (a form's boxes do not overlap).
            gaps = np.r_[np.inf, boxes[1:, 0] - boxes[:-1, 2], np.inf]
            left_pad = np.minimum(pad, gaps[:-1] / 2 - width)
            right_pad = np.minimum(pad, gaps[1:] / 2 - width)
            rectangles = [(b[0] - (0 if t else max(lp, 0)), b[1] - pad, b[2] + (0 if t else max(rp, 0)), b[3] + pad)
                          for b, t, lp, rp in zip(boxes, touch, left_pad, right_pad)]
            separators = []
        for x0, y0, x1, y1 in rectangles:
            r0, r1 = int(max(0, to_y(y0) - line)), int(min(height, to_y(y1) + line + 1))
            c0, c1 = int(max(0, to_x(x0) - line)), int(min(wide, to_x(x1) + line + 1))
            rows = _bars([to_y(y0) - r0, to_y(y1) - r0], line, r1 - r0)
            columns = _bars([to_x(x0) - c0, to_x(x1) - c0], line, c1 - c0)
            inside_rows = _bars([(to_y(y0) + to_y(y1)) / 2 - r0], to_y(y1) - to_y(y0) + line, r1 - r0)
            inside_columns = _bars([(to_x(x0) + to_x(x1)) / 2 - c0], to_x(x1) - to_x(x0) + line, c1 - c0)
            frame = np.maximum(rows[:, None] * inside_columns[None, :], columns[None, :] * inside_rows[:, None])
            window = coverage[r0:r1, c0:c1]
            np.maximum(window, frame, out=window)
            for x in separators[1:-1]:
                c = int(round(to_x(x)))
                if 0 <= c < wide:
                    band = _bars([to_x(x) - c0], line, c1 - c0)
                    np.maximum(window, band[None, :] * inside_rows[:, None], out=window)
        return coverage, colour(level)

    def colour(level):
        """The lines' level: grey, or per channel light blue as bright to the eye."""
        return np.clip(level * LIGHT_BLUE, 0, 1) if coloured else level

    return draw


def make_paper(count, kind, seed, folder, length=4, photo=False):
    """Write ``count`` scans (or, with ``photo``, JPEG photos on a desk) of ``length``-digit numbers
    written on ``kind`` of printed paper (:data:`PAPERS`, :func:`printed_lines`); return [(path, text)].

    Scans are grey or RGB PNGs, dark ink on light paper; the digits are placed as
    :func:`write_number` places them, and for comb fields and boxes a little further apart so
    that each has a box of its own.  Half the RGB scans and photos are in colour
    (:data:`LIGHT_BLUE` lines, half of those in :data:`BLUE_BLACK` ink), chosen by a generator
    of their own so the pages' geometry is the same as in grey.
    """
    images, labels = mnist_test_digits()
    rng = np.random.default_rng([seed, PAPERS.index(kind)])
    tints = np.random.default_rng([seed, PAPERS.index(kind), 1])
    order = rng.permutation(len(images))
    folder.mkdir(parents=True, exist_ok=True)
    made = []
    for i in range(count):
        chosen = order[(i * length) % len(order):][:length]
        placed = []
        page, alpha = write_number(images[chosen], rng, placed=placed)
        boxes = [(x, y, x + piece.shape[1], y + piece.shape[0]) for piece, x, y in placed]
        digit_height = float(np.median([b[3] - b[1] for b in boxes]))
        mode = "RGB" if photo else ("L", "RGB", "JPEG")[i % 3]
        coloured, blue_black = tints.random(2) < 0.5
        coloured = coloured and mode == "RGB"
        draw = printed_lines(kind, boxes, digit_height, rng, coloured)
        ink_tint = BLUE_BLACK if coloured and blue_black else None
        text = "".join(str(d) for d in labels[chosen])
        if photo:
            path = folder / f"{kind}{i:04d}.jpg"
            picture = photograph(page, alpha, rng, printed=draw, ink_tint=ink_tint)
            Image.fromarray(picture).save(path, quality=int(rng.integers(75, 93)))
        else:
            page = page[..., None] * print_reflectance(*draw(alpha.shape))
            if ink_tint is not None:  # the ink's darkness, lifted in blue
                page = np.minimum(page * (1 + alpha[..., None] * (ink_tint - 1)), 1)
            data, ext = as_file(page if coloured else page[..., 0], alpha, mode, rng)
            path = folder / f"{kind}{i:04d}{ext}"
            path.write_bytes(data)
        made.append((path, text))
    return made
