"""Load MNIST from IDX files (gzipped or raw) or from the article's ``mnist-original.mat``.

Every loader returns raw pixels as uint8 (n x 784) and labels as integers (n,);
the caller scales and splits.  Anything malformed raises :class:`DataError` with a
one-line message that names the file and says what is wrong.
"""

import gzip
import hashlib
import zlib
from pathlib import Path
from typing import NamedTuple

import numpy as np

PROJECT_DIR = Path(__file__).resolve().parent
BUNDLED_DIR = PROJECT_DIR / "data"
MAT_NAME = "mnist-original.mat"
IMAGE_SIDE = 28
PIXELS = IMAGE_SIDE * IMAGE_SIDE
NUM_CLASSES = 10

# The four standard files; the training pair comes first so its examples come first.
IDX_FILES = (
    ("train-images-idx3-ubyte", "train-labels-idx1-ubyte"),
    ("t10k-images-idx3-ubyte", "t10k-labels-idx1-ubyte"),
)
# What a data path must be, said whenever one is not.
DATA_HINT = ("a data folder holds MNIST's four IDX files, gzipped or not (train-images-idx3-ubyte, "
             "train-labels-idx1-ubyte, t10k-images-idx3-ubyte, t10k-labels-idx1-ubyte); "
             "or give a mnist-original.mat file")


class DataError(ValueError):
    """A data file is missing or malformed; the message is one line for the user."""


class MNIST(NamedTuple):
    """Pixels (n x 784 uint8), labels (n,) int, how many leading examples train, and the source."""

    X: np.ndarray
    y: np.ndarray
    n_train: int
    source: str


def find_default_data(cwd=None, bundled=BUNDLED_DIR):
    """Return the data path ``main.py`` uses by default: the article's .mat if present, else data/.

    Looks in ``cwd`` (default: the current folder), its ``data/``, then ``bundled``.
    """
    cwd = Path.cwd() if cwd is None else Path(cwd)
    bundled = Path(bundled)
    for candidate in (cwd / MAT_NAME, cwd / "data" / MAT_NAME, bundled / MAT_NAME):
        if candidate.is_file():
            return candidate
    return bundled


def load(path):
    """Load MNIST from a folder of IDX files or a .mat file -> :class:`MNIST`."""
    path = Path(path)
    if path.is_dir():
        return load_idx_folder(path)
    if path.suffix.lower() == ".mat":
        return load_mat(path)
    if not path.exists():
        raise DataError(f"{path}: not found ({DATA_HINT})")
    raise DataError(f"{path}: not a folder of IDX files nor a .mat file ({DATA_HINT})")


def load_idx_folder(folder):
    """Load the four IDX files (``NAME`` or ``NAME.gz``) in ``folder``: training examples first."""
    folder = Path(folder)
    parts = []
    for images_name, labels_name in IDX_FILES:
        images_path = _find_idx(folder, images_name)
        labels_path = _find_idx(folder, labels_name)
        images = read_idx(images_path, ndim=3)
        labels = read_idx(labels_path, ndim=1)
        if images.shape[1:] != (IMAGE_SIDE, IMAGE_SIDE):
            raise DataError(f"{images_path}: images are {images.shape[1]}x{images.shape[2]}, "
                            f"expected {IMAGE_SIDE}x{IMAGE_SIDE}")
        if len(images) != len(labels):
            raise DataError(f"{labels_path}: {len(labels)} labels for {len(images)} images "
                            f"in {images_path.name}")
        _check_labels(labels, labels_path)
        parts.append((images.reshape(len(images), PIXELS), labels))
    (X_train, y_train), (X_test, y_test) = parts
    X = np.concatenate([X_train, X_test])
    y = np.concatenate([y_train, y_test]).astype(np.intp)
    return MNIST(X, y, len(X_train), f"IDX files in {folder}")


def _find_idx(folder, name):
    """Return the path of ``name`` or ``name.gz`` in ``folder``; DataError if neither exists."""
    for candidate in (folder / name, folder / (name + ".gz")):
        if candidate.is_file():
            return candidate
    raise DataError(f"{folder}: {name} not found, raw or .gz ({DATA_HINT})")


def read_idx(path, ndim):
    """Read one IDX file of unsigned bytes with ``ndim`` dimensions -> uint8 array of that shape."""
    path = Path(path)
    raw = _read_bytes(path)
    if len(raw) < 4:
        raise DataError(f"{path}: too short to be an IDX file ({len(raw)} bytes)")
    if raw[0] != 0 or raw[1] != 0 or raw[2] != 0x08 or raw[3] != ndim:
        raise DataError(f"{path}: bad IDX magic number 0x{raw[:4].hex()} "
                        f"(expected 0x000008{ndim:02x}: unsigned bytes, {ndim} dimensions)")
    header = 4 + 4 * ndim
    if len(raw) < header:
        raise DataError(f"{path}: truncated IDX header")
    shape = tuple(int(d) for d in np.frombuffer(raw, dtype=">u4", count=ndim, offset=4))
    expected = header + int(np.prod(shape, dtype=np.int64))
    if len(raw) < expected:
        raise DataError(f"{path}: truncated: {len(raw)} bytes, the header promises {expected} "
                        f"for shape {'x'.join(map(str, shape))}")
    if len(raw) > expected:
        raise DataError(f"{path}: {len(raw) - expected} bytes after the data the header describes")
    return np.frombuffer(raw, dtype=np.uint8, offset=header).reshape(shape)


