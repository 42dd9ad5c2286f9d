"""Make test scans: MNIST test digits written as numbers on paper, photographed or scanned.

Used by the scan command's tests; each scan is built from a seeded generator, so a failing
case can be made again.
"""

import io

import numpy as np
from PIL import Image

import mnist

_TEST = None


def mnist_test_digits():
    """Return (images n x 28 x 28 uint8, labels) of the MNIST test set, loaded once."""
    global _TEST
    if _TEST is None:
        data = mnist.load(mnist.BUNDLED_DIR)
        _TEST = data.X[data.n_train:].reshape(-1, 28, 28), data.y[data.n_train:]
    return _TEST


def write_number(digits, rng, light_on_dark=False):
    """Return a float image in [0, 1] (1 = white) of the square uint8 ``digits`` written side by side.

    Each digit is taken as MNIST frames them (28x28, or any square size with the digit in the
    same proportion of its frame).  Random frame height (40-110 px), small rotation (up to 6
    degrees), spacing, baseline jitter, paper shade, lighting gradient, noise and ink darkness.
    """
    height = int(rng.integers(40, 111))
    pieces = []
    for digit in digits:
        image = Image.fromarray(digit).rotate(rng.uniform(-6, 6), Image.Resampling.BICUBIC, expand=True)
        side = round(image.size[0] * height / digit.shape[1])
        image = np.asarray(image.resize((side, side), Image.Resampling.BICUBIC), np.float32) / 255
        rows = np.flatnonzero(image.max(axis=1) > 0.1)
        cols = np.flatnonzero(image.max(axis=0) > 0.1)
        pieces.append(np.clip(image[rows[0]:rows[-1] + 1, cols[0]:cols[-1] + 1], 0, 1))
    margin = int(height * rng.uniform(0.4, 1.0))
    gaps = [int(height * rng.uniform(0.15, 0.45)) for _ in pieces]
    width = 2 * margin + sum(p.shape[1] for p in pieces) + sum(gaps[:-1])
    tallest = max(p.shape[0] for p in pieces)
    alpha = np.zeros((tallest + 2 * margin + height // 5, width), np.float32)
    x = margin
    for piece, gap in zip(pieces, gaps):
        y = margin + int(rng.integers(0, height // 5 + 1)) + (tallest - piece.shape[0]) // 2
        alpha[y:y + piece.shape[0], x:x + piece.shape[1]] = np.maximum(
            alpha[y:y + piece.shape[0], x:x + piece.shape[1]], piece)
        x += piece.shape[1] + gap
    paper = rng.uniform(0.75, 0.97) + np.linspace(0, rng.uniform(-0.08, 0.08), width)[None, :]
    paper = paper + rng.normal(0, rng.uniform(0.01, 0.04), alpha.shape)
    ink = rng.uniform(0.02, 0.3)
    page = np.clip(paper * (1 - alpha) + ink * alpha, 0, 1).astype(np.float32)
    return (1 - page if light_on_dark else page), alpha


def as_file(page, alpha, mode, rng):
    """Encode a page as image file bytes in ``mode``: RGB, RGBA, L, 1, I;16 or JPEG; return (bytes, ext)."""
    grey8 = np.uint8(np.round(page * 255))
    buffer = io.BytesIO()
    if mode == "RGB":
        tint = np.array([1.0, rng.uniform(0.93, 1.0), rng.uniform(0.85, 1.0)])
        rgb = np.uint8(np.clip(page[..., None] * tint * 255, 0, 255))
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
    images, labels = mnist_test_digits()
    rng = np.random.default_rng(seed)
    order = rng.permutation(len(images))
    folder.mkdir(parents=True, exist_ok=True)
    made = []
    for i in range(count):
        chosen = order[(i * length) % len(order):][:length]
        mode = MODES[i % len(MODES)]
        light_on_dark = mode != "RGBA" and i % 4 == 3
        page, alpha = write_number(images[chosen], rng, light_on_dark)
        data, ext = as_file(page, alpha, mode, rng)
        path = folder / f"scan{i:04d}{ext}"
        path.write_bytes(data)
        made.append((path, "".join(str(d) for d in labels[chosen])))
    return made
