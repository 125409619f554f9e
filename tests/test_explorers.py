"""Tests for backprop.explorers: the pure computations behind the interactive explorers."""

import numpy as np
import pytest

from backprop import worked_solution
from backprop.experiments import gradient_norms_by_layer, learning_rate_curves, train_post002
from backprop.explorers import (
    ACTIVATION_CHOICES,
    learning_rate_run,
    post002_state,
    sigmoid_curves,
    sigmoid_point,
    vanishing_gradient_state,
    worked_arrays,
    worked_example_state,
    worked_parameters,
    worked_step,
)
from backprop.lecture import Example, multi_output_2_2_2, worked_3_2_1
from backprop.network import Network


def softmax_2_3_2() -> Example:
    """A softmax network: worked_step's array branch (it has no float form)."""
    net = Network.initialise([2, 3, 2], ["tanh", "softmax"], np.random.default_rng(5),
                             scheme="xavier", loss="cross_entropy")
    return Example(net, np.array([0.5, -1.0]), np.array([0.0, 1.0]), 0.5,
                   [["1", "2"], ["3", "4", "5"], ["6", "7"]])


EXAMPLES = {"3-2-1": worked_3_2_1, "2-2-2": multi_output_2_2_2, "softmax 2-3-2": softmax_2_3_2}


def _engine(example, values=None):
    """Forward, backward and train_step of the engine on a network with these values."""
    weights, biases, x, t, eta = worked_arrays(example, values)
    net = Network(weights, biases, example.network.activations, example.network.loss_function)
    trace = net.forward(x)
    grads = net.backward(trace, t)
    stepped = net.copy()
    error = stepped.train_step(x, t, eta)
    return net, trace, grads, stepped, error, x, t, eta


def _random_values(example, seed, scale):
    rng = np.random.default_rng(seed)
    values = {}
    for p in worked_parameters(example):
        if p.kind in ("weight", "bias"):
            values[p.key] = float(rng.uniform(-scale, scale))
        elif p.kind == "input":
            values[p.key] = float(rng.uniform(-10, 10))
        elif p.kind == "target":
            values[p.key] = float(rng.uniform(0, 1))
        else:
            values[p.key] = float(rng.uniform(0.01, 10))
    return values


# ------------------------------------------------------------------------ worked example
def test_worked_parameters_of_the_3_2_1_example():
    example = worked_3_2_1()
    params = worked_parameters(example)
    keys = [p.key for p in params]
    assert keys == ["x_1", "x_2", "x_3", "t_6", "eta",
                    "w_4,1", "w_4,2", "w_4,3", "b_4", "w_5,1", "w_5,2", "w_5,3", "b_5",
                    "w_6,4", "w_6,5", "b_6"]
    by_key = {p.key: p for p in params}
    assert by_key["w_4,3"].value == -0.5 and by_key["w_4,3"].index == (0, 2)
    assert by_key["w_6,5"].layer == 1 and by_key["w_6,5"].unit == "6"
    assert by_key["eta"].value == 0.9 and by_key["x_3"].value == 1.0


def test_worked_arrays_replaces_values_and_leaves_the_example_alone():
    example = worked_3_2_1()
    weights, biases, x, t, eta = worked_arrays(
        example, {"w_4,1": 2.5, "b_6": -1.0, "x_2": 3.0, "t_6": 0.25, "eta": 0.1})
    assert weights[0][0, 0] == 2.5 and biases[1][0] == -1.0
    assert x.tolist() == [1.0, 3.0, 1.0] and t.tolist() == [0.25] and eta == 0.1
    assert example.network.weights[0][0, 0] == 0.2 and example.x[1] == 0.0


@pytest.mark.parametrize("name", EXAMPLES)
@pytest.mark.parametrize("seed", [None, 1, 2])
def test_worked_step_equals_the_engine(name, seed):
    example = EXAMPLES[name]()
    values = None if seed is None else _random_values(example, seed, scale=3.0)
    state = worked_example_state(example, values)
    net, trace, grads, stepped, error, x, t, eta = _engine(example, values)
    for mine, engine in zip(state.outputs, trace.outputs):
        np.testing.assert_allclose(mine, engine, rtol=1e-13, atol=0)
    for mine, engine in zip(state.nets, trace.nets):
        np.testing.assert_allclose(mine, engine, rtol=1e-13, atol=1e-15)
    for mine, engine in zip(state.deltas, grads.deltas):
        np.testing.assert_allclose(mine, engine, rtol=1e-12, atol=1e-17)
    for mine, engine in zip(state.new_weights, stepped.weights):
        np.testing.assert_allclose(mine, engine, rtol=1e-13, atol=1e-15)
    for mine, engine in zip(state.new_biases, stepped.biases):
        np.testing.assert_allclose(mine, engine, rtol=1e-13, atol=1e-15)
    for mine, engine in zip(state.outputs_after, stepped.forward(x).outputs):
        np.testing.assert_allclose(mine, engine, rtol=1e-13, atol=0)
    assert state.error == pytest.approx(error, rel=1e-13)
    assert state.error_after == pytest.approx(stepped.error(x, t), rel=1e-12)
    assert state.finite and state.message == ""


