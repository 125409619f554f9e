"""The scalar computational graph (backprop.graph) against three independent references.

Gradients of the graph are checked against the engine's backward pass (the lecture's
3-2-1 example and random small networks), against central finite differences, and
against HIPS autograd, a reverse-mode library that shares no code with this package.
"""

from __future__ import annotations

import math

import autograd.numpy as anp
import numpy as np
import pytest
from autograd import grad
from hypothesis import given, settings
from hypothesis import strategies as st

from backprop import Network
from backprop.graph import Value
from backprop.lecture import worked_3_2_1

ACTIVATIONS = ["sigmoid", "tanh", "relu", "linear"]


def activate(node: Value, name: str) -> Value:
    return node if name == "linear" else getattr(node, name)()


def graph_of(net: Network, x, t):
    """The squared error of ``net`` on ``(x, t)`` as a graph of Values, with its parameters.

    Returns the error node, the weight and bias nodes (nested like ``net.weights`` and
    ``net.biases``) and the net-input node of every unit.
    """
    signal = [Value(v) for v in x]
    weights, biases, nets = [], [], []
    for W, b, act in zip(net.weights, net.biases, net.activations, strict=True):
        W_nodes = [[Value(w) for w in row] for row in W]
        b_nodes = [Value(v) for v in b]
        layer_nets = []
        for row, bias in zip(W_nodes, b_nodes, strict=True):
            total = bias
            for w, s in zip(row, signal, strict=True):
                total = total + w * s
            layer_nets.append(total)
        signal = [activate(n, act.name) for n in layer_nets]
        weights.append(W_nodes)
        biases.append(b_nodes)
        nets.append(layer_nets)
    error = sum(((tk - o) ** 2 for tk, o in zip(t, signal, strict=True)), Value(0.0)) * 0.5
    return error, weights, biases, nets


def grads_of(nodes) -> np.ndarray:
    return np.array([[n.grad for n in row] for row in nodes]) if isinstance(nodes[0], list) \
        else np.array([n.grad for n in nodes])


def autograd_error(net: Network, x, t):
    """The same squared error written once in plain NumPy, for autograd to differentiate."""
    funcs = {"sigmoid": lambda z: 1 / (1 + anp.exp(-z)), "tanh": anp.tanh,
             "relu": lambda z: anp.where(z > 0, z, 0.0), "linear": lambda z: z}
    names = [a.name for a in net.activations]

    def error(params):
        signal = x
        for (W, b), name in zip(params, names, strict=True):
            signal = funcs[name](anp.dot(W, signal) + b)
        return 0.5 * anp.sum((t - signal) ** 2)

    return error


@st.composite
def small_networks(draw):
    depth = draw(st.integers(1, 3))
    sizes = [draw(st.integers(1, 4)) for _ in range(depth + 1)]
    activations = [draw(st.sampled_from(ACTIVATIONS)) for _ in range(depth)]
    rng = np.random.default_rng(draw(st.integers(0, 2**32 - 1)))
    weights = [rng.uniform(-2, 2, (n_out, n_in)) for n_in, n_out in zip(sizes, sizes[1:])]
    biases = [rng.uniform(-2, 2, n_out) for n_out in sizes[1:]]
    net = Network.from_weights(weights, biases, activations)
    return net, rng.uniform(-2, 2, sizes[0]), rng.uniform(-1, 1, sizes[-1])


def assert_graph_equals_engine(net: Network, x, t, tol: float) -> None:
    error, weights, biases, nets = graph_of(net, x, t)
    error.backward()
    trace = net.forward(x)
    engine = net.backward(trace, t)
    assert error.data == pytest.approx(net.error(x, t), rel=1e-13, abs=1e-15)
    for layer in range(len(net.weights)):
        np.testing.assert_allclose(grads_of(weights[layer]), engine.weights[layer],
                                   rtol=tol, atol=tol)
        np.testing.assert_allclose(grads_of(biases[layer]), engine.biases[layer],
                                   rtol=tol, atol=tol)
        # delta_j = -dE/dnet_j: the net-input nodes hold the lecture's error terms
        np.testing.assert_allclose(-grads_of(nets[layer]), engine.deltas[layer],
                                   rtol=tol, atol=tol)


