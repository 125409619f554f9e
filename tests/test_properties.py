"""Property tests on random networks: depth 1-4, every activation and loss.

Hypothesis chooses the architecture, activations, loss and a seed; the seed's
numpy Generator draws the weights and data, so every failing case is
reproducible from what hypothesis prints.
"""

import re

import numpy as np
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from backprop import Network, gradient_check, worked_solution

HIDDEN_ACTIVATIONS = ["sigmoid", "tanh", "relu", "linear"]
RELU_MARGIN = 0.05  # finite differences must not straddle ReLU's kink at 0


@st.composite
def networks(draw, max_batch=3):
    depth = draw(st.integers(1, 4))
    sizes = [draw(st.integers(1, 4)) for _ in range(depth + 1)]
    activations = [draw(st.sampled_from(HIDDEN_ACTIVATIONS)) for _ in range(depth)]
    loss = draw(st.sampled_from(["squared", "mean_squared", "cross_entropy"]))
    if loss == "cross_entropy":
        sizes[-1] = max(sizes[-1], 2)
        activations[-1] = "softmax"
    rng = np.random.default_rng(draw(st.integers(0, 2**32 - 1)))
    weights = [rng.uniform(-1, 1, (n_out, n_in)) for n_in, n_out in zip(sizes, sizes[1:])]
    biases = [rng.uniform(-1, 1, n_out) for n_out in sizes[1:]]
    net = Network.from_weights(weights, biases, activations, loss=loss)
    m = draw(st.integers(1, max_batch))
    x = rng.uniform(-1, 1, (m, sizes[0]))
    if loss == "cross_entropy":
        t = np.eye(sizes[-1])[rng.integers(0, sizes[-1], m)]
    else:
        t = rng.uniform(-1, 1, (m, sizes[-1]))
        if activations[-1] == "sigmoid":
            t = (t + 1) / 2
    return net, x, t


def away_from_kinks(net, x):
    trace = net.forward(x)
    return all(
        np.abs(net_l).min() > RELU_MARGIN
        for net_l, act in zip(trace.nets, net.activations)
        if act.name == "relu"
    )


@settings(max_examples=120)
@given(networks())
def test_gradient_check_on_random_networks(case):
    net, x, t = case
    assume(away_from_kinks(net, x))
    assert gradient_check(net, x, t) < 1e-7


@settings(max_examples=80)
@given(networks(max_batch=5))
def test_batch_gradient_is_the_sum_of_per_example_gradients(case):
    net, x, t = case
    assume(net.loss_function.name != "mean_squared")  # the mean divides by m, tested below
    batch = net.backward(net.forward(x), t)
    singles = [net.backward(net.forward(x_d), t_d) for x_d, t_d in zip(x, t)]
    for layer in range(len(net.weights)):
        np.testing.assert_allclose(
            batch.weights[layer], sum(g.weights[layer] for g in singles), rtol=1e-10, atol=1e-13
        )
        np.testing.assert_allclose(
            batch.biases[layer], sum(g.biases[layer] for g in singles), rtol=1e-10, atol=1e-13
        )
        np.testing.assert_allclose(
            batch.deltas[layer], np.stack([g.deltas[layer] for g in singles]), atol=1e-15
        )


@settings(max_examples=40)
@given(networks(max_batch=4))
def test_mean_squared_gradient_is_the_mean_of_per_example_gradients(case):
    net, x, t = case
    assume(net.loss_function.name == "mean_squared")
    batch = net.backward(net.forward(x), t)
    singles = [net.backward(net.forward(x_d), t_d) for x_d, t_d in zip(x, t)]
    for layer in range(len(net.weights)):
        np.testing.assert_allclose(
            batch.weights[layer], sum(g.weights[layer] for g in singles) / len(x),
            rtol=1e-10, atol=1e-13,
        )


RESULT = re.compile(r"^(?:&=|[^&]*&=)?.*= (-?\d+(?:\.\d+)?)$")
LEFT = re.compile(r"^\\?(mathrm\{net\}|o|\\delta|delta|w|b)_\{([^}]*)\}(\^\{\\text\{new\}\})?")


def shown_results(markdown: str) -> dict[str, str]:
    """Every aligned line's symbol and the number after its last '=', as shown."""
    shown = {}
    symbol = None
    for line in markdown.splitlines():
        line = line.strip().rstrip("\\").strip()
        head = LEFT.match(line.replace("\\mathrm", "mathrm"))
        if head:
            kind, unit = head.group(1), head.group(2)
            kind = {"mathrm{net}": "net", "\\delta": "delta"}.get(kind, kind)
            symbol = f"{kind}_{unit}"
        if symbol and line.count("=") and RESULT.match(line) and (
            head is None or "&=" in line and not line.endswith("b_{" + symbol[-1] + "}")
        ):
            shown[symbol] = RESULT.match(line).group(1)
    return shown


@settings(max_examples=60)
@given(networks(max_batch=1), st.integers(2, 6))
def test_worked_solution_numbers_are_the_engines(case, decimals):
    net, x, t = case
    x, t = x[0], t[0]
    eta = 0.5
    solution = worked_solution(net, x, t, eta, decimals=decimals)
    shown = shown_results(solution.markdown)
    trace = net.forward(x)
    deltas = net.backward(trace, t).deltas
    after = net.copy()
    after.train_step(x, t, eta)
    unit = net.n_inputs
    expected = {}
    for layer, (nets, outs) in enumerate(zip(trace.nets, trace.outputs)):
        for j in range(len(nets)):
            unit += 1
            expected[f"net_{unit}"] = nets[j]
            expected[f"o_{unit}"] = outs[j]
            expected[f"delta_{unit}"] = deltas[layer][j]
            expected[f"b_{unit}"] = after.biases[layer][j]
    for symbol, value in expected.items():
        assert symbol in shown, f"{symbol} not written out"
        assert float(shown[symbol]) == float(f"{value:.{decimals}f}"), (
            f"{symbol}: writer shows {shown[symbol]}, engine {value}"
        )
    # Every new weight, by its w_{j,i} symbol.
    first_unit = [net.n_inputs]
    for layer in range(len(net.weights)):
        first_unit.append(first_unit[-1] + net.weights[layer].shape[0])
    for layer, w_new in enumerate(after.weights):
        for j in range(w_new.shape[0]):
            for i in range(w_new.shape[1]):
                source = first_unit[layer] - w_new.shape[1] + i + 1
                symbol = f"w_{first_unit[layer] + j + 1},{source}"
                assert float(shown[symbol]) == float(f"{w_new[j, i]:.{decimals}f}")
