"""The scan command, recognise.py: its output, options, and every kind of bad input."""

import csv
import io
import json
import os
import re
import signal
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest
from PIL import Image

import scans
from scan import segment
from thetas import PRETRAINED_DIR, load_network

PROJECT_DIR = Path(__file__).resolve().parent.parent


def run(*args):
    """Run the scan command as a user would."""
    if "--weights" not in args:
        args = ("--weights", PRETRAINED_DIR, *args)
    if "--personal" not in args:  # never a model learned from this machine's user's digits
        args = ("--personal", os.devnull, *args)
    return subprocess.run([sys.executable, str(PROJECT_DIR / "recognise.py"), *map(str, args)],
                          capture_output=True, text=True, timeout=120)


def test_command_line_output_and_json(tmp_path):
    path, text = scans.make_scans(1, 4, seed=8, folder=tmp_path)[0]
    result = run(path)
    assert result.returncode == 0
    assert result.stdout.startswith(f"{path}: {text}  (")
    result = run("--json", path)
    record = json.loads(result.stdout)
    assert record["file"] == str(path) and record["lines"][0]["text"] == text
    number = record["lines"][0]["numbers"][0]
    assert number["text"] == text and len(number["digits"]) == len(text)
    digit = number["digits"][0]
    assert digit["digit"] == int(text[0]) and len(digit["box"]) == 4 and len(digit["top3"]) == 3
    assert digit["unsure"] == (digit["confidence"] < 0.6 or digit["top3"][1][1] >= 0.5 * digit["confidence"])
    assert record["rejected"] == []
    assert digit["top3"][0] == [digit["digit"], digit["confidence"]]


def test_bad_inputs_each_one_line_and_others_still_read(tmp_path):
    good, text = scans.make_scans(1, 2, seed=9, folder=tmp_path)[0]
    not_image = tmp_path / "notes.png"
    not_image.write_text("this is not an image\n")
    empty = tmp_path / "empty.jpg"
    empty.write_bytes(b"")
    truncated = tmp_path / "truncated.png"
    truncated.write_bytes(good.read_bytes()[:200])
    bomb = tmp_path / "bomb.png"
    Image.new("1", (10000, 10000)).save(bomb)  # 100 megapixels in a few kilobytes
    missing = tmp_path / "missing.png"
    bad = [not_image, empty, truncated, bomb, missing]
    result = run(not_image, good, empty, truncated, bomb, missing)
    assert result.returncode == 1
    # The good scan is read as it is read alone, two digits (how well is the accuracy tests'
    # business: this sloppy 2 is read 2 at 66 % by one shipped model, 8 at 54 % by the next).
    alone = run(good)
    assert alone.returncode == 0 and result.stdout == alone.stdout
    assert re.fullmatch(rf"{re.escape(str(good))}: \d{{{len(text)}}}  \(.*\)", result.stdout.strip())
    errors = result.stderr.strip().splitlines()
    assert len(errors) == len(bad) and "Traceback" not in result.stderr
    for path, line in zip(bad, errors):
        assert line.startswith(f"error: {path}: ")


def test_blank_image_has_no_digits(tmp_path):
    blank = tmp_path / "blank.png"
    noise = np.random.default_rng(0).normal(0.9, 0.02, (300, 400))
    Image.fromarray(np.uint8(np.clip(noise, 0, 1) * 255)).save(blank)
    result = run(blank)
    assert result.returncode == 0 and result.stdout.strip() == f"{blank}: no digits found"


def test_missing_weights(tmp_path):
    path, _ = scans.make_scans(1, 1, seed=2, folder=tmp_path)[0]
    result = run("--weights", tmp_path / "none", path)
    assert result.returncode == 1 and "python main.py" in result.stderr
    assert result.stderr.count("\n") == 1


def test_help():
    result = run("--help")
    assert result.returncode == 0 and "--json" in result.stdout and "--weights" in result.stdout