def test_the_lecture_3_2_1_example_gradients_equal_the_engine():
    example = worked_3_2_1()
    assert_graph_equals_engine(example.network, example.x, example.t, tol=1e-15)
    error, weights, _, nets = graph_of(example.network, example.x, example.t)
    error.backward()
    # the lecture's section 7: delta_6 = 0.1312, delta_4 = -0.0087, delta_5 = -0.0065
    assert [-nets[1][0].grad, -nets[0][0].grad, -nets[0][1].grad] == pytest.approx(
        [0.1312, -0.0087, -0.0065], abs=5e-5)
    assert weights[0][0][1].grad == 0.0  # x_2 = 0: its weights get no gradient


@settings(max_examples=120)
@given(small_networks())
def test_random_networks_gradients_equal_the_engine(case):
    assert_graph_equals_engine(*case, tol=1e-12)


@settings(max_examples=60)
@given(small_networks())
def test_random_networks_gradients_equal_autograd(case):
    net, x, t = case
    error, weights, biases, _ = graph_of(net, x, t)
    error.backward()
    params = [(W.copy(), b.copy()) for W, b in zip(net.weights, net.biases, strict=True)]
    reference = grad(autograd_error(net, x, t))(params)
    for layer, (dW, db) in enumerate(reference):
        np.testing.assert_allclose(grads_of(weights[layer]), dW, rtol=1e-12, atol=1e-12)
        np.testing.assert_allclose(grads_of(biases[layer]), db, rtol=1e-12, atol=1e-12)


def test_seeded_networks_gradients_equal_finite_differences():
    rng = np.random.default_rng(15)
    for _ in range(10):
        sizes = list(rng.integers(1, 5, size=3))
        net = Network.initialise(sizes, ["tanh", "sigmoid"], rng, scheme="xavier")
        x, t = rng.uniform(-2, 2, sizes[0]), rng.uniform(0, 1, sizes[-1])
        error, weights, _, _ = graph_of(net, x, t)
        error.backward()
        step = 1e-6
        for layer, W in enumerate(net.weights):
            for j, i in np.ndindex(W.shape):
                shifted = []
                for sign in (1, -1):
                    moved = net.copy()
                    moved.weights[layer][j, i] += sign * step
                    shifted.append(moved.error(x, t))
                numeric = (shifted[0] - shifted[1]) / (2 * step)
                assert weights[layer][j][i].grad == pytest.approx(numeric, rel=1e-6, abs=1e-9)


# Each operation on its own: its local derivative against autograd and finite differences.
OPERATIONS = {
    "add": (lambda a, b: a + b, lambda a, b: a + b),
    "sub": (lambda a, b: a - b, lambda a, b: a - b),
    "mul": (lambda a, b: a * b, lambda a, b: a * b),
    "div": (lambda a, b: a / b, lambda a, b: a / b),
    "pow": (lambda a, b: a ** 3 + b ** -2, lambda a, b: a ** 3 + b ** -2),
    "exp": (lambda a, b: a.exp() * b, lambda a, b: anp.exp(a) * b),
    "sigmoid": (lambda a, b: (a * b).sigmoid(), lambda a, b: 1 / (1 + anp.exp(-a * b))),
    "tanh": (lambda a, b: (a - b).tanh(), lambda a, b: anp.tanh(a - b)),
    "relu": (lambda a, b: (a * b).relu() + b.relu(),
             lambda a, b: anp.where(a * b > 0, a * b, 0.0) + anp.where(b > 0, b, 0.0)),
    "constants": (lambda a, b: 2 - a / 4 + 3 * b - 1 / b, lambda a, b: 2 - a / 4 + 3 * b - 1 / b),
}
operands = st.floats(0.1, 3.0) | st.floats(-3.0, -0.1)


@pytest.mark.parametrize("name", OPERATIONS)
@settings(max_examples=40)
@given(a=operands, b=operands)
def test_each_operation_against_autograd_and_finite_differences(name, a, b):
    on_values, on_numpy = OPERATIONS[name]
    va, vb = Value(a), Value(b)
    out = on_values(va, vb)
    out.backward()
    assert out.data == pytest.approx(float(on_numpy(a, b)), rel=1e-14, abs=1e-14)
    expected = [float(grad(on_numpy, argnum=k)(a, b)) for k in (0, 1)]
    assert [va.grad, vb.grad] == pytest.approx(expected, rel=1e-12, abs=1e-12)
    h = 1e-6
    numeric = [(on_numpy(a + h, b) - on_numpy(a - h, b)) / (2 * h),
               (on_numpy(a, b + h) - on_numpy(a, b - h)) / (2 * h)]
    assert [va.grad, vb.grad] == pytest.approx(numeric, rel=1e-5, abs=1e-6)


