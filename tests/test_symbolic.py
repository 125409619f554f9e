"""The SymPy derivations of chapter 8: proved symbolically and equal to the engine.

Each derivation must (a) equal its textbook form symbolically and (b) give, once
lambdified, the engine's error term on random networks to 1e-12. The derivations
are cached in backprop.symbolic, so each is computed once for the whole file.
"""

import numpy as np
import pytest
import sympy as sp

from backprop import Network, sigmoid
from backprop import symbolic as S
from backprop.lecture import chain_two_node as lecture_chain

TOL = 1e-12


def random_network(rng, sizes, activations, loss="squared"):
    weights = [rng.normal(0.0, 1.0, size=(n_out, n_in))
               for n_in, n_out in zip(sizes[:-1], sizes[1:], strict=True)]
    biases = [rng.normal(0.0, 0.5, size=n_out) for n_out in sizes[1:]]
    return Network.from_weights(weights, biases, activations, loss=loss)


# ------------------------------------------------------------------ symbolic proofs
@pytest.mark.parametrize("activation", S.ACTIVATIONS)
def test_output_delta_equals_target_form(activation):
    d = S.output_delta(activation)
    assert d.equal and d.in_outputs_equal
    net, t = d.variables
    assert d.target.free_symbols <= {sp.Symbol("o"), t, net}


def test_sigmoid_output_delta_is_lecture_formula():
    d = S.output_delta("sigmoid")
    o, t = sp.symbols("o t")
    # the proof, spelled out: derived - target(o = sigma(net)) simplifies to 0
    assert sp.simplify(d.derived - d.target.subs(d.substitutions)) == 0
    assert sp.simplify(d.in_outputs - o * (1 - o) * (t - o)) == 0
    assert sp.simplify(d.target - o * (1 - o) * (t - o)) == 0


@pytest.mark.parametrize("activation", S.ACTIVATIONS)
@pytest.mark.parametrize("k", [2, 3])
def test_hidden_delta_equals_target_form(activation, k):
    d = S.hidden_delta(activation, k)
    assert d.equal and d.in_outputs_equal
    assert len(d.variables) == 1 + 3 * k


def test_softmax_cross_entropy_delta_is_t_minus_o():
    d = S.softmax_cross_entropy_delta(3)
    assert d.equal and d.in_outputs_equal
    t = sp.symbols("t_1:4")
    o = sp.symbols("o_1:4")
    assert d.in_outputs == sp.Matrix([t[j] - o[j] for j in range(3)])


def test_weight_split_and_update_rule():
    split = S.weight_gradient_split(3)
    assert split.equal
    rule = S.update_rule_equivalence()
    assert rule.equal
    # the concrete example E = (1 - net)^2/2: w - eta dE/dw = w + eta (1 - net) x
    w, eta, x, r = 0.5, 0.1, 2.0, 0.3
    assert rule.evaluate(w, eta, x, r) == pytest.approx(w + eta * (1 - (w * x + r)) * x, abs=TOL)


@pytest.mark.parametrize("weight", ["xh", "ho"])
def test_chain_two_node_is_product_of_local_derivatives(weight):
    d = S.chain_two_node(weight)
    assert d.equal
    n_factors = 5 if weight == "xh" else 3
    assert len(d.steps) == n_factors + 1


def test_is_identity_rejects_non_zero():
    x = sp.Symbol("x")
    assert S.is_identity(sp.exp(x) * (1 + x) - sp.exp(x) - x * sp.exp(x))
    assert not S.is_identity(sp.exp(x) - x)


def test_to_latex_typography():
    d = S.output_delta("sigmoid")
    assert S.to_latex(d.target) == r"o \left(1 - o\right) \left(t - o\right)"
    assert r"\mathrm{net}" in S.to_latex(d.derived)
    assert r"\mathbb{1}[\mathrm{net} > 0]" in S.to_latex(S.output_delta("relu").target)
    assert d.latex().startswith("$$\n\\begin{aligned}")


