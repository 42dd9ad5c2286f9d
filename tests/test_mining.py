"""The cutter's own pieces as training examples: labels from whose ink they hold, repeatability."""

import itertools

import numpy as np

import handwriting
import mining
import mnist
import preprocess
import segment
import split
from model import NO_CLASS


def digits(n=500):
    """The first n MNIST training digits as uint8 (n x 784) and their labels."""
    data = mnist.load(mnist.BUNDLED_DIR)
    return data.X[:n], data.y[:n]


def test_piece_targets_follow_the_ink_shares():
    totals = np.array([100.0, 100.0, 100.0])
    labels = np.array([7, 2, 9])
    assert mining.piece_target(np.array([95.0, 3.0, 0.0]), totals, labels) == 7  # a 7 nearly whole
    assert mining.piece_target(np.array([0.0, 40.0, 50.0]), totals, labels) == NO_CLASS  # a blot of 2 and 9
    assert mining.piece_target(np.array([95.0, 20.0, 0.0]), totals, labels) is None  # a 7 with too much of the 2
    assert mining.piece_target(np.array([60.0, 0.0, 0.0]), totals, labels) is None  # most of a 7 only
    assert mining.piece_target(np.array([0.0, 0.0, 100.0]), totals, labels) == 9


def test_ink_inside_each_piece_is_counted_as_a_mask_would():
    # The shares come from running sums along the rows; a piece's mask (the columns strictly
    # between its two cuts, in every row; none where the cuts cross) must hold the same ink.
    pixels, labels = digits()
    images = pixels.reshape(-1, 28, 28)
    rng = np.random.default_rng(3)
    seen, checked = [], 0
    real = mining.piece_target

    def spy(inside, totals, digit_labels):
        seen.append(inside)
        return real(inside, totals, digit_labels)

    mining.piece_target = spy
    try:
        for _ in range(6):
            chosen = rng.integers(len(images), size=4)
            placed = []
            page, alpha = handwriting.write_number(images[chosen], rng, touching={1, 2}, placed=placed)
            layers = handwriting.digit_layers(placed, alpha.shape)
            list(mining.label_pieces(page, layers, labels[chosen], np.random.default_rng(0)))
            for crop, (left, top, right, bottom), line_height, alone in segment.find_parts(page):
                if not split.may_hold_several(crop.shape, line_height, alone):
                    continue
                bounds = split.cut_bounds(crop)
                columns = np.arange(crop.shape[1])
                for a, b in itertools.combinations(range(len(bounds)), 2):
                    between = (columns > bounds[a][:, None]) & (columns < bounds[b][:, None])
                    direct = (layers[:, top:bottom, left:right] * between).sum(axis=(1, 2))
                    np.testing.assert_allclose(seen[checked], direct, atol=1e-3)
                    checked += 1
    finally:
        mining.piece_target = real
    assert checked == len(seen) and checked > 100


def test_mined_pieces_are_repeatable_on_any_number_of_cores(monkeypatch):
    pixels, labels = digits()
    found = {}
    for workers in (1, 2):
        monkeypatch.setattr(preprocess, "WORKERS", workers)
        found[workers] = mining.mine_pieces(pixels, labels, 30, np.random.default_rng(7), preprocess.MNIST_STROKE)
    images, targets = found[1]
    np.testing.assert_array_equal(images, found[2][0])
    np.testing.assert_array_equal(targets, found[2][1])
    assert images.shape == (len(targets), 784) and images.dtype == np.float32 and len(targets) > 100
    assert np.isfinite(images).all() and images.min() >= 0 and images.max() <= 1
    assert set(targets.tolist()) <= set(range(10)) | {NO_CLASS}
    assert 0.2 < np.mean(targets == NO_CLASS) < 0.8  # blots thinned to about as many as digits
    other, _ = mining.mine_pieces(pixels, labels, 30, np.random.default_rng(8), preprocess.MNIST_STROKE)
    assert other.shape != images.shape or not np.array_equal(other, images)


def test_pieces_labelled_digits_read_as_those_digits():
    # The shipped network, trained on whole digits, reads most pieces labelled d as d: the
    # labels are the digits' (chance is 10 %).
    from prediction import classify
    from thetas import PRETRAINED_DIR, load_network
    network = load_network(PRETRAINED_DIR)
    pixels, labels = digits()
    images, targets = mining.mine_pieces(pixels, labels, 30, np.random.default_rng(7), network.stroke)
    whole = targets != NO_CLASS
    assert np.mean(classify(network, images[whole]).argmax(axis=1) == targets[whole]) >= 0.8


def test_mined_pieces_are_trained_on_in_the_last_round_only(monkeypatch):
    # Tiny runs, same seed, with and without mined pieces: the pieces are the design's last
    # rows, left out of the first round's cost and in the last one's; and on fresh blots the
    # largest output falls, while whole digits are read about as well.
    import training
    from prediction import output_activations, predict
    data = mnist.load(mnist.BUNDLED_DIR)
    pixels, labels = data.X[:2000], data.y[:2000]
    mined, targets = mining.mine_pieces(pixels, labels, 150, np.random.default_rng(1))
    fresh, fresh_targets = mining.mine_pieces(data.X[2000:4000], data.y[2000:4000], 60, np.random.default_rng(2))
    blots = fresh[fresh_targets == NO_CLASS]
    rows_seen = []
    real = training.Objective

    def recording(design, *args, **kwargs):
        rows_seen.append(len(design))
        return real(design, *args, **kwargs)

    monkeypatch.setattr(training, "Objective", recording)
    largest, right = [], []
    for pieces, pieces_targets in ((None, ()), (mined, targets)):
        rows_seen.clear()
        design = training.build_design(pixels, np.float32, 1, np.random.default_rng(1), mined=pieces)
        Theta1, Theta2, *_ = training.train_in_rounds(design, labels, pixels, np.random.default_rng(1), rounds=2,
                                                      maxiter=80, lamb=1.0, mined_targets=pieces_targets)
        largest.append(np.median(output_activations(Theta1, Theta2, blots).max(axis=1)))
        right.append(np.mean(predict(Theta1, Theta2, mnist.scale(data.X[4000:5000])) == data.y[4000:5000]))
    assert rows_seen == [4000, 4000 + len(mined)]
    np.testing.assert_array_equal(design[4000:, 1:], mined)
    assert largest[1] < 0.5 * largest[0]
    assert right[1] > right[0] - 0.03
