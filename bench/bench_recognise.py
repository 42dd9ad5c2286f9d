"""Time the scan command on large photos, against simply decoding the same file with Pillow.

Makes a 4-digit number from MNIST test digits (the tests' scan maker), enlarges it to a
4000x3000 photo saved as JPEG and PNG, and prints, per file, the median time of
``segment.read_digits`` (open, find, preprocess, predict) next to the median time of
``Image.open(f).convert("L")`` at full size, and their ratio.

Usage: python bench/bench_recognise.py [--repeats N]
"""

import argparse
import statistics
import sys
import tempfile
import time
from pathlib import Path

import numpy as np
from PIL import Image

PROJECT_DIR = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(PROJECT_DIR), str(PROJECT_DIR / "tests")]

from scan import segment  # noqa: E402
import scans  # noqa: E402
from thetas import PRETRAINED_DIR, load_network  # noqa: E402


def median_time(function, repeats):
    """Median wall time of ``repeats`` calls after a warm-up; also returns the last result."""
    result = function()
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        result = function()
        times.append(time.perf_counter() - start)
    return statistics.median(times), result


def main():
    """Print the table."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=5, help="timed repeats (default 5)")
    args = parser.parse_args()
    network = load_network(PRETRAINED_DIR)
    with tempfile.TemporaryDirectory() as folder:
        folder = Path(folder)
        path, text = scans.make_scans(1, 4, seed=6, folder=folder)[0]
        number = Image.open(path).convert("RGB").resize((4000, 3000), Image.Resampling.BICUBIC)
        print(f"{'file':<22}{'recognise s':>12}{'decode only s':>15}{'ratio':>8}  read (expected {text})")
        for name, options in (("photo.jpg", {"quality": 90}), ("photo.png", {})):
            photo = folder / name
            number.save(photo, **options)
            t_read, (digits, probabilities) = median_time(lambda: segment.read_digits(photo, network), args.repeats)
            t_decode, _ = median_time(lambda: Image.open(photo).convert("L"), args.repeats)
            read = "".join(str(d) for d in probabilities.argmax(axis=1))
            print(f"{name + ' 4000x3000':<22}{t_read:>12.3f}{t_decode:>15.3f}{t_read / t_decode:>8.2f}  {read}")
        # The worst case for segmentation: 10,000 separate dots, each a candidate part.
        dots = folder / "dots.png"
        Image.fromarray(texture()).save(dots)
        t_read, (digits, _) = median_time(lambda: segment.read_digits(dots, network), args.repeats)
        t_decode, _ = median_time(lambda: Image.open(dots).convert("L"), args.repeats)
        print(f"{'dots.png 1200x1200':<22}{t_read:>12.3f}{t_decode:>15.3f}{t_read / t_decode:>8.2f}  "
              f"({len(digits)} 'digits' from 10,000 dots)")


def texture():
    """Return a 1200x1200 uint8 image of 100 x 100 white 6x6 dots on black."""
    rows, cols = np.mgrid[:1200, :1200]
    return np.uint8(((rows // 6) % 2 == 0) & ((cols // 6) % 2 == 0)) * 255


if __name__ == "__main__":
    main()
