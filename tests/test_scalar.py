"""The float path for small networks (backprop.scalar) against the array path.

``Network.train_step`` and stochastic ``train`` use Python floats for networks of
up to ``SCALAR_MAX_PARAMETERS`` parameters; every result must equal what the
NumPy code computes for the same network.
"""

import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy.special import expit

from backprop import ACTIVATIONS, Network, train
from backprop.lecture import worked_3_2_1
from backprop.scalar import (
    SCALAR_MAX_PARAMETERS,
    scalar_deltas,
    scalar_forward,
    scalar_layers,
    scalar_step,
    scalar_update,
)

ELEMENTWISE = ["sigmoid", "tanh", "relu", "linear"]


@st.composite
def small_networks(draw):
    depth = draw(st.integers(1, 4))
    sizes = [draw(st.integers(1, 4)) for _ in range(depth + 1)]
    activations = [draw(st.sampled_from(ELEMENTWISE)) for _ in range(depth)]
    loss = draw(st.sampled_from(["squared", "mean_squared"]))
    rng = np.random.default_rng(draw(st.integers(0, 2**32 - 1)))
    weights = [rng.uniform(-2, 2, (n_out, n_in)) for n_in, n_out in zip(sizes, sizes[1:])]
    biases = [rng.uniform(-2, 2, n_out) for n_out in sizes[1:]]
    net = Network.from_weights(weights, biases, activations, loss=loss)
    x = rng.uniform(-2, 2, sizes[0])
    t = rng.uniform(-1, 1, sizes[-1])
    eta = draw(st.sampled_from([0.01, 0.5, 3.0]))
    return net, x, t, eta


def array_only(net: Network) -> Network:
    """A copy that always takes the NumPy path."""
    copy = net.copy()
    copy._scalar_layers = None
    return copy


@settings(max_examples=150)
@given(small_networks())
def test_train_step_on_floats_equals_the_array_step(case):
    net, x, t, eta = case
    reference = array_only(net)
    assert net._scalar_layers is not None  # the float path is the one under test
    error = net.train_step(x, t, eta)
    expected = reference.train_step(x, t, eta)
    assert error == pytest.approx(expected, rel=1e-12, abs=1e-300)
    for got, want in zip(net.weights + net.biases, reference.weights + reference.biases):
        np.testing.assert_allclose(got, want, rtol=1e-11, atol=1e-13)


@settings(max_examples=100)
@given(small_networks())
def test_float_forward_and_deltas_equal_the_engines(case):
    net, x, t, _ = case
    layers = scalar_layers(net.activations, "squared")
    weights, biases = net._parameter_lists()
    nets, outputs = scalar_forward(weights, biases, layers, x.tolist())
    trace = net.forward(x)
    for got, want in zip(nets + outputs, trace.nets + trace.outputs):
        np.testing.assert_allclose(got, want, rtol=1e-12, atol=1e-14)
    residual = (t - trace.outputs[-1]).tolist()
    deltas = scalar_deltas(weights, layers, outputs, residual)
    squared = Network(net.weights, net.biases, net.activations, "squared")
    for got, want in zip(deltas, squared.backward(trace, t).deltas):
        np.testing.assert_allclose(got, want, rtol=1e-11, atol=1e-14)


@settings(max_examples=60)
@given(small_networks())
def test_fused_step_is_forward_deltas_update(case):
    net, x, t, eta = case
    layers = scalar_layers(net.activations, "squared")
    weights, biases = net._parameter_lists()
    fused_w, fused_b = net._parameter_lists()
    _, outputs = scalar_forward(weights, biases, layers, x.tolist())
    residual = [a - o for a, o in zip(t.tolist(), outputs[-1])]
    scalar_update(weights, biases, scalar_deltas(weights, layers, outputs, residual),
                  [x.tolist(), *outputs[:-1]], eta)
    error = scalar_step(fused_w, fused_b, layers, x.tolist(), t.tolist(), eta)
    assert (fused_w, fused_b) == (weights, biases)  # the same floats, bit for bit
    assert error == 0.5 * sum(r * r for r in residual)


