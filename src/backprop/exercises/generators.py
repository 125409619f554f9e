"""The problem bank: one generator per skill, each a function of a seed.

Every generator takes an ``int`` seed, draws "nice" given numbers (one or two
decimals) from ``numpy.random.default_rng(seed)``, computes every answer with the
engine (:class:`backprop.Network` ``forward``/``backward``/``train_step``, and
:func:`backprop.worked_solution` for the full iteration) and returns a
:class:`~backprop.exercises.problem.Problem`. A draw that would give a degenerate
problem (an answer that rounds to nearly zero, a common mistake that gives the
right answer, a weight that does not move) is rejected and the same generator
draws again, so the result is still a function of the seed alone.

The skills follow the lecture: net input and sigmoid (chapters 2 and 4), the
error (chapter 3), output and hidden deltas and the weight update (chapters 5, 6
and 8), one full iteration (chapters 7 and 10) and the vectorized gradient
(chapter 11). Chapter 15 (the self-test) and the instructors' tool use them.
"""

from __future__ import annotations

import hashlib
import math
from collections.abc import Callable

import numpy as np

from backprop.activations import ACTIVATIONS
from backprop.losses import LOSSES
from backprop.network import Network
from backprop.worked import format_number, worked_solution

from .problem import TOLERANCE, Mistake, Part, Problem, canonical

__all__ = [
    "GENERATORS",
    "full_iteration",
    "hidden_delta",
    "net_input",
    "output_delta",
    "problem_from_id",
    "problem_seed",
    "sigmoid_derivative",
    "total_error",
    "vectorized_gradient",
    "weight_update",
]

# An answer must be at least this far from 0, and a mistake at least SEPARATION from
# the answer (and from the other mistakes), or the draw is rejected.
MIN_MAGNITUDE = 4 * TOLERANCE
SEPARATION = 2 * TOLERANCE + 1e-4
_MAX_ATTEMPTS = 10_000

HINTS = {
    "sign": "Check the sign of the residual: the lecture's delta uses (t - o), not (o - t).",
    "missing_derivative": (
        "You left out the sigmoid's derivative o(1 - o): the delta multiplies by it."
    ),
    "one_downstream": (
        "A hidden unit's delta sums w_kh * delta_k over EVERY unit k it feeds, not just one."
    ),
    "new_weights_in_delta": (
        "Compute every delta with the OLD weights first; update the weights afterwards."
    ),
    "missing_bias": "Include the bias b_j in the net input: net_j = sum_i w_ji x_i + b_j.",
    "exponent_sign": "The sigmoid is 1 / (1 + e^(-net)): check the sign of the exponent.",
    "derivative_of_net": (
        "The derivative is sigma(net)(1 - sigma(net)): use the output sigma(net), not net."
    ),
    "missing_half": "The error has a factor 1/2 in front of the sum of squares.",
    "not_squared": "Square each residual (t_k - o_k) before adding them up.",
    "update_sign": (
        "The update ADDS eta * delta_j * x_ji (delta is -dE/dnet, so this goes downhill)."
    ),
    "missing_eta": "Multiply the change by the learning rate eta.",
    "transpose": (
        "Wrong transpose: the gradient is X^T delta, shape (n_in, n_out); entry (i, j) "
        "pairs input i with output j. You have the transpose (delta^T X)."
    ),
    "missing_mean": "The loss has 1/(2m): the output error term delta = (A - y) / m.",
    "gradient_sign": "The gradient of L is X^T (A - y) / m: check the sign of (A - y).",
}


# ----------------------------------------------------------------- drawing helpers
def _draw(rng: np.random.Generator, low: float, high: float, decimals: int, size=None,
          nonzero: bool = True):
    """Uniform multiples of 10**-decimals in [low, high]; zeros redrawn if ``nonzero``."""
    step = 10**decimals
    values = rng.integers(round(low * step), round(high * step) + 1, size=size)
    while nonzero and np.any(values == 0):
        redraw = rng.integers(round(low * step), round(high * step) + 1, size=size)
        values = np.where(values == 0, redraw, values)
    return values / step


def _logit(o: float) -> float:
    """The net input whose sigmoid is ``o`` (to feed a given unit output to the engine)."""
    return math.log(o / (1.0 - o))


