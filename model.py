"""The 3-layer sigmoid network's regularised cross-entropy cost and its gradient.

Parameters travel as one flat vector ``nn_params`` (Theta1 then Theta2, each row-major with
its bias in column 0), the form ``scipy.optimize.minimize`` works on.  :class:`Objective`
holds everything that depends only on the data (the design matrix, the one-hot labels, the
work buffers) so that each of the ~100 evaluations of a training run only multiplies;
:func:`neural_network` is the article's one-shot interface on top of it.
"""

import numpy as np


def sigmoid(z, out=None):
    """Return the logistic function 1 / (1 + exp(-z)), elementwise, into ``out`` if given.

    Written as (1 + tanh(z / 2)) / 2: it never overflows, and NumPy's SIMD tanh makes it 4x
    faster than ``scipy.special.expit``.  The training loop uses it for the outputs only; its
    hidden layer stays as tanh(z / 2) (see :class:`Objective`).  Values below ~1e-8
    lose relative (not absolute) precision, which the network never needs: the cost is
    computed from pre-activations.
    """
    out = np.multiply(z, 0.5, out=out)
    np.tanh(out, out=out)
    out *= 0.5
    out += 0.5
    return out


def softplus(x, out, scratch):
    """Write log(1 + exp(x)) into ``out`` (may be ``x``), using ``scratch`` of x's shape; return out.

    Computed as max(x, 0) + log1p(exp(-|x|)), which never overflows; NumPy's ``logaddexp(0, x)``
    is the same function but about 7x slower in float32.
    """
    np.abs(x, out=scratch)
    np.negative(scratch, out=scratch)
    np.exp(scratch, out=scratch)
    np.log1p(scratch, out=scratch)
    np.maximum(x, 0, out=out)
    out += scratch
    return out


def unpack(nn_params, input_layer_size, hidden_layer_size, num_labels):
    """Split the flat vector into views Theta1 (h x n+1) and Theta2 (K x h+1); nothing is copied."""
    split = hidden_layer_size * (input_layer_size + 1)
    Theta1 = nn_params[:split].reshape(hidden_layer_size, input_layer_size + 1)
    Theta2 = nn_params[split:].reshape(num_labels, hidden_layer_size + 1)
    return Theta1, Theta2


def pack(Theta1, Theta2):
    """Join Theta1 and Theta2 into one flat float64 vector."""
    return np.concatenate([np.ravel(Theta1), np.ravel(Theta2)]).astype(np.float64, copy=False)


# The label of a training example that is none of the classes (two touching digits, say):
# all its targets are 0, which ten independent sigmoid outputs can learn as they are.
NO_CLASS = -1


def check_labels(y, m, num_labels):
    """Return ``y`` as an integer array of m labels in 0..num_labels-1 or :data:`NO_CLASS`;
    ValueError (one line) if not."""
    y = np.asarray(y)
    if m == 0:
        raise ValueError("no training examples: the cost is a mean over at least one example")
    if y.shape != (m,):
        raise ValueError(f"y has shape {y.shape}, expected ({m},): one label per example")
    if not (np.issubdtype(y.dtype, np.integer) or np.issubdtype(y.dtype, np.floating)) \
            or not np.all(np.isfinite(y)) or np.any(y != np.round(y)):
        raise ValueError("labels must be whole numbers")
    wrong = ((y < 0) & (y != NO_CLASS)) | (y >= num_labels)
    if wrong.any():
        raise ValueError(f"label {y[wrong][0]:g} is outside 0..{num_labels - 1} "
                         f"({NO_CLASS} for no class)")
    return y.astype(np.intp, copy=False)


