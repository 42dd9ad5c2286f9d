"""Random starting weights for a layer, as in the article: uniform in [-0.15, 0.15]."""

import numpy as np

EPSILON_INIT = 0.15


def initialise(a, b, rng=None):
    """Return an (a, b+1) float64 matrix uniform in [-0.15, 0.15]: a units fed by b inputs plus bias.

    ``rng`` is a ``numpy.random.Generator`` (or a seed); the same generator state gives the
    same weights.  Without one, fresh entropy is used.
    """
    rng = np.random.default_rng(rng)
    return rng.uniform(-EPSILON_INIT, EPSILON_INIT, size=(a, b + 1))
