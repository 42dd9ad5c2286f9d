"""Cost, gradient, initial weights and prediction of the network."""

import numpy as np
import pytest

from model import NO_CLASS, Objective, neural_network, pack, unpack
from prediction import output_activations, predict, predict_proba
from rand_initialise import initialise


def debug_weights(fan_out, fan_in):
    """Andrew Ng's deterministic test weights: sin(1..N) / 10, shaped (fan_out, fan_in + 1)."""
    return np.sin(np.arange(1, fan_out * (fan_in + 1) + 1)).reshape(fan_out, fan_in + 1) / 10


def small_problem():
    """A 3-5-3 network on m=5 examples, all deterministic."""
    n, h, k, m = 3, 5, 3, 5
    params = pack(debug_weights(h, n), debug_weights(k, h))
    X = debug_weights(m, n - 1)
    y = np.arange(1, m + 1) % k
    return params, n, h, k, X, y


@pytest.mark.parametrize("lamb", [0.0, 3.0])
def test_gradient_matches_central_differences(lamb):
    params, n, h, k, X, y = small_problem()
    _, grad = neural_network(params, n, h, k, X, y, lamb)
    eps = 1e-4
    numeric = np.empty_like(params)
    for i in range(len(params)):
        step = np.zeros_like(params)
        step[i] = eps
        plus = neural_network(params + step, n, h, k, X, y, lamb)[0]
        minus = neural_network(params - step, n, h, k, X, y, lamb)[0]
        numeric[i] = (plus - minus) / (2 * eps)
    relative = np.linalg.norm(numeric - grad) / np.linalg.norm(numeric + grad)
    assert relative < 1e-9


def test_no_class_examples_have_all_targets_zero_and_an_exact_gradient():
    params, n, h, k, X, y = small_problem()
    y = y.copy()
    y[[1, 3]] = NO_CLASS
    design = np.hstack([np.ones((len(X), 1)), X])
    objective = Objective(design, y, h, k, 0.0)
    np.testing.assert_array_equal(objective.Y[[1, 3]], 0)
    np.testing.assert_array_equal(objective.Y.sum(axis=1), [1, 0, 1, 0, 1])
    # The cost is the cross-entropy against those targets: -log(1 - output) for every output.
    Theta1, Theta2 = unpack(params, n, h, k)
    outputs = output_activations(Theta1, Theta2, X)
    targets = objective.Y
    expected = -np.sum(targets * np.log(outputs) + (1 - targets) * np.log(1 - outputs)) / len(X)
    assert objective(params)[0] == pytest.approx(expected, rel=1e-12)
    _, grad = objective(params)
    eps = 1e-4
    numeric = np.array([(objective(params + eps * e)[0] - objective(params - eps * e)[0]) / (2 * eps)
                        for e in np.eye(len(params))])
    assert np.linalg.norm(numeric - grad) / np.linalg.norm(numeric + grad) < 1e-9


def test_float32_gradient_close_to_float64():
    params, n, h, k, X, y = small_problem()
    J64, g64 = neural_network(params, n, h, k, X, y, 1.0)
    J32, g32 = neural_network(params, n, h, k, X.astype(np.float32), y, 1.0)
    assert g32.dtype == np.float64
    assert abs(J32 - J64) < 1e-6
    assert np.linalg.norm(g32 - g64) / np.linalg.norm(g64) < 1e-5


def test_cost_with_regularisation_matches_formula():
    params, n, h, k, X, y = small_problem()
    J0, _ = neural_network(params, n, h, k, X, y, 0.0)
    J3, _ = neural_network(params, n, h, k, X, y, 3.0)
    Theta1, Theta2 = unpack(params, n, h, k)
    penalty = 3.0 / (2 * len(X)) * (np.sum(Theta1[:, 1:] ** 2) + np.sum(Theta2[:, 1:] ** 2))
    assert J3 - J0 == pytest.approx(penalty, rel=1e-12)


@pytest.mark.parametrize("seed", [0, 1])
def test_cost_at_zero_weights_is_10_ln2(seed):
    rng = np.random.default_rng(seed)
    X = rng.random((7, 784))
    y = rng.integers(0, 10, size=7)
    J, _ = neural_network(np.zeros(100 * 785 + 10 * 101), 784, 100, 10, X, y, 0.1)
    assert J == pytest.approx(10 * np.log(2), rel=1e-12)


def test_arguments_unchanged():
    params, n, h, k, X, y = small_problem()
    copies = params.copy(), X.copy(), y.copy()
    neural_network(params, n, h, k, X, y, 3.0)
    for before, after in zip(copies, (params, X, y)):
        np.testing.assert_array_equal(before, after)


