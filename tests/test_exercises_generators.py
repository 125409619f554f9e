"""The problem bank: every answer agrees with the engine, every problem is solvable."""

import math

import numpy as np
import pytest

from backprop import Network, numerical_gradients, sigmoid
from backprop.exercises import (
    GENERATORS,
    TOLERANCE,
    canonical,
    full_iteration,
    hidden_delta,
    net_input,
    output_delta,
    problem_from_id,
    problem_seed,
    sigmoid_derivative,
    total_error,
    vectorized_gradient,
    weight_update,
)
from backprop.exercises.generators import MIN_MAGNITUDE, SEPARATION

SEEDS = range(200)


def _numbers(value):
    """Every number in a (nested) given-data structure."""
    if isinstance(value, dict):
        for item in value.values():
            yield from _numbers(item)
    elif isinstance(value, list):
        for item in value:
            yield from _numbers(item)
    else:
        yield value


def _logit(o):
    return math.log(o / (1 - o))


@pytest.mark.parametrize("kind", list(GENERATORS))
def test_every_problem_is_solvable_and_nice(kind):
    for seed in SEEDS:
        problem = GENERATORS[kind](seed)
        assert problem.problem_id == f"{kind}-{seed}" and problem.kind == kind
        assert problem.text and problem.solution and problem.parts
        for number in _numbers(problem.given):
            assert math.isfinite(number)
            assert round(number, 2) == number, (problem.problem_id, number)  # <= 2 decimals
        names = [part.name for part in problem.parts]
        assert len(names) == len(set(names))
        for part in problem.parts:
            assert math.isfinite(part.answer) and abs(part.answer) >= MIN_MAGNITUDE
            values = [part.rounded] + [float(canonical(m.value)) for m in part.mistakes]
            gaps = [abs(a - b) for i, a in enumerate(values) for b in values[i + 1:]]
            assert all(gap >= SEPARATION - 1e-12 for gap in gaps), (problem.problem_id, part)


@pytest.mark.parametrize("kind", list(GENERATORS))
def test_generators_are_deterministic_and_rebuilt_from_their_id(kind):
    first = GENERATORS[kind](12345)
    assert GENERATORS[kind](12345) == first
    assert problem_from_id(first.problem_id) == first
    assert GENERATORS[kind](12346).given != first.given


def test_net_input_matches_the_engine():
    for seed in SEEDS:
        p = net_input(seed)
        x, w, b = np.array(p.given["x"]), np.array(p.given["w"]), p.given["b"]
        assert not np.any(x == 0)
        net = Network.from_weights([w[np.newaxis, :]], [[b]], ["sigmoid"])
        assert p.part("net").answer == pytest.approx(net.forward(x).nets[0][0], abs=1e-12)
        assert p.part("net").answer == pytest.approx(w @ x + b, abs=1e-12)


def test_sigmoid_and_derivative_match_the_engine():
    for seed in SEEDS:
        p = sigmoid_derivative(seed)
        value = p.given["net"]
        unit = Network.from_weights([[[1.0]]], [[0.0]], ["sigmoid"])
        trace = unit.forward([value])
        # with t = o + 1 the output delta is sigma'(net) * 1
        slope = unit.backward(trace, trace.outputs[0] + 1.0).deltas[0][0]
        assert p.part("sigma").answer == pytest.approx(sigmoid(np.array([value]))[0], abs=1e-12)
        assert p.part("derivative").answer == pytest.approx(slope, abs=1e-12)


def test_total_error_matches_the_engine():
    for seed in SEEDS:
        p = total_error(seed)
        o, t = np.array(p.given["o"]), np.array(p.given["t"])
        identity = Network.from_weights([np.eye(len(o))], [np.zeros(len(o))], ["linear"])
        assert p.part("E").answer == pytest.approx(identity.error(o, t), abs=1e-12)
        assert p.part("E").answer > 0


def test_output_delta_matches_the_engine_and_its_mistakes_are_there():
    for seed in SEEDS:
        p = output_delta(seed)
        o, t = p.given["o"], p.given["t"]
        unit = Network.from_weights([[[_logit(o)]]], [[0.0]], ["sigmoid"])
        delta = unit.backward(unit.forward([1.0]), [t]).deltas[0][0]
        part = p.part("delta")
        assert part.answer == pytest.approx(delta, abs=1e-12)
        assert part.answer == pytest.approx(o * (1 - o) * (t - o), abs=1e-12)
        mistakes = {m.name: m.value for m in part.mistakes}
        assert mistakes["sign"] == pytest.approx(-delta)
        assert mistakes["missing_derivative"] == pytest.approx(t - o)