def test_stochastic_training_on_floats_equals_array_steps():
    rng = np.random.default_rng(3)
    net = Network.initialise([2, 2, 2, 1], ["sigmoid", "sigmoid", "linear"], rng, "xavier")
    x = rng.uniform(0, 1, (20, 2))
    t = 2 * x[:, :1] + 3 * x[:, 1:] + 10
    reference = array_only(net)
    history = train(net, x, t, 0.05, 5, method="stochastic", rng=np.random.default_rng(1))
    expected = train(reference, x, t, 0.05, 5, method="stochastic",
                     rng=np.random.default_rng(1))
    np.testing.assert_allclose(history.loss, expected.loss, rtol=1e-11)
    for got, want in zip(net.weights, reference.weights):
        np.testing.assert_allclose(got, want, rtol=1e-10)


def test_the_lecture_step_takes_the_float_path_and_keeps_the_arrays():
    example = worked_3_2_1()
    net = example.network
    arrays = [*net.weights, *net.biases]
    assert net._scalar_layers is not None
    net.train_step(example.x, example.t, 0.1)
    assert all(a is b for a, b in zip(arrays, [*net.weights, *net.biases]))


@pytest.mark.parametrize(
    ("sizes", "activations", "loss"),
    [
        ([3, 4, 2], ["sigmoid", "softmax"], "cross_entropy"),  # softmax has no float form
        ([10, 10, 1], ["sigmoid", "sigmoid"], "squared"),  # 121 > SCALAR_MAX_PARAMETERS
    ],
)
def test_networks_without_a_float_form_use_arrays(sizes, activations, loss):
    net = Network.initialise(sizes, activations, np.random.default_rng(0), loss=loss)
    assert net._scalar_layers is None
    assert net.n_parameters > SCALAR_MAX_PARAMETERS or loss == "cross_entropy"


@pytest.mark.parametrize("value", [-1000.0, -745.0, -40.0, -1.5, -0.0, 0.0, 0.3, 40.0, 1000.0])
def test_float_sigmoid_equals_expit_without_overflow(value):
    assert ACTIVATIONS["sigmoid"].scalar_forward(value) == pytest.approx(expit(value),
                                                                         rel=1e-15, abs=0)


def test_float_forms_keep_nan():
    for name in ELEMENTWISE:
        assert math.isnan(ACTIVATIONS[name].scalar_forward(math.nan)), name


def test_float_step_overflows_to_non_finite_numbers_not_exceptions():
    net = Network.from_weights([[[1e200, 1e200]], [[1e200]]], [[0.0], [0.0]],
                               ["relu", "linear"])
    error = net.train_step([1e200, 1e200], [0.0], 1.0)
    assert not math.isfinite(error)


@pytest.mark.parametrize(
    ("x", "t"),
    [
        ([1, 0, 1], [1]),  # lists of ints: the checked route
        (np.array([1.0, 0.0, 1.0], dtype=">f8"), np.array([1.0])),  # big-endian floats
        (np.array([[1.0, 0.0, 1.0]]), np.array([[1.0]])),  # a batch of one: the array step
    ],
)
def test_every_input_route_gives_the_float_step(x, t):
    example = worked_3_2_1()
    expected_net = example.network.copy()
    expected = expected_net.train_step(example.x, example.t, 0.1)  # float64: the shortcut
    net = example.network.copy()
    assert net.train_step(x, t, 0.1) == pytest.approx(expected, rel=1e-14)
    for got, want in zip(net.weights + net.biases, expected_net.weights + expected_net.biases):
        np.testing.assert_allclose(got, want, rtol=1e-14)


def test_a_non_finite_example_is_refused_on_the_float_route():
    net = worked_3_2_1().network
    with pytest.raises(ValueError, match=r"x must be finite, got non-finite nan at index \(1,\)"):
        net.train_step(np.array([1.0, np.nan, 1.0]), np.array([1.0]), 0.1)
    with pytest.raises(ValueError, match="t must be finite"):
        net.train_step(np.array([1.0, 0.0, 1.0]), np.array([np.inf]), 0.1)
