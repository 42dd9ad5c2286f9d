"""Fit the network to training digits: the design matrix, rounds of fresh distortions, L-BFGS-B.

``main.py`` is the command line around this: it loads the data, calls :func:`build_design` and
:func:`train_in_rounds`, then scores and saves the result.  The optimizer is SciPy's
``minimize(method="L-BFGS-B", jac=True)`` on :class:`model.Objective`, from weights drawn by
``rand_initialise.initialise``.  What it leaves out: mini-batches, momentum, early stopping on a
validation set; every round is a full-batch L-BFGS-B run over all the rows.
"""

import contextlib
from pathlib import Path
from typing import NamedTuple

import numpy as np
from scipy.optimize import minimize

import mnist
from model import NO_CLASS, Objective, pack, unpack
from preprocess import Preprocessing
from rand_initialise import initialise
from synthetic import distort, negatives, touching


class Rows(NamedTuple):
    """The design matrix's rows, top to bottom: the ``digits`` themselves, ``copies`` distorted
    sets of them, ``pieces`` cut from touching pairs, ``pairs`` of touching digits,
    ``negatives``, drawn marks that are not digits, then ``letters``, real handwritten letters.
    All but the digits are drawn afresh in each round of training."""

    digits: int
    copies: int = 0
    pieces: int = 0
    pairs: int = 0
    negatives: int = 0
    letters: int = 0

    @property
    def total(self):
        """How many rows the design matrix has."""
        return self.digits * (1 + self.copies) + self.pieces + self.pairs + self.negatives + self.letters

    def copy(self, k):
        """The rows of distorted set ``k`` (1 .. copies)."""
        return slice(k * self.digits, (k + 1) * self.digits)

    @property
    def cut(self):
        """The rows of the pieces."""
        start = self.digits * (1 + self.copies)
        return slice(start, start + self.pieces)

    @property
    def paired(self):
        """The rows of the touching pairs."""
        end = self.total - self.letters - self.negatives
        return slice(end - self.pairs, end)

    @property
    def marks(self):
        """The rows of the marks that are not digits."""
        end = self.total - self.letters
        return slice(end - self.negatives, end)

    @property
    def handwritten(self):
        """The rows of the real handwritten letters."""
        return slice(self.total - self.letters, self.total)

    def labels(self, y):
        """Return the label of every row, from the digits' labels ``y``: a copy keeps its digit's,
        a piece has :func:`synthetic.touching.piece_targets`', a pair, a negative and a letter
        are :data:`model.NO_CLASS`."""
        return np.concatenate([np.tile(y, 1 + self.copies), touching.piece_targets(self.pieces),
                               np.full(self.pairs + self.negatives + self.letters, NO_CLASS)])


class Fit(NamedTuple):
    """How the network is fitted: ``hidden`` units, L2 strength ``lamb``, ``maxiter`` L-BFGS-B
    iterations shared among ``rounds`` runs (0: one run, no fresh rows), and the ``seed`` of the
    initial weights."""

    hidden: int = 100
    lamb: float = 0.1
    maxiter: int = 100
    rounds: int = 0
    seed: int = 0


@contextlib.contextmanager
def single_threaded_optimizer_blas():
    """Run the block with SciPy's own OpenBLAS held to one thread, restoring it afterwards.

    NumPy and SciPy wheels each bundle an OpenBLAS with its own thread pool.  L-BFGS-B's vector
    updates on ~80,000 parameters wake SciPy's pool, whose spinning threads then fight NumPy's
    over the cores during the next matrix products: training measured 1.7x slower on 2 cores.
    Where both share one BLAS (conda, distro builds) or threadpoolctl is absent, nothing changes.
    """
    try:
        from threadpoolctl import ThreadpoolController
    except ImportError:
        yield
        return
    libraries = [lib for lib in ThreadpoolController().lib_controllers
                 if lib.user_api == "blas" and Path(lib.filepath).parent.name == "scipy.libs"]
    previous = [lib.num_threads for lib in libraries]
    for lib in libraries:
        lib.set_num_threads(1)
    try:
        yield
    finally:
        for lib, threads in zip(libraries, previous):
            lib.set_num_threads(threads)