def test_worked_step_agrees_with_the_worked_solution_and_the_lecture():
    example = worked_3_2_1()
    state = worked_example_state(example)
    sol = worked_solution(example.network, example.x, example.t, example.eta,
                          unit_labels=example.unit_labels)
    assert state.deltas[1][0] == pytest.approx(sol.values["delta_6"], rel=1e-14)
    assert state.deltas[0][0] == pytest.approx(sol.values["delta_4"], rel=1e-14)
    assert state.new_weights[1][0, 0] == pytest.approx(sol.values["w_6,4"], rel=1e-14)
    assert state.new_biases[0][1] == pytest.approx(sol.values["b_5"], rel=1e-14)
    assert state.error == pytest.approx(sol.values["E"], rel=1e-14)
    assert state.error_after == pytest.approx(sol.values["E_after"], rel=1e-14)
    assert round(state.outputs[1][0], 4) == 0.4739
    assert round(state.deltas[1][0], 4) == 0.1312
    assert state.error_change < 0


def test_worked_step_does_not_change_its_inputs():
    example = worked_3_2_1()
    weights, biases, x, t, eta = worked_arrays(example)
    before = [w.copy() for w in weights]
    worked_step(example.network, weights, biases, x, t, eta)
    for w, w0 in zip(weights, before):
        np.testing.assert_array_equal(w, w0)


@pytest.mark.parametrize("name", EXAMPLES)
@pytest.mark.parametrize("sign", [1.0, -1.0])
def test_worked_step_at_the_extremes_is_finite(name, sign):
    example = EXAMPLES[name]()
    values = {}
    for p in worked_parameters(example):
        if p.kind in ("weight", "bias"):
            values[p.key] = sign * 50.0
        elif p.kind == "input":
            values[p.key] = 10.0
        elif p.kind == "eta":
            values[p.key] = 10.0
    state = worked_example_state(example, values)
    assert state.finite and state.message == ""
    assert np.isfinite(state.error) and np.isfinite(state.error_after)
    # The worked solution can be written for these numbers as well.
    net, *_ = _engine(example, values)
    assert worked_solution(net, state.x, state.t, state.eta).markdown


@pytest.mark.parametrize("seed", [3, 4])
def test_worked_step_with_random_extreme_values_equals_the_engine(seed):
    example = worked_3_2_1()
    values = _random_values(example, seed, scale=50.0)
    state = worked_example_state(example, values)
    _, trace, grads, stepped, error, *_ = _engine(example, values)
    assert state.finite
    np.testing.assert_allclose(state.new_weights[0], stepped.weights[0], rtol=1e-12, atol=1e-14)
    assert state.error == pytest.approx(error, rel=1e-12, abs=1e-300)


def test_worked_step_reports_an_overflow_instead_of_raising():
    net = Network.from_weights([[[1e200]], [[1e200]]], [[0.0], [0.0]], ["linear", "linear"])
    example = Example(net, np.array([1e200]), np.array([1.0]), 10.0, [["1"], ["2"], ["3"]])
    state = worked_example_state(example)
    assert not state.finite
    assert "diverged" in state.message


# ----------------------------------------------------------------------------- sigmoid
def test_sigmoid_point_values():
    p = sigmoid_point(0.0)
    assert (p.value, p.derivative, p.fraction_of_max_slope) == (0.5, 0.25, 1.0)
    p = sigmoid_point(2.0)
    assert p.value == pytest.approx(1 / (1 + np.exp(-2.0)), rel=1e-15)
    assert p.derivative == pytest.approx(p.value * (1 - p.value), rel=1e-15)
    h = 1e-5
    numerical = (sigmoid_point(2.0 + h).value - sigmoid_point(2.0 - h).value) / (2 * h)
    assert p.derivative == pytest.approx(numerical, rel=1e-8)


