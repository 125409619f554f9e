"""Chapter 11, "The matrix form derived": BP1-BP4 in the lecture's sign, against the engine.

Each equation of the chapter is computed three ways where the chapter does (the per-unit rule
as a loop, the matrix equation, the engine's backward pass): for the lecture's 3-2-1 example,
for a random batch with one example per row, and for deeper random networks, where the
recursion BP2 runs more than once.
"""

from __future__ import annotations

import numpy as np
import pytest

from backprop import Network
from backprop.lecture import worked_3_2_1


def slope(a):
    """The sigmoid's derivative, read off its output."""
    return a * (1 - a)


def lecture_rules(net, x, t):
    """The lecture's per-unit rules, one unit and one weight at a time (sigmoid units only)."""
    trace = net.forward(x)
    outs = [x, *trace.outputs]
    deltas = [None] * len(net.weights)
    last = len(net.weights) - 1
    deltas[last] = np.array([slope(o) * (tk - o) for o, tk in zip(outs[-1], t, strict=True)])
    for ly in range(last - 1, -1, -1):
        above, w_above = deltas[ly + 1], net.weights[ly + 1]
        deltas[ly] = np.array([slope(outs[ly + 1][h]) * sum(w_above[k, h] * above[k]
                                                          for k in range(above.size))
                              for h in range(outs[ly + 1].size)])
    grads = [np.array([[-deltas[ly][j] * outs[ly][i] for i in range(outs[ly].size)]
                       for j in range(deltas[ly].size)]) for ly in range(last + 1)]
    return deltas, grads


def matrix_one_example(net, x, t):
    """BP1-BP4 for one example, column vectors, the course's W of shape (n_l, n_(l-1))."""
    trace = net.forward(x)
    a = [x, *trace.outputs]
    L = len(net.weights)
    deltas = [None] * L
    deltas[L - 1] = slope(a[L]) * (t - a[L])  # BP1
    for ly in range(L - 2, -1, -1):
        deltas[ly] = slope(a[ly + 1]) * (net.weights[ly + 1].T @ deltas[ly + 1])  # BP2
    grad_b = [-d for d in deltas]  # BP3
    grad_w = [-np.outer(deltas[ly], a[ly]) for ly in range(L)]  # BP4
    for ly in range(L):
        assert deltas[ly].shape == (net.layer_sizes[ly + 1],)
        assert grad_w[ly].shape == net.weights[ly].shape
    return deltas, grad_w, grad_b


def matrix_batch(net, X, T):
    """The same four equations with one example per row: A W^T, Delta W, -Delta^T A."""
    A = [X]
    for w, b in zip(net.weights, net.biases, strict=True):
        A.append(1 / (1 + np.exp(-(A[-1] @ w.T + b))))
    L = len(net.weights)
    deltas = [None] * L
    deltas[L - 1] = slope(A[L]) * (T - A[L])  # (m, n_L)
    for ly in range(L - 2, -1, -1):
        deltas[ly] = slope(A[ly + 1]) * (deltas[ly + 1] @ net.weights[ly + 1])  # (m, n_l)
    grad_w = [-(deltas[ly].T @ A[ly]) for ly in range(L)]  # (n_l, n_(l-1))
    grad_b = [-d.sum(axis=0) for d in deltas]
    m = X.shape[0]
    for ly in range(L):
        assert deltas[ly].shape == (m, net.layer_sizes[ly + 1])
        assert grad_w[ly].shape == net.weights[ly].shape
    return A, deltas, grad_w, grad_b


def random_sigmoid_network(sizes, seed):
    return Network.initialise(sizes, ["sigmoid"] * (len(sizes) - 1), np.random.default_rng(seed),
                              scheme="xavier")