def _g(value: float) -> str:
    """A given number as shown (two decimals at most)."""
    return format_number(float(value), 2)


def _n(value: float) -> str:
    """A computed number as shown in solutions (four decimals)."""
    return format_number(float(value), 4)


def _p(value: float) -> str:
    """A given number in parentheses, the lecture's way of writing factors."""
    return f"({_g(value)})"


def _far(a: float, b: float) -> bool:
    return abs(float(canonical(a)) - float(canonical(b))) >= SEPARATION


def _mistakes(answer: float, candidates: list[tuple[str, float]]) -> tuple[Mistake, ...]:
    """The candidate mistakes far enough from the answer and from each other."""
    kept: list[Mistake] = []
    for name, value in candidates:
        value = float(value)
        if math.isfinite(value) and _far(value, answer) and all(
            _far(value, m.value) for m in kept
        ):
            kept.append(Mistake(name, value, HINTS[name]))
    return tuple(kept)


def _part(name: str, label: str, answer: float, required=(), optional=()):
    """A Part, or None if the answer is too small or a ``required`` mistake collides.

    ``required`` and ``optional`` list ``(mistake name, value)`` pairs; an optional
    mistake too close to the answer (or to another mistake) is left out.
    """
    answer = float(answer)
    if not math.isfinite(answer) or abs(answer) < MIN_MAGNITUDE:
        return None
    mistakes = _mistakes(answer, [*required, *optional])
    if not {name for name, _ in required} <= {m.name for m in mistakes}:
        return None
    return Part(name, label, answer, mistakes)


def _matrix(rows) -> str:
    body = r" \\ ".join(" & ".join(_g(v) for v in row) for row in np.atleast_2d(rows))
    return r"\begin{bmatrix}" + body + r"\end{bmatrix}"


ASK = "Give every answer to 4 decimal places."


def _generate(kind: str, seed: int, draw: Callable) -> Problem:
    """Call ``draw(rng)`` until it returns a problem (not None); all from one seeded rng."""
    if isinstance(seed, bool) or not isinstance(seed, (int, np.integer)) or seed < 0:
        raise ValueError(f"seed must be a non-negative integer, got {seed!r}")
    seed = int(seed)
    rng = np.random.default_rng(seed)
    for _ in range(_MAX_ATTEMPTS):
        made = draw(rng)
        if made is not None:
            title, text, given, parts, solution = made
            return Problem(f"{kind}-{seed}", kind, seed, title, text, given, tuple(parts),
                           solution)
    raise RuntimeError(f"no solvable {kind} problem in {_MAX_ATTEMPTS} draws for seed {seed}")


# ------------------------------------------------------------------- generators
def net_input(seed: int) -> Problem:
    """The net input of one unit, :math:`\\mathrm{net}_j = \\sum_i w_{ji} x_i + b_j` (ch. 2)."""

    def draw(rng):
        x = _draw(rng, -1, 1, 1, 3)
        w = _draw(rng, -1, 1, 2, 3)
        b = float(_draw(rng, -0.5, 0.5, 2))
        net = Network.from_weights([[w]], [[b]], ["linear"])
        value = net.forward(x).nets[0][0]
        no_bias = Network.from_weights([[w]], [[0.0]], ["linear"]).forward(x).nets[0][0]
        if abs(value) < 0.05 or abs(no_bias) < 0.05:
            return None
        part = _part("net", r"$\mathrm{net}_4$", value, [("missing_bias", no_bias)])
        if part is None:
            return None
        inputs = ", ".join(f"x_{i + 1} = {_g(v)}" for i, v in enumerate(x))
        weights = ", ".join(f"w_{{4,{i + 1}}} = {_g(v)}" for i, v in enumerate(w))
        text = (
            "Unit 4 receives the inputs "
            f"${inputs}$ through the weights ${weights}$ and has the bias $b_4 = {_g(b)}$.\n\n"
            r"Compute its net input $\mathrm{net}_4 = \sum_i w_{4,i} x_i + b_4$. " + ASK
        )
        terms = " + ".join(f"{_p(wi)}{_p(xi)}" for wi, xi in zip(w, x, strict=True))
        solution = f"$$\\mathrm{{net}}_4 = {terms} + {_p(b)} = {_n(value)}$$"
        given = {"x": x.tolist(), "w": w.tolist(), "b": b}
        return "Net input of a unit", text, given, [part], solution

    return _generate("net_input", seed, draw)


