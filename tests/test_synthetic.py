"""The made-up handwriting (synthetic/): distorted copies, touching pairs and pieces, written numbers."""

import numpy as np

import mnist
import preprocess
import scans
from synthetic import distort, touching


def digits(n=64):
    """The first n MNIST training digits as uint8 (n x 784) and their labels."""
    data = mnist.load(mnist.BUNDLED_DIR)
    return data.X[:n], data.y[:n]


def test_shapes_range_and_no_nan():
    pixels, _ = digits()
    out = distort.distort(pixels, np.random.default_rng(0))
    assert out.shape == (64, 784) and out.dtype == np.float32
    assert np.all(np.isfinite(out)) and out.min() >= 0 and out.max() <= 1
    # Extreme settings too: nothing leaves [0, 1] or becomes NaN.
    wild = distort.distort(pixels, np.random.default_rng(1), rotation=90, scale=(0.3, 3), shear=2,
                           shift=10, alpha=300, thicker=1, thinner=1)
    assert np.all(np.isfinite(wild)) and wild.min() >= 0 and wild.max() <= 1


def test_same_seed_same_copies_and_floats_equal_uint8():
    pixels, _ = digits()
    a = distort.distort(pixels, np.random.default_rng(5))
    b = distort.distort(pixels, np.random.default_rng(5))
    np.testing.assert_array_equal(a, b)
    assert not np.array_equal(a, distort.distort(pixels, np.random.default_rng(6)))
    np.testing.assert_allclose(distort.distort(mnist.scale(pixels), np.random.default_rng(5)), a, atol=1e-6)


def test_same_copies_on_one_thread_and_on_several(monkeypatch):
    # Blocks are distorted and deskewed side by side; each block's random numbers are drawn
    # in order in the calling thread, so the thread count must not change a single bit.
    pixels, labels = digits(300)
    made = {}
    for workers in (1, 2, 3):
        monkeypatch.setattr(preprocess, "WORKERS", workers)
        rows = distort.distort(pixels, np.random.default_rng(7), chunk=64)
        rows = preprocess.deskew(rows, chunk=64, recentre=True)
        pairs = touching.touching_pairs(pixels, 200, np.random.default_rng(7), chunk=64)
        pieces = touching.cut_pieces(pixels, labels, touching.piece_targets(200), np.random.default_rng(7), chunk=64)
        made[workers] = np.concatenate([rows, pairs, pieces])
    np.testing.assert_array_equal(made[1], made[2])
    np.testing.assert_array_equal(made[1], made[3])


def test_copies_stay_close_to_their_digit_but_differ():
    pixels, labels = digits(200)
    original = mnist.scale(pixels)
    copies = distort.distort(pixels, np.random.default_rng(0))
    same = np.array([np.corrcoef(o, c)[0, 1] for o, c in zip(original, copies)])
    assert np.median(same) > 0.5  # still the same digit, roughly in place
    assert np.all(np.abs(copies - original).sum(axis=1) > 1)  # but every one changed
    # Ink moves but is not lost or invented wholesale.
    ratio = copies.sum(axis=1) / original.sum(axis=1)
    assert 0.5 < np.median(ratio) < 1.6


def test_touching_pairs_shapes_range_and_repeatability():
    pixels, _ = digits(200)
    pairs = touching.touching_pairs(pixels, 300, np.random.default_rng(4), stroke=preprocess.MNIST_STROKE)
    assert pairs.shape == (300, 784) and pairs.dtype == np.float32
    assert np.all(np.isfinite(pairs)) and pairs.min() >= 0 and pairs.max() <= 1
    np.testing.assert_array_equal(pairs, touching.touching_pairs(pixels, 300, np.random.default_rng(4),
                                                                stroke=preprocess.MNIST_STROKE))
    assert not np.array_equal(pairs, touching.touching_pairs(pixels, 300, np.random.default_rng(5)))


def test_touching_pairs_are_framed_as_the_scan_command_frames_one_part():
    from scipy import ndimage
    pixels, _ = digits(200)
    pairs = touching.touching_pairs(pixels, 300, np.random.default_rng(6)).reshape(-1, 28, 28)
    boxes = [preprocess.ink_bounding_box(pair) for pair in pairs]
    heights = np.array([bottom - top for top, bottom, _, _ in boxes])
    widths = np.array([right - left for _, _, left, right in boxes])
    # Two digits side by side: wider than tall, the longer side scaled to the 20 px box (+-1 px
    # of anti-aliased edge; a faint speck far out can make the box a little larger), centred.
    assert np.median(widths / heights) > 1.15  # measured 1.24: narrow digits, overlaps
    assert np.mean(np.abs(np.maximum(widths, heights) - preprocess.BOX) <= 1) > 0.95
    centres = np.array([preprocess.centre_of_mass(pair) for pair in pairs])
    assert np.all(np.abs(centres - preprocess.CENTRE) < 3)
    # Touching: the two digits' ink is one part in nearly all (a digit broken in MNIST itself
    # is the exception).
    parts = np.array([ndimage.label(pair > 0.3, structure=np.ones((3, 3)))[1] for pair in pairs])
    assert np.mean(parts == 1) > 0.85


