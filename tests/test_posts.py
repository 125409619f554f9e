"""Post 001's vectorized formulas and post 002's two-hidden-layer network."""

import numpy as np
import pytest

from backprop import gradient_check, numerical_gradients, train
from backprop.lecture import post001_network, post002_network, post002_target


def post001_gradients(x, y, w1, b1, w2, b2):
    """Post 001's equations exactly as printed, in its layout: W1 (2, 3), W2 (3, 1)."""
    m = len(x)
    z1 = x @ w1 + b1
    a1 = 1.0 / (1.0 + np.exp(-z1))
    a2 = a1 @ w2 + b2
    delta2 = (a2 - y) / m
    delta1 = (delta2 @ w2.T) * (a1 * (1 - a1))
    return {
        "loss": np.sum((a2 - y) ** 2) / (2 * m),
        "W2": a1.T @ delta2, "b2": delta2.sum(axis=0),
        "W1": x.T @ delta1, "b1": delta1.sum(axis=0),
        "delta2": delta2, "delta1": delta1,
    }


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_post001_vectorized_formulas_equal_the_engine_and_finite_differences(seed):
    rng = np.random.default_rng(seed)
    net = post001_network(rng)
    x = rng.uniform(-2, 2, (7, 2))
    y = rng.normal(size=(7, 1))
    post = post001_gradients(x, y, net.weights[0].T, net.biases[0], net.weights[1].T,
                             net.biases[1])
    trace = net.forward(x)
    grads = net.backward(trace, y)
    assert net.error(x, y) == pytest.approx(post["loss"], rel=1e-14)
    # The post's delta is dL/dZ; the lecture's is -dL/dnet. Its W is the course's W^T.
    np.testing.assert_allclose(grads.deltas[1], -post["delta2"], rtol=1e-13)
    np.testing.assert_allclose(grads.deltas[0], -post["delta1"], rtol=1e-12, atol=1e-16)
    np.testing.assert_allclose(grads.weights[1], post["W2"].T, rtol=1e-12)
    np.testing.assert_allclose(grads.weights[0], post["W1"].T, rtol=1e-12)
    np.testing.assert_allclose(grads.biases[1], post["b2"], rtol=1e-12)
    np.testing.assert_allclose(grads.biases[0], post["b1"], rtol=1e-12, atol=1e-16)
    numeric_w, numeric_b = numerical_gradients(net, x, y)
    np.testing.assert_allclose(post["W1"].T, numeric_w[0], rtol=1e-7, atol=1e-11)
    np.testing.assert_allclose(post["W2"].T, numeric_w[1], rtol=1e-7, atol=1e-11)
    np.testing.assert_allclose(post["b1"], numeric_b[0], rtol=1e-7, atol=1e-11)
    assert gradient_check(net, x, y) < 1e-7


@pytest.mark.parametrize("activation", ["sigmoid", "tanh", "relu"])
def test_post002_network_gradients_equal_finite_differences(activation):
    rng = np.random.default_rng(3)
    net = post002_network(rng, activation)
    x = rng.uniform(0.1, 1, (5, 2))
    if activation == "relu":  # keep every unit active, away from the kink
        net.biases[0][:] = net.biases[1][:] = 5.0
    assert gradient_check(net, x, post002_target(x)) < 1e-7


def test_post002_network_learns_the_plane_on_held_out_data():
    rng = np.random.default_rng(1)
    net = post002_network(rng)
    x = rng.uniform(0, 1, (150, 2))
    history = train(net, x, post002_target(x), eta=0.03, epochs=200, rng=rng)
    held_out = rng.uniform(0, 1, (500, 2))
    mse = np.mean((net.predict(held_out) - post002_target(held_out)) ** 2)
    assert mse < 0.01, f"held-out mean squared error {mse}"
    assert history.loss[-1] < history.loss[0] / 100