def sigmoid_derivative(seed: int) -> Problem:
    """A sigmoid output and its derivative :math:`\\sigma(1 - \\sigma)` (chapter 4)."""

    def draw(rng):
        value = float(_draw(rng, -4, 4, 2))  # ~780 problems: 500 distinct
        if abs(value) < 0.1:
            return None
        unit = Network.from_weights([[[1.0]]], [[0.0]], ["sigmoid"])
        trace = unit.forward([value])
        sigma = trace.outputs[0][0]
        slope = ACTIVATIONS["sigmoid"].derivative(trace.nets[0], trace.outputs[0])[0]
        flipped = unit.forward([-value]).outputs[0][0]
        parts = [
            _part("sigma", r"$\sigma(\mathrm{net})$", sigma, [("exponent_sign", flipped)]),
            _part("derivative", r"$\sigma'(\mathrm{net})$", slope,
                  [("derivative_of_net", value * (1.0 - value))]),
        ]
        if None in parts:
            return None
        text = (
            f"A sigmoid unit has the net input $\\mathrm{{net}} = {_g(value)}$.\n\n"
            r"(a) Compute its output $\sigma(\mathrm{net}) = 1/(1 + e^{-\mathrm{net}})$. "
            r"(b) Compute the derivative $\sigma'(\mathrm{net})$. " + ASK
        )
        solution = (
            f"$$\\sigma({_g(value)}) = \\frac{{1}}{{1 + e^{{{_g(-value)}}}}} = {_n(sigma)}$$\n\n"
            f"$$\\sigma'({_g(value)}) = \\sigma(1 - \\sigma) = {_n(sigma)} \\times "
            f"{_n(1.0 - sigma)} = {_n(slope)}$$"
        )
        return "The sigmoid and its derivative", text, {"net": value}, parts, solution

    return _generate("sigmoid", seed, draw)


def total_error(seed: int) -> Problem:
    """The error :math:`E = \\tfrac12\\sum_k (t_k - o_k)^2` of one example (chapter 3)."""

    def draw(rng):
        n = int(rng.integers(2, 4))
        o = _draw(rng, 0.05, 0.95, 2, n)
        t = _draw(rng, 0, 1, 1, n, nonzero=False)
        if np.any(np.abs(t - o) < 0.05):
            return None
        error = LOSSES["squared"].value(o, t)
        candidates = [("missing_half", 2.0 * error), ("not_squared", 0.5 * float(np.sum(t - o)))]
        part = _part("E", "$E$", error, candidates)
        if part is None:
            return None
        units = range(5, 5 + n)
        outs = ", ".join(f"o_{k} = {_g(v)}" for k, v in zip(units, o, strict=True))
        targets = ", ".join(f"t_{k} = {_g(v)}" for k, v in zip(units, t, strict=True))
        text = (
            f"A network with {n} output units gives ${outs}$ for an example whose targets are "
            f"${targets}$.\n\nCompute the error $E = \\tfrac12 \\sum_k (t_k - o_k)^2$. " + ASK
        )
        squares = " + ".join(f"({_g(tk)} - {_g(ok)})^2" for tk, ok in zip(t, o, strict=True))
        solution = f"$$E = \\tfrac12[{squares}] = {_n(error)}$$"
        given = {"o": o.tolist(), "t": t.tolist()}
        return "The error of one example", text, given, [part], solution

    return _generate("total_error", seed, draw)


def output_delta(seed: int) -> Problem:
    """An output unit's :math:`\\delta_k = o_k(1 - o_k)(t_k - o_k)` (chapters 5 and 8)."""

    def draw(rng):
        o = float(_draw(rng, 0.05, 0.95, 2))
        t = float(_draw(rng, 0, 1, 1, nonzero=False))
        if abs(t - o) < 0.1:
            return None
        unit = Network.from_weights([[[1.0]]], [[0.0]], ["sigmoid"])
        trace = unit.forward([_logit(o)])
        delta = unit.backward(trace, [t]).deltas[0][0]
        residual = t - trace.outputs[0][0]
        part = _part("delta", r"$\delta_6$", delta,
                     [("sign", -delta), ("missing_derivative", residual)])
        if part is None:
            return None
        text = (
            f"The sigmoid output unit 6 gives $o_6 = {_g(o)}$ for an example with target "
            f"$t_6 = {_g(t)}$, and the error is $E = \\tfrac12\\sum_k (t_k - o_k)^2$.\n\n"
            r"Compute its error term $\delta_6 = -\partial E/\partial \mathrm{net}_6$. " + ASK
        )
        solution = (
            f"$$\\delta_6 = o_6(1 - o_6)(t_6 - o_6) = {_g(o)} \\times {_g(1 - o)} \\times "
            f"({_g(t)} - {_g(o)}) = {_n(delta)}$$"
        )
        return "Error term of an output unit", text, {"o": o, "t": t}, [part], solution

    return _generate("output_delta", seed, draw)


