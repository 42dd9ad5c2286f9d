"""Loading MNIST: the bundled files, small IDX and .mat files, and every malformed input."""

import gzip
import struct

import numpy as np
import pytest
import scipy.io

import mnist
from mnist import DataError


def idx_bytes(array, magic_ndim=None):
    """Encode a uint8 array as IDX bytes."""
    ndim = array.ndim if magic_ndim is None else magic_ndim
    header = bytes([0, 0, 0x08, ndim]) + struct.pack(f">{array.ndim}I", *array.shape)
    return header + array.astype(np.uint8).tobytes()


def write_folder(folder, n_train=6, n_test=4, compress=True, seed=0):
    """Write four small valid IDX files; return (images, labels) in loader order."""
    rng = np.random.default_rng(seed)
    images = rng.integers(0, 256, size=(n_train + n_test, 28, 28), dtype=np.uint8)
    labels = rng.integers(0, 10, size=n_train + n_test, dtype=np.uint8)
    parts = {
        "train-images-idx3-ubyte": images[:n_train], "train-labels-idx1-ubyte": labels[:n_train],
        "t10k-images-idx3-ubyte": images[n_train:], "t10k-labels-idx1-ubyte": labels[n_train:],
    }
    for name, array in parts.items():
        data = idx_bytes(array)
        if compress:
            (folder / (name + ".gz")).write_bytes(gzip.compress(data))
        else:
            (folder / name).write_bytes(data)
    return images.reshape(-1, 784), labels


def test_bundled_data_is_mnist():
    data = mnist.load(mnist.BUNDLED_DIR)
    assert data.X.shape == (70000, 784) and data.X.dtype == np.uint8
    assert data.n_train == 60000
    assert np.bincount(data.y[:60000]).tolist() == [5923, 6742, 5958, 6131, 5842, 5421, 5918, 6265, 5851, 5949]
    assert np.bincount(data.y[60000:]).tolist() == [980, 1135, 1032, 1010, 982, 892, 958, 1028, 974, 1009]


@pytest.mark.parametrize("compress", [True, False])
def test_small_idx_folder_round_trips(tmp_path, compress):
    images, labels = write_folder(tmp_path, compress=compress)
    data = mnist.load(tmp_path)
    np.testing.assert_array_equal(data.X, images)
    np.testing.assert_array_equal(data.y, labels)
    assert data.n_train == 6


@pytest.mark.parametrize("transposed", [False, True])
def test_mat_in_article_layout(tmp_path, transposed):
    rng = np.random.default_rng(1)
    X = rng.integers(0, 256, size=(14, 784), dtype=np.uint8)
    y = rng.integers(0, 10, size=14)
    path = tmp_path / "mnist-original.mat"
    # The article's file: data 784 x N uint8, label 1 x N doubles.
    scipy.io.savemat(path, {"data": X if transposed else X.T, "label": y[None, :].astype(float)})
    data = mnist.load(path)
    np.testing.assert_array_equal(data.X, X)
    np.testing.assert_array_equal(data.y, y)
    assert data.n_train == 12


def test_default_data_prefers_the_articles_mat(tmp_path):
    cwd, bundled = tmp_path / "cwd", tmp_path / "bundled"
    cwd.mkdir()
    bundled.mkdir()
    assert mnist.find_default_data(cwd, bundled) == bundled
    (bundled / "mnist-original.mat").write_bytes(b"")
    assert mnist.find_default_data(cwd, bundled) == bundled / "mnist-original.mat"
    (cwd / "data").mkdir()
    (cwd / "data" / "mnist-original.mat").write_bytes(b"")
    assert mnist.find_default_data(cwd, bundled) == cwd / "data" / "mnist-original.mat"
    (cwd / "mnist-original.mat").write_bytes(b"")
    assert mnist.find_default_data(cwd, bundled) == cwd / "mnist-original.mat"


def corrupt(folder, name, data):
    """Replace one of the four files with ``data`` (uncompressed)."""
    (folder / (name + ".gz")).unlink()
    (folder / name).write_bytes(data)


def error_of(path):
    """Return the DataError message for loading ``path``, asserting it is one line."""
    with pytest.raises(DataError) as info:
        mnist.load(path)
    message = str(info.value)
    assert "\n" not in message
    return message


def test_missing_file_says_which_and_how(tmp_path):
    write_folder(tmp_path)
    (tmp_path / "t10k-labels-idx1-ubyte.gz").unlink()
    message = error_of(tmp_path)
    assert "t10k-labels-idx1-ubyte not found, raw or .gz" in message


def test_missing_path(tmp_path):
    assert "not found" in error_of(tmp_path / "nowhere")


