"""Fit the network to training digits: the design matrix, rounds of fresh distortions, L-BFGS-B.

``main.py`` is the command line around this: it loads the data, calls :func:`build_design` and
:func:`train_in_rounds`, then scores and saves the result.  The optimizer is SciPy's
``minimize(method="L-BFGS-B", jac=True)`` on :class:`model.Objective`, from weights drawn by
``rand_initialise.initialise``.
"""

import contextlib
from pathlib import Path

import numpy as np
from scipy.optimize import minimize

import augment
import mnist
import preprocess
from model import NO_CLASS, Objective, pack, unpack
from rand_initialise import initialise


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


def build_design(pixels, dtype, copies=0, rng=None, deskew=False, recentre=False, pairs=0, stroke=None,
                 pieces=0, labels=None, mined=None, flags=None):
    """Return the design matrix (m (1 + copies) + pieces + pairs + mined x 785): the digits,
    ``copies`` distorted sets, ``pieces`` pieces cut from touching pairs (:func:`refill_pieces`,
    needs the digits' ``labels``), ``pairs`` touching pairs of digits (see :func:`refill_pairs`),
    then the ``mined`` pieces (k x 784 in [0, 1], :func:`mining.mine_pieces`).  ``flags``
    (share, generator), if given, flags that share of the distorted 1s (:func:`redistort`).

    ``pixels`` is m x 784 uint8; ``rng`` draws the distortions and the pairs.  Built in one
    allocation, so training never holds a second copy of the data set.
    """
    m = len(pixels)
    mined = np.zeros((0, mnist.PIXELS), np.float32) if mined is None else mined
    design = np.empty((m * (1 + copies) + pieces + pairs + len(mined), mnist.PIXELS + 1), dtype=dtype)
    mnist.scale(pixels, bias=True, out=design[:m])
    if deskew:
        preprocess.deskew(design[:m, 1:], out=design[:m, 1:], recentre=recentre)
    design[m:, 0] = 1
    for k in range(1, copies + 1):
        redistort(design[k * m:(k + 1) * m], pixels, rng, deskew, recentre, labels, flags)
    refill_touching(design[:len(design) - len(mined)], pixels, labels, rng, pieces, pairs, deskew, recentre,
                    stroke)
    rows = design[len(design) - len(mined):, 1:]
    rows[:] = mined
    if deskew:
        preprocess.deskew(rows, out=rows, recentre=recentre)
    return design


def refill_touching(design, pixels, labels, rng, pieces, pairs, deskew=False, recentre=False, stroke=None):
    """Refill the design's last ``pieces + pairs`` rows: pieces cut from touching pairs, then
    the pairs themselves (see :func:`refill_pieces` and :func:`refill_pairs`)."""
    end = len(design)
    if pairs:
        refill_pairs(design[end - pairs:], pixels, rng, deskew, recentre, stroke)
    if pieces:
        refill_pieces(design[end - pairs - pieces:end - pairs], pixels, labels, rng, deskew, recentre, stroke)


def redistort(rows, pixels, rng, deskew=False, recentre=False, labels=None, flags=None):
    """Fill design ``rows`` (m x 785, bias column already 1) with fresh distortions of ``pixels``.

    ``flags`` (share, generator), with the digits' ``labels``: that share of the 1s get a flag
    (:func:`augment.add_flags`), drawn from its own generator so the distortions, pairs and
    pieces are drawn as without them.
    """
    augment.distort(pixels, rng, out=rows[:, 1:])
    if flags is not None and flags[0]:
        augment.add_flags(rows[:, 1:], labels, flags[1], flags[0])
    if deskew:
        preprocess.deskew(rows[:, 1:], out=rows[:, 1:], recentre=recentre)


def refill_pairs(rows, pixels, rng, deskew=False, recentre=False, stroke=None):
    """Fill design ``rows`` (bias column already 1) with touching pairs of ``pixels``' digits.

    They are trained with the label :data:`model.NO_CLASS` (all ten outputs 0), framed as the
    scan command frames a part of a page, strokes grown towards ``stroke`` as it grows them.
    """
    rows[:, 1:] = augment.touching_pairs(pixels, len(rows), rng, stroke)
    if deskew:
        preprocess.deskew(rows[:, 1:], out=rows[:, 1:], recentre=recentre)


