"""The scan pipeline (scan/): decoding, the page, ink and parts, cutting touching digits, the picture."""

import io
import re
import struct
import subprocess
import sys
import zlib
from pathlib import Path

import numpy as np
import pytest
from PIL import Image
from scipy import ndimage

import preprocess
import scans
from drawing import render_strokes
from prediction import classify, judge
from scan import annotate, decode, lines, page, segment, split

PROJECT_DIR = Path(__file__).resolve().parent.parent


def score(made, weights):
    """Return (exact-string accuracy, per-digit accuracy) over [(path, text)] scans."""
    exact = right = total = 0
    for path, text in made:
        lines = scans.read_lines(path, weights)
        got = lines[0] if len(lines) == 1 else "".join(lines) + "?"
        exact += got == text
        right += sum(a == b for a, b in zip(got, text)) if len(got) == len(text) else 0
        total += len(text)
    return exact / len(made), right / total


@pytest.mark.slow
def test_single_digit_scans(tmp_path, weights):
    made = scans.make_scans(1000, 1, seed=1, folder=tmp_path)
    _, per_digit = score(made, weights)
    print(f"\n1,000 single-digit scans (RGB, RGBA, L, 1-bit, 16-bit, JPEG; both polarities): "
          f"{per_digit:.2%} read right")
    assert per_digit >= 0.97  # measured 99.20 %


@pytest.mark.slow
def test_four_digit_numbers(tmp_path, weights):
    made = scans.make_scans(300, 4, seed=4, folder=tmp_path)
    exact, per_digit = score(made, weights)
    print(f"\n300 four-digit numbers: {exact:.2%} read exactly, {per_digit:.2%} of digits right")
    assert exact >= 0.94  # measured 95.67 % with the shipped model


@pytest.mark.slow
def test_numbers_of_every_length(tmp_path, weights):
    results = []
    for length in range(1, 7):
        made = scans.make_scans(40, length, seed=10 + length, folder=tmp_path / str(length))
        exact, per_digit = score(made, weights)
        results.append((length, exact, per_digit))
    print("\nlength, exact, per digit: " + "; ".join(f"{n}: {e:.0%}, {p:.1%}" for n, e, p in results))
    # measured 93.8-100 % (96.2-100 % with the 100-unit model: a 9 cut in two, docs/experiments.md#not-a-digit)
    assert all(per_digit >= 0.93 for _, _, per_digit in results)


def test_lines_read_top_to_bottom(tmp_path, weights):
    images, labels = scans.mnist_test_digits()
    rng = np.random.default_rng(7)
    top, _ = scans.write_number(images[:3], rng)
    bottom, _ = scans.write_number(images[3:5], rng)
    width = max(top.shape[1], bottom.shape[1])
    page = np.ones((top.shape[0] + bottom.shape[0], width), np.float32) * 0.9
    page[:top.shape[0], :top.shape[1]] = top
    page[top.shape[0]:, :bottom.shape[1]] = bottom
    path = tmp_path / "two-lines.png"
    Image.fromarray(np.uint8(page * 255)).save(path)
    assert scans.read_lines(path, weights) == ["".join(map(str, labels[:3])), "".join(map(str, labels[3:5]))]


def test_parts_of_one_digit_are_merged(tmp_path, weights):
    # A 4 drawn in two strokes that do not touch, and a 5 whose bar floats above it, drawn
    # with the window's own pen on its canvas (light on dark).
    four = [[(60, 40), (45, 150), (150, 150)], [(125, 60), (120, 250)]]
    five = [[(90, 60), (80, 135), (160, 135), (190, 180), (170, 235), (80, 240)], [(110, 35), (205, 30)]]
    for name, strokes, expected in (("four", four, "4"), ("five", five, "5")):
        path = tmp_path / f"{name}.png"
        render_strokes([_dense(s) for s in strokes]).save(path)
        assert scans.read_lines(path, weights) == [expected]


