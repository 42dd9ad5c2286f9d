"""Save and load a trained model: Theta1.txt (h x 785), Theta2.txt (10 x h+1) and model.json.

The weights' format is the article's: ``numpy.savetxt`` text, space-delimited.  ``model.json``
beside them says what the weights expect (architecture, preprocessing such as deskewing) and
how they were made (settings, seed, test accuracy, data checksum); weights without it are the
article's, with the article's preprocessing.  Saving is atomic (temp file in the same folder,
then ``os.replace``), so a crash mid-write never leaves a half file where a good one was.
Loading checks everything and raises :class:`ThetaError` with a one-line message naming the file.
"""

import contextlib
import json
import os
import signal
import tempfile
import threading
import warnings
from pathlib import Path
from typing import NamedTuple

import numpy as np

from mnist import NUM_CLASSES, PIXELS, PROJECT_DIR
from preprocess import Preprocessing

# Where main.py saves by default (not tracked by git), and the model the project ships.
DEFAULT_DIR = PROJECT_DIR / "weights"
PRETRAINED_DIR = PROJECT_DIR / "pretrained"
# Where a quick try (main.py --limit) saves unless told otherwise: the tools never look here,
# so a weak model trained on a slice does not silently replace the one a user relies on.
TRIAL_DIR = DEFAULT_DIR / "trial"
THETA1_NAME = "Theta1.txt"
THETA2_NAME = "Theta2.txt"
MODEL_NAME = "model.json"
WEIGHTS_HELP = (f"folder holding Theta1.txt, Theta2.txt and model.json (default: {DEFAULT_DIR} "
                f"if main.py has saved a full training there, else the shipped {PRETRAINED_DIR})")
TRAIN_HINT = "train with `python main.py` or point --weights at a folder holding Theta1.txt and Theta2.txt"


class ThetaError(ValueError):
    """The weights files are missing or malformed; the message is one line for the user."""


class SavedThenInterrupted(KeyboardInterrupt):
    """Ctrl-C came while the files were being renamed into place: all were replaced, then it was let through."""


# Below this normalised confidence a digit is unsure, for models whose model.json does not say.
LOW_CONFIDENCE = 0.6


class Decision(NamedTuple):
    """How the tools judge the network's outputs for one part (:func:`prediction.judge`).

    A part is not a digit when its largest sigmoid output is under ``not_digit_below``; a digit
    is unsure when its normalised confidence is under ``unsure_below`` or its runner-up's is at
    least ``unsure_ratio`` of it.  model.json's ``decision`` records them (main.py calibrates
    them); a model without one rejects nothing and is unsure only below :data:`LOW_CONFIDENCE`.
    """

    not_digit_below: float = 0.0
    unsure_below: float = LOW_CONFIDENCE
    unsure_ratio: float = 1.0


class Network(NamedTuple):
    """A trained network as loaded: its weights, the :class:`preprocess.Preprocessing` its
    inputs need, model.json as ``info`` ({} without one), the folder it came from, and the
    :class:`Decision` its outputs are judged by."""

    Theta1: np.ndarray
    Theta2: np.ndarray
    preprocessing: Preprocessing
    info: dict
    directory: Path
    decision: Decision = Decision()


def write_temp(path, write, mode="w"):
    """Call ``write(file)`` on a new temp file beside ``path`` (opened in ``mode``); return its path.

    The file is flushed to disk; on any failure it is removed and the error re-raised.
    """
    path = Path(path)
    fd, tmp = tempfile.mkstemp(prefix=path.name + ".", suffix=".tmp", dir=path.parent)
    try:
        os.chmod(tmp, 0o666 & ~_current_umask())  # mkstemp makes 0600; give the usual mode
        with os.fdopen(fd, mode) as f:
            write(f)
            f.flush()
            os.fsync(f.fileno())
    except BaseException:
        os.unlink(tmp)
        raise
    return tmp


def atomic_write_all(writes):
    """Write each ``(path, write)`` pair to a temp file, then rename them all into place.

    The slow part, writing, happens before any file is replaced: a failure or Ctrl-C there
    leaves every old file intact.  Ctrl-C during the renames is held until they are done, so
    the files are replaced as a set, and then raised as :class:`SavedThenInterrupted`.
    """
    temps = []
    try:
        for path, write in writes:
            temps.append(write_temp(path, write))
    except BaseException:
        for tmp in temps:
            os.unlink(tmp)
        raise
    with _interrupts_held(SavedThenInterrupted):
        for tmp, (path, _) in zip(temps, writes):
            os.replace(tmp, path)


@contextlib.contextmanager
def _interrupts_held(exception=KeyboardInterrupt):
    """Delay Ctrl-C (SIGINT) until the block ends, then raise ``exception``; a no-op outside the main thread."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    received = []
    previous = signal.signal(signal.SIGINT, lambda *args: received.append(True))
    try:
        yield
    finally:
        signal.signal(signal.SIGINT, previous)
    if received:
        raise exception


def default_dir():
    """Return where the tools look for weights: the user's own from main.py, else the shipped ones."""
    return DEFAULT_DIR if (DEFAULT_DIR / THETA1_NAME).exists() else PRETRAINED_DIR


def _current_umask():
    """Return the process umask (reading it means setting it, so set it straight back)."""
    umask = os.umask(0)
    os.umask(umask)
    return umask