def refill_pieces(rows, pixels, labels, rng, deskew=False, recentre=False, stroke=None):
    """Fill design ``rows`` (bias column already 1) with pieces cut from touching pairs of
    ``pixels``' digits (``labels``), labelled :func:`augment.piece_targets`: a digit nearly
    whole with a sliver of its neighbour, or a digit with much of its neighbour (no digit)."""
    rows[:, 1:] = augment.cut_pieces(pixels, labels, augment.piece_targets(len(rows)), rng, stroke)
    if deskew:
        preprocess.deskew(rows[:, 1:], out=rows[:, 1:], recentre=recentre)


def train_in_rounds(design, y, pixels=None, rng=None, rounds=0, hidden_layer_size=100, lamb=0.1,
                    maxiter=100, seed=0, deskew=False, recentre=False, callback=None, pairs=0, stroke=None,
                    pieces=0, mined_targets=(), flags=None):
    """Train on ``design`` -> (Theta1, Theta2, iterations, evaluations, last optimizer result).

    ``design`` holds the m digits (labels ``y``, m,) and, with ``rounds`` > 0, m more rows that
    each round refills with fresh distortions of ``pixels`` (uint8 m x 784) drawn by ``rng``
    (see :func:`build_design`).  With ``rounds`` = 0, one L-BFGS-B run from weights drawn with
    ``seed``.  Otherwise the iterations are shared among ``rounds`` runs, each starting from the
    last one's weights; the cost and its buffers are built once and see the refilled rows.
    The design's last ``pairs`` rows are touching pairs (label :data:`model.NO_CLASS`), and the
    ``pieces`` rows before them pieces cut from pairs (labels :func:`augment.piece_targets`),
    both refilled fresh each round too.  The mined pieces (``mined_targets``, the design's
    last rows) are trained on in the last round only, from weights fitted without them, as
    the fine-tuning that first showed them worth trying (the README's touching digits): in
    every round, a fixed set among fresh ones, they read fewer touching numbers.  ``flags``:
    see :func:`redistort`.
    On held-out training digits (bench/bench_augment.py, 800 iterations in all) fixed copies
    under one run did not help (98.49 % with one copy, 98.48 % with two, 98.49 % with none),
    while fresh copies did: 98.75 % in 4 rounds, 98.83 % in 8, 98.88 % in 16.  Each restart
    loses L-BFGS-B's curvature memory, but the network sees many more distinct digits.
    """
    m, input_layer_size = len(y), design.shape[1] - 1
    num_labels = mnist.NUM_CLASSES
    mined = len(mined_targets)
    core = design[:len(design) - mined]  # the rows of every round
    copies = (len(core) - pairs - pieces) // m
    labels = np.concatenate([np.tile(y, copies), augment.piece_targets(pieces), np.full(pairs, NO_CLASS),
                             np.asarray(mined_targets, dtype=int)])
    runs = max(rounds, 1)
    objective = Objective(core, labels[:len(core)], hidden_layer_size, num_labels, lamb)
    weights_rng = np.random.default_rng(seed)
    params = pack(initialise(hidden_layer_size, input_layer_size, weights_rng),
                  initialise(num_labels, hidden_layer_size, weights_rng))
    iterations, evaluations = 0, 0
    for run in range(runs):
        if run:
            redistort(core[m:copies * m], pixels, rng, deskew, recentre, y, flags)
            refill_touching(core, pixels, y, rng, pieces, pairs, deskew, recentre, stroke)
        if mined and run == runs - 1:
            del objective  # its buffers, before the larger ones are made
            objective = Objective(design, labels, hidden_layer_size, num_labels, lamb)
        share = maxiter // runs + (run < maxiter % runs)
        with single_threaded_optimizer_blas():
            result = minimize(objective, params, jac=True, method="L-BFGS-B",
                              options={"maxiter": share}, callback=callback)
        params = result.x
        iterations += result.nit
        evaluations += result.nfev
    Theta1, Theta2 = unpack(params, input_layer_size, hidden_layer_size, num_labels)
    return Theta1, Theta2, iterations, evaluations, result