def hidden_delta(seed: int) -> Problem:
    """A hidden unit's :math:`\\delta_h = o_h(1 - o_h)\\sum_k w_{kh}\\delta_k` (ch. 5 and 8).

    The hidden unit feeds two or three downstream units; the common mistake of
    keeping only one downstream term (post 002's fault) is recognised.
    """

    def draw(rng):
        n = int(rng.integers(2, 4))
        o = float(_draw(rng, 0.05, 0.95, 2))
        w = _draw(rng, -1, 1, 1, n)
        d = _draw(rng, -0.25, 0.25, 2, n)
        if np.any(np.abs(d) < 0.02):
            return None

        def hidden(weights, deltas, activation="sigmoid", x=None):
            # hidden unit 3 (one input, weight 1) -> linear outputs: their delta is t - o.
            net = Network.from_weights(
                [[[1.0]], np.reshape(weights, (-1, 1))], [[0.0], np.zeros(len(weights))],
                [activation, "linear"],
            )
            trace = net.forward([_logit(o) if x is None else x])
            return net.backward(trace, trace.outputs[1] + deltas).deltas[0][0]

        delta = hidden(w, d)
        candidates = [
            ("one_downstream", hidden(w[:1], d[:1])),
            ("missing_derivative", hidden(w, d, "linear", o)),
        ]
        part = _part("delta", r"$\delta_3$", delta, candidates)
        if part is None:
            return None
        units = list(range(5, 5 + n))
        feeds = ", ".join(str(k) for k in units)
        weights = ", ".join(f"w_{{{k},3}} = {_g(v)}" for k, v in zip(units, w, strict=True))
        deltas = ", ".join(f"\\delta_{{{k}}} = {_g(v)}" for k, v in zip(units, d, strict=True))
        text = (
            f"Hidden sigmoid unit 3 has the output $o_3 = {_g(o)}$ and feeds units {feeds} "
            f"through the weights ${weights}$. Their error terms are ${deltas}$.\n\n"
            r"Compute the hidden error term $\delta_3$. " + ASK
        )
        total = " + ".join(f"{_p(wk)}{_p(dk)}" for wk, dk in zip(w, d, strict=True))
        solution = (
            f"$$\\delta_3 = o_3(1 - o_3)\\sum_k w_{{k,3}}\\delta_k = {_g(o)} \\times "
            f"{_g(1 - o)} \\times [{total}] = {_n(delta)}$$"
        )
        given = {"o": o, "w": w.tolist(), "delta": d.tolist()}
        return "Error term of a hidden unit", text, given, [part], solution

    return _generate("hidden_delta", seed, draw)


