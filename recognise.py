"""Read handwritten digits from scanned images and photos: ``python recognise.py PATH [PATH ...]``.

For each file (a folder: every image file under it) it prints the numbers read, left to right
(numbers on one line separated by a space), one output line per line of digits, with each
digit's confidence (``--json`` for numbers, boxes and top-3 guesses; ``--csv`` for a table;
``--annotate`` for a picture of what was read).  Finding the digits is :mod:`scan.segment`'s
job, drawing the picture :mod:`scan.annotate`'s and sharing files among worker processes
:mod:`scan.batch`'s; this file holds the command line, the unit of work (:func:`read_one`)
and the output.
"""

import argparse
import csv
import functools
import json
import os
import sys
import time
from pathlib import Path
from typing import NamedTuple

import numpy as np

import personal
import thetas
from scan import annotate, batch, segment


def describe(path, reading, as_json=False):
    """Return the output text for one file's :class:`scan.segment.Reading`: a line per line of
    digits, or one JSON object.

    A line's numbers are separated by a space, as written (``34651 79``); an unsure digit is
    followed by ``?``; parts that are not digits are left out.  In JSON each line holds its
    numbers, each number its digits with box, digit, confidence, unsure and top 3; ``rejected``
    lists the parts that are not digits, with their boxes and nearest digit, and ``words`` the
    boxes of the words left out whole (numbers of two or more parts, all rejected).
    """
    judgement, kept = reading.judgement, reading.kept
    labels = judgement.labels
    if as_json:
        lines = {}
        for i in kept:
            p, label, digit = judgement.probabilities[i], labels[i], reading.digits[i]
            top3 = np.argsort(p)[::-1][:3]
            numbers = lines.setdefault(digit.line, {})
            numbers.setdefault(digit.number, []).append({
                "box": list(digit.box), "digit": int(label), "confidence": round(float(p[label]), 4),
                "unsure": bool(judgement.unsure[i]),
                "top3": [[int(d), round(float(p[d]), 4)] for d in top3]})
        rejected = [{"box": list(reading.digits[i].box), "nearest": int(labels[i]),
                     "confidence": round(float(judgement.probabilities[i, labels[i]]), 4)}
                    for i in np.flatnonzero(judgement.rejected)]
        words = [{"box": list(box)} for box in segment.left_out_words(reading.digits, judgement)]
        return json.dumps({"file": str(path), "lines": [
            {"text": " ".join(_text(number) for number in numbers.values()),
             "numbers": [{"text": _text(number), "digits": number} for number in numbers.values()]}
            for numbers in lines.values()], "rejected": rejected, "words": words})
    if not len(kept):
        others = len(reading.digits)
        return f"{path}: no digits found" + (f" ({others} {'mark' if others == 1 else 'marks'} not digits)"
                                             if others else "")
    out = []
    for text, line in zip(reading.texts(mark_unsure=True), sorted({reading.digits[i].line for i in kept})):
        members = [i for i in kept if reading.digits[i].line == line]
        confidences = " ".join(f"{judgement.probabilities[i, labels[i]]:.0%}" for i in members)
        out.append(f"{path}: {text}  ({confidences})")
    return "\n".join(out)


def _text(number):
    """Return the digits of one number (a list of JSON digit records) as a string, ? after an unsure one."""
    return "".join(f"{d['digit']}{'?' if d['unsure'] else ''}" for d in number)