@pytest.mark.parametrize("net", [-1000.0, -50.0, 50.0, 1000.0])
def test_sigmoid_point_at_the_extremes(net):
    p = sigmoid_point(net)
    assert 0.0 <= p.value <= 1.0 and 0.0 <= p.derivative < 1e-20


def test_sigmoid_curves():
    z, o, d = sigmoid_curves(-10, 10, 201)
    assert z.shape == o.shape == d.shape == (201,)
    assert d.max() == 0.25 and z[np.argmax(d)] == 0.0
    assert np.all(np.diff(o) > 0)


# ----------------------------------------------------------------------- learning rate
@pytest.mark.parametrize("eta", [0.05, 0.5, 3.0, 10.0])
def test_learning_rate_run_gives_the_experiment_curve(eta):
    run = learning_rate_run(eta, 60)
    (curve,) = learning_rate_curves((eta,), epochs=60)
    np.testing.assert_array_equal(run.curve.loss, curve.loss)
    assert run.curve.diverged_at_epoch == curve.diverged_at_epoch
    assert run.curve.n_increases == curve.n_increases


def test_learning_rate_run_fit_and_divergence():
    run = learning_rate_run(0.5, 50)
    assert not run.diverged and run.message == ""
    assert run.predictions.shape == (20, 1) and run.x.shape == (20, 2)
    np.testing.assert_array_equal(run.predictions, run.network.predict(run.x))
    assert run.curve.loss.size == 50 and np.all(np.isfinite(run.curve.loss))
    blown = learning_rate_run(10.0, 50)
    assert blown.diverged and blown.predictions is None and blown.network is None
    assert blown.message.startswith("diverged at epoch")
    np.testing.assert_array_equal(learning_rate_run(0.5, 50).curve.loss, run.curve.loss)


# ------------------------------------------------------------------ vanishing gradient
def test_vanishing_gradient_state_reuses_the_experiment():
    state = vanishing_gradient_state(10, "sigmoid")
    reference = gradient_norms_by_layer(10, "sigmoid")
    np.testing.assert_array_equal(state.selected.norms, reference.norms)
    assert set(state.comparison) == set(ACTIVATION_CHOICES)
    assert state.selected.norms.shape == (11,)
    assert state.first_to_last < 1e-2 and state.message == ""
    same = vanishing_gradient_state(10, "sigmoid", scheme="auto")
    np.testing.assert_array_equal(same.selected.norms, state.selected.norms)
    lecture = vanishing_gradient_state(3, "tanh", scheme="lecture")
    assert lecture.selected.scheme == "lecture" and lecture.selected.activation == "tanh"


@pytest.mark.parametrize("activation", ACTIVATION_CHOICES)
@pytest.mark.parametrize("scheme", ["auto", "lecture", "he"])
def test_vanishing_gradient_state_at_depth_50(activation, scheme):
    state = vanishing_gradient_state(50, activation, scheme)
    assert state.selected.norms.shape == (51,)
    assert isinstance(state.message, str)
    assert state.finite or "diverged" in state.message


def test_vanishing_gradient_state_rejects_an_unknown_activation():
    with pytest.raises(ValueError, match="activation"):
        vanishing_gradient_state(3, "softplus")


# ---------------------------------------------------------------------------- post 002
def test_post002_state_reuses_train_post002():
    state = post002_state(0.05, 5, seed=1)
    run = train_post002(eta=0.05, epochs=5, seed=1)
    assert state.run.test_mse == run.test_mse
    assert len(state.run.history.loss) == 5
    assert state.fitted.shape == state.target.shape == (3, 21)
    np.testing.assert_allclose(state.target[1], 2 * state.x1 + 3 * 0.5 + 10)
    grid = np.column_stack([state.x1, np.full(21, 1.0)])
    np.testing.assert_array_equal(state.fitted[2], state.run.network.predict(grid)[:, 0])
    assert np.all(np.isfinite(state.plane)) and not state.diverged and state.message == ""


def test_post002_state_learns_the_plane():
    state = post002_state(0.05, 200, seed=0)
    a, b, c = state.plane
    assert abs(a - 2) < 0.5 and abs(b - 3) < 0.5 and abs(c - 10) < 0.5
    assert state.run.test_mse < 0.05


@pytest.mark.parametrize("eta", [3.0, 10.0])
def test_post002_state_diverges_without_raising(eta):
    state = post002_state(eta, 20, seed=0)
    assert state.diverged
    assert state.message.startswith("diverged")
    assert np.all(np.isnan(state.fitted)) and np.all(np.isnan(state.plane))
