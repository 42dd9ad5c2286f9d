"""Numbers written on printed paper (issue 24): ruled and squared paper, comb fields, boxes, scanned and photographed.

Made by ``tests/scans.py`` (:func:`scans.make_paper`) from MNIST test digits, each kind from its
own seed, read exactly as the scan command reads them; compared in the same run with flat scans
of the same digits on plain paper (``scans.make_scans``).  ``dev`` seeds are for looking at while
working; ``final`` seeds are read once, for the record.

Usage: python bench/bench_paper.py [--part dev|final] [--count N] [--photos N] [--show N]
"""

import argparse
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import bench_scans  # noqa: E402  (puts the project and tests/ on sys.path)
import scans  # noqa: E402
import thetas  # noqa: E402

SEEDS = {"dev": 3000, "final": 4000}


def main():
    """Make the sets, read them, print the table."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--part", choices=sorted(SEEDS), default="dev",
                        help="which seeds: dev (to work with; default) or final")
    parser.add_argument("--count", type=int, default=100, help="scans of each kind (default 100)")
    parser.add_argument("--photos", type=int, default=20, help="photos of each kind (default 20)")
    parser.add_argument("--weights", default=str(thetas.PRETRAINED_DIR), metavar="DIR",
                        help="the model (default: the shipped one)")
    parser.add_argument("--show", type=int, default=0, metavar="N", help="print up to N misreads per set")
    args = parser.parse_args()
    network = thetas.load_network(args.weights)
    seed = SEEDS[args.part]
    rows = []
    with tempfile.TemporaryDirectory() as folder:
        folder = Path(folder)
        flat = bench_scans.exact(scans.make_scans(args.count, 4, seed, folder / "flat"), network, args.show)
        rows.append(("plain paper (the baseline)", flat, None))
        for kind in scans.PAPERS:
            made = scans.make_paper(args.count, kind, seed, folder / kind)
            photos = scans.make_paper(args.photos, kind, seed, folder / f"{kind}-photo", photo=True)
            rows.append((kind, bench_scans.exact(made, network, args.show), bench_scans.exact(photos, network)))
            print(f"  read {kind}", file=sys.stderr, flush=True)
    print(f"\npart: {args.part} (seed {seed}); 4-digit numbers, read exactly\n")
    print(f"| paper | scans ({args.count}) | / plain | photos on a desk ({args.photos}) | / plain |")
    print("| --- | --- | --- | --- | --- |")
    for name, scanned, photographed in rows:
        if photographed is None:
            print(f"| {name} | {100 * scanned:.2f} % | 1.00 | | |")
        else:
            print(f"| {name} | {100 * scanned:.2f} % | {scanned / flat:.2f} | {100 * photographed:.2f} % | "
                  f"{photographed / flat:.2f} |")


if __name__ == "__main__":
    main()