def test_local_derivatives_in_closed_form():
    a = Value(0.3)
    for make, derivative in [
        (lambda v: v.sigmoid(), lambda o: o * (1 - o)),
        (lambda v: v.tanh(), lambda o: 1 - o ** 2),
        (lambda v: v.exp(), lambda o: o),
    ]:
        out = make(a)
        out.backward()
        assert a.grad == derivative(out.data)
    relu_at_zero = Value(0.0)
    relu_at_zero.relu().backward()
    assert relu_at_zero.grad == 0.0  # the engine's convention: slope 0 at net = 0


def test_paths_that_fork_add_their_gradients():
    a, b = Value(2.0), Value(-3.0)
    f = a * b + a
    f.backward()
    assert (a.grad, b.grad) == (b.data + 1, a.data)
    square = a * a  # the same node twice in one operation: two edges, two terms
    square.backward()
    assert a.grad == 2 * a.data
    for same in (a - a, a / a):  # constant in a: the two terms cancel
        same.backward()
        assert a.grad == 0.0
    e = Value(-0.4)
    half = 0.5 * e
    error = half * e
    error.backward()
    assert e.grad == pytest.approx(e.data) and e.grad == half.data + 0.5 * e.data


def test_backward_twice_gives_the_same_gradients_and_keeps_the_values():
    example = worked_3_2_1()
    error, weights, _, _ = graph_of(example.network, example.x, example.t)
    error.backward()
    first = grads_of(weights[0]).copy()
    data = error.data
    error.backward()
    np.testing.assert_array_equal(grads_of(weights[0]), first)
    assert error.data == data


def test_reverse_topological_order_is_needed():
    """The rules run in forward order instead pass on unfinished gradients: wrong answers."""
    example = worked_3_2_1()
    error, weights, _, _ = graph_of(example.network, example.x, example.t)
    error.backward()
    right = grads_of(weights[0]).copy()
    order = error.topological_order()
    for node in order:
        node.grad = 0.0
    error.grad = 1.0
    for node in order:  # wrong: parents before the nodes computed from them
        node.propagate()
    assert np.abs(right).max() > 0
    assert np.all(grads_of(weights[0]) == 0.0)


def test_topological_order_lists_each_node_once_after_its_parents():
    example = worked_3_2_1()
    error, *_ = graph_of(example.network, example.x, example.t)
    order = error.topological_order()
    position = {id(node): k for k, node in enumerate(order)}
    assert len(position) == len(order) and order[-1] is error
    for node in order:
        for parent in node.parents:
            assert position[id(parent)] < position[id(node)]
    x = Value(1.5)
    deep = x
    for _ in range(5000):  # deeper than Python's recursion limit
        deep = deep * 1.0001
    deep.backward()
    assert x.grad == pytest.approx(1.0001 ** 5000)


@pytest.mark.parametrize("bad", ["0.5", [0.5], None, True, 1j, np.array([0.5])])
def test_non_numbers_raise_a_type_error_naming_the_problem(bad):
    kind = type(bad).__name__
    with pytest.raises(TypeError, match=f"Value data must be a real number .*got {kind}"):
        Value(bad)
    with pytest.raises(TypeError, match=f"an operand must be a real number .*got {kind}"):
        Value(1.0) * bad
    if not isinstance(bad, np.ndarray):  # NumPy would map the operation over the entries
        with pytest.raises(TypeError, match=f"an operand must be a real number .*got {kind}"):
            bad - Value(1.0)
    with pytest.raises(TypeError, match="the exponent .* must be a real number .*got Value"):
        Value(2.0) ** Value(2.0)


def test_numpy_scalars_and_ints_are_numbers():
    node = Value(np.float64(0.25)) + np.int64(2) + 1
    assert type(node.data) is float and node.data == 3.25
    assert math.isclose((Value(8) ** (1 / 3)).data, 2.0)