def build_design(pixels, labels, rows, prep=Preprocessing(), rng=None, dtype=np.float32, letters=None):
    """Return the design matrix (rows.total x 785, a bias column of ones first), laid out as ``rows``.

    ``pixels`` is m x 784 uint8 with ``labels`` (m,); ``rng`` draws the distortions, pieces and
    pairs; ``prep`` is what the network expects (deskewing, and the stroke width the pairs and
    pieces are framed with); ``letters`` (k x 784 uint8) are the real letters that
    ``rows.letters`` rows are drawn from.  Built in one allocation, so training never holds a
    second copy of the data set.
    """
    m = rows.digits
    design = np.empty((rows.total, mnist.PIXELS + 1), dtype=dtype)
    mnist.scale(pixels, bias=True, out=design[:m])
    prep.apply(design[:m, 1:], in_place=True)
    design[m:, 0] = 1
    refill(design, rows, pixels, labels, rng, prep, letters)
    return design


def refill(design, rows, pixels, labels, rng, prep, letters=None):
    """Draw the design's distorted copies, pairs, pieces, negatives and letters afresh (in that
    order, from ``rng``); the letters are ``rows.letters`` of ``letters`` drawn with
    replacement and distorted as the digits are."""
    for k in range(1, rows.copies + 1):
        block = design[rows.copy(k), 1:]
        distort.distort(pixels, rng, out=block)
        prep.apply(block, in_place=True)
    if rows.pairs:
        block = design[rows.paired, 1:]
        block[:] = touching.touching_pairs(pixels, rows.pairs, rng, prep.stroke)
        prep.apply(block, in_place=True)
    if rows.pieces:
        block = design[rows.cut, 1:]
        block[:] = touching.cut_pieces(pixels, labels, touching.piece_targets(rows.pieces), rng, prep.stroke)
        prep.apply(block, in_place=True)
    if rows.negatives:
        block = design[rows.marks, 1:]
        block[:] = negatives.negatives(rows.negatives, rng, prep.stroke, pixels, labels)
        prep.apply(block, in_place=True)
    if rows.letters:
        block = design[rows.handwritten, 1:]
        distort.distort(letters[rng.integers(len(letters), size=rows.letters)], rng, out=block)
        prep.apply(block, in_place=True)


def train_in_rounds(design, rows, y, fit, prep=Preprocessing(), pixels=None, rng=None, callback=None,
                    letters=None):
    """Train on ``design`` (laid out as ``rows``) -> (Theta1, Theta2, iterations, evaluations,
    last optimizer result).

    ``y`` are the digits' labels.  With ``fit.rounds`` = 0, one L-BFGS-B run from weights drawn
    with ``fit.seed``.  Otherwise the iterations are shared among that many runs, each starting
    from the last one's weights, and before each run after the first the distorted copies,
    pairs, pieces, negatives and letters are drawn afresh from ``pixels`` (uint8 m x 784) and
    ``letters`` (uint8 k x 784) by ``rng``; the cost and
    its buffers are built once and see the refilled rows.  Each restart loses L-BFGS-B's
    curvature memory, but the network sees many more distinct digits: fresh rounds beat fixed
    copies (docs/experiments.md#rounds).
    """
    input_layer_size, num_labels = design.shape[1] - 1, mnist.NUM_CLASSES
    runs = max(fit.rounds, 1)
    objective = Objective(design, rows.labels(y), fit.hidden, num_labels, fit.lamb)
    weights_rng = np.random.default_rng(fit.seed)
    params = pack(initialise(fit.hidden, input_layer_size, weights_rng),
                  initialise(num_labels, fit.hidden, weights_rng))
    iterations, evaluations = 0, 0
    for run in range(runs):
        if run:
            refill(design, rows, pixels, y, rng, prep, letters)
        share = fit.maxiter // runs + (run < fit.maxiter % runs)
        with single_threaded_optimizer_blas():
            result = minimize(objective, params, jac=True, method="L-BFGS-B",
                              options={"maxiter": share}, callback=callback)
        params = result.x
        iterations += result.nit
        evaluations += result.nfev
    Theta1, Theta2 = unpack(params, input_layer_size, fit.hidden, num_labels)
    return Theta1, Theta2, iterations, evaluations, result
