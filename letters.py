"""Load the real handwritten capital letters shipped in ``data/letters.npz``, split once.

5,934 letters A-Z written by real people (a sample of NIST Special Database 19; provenance in
``data/README.md``), 28x28 and framed as MNIST's digits are.  ``main.py --preset best`` trains
the letters of :data:`TRAINED` as "no digit"; the rows kept out of training choose the tools'
"not a digit" threshold (:data:`CALIBRATION`) and give the final figure (:data:`FINAL`).
What it leaves out: small letters (the set has none, but for a few m, p, u, e filed as
capitals), and any letter a digit's shape can take, which no shape alone tells from the digit.
Anything missing or malformed raises :class:`mnist.DataError` with a one-line message.
"""

import zipfile
from typing import NamedTuple

import numpy as np

from mnist import BUNDLED_DIR, IMAGE_SIDE, PIXELS, DataError

PATH = BUNDLED_DIR / "letters.npz"
ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZ"
# Letters that no digit's shape takes: the share of these rejected is the headline figure.
NO_DIGIT_SHAPE = "ACEFHKMNRUVWXY"
# Letters a digit's shape can take (O D Q as 0, I as 1, Z as 2, S as 5, G as 6, B as 8): never
# trained as "no digit", since an O read as 0 is acceptable and a 0 rejected is not.
DIGIT_SHAPED = "BDGIOQSZ"
# Trained as "no digit": all the others, J L P T included (docs/experiments.md, "Real letters").
TRAINED = "".join(c for c in ALPHABET if c not in DIGIT_SHAPED)
# The split, fixed once by each row's index: of every SPLIT_CYCLE rows, these positions are
# kept out of training, for the threshold and for the final figure; the rest may be trained on.
SPLIT_CYCLE = 20
CALIBRATION = (0, 1, 2)
FINAL = (3, 4, 5)


class Letters(NamedTuple):
    """Letter images (n x 784 uint8, white ink on black) and their letters (n,) 'A'..'Z'."""

    X: np.ndarray
    letter: np.ndarray

    def part(self, name):
        """Return the rows of one part of the split: "train", "calibration" or "final"."""
        position = np.arange(len(self.X)) % SPLIT_CYCLE
        kept_out = {"calibration": CALIBRATION, "final": FINAL}
        if name == "train":
            chosen = ~np.isin(position, CALIBRATION + FINAL)
        elif name in kept_out:
            chosen = np.isin(position, kept_out[name])
        else:
            raise ValueError(f"no part {name!r}: train, calibration or final")
        return Letters(self.X[chosen], self.letter[chosen])

    def only(self, letters):
        """Return the rows whose letter is one of ``letters`` (a string such as :data:`TRAINED`)."""
        chosen = np.isin(self.letter, list(letters))
        return Letters(self.X[chosen], self.letter[chosen])


def load(path=PATH):
    """Load ``letters.npz`` -> :class:`Letters`; :class:`mnist.DataError` if missing or malformed."""
    try:
        with np.load(path, allow_pickle=False) as contents:
            missing = [name for name in ("images", "labels") if name not in contents.files]
            if missing:
                raise DataError(f"{path}: no '{missing[0]}' array (expected 'images' n x 28 x 28 and 'labels')")
            images, letter = contents["images"], contents["labels"]
    except FileNotFoundError:
        raise DataError(f"{path}: not found (the real letters ship as data/letters.npz)") from None
    except (OSError, ValueError, zipfile.BadZipFile, EOFError) as e:
        raise DataError(f"{path}: not a readable .npz file ({type(e).__name__}: {e})".splitlines()[0]) from None
    if images.dtype != np.uint8 or images.shape[1:] != (IMAGE_SIDE, IMAGE_SIDE):
        raise DataError(f"{path}: 'images' is {images.dtype} {'x'.join(map(str, images.shape))}, "
                        f"expected uint8 n x {IMAGE_SIDE} x {IMAGE_SIDE}")
    if letter.shape != (len(images),):
        raise DataError(f"{path}: {letter.size} labels for {len(images)} images")
    if not np.isin(letter, list(ALPHABET)).all():
        raise DataError(f"{path}: 'labels' holds something other than the capitals A-Z")
    return Letters(images.reshape(len(images), PIXELS), letter)
