"""MNIST-style preprocessing of drawn and scanned digits, and its accuracy with the default weights."""

import numpy as np
import pytest
from PIL import Image

import mnist
import preprocess
from prediction import load_thetas, predict

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
    weights = load_thetas()
    ours = predict(*weights, np.stack([preprocess.to_mnist(c).ravel() for c in canvases]))
    squashed = predict(*weights, np.stack([preprocess.squash(c).ravel() for c in canvases]))
    untouched = predict(*weights, mnist.scale(digits))
    accuracy = np.mean(ours == labels)
    print(f"\n2,000 MNIST test digits drawn at 30-90 % of the canvas, anywhere: "
          f"to_mnist {accuracy:.2%}, whole-canvas squash {np.mean(squashed == labels):.2%}, "
          f"the original 28x28 images {np.mean(untouched == labels):.2%}")
    assert accuracy >= 0.96