def test_hidden_delta_sums_every_downstream_unit_like_the_engine():
    for seed in SEEDS:
        p = hidden_delta(seed)
        o, w, d = p.given["o"], np.array(p.given["w"]), np.array(p.given["delta"])
        assert len(w) >= 2 and not np.any(d == 0)
        # the hidden unit gets net = logit(o) from an input of 1; sigmoid outputs whose
        # targets are chosen so that their deltas o(1-o)(t-o) are the given ones.
        net = Network.from_weights([[[_logit(o)]], w[:, np.newaxis]], [[0.0], np.zeros(len(w))],
                                   ["sigmoid", "linear"])
        trace = net.forward([1.0])
        deltas = net.backward(trace, trace.outputs[1] + d).deltas
        np.testing.assert_allclose(deltas[1], d, atol=1e-12)
        part = p.part("delta")
        assert part.answer == pytest.approx(deltas[0][0], abs=1e-12)
        mistakes = {m.name: m.value for m in part.mistakes}
        assert mistakes["one_downstream"] == pytest.approx(o * (1 - o) * w[0] * d[0])
        assert mistakes["missing_derivative"] == pytest.approx(w @ d)


def test_weight_update_matches_train_step():
    for seed in SEEDS:
        p = weight_update(seed)
        g = p.given
        net = Network.from_weights([[[g["w"]]]], [[0.3]], ["linear"])
        out = net.forward([g["x"]]).outputs[0]
        net.train_step([g["x"]], out + g["delta"], g["eta"])
        assert p.part("new").answer == pytest.approx(net.weights[0][0, 0], abs=1e-12)
        assert p.part("change").answer == pytest.approx(g["eta"] * g["delta"] * g["x"], abs=1e-12)


def test_full_iteration_matches_forward_backward_and_train_step():
    for seed in SEEDS:
        p = full_iteration(seed)
        g = p.given
        net = Network.from_weights([g["W1"], g["W2"]], [g["b1"], g["b2"]], ["sigmoid"] * 2)
        trace = net.forward(g["x"])
        deltas = net.backward(trace, g["t"]).deltas
        stepped = net.copy()
        stepped.train_step(g["x"], g["t"], g["eta"])
        expected = {}
        for layer, units in enumerate(([3, 4], [5, 6])):
            sources = [1, 2] if layer == 0 else [3, 4]
            for j, unit in enumerate(units):
                expected[f"o_{unit}"] = trace.outputs[layer][j]
                expected[f"delta_{unit}"] = deltas[layer][j]
                expected[f"b_{unit}"] = stepped.biases[layer][j]
                for i, source in enumerate(sources):
                    expected[f"w_{unit},{source}"] = stepped.weights[layer][j, i]
                    # every weight really moves
                    assert abs(stepped.weights[layer][j, i] - net.weights[layer][j, i]) > TOLERANCE
        assert {part.name: part.answer for part in p.parts} == pytest.approx(expected, abs=1e-12)
        hidden = {m.name for m in p.part("delta_3").mistakes}
        assert {"one_downstream", "missing_derivative"} <= hidden
        assert {"sign", "missing_derivative"} <= {m.name for m in p.part("delta_5").mistakes}
        assert "\\delta_{3}" in p.solution and "w_{5,3}^{\\text{new}}" in p.solution


def test_vectorized_gradient_matches_numerical_gradients_in_post_001_layout():
    for seed in SEEDS:
        p = vectorized_gradient(seed)
        g = p.given
        x, w, b, y = (np.array(g[k]) for k in ("X", "W", "b", "y"))
        net = Network.from_weights([w.T], [b], ["linear"], loss="mean_squared")
        grad_w, grad_b = numerical_gradients(net, x, y)
        for i in range(2):
            for j in range(2):
                answer = p.part(f"dW_{i + 1}{j + 1}").answer
                assert answer == pytest.approx(grad_w[0][j, i], abs=1e-8)  # transposed layout
                assert answer == pytest.approx((x.T @ (x @ w + b - y))[i, j] / len(x), abs=1e-12)
            assert p.part(f"db_{i + 1}").answer == pytest.approx(grad_b[0][i], abs=1e-8)
        names = {m.name for m in p.part("dW_12").mistakes}
        assert "transpose" in names
        transpose = next(m for m in p.part("dW_12").mistakes if m.name == "transpose")
        assert transpose.value == pytest.approx(p.part("dW_21").answer)


def test_problem_seed_is_per_student_and_per_kind():
    assert problem_seed(7, "s01", "sigmoid") == problem_seed(7, "s01", "sigmoid")
    seeds = {problem_seed(7, student, kind) for student in ("s01", "s02") for kind in GENERATORS}
    assert len(seeds) == 2 * len(GENERATORS)
    assert problem_seed(8, "s01", "sigmoid") != problem_seed(7, "s01", "sigmoid")


@pytest.mark.parametrize("bad", [-1, 1.5, "3", True])
def test_a_bad_seed_is_refused(bad):
    with pytest.raises(ValueError, match="seed"):
        net_input(bad)


@pytest.mark.parametrize("bad", ["nothing-3", "net_input", "net_input-x", "sigmoid--1"])
def test_a_bad_problem_id_is_refused(bad):
    with pytest.raises(ValueError, match="not a problem id"):
        problem_from_id(bad)
