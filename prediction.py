"""Predict digits with trained weights: the network's forward pass, without training machinery."""

import numpy as np
from scipy.special import expit

import preprocess
from thetas import load_model, load_thetas  # noqa: F401  (re-exported: the loaders that go with predict)


def output_activations(Theta1, Theta2, X, batch=8192):
    """Return the m x 10 sigmoid outputs for X (m x 784, pixels in [0, 1]).

    Works through X in batches of rows so the hidden layer's temporaries stay small whatever m
    is.  Uses ``expit`` rather than the training loop's faster ``model.sigmoid``: outputs far
    below 1e-8 keep their relative precision, so :func:`predict_proba` never divides 0 by 0.
    """
    X = np.atleast_2d(X)
    # Compute in X's precision: promoting a float32 data set to float64 would copy all of it.
    dtype = X.dtype if X.dtype in (np.float32, np.float64) else np.float64
    Theta1 = np.asarray(Theta1, dtype=dtype)
    Theta2 = np.asarray(Theta2, dtype=dtype)
    out = np.empty((len(X), len(Theta2)), dtype=dtype)
    for start in range(0, len(X), batch):
        hidden = expit(X[start:start + batch] @ Theta1[:, 1:].T + Theta1[:, 0])
        out[start:start + batch] = expit(hidden @ Theta2[:, 1:].T + Theta2[:, 0])
    return out


def predict(Theta1, Theta2, X):
    """Return the predicted labels (m,) for X (m x 784): the index of the largest output."""
    return np.argmax(output_activations(Theta1, Theta2, X), axis=1)


def predict_proba(Theta1, Theta2, X):
    """Return m x 10 scores summing to 1 per row.

    These are the ten sigmoid outputs divided by their sum, not a softmax: the network was
    trained with ten independent sigmoid outputs, so this is a normalised confidence, not a
    calibrated probability.
    """
    out = output_activations(Theta1, Theta2, X)
    return out / out.sum(axis=1, keepdims=True)


def prepare(model, images):
    """Apply the preprocessing ``model`` expects to images (n x 784, pixels in [0, 1])."""
    images = np.atleast_2d(images)
    return preprocess.deskew(images) if model.deskew else images


def classify(model, images):
    """Return n x 10 normalised scores for images (n x 784 in [0, 1]) under a loaded ``model``.

    The one entry point for everything that predicts: it applies the model's preprocessing.
    """
    return predict_proba(model.Theta1, model.Theta2, prepare(model, images))
