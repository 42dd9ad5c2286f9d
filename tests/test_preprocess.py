"""MNIST-style preprocessing of drawn and scanned digits, and its accuracy with the default weights."""

import numpy as np
import pytest
from PIL import Image

import mnist
import preprocess
from prediction import classify, load_network
from thetas import PRETRAINED_DIR

CANVAS = 280


def test_blank_gives_none():
    assert preprocess.to_mnist(np.zeros((280, 280))) is None
    assert preprocess.to_mnist(np.full((50, 50), 0.01)) is None  # below the ink threshold


def test_thin_stroke_keeps_its_aspect_ratio():
    ink = np.zeros((280, 280), np.float32)
    ink[40:240, 130:150] = 1  # a "1": 200 tall, 20 wide
    digit = preprocess.to_mnist(ink)
    columns = np.flatnonzero(digit.max(axis=0) > 0.1)
    rows = np.flatnonzero(digit.max(axis=1) > 0.1)
    assert rows.size == 20  # the long side fills the 20 px box
    assert columns.size <= 4  # and the short side is scaled alike, not stretched into a blob


def test_centred_by_centre_of_mass_and_in_range():
    rng = np.random.default_rng(0)
    ink = np.zeros((300, 200), np.float32)
    ink[10:90, 150:190] = rng.random((80, 40))  # small, off-centre, lopsided
    digit = preprocess.to_mnist(ink)
    assert digit.shape == (28, 28) and digit.dtype == np.float32
    assert 0 <= digit.min() and digit.max() <= 1
    rows, cols = preprocess.centre_of_mass(digit)
    assert abs(rows - 14) <= 0.5 and abs(cols - 14) <= 0.5


def test_uint8_input_is_scaled():
    ink = np.zeros((100, 100), np.uint8)
    ink[20:80, 40:60] = 255
    np.testing.assert_allclose(preprocess.to_mnist(ink), preprocess.to_mnist(ink / 255.0), atol=1e-6)


def draw_on_canvas(digit, rng):
    """Put a 28x28 MNIST digit on a black canvas as a user might draw it: any size, anywhere."""
    side = int(rng.uniform(0.3, 0.9) * CANVAS)
    big = Image.fromarray(digit.reshape(28, 28)).resize((side, side), Image.Resampling.BICUBIC)
    canvas = Image.new("L", (CANVAS, CANVAS), 0)
    canvas.paste(big, (int(rng.integers(0, CANVAS - side + 1)), int(rng.integers(0, CANVAS - side + 1))))
    return np.asarray(canvas)


def test_accuracy_on_digits_drawn_anywhere_any_size():
    data = mnist.load(mnist.BUNDLED_DIR)
    digits, labels = data.X[data.n_train:data.n_train + 2000], data.y[data.n_train:data.n_train + 2000]
    rng = np.random.default_rng(0)
    canvases = [draw_on_canvas(digit, rng) for digit in digits]
    network = load_network(PRETRAINED_DIR)  # the shipped weights, with the preprocessing they expect
    ours = classify(network, np.stack([preprocess.to_mnist(c).ravel() for c in canvases])).argmax(axis=1)
    squashed = classify(network, np.stack([preprocess.squash(c).ravel() for c in canvases])).argmax(axis=1)
    untouched = classify(network, mnist.scale(digits)).argmax(axis=1)
    accuracy = np.mean(ours == labels)
    print(f"\n2,000 MNIST test digits drawn at 30-90 % of the canvas, anywhere: "
          f"to_mnist {accuracy:.2%}, whole-canvas squash {np.mean(squashed == labels):.2%}, "
          f"the original 28x28 images {np.mean(untouched == labels):.2%}")
    assert accuracy >= 0.96


def covariance(image):
    """Return cov(x, y) / var(y) of a 28x28 image's ink: 0 for an upright digit."""
    image = np.asarray(image, dtype=float).reshape(28, 28)
    coords = np.arange(28)
    total = image.sum()
    y = image.sum(axis=1) @ coords / total
    x = image.sum(axis=0) @ coords / total
    dy, dx = coords[:, None] - y, coords[None, :] - x
    return (dy * dx * image).sum() / (dy ** 2 * image).sum()


def upright_digit():
    """A '0'-like upright ellipse ring, symmetric about its vertical axis."""
    yy, xx = np.mgrid[:28, :28]
    r = ((yy - 14) / 9.0) ** 2 + ((xx - 14) / 5.0) ** 2
    return np.clip(1.5 - 4 * np.abs(r - 1), 0, 1).astype(np.float32)