def test_verbose_names_the_model(tmp_path):
    path, text = scans.make_scans(1, 2, seed=12, folder=tmp_path)[0]
    result = run("--verbose", path)
    assert result.returncode == 0 and result.stdout.startswith(f"{path}: {text}")
    assert result.stderr.startswith("model: ") and "pretrained" in result.stderr
    info = load_network(PRETRAINED_DIR).info
    assert f"{100 * info['test_accuracy']:.2f} % on MNIST's test set" in result.stderr
    assert f"trained {info['trained'][:10]}" in result.stderr


def test_closed_pipe_stops_quietly(tmp_path):
    """`recognise.py a.png b.png c.png | head -1`: the reader leaves after one line."""
    made = scans.make_scans(4, 2, seed=13, folder=tmp_path)
    command = [sys.executable, str(PROJECT_DIR / "recognise.py"), "--weights", str(PRETRAINED_DIR),
               *(str(path) for path, _ in made)]
    process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    first = process.stdout.readline()
    process.stdout.close()  # as head does once it has its line
    stderr = process.stderr.read()
    process.wait(timeout=60)
    assert first.startswith(f"{made[0][0]}: {made[0][1]}")
    assert stderr == "" and process.returncode == 141


def test_damaged_metadata_gives_no_warnings(tmp_path):
    path, text = scans.make_scans(1, 3, seed=14, folder=tmp_path)[0]
    damaged = tmp_path / "damaged-exif.jpg"
    # An EXIF block whose directory claims more entries than it holds.
    exif = b"Exif\x00\x00II*\x00\x08\x00\x00\x00\x05\x00\x12\x01\x03\x00\x01\x00\x00\x00\x06\x00"
    Image.open(path).convert("RGB").save(damaged, quality=95, exif=exif)
    result = run(damaged)
    assert result.returncode == 0 and result.stdout.strip().startswith(f"{damaged}: {text}")
    assert result.stderr == ""


def test_annotate_writes_the_picture(tmp_path):
    (path, text), = scans.make_scans(1, 3, seed=36, folder=tmp_path)
    out = tmp_path / "read.png"
    result = run("--annotate", out, path)
    assert result.returncode == 0 and result.stdout.startswith(f"{path}: {text}")
    picture, original = Image.open(out).convert("RGB"), Image.open(path).convert("RGB")
    assert picture.size == original.size
    changed = np.any(np.asarray(picture) != np.asarray(original), axis=2)
    digits, _ = segment.read_digits(path, load_network(PRETRAINED_DIR))
    for digit in digits:  # each box is drawn: its outline differs from the scan
        left, top, right, bottom = digit.box
        assert changed[top, left:right].mean() > 0.9 and changed[top:bottom, left].mean() > 0.9
    folder = tmp_path / "several"
    result = run("--annotate", folder, path, path)
    assert result.returncode == 0 and sorted(p.name for p in folder.iterdir()) == [
        f"{path.stem}-annotated-2.png", f"{path.stem}-annotated.png"]


@pytest.mark.parametrize("out, words", [("read.txt", "extension"), ("nowhere/read.png", "does not exist")])
def test_annotate_bad_out_is_one_line(tmp_path, out, words):
    (path, _), = scans.make_scans(1, 1, seed=37, folder=tmp_path)
    result = run("--annotate", tmp_path / out, path)
    assert result.returncode == 2 and words in result.stderr and "Traceback" not in result.stderr
    assert not (tmp_path / out).exists()


def test_annotate_named_like_a_picture_for_several_images_is_refused(tmp_path):
    made = scans.make_scans(2, 1, seed=38, folder=tmp_path)
    result = run("--annotate", tmp_path / "x.png", *(path for path, _ in made))
    assert result.returncode == 2 and "Traceback" not in result.stderr
    assert result.stderr.strip().splitlines()[-1].endswith("2 images need a folder (made if missing), "
                                                           "and this names one picture")
    assert not (tmp_path / "x.png").exists()  # no folder made with an image's name
    folder = run("--annotate", tmp_path / "read", *(path for path, _ in made))  # a folder is fine
    assert folder.returncode == 0 and len(list((tmp_path / "read").iterdir())) == 2