def test_bad_arguments():
    with pytest.raises(ValueError, match="unknown activation"):
        S.output_delta("softplus")
    with pytest.raises(ValueError, match="n_downstream"):
        S.hidden_delta("sigmoid", 0)
    with pytest.raises(ValueError, match="n_classes"):
        S.softmax_cross_entropy_delta(1)
    with pytest.raises(ValueError, match="weight"):
        S.chain_two_node("xo")


# ------------------------------------------------------------------- versus engine
@pytest.mark.parametrize("activation", S.ACTIVATIONS)
@pytest.mark.parametrize("seed", [0, 1, 2])
def test_output_delta_matches_engine(activation, seed):
    rng = np.random.default_rng(seed)
    net = random_network(rng, [3, 4], [activation])
    x, t = rng.normal(size=3), rng.uniform(0.0, 1.0, size=4)
    trace = net.forward(x)
    engine = net.backward(trace, t).deltas[-1]
    derived = S.output_delta(activation)
    for k in range(4):
        assert derived.evaluate(trace.nets[-1][k], t[k]) == pytest.approx(engine[k], abs=TOL)


@pytest.mark.parametrize("activation", S.ACTIVATIONS)
@pytest.mark.parametrize("k", [2, 3])
@pytest.mark.parametrize("seed", [0, 1])
def test_hidden_delta_matches_engine(activation, k, seed):
    rng = np.random.default_rng(100 + seed)
    net = random_network(rng, [2, 3, k], [activation, "sigmoid"])
    x, t = rng.normal(size=2), rng.uniform(0.0, 1.0, size=k)
    trace = net.forward(x)
    engine = net.backward(trace, t).deltas[0]
    derived = S.hidden_delta(activation, k)
    for h in range(3):
        args = S.hidden_delta_arguments(net, trace, t, h)
        assert derived.evaluate(*args) == pytest.approx(engine[h], abs=TOL)


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_softmax_delta_matches_engine(seed):
    rng = np.random.default_rng(200 + seed)
    net = random_network(rng, [4, 3], ["softmax"], loss="cross_entropy")
    x = rng.normal(size=4)
    t = rng.dirichlet(np.ones(3)) if seed else np.eye(3)[1]
    trace = net.forward(x)
    engine = net.backward(trace, t).deltas[-1]
    derived = S.softmax_cross_entropy_delta(3).evaluate(*trace.nets[-1], *t)
    np.testing.assert_allclose(derived, engine, rtol=0, atol=TOL)
    np.testing.assert_allclose(derived, t - trace.outputs[-1], rtol=0, atol=TOL)


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_chain_gradients_match_engine(seed):
    rng = np.random.default_rng(300 + seed)
    x, w_xh, w_ho, t = rng.normal(size=4)
    net = Network.from_weights([[[w_xh]], [[w_ho]]], [[0.0], [0.0]], ["sigmoid", "sigmoid"])
    grads = net.backward(net.forward([x]), [t])
    assert S.chain_two_node("xh").evaluate(x, w_xh, w_ho, t) == pytest.approx(
        grads.weights[0][0, 0], abs=TOL)
    assert S.chain_two_node("ho").evaluate(x, w_xh, w_ho, t) == pytest.approx(
        grads.weights[1][0, 0], abs=TOL)


def test_chain_on_lecture_example():
    example = lecture_chain()
    w_xh, w_ho = example.network.weights[0][0, 0], example.network.weights[1][0, 0]
    x, t = example.x[0], example.t[0]
    trace = example.network.forward(example.x)
    deltas = example.network.backward(trace, example.t).deltas
    # dE/dw = -delta x: the product of local derivatives is minus Mitchell's step / eta
    assert S.chain_two_node("xh").evaluate(x, w_xh, w_ho, t) == pytest.approx(
        -deltas[0][0] * x, abs=TOL)
    o_h = sigmoid(w_xh * x)
    assert S.chain_two_node("ho").evaluate(x, w_xh, w_ho, t) == pytest.approx(
        -deltas[1][0] * o_h, abs=TOL)