def test_huge_weights_give_finite_cost_without_warnings():
    params, n, h, k, X, y = small_problem()
    with np.errstate(over="raise", divide="raise", invalid="raise"):  # underflow to 0 is fine
        J, grad = neural_network(params * 1e6, n, h, k, X, y, 0.0)
    assert np.isfinite(J) and J > 1000  # confidently wrong outputs cost a lot, but finitely
    assert np.all(np.isfinite(grad))


def test_objective_gives_same_result_on_repeated_calls():
    params, n, h, k, X, y = small_problem()
    design = np.hstack([np.ones((len(X), 1)), X])
    objective = Objective(design, y, h, k, 3.0)
    J1, g1 = objective(params)
    objective(params * 2)  # buffers reused in between must not leak into the next result
    J2, g2 = objective(params)
    assert J1 == J2
    np.testing.assert_array_equal(g1, g2)


def test_initialise_shape_range_and_reproducibility():
    theta = initialise(100, 784, np.random.default_rng(5))
    assert theta.shape == (100, 785)
    assert theta.min() >= -0.15 and theta.max() <= 0.15
    assert theta.std() > 0.05  # spread over the range, not a constant
    np.testing.assert_array_equal(theta, initialise(100, 784, np.random.default_rng(5)))
    assert not np.array_equal(theta, initialise(100, 784, np.random.default_rng(6)))


def test_predict_on_hand_computed_net():
    # Two inputs, two hidden units, ten outputs.  Hidden unit 0 follows input 0, unit 1 input 1;
    # output 3 fires on hidden 0, output 7 on hidden 1: so input (1, 0) -> 3 and (0, 1) -> 7.
    Theta1 = np.array([[-5.0, 10.0, 0.0],
                       [-5.0, 0.0, 10.0]])
    Theta2 = np.full((10, 3), -5.0)
    Theta2[3] = [-5.0, 10.0, 0.0]
    Theta2[7] = [-5.0, 0.0, 10.0]
    X = np.array([[1.0, 0.0], [0.0, 1.0]])
    np.testing.assert_array_equal(predict(Theta1, Theta2, X), [3, 7])
    proba = predict_proba(Theta1, Theta2, X)
    np.testing.assert_allclose(proba.sum(axis=1), 1.0)
    # By hand for input (1, 0): hidden = sigmoid(5), sigmoid(-5); output 3 = sigmoid(-5 + 10 s(5)).
    s = lambda z: 1 / (1 + np.exp(-z))  # noqa: E731
    hidden = np.array([s(5), s(-5)])
    outputs = np.array([s(Theta2[j, 0] + Theta2[j, 1:] @ hidden) for j in range(10)])
    np.testing.assert_allclose(proba[0], outputs / outputs.sum(), rtol=1e-12)


@pytest.mark.parametrize("y, words", [
    (np.array([0, 1, 2, -2, 1]), "label -2 is outside 0..2"),
    (np.array([0, 1, 2, 3, 1]), "label 3 is outside 0..2"),
    (np.array([0, 1, 2]), "y has shape (3,), expected (5,)"),
    (np.array([0, 1, 2, 1.5, 1]), "whole numbers"),
])
def test_bad_labels_are_refused_in_one_line(y, words):
    params, n, h, k, X, _ = small_problem()
    with pytest.raises(ValueError) as info:
        neural_network(params, n, h, k, X, y, 1.0)
    assert words in str(info.value) and "\n" not in str(info.value)


def test_no_examples_is_refused_in_one_line():
    params, n, h, k, X, y = small_problem()
    with pytest.raises(ValueError, match="no training examples"):
        Objective(np.ones((0, n + 1)), y[:0], h, k, 1.0)


def test_training_and_prediction_forward_passes_agree():
    params, n, h, k, X, y = small_problem()
    J, _ = neural_network(params, n, h, k, X, y, 0.0)
    Theta1, Theta2 = unpack(params, n, h, k)
    outputs = output_activations(Theta1, Theta2, X)
    Y = np.eye(k)[y]
    by_hand = -np.sum(Y * np.log(outputs) + (1 - Y) * np.log(1 - outputs)) / len(X)
    assert J == pytest.approx(by_hand, rel=1e-12)


def test_confidences_stay_finite_when_every_output_underflows():
    params, n, h, k, X, y = small_problem()
    Theta1, Theta2 = unpack(params.copy(), n, h, k)
    Theta2[:, 0] = -200.0  # every sigmoid output is below float32's smallest number
    Theta2[1, 0] = -190.0  # but output 1 is the largest by far
    X32 = X.astype(np.float32)
    assert np.all(output_activations(Theta1, Theta2, X32) == 0)
    with np.errstate(all="raise"):
        proba = predict_proba(Theta1, Theta2, X32)
    assert np.all(np.isfinite(proba))
    np.testing.assert_allclose(proba.sum(axis=1), 1.0)
    np.testing.assert_array_equal(proba.argmax(axis=1), 1)
    np.testing.assert_array_equal(predict(Theta1, Theta2, X32), 1)
