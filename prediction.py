"""Predict digits with trained weights: the network's forward pass, without training machinery.

The training loop (:class:`model.Objective`) runs the same forward pass in its own
preallocated buffers over the whole training set; sharing one function would cost it those
buffers, so the two are written separately and the tests check they agree.
"""

from typing import NamedTuple

import numpy as np
from scipy.special import expit

from thetas import load_network, load_thetas  # noqa: F401  (re-exported: the loaders that go with predict)


def output_preactivations(Theta1, Theta2, X, batch=8192):
    """Return the m x 10 output pre-activations z (outputs are sigmoid(z)) for X (m x 784 in [0, 1]).

    Works through X in batches of rows so the hidden layer's temporaries stay small whatever m
    is; computes in X's precision (promoting a float32 data set to float64 would copy all of it).
    """
    X = np.atleast_2d(X)
    dtype = X.dtype if X.dtype in (np.float32, np.float64) else np.float64
    Theta1 = np.asarray(Theta1, dtype=dtype)
    Theta2 = np.asarray(Theta2, dtype=dtype)
    out = np.empty((len(X), len(Theta2)), dtype=dtype)
    for start in range(0, len(X), batch):
        hidden = expit(X[start:start + batch] @ Theta1[:, 1:].T + Theta1[:, 0])
        np.matmul(hidden, Theta2[:, 1:].T, out=out[start:start + batch])
    out += Theta2[:, 0]
    return out


def output_activations(Theta1, Theta2, X):
    """Return the m x 10 sigmoid outputs for X (m x 784, pixels in [0, 1])."""
    return expit(output_preactivations(Theta1, Theta2, X))


def predict(Theta1, Theta2, X):
    """Return the predicted labels (m,) for X (m x 784): the index of the largest output."""
    return np.argmax(output_preactivations(Theta1, Theta2, X), axis=1)


def predict_proba(Theta1, Theta2, X):
    """Return m x 10 scores summing to 1 per row: the ten sigmoid outputs divided by their sum.

    This is a normalised confidence, not a calibrated probability (the network was trained with
    ten independent sigmoid outputs, not a softmax).
    """
    return shares(output_preactivations(Theta1, Theta2, X))


def shares(z):
    """Return the sigmoid outputs of pre-activations ``z`` (m x 10) divided by their row's sum.

    Computed from log sigmoid(z) = -log(1 + exp(-z)), shifted by each row's largest, so it
    stays finite when all ten outputs underflow to 0 (where dividing the outputs themselves
    would give 0/0).
    """
    z = np.asarray(z, dtype=np.float64)
    log_outputs = -np.logaddexp(0, -z)
    log_outputs -= log_outputs.max(axis=1, keepdims=True)
    scores = np.exp(log_outputs)
    return scores / scores.sum(axis=1, keepdims=True)


def prepare(network, images):
    """Apply the preprocessing ``network`` expects to images (n x 784, pixels in [0, 1])."""
    return network.preprocessing.apply(np.atleast_2d(images))


def outputs(network, images):
    """Return the n x 10 sigmoid outputs for images (n x 784 in [0, 1]) under a loaded ``network``.

    Unlike :func:`classify`'s shares, these say how much each input looks like any digit at
    all: a blot of two digits gets low outputs everywhere.  Applies the network's preprocessing.
    """
    return output_activations(network.Theta1, network.Theta2, prepare(network, images))


def classify(network, images):
    """Return n x 10 normalised scores for images (n x 784 in [0, 1]) under a loaded ``network``.

    It applies the network's preprocessing; :func:`judge` adds the tools' decision.
    """
    return predict_proba(network.Theta1, network.Theta2, prepare(network, images))


class Judgement(NamedTuple):
    """What the network makes of n parts: normalised ``probabilities`` (n x 10), and which parts
    are ``rejected`` (not digits) and which digits are ``unsure`` (n booleans each)."""

    probabilities: np.ndarray
    rejected: np.ndarray
    unsure: np.ndarray

    @property
    def labels(self):
        """The digit read in each part (rejected ones too: the nearest digit)."""
        return self.probabilities.argmax(axis=1)

    @property
    def runners_up(self):
        """The second most likely digit of each part."""
        return np.argsort(self.probabilities, axis=1)[:, -2]


def judge(network, images):
    """Return the :class:`Judgement` of images (n x 784 in [0, 1]) under a loaded ``network``.

    The one entry point for everything that reads parts as digits: it applies the network's
    preprocessing and its :class:`thetas.Decision` (thresholds calibrated by main.py).
    """
    decision = network.decision
    images = np.atleast_2d(images).reshape(-1, network.Theta1.shape[1] - 1)
    z = output_preactivations(network.Theta1, network.Theta2, prepare(network, images))
    probabilities = shares(z)
    ordered = np.sort(probabilities, axis=1)
    rejected = expit(z.max(axis=1, initial=-np.inf)) < decision.not_digit_below
    unsure = ~rejected & ((ordered[:, -1] < decision.unsure_below)
                          | (ordered[:, -2] >= decision.unsure_ratio * ordered[:, -1]))
    return Judgement(probabilities, rejected, unsure)