def test_data_errors_say_what_a_data_folder_holds(tmp_path):
    # The user has just given --data: the message says what it must point at, not to use it.
    for path in (tmp_path / "nowhere", tmp_path):  # a missing path, an empty folder
        message = error_of(path)
        assert "use --data" not in message and "mnist-original.mat" in message
        assert all(name in message for pair in mnist.IDX_FILES for name in pair) and "gzipped or not" in message


def test_wrong_magic(tmp_path):
    write_folder(tmp_path)
    corrupt(tmp_path, "train-labels-idx1-ubyte", b"\x00\x00\x0d\x01" + struct.pack(">I", 6) + bytes(6))
    message = error_of(tmp_path)
    assert "train-labels-idx1-ubyte" in message and "magic" in message


def test_wrong_dimensions(tmp_path):
    write_folder(tmp_path)
    corrupt(tmp_path, "train-images-idx3-ubyte", idx_bytes(np.zeros((6, 20, 20), np.uint8)))
    message = error_of(tmp_path)
    assert "train-images-idx3-ubyte" in message and "20x20" in message


def test_truncated_file(tmp_path):
    write_folder(tmp_path)
    data = idx_bytes(np.zeros((6, 28, 28), np.uint8))
    corrupt(tmp_path, "train-images-idx3-ubyte", data[:-100])
    message = error_of(tmp_path)
    assert "train-images-idx3-ubyte" in message and "truncated" in message


def test_truncated_gzip(tmp_path):
    write_folder(tmp_path)
    path = tmp_path / "t10k-images-idx3-ubyte.gz"
    path.write_bytes(path.read_bytes()[:50])
    message = error_of(tmp_path)
    assert "t10k-images-idx3-ubyte.gz" in message and "gzip" in message


def test_counts_differ(tmp_path):
    write_folder(tmp_path)
    corrupt(tmp_path, "train-labels-idx1-ubyte", idx_bytes(np.zeros(5, np.uint8)))
    message = error_of(tmp_path)
    assert "5 labels for 6 images" in message


def test_label_out_of_range(tmp_path):
    write_folder(tmp_path)
    corrupt(tmp_path, "t10k-labels-idx1-ubyte", idx_bytes(np.array([1, 2, 12, 3], np.uint8)))
    message = error_of(tmp_path)
    assert "t10k-labels-idx1-ubyte" in message and "12" in message and "0..9" in message


def test_mat_without_label(tmp_path):
    path = tmp_path / "m.mat"
    scipy.io.savemat(path, {"data": np.zeros((784, 3), np.uint8)})
    assert "'label'" in error_of(path)


def test_mat_with_wrong_shape(tmp_path):
    path = tmp_path / "m.mat"
    scipy.io.savemat(path, {"data": np.zeros((100, 3), np.uint8), "label": np.zeros((1, 3))})
    message = error_of(path)
    assert "'data'" in message and "100x3" in message


def test_mat_label_count_and_range(tmp_path):
    path = tmp_path / "m.mat"
    scipy.io.savemat(path, {"data": np.zeros((784, 3), np.uint8), "label": np.zeros((1, 4))})
    assert "4 labels for 3 images" in error_of(path)
    scipy.io.savemat(path, {"data": np.zeros((784, 3), np.uint8), "label": np.array([[1, 2, 10]])})
    assert "outside 0..9" in error_of(path)


def test_mat_with_pixels_already_scaled_is_refused(tmp_path):
    path = tmp_path / "m.mat"
    pixels = np.random.default_rng(0).integers(0, 256, (784, 3)) / 255  # scaled to [0, 1]
    scipy.io.savemat(path, {"data": pixels, "label": np.zeros((1, 3))})
    message = error_of(path)
    assert "'data'" in message and "fractions" in message and "0..255" in message
    scipy.io.savemat(path, {"data": np.full((784, 3), 100.5), "label": np.zeros((1, 3))})  # not whole
    assert "fractions" in error_of(path)
    scipy.io.savemat(path, {"data": np.round(pixels * 255), "label": np.zeros((1, 3))})  # whole: fine
    np.testing.assert_array_equal(mnist.load(path).X, np.round(pixels * 255).T)


def test_not_a_mat_file(tmp_path):
    path = tmp_path / "m.mat"
    path.write_bytes(b"this is not matlab")
    assert "m.mat" in error_of(path)


def test_scale_builds_design_matrix():
    X = np.array([[0, 255, 51]], np.uint8)
    np.testing.assert_allclose(mnist.scale(X, dtype=np.float64, bias=True), [[1, 0, 1, 0.2]])
    assert mnist.scale(X).dtype == np.float32