def test_bp1_to_bp4_on_the_lecture_example():
    ex = worked_3_2_1()
    net, x, t = ex.network, ex.x, ex.t
    engine = net.backward(net.forward(x), t)
    deltas, grad_w, grad_b = matrix_one_example(net, x, t)
    loop_deltas, loop_grads = lecture_rules(net, x, t)
    for ly in range(2):
        np.testing.assert_allclose(deltas[ly], engine.deltas[ly], rtol=0, atol=1e-16)
        np.testing.assert_allclose(deltas[ly], loop_deltas[ly], rtol=0, atol=1e-16)
        np.testing.assert_allclose(grad_w[ly], engine.weights[ly], rtol=0, atol=1e-16)
        np.testing.assert_allclose(grad_w[ly], loop_grads[ly], rtol=0, atol=1e-16)
        np.testing.assert_allclose(grad_b[ly], engine.biases[ly], rtol=0, atol=1e-16)
    # the values chapter 11 shows (the lecture's delta_6, delta_4, delta_5, to 4 decimals)
    assert round(float(deltas[1][0]), 4) == 0.1312
    assert [round(float(d), 4) for d in deltas[0]] == [-0.0087, -0.0065]


def test_the_sign_is_the_lectures_not_nielsens():
    """BP1 with Nielsen's delta = +dC/dz would flip every delta and every gradient's sign."""
    ex = worked_3_2_1()
    net, x, t = ex.network, ex.x, ex.t
    a_out = net.forward(x).outputs[-1]
    nielsen = (a_out - t) * slope(a_out)
    engine = net.backward(net.forward(x), t)
    np.testing.assert_allclose(-nielsen, engine.deltas[-1], rtol=0, atol=1e-16)
    assert engine.deltas[-1][0] > 0  # the output is below its target: net_6 should grow


@pytest.mark.parametrize("sizes", [None, [4, 5, 3, 2], [2, 3, 3, 3, 1]])
def test_batch_form_equals_engine_and_the_sum_of_examples(sizes):
    """None: the lecture's 3-2-1 network, as in the chapter; else random deeper networks."""
    net = worked_3_2_1().network if sizes is None else random_sigmoid_network(sizes, seed=1)
    sizes = net.layer_sizes
    rng = np.random.default_rng(3)
    m = 6
    X = rng.uniform(-1, 1, size=(m, sizes[0]))
    T = rng.uniform(0, 1, size=(m, sizes[-1]))
    trace = net.forward(X)
    engine = net.backward(trace, T)
    A, deltas, grad_w, grad_b = matrix_batch(net, X, T)
    for ly in range(len(net.weights)):
        np.testing.assert_allclose(A[ly + 1], trace.outputs[ly], rtol=0, atol=1e-15)
        np.testing.assert_allclose(deltas[ly], engine.deltas[ly], rtol=0, atol=1e-15)
        np.testing.assert_allclose(grad_w[ly], engine.weights[ly], rtol=0, atol=1e-14)
        np.testing.assert_allclose(grad_b[ly], engine.biases[ly], rtol=0, atol=1e-14)
        # rows = examples: row d of the batch is the one-example column vector of example d
        singles = [matrix_one_example(net, X[d], T[d]) for d in range(m)]
        np.testing.assert_allclose(deltas[ly], np.array([s[0][ly] for s in singles]),
                                   rtol=0, atol=1e-15)
        np.testing.assert_allclose(grad_w[ly], sum(s[1][ly] for s in singles), rtol=0, atol=1e-14)


def test_the_untransposed_batch_product_is_not_the_gradient():
    """Delta @ A (no transpose) fails for a square layer only through its values, not its shape."""
    net = random_sigmoid_network([3, 3, 1], seed=0)
    rng = np.random.default_rng(1)
    X, T = rng.uniform(-1, 1, size=(3, 3)), rng.uniform(0, 1, size=(3, 1))
    _, deltas, grad_w, _ = matrix_batch(net, X, T)
    wrong = -(deltas[0] @ X)
    assert wrong.shape == grad_w[0].shape
    assert not np.allclose(wrong, grad_w[0])
