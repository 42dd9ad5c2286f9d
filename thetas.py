"""Save and load the trained weights, Theta1.txt (h x 785) and Theta2.txt (10 x h+1).

The format is the article's: ``numpy.savetxt`` text, space-delimited.  Saving is atomic
(temp file in the same folder, then ``os.replace``), so a crash mid-write never leaves a half
file where a good one was.  Loading checks shapes and values and raises :class:`ThetaError`
with a one-line message naming the file.
"""

import os
import tempfile
import warnings
from pathlib import Path

import numpy as np

PROJECT_DIR = Path(__file__).resolve().parent
DEFAULT_DIR = PROJECT_DIR / "weights"
THETA1_NAME = "Theta1.txt"
THETA2_NAME = "Theta2.txt"
INPUT_LAYER_SIZE = 784
NUM_LABELS = 10
TRAIN_HINT = "train with `python main.py` or point --weights at a folder holding Theta1.txt and Theta2.txt"


class ThetaError(ValueError):
    """The weights files are missing or malformed; the message is one line for the user."""


def atomic_savetxt(path, array):
    """Write ``array`` with ``numpy.savetxt`` to a temp file beside ``path``, then rename it over."""
    path = Path(path)
    fd, tmp = tempfile.mkstemp(prefix=path.name + ".", suffix=".tmp", dir=path.parent)
    try:
        os.chmod(tmp, 0o666 & ~_current_umask())  # mkstemp makes 0600; give the usual mode
        with os.fdopen(fd, "w") as f:
            np.savetxt(f, array)
            f.flush()
            os.fsync(f.fileno())
        os.replace(tmp, path)
    except BaseException:
        os.unlink(tmp)
        raise


def _current_umask():
    """Return the process umask (reading it means setting it, so set it straight back)."""
    umask = os.umask(0)
    os.umask(umask)
    return umask


def save_thetas(Theta1, Theta2, directory=DEFAULT_DIR):
    """Save Theta1 and Theta2 into ``directory`` (created if needed); return the two paths."""
    directory = Path(directory)
    directory.mkdir(parents=True, exist_ok=True)
    paths = directory / THETA1_NAME, directory / THETA2_NAME
    for path, theta in zip(paths, (Theta1, Theta2)):
        atomic_savetxt(path, theta)
    return paths


def load_thetas(directory=DEFAULT_DIR):
    """Load and check (Theta1 h x 785, Theta2 10 x h+1) from ``directory``; ThetaError if unusable."""
    directory = Path(directory)
    Theta1 = _load_matrix(directory / THETA1_NAME)
    Theta2 = _load_matrix(directory / THETA2_NAME)
    if Theta1.shape[1] != INPUT_LAYER_SIZE + 1:
        raise ThetaError(f"{directory / THETA1_NAME}: shape {Theta1.shape[0]}x{Theta1.shape[1]}, "
                         f"expected hx{INPUT_LAYER_SIZE + 1}; {TRAIN_HINT}")
    if Theta2.shape != (NUM_LABELS, Theta1.shape[0] + 1):
        raise ThetaError(f"{directory / THETA2_NAME}: shape {Theta2.shape[0]}x{Theta2.shape[1]}, "
                         f"expected {NUM_LABELS}x{Theta1.shape[0] + 1} to match Theta1's "
                         f"{Theta1.shape[0]} hidden units; {TRAIN_HINT}")
    return Theta1, Theta2


def _load_matrix(path):
    """Read one finite 2-D matrix of text from ``path``."""
    if not path.is_file():
        raise ThetaError(f"{path}: not found; {TRAIN_HINT}")
    try:
        with warnings.catch_warnings():  # an empty file is reported below, not as a warning
            warnings.simplefilter("ignore", UserWarning)
            matrix = np.loadtxt(path, ndmin=2)
    except (ValueError, OSError, UnicodeDecodeError) as e:
        reason = str(e).splitlines()[0] if str(e) else type(e).__name__
        raise ThetaError(f"{path}: not a matrix of numbers ({reason}); {TRAIN_HINT}") from None
    if matrix.size == 0:
        raise ThetaError(f"{path}: empty; {TRAIN_HINT}")
    if not np.all(np.isfinite(matrix)):
        raise ThetaError(f"{path}: holds NaN or infinite values; {TRAIN_HINT}")
    return matrix