def parse_args(argv=None):
    """Parse the command line."""
    parser = argparse.ArgumentParser(
        description="Read handwritten digits in scanned images or photos (dark ink on light paper, "
                    "or light on dark), left to right, one output line per line of digits.")
    parser.add_argument("images", nargs="+", metavar="PATH",
                        help="image files (PNG, JPEG, BMP, TIFF, GIF...) or folders: every image file "
                             "under a folder is read, in sorted order")
    parser.add_argument("--json", action="store_true",
                        help="print one JSON object per file: per digit its box, digit, confidence, unsure, "
                             "top 3; the marks rejected as not digits and the words left out, with their boxes")
    parser.add_argument("--csv", metavar="FILE",
                        help="also write a table, one row per number read (file, line, number, digits, "
                             "confidences, unsure, note), a row for each file with no digits or that "
                             "failed; - writes it to stdout instead of the text")
    parser.add_argument("--jobs", type=int, default=batch.cores(), metavar="N",
                        help=f"read N files at a time in worker processes (default: the cores, {batch.cores()} "
                             "here); the output is the same whatever N")
    parser.add_argument("--weights", metavar="DIR", help=thetas.WEIGHTS_HELP)
    parser.add_argument("--personal", metavar="DIR",
                        help=f"{personal.HELP}; the model learned there from your digits (the window's "
                             "Learn) is used when it was learned on the weights in use")
    parser.add_argument("--annotate", metavar="OUT",
                        help="also write the image with a box, digit and confidence on each digit read "
                             "(unsure ones marked with ?, marks that are not digits and words boxed in grey): OUT is "
                             "an image file (.png, .jpg...) for one input, a folder (made if missing) for several")
    parser.add_argument("--verbose", action="store_true",
                        help="say on stderr which weights are used (folder, test accuracy, date trained, "
                             "how many of your samples a personal model learned from), the files skipped "
                             "in folders, and a summary at the end")
    args = parser.parse_args(argv)
    if args.jobs < 1:
        parser.error(f"--jobs must be at least 1, got {args.jobs}")
    if args.csv == "-" and args.json:
        parser.error("--csv - and --json both want stdout: give --csv a file name")
    if args.csv not in (None, "-") and Path(args.csv).is_dir():
        parser.error(f"--csv {args.csv}: is a folder; name a file")
    if args.csv not in (None, "-") and not Path(args.csv).parent.is_dir():
        parser.error(f"--csv {args.csv}: the folder {Path(args.csv).parent} does not exist")
    if args.annotate:
        several = len(args.images) > 1 or any(Path(p).is_dir() for p in args.images)
        problem = annotate_problem(Path(args.annotate), 2 if several else 1)
        if problem:
            parser.error(problem)
    return args


def annotate_problem(out, count):
    """Return why ``--annotate out`` cannot work for ``count`` inputs, or None if it can."""
    if out.is_dir() or count > 1:
        if out.exists() and not out.is_dir():
            return f"--annotate {out}: several images need a folder there, and it is a file"
        if not out.exists() and out.suffix.lower() in annotate.FORMATS:
            return (f"--annotate {out}: {count} images need a folder (made if missing), "
                    f"and this names one picture")
        return None
    if annotate.format_problem(out):
        return f"--annotate {out}: {annotate.format_problem(out)}"
    if not out.parent.is_dir():
        return f"--annotate {out}: the folder {out.parent} does not exist"
    return None


def annotation_path(out, path, count, used):
    """Return where the annotated picture of input ``path`` goes; ``used`` collects names taken."""
    if not (out.is_dir() or count > 1):
        return out
    out.mkdir(parents=True, exist_ok=True)
    name = f"{Path(path).stem}-annotated.png"
    n = 2
    while name in used:
        name, n = f"{Path(path).stem}-annotated-{n}.png", n + 1
    used.add(name)
    return out / name


class FileResult(NamedTuple):
    """What reading one file gave: the ``text`` for stdout, its ``rows`` for the CSV table, and
    ``errors`` for stderr (empty when all went well); ``failed`` and ``digits`` (how many read)."""

    text: str
    rows: list
    errors: list
    failed: bool
    digits: int


# The network each worker (and a run with --jobs 1) reads with, loaded once by load_worker_network.
_network = None
CSV_HEADER = ["file", "line", "number", "digits", "confidences", "unsure", "note"]


def load_worker_network(network):
    """Keep ``network`` for :func:`read_one` in this process."""
    global _network
    _network = network


def read_one(task, as_json=False):
    """Read one file -> :class:`FileResult`; ``task`` is (path, where its annotated picture goes or None).

    The unit of work of a run: :func:`scan.segment.read_page` on the file, then its output text,
    table rows and picture.  Uses the network :func:`load_worker_network` kept.
    """
    path, annotate_out = task
    try:
        reading = segment.read_page(path, _network)
    except segment.ImageError as e:
        text = json.dumps({"file": path, "error": str(e)}) if as_json else ""
        return FileResult(text, [[path, "", "", "", "", "", f"error: {e}"]], [f"error: {e}"], True, 0)
    errors = []
    if annotate_out is not None:
        try:
            picture = annotate.show_paper(annotate.load_picture(path), reading.lines)
            annotate.save_picture(annotate.draw_reading(picture, reading.digits, reading.judgement), annotate_out)
        except (OSError, ValueError) as e:
            errors.append(f"error: {annotate_out}: cannot write the annotated picture: "
                          f"{getattr(e, 'strerror', None) or e}")
    return FileResult(describe(path, reading, as_json), table_rows(path, reading), errors, bool(errors),
                      len(reading.kept))