def test_cut_pieces_hold_one_digit_or_a_digit_and_much_of_its_neighbour():
    from model import NO_CLASS
    from prediction import classify
    from thetas import PRETRAINED_DIR, load_network
    pixels, labels = digits(2000)
    targets = touching.piece_targets(400)
    assert np.sum(targets == NO_CLASS) == 200 and set(targets[targets != NO_CLASS]) == set(range(10))
    pieces = touching.cut_pieces(pixels, labels, targets, np.random.default_rng(8))
    assert pieces.shape == (400, 784) and pieces.dtype == np.float32
    assert pieces.min() >= 0 and pieces.max() <= 1
    np.testing.assert_array_equal(pieces, touching.cut_pieces(pixels, labels, targets, np.random.default_rng(8)))
    # Framed as the scan command frames a part: longer side 20 px, centre of mass in the middle.
    images = pieces.reshape(-1, 28, 28)
    boxes = np.array([preprocess.ink_bounding_box(image) for image in images])
    heights, widths = boxes[:, 1] - boxes[:, 0], boxes[:, 3] - boxes[:, 2]
    assert np.mean(np.abs(np.maximum(heights, widths) - preprocess.BOX) <= 1) > 0.95
    centres = np.array([preprocess.centre_of_mass(image) for image in images])
    assert np.all(np.abs(centres - preprocess.CENTRE) < 3)
    # A good piece is one digit (measured median width/height 0.76); a bad one a digit and much
    # of its neighbour (1.00).  The shipped network reads the good ones as their digits
    # (measured 98.5 %).
    good = targets != NO_CLASS
    assert np.median(widths[good] / heights[good]) < 0.85 < 0.95 < np.median(widths[~good] / heights[~good])
    read = classify(load_network(PRETRAINED_DIR), pieces).argmax(axis=1)
    assert np.mean(read[good] == targets[good]) > 0.9


def test_write_number_reports_each_digits_ink_without_changing_the_scan():
    """bench/bench_touching.py reads each digit's own ink: the same page, layers that make alpha."""
    images, _ = scans.mnist_test_digits()
    plain = scans.write_number(images[:4], np.random.default_rng(5), touching={1, 3})
    placed = []
    page, alpha = scans.write_number(images[:4], np.random.default_rng(5), touching={1, 3}, placed=placed)
    assert np.array_equal(page, plain[0]) and np.array_equal(alpha, plain[1]) and len(placed) == 4
    assert np.array_equal(scans.digit_layers(placed, alpha.shape).max(axis=0), alpha)


def test_printed_paper_is_repeatable_and_drawn_where_asked(tmp_path):
    # bench/bench_paper.py's pages: the same seed writes the same files; a squared page's grid
    # has cells of half the digits' height, a comb field a separator between every two digits.
    first = scans.make_paper(3, "ruled", 5, tmp_path / "a")
    again = scans.make_paper(3, "ruled", 5, tmp_path / "b")
    assert [p.read_bytes() for p, _ in first] == [p.read_bytes() for p, _ in again]
    assert all(len(text) == 4 for _, text in first)
    boxes = [(10, 20, 40, 60), (55, 22, 80, 60), (95, 18, 125, 61)]
    draw = scans.printed_lines("squared", boxes, 40.0, np.random.default_rng(1))
    coverage, level = draw((100, 140))
    rows = np.flatnonzero(coverage[:, 3] > 0.5)
    starts = rows[np.r_[True, np.diff(rows) > 1]]
    assert 0.45 < level < 0.8 and np.allclose(np.diff(starts), 20, atol=1.5)
    comb, _ = scans.printed_lines("comb", boxes, 40.0, np.random.default_rng(2))((100, 140))
    middle = comb[40]  # a row through the digits: the field's two sides and two separators
    columns = np.flatnonzero(middle > 0.5)
    assert len(np.flatnonzero(np.diff(columns) > 1)) + 1 == 4
    assert columns.min() < boxes[0][0] and columns.max() > boxes[-1][2]
