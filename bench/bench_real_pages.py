"""Real pages: how the scan command reads photos and scans that people took of their own handwriting.

Reads the real-handwriting development set the team is given (``../shared/real-dev/``: 55 images
from public projects, with ``labels.csv`` and ``score.py``) through the scan command, as
``score.py`` does, and prints a row per kind (photo, scan, canvas, form, mixed, letters) and the
totals: images read exactly, exactly but for the grouping, digits right (1 - edit distance /
digits expected), and for pages of words the ones that print no digit.  The images stay where
they are (their licences are unknown): without ``../shared/real-dev`` this says so and skips.
About 45 seconds on 2 cores.

Usage: python bench/bench_real_pages.py [--weights DIR] [--verbose]
"""

import argparse
import csv
import importlib.util
import sys
from pathlib import Path

PROJECT_DIR = Path(__file__).resolve().parent.parent
REAL_DEV = PROJECT_DIR.parent / "shared" / "real-dev"


def scorer():
    """Return the set's own ``score.py`` as a module, or None when the set is absent."""
    path = REAL_DEV / "score.py"
    if not path.is_file():
        return None
    spec = importlib.util.spec_from_file_location("real_dev_score", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def measure(weights=None, verbose=False):
    """Read the set; return {kind: (images, exact, ungrouped, digits, digit errors, no digit)} with
    "all", or None when the set is absent.  ``verbose`` prints each image's expected and read text."""
    score = scorer()
    if score is None:
        return None
    rows = list(csv.DictReader(open(REAL_DEV / "labels.csv", newline="")))
    read = score.read_all(str(PROJECT_DIR / "recognise.py"), weights, [REAL_DEV / r["file"] for r in rows])
    totals = {kind: [0] * 6 for kind in score.KINDS + ["all"]}
    for row in rows:
        got = read.get(row["file"], "")
        exact, ungrouped, n, errors = score.score(row, got)
        for kind in (row["kind"], "all"):
            t = totals[kind]
            for k, value in enumerate((1, exact, ungrouped, n, errors if n else 0,
                                       not any(c.isdigit() for c in got))):
                t[k] += value
        if verbose:
            print(f"{'ok' if exact else '~ ' if ungrouped else '--'} {row['file']} {row['kind']:<7} "
                  f"expected: {row['expected'] or '(none)'}   read: {got or '(none)'}")
    return totals


def table(totals):
    """Return the markdown table of :func:`measure`'s totals."""
    out = ["| real pages (../shared/real-dev) | images | exact | exact but grouping | digits right | print no digit |",
           "| --- | --- | --- | --- | --- | --- |"]
    for kind, (n, exact, ungrouped, digits, errors, none) in totals.items():
        if not n:
            continue
        right = f"{100 * (digits - errors) / digits:.1f} %" if digits else "-"
        out.append(f"| {kind} | {n} | {exact}/{n} ({100 * exact / n:.1f} %) | {ungrouped}/{n} | {right} | "
                   f"{f'{none}/{n}' if kind == 'letters' else '-'} |")
    return "\n".join(out)


def main():
    """Print the table, or say why not."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--weights", metavar="DIR", help="the model (default: the one the tools use)")
    parser.add_argument("--verbose", action="store_true", help="also list every image, expected and read")
    args = parser.parse_args()
    totals = measure(args.weights, args.verbose)
    if totals is None:
        print(f"skipped: the real pages are not here ({REAL_DEV} is absent)")
        return 0
    print(table(totals))
    return 0


if __name__ == "__main__":
    sys.exit(main())