class Objective:
    """Cost and gradient over one fixed data set, callable as ``J, grad = objective(nn_params)``.

    ``design`` is the m x (n+1) matrix of inputs with a leading column of ones (see
    ``mnist.scale(..., bias=True)``); its dtype is the compute dtype of the matrix products.
    The cost is accumulated and the gradient returned in float64, as L-BFGS-B needs.

    The hidden layer is kept as t = tanh(z / 2), never as a = sigmoid(z) = (1 + t) / 2: the
    halves and the offset fold into the small weight matrices, and a (1 - a) = (1 - t^2) / 4,
    so the only passes over the m x h hidden layer are one tanh and the (1 - t^2) product.
    All the work between the two big products runs block of rows by block, each block small
    enough to stay in cache through its passes.  (Spreading the blocks over both cores with
    threads was no faster: the passes are bound by memory; docs/experiments.md#speed.)
    """

    def __init__(self, design, y, hidden_layer_size, num_labels, lamb, block_rows=4096):
        y = check_labels(y, len(design), num_labels)
        self.design = design
        self.m, n_plus_1 = design.shape
        self.input_layer_size = n_plus_1 - 1
        self.hidden_layer_size = hidden_layer_size
        self.num_labels = num_labels
        self.lamb = float(lamb)
        dtype = design.dtype
        self.Y = np.zeros((self.m, num_labels), dtype=dtype)
        labelled = np.flatnonzero(y != NO_CLASS)
        self.Y[labelled, y[labelled]] = 1
        # Cross-entropy of a sigmoid output z with target t in {0, 1} is softplus((1 - 2t) z):
        # one log-free, overflow-free expression for both targets.
        self.sign = 1 - 2 * self.Y
        # Work buffers, allocated once and reused by every call.
        self.hidden = np.empty((self.m, hidden_layer_size), dtype=dtype)  # t = tanh(z2 / 2)
        self.hidden_delta = np.empty((self.m, hidden_layer_size), dtype=dtype)
        self.output = np.empty((self.m, num_labels), dtype=dtype)
        self.work = np.empty((self.m, num_labels), dtype=dtype)
        self.scratch = np.empty((self.m, num_labels), dtype=dtype)
        self.blocks = [slice(start, start + block_rows) for start in range(0, self.m, block_rows)]
        # 1 for every weight that is regularised, 0 for the bias columns.
        mask1, mask2 = unpack(np.ones(self.size), self.input_layer_size, hidden_layer_size, num_labels)
        mask1[:, 0] = 0
        mask2[:, 0] = 0
        self.regularised = np.concatenate([mask1.ravel(), mask2.ravel()])

    @property
    def size(self):
        """Length of the flat parameter vector."""
        return (self.hidden_layer_size * (self.input_layer_size + 1)
                + self.num_labels * (self.hidden_layer_size + 1))

    def __call__(self, nn_params):
        """Return (J, grad) for the flat parameter vector; ``nn_params`` is not modified."""
        nn_params = np.asarray(nn_params, dtype=np.float64)
        m, dtype = self.m, self.design.dtype
        Theta1, Theta2 = unpack(nn_params, self.input_layer_size, self.hidden_layer_size, self.num_labels)
        W2, b2 = Theta2[:, 1:], Theta2[:, 0]

        # The two big products run on all cores through BLAS; everything between them works
        # on one block of rows at a time, while the block is in cache.
        np.matmul(self.design, (0.5 * Theta1.T).astype(dtype), out=self.hidden)  # z2 / 2
        # With a2 = (1 + t) / 2: z3 = a2 W2' + b2 = t (W2 / 2)' + (b2 + rowsum(W2) / 2), and
        # a2 (1 - a2) = (1 - t^2) / 4, so a2 itself is never needed.
        weights = ((0.5 * W2.T).astype(dtype), (b2 + 0.5 * W2.sum(axis=1)).astype(dtype),
                   (0.25 * W2).astype(dtype))
        parts = [self._middle(rows, *weights) for rows in self.blocks]
        cost, d3_sum, d3_t = (sum(p[i] for p in parts) for i in range(3))

        weighted = self.regularised * nn_params
        J = cost / m + self.lamb / (2 * m) * np.dot(weighted, nn_params)
        grad2 = np.empty(Theta2.shape)
        grad2[:, 0] = d3_sum
        grad2[:, 1:] = 0.5 * d3_t + 0.5 * d3_sum[:, None]  # d3' a2
        grad1 = self.hidden_delta.T @ self.design

        grad = pack(grad1, grad2)
        grad /= m
        grad += (self.lamb / m) * weighted
        return float(J), grad

    def _middle(self, rows, half_W2_T, z3_bias, quarter_W2):
        """Everything between the two big products, for one block of rows, in place.

        Turns the block's z2 / 2 into t = tanh(z2 / 2), computes the outputs and their
        cross-entropy, and leaves the hidden error (d3 W2 / 4) .* (1 - t^2) in ``hidden_delta``.
        Returns the block's (cost sum, d3 column sums, d3' t) in float64.
        """
        t, d2 = self.hidden[rows], self.hidden_delta[rows]
        z3, work, scratch = self.output[rows], self.work[rows], self.scratch[rows]
        np.tanh(t, out=t)
        np.matmul(t, half_W2_T, out=z3)
        z3 += z3_bias
        # Cross-entropy of a sigmoid output z with target y in {0, 1} is softplus((1 - 2y) z).
        np.multiply(self.sign[rows], z3, out=work)
        cost = softplus(work, out=work, scratch=scratch).sum(dtype=np.float64)
        d3 = sigmoid(z3, out=z3)  # output error h - y
        d3 -= self.Y[rows]
        d3_t = (d3.T @ t).astype(np.float64)
        np.matmul(d3, quarter_W2, out=d2)
        np.multiply(t, t, out=t)
        np.subtract(1, t, out=t)
        d2 *= t
        return cost, d3.sum(axis=0, dtype=np.float64), d3_t


def neural_network(nn_params, input_layer_size, hidden_layer_size, num_labels, X, y, lamb):
    """Return (J, grad) of the network on X (m x n, scaled pixels) and y (m,) labels 0..K-1.

    The article's interface; computes in X's float dtype (float64 for integer X).  For repeated
    evaluation on the same data, build an :class:`Objective` once instead.
    """
    X = np.asarray(X)
    dtype = X.dtype if X.dtype in (np.float32, np.float64) else np.float64
    if X.shape[1] != input_layer_size:
        raise ValueError(f"X has {X.shape[1]} columns, expected input_layer_size={input_layer_size}")
    design = np.empty((X.shape[0], input_layer_size + 1), dtype=dtype)
    design[:, 0] = 1
    design[:, 1:] = X
    return Objective(design, y, hidden_layer_size, num_labels, lamb)(nn_params)