def weight_update(seed: int) -> Problem:
    """One weight's change and new value, :math:`w_{ji} + \\eta\\delta_j x_{ji}` (ch. 5-6)."""

    def draw(rng):
        eta = float(_draw(rng, 0.1, 1, 1))
        d = float(_draw(rng, -0.3, 0.3, 2))
        x = float(_draw(rng, 0.05, 0.95, 2))  # a sigmoid unit's output
        w = float(_draw(rng, -1, 1, 1))
        if abs(d) < 0.02 or eta == 1.0:
            return None

        def step(rate):
            # one linear unit, target o + delta: its delta is exactly the given delta_j.
            net = Network.from_weights([[[w]]], [[0.0]], ["linear"])
            net.train_step([x], net.forward([x]).outputs[0] + d, rate)
            return net.weights[0][0, 0]

        new = step(eta)
        change = new - w
        no_eta = step(1.0)
        parts = [
            _part("change", r"$\Delta w_{5,3}$", change,
                  [("update_sign", -change), ("missing_eta", no_eta - w)]),
            _part("new", r"$w_{5,3}^{\text{new}}$", new,
                  [("update_sign", w - change), ("missing_eta", no_eta)]),
        ]
        if None in parts:
            return None
        text = (
            f"Unit 5 has the error term $\\delta_5 = {_g(d)}$. Its weight from unit 3 is "
            f"$w_{{5,3}} = {_g(w)}$, and unit 3's output (the weight's input) is "
            f"$x_{{5,3}} = o_3 = {_g(x)}$. The learning rate is $\\eta = {_g(eta)}$.\n\n"
            r"(a) Compute the change $\Delta w_{5,3} = \eta\,\delta_5\,x_{5,3}$. "
            r"(b) Compute the new weight $w_{5,3}^{\text{new}}$. " + ASK
        )
        solution = (
            f"$$\\Delta w_{{5,3}} = {_p(eta)}{_p(d)}{_p(x)} = {_n(change)}, \\qquad "
            f"w_{{5,3}}^{{\\text{{new}}}} = {_g(w)} + ({_n(change)}) = {_n(new)}$$"
        )
        given = {"eta": eta, "delta": d, "x": x, "w": w}
        return "A weight update", text, given, parts, solution

    return _generate("weight_update", seed, draw)


def full_iteration(seed: int) -> Problem:
    """One full iteration of a 2-2-2 sigmoid network: forward, deltas, every new weight.

    Chapters 7 and 10. The answers and the worked solution come from
    :func:`backprop.worked_solution`; the parts are the four outputs, the four
    deltas and the twelve new weights and biases.
    """

    def draw(rng):
        w1 = _draw(rng, -1, 1, 1, (2, 2))
        w2 = _draw(rng, -1, 1, 1, (2, 2))
        b1 = _draw(rng, -0.5, 0.5, 1, 2)
        b2 = _draw(rng, -0.5, 0.5, 1, 2)
        x = _draw(rng, -1, 1, 1, 2)
        t = _draw(rng, 0, 1, 1, 2, nonzero=False)
        eta = float(_draw(rng, 0.5, 1, 1))
        net = Network.from_weights([w1, w2], [b1, b2], ["sigmoid", "sigmoid"])
        worked = worked_solution(net, x, t, eta, decimals=4)
        v = worked.values
        trace = net.forward(x)
        o_hidden, o_out = trace.outputs
        d_out = np.array([v["delta_5"], v["delta_6"]])
        d_hidden = np.array([v["delta_3"], v["delta_4"]])
        no_bias = Network.from_weights([w1, w2], [[0, 0], [0, 0]], ["sigmoid"] * 2)
        o_no_bias = np.concatenate(no_bias.forward(x).outputs)
        after = net.copy()
        after.train_step(x, t, eta)
        local = o_hidden * (1 - o_hidden)
        parts = []
        for index, unit in enumerate((3, 4, 5, 6)):
            parts.append(_part(f"o_{unit}", f"$o_{unit}$", v[f"o_{unit}"],
                               optional=[("missing_bias", o_no_bias[index])]))
        for k, unit in enumerate((5, 6)):
            parts.append(_part(f"delta_{unit}", f"$\\delta_{unit}$", d_out[k],
                               [("sign", -d_out[k]),
                                ("missing_derivative", t[k] - o_out[k])]))
        for h, unit in enumerate((3, 4)):
            parts.append(_part(
                f"delta_{unit}", f"$\\delta_{unit}$", d_hidden[h],
                [("one_downstream", local[h] * w2[0, h] * d_out[0]),
                 ("missing_derivative", float(d_out @ w2[:, h]))],
                [("sign", -d_hidden[h]),
                 ("new_weights_in_delta", local[h] * float(d_out @ after.weights[1][:, h]))],
            ))
        if None in parts:
            return None
        labels = ([3, 4], [1, 2]), ([5, 6], [3, 4])
        for (units, sources) in labels:
            for unit in units:
                for source in sources:
                    key = f"w_{unit},{source}"
                    change = v[f"dw_{unit},{source}"]
                    old = v[key] - change
                    if abs(change) < SEPARATION:
                        return None
                    parts.append(_part(
                        key, f"$w_{{{unit},{source}}}^{{\\text{{new}}}}$", v[key],
                        optional=[("update_sign", old - change),
                                  ("missing_eta", old + change / eta)],
                    ))
                change = v[f"db_{unit}"]
                if abs(change) < SEPARATION:
                    return None
                parts.append(_part(
                    f"b_{unit}", f"$b_{{{unit}}}^{{\\text{{new}}}}$", v[f"b_{unit}"],
                    optional=[("update_sign", v[f"b_{unit}"] - 2 * change)],
                ))
        if None in parts:
            return None
        text = (
            "A 2-2-2 network has sigmoid units everywhere: inputs 1 and 2, hidden units 3 "
            "and 4, output units 5 and 6. $W^{(1)}$ holds $w_{j,i}$ from input $i$ into "
            "hidden unit $j$ (row $j$), $W^{(2)}$ from hidden unit $h$ into output $k$ "
            "(row $k$):\n\n"
            f"$$W^{{(1)}} = {_matrix(w1)}, \\quad b^{{(1)}} = {_matrix([b1])}"
            f"^\\top, \\quad W^{{(2)}} = {_matrix(w2)}, \\quad "
            f"b^{{(2)}} = {_matrix([b2])}^\\top$$\n\n"
            f"The example is $x = ({_g(x[0])}, {_g(x[1])})$ with target "
            f"$t = ({_g(t[0])}, {_g(t[1])})$, the error is "
            r"$E = \tfrac12\sum_k (t_k - o_k)^2$ and the learning rate is "
            f"$\\eta = {_g(eta)}$.\n\n"
            "Do one iteration of stochastic backpropagation: (1) the outputs $o_3, o_4, o_5, "
            r"o_6$; (2) the error terms $\delta_5, \delta_6, \delta_3, \delta_4$; (3) every "
            r"new weight and bias ($w_{j,i} \leftarrow w_{j,i} + \eta\,\delta_j x_{j,i}$, "
            r"$b_j \leftarrow b_j + \eta\,\delta_j$). " + ASK
        )
        given = {"W1": w1.tolist(), "b1": b1.tolist(), "W2": w2.tolist(), "b2": b2.tolist(),
                 "x": x.tolist(), "t": t.tolist(), "eta": eta}
        sections = ("forward", "error", "backward", "update")
        solution = "\n\n".join(worked.sections[name] for name in sections)
        return "One full iteration of a 2-2-2 network", text, given, parts, solution

    return _generate("full_iteration", seed, draw)


