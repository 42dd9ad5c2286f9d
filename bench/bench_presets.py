"""What each choice of the best preset gains: test accuracy and time, the article's preset first.

Runs ``python main.py`` once per row (seed 0, full data) and prints a table with each row's
test accuracy and wall time, and its time relative to the article's settings measured in the
same run.  Takes about 15 minutes on 2 cores.

Usage: python bench/bench_presets.py
"""

import argparse
import re
import subprocess
import sys
import tempfile
import time
from pathlib import Path

PROJECT_DIR = Path(__file__).resolve().parent.parent

ROWS = [
    ("article: lambda 0.1, 100 iterations", []),
    ("+ deskew", ["--deskew"]),
    ("+ deskew, recentred", ["--deskew", "--recentre"]),
    ("+ lambda 3, 800 iterations", ["--preset", "best", "--augment", "0", "--pairs", "0", "--pieces", "0"]),
    ("+ 8 rounds of fresh distortions", ["--preset", "best", "--pairs", "0", "--pieces", "0"]),
    ("best: + touching pairs and pieces cut from them", ["--preset", "best"]),
]


def run(options, out_dir):
    """Run main.py with ``options``; return (test accuracy %, wall seconds)."""
    start = time.perf_counter()
    result = subprocess.run([sys.executable, str(PROJECT_DIR / "main.py"), "--out", out_dir, *options],
                            capture_output=True, text=True)
    seconds = time.perf_counter() - start
    if result.returncode != 0:
        sys.exit(f"main.py {' '.join(options)} failed:\n{result.stderr}")
    return float(re.search(r"Test set accuracy: ([\d.]+) %", result.stdout).group(1)), seconds


def main():
    """Print the table."""
    argparse.ArgumentParser(description=__doc__.splitlines()[0]).parse_args()  # for --help
    print(f"{'setting':<44}{'test acc':>10}{'wall s':>9}{'time / article':>16}")
    baseline = None
    for name, options in ROWS:
        with tempfile.TemporaryDirectory() as out_dir:
            accuracy, seconds = run(options, out_dir)
        baseline = baseline or seconds
        print(f"{name:<44}{accuracy:>9.2f}%{seconds:>9.1f}{seconds / baseline:>16.2f}", flush=True)


if __name__ == "__main__":
    main()