def table_rows(path, reading):
    """Return the CSV rows of one file's reading: one per number (line and number counted from 1)."""
    judgement = reading.judgement
    numbers = {}
    for i in reading.kept:
        digit = reading.digits[i]
        numbers.setdefault((digit.line, digit.number), []).append(i)
    lines = {line: k + 1 for k, line in enumerate(sorted({line for line, _ in numbers}))}
    rows, count = [], {}
    for (line, _), members in sorted(numbers.items()):
        count[line] = count.get(line, 0) + 1
        labels = [int(judgement.labels[i]) for i in members]
        rows.append([str(path), lines[line], count[line], "".join(map(str, labels)),
                     " ".join(f"{judgement.probabilities[i, d]:.4f}" for i, d in zip(members, labels)),
                     "yes" if judgement.unsure[members].any() else "no", ""])
    return rows or [[str(path), "", "", "", "", "", "no digits found"]]


def main(argv=None):
    """Read every image named on the command line; return 1 if any failed, else 0."""
    args = parse_args(argv)
    try:
        base = thetas.load_network(args.weights)
    except thetas.ThetaError as e:
        print(f"error: {e}", file=sys.stderr)
        return 1
    network = personal.personal_network(base, args.personal) or base
    if args.verbose and network is base:
        print(f"model: {thetas.describe(network)}", file=sys.stderr)
    elif args.verbose:
        print(f"model: {personal.describe(network, base)}\nlearned from {network.info.get('samples', '?')} samples",
              file=sys.stderr)
    files, skipped = batch.image_files(args.images)
    if skipped:
        print(f"skipped {len(skipped)} {'file that is' if len(skipped) == 1 else 'files that are'} not images"
              + (": " + ", ".join(skipped) if args.verbose else " (--verbose names them)"), file=sys.stderr)
    if not files:
        print("error: no image files found in " + ", ".join(args.images), file=sys.stderr)
        return 1
    try:
        return read_all(files, network, args)
    except BrokenPipeError:
        # The reader stopped listening (`| head -1`): stop quietly, as Unix tools do.  Point
        # stdout at /dev/null so the interpreter's final flush does not fail again.
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 141  # 128 + SIGPIPE, what a shell reports for a tool stopped by a closed pipe


def read_all(files, network, args):
    """Read ``files`` with ``args.jobs`` workers, printing each file's output in order; return
    the exit status: 1 if any failed, 130 when interrupted (with a line saying how far it got)."""
    used = set()
    several = 2 if len(files) > 1 or any(Path(p).is_dir() for p in args.images) else 1
    outs = [annotation_path(Path(args.annotate), path, several, used) if args.annotate else None
            for path in files]
    table = None
    if args.csv == "-":
        table = csv.writer(sys.stdout)
    elif args.csv:
        try:
            table_file = open(args.csv, "w", newline="")
        except OSError as e:
            print(f"error: --csv {args.csv}: {e.strerror or e}", file=sys.stderr)
            return 1
        table = csv.writer(table_file)
    progress = batch.Progress(len(files))
    start, failed, empty = time.perf_counter(), 0, 0
    work = functools.partial(read_one, as_json=args.json)
    interrupt = batch.Interrupt()
    try:
        with interrupt:
            if table is not None:
                table.writerow(CSV_HEADER)
            tasks = list(zip(files, outs))
            for result in batch.read_in_order(tasks, work, args.jobs, load_worker_network, (network,)):
                with interrupt.deferred():  # a file's lines and rows are written whole
                    progress.clear()
                    for error in result.errors:
                        print(error, file=sys.stderr)
                    if result.text and args.csv != "-":
                        print(result.text, flush=True)
                    if table is not None:
                        table.writerows(result.rows)
                        (sys.stdout if args.csv == "-" else table_file).flush()
                    failed += result.failed
                    empty += not result.failed and not result.digits
                    progress.step()
    except KeyboardInterrupt:
        progress.clear()
        print(f"\ninterrupted: {progress.done} of {len(files)} files done", file=sys.stderr)
        return 130
    finally:
        if args.csv not in (None, "-"):
            table_file.close()
    progress.clear()
    if args.verbose:
        print(f"{len(files)} files read: {len(files) - failed - empty} with digits, {empty} with none, "
              f"{failed} failed, {time.perf_counter() - start:.1f} s", file=sys.stderr)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
