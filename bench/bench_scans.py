"""Issue 10's targets: scans as people make them, read by the scan command's pipeline.

Sets, made by ``tests/scans.py`` from MNIST test digits (never trained on), each from its own
seed; ``dev`` seeds are the ones to look at while working, ``final`` seeds are read once at the
end (the README's figures):
- flat: today's test, 300 four-digit numbers scanned flat (the same seed as the test);
- photo: 4-digit numbers on a sheet photographed on a desk (4000x3000 JPEG, tilt, light
  falling off, a soft shadow);
- touching: 4-digit numbers in which one or two neighbouring pairs touch or overlap;
- lines: one line holding two or three numbers of 1-5 digits, with wide gaps between them;
- with ``--part dev`` only, fresh flat scans from a seed of their own: the tests' flat set has
  been looked at through many changes, so it no longer tells a change's effect on its own;
- speed: one 12-megapixel photo, the whole command (``python recognise.py photo.jpg``, Python's
  start and the weights included) and ``segment.read_digits`` alone, median of repeats.

A number counts as read when the command's text for the image is exactly the expected one
(numbers separated by one space; one line of text).

Usage: python bench/bench_scans.py [--part dev|final] [--photos N] [--count N] [--repeats N]
"""

import argparse
import subprocess
import sys
import tempfile
from pathlib import Path

PROJECT_DIR = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(PROJECT_DIR), str(PROJECT_DIR / "tests")]

import scans  # noqa: E402
from bench_train import median_time  # noqa: E402
from scan import segment  # noqa: E402
import thetas  # noqa: E402

SEEDS = {"dev": 1000, "final": 2000}
FLAT_SEED = 4  # tests/test_recognise.py's four-digit numbers


def read_text(path, network):
    """Return the text the scan command prints for one image, its lines joined by ' / '."""
    return " / ".join(segment.read_page(path, network).texts())


def exact(made, network, show=0):
    """Return the fraction of [(path, text)] read exactly; print up to ``show`` misreads."""
    right = 0
    for path, text in made:
        got = read_text(path, network)
        right += got == text
        if got != text and show > 0:
            show -= 1
            print(f"    {path.name}: expected {text!r}, read {got!r}", file=sys.stderr)
    return right / len(made)


def main():
    """Make the sets, read them, print the table."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--part", choices=sorted(SEEDS), default="final",
                        help="which seeds: dev (to work with) or final (the README's figures; default)")
    parser.add_argument("--photos", type=int, default=100, help="photos of pages (default 100)")
    parser.add_argument("--count", type=int, default=300, help="touching numbers and lines (default 300 each)")
    parser.add_argument("--repeats", type=int, default=5, help="timed runs of the 12 MP photo (default 5)")
    parser.add_argument("--weights", default=str(thetas.PRETRAINED_DIR), metavar="DIR",
                        help="the model (default: the shipped one)")
    parser.add_argument("--show", type=int, default=0, metavar="N", help="print up to N misreads per set")
    args = parser.parse_args()
    network = thetas.load_network(args.weights)
    seed = SEEDS[args.part]
    rows = []
    with tempfile.TemporaryDirectory() as folder:
        folder = Path(folder)
        print("making and reading the sets...", file=sys.stderr, flush=True)
        flat_figure = exact(scans.make_scans(300, 4, FLAT_SEED, folder / "flat"), network, args.show)
        rows.append(("flat 4-digit scans, exact (today's test, 300)", flat_figure, "not lower than before"))
        photos = scans.make_photos(args.photos, 4, seed, folder / "photo")
        figure = exact(photos, network, args.show)
        rows.append((f"4-digit numbers, page photographed on a desk ({args.photos}), exact", figure,
                     f">= 95 % of flat = {0.95 * flat_figure:.2%} "
                     + ("met" if figure >= 0.95 * flat_figure else "MISSED")))
        figure = exact(scans.make_touching(args.count, 4, seed + 1, folder / "touch"), network, args.show)
        rows.append((f"4-digit numbers, a pair or two touching ({args.count}), exact", figure,
                     ">= 90 % " + ("met" if figure >= 0.9 else "MISSED")))
        figure = exact(scans.make_lines(args.count, seed + 2, folder / "lines"), network, args.show)
        rows.append((f"lines of 2-3 numbers ({args.count}), all numbers exact and separated", figure,
                     ">= 90 % " + ("met" if figure >= 0.9 else "MISSED")))
        if args.part == "dev":  # the tests' flat set has been looked at for long: a fresh one too
            figure = exact(scans.make_scans(args.count, 4, seed + 3, folder / "fresh"), network, args.show)
            rows.append((f"flat 4-digit scans, fresh dev seed ({args.count}), exact", figure, "(dev only)"))
        photo = photos[0][0]
        command = [sys.executable, str(PROJECT_DIR / "recognise.py"), "--weights", args.weights, str(photo)]
        whole = median_time(lambda: subprocess.run(command, check=True, capture_output=True), args.repeats)
        inside = median_time(lambda: segment.read_digits(photo, network), args.repeats)
        imports = [sys.executable, "-c", "import numpy, scipy.ndimage, PIL.Image"]
        python_only = median_time(lambda: subprocess.run(imports, check=True), args.repeats)
    seeds = ", ".join(str(seed + k) for k in range(4 if args.part == "dev" else 3))
    print(f"\npart: {args.part} (seeds {seeds})\n")
    print("| measure | figure | target |\n| --- | --- | --- |")
    for name, figure, target in rows:
        print(f"| {name} | {figure:.2%} | {target} |")
    print(f"| 12 MP JPEG photo, whole command (median of {args.repeats}) | {whole:.2f} s | < 1 s "
          + ("met" if whole < 1 else "MISSED") + " |")
    print(f"| ... of which `segment.read_digits` | {inside:.2f} s | |")
    print(f"| ... Python starting and importing numpy, scipy, Pillow | {python_only:.2f} s | |")


if __name__ == "__main__":
    main()