def test_deskew_straightens_a_known_shear():
    digit = upright_digit()
    # Shear by a known amount with Pillow (independent of our own sampling): 0.4 px per row.
    sheared = Image.fromarray(digit, mode="F").transform(
        (28, 28), Image.Transform.AFFINE, (1, 0.4, -0.4 * 14, 0, 1, 0), Image.Resampling.BILINEAR)
    sheared = np.asarray(sheared)
    assert abs(covariance(sheared)) > 0.3
    straight = preprocess.deskew(sheared.reshape(1, -1))[0]
    assert abs(covariance(straight)) < 0.01
    # And it is the original digit again (up to two rounds of interpolation blur).
    assert np.corrcoef(straight, digit.ravel())[0, 1] > 0.9 > 0.5 > np.corrcoef(sheared.ravel(), digit.ravel())[0, 1]


def test_deskew_leaves_upright_and_empty_alone():
    digit = upright_digit().reshape(1, -1)
    np.testing.assert_allclose(preprocess.deskew(digit), digit, atol=1e-5)
    np.testing.assert_array_equal(preprocess.deskew(np.zeros((2, 784))), np.zeros((2, 784)))


def test_deskew_in_place_matches_copy():
    images = mnist.load(mnist.BUNDLED_DIR).X[:50].astype(np.float32)
    copy = preprocess.deskew(images)
    preprocess.deskew(images, out=images)
    np.testing.assert_array_equal(images, copy)


def stroke_of(image):
    """Return the stroke width of a 28x28 image as a fraction of its 20 px box, measured at 4x."""
    big = np.asarray(Image.fromarray(np.float32(image).reshape(28, 28), mode="F").resize(
        (112, 112), Image.Resampling.BILINEAR))
    return preprocess.stroke_width(big > 0.5) / 80


def test_stroke_width_brings_thin_pens_to_mnists_and_leaves_others():
    from drawing import render_strokes
    seven = [[(70, 40), (210, 40), (120, 250)]]
    widths = {}
    for pen in (3, 12, 30, 45):
        ink = np.asarray(render_strokes(seven, width=pen))
        plain = preprocess.to_mnist(ink)
        normal = preprocess.to_mnist(ink, preprocess.MNIST_STROKE)
        widths[pen] = stroke_of(plain), stroke_of(normal)
        if pen == 45:  # wider than MNIST's strokes: left as it is
            np.testing.assert_allclose(normal, plain, atol=0.02)
    # Thin and thick pens end up much closer in width, near MNIST's typical 0.138 of the box.
    spread_plain = widths[45][0] - widths[3][0]
    spread_normal = widths[45][1] - widths[3][1]
    assert spread_normal < 0.5 * spread_plain
    assert all(0.1 < normal < 0.25 for _, normal in widths.values())
    print("\nstroke width / box, pens 3, 12, 30, 45 px: as drawn "
          + ", ".join(f"{w[0]:.3f}" for w in widths.values()) + "; normalised "
          + ", ".join(f"{w[1]:.3f}" for w in widths.values()))


def test_stroke_width_leaves_mnist_digits_nearly_unchanged():
    data = mnist.load(mnist.BUNDLED_DIR)
    digits = data.X[data.n_train:data.n_train + 300]
    plain = np.stack([preprocess.to_mnist(d.reshape(28, 28)) for d in digits])
    normal = np.stack([preprocess.to_mnist(d.reshape(28, 28), preprocess.MNIST_STROKE) for d in digits])
    change = np.abs(normal - plain).sum(axis=(1, 2)) / plain.sum(axis=(1, 2))
    assert np.median(change) < 0.15  # most MNIST digits are at or above the typical width
    network = load_network(PRETRAINED_DIR)
    same = classify(network, normal.reshape(-1, 784)).argmax(1) == classify(network, plain.reshape(-1, 784)).argmax(1)
    assert same.mean() >= 0.98


def test_recentring_deskew_puts_the_centre_of_mass_at_14_14():
    images = mnist.load(mnist.BUNDLED_DIR).X[:200].astype(np.float32) / 255
    plain = preprocess.deskew(images)
    centred = preprocess.deskew(images, recentre=True)
    offset = {name: np.array([preprocess.centre_of_mass(i.reshape(28, 28)) for i in block]) - 14
              for name, block in (("plain", plain), ("centred", centred))}
    # MNIST rounded its centring to whole pixels (about 0.24 px off on average); this is
    # sub-pixel, off only where a digit's ink would be pushed out of the frame.
    assert np.abs(offset["plain"]).mean() > 0.1
    assert np.abs(offset["centred"]).mean() < 0.01
    assert all(abs(covariance(image)) < 0.05 for image in centred)  # still upright
    np.testing.assert_allclose(centred.sum(axis=1), plain.sum(axis=1), rtol=0.05)  # ink kept
    np.testing.assert_array_equal(preprocess.deskew(np.zeros((2, 784)), recentre=True), np.zeros((2, 784)))


def test_in_parallel_runs_every_task_and_raises_their_errors():
    done = []
    preprocess.in_parallel((lambda i=i: done.append(i)) for i in range(10))
    assert sorted(done) == list(range(10))

    def fails():
        raise ValueError("block 3")
    with pytest.raises(ValueError, match="block 3"):
        preprocess.in_parallel(iter([lambda: None, fails, lambda: None]), workers=2)