def _dense(points, step=5):
    """Return a polyline with points every ``step`` pixels along it."""
    out = [points[0]]
    for (x0, y0), (x1, y1) in zip(points, points[1:]):
        n = max(1, int(np.hypot(x1 - x0, y1 - y0) // step))
        out += [(round(x0 + (x1 - x0) * t / n), round(y0 + (y1 - y0) * t / n)) for t in range(1, n + 1)]
    return out


def test_exif_orientation_is_applied(tmp_path, weights):
    made = scans.make_scans(1, 3, seed=3, folder=tmp_path)
    path, text = made[0]
    upright = Image.open(path).convert("RGB")
    exif = Image.Exif()
    exif[0x0112] = 6  # "rotate 90 degrees clockwise to display"
    turned = tmp_path / "turned.jpg"
    upright.rotate(90, expand=True).save(turned, quality=95, exif=exif)
    assert scans.read_lines(turned, weights) == [text]
    digits, _ = segment.read_digits(turned, weights)
    boxes = np.array([d.box for d in digits])
    # Boxes are in the upright image's pixels: inside its width, in a left-to-right row.
    assert boxes[:, 2].max() <= upright.size[0] and np.all(np.diff(boxes[:, 0]) > 0)
    upright_digits, _ = segment.read_digits(path, weights)
    np.testing.assert_allclose(boxes, [d.box for d in upright_digits], atol=3)


@pytest.mark.parametrize("fmt", ["BMP", "TIFF", "GIF"])
def test_other_formats(tmp_path, weights, fmt):
    path, text = scans.make_scans(1, 3, seed=5, folder=tmp_path)[0]
    other = tmp_path / f"number.{fmt.lower()}"
    Image.open(path).convert("RGB").save(other, fmt)
    assert scans.read_lines(other, weights) == [text]


def test_large_photo(tmp_path, weights):
    path, text = scans.make_scans(1, 4, seed=6, folder=tmp_path)[0]
    photo = tmp_path / "photo.jpg"
    Image.open(path).convert("RGB").resize((4000, 3000), Image.Resampling.BICUBIC).save(photo, quality=90)
    digits, _ = segment.read_digits(photo, weights)
    assert scans.read_lines(photo, weights) == [text]
    assert max(d.box[2] for d in digits) > 2000  # boxes are in the photo's own pixels


def test_texture_of_many_parts_is_bounded(tmp_path, weights):
    rows, cols = np.mgrid[:600, :600]
    dots = tmp_path / "dots.png"
    Image.fromarray(np.uint8(((rows // 6) % 2 == 0) & ((cols // 6) % 2 == 0)) * 255).save(dots)  # 2,500 dots
    digits, probabilities = segment.read_digits(dots, weights)
    assert 0 < len(digits) <= segment.MAX_PARTS and probabilities.shape == (len(digits), 10)


def with_stroke(network, stroke):
    """Return ``network`` with its preprocessing's stroke width set to ``stroke``."""
    return network._replace(preprocessing=network.preprocessing._replace(stroke=stroke))


def test_the_networks_stroke_width_reaches_the_scan_pipeline(tmp_path, weights):
    # A large 7 drawn with a thin pen, scanned: read with the stroke-width setting its 28x28
    # input is exactly to_mnist's with that setting, so the window and the scan command agree.
    ink = np.asarray(render_strokes([[(70, 40), (210, 40), (120, 250)]], width=3))
    path = tmp_path / "thin7.png"
    Image.fromarray(255 - ink).save(path)
    plain, _ = segment.read_digits(path, with_stroke(weights, None))
    grown, _ = segment.read_digits(path, with_stroke(weights, preprocess.MNIST_STROKE))
    assert len(plain) == len(grown) == 1
    assert grown[0].image.sum() > 1.5 * plain[0].image.sum()
    np.testing.assert_allclose(grown[0].image, preprocess.to_mnist(ink, preprocess.MNIST_STROKE), atol=0.05)


def thin_pen_pages(count, seed):
    """Pages holding one MNIST test digit each, redrawn with a thin pen (grey erosion at 4x)."""
    from scipy import ndimage
    images, labels = scans.mnist_test_digits()
    rng = np.random.default_rng(seed)
    yy, xx = np.mgrid[-4:5, -4:5]
    pen = xx * xx + yy * yy <= 3.5 ** 2
    pages = []
    for i in rng.choice(len(images), count, replace=False):
        big = np.asarray(Image.fromarray(images[i]).resize((112, 112), Image.Resampling.BICUBIC))
        page, _ = scans.write_number([ndimage.grey_erosion(big, footprint=pen)], rng)
        pages.append((page, labels[i]))
    return pages


def test_thin_pen_on_noisy_paper_is_found(monkeypatch):
    """Sparse ink: Otsu's threshold alone falls inside the paper's noise and finds nothing."""
    pages = thin_pen_pages(200, seed=21)
    found = [len(segment.find_digits(page)) for page, _ in pages]
    assert found.count(1) >= 194
    monkeypatch.setattr(segment, "NOISE_SIGMAS", 0)  # Otsu's threshold alone, as before
    otsu_only = [len(segment.find_digits(page)) for page, _ in pages]
    assert otsu_only.count(1) <= found.count(1) - 8
    print(f"\n200 thin-pen scans, one digit found: {found.count(1)} (Otsu alone: {otsu_only.count(1)})")


@pytest.mark.slow
def test_photos_of_a_page_on_a_desk(tmp_path, weights):
    """A sheet photographed on a darker desk, tilted, with light falling off and a soft shadow."""
    made = scans.make_photos(12, 4, seed=31, folder=tmp_path, frame=(2000, 1500))
    exact, per_digit = score(made, weights)
    print(f"\n12 photos of a page on a desk: {exact:.0%} read exactly, {per_digit:.1%} of digits right")
    assert exact >= 10 / 12


def test_desk_and_shadow_are_not_ink(tmp_path, weights, monkeypatch):
    """Without the sheet found and the light evened, the desk and the shadow swamp the ink."""
    (path, text), = scans.make_photos(1, 4, seed=32, folder=tmp_path, frame=(2000, 1500))
    grey, _ = segment.open_image(path)
    light, sheet = page.paper_light(grey)
    assert sheet is not None and 0.1 < sheet.mean() < 0.9 and light.shape == grey.shape
    assert scans.read_lines(path, weights) == [text]
    monkeypatch.setattr(page, "even_light", lambda grey: grey)  # as it was read before
    assert len(segment.find_digits(grey)) != 4


def test_evenly_lit_scans_are_left_as_they_are(tmp_path):
    for path, _ in scans.make_scans(24, 2, seed=33, folder=tmp_path):  # every mode, both polarities
        grey, _ = segment.open_image(path)
        assert page.even_light(grey) is grey


@pytest.mark.slow
def test_touching_digits_are_cut(tmp_path, weights):
    made = scans.make_touching(60, 4, seed=34, folder=tmp_path)
    exact, per_digit = score(made, weights)
    plain = 0
    for path, text in made:  # the same scans without cutting: each touching pair is one digit
        grey, scale = segment.open_image(path)
        plain += len(segment.find_digits(grey, scale, weights.preprocessing.stroke)) == len(text)
    print(f"\n60 four-digit numbers with touching digits: {exact:.0%} exact, {per_digit:.1%} of digits; "
          f"4 digits found without cutting: {plain}")
    assert plain <= 3 and exact >= 0.63  # measured 68 % (41 of 60) with the shipped model


def test_cuts_in_a_small_part_are_at_least_two_pixels_apart():
    """A cut per column in a 28 px part made 0.75 s of pieces in a photo: the grid keeps 2 px."""
    part = np.zeros((28, 43), np.float32)
    columns = split.cut_columns(part)
    assert len(columns) > 3 and np.diff(columns).min() >= 2


def _ink(digit):
    """Return an MNIST digit (28x28 uint8) cropped to its ink, as float32 in [0, 1]."""
    top, bottom, left, right = preprocess.ink_bounding_box(digit)
    return digit[top:bottom, left:right].astype(np.float32) / 255


def _touching(digits, shared=1):
    """Return one part of ink: ``digits`` (cropped ink) side by side, each sharing ``shared``
    columns with the next."""
    width = sum(d.shape[1] for d in digits) - shared * (len(digits) - 1)
    part = np.zeros((max(len(d) for d in digits), width), np.float32)
    left = 0
    for digit in digits:
        window = part[:len(digit), left:left + digit.shape[1]]
        np.maximum(window, digit, out=window)
        left += digit.shape[1] - shared
    return part


def test_split_keeps_one_wide_digit_whole(weights):
    images, labels = scans.mnist_test_digits()
    zero, one = _ink(images[labels == 0][0]), _ink(images[labels == 1][0])
    wide = np.asarray(Image.fromarray(zero).resize((round(1.25 * zero.shape[0]), zero.shape[0])))
    assert len(split.split_part(wide, weights, weights.preprocessing.stroke)) == 1  # a 0 written wider than tall
    pair = _touching([zero, one])
    assert len(split.split_part(pair, weights, weights.preprocessing.stroke)) == 2
    assert split.may_hold_several(pair.shape) and not split.may_hold_several(pair.shape, alone=True)
    assert len(split.split_part(pair, weights, weights.preprocessing.stroke, alone=True)) == 1


def test_a_narrow_part_that_is_not_a_digit_is_not_cut_into_ones(weights):
    # A real W kept out of training, squeezed to 0.75 of its height wide: rejected whole, it stays
    # whole (its strokes would pass for 1s).
    import letters
    kept_out = letters.load().part("final").only("W")
    w = _ink(kept_out.X[0].reshape(28, 28))
    narrow = np.asarray(Image.fromarray(w).resize((round(0.75 * w.shape[0]), w.shape[0])))
    assert judge(weights, preprocess.to_mnist(narrow, weights.preprocessing.stroke).ravel()).rejected[0]
    assert len(split.split_part(narrow, weights, weights.preprocessing.stroke)) == 1


@pytest.mark.slow
def test_three_touching_digits_are_read_as_three(weights):
    """A third piece costs less than a second: 35 of these 40 parts read exactly (32 when it cost as much)."""
    images, labels = scans.mnist_test_digits()
    rng = np.random.default_rng(0)
    chosen = [rng.choice(len(images), 3, replace=False) for _ in range(40)]
    right = 0
    for three in chosen:
        pieces = split.split_part(_touching([_ink(images[i]) for i in three]), weights, weights.preprocessing.stroke)
        read = classify(weights, np.stack([image.ravel() for image, _ in pieces])).argmax(axis=1)
        right += np.array_equal(read, labels[three])
    assert right >= 34


def test_readings_start_with_the_whole_part_and_split_part_keeps_the_best(weights):
    images, labels = scans.mnist_test_digits()
    part = _touching([_ink(images[labels == k][0]) for k in (4, 6, 3)])
    found = split.readings(part, weights, weights.preprocessing.stroke)
    assert len(found[0][1]) == 1 and found[0][1][0][1] == (0, 0, part.shape[1], part.shape[0])
    assert {len(pieces) for _, pieces in found} == {1, 2, 3}
    best = max(found, key=lambda reading: reading[0])[1]
    kept = split.split_part(part, weights, weights.preprocessing.stroke)
    assert [box for _, box in kept] == [box for _, box in best] and len(kept) == 3


def _path_cost(crop, path):
    """The cost split.cheapest_paths minimises: ink crossed (plus 1e-3 a pixel) and 1e-3 a sideways step."""
    return (crop[np.arange(len(path)), path] + 1e-3).sum() + 1e-3 * np.count_nonzero(np.diff(path))


def test_cheapest_paths_cross_the_least_ink_in_their_band():
    rng = np.random.default_rng(1)
    crop = (rng.random((6, 9)) < 0.4) * rng.random((6, 9))
    columns, band = [1, 4, 7], 2
    paths = split.cheapest_paths(crop, columns, band)
    assert paths.shape == (3, 6)
    for column, path in zip(columns, paths):
        # Every path that starts in the band, moves at most a column a row and stays in the band.
        inside = [c for c in range(9) if abs(c - column) <= band]
        every = [[c] for c in inside]
        for _ in range(5):
            every = [p + [p[-1] + d] for p in every for d in (-1, 0, 1) if p[-1] + d in inside]
        assert np.all(np.abs(path - column) <= band) and np.all(np.abs(np.diff(path)) <= 1)
        assert _path_cost(crop, path) == pytest.approx(min(_path_cost(crop, np.array(p)) for p in every))


def test_labels_of_overlapping_digits_do_not_cover_each_other():
    from PIL import ImageDraw, ImageFont
    draw = ImageDraw.Draw(Image.new("RGB", (200, 100), "white"))
    font, taken = ImageFont.load_default(size=20), []
    for text in ("100%", "64%", "9"):  # three digits' labels wanting the same place
        annotate._label(draw, (60, 40), text, font, (0, 0, 0), "ma", 2, taken)
    for i, first in enumerate(taken):
        for second in taken[i + 1:]:
            assert first[2] <= second[0] or second[2] <= first[0]  # side by side, not on top
    assert taken[0] == draw.textbbox((60, 40), "100%", font=font, anchor="ma")  # the first where asked


def test_components_match_scipy():
    from scipy.sparse.csgraph import connected_components
    rng = np.random.default_rng(38)
    for n, p in [(0, 0), (1, 0), (7, 0.3), (200, 0.004), (600, 0.0015)]:
        linked = rng.random((n, n)) < p
        linked |= linked.T
        ours = segment.components(linked)
        _, theirs = connected_components(linked, directed=False)
        assert len(ours) == n and len(set(zip(ours, theirs))) == len(set(ours)) == len(set(theirs))
    chain = np.eye(1000, k=1, dtype=bool) | np.eye(1000, k=-1, dtype=bool)  # the longest path
    assert set(segment.components(chain)) == {0}


def test_a_shadow_across_a_scan_is_not_ink(tmp_path, weights, monkeypatch):
    """Numbers with a soft shadow (45 % darker) over their right half: the light is evened out."""
    images, labels = scans.mnist_test_digits()
    made = []
    for seed in range(10):
        rng = np.random.default_rng(seed)
        chosen = rng.choice(len(images), 4, replace=False)
        page_, _ = scans.write_number(images[chosen], rng)
        page_ = np.asarray(Image.fromarray(page_, mode="F").resize((page_.shape[1] * 4, page_.shape[0] * 4)))
        columns = np.arange(page_.shape[1])
        shadow = 1 - 0.45 / (1 + np.exp(-(columns - page_.shape[1] / 2) / (0.01 * page_.shape[1])))
        path = tmp_path / f"shadow{seed}.png"
        Image.fromarray(np.uint8(np.clip(page_ * shadow, 0, 1) * 255)).save(path)
        made.append((path, "".join(map(str, labels[chosen]))))
    right = sum(scans.read_lines(path, weights) == [text] for path, text in made)
    monkeypatch.setattr(page, "even_light", lambda grey: grey)  # one global threshold, as before
    before = sum(scans.read_lines(path, weights) == [text] for path, text in made)
    print(f"\n10 scans half in shadow: {right} read exactly ({before} with one global threshold)")
    assert right >= 9 and before <= 2


def test_a_narrow_part_is_cut_only_into_pieces_read_surely(weights, monkeypatch):
    """Single digits written a little wide were cut in two (a 9 read 61); a part narrower than
    split.NARROW heights is read as several digits only when every piece reads split.SURE_PIECE.
    Of these 300 digits stretched to 0.95 heights, 3 are cut with the rule and 7 without it."""
    images, _ = scans.mnist_test_digits()
    digits = []
    for image in images[:300]:
        digit = _ink(image)
        digits.append(np.asarray(Image.fromarray(digit).resize((round(0.95 * digit.shape[0]), digit.shape[0]))))

    def cut():
        return sum(len(split.split_part(digit, weights, weights.preprocessing.stroke)) > 1 for digit in digits)

    with_rule = cut()
    monkeypatch.setattr(split, "SURE_PIECE", 0.0)
    without_rule = cut()
    assert with_rule <= 4 and without_rule >= with_rule + 3


def test_a_floating_bar_joins_one_digit_only(tmp_path, weights):
    """A 7 whose bar does not touch its stem, beside a 0: the bar is short and near both, and
    joined them into one part read as a single digit; it belongs to its nearest part only."""
    zero = [(70 + 45 * np.cos(t), 140 + 90 * np.sin(t)) for t in np.linspace(0, 2 * np.pi, 60)]
    strokes = [[(round(x), round(y)) for x, y in zero], [(245, 75), (195, 235)], [(150, 57), (236, 57)]]
    path = tmp_path / "floating_bar.png"
    render_strokes([_dense(s) for s in strokes], width=12).save(path)
    assert scans.read_lines(path, weights) == ["07"]


def test_a_one_overlapping_its_neighbour_is_cut_out(weights):
    """A 1 against another digit makes a part narrower than 0.8 heights, which was never cut
    (`7190` read `790`); parts are cut from split.WIDE (0.5) heights.  Of these 21 pairs of a
    1 and another MNIST digit overlapping by 4 columns, 5 read right (none from 0.8 heights)
    until a narrow part rejected whole was left whole (split.REJECTED_WIDE, for letters): now 1
    (a measured trade: docs/experiments.md, "Real letters")."""
    images, labels = scans.mnist_test_digits()
    ones, others = np.flatnonzero(labels == 1), np.flatnonzero(labels != 1)
    pairs = []
    for k in range(120):
        left, right = (ones[k], others[k]) if k % 2 else (others[k], ones[k])
        part = _touching([_ink(images[left]), _ink(images[right])], shared=4)
        if part.shape[1] < 0.8 * part.shape[0]:
            pairs.append((part, [labels[left], labels[right]]))
    read_right = 0
    for part, truth in pairs:
        found = split.split_part(part, weights, weights.preprocessing.stroke)
        read = classify(weights, np.stack([image.ravel() for image, _ in found])).argmax(axis=1)
        read_right += read.tolist() == truth
    assert len(pairs) == 21 and read_right >= 1


def _png_claiming(path, width, height):
    """Write a small PNG whose header claims ``width`` x ``height`` pixels (the data is a 1x1 image's)."""
    buffer = io.BytesIO()
    Image.new("L", (1, 1)).save(buffer, "PNG")
    data = bytearray(buffer.getvalue())
    header = b"IHDR" + struct.pack(">II", width, height) + bytes(data[24:29])
    data[12:29] = header
    data[29:33] = struct.pack(">I", zlib.crc32(header))
    path.write_bytes(bytes(data))
    return path


@pytest.mark.parametrize("width, height", [(9000, 8000), (10000, 10000), (20000, 10000)])
def test_one_wording_for_images_over_the_pixel_limit(tmp_path, width, height):
    # Over the project's limit, over Pillow's warning limit, over Pillow's error limit: one message.
    path = _png_claiming(tmp_path / "big.png", width, height)
    with pytest.raises(decode.ImageError) as error:
        decode.open_image(path)
    assert re.fullmatch(rf"{re.escape(str(path))}: [\d,x]+ pixels is over the limit of 64 megapixels", str(error.value))


@pytest.mark.parametrize("kind, floor", [("ruled", 0.8), ("squared", 0.85), ("comb", 0.85), ("boxes", 0.85)])
def test_numbers_on_printed_paper_are_read_without_its_lines(tmp_path, weights, kind, floor):
    # Measured with the shipped model on these seeds: ruled 28, squared 28, comb 29, boxes 28 of 30
    # (the pipeline without scan/lines.py: 1, 3, 6, 12 of 30).
    made = scans.make_paper(30, kind, 1000, tmp_path)
    exact, _ = score(made, weights)
    print(f"\n30 four-digit numbers on {kind} paper: {exact:.0%} read exactly")
    assert exact >= floor


def test_a_photo_of_squared_paper_loses_its_grid(tmp_path, weights):
    # Photographed, a tilted grid's lines leave slivers along their edges; measured as the
    # writing's strokes, they made the grid look as thick as the ink, and it was read as one part.
    made = scans.make_paper(4, "squared", 3000, tmp_path, photo=True)
    found = [segment.read_page(path, weights) for path, _ in made]
    assert all(reading.lines.mean() > 0.005 for reading in found)  # the grid is taken for paper
    assert all(len(reading.digits) >= 4 for reading in found)  # not one part of grid and digits


@pytest.mark.parametrize("degrees", [0, 3, -3])
def test_a_tilted_comb_field_loses_its_separators(degrees):
    # Photographed, a comb field is tilted: no one column holds a separator, and the top row of
    # its box holds a side's end as well as the top line; both are measured with the tilt out.
    field = np.zeros((150, 420), bool)
    field[[40, 41, 42, 110, 111, 112], 40:360] = True  # top and bottom lines, 3 px
    for x in (40, 120, 200, 280, 357):
        field[40:113, x:x + 3] = True  # sides and separators
    sevens = np.zeros_like(field)
    for x in (70, 150, 230, 310):
        sevens[55:100, x:x + 6], sevens[55:61, x - 20:x + 6] = True, True
    field, sevens = (ndimage.rotate(m.astype(float), degrees, order=1, reshape=False) > 0.5 for m in (field, sevens))
    paper = lines.find_lines(field | sevens)
    assert len(paper.frames) == 1  # a comb: its digits make one number
    assert (paper.lines & field).sum() > 0.95 * field.sum() and not (paper.lines & sevens).any()
    assert ndimage.label((field | sevens) & ~paper.lines, structure=np.ones((3, 3)))[1] == 4  # the 7s alone


def test_a_digit_alone_is_never_taken_for_a_printed_line():
    # A 7's bar and stem are long for so small an image, but one of each, as thick as the rest.
    seven = np.zeros((120, 100), bool)
    seven[20:26, 20:80] = True
    for row in range(26, 100):
        seven[row, 74 - (row - 26) // 3:80 - (row - 26) // 3] = True
    assert not lines.find_lines(seven).lines.any()
    # Two thin rules across a page make it ruled: the rules go, the 7 stays whole.
    page = np.zeros((120, 300), bool)
    page[:, :100] = seven
    page[[60, 110], :] = True
    found = lines.find_lines(page).lines
    assert found[60].sum() > 250 and found[110].sum() > 290 and not (found[:, :100] & seven).any()
    assert ndimage.label(page & ~found, structure=np.ones((3, 3)))[1] == 1  # the stem is not cut at the rule


def test_two_thin_ones_beside_thicker_digits_are_not_rules():
    # In a tight crop two 1s, thinner than the 8 beside them, are two parallel runs a fifth of the
    # image long; but no longer than a digit is high, so no printed page (a fresh flat scan, 1184).
    page = np.zeros((90, 320), bool)
    page[10:80, [30, 31, 32, 80, 81, 82]] = True  # two 1s, 3 px
    for x in (140, 230):  # two rings, 10 px strokes
        rows, columns = np.ogrid[:90, :320]
        distance = np.hypot(rows - 45, columns - x - 30)
        page |= (distance < 34) & (distance > 24)
    assert not lines.find_lines(page).lines.any()


def test_wobbling_bars_in_a_small_image_are_not_rules():
    # Two 1-px bars beside a thicker digit, alone in a small scan (a thin-pen 7's top bar and
    # crossbar), each a fifth of the image long but stepping a row every 10 px: only lines long
    # enough to step a row once levelled (an image that long) are followed across steps.
    page = _rings((170, 160), [(80, 120)], radius=25)
    for start in range(20, 70, 10):
        step = (start // 10) % 2
        page[60 + step, start:start + 10] = page[90 + step, start:start + 10] = True
    assert not lines.find_lines(page).lines.any()


def _rings(shape, centres, radius=30, stroke=6):
    """A page of ``shape`` holding rings (digits' stand-ins) of ``stroke`` px around ``centres``."""
    rows, columns = np.ogrid[:shape[0], :shape[1]]
    page = np.zeros(shape, bool)
    for row, column in centres:
        distance = np.hypot(rows - row, columns - column)
        page |= (distance < radius) & (distance > radius - stroke)
    return page


def test_a_tilted_rule_along_the_edge_of_the_ink_is_found_whole():
    # Rules rising to the right from a margin, the lowest one the ink's bottom edge: levelled to
    # the ink's left edge, where it would lie below the ink, it must not slide out of the crop.
    page = _rings((400, 1200), [(100, 40), (100, 500)])
    columns = np.arange(300, 1200)
    rules = np.zeros_like(page)
    for bottom in (200, 300, 398):
        row = np.round(bottom - (columns - 300) * np.tan(np.radians(2))).astype(int)
        rules[row, columns] = rules[row - 1, columns] = True
    found = lines.find_lines(page | rules).lines
    for bottom in (200, 300, 398):  # each rule found nearly whole
        band = rules.copy()
        band[:bottom - 40], band[bottom + 1:] = False, False
        assert (found & band).sum() > 0.95 * band.sum()


def test_a_rule_stepping_a_row_up_and_down_is_found():
    # In a photo a levelled rule still steps a row either way every so often: its pieces in
    # each row are shorter than a page-wide run, but they are one line.
    page = _rings((400, 1200), [(150, 300), (150, 500)])
    rules = np.zeros_like(page)
    for top in (100, 200, 300):
        for start in range(0, 1200, 100):
            rules[top + (start // 100) % 2, start:start + 100] = True
    found = lines.find_lines(page | rules).lines
    assert (found & rules).sum() > 0.95 * rules.sum()
    assert not (found & page).sum() > 0.05 * page.sum()  # the rings stay ink


def test_slivers_along_a_grid_do_not_pass_for_the_writing():
    # In a photo of squared paper, slivers a pixel wide run along the grid's lines, clear of them:
    # more of them than of the digits' pixels, they made the writing look thinner than the grid.
    page = _rings((900, 1200), [(300, 300), (300, 380), (300, 460), (300, 540)])
    grid = np.zeros_like(page)
    grid[20::40, :] = grid[21::40, :] = grid[:, 20::40] = grid[:, 21::40] = True
    slivers = np.zeros_like(page)
    for start in range(3):  # short pieces 3 px off each line, gaps wider than lines.GAP
        slivers[24::40, start::10] = slivers[start::10, 24::40] = True
    found = lines.find_lines(page | grid | slivers).lines
    assert (found & grid).sum() > 0.9 * grid.sum()  # the grid is taken for paper
    assert not (found & page & ~grid).any()  # the rings stay ink


def test_slivers_a_removed_grid_leaves_are_not_digits():
    # Pieces of a grid's lines left beside them read as a flat 2 or 4 and a page-tall 1; on
    # printed paper they go, while a 1 as tall as the digits stays.  Off printed paper, all stay.
    page = _rings((600, 900), [(300, 200), (300, 300), (300, 400)])
    page[270:331, 497:503] = True  # a 1, the digits' height (60 px)
    page[450:455, 100:400] = True  # a flat sliver, 5 px high and 300 long
    page[220:370, 700:704] = True  # a tall thin sliver, 150 px high
    ink = page.astype(float)
    boxes = [box for _, box, _, _ in segment.find_parts(ink, page, page, printed=True)]
    assert sorted(int(left) for left, _, _, _ in boxes) == [171, 271, 371, 497]
    assert len(list(segment.find_parts(ink, page, page))) == 6


def test_annotate_shows_the_printed_lines_faintly(tmp_path):
    (path, text), = scans.make_paper(1, "ruled", 7, tmp_path)
    out = tmp_path / "read.png"
    result = subprocess.run([sys.executable, str(PROJECT_DIR / "recognise.py"), "--annotate", str(out), str(path)],
                            capture_output=True, text=True, timeout=60)
    assert result.returncode == 0 and Path(out).exists()
    picture = np.asarray(Image.open(out).convert("RGB")).astype(int)
    bluish = (picture[..., 2] - picture[..., 0] > 25) & (picture[..., 1] > 150)
    assert bluish.sum() > 100  # the rules, washed out in blue


def test_a_photo_of_ruled_paper_is_one_sheet_not_bands(tmp_path):
    # The rules part the sheet into bands each too small to be a sheet; closed over, they go.
    (path, text), = scans.make_paper(1, "ruled", 1, tmp_path, photo=True)
    grey, _ = segment.open_image(path)
    assert page._find_sheet(grey, grey) is None  # the bands alone: no sheet
    sheet = page.find_sheet(grey)
    assert sheet is not None and 0.2 < sheet.mean() < 0.9


def test_holes_are_filled_as_scipy_fills_them():
    rng = np.random.default_rng(5)
    for density in (0.3, 0.5, 0.7):
        mask = ndimage.binary_opening(rng.random((120, 160)) < density)
        assert np.array_equal(page._fill_holes(mask), ndimage.binary_fill_holes(mask))


def test_a_blot_of_ink_is_not_taken_for_a_box():
    # A thick, small 1 (a real writer's, 8x8 enlarged) is ink on all four sides of its box, as a
    # printed box is; but it is ink inside too.
    blot = np.zeros((137, 113), bool)
    blot[53:90, 46:67] = True
    blot[[53, 53, 89, 89], [46, 66, 46, 66]] = False  # its corners a little round
    paper = lines.find_lines(blot)
    assert paper.frames == [] and not paper.lines.any()  # boxes on paper: test_numbers_on_printed_paper...


def test_a_digit_touching_the_images_border_is_read(tmp_path, weights):
    # "427" drawn dark on white, cropped so close that the 7 runs off the top: ink at the border is
    # writing, not a desk around a sheet, and the 7 is read with the others.
    def placed(points, x0, y0, size=130):
        return [(x0 + 0.7 * size * x, y0 + size * y) for x, y in points]

    strokes = [placed([(0.6, 0), (0, 0.65), (0.9, 0.65)], 40, 40), placed([(0.65, 0.2), (0.65, 1)], 40, 40),
               placed([(0.05, 0.25), (0.3, 0), (0.7, 0), (0.85, 0.25), (0, 1), (0.9, 1)], 190, 40),
               placed([(0, 0.1), (0.9, 0.1), (0.4, 1)], 340, -10)]
    drawn = render_strokes(strokes, (500, 200), 12)
    path = tmp_path / "cropped.png"
    Image.fromarray(255 - np.asarray(drawn)).save(path)
    assert np.asarray(drawn)[0].any()  # the 7 touches the top edge
    assert segment.read_page(path, weights).texts() == ["427"]