def save_thetas(Theta1, Theta2, directory=DEFAULT_DIR, info=None):
    """Save Theta1, Theta2 and model.json (``info`` plus the architecture) into ``directory``.

    The directory is created if needed.  Returns the paths written.
    """
    directory = Path(directory)
    directory.mkdir(parents=True, exist_ok=True)
    info = dict(info or {})
    info.setdefault("preprocessing", {"deskew": False})
    info["architecture"] = [Theta1.shape[1] - 1, Theta1.shape[0], Theta2.shape[0]]
    paths = directory / THETA1_NAME, directory / THETA2_NAME, directory / MODEL_NAME
    atomic_write_all([(paths[0], lambda f: np.savetxt(f, Theta1)),
                      (paths[1], lambda f: np.savetxt(f, Theta2)),
                      (paths[2], lambda f: json.dump(info, f, indent=2, sort_keys=True))])
    return paths


def load_network(directory=None):
    """Load the weights and model.json from ``directory`` -> :class:`Network`; ThetaError if unusable.

    ``directory`` defaults to :func:`default_dir`.  Without model.json the weights are taken as
    the article's: no deskewing.
    """
    directory = Path(directory if directory is not None else default_dir())
    Theta1, Theta2 = load_thetas(directory)
    path = directory / MODEL_NAME
    if not path.exists():
        return Network(Theta1, Theta2, Preprocessing(), {}, directory)
    try:
        info = json.loads(path.read_text())
    except RecursionError:  # json recurses once per level of nesting
        raise ThetaError(f"{path}: not valid JSON (nested too deeply); {TRAIN_HINT}") from None
    except (OSError, UnicodeDecodeError, ValueError) as e:
        raise ThetaError(f"{path}: not valid JSON ({str(e).splitlines()[0]}); {TRAIN_HINT}") from None
    if not isinstance(info, dict):
        raise ThetaError(f"{path}: expected a JSON object; {TRAIN_HINT}")
    shape = [Theta1.shape[1] - 1, Theta1.shape[0], Theta2.shape[0]]
    if info.get("architecture", shape) != shape:
        raise ThetaError(f"{path}: architecture {info['architecture']} does not match the weights' "
                         f"{shape}; {TRAIN_HINT}")
    preprocessing = info.get("preprocessing", {})
    if not isinstance(preprocessing, dict):
        raise ThetaError(f"{path}: preprocessing must be a JSON object; {TRAIN_HINT}")
    deskew = preprocessing.get("deskew", False)
    recentre = preprocessing.get("recentre", False)  # absent in models saved before it existed
    for name, value in (("deskew", deskew), ("recentre", recentre)):
        if not isinstance(value, bool):
            raise ThetaError(f"{path}: preprocessing.{name} must be true or false; {TRAIN_HINT}")
    stroke = preprocessing.get("stroke_width")  # absent in models saved before it existed
    if stroke is not None and (isinstance(stroke, bool) or not isinstance(stroke, (int, float))
                               or not 0 < stroke < 1):
        raise ThetaError(f"{path}: preprocessing.stroke_width must be a number between 0 and 1; "
                         f"{TRAIN_HINT}")
    return Network(Theta1, Theta2, Preprocessing(deskew, recentre, stroke), info, directory,
                   _decision(info, path))


def _decision(info, path):
    """Return the :class:`Decision` model.json ``info`` records (read from ``path``), defaults where absent."""
    recorded = info.get("decision", {})
    if not isinstance(recorded, dict):
        raise ThetaError(f"{path}: decision must be a JSON object; {TRAIN_HINT}")
    values = {}
    for name, default in Decision._field_defaults.items():
        value = recorded.get(name, default)
        if isinstance(value, bool) or not isinstance(value, (int, float)) or not 0 <= value <= 1:
            raise ThetaError(f"{path}: decision.{name} must be a number from 0 to 1; {TRAIN_HINT}")
        values[name] = float(value)
    return Decision(**values)


def describe(network):
    """Return one line saying which network this is: its folder, test accuracy and training date."""
    info = network.info
    accuracy = info.get("test_accuracy")
    accuracy = (f"{100 * accuracy:.2f} % on MNIST's test set" if isinstance(accuracy, (int, float))
                else "test accuracy not recorded")
    trained = info.get("trained")
    trained = f"trained {trained[:10]}" if isinstance(trained, str) else "training date not recorded"
    return f"{folder_of(network)} ({accuracy}, {trained})"


def folder_of(network):
    """Return the folder a network came from as a user would type it: relative to the current
    folder where it lies inside it, with a trailing separator ("pretrained/")."""
    directory = network.directory
    try:
        directory = directory.resolve().relative_to(Path.cwd())
    except ValueError:
        pass
    return f"{directory}{os.sep}"


def load_thetas(directory=None):
    """Load and check (Theta1 h x 785, Theta2 10 x h+1) from ``directory``; ThetaError if unusable.

    ``directory`` defaults to :func:`default_dir`.
    """
    directory = Path(directory if directory is not None else default_dir())
    Theta1 = _load_matrix(directory / THETA1_NAME)
    Theta2 = _load_matrix(directory / THETA2_NAME)
    if Theta1.shape[1] != PIXELS + 1:
        raise ThetaError(f"{directory / THETA1_NAME}: shape {Theta1.shape[0]}x{Theta1.shape[1]}, "
                         f"expected hx{PIXELS + 1}; {TRAIN_HINT}")
    if Theta2.shape != (NUM_CLASSES, Theta1.shape[0] + 1):
        raise ThetaError(f"{directory / THETA2_NAME}: shape {Theta2.shape[0]}x{Theta2.shape[1]}, "
                         f"expected {NUM_CLASSES}x{Theta1.shape[0] + 1} to match Theta1's "
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