def test_strange_images_give_one_line_each(tmp_path):
    """Pictures a user might feed in by mistake: each is one output line, never a traceback."""
    rows, cols = np.mgrid[:900, :1200]
    desk = np.full((900, 1200), 50, np.uint8)
    desk[150:750, 250:950] = 210  # a blank sheet on a desk
    strange = {"pixel.png": np.zeros((1, 1), np.uint8), "thin.png": np.full((3, 5000), 255, np.uint8),
               "tall.png": np.zeros((4000, 3), np.uint8), "blank-sheet.png": desk,
               "checker.png": np.uint8(((rows // 100 + cols // 100) % 2) * 255),
               "gradient.png": np.uint8(np.tile(np.linspace(30, 230, 1200), (900, 1)))}
    paths = []
    for name, pixels in strange.items():
        paths.append(tmp_path / name)
        Image.fromarray(pixels).save(paths[-1])
    result = run("--annotate", tmp_path / "out", *paths)
    assert result.returncode == 0 and "Traceback" not in result.stderr
    lines = result.stdout.strip().splitlines()
    assert [line.split(":")[0] for line in lines] == [str(p) for p in paths]
    assert all(line.endswith("no digits found") for line in lines[:5])  # the gradient reads as a "1"


@pytest.mark.slow
def test_numbers_on_one_line_are_separated(tmp_path, weights):
    made = scans.make_lines(40, seed=35, folder=tmp_path)
    right = sum(" ".join(scans.read_lines(path, weights)) == text for path, text in made)
    print(f"\n40 lines of 2-3 numbers: {right} read exactly, numbers separated")
    assert right >= 35  # measured 37
    path, text = made[0]
    record = json.loads(run("--json", path).stdout)
    assert [n["text"] for n in record["lines"][0]["numbers"]] == text.split()


def test_folders_are_read_recursively_in_order_with_files_and_non_images_counted(tmp_path):
    folder = tmp_path / "quiz"
    (folder / "b").mkdir(parents=True)
    (folder / "a").mkdir()
    made = scans.make_scans(3, 2, seed=11, folder=tmp_path)
    for (path, _), target in zip(made, [folder / "b" / "2.png", folder / "a" / "z.png", folder / "1.png"]):
        path.rename(target)
    (folder / "notes.txt").write_text("not an image")
    (folder / "a" / "thumbs.db").write_bytes(b"\x00" * 50)
    broken = folder / "b" / "broken.png"
    broken.write_bytes((folder / "1.png").read_bytes()[:300])  # a PNG header, its pixels cut off
    single, _ = scans.make_scans(1, 2, seed=12, folder=tmp_path)[0]
    result = run("--jobs", "2", single, folder)
    read = [line.split(":")[0] for line in result.stdout.splitlines()]
    order = [str(single), str(folder / "1.png"), str(folder / "a" / "z.png"), str(folder / "b" / "2.png")]
    assert sorted(set(read), key=read.index) == order
    assert result.returncode == 1  # the broken image failed; the others were read
    errors = result.stderr.strip().splitlines()
    assert errors[0] == "skipped 2 files that are not images (--verbose names them)"
    assert errors[1].startswith(f"error: {broken}: ") and len(errors) == 2
    verbose = run("--verbose", folder)
    assert "not images: " in verbose.stderr and str(folder / "notes.txt") in verbose.stderr
    assert re.search(r"4 files read: 3 with digits, 0 with none, 1 failed, [\d.]+ s", verbose.stderr)


def test_a_folder_with_no_images_is_one_line(tmp_path):
    (tmp_path / "notes.txt").write_text("nothing to read")
    result = run(tmp_path)
    assert result.returncode == 1 and result.stdout == ""
    assert result.stderr.strip().splitlines()[-1] == f"error: no image files found in {tmp_path}"


def test_output_and_table_are_the_same_whatever_the_jobs(tmp_path):
    folder = tmp_path / "in"
    folder.mkdir()
    scans.make_scans(6, 3, seed=13, folder=folder)
    blank = folder / "blank.png"
    Image.new("L", (200, 100), 255).save(blank)
    outputs = {}
    for jobs in ("1", "2", "3"):
        table = tmp_path / f"table-{jobs}.csv"
        result = run("--jobs", jobs, "--csv", table, folder)
        assert result.returncode == 0, result.stderr
        outputs[jobs] = (result.stdout, table.read_bytes())
    assert outputs["1"] == outputs["2"] == outputs["3"]
    assert outputs["1"][0].count("\n") >= 6


def test_table_has_a_row_per_number_and_for_empty_and_failed_files(tmp_path, weights):
    page, _ = scans.make_lines(1, seed=15, folder=tmp_path)[0]  # a line of 2-3 numbers
    blank = tmp_path / "blank.png"
    Image.new("L", (200, 100), 255).save(blank)
    broken = tmp_path / "broken.png"
    broken.write_bytes(b"\x89PNG\r\n\x1a\n broken")
    result = run("--csv", "-", page, blank, broken)
    assert result.returncode == 1
    rows = list(csv.reader(io.StringIO(result.stdout)))
    assert rows[0] == ["file", "line", "number", "digits", "confidences", "unsure", "note"]
    numbers = [row for row in rows[1:] if row[0] == str(page)]
    reading = segment.read_page(page, weights)
    assert [row[3] for row in numbers] == reading.texts()[0].split()
    assert [row[1:3] for row in numbers] == [["1", str(k + 1)] for k in range(len(numbers))]
    for row in numbers:
        confidences = [float(c) for c in row[4].split()]
        assert len(confidences) == len(row[3]) and all(0 < c <= 1 for c in confidences)
        assert row[5] in ("yes", "no") and row[6] == ""
    assert [blank_row[6] for blank_row in rows if blank_row[0] == str(blank)] == ["no digits found"]
    failed = [row for row in rows if row[0] == str(broken)]
    assert len(failed) == 1 and failed[0][6].startswith(f"error: {broken}: ")
    assert result.stderr.strip().startswith(f"error: {broken}: ")


def test_ctrl_c_leaves_whole_lines_and_rows_and_says_how_far_it_got(tmp_path):
    folder = tmp_path / "in"
    folder.mkdir()
    made = scans.make_scans(4, 4, seed=14, folder=folder)
    for k in range(40):  # the same pages again, under other names: enough work to interrupt
        (folder / f"copy-{k:02d}{made[k % 4][0].suffix}").write_bytes(made[k % 4][0].read_bytes())
    table = tmp_path / "table.csv"
    command = [sys.executable, str(PROJECT_DIR / "recognise.py"), "--weights", str(PRETRAINED_DIR),
               "--personal", os.devnull, "--jobs", "2", "--csv", str(table), str(folder)]
    process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    first = process.stdout.readline()  # reading has begun
    process.send_signal(signal.SIGINT)
    out, err = process.communicate(timeout=60)
    assert process.returncode == 130 and first
    lines = err.strip().splitlines()
    assert re.fullmatch(r"interrupted: \d+ of 44 files done", lines[-1]) and "Traceback" not in err
    done = int(lines[-1].split()[1])
    assert 1 <= done < 44
    for line in (first + out).splitlines():
        assert re.fullmatch(r".+: [\d? ]+  \(.*\)", line)
    rows = list(csv.reader(io.StringIO(table.read_text())))
    assert all(len(row) == 7 for row in rows) and len({row[0] for row in rows[1:]}) == done