def vectorized_gradient(seed: int) -> Problem:
    """The batch gradient of a linear layer, :math:`\\nabla_W L = X^\\top\\delta` (ch. 11).

    Written in post 001's layout, :math:`Z = XW + b` with ``W`` of shape (n_in, n_out)
    and :math:`L = \\tfrac{1}{2m}\\lVert A - y\\rVert^2`: the engine's dE/dW (course
    layout, (n_out, n_in)) is transposed into it. The wrong-transpose mistake is
    recognised on the off-diagonal entries.
    """

    def draw(rng):
        m = 3
        x = _draw(rng, -1, 1, 1, (m, 2))
        w = _draw(rng, -1, 1, 1, (2, 2))
        b = _draw(rng, -0.5, 0.5, 1, 2)
        y = _draw(rng, -1, 1, 1, (m, 2), nonzero=False)
        layer = Network.from_weights([w.T], [b], ["linear"], loss="mean_squared")
        gradients = layer.backward(layer.forward(x), y)
        grad_w = gradients.weights[0].T  # post 001's layout: (n_in, n_out)
        grad_b = gradients.biases[0]
        parts = []
        for i in range(2):
            for j in range(2):
                candidates = [("gradient_sign", -grad_w[i, j]), ("missing_mean", m * grad_w[i, j])]
                if i != j:
                    candidates.insert(0, ("transpose", grad_w[j, i]))
                parts.append(_part(f"dW_{i + 1}{j + 1}", f"$(\\nabla_W L)_{{{i + 1}{j + 1}}}$",
                                   grad_w[i, j], candidates))
        for j in range(2):
            parts.append(_part(f"db_{j + 1}", f"$(\\nabla_b L)_{{{j + 1}}}$", grad_b[j],
                               [("gradient_sign", -grad_b[j]), ("missing_mean", m * grad_b[j])]))
        if None in parts:
            return None
        text = (
            "A linear layer (post 001's output layer) maps a mini-batch of $m = 3$ examples, "
            r"one per row of $X$, by $Z = XW + b$, $A = Z$, with the loss "
            r"$L = \frac{1}{2m}\lVert A - y\rVert_F^2$. Here $W$ has shape "
            r"$(n_\text{in}, n_\text{out}) = (2, 2)$, so $W_{ij}$ is the weight from input $i$ "
            "to output $j$ (the transpose of the course's $w_{j,i}$ layout):\n\n"
            f"$$X = {_matrix(x)}, \\quad W = {_matrix(w)}, \\quad b = {_matrix([b])}, "
            f"\\quad y = {_matrix(y)}$$\n\n"
            r"Compute the gradient $\nabla_W L = X^\top \delta$ with "
            r"$\delta = \frac{1}{m}(A - y)$ (all four entries) and $\nabla_b L$ (the column "
            "sums of $\\delta$). " + ASK
        )
        trace = layer.forward(x)
        delta = (trace.outputs[0] - y) / m
        solution = (
            f"$$A = XW + b = {_matrix_n(trace.outputs[0])}, \\quad "
            f"\\delta = \\tfrac{{1}}{{{m}}}(A - y) = {_matrix_n(delta)}$$\n\n"
            f"$$\\nabla_W L = X^\\top\\delta = {_matrix_n(grad_w)}, \\quad "
            f"\\nabla_b L = {_matrix_n([grad_b])}$$"
        )
        given = {"X": x.tolist(), "W": w.tolist(), "b": b.tolist(), "y": y.tolist(), "m": m}
        return "A vectorized gradient", text, given, parts, solution

    return _generate("vectorized_gradient", seed, draw)