def _read_bytes(path):
    """Return the file's bytes, gunzipped if it starts with the gzip magic."""
    try:
        with open(path, "rb") as f:
            raw = f.read()
    except FileNotFoundError:
        raise DataError(f"{path}: not found ({DATA_HINT})") from None
    except OSError as e:
        raise DataError(f"{path}: cannot be read: {e.strerror or e}") from None
    if raw[:2] == b"\x1f\x8b":
        try:
            raw = gzip.decompress(raw)
        except (OSError, EOFError, zlib.error) as e:
            raise DataError(f"{path}: corrupt gzip data ({e})") from None
    return raw


def load_mat(path):
    """Load the article's layout: ``data`` 784 x n (or n x 784) uint8, ``label`` 1 x n."""
    import scipy.io  # only this path needs it; keeps `import mnist` light

    path = Path(path)
    if not path.is_file():
        raise DataError(f"{path}: not found ({DATA_HINT})")
    try:
        contents = scipy.io.loadmat(path, variable_names=("data", "label"))
    except NotImplementedError:
        raise DataError(f"{path}: MATLAB v7.3 (HDF5) files are not supported; save with -v7") from None
    except Exception as e:  # scipy raises many types for a damaged file
        raise DataError(f"{path}: not a readable .mat file ({type(e).__name__}: {e})".splitlines()[0]) from None
    for key in ("data", "label"):
        if key not in contents:
            raise DataError(f"{path}: no '{key}' variable (expected 'data' 784xN and 'label' 1xN)")
    data, label = contents["data"], contents["label"]
    if data.ndim != 2 or PIXELS not in data.shape:
        raise DataError(f"{path}: 'data' has shape {'x'.join(map(str, data.shape))}, "
                        f"expected {PIXELS}xN or Nx{PIXELS}")
    X = data.T if data.shape[0] == PIXELS and data.shape[1] != PIXELS else data
    X = _as_pixels(X, path)
    if label.ndim > 2 or (label.ndim == 2 and min(label.shape) != 1):
        raise DataError(f"{path}: 'label' has shape {'x'.join(map(str, label.shape))}, expected 1xN")
    y = label.reshape(-1)
    if len(y) != len(X):
        raise DataError(f"{path}: {len(y)} labels for {len(X)} images")
    if not np.issubdtype(y.dtype, np.number) or not np.all(np.isfinite(y)) or np.any(y != np.round(y)):
        raise DataError(f"{path}: 'label' holds values that are not whole numbers")
    y = y.astype(np.intp)
    _check_labels(y, path)
    # The article's file holds the 60,000 training examples first, then the 10,000 test ones.
    n_train = 60000 if len(X) == 70000 else len(X) * 6 // 7
    return MNIST(np.ascontiguousarray(X), y, n_train, f"{path}")


def _as_pixels(X, path):
    """Return X as uint8, accepting any numeric array whose values are whole numbers in 0..255.

    Pixels already scaled to [0, 1] are refused rather than truncated to black images.
    """
    if X.dtype == np.uint8:
        return X
    if not np.issubdtype(X.dtype, np.number) or not np.all(np.isfinite(X)) \
            or X.min(initial=0) < 0 or X.max(initial=0) > 255:
        raise DataError(f"{path}: 'data' must hold pixel values 0..255")
    if np.any(X != np.round(X)):
        raise DataError(f"{path}: 'data' holds fractions (largest value {X.max():g}); "
                        f"expected whole pixel values 0..255, as in the original file")
    return X.astype(np.uint8)


def _check_labels(labels, path):
    """Raise DataError unless every label is a digit 0..9."""
    if labels.size and (labels.min() < 0 or labels.max() >= NUM_CLASSES):
        bad = labels[(labels < 0) | (labels >= NUM_CLASSES)][0]
        raise DataError(f"{path}: label {bad} is outside 0..9")


def scale(X, dtype=np.float32, bias=False, out=None):
    """Return uint8 pixels (m x 784) as ``dtype`` in [0, 1], optionally after a column of ones.

    With ``bias=True`` the result is the m x 785 design matrix, built in one allocation so
    training never holds a second copy of the data set.  Written into ``out`` if given.
    """
    X = np.asarray(X)
    offset = 1 if bias else 0
    if out is None:
        out = np.empty((X.shape[0], X.shape[1] + offset), dtype=dtype)
    dtype = out.dtype.type
    if bias:
        out[:, 0] = 1
    np.divide(X, dtype(255), out=out[:, offset:], dtype=dtype, casting="unsafe")
    return out


def checksum(data):
    """Return the SHA-256 (hex) of a data set's pixels and labels, to record what a model saw."""
    digest = hashlib.sha256(np.ascontiguousarray(data.X).data)  # hashes the buffer, no copy
    digest.update(np.asarray(data.y, dtype=np.uint8).tobytes())
    return digest.hexdigest()
