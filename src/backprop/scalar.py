"""Mitchell's rule on plain Python floats, for networks of a few dozen parameters.

At the lecture's sizes (the 3-2-1 network of chapter 6 has 11 parameters) a step
written with NumPy is some 25 array operations on two or three numbers each, and
their call overhead, about a microsecond apiece, is the whole cost. The same
arithmetic on Python floats, unit by unit as chapter 6 does it by hand, is two to
three times faster. :class:`backprop.Network` uses it for one example at a time
when the network is small (``SCALAR_MAX_PARAMETERS``) and every layer has a
scalar form (softmax and cross-entropy do not); :func:`backprop.train` uses it
for stochastic epochs of such networks. ``tests/test_scalar.py`` checks it
against the array code on random networks.

The lists are built from a checked network, so their lengths match; the zips
here take no ``strict=`` argument (ruff's B905 is off for this file) because the
keyword alone costs about 0.2 us a call, a tenth of a 3-2-1 step.

Parameters are nested lists: ``weights[l][j][i]`` is :math:`w_{ji}` of layer l
and ``biases[l][j]`` is :math:`b_j`, as ``Network.weights[l].tolist()`` gives.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from operator import mul, sub

__all__ = [
    "SCALAR_MAX_PARAMETERS",
    "scalar_deltas",
    "scalar_forward",
    "scalar_layers",
    "scalar_step",
    "scalar_update",
    "stochastic_epoch",
]

# Measured here (3-2-1 and 2-2-2-1 sigmoid networks, one example): the float step
# costs about 1 us per parameter on top of a few us, the array step about 30 us
# whatever the size up to a few hundred parameters, so floats win below ~100.
SCALAR_MAX_PARAMETERS = 100

Rows = list[list[float]]
# Per layer, (f, f' from the output): f(net) = o and f'(net) computed from o.
ScalarLayers = tuple[tuple[Callable[[float], float], Callable[[float], float]], ...]


def scalar_layers(activations: Sequence, loss_name: str) -> ScalarLayers | None:
    """The float forms of a network's layers, or None when one has none.

    Parameters
    ----------
    activations : sequence of Activation
        ``Network.activations``.
    loss_name : str
        Only the squared error (and its mean form, which for one example is the
        same) has a float form here.
    """
    if loss_name not in ("squared", "mean_squared"):
        return None
    if any(a.scalar_forward is None or a.scalar_slope is None for a in activations):
        return None
    return tuple((a.scalar_forward, a.scalar_slope) for a in activations)


def scalar_forward(
    weights: list[Rows], biases: list[list[float]], layers: ScalarLayers, x: list[float]
) -> tuple[list[list[float]], list[list[float]]]:
    """Net inputs and outputs of every layer for one example ``x`` (a list of n_in floats).

    :math:`\\mathrm{net}_j = \\sum_i w_{ji} x_i + b_j` and :math:`o_j = f(\\mathrm{net}_j)`.
    """
    nets, outputs = [], []
    signal = x
    for rows, bias, (function, _) in zip(weights, biases, layers):
        net = [sum(map(mul, row, signal)) + b for row, b in zip(rows, bias)]
        signal = [function(value) for value in net]
        nets.append(net)
        outputs.append(signal)
    return nets, outputs


def scalar_deltas(
    weights: list[Rows], layers: ScalarLayers, outputs: list[list[float]], residual: list[float]
) -> list[list[float]]:
    """Every layer's error terms (lecture sign) from the output residual :math:`t - o`.

    :math:`\\delta_k = f'(\\mathrm{net}_k)(t_k - o_k)` for output units and
    :math:`\\delta_h = f'(\\mathrm{net}_h)\\sum_k w_{kh}\\delta_k` for hidden ones, with
    :math:`f'` computed from the unit's output.
    """
    slope = layers[-1][1]
    delta = [slope(o) * r for o, r in zip(outputs[-1], residual)]
    deltas = [delta]
    for layer in range(len(weights) - 2, -1, -1):
        slope = layers[layer][1]
        # zip(*rows) walks the columns: column h holds w_kh for every unit k above.
        columns = zip(*weights[layer + 1])
        delta = [
            slope(o) * sum(map(mul, column, delta))
            for o, column in zip(outputs[layer], columns)
        ]
        deltas.append(delta)
    deltas.reverse()
    return deltas


def scalar_update(
    weights: list[Rows],
    biases: list[list[float]],
    deltas: list[list[float]],
    layer_inputs: list[list[float]],
    eta: float,
) -> None:
    """In place, :math:`w_{ji} \\leftarrow w_{ji} + \\eta\\delta_j x_{ji}` and
    :math:`b_j \\leftarrow b_j + \\eta\\delta_j`.

    Written as ``w + (eta * delta) * x``, the order the array update uses, so both
    give the same floats.
    """
    for rows, bias, delta, signal in zip(weights, biases, deltas, layer_inputs):
        for j, d in enumerate(delta):
            step = eta * d
            rows[j] = [w + step * s for w, s in zip(rows[j], signal)]
            bias[j] += step


def scalar_step(
    weights: list[Rows],
    biases: list[list[float]],
    layers: ScalarLayers,
    x: list[float],
    t: list[float],
    eta: float,
) -> float:
    """One step of Mitchell's rule on one example, in place; returns E before it.

    :math:`E = \\tfrac12\\sum_k (t_k - o_k)^2`. The arithmetic of
    :func:`scalar_forward`, :func:`scalar_deltas` and :func:`scalar_update`, fused
    (a third faster at lecture sizes): the forward pass keeps outputs only, and
    layer l is updated as soon as the delta of layer l - 1 is known, since that
    is the only use of its old weights. So every delta still comes from the weights
    before the step, as Mitchell's rule requires. Overflow gives ``inf`` or ``nan``,
    never an exception.
    """
    signals = [x]  # what each layer receives, then the network's output
    signal = x
    for rows, bias, (function, _) in zip(weights, biases, layers):
        signal = [
            function(sum(map(mul, row, signal)) + b) for row, b in zip(rows, bias)
        ]
        signals.append(signal)
    residual = list(map(sub, t, signal))
    slope = layers[-1][1]
    delta = [slope(o) * r for o, r in zip(signal, residual)]
    for layer in range(len(weights) - 1, -1, -1):
        rows, bias, signal = weights[layer], biases[layer], signals[layer]
        if layer:  # the delta below, from this layer's weights before they change
            slope = layers[layer - 1][1]
            columns = zip(*rows)  # column h holds w_kh for every unit k
            below = [
                slope(o) * sum(map(mul, column, delta))
                for o, column in zip(signal, columns)
            ]
        for j, d in enumerate(delta):
            step = eta * d
            rows[j] = [w + step * s for w, s in zip(rows[j], signal)]
            bias[j] += step
        if layer:
            delta = below
    return 0.5 * sum(map(mul, residual, residual))


def stochastic_epoch(
    weights: list[Rows],
    biases: list[list[float]],
    layers: ScalarLayers,
    xs: list[list[float]],
    ts: list[list[float]],
    eta: float,
) -> float:
    """One :func:`scalar_step` per example, in order; returns the summed errors."""
    error = 0.0
    for x, t in zip(xs, ts):
        error += scalar_step(weights, biases, layers, x, t, eta)
    return error
