"""Reading a folder of photos: how much faster on every core, the same output, memory that does not grow.

Writes 200 photos of 4-digit numbers on a page on a desk (``tests/scans.py``'s generator; half
12 MP, half 2 MP, JPEG) into a folder and reads it with the scan command twice in the same run,
``--jobs 1`` and the default (every core), comparing the outputs byte for byte (text and CSV)
and the wall times.  Then the peak memory of a 100-file and a 1,000-file run (the same photos,
both sizes, under other names: hard links): the whole process tree's resident memory, and the
sum of each process's own peak (what the workers' single-file peaks add up to), sampled every
0.1 s.
About eight minutes on 2 cores.

Usage: python bench/bench_folder.py [--photos N] [--keep DIR]
"""

import argparse
import os
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

PROJECT_DIR = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(PROJECT_DIR), str(PROJECT_DIR / "tests")]

import scans  # noqa: E402
from scan import batch  # noqa: E402

SEED = 3000
PAGE = os.sysconf("SC_PAGE_SIZE")
FRAMES = {"12 MP": (4000, 3000), "2 MP": (1600, 1200)}


def make_folder(folder, count):
    """Write ``count`` photos into ``folder``, half at each of :data:`FRAMES`; return their paths."""
    made = []
    for k, (name, frame) in enumerate(FRAMES.items()):
        part = folder / name.replace(" ", "")
        made += [path for path, _ in scans.make_photos(count // len(FRAMES), 4, SEED + k, part, frame)]
    return made


def tree_rss(pid):
    """Return {process id: resident bytes} for process ``pid`` and all its descendants (Linux's
    /proc; following each process's children is cheap enough to sample often)."""
    sizes, todo = {}, [pid]
    while todo:
        process = todo.pop()
        try:
            with open(f"/proc/{process}/statm") as f:
                sizes[process] = int(f.read().split()[1]) * PAGE
            for task in os.listdir(f"/proc/{process}/task"):
                with open(f"/proc/{process}/task/{task}/children") as f:
                    todo += [int(child) for child in f.read().split()]
        except (OSError, ValueError):
            continue
    return sizes


def run(args):
    """Run the scan command with ``args`` -> (stdout bytes, seconds, peak memory of its process
    tree, sum of each process's own peak), memory in bytes."""
    command = [sys.executable, str(PROJECT_DIR / "recognise.py"), "--personal", os.devnull, *map(str, args)]
    start = time.perf_counter()
    process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL)
    peak, each = [0], {}

    def sample():
        while process.poll() is None:
            sizes = tree_rss(process.pid)
            peak[0] = max(peak[0], sum(sizes.values()))
            for pid, size in sizes.items():
                each[pid] = max(each.get(pid, 0), size)
            time.sleep(0.1)

    sampler = threading.Thread(target=sample)
    sampler.start()
    out = process.stdout.read()
    process.wait()
    sampler.join()
    return out, time.perf_counter() - start, peak[0], sum(each.values())


def main():
    """Make the folder, read it every way, print the table."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--photos", type=int, default=200, help="photos in the folder (default 200)")
    parser.add_argument("--keep", metavar="DIR", help="make (or reuse) the photos here instead of a temp folder")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as temp:
        folder = Path(args.keep or temp) / "photos"
        photos = sorted(folder.rglob("*.jpg")) if folder.is_dir() else []
        if len(photos) != args.photos:
            print(f"  writing {args.photos} photos...", file=sys.stderr, flush=True)
            photos = make_folder(folder, args.photos)
        rows, outputs = [], {}
        for jobs in (1, batch.cores()):
            table = Path(temp) / f"table-{jobs}.csv"
            out, seconds, peak, each = run(["--jobs", jobs, "--csv", table, folder])
            outputs[jobs] = (out, table.read_bytes())
            rows.append((f"{len(photos)} photos, --jobs {jobs}", seconds, peak, each))
            print(f"  --jobs {jobs}: {seconds:.1f} s", file=sys.stderr, flush=True)
        same = outputs[1] == outputs[batch.cores()]
        peaks = {}
        for count in (100, 1000):  # both through every size of photo
            many = Path(temp) / f"many-{count}"
            many.mkdir()
            for k in range(count):
                os.link(photos[(k * len(photos) // count if count < len(photos) else k) % len(photos)],
                        many / f"{k:04d}.jpg")
            _, seconds, *peaks[count] = run([many])
            rows.append((f"{count} files (the photos again), default jobs", seconds, *peaks[count]))
            print(f"  {count} files: {seconds:.1f} s", file=sys.stderr, flush=True)
    print(f"\n{batch.cores()} cores; photos: {', '.join(f'{k} {v[0]}x{v[1]}' for k, v in FRAMES.items())}\n")
    print("| run | seconds | peak memory, process tree | each process's peak, summed |\n| --- | --- | --- | --- |")
    for name, seconds, peak, each in rows:
        print(f"| {name} | {seconds:.1f} | {peak / 2**20:.0f} MiB | {each / 2**20:.0f} MiB |")
    growth = [100 * (peaks[1000][k] / peaks[100][k] - 1) for k in (0, 1)]
    print(f"\ndefault jobs against --jobs 1: {rows[0][1] / rows[1][1]:.2f}x faster; "
          f"outputs (text and CSV) {'identical' if same else 'DIFFERENT'}; peak memory, 1,000 files "
          f"against 100: {growth[0]:+.1f} % (tree), {growth[1]:+.1f} % (each process's, summed)")


if __name__ == "__main__":
    main()
