"""The real handwritten letters: the shipped file, its split, and damaged files."""

import hashlib

import numpy as np
import pytest

import letters
from mnist import DataError

SHA256 = "f04f9d20e5de86a6fe545c99e85fc3ddd426fe17096b7c48ef786109ab25a3d9"  # data/README.md's


def test_shipped_letters_are_the_recorded_file():
    assert hashlib.sha256(letters.PATH.read_bytes()).hexdigest() == SHA256
    data = letters.load()
    assert data.X.shape == (5934, 784) and data.X.dtype == np.uint8
    assert set(data.letter) == set(letters.ALPHABET)


def test_split_is_fixed_disjoint_and_whole():
    data = letters.load()
    parts = {name: data.part(name) for name in ("train", "calibration", "final")}
    assert sum(len(p.X) for p in parts.values()) == len(data.X)
    assert len(parts["calibration"].X) == len(parts["final"].X) > 800
    # No image of a kept-out part is trained on (compared by content, not by index).
    trained = {row.tobytes() for row in parts["train"].X}
    for name in ("calibration", "final"):
        assert not any(row.tobytes() in trained for row in parts[name].X), name
    again = letters.load().part("final")
    assert np.array_equal(again.X, parts["final"].X)
    with pytest.raises(ValueError, match="no part"):
        data.part("test")


def test_letters_trained_as_not_digits_leave_out_the_digit_shaped():
    assert not set(letters.TRAINED) & set(letters.DIGIT_SHAPED)
    assert set(letters.NO_DIGIT_SHAPE) <= set(letters.TRAINED)
    chosen = letters.load().part("train").only(letters.TRAINED)
    assert len(chosen.X) > 2000 and not np.isin(chosen.letter, list("OISZ")).any()


def _write(path, **arrays):
    np.savez(path, **arrays)
    return path


@pytest.mark.parametrize("make, message", [
    (lambda p: p.write_bytes(b"PK\x03\x04 not a zip"), "not a readable .npz"),
    (lambda p: p.write_bytes(letters.PATH.read_bytes()[:5000]), "not a readable .npz"),
    (lambda p: _write(p, images=np.zeros((3, 28, 28), np.uint8)), "no 'labels' array"),
    (lambda p: _write(p, images=np.zeros((3, 20, 20), np.uint8), labels=np.array(list("ABC"))), "expected uint8"),
    (lambda p: _write(p, images=np.zeros((3, 28, 28), np.uint8), labels=np.array(list("AB"))), "2 labels for 3"),
    (lambda p: _write(p, images=np.zeros((2, 28, 28), np.uint8), labels=np.array(["A", "7"])), "capitals A-Z"),
])
def test_damaged_letters_file_is_one_line_error(tmp_path, make, message):
    path = tmp_path / "letters.npz"
    make(path)
    with pytest.raises(DataError, match=message) as caught:
        letters.load(path)
    assert "\n" not in str(caught.value) and str(path) in str(caught.value)


def test_missing_letters_file(tmp_path):
    with pytest.raises(DataError, match="not found"):
        letters.load(tmp_path / "letters.npz")