def _matrix_n(rows) -> str:
    body = r" \\ ".join(" & ".join(_n(v) for v in row) for row in np.atleast_2d(rows))
    return r"\begin{bmatrix}" + body + r"\end{bmatrix}"


GENERATORS: dict[str, Callable[[int], Problem]] = {
    "net_input": net_input,
    "sigmoid": sigmoid_derivative,
    "total_error": total_error,
    "output_delta": output_delta,
    "hidden_delta": hidden_delta,
    "weight_update": weight_update,
    "full_iteration": full_iteration,
    "vectorized_gradient": vectorized_gradient,
}
"""Every generator by kind, in the order of a student's problem set."""


def problem_from_id(problem_id: str, key=None) -> Problem:
    """Rebuild a problem from its id, with its answers and worked solution.

    Parameters
    ----------
    problem_id : str
        ``"<kind>-<seed>"`` (a public problem, e.g. ``"hidden_delta-17"``), or a class
        problem's ``"<kind>-c<token>"`` as ``make`` writes into the notebooks.
    key : str, bytes or path, optional
        The class secret (its 64 hex digits, or the path of ``class_secret.key`` from
        the instructor's folder). A class problem cannot be rebuilt without it.
    """
    from .classkey import CLASS_PROBLEM_ID, class_problem, is_secret, read_secret

    text = str(problem_id)
    match = CLASS_PROBLEM_ID.fullmatch(text)
    if match and match["kind"] in GENERATORS:
        if key is None:
            raise ValueError(
                f"{text} is a class problem: rebuilding it needs the class secret, e.g. "
                "problem_from_id(id, key='OUT/instructor/class_secret.key')"
            )
        if not is_secret(key):
            key = read_secret(key)
        return class_problem(key, match["kind"], match["token"])
    kind, _, seed = text.rpartition("-")
    if kind not in GENERATORS or not seed.isdigit():
        raise ValueError(
            f"not a problem id: {problem_id!r}; expected '<kind>-<seed>' or "
            "'<kind>-c<16 hex digits>' with kind one of " + ", ".join(GENERATORS)
        )
    return GENERATORS[kind](int(seed))


def problem_seed(class_seed: int, student_id: str, kind: str) -> int:
    """The seed of one student's problem of one kind: a 32-bit hash of all three.

    Deterministic, and different for every student and kind, so that each student
    gets their own numbers from the instructor's one class seed.
    """
    text = f"{int(class_seed)}/{student_id}/{kind}"
    return int.from_bytes(hashlib.sha256(text.encode()).digest()[:4], "big")
