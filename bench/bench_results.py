"""The README's results table, from one command: the shipped model on MNIST and on every set not made from it.

Reads, with one model (default: the shipped one): MNIST's test set as ``main.py`` scores it;
the final halves of ``bench/realworld.py``'s sets (real writers, drawn digits, thin and thick
pens); and the final seeds of ``bench/bench_scans.py``'s scans (flat, photographed on a desk,
touching, lines of numbers) and of ``bench/bench_paper.py``'s numbers on printed paper (ruled,
squared, comb fields, boxes; scanned and photographed), each read exactly as the scan command
reads it; then times the whole scan command on one 12-megapixel photo; then the real pages of
``bench/bench_real_pages.py`` when ``../shared/real-dev`` is here.  Nothing is trained.
About nine minutes on 2 cores.

Usage: python bench/bench_results.py [--weights DIR] [--photos N] [--count N] [--paper N]
Needs scikit-learn for the real writers' digits (bench/requirements.txt).
"""

import argparse
import os
import subprocess
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import bench_paper  # noqa: E402
import bench_real_pages  # noqa: E402
import bench_realworld  # noqa: E402  (puts the project on sys.path)
import bench_scans  # noqa: E402
import realworld  # noqa: E402
import scans  # noqa: E402
import thetas  # noqa: E402
from bench_train import median_time  # noqa: E402


def main():
    """Read every set and print the table."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--weights", default=str(thetas.PRETRAINED_DIR), metavar="DIR",
                        help="the model (default: the shipped one)")
    parser.add_argument("--photos", type=int, default=100, help="photos of pages (default 100)")
    parser.add_argument("--count", type=int, default=300, help="touching numbers and lines (default 300 each)")
    parser.add_argument("--paper", type=int, default=100,
                        help="scans of each kind of printed paper, a fifth as many photos (default 100)")
    args = parser.parse_args()
    network = thetas.load_network(args.weights)
    rows = [("MNIST test set", 10000, bench_realworld.mnist_test_accuracy(network))]
    for name, make in bench_realworld.SETS.items():
        samples = make()
        chosen = realworld.split(len(samples), seed=0)["final"]
        samples = [samples[i] for i in chosen]
        rows.append((name, len(samples), realworld.accuracy(network, *realworld.read_set(samples, network))))
        print(f"  read {name}", file=sys.stderr, flush=True)
    seed = bench_scans.SEEDS["final"]
    with tempfile.TemporaryDirectory() as folder:
        folder = Path(folder)
        made = {
            "flat scans of 4-digit numbers, exact": scans.make_scans(300, 4, bench_scans.FLAT_SEED, folder / "flat"),
            "4-digit numbers on a page photographed on a desk, exact":
                scans.make_photos(args.photos, 4, seed, folder / "photo"),
            "4-digit numbers with 1-2 touching pairs, exact": scans.make_touching(args.count, 4, seed + 1,
                                                                                 folder / "touch"),
            "lines of 2-3 numbers, every number exact": scans.make_lines(args.count, seed + 2, folder / "lines"),
        }
        for name, sets in made.items():
            rows.append((name, len(sets), bench_scans.exact(sets, network)))
            print(f"  read {name}", file=sys.stderr, flush=True)
        rows = [(name, f"{size:,}", f"{100 * figure:.2f} %") for name, size, figure in rows]
        paper_seed = bench_paper.SEEDS["final"]
        for kind in scans.PAPERS:  # one row each: scans, then the same pages photographed
            sets = [scans.make_paper(count, kind, paper_seed, folder / f"{kind}{photo}", photo=photo)
                    for count, photo in ((args.paper, False), (args.paper // 5, True))]
            figures = [bench_scans.exact(made_sets, network) for made_sets in sets]
            rows.append((f"4-digit numbers on {kind} paper, exact: scans / photos",
                         f"{len(sets[0])} / {len(sets[1])}", f"{100 * figures[0]:.2f} / {100 * figures[1]:.2f} %"))
            print(f"  read {kind} paper", file=sys.stderr, flush=True)
        photo = made["4-digit numbers on a page photographed on a desk, exact"][0][0]
        command = [sys.executable, str(bench_scans.PROJECT_DIR / "recognise.py"), "--weights", args.weights,
                   "--personal", os.devnull, str(photo)]
        whole = median_time(lambda: subprocess.run(command, check=True, capture_output=True), 5)
    print(f"\nmodel: {thetas.describe(network)}\n")
    print("| set (never trained on; final halves and seeds) | size | read right |\n| --- | --- | --- |")
    for name, size, figure in rows:
        print(f"| {name} | {size} | {figure} |")
    print(f"| `recognise.py` on a 12-megapixel JPEG photo, whole command (median of 5) | 1 | {whole:.2f} s |")
    pages = bench_real_pages.measure(args.weights)
    if pages is None:
        print(f"| real pages: skipped, {bench_real_pages.REAL_DEV} is absent | | |")
        return
    for kind, (n, exact, _, digits, errors, none) in pages.items():
        if kind == "letters":
            print(f"| real pages of words only (real-dev): print no digit | {n} | {none} |")
        elif n:
            right = f", digits right {100 * (digits - errors) / digits:.1f} %" if digits else ""
            print(f"| real pages, {kind} (real-dev): exact{right} | {n} | {exact} ({100 * exact / n:.1f} %) |")


if __name__ == "__main__":
    main()
