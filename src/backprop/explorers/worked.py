"""One training step of a worked example: the explorer of chapters 6, 7 and 10."""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass
from typing import NamedTuple

import numpy as np

from backprop.lecture import Example
from backprop.network import Network
from backprop.scalar import scalar_deltas, scalar_forward, scalar_layers, scalar_update


# =========================================================== worked example (ch. 6, 7, 10)
@dataclass(frozen=True)
class Parameter:
    """One slider of the worked-example explorer.

    Attributes
    ----------
    key : str
        The name :func:`backprop.worked_solution` uses for the value: ``"w_4,1"``
        (weight from unit 1 into unit 4), ``"b_4"``, ``"x_1"`` (input unit 1),
        ``"t_6"`` (target of output unit 6) or ``"eta"``.
    kind : {"weight", "bias", "input", "target", "eta"}
    layer : int or None
        For weights and biases, the index into ``weights``/``biases``.
    index : tuple of int
        ``(j, i)`` for a weight, ``(j,)`` for a bias, ``(i,)`` for an input or target.
    value : float
        The example's value.
    unit : str
        The unit the parameter belongs to: the receiving unit of a weight or bias,
        the input or output unit itself; ``""`` for eta.
    """

    key: str
    kind: str
    layer: int | None
    index: tuple
    value: float
    unit: str


def worked_parameters(example: Example) -> list[Parameter]:
    """Every value of a worked example that the explorer puts on a slider.

    Chapters 6, 7 and 10. Order: inputs, targets, eta, then for each non-input
    unit (layer by layer) its incoming weights followed by its bias.

    Parameters
    ----------
    example : Example
        E.g. :func:`backprop.lecture.worked_3_2_1` or
        :func:`~backprop.lecture.multi_output_2_2_2`.

    Returns
    -------
    list of Parameter
    """
    labels = example.unit_labels
    net = example.network
    params = [
        Parameter(f"x_{u}", "input", None, (i,), float(example.x[i]), u)
        for i, u in enumerate(labels[0])
    ]
    params += [
        Parameter(f"t_{u}", "target", None, (k,), float(example.t[k]), u)
        for k, u in enumerate(labels[-1])
    ]
    params.append(Parameter("eta", "eta", None, (), float(example.eta), ""))
    for layer, (w, b) in enumerate(zip(net.weights, net.biases, strict=True)):
        for j, unit in enumerate(labels[layer + 1]):
            for i, source in enumerate(labels[layer]):
                params.append(
                    Parameter(f"w_{unit},{source}", "weight", layer, (j, i), float(w[j, i]), unit)
                )
            params.append(Parameter(f"b_{unit}", "bias", layer, (j,), float(b[j]), unit))
    return params


def worked_arrays(
    example: Example,
    values: Mapping[str, float] | None = None,
    parameters: list[Parameter] | None = None,
) -> tuple[list[np.ndarray], list[np.ndarray], np.ndarray, np.ndarray, float]:
    """The example's arrays with some values replaced by slider values.

    Chapters 6, 7 and 10.

    Parameters
    ----------
    example : Example
    values : mapping of str to float, optional
        Keys as in :func:`worked_parameters` (``"w_4,1"``, ``"b_4"``, ``"x_1"``,
        ``"t_6"``, ``"eta"``); missing keys keep the example's value.
    parameters : list of Parameter, optional
        ``worked_parameters(example)``, if the caller has it already (an explorer
        computes it once instead of on every event).

    Returns
    -------
    weights, biases : list of ndarray
        New arrays (the example is not changed).
    x, t : ndarray
    eta : float
    """
    values = {} if values is None else values
    weights = [w.copy() for w in example.network.weights]
    biases = [b.copy() for b in example.network.biases]
    x = np.array(example.x, dtype=float)
    t = np.array(example.t, dtype=float)
    eta = float(example.eta)
    for p in worked_parameters(example) if parameters is None else parameters:
        if p.key not in values:
            continue
        v = float(values[p.key])
        if p.kind == "weight":
            weights[p.layer][p.index] = v
        elif p.kind == "bias":
            biases[p.layer][p.index] = v
        elif p.kind == "input":
            x[p.index] = v
        elif p.kind == "target":
            t[p.index] = v
        else:
            eta = v
    return weights, biases, x, t, eta


class WorkedStep(NamedTuple):
    """One forward pass, backward pass and update of Mitchell's rule, and its effect.

    An immutable named tuple (cheaper to build than a frozen dataclass: the
    explorer builds one per slider event).

    Attributes
    ----------
    x, t : ndarray
        Input and target.
    eta : float
    weights, biases : list of ndarray
        The parameters before the step.
    nets, outputs : list of ndarray
        Per layer (input layer excluded): net inputs and outputs before the step.
    error : float
        :math:`E` before the step.
    deltas : list of ndarray
        Per layer, the error terms in the lecture's sign
        (:math:`\\delta_j = -\\partial E/\\partial \\mathrm{net}_j`).
    new_weights, new_biases : list of ndarray
        After :math:`w_{ji} \\leftarrow w_{ji} + \\eta\\delta_j x_{ji}`,
        :math:`b_j \\leftarrow b_j + \\eta\\delta_j`.
    outputs_after : list of ndarray
        Per layer, the outputs for the same input with the new parameters.
    error_after : float
        :math:`E` for the same input and target with the new parameters.
    """

    x: np.ndarray
    t: np.ndarray
    eta: float
    weights: list
    biases: list
    nets: list
    outputs: list
    error: float
    deltas: list
    new_weights: list
    new_biases: list
    outputs_after: list
    error_after: float

    @property
    def finite(self) -> bool:
        """True if every number of the step is finite (always, for sigmoid outputs)."""
        arrays = [*self.outputs, *self.deltas, *self.new_weights, *self.new_biases,
                  *self.outputs_after]
        return (math.isfinite(self.error) and math.isfinite(self.error_after)
                and all(bool(np.isfinite(a).all()) for a in arrays))

    @property
    def message(self) -> str:
        """``""``, or why the numbers cannot be shown (an overflow)."""
        if self.finite:
            return ""
        return ("diverged: the step overflowed (a number became infinite or NaN); "
                "use smaller weights, inputs or learning rate")

    @property
    def error_change(self) -> float:
        """:math:`E_\\text{after} - E`."""
        return self.error_after - self.error


def worked_step(network: Network, weights, biases, x, t, eta: float) -> WorkedStep:
    """One step of Mitchell's rule on one example, without changing ``network``.

    Chapters 6, 7 and 10 (the worked-example explorer). The computation is the
    engine's own (the network's activation and loss objects, the update of
    :meth:`Network.train_step`), on the given parameter arrays instead of the
    network's, so a slider move costs no network copy. The result equals
    ``net.forward``/``net.backward``/``net.train_step`` on a network holding these
    parameters (the tests check it). Overflow never raises or warns: it comes back
    as ``finite = False`` with a ``message``.

    Parameters
    ----------
    network : Network
        Supplies the activations and the loss (its own parameters are not used).
    weights, biases : list of ndarray
        Per layer, shapes (n_out, n_in) and (n_out,), like ``network``'s.
    x : ndarray, shape (n_in,)
    t : ndarray, shape (n_out,)
    eta : float

    Returns
    -------
    WorkedStep
    """
    acts = network.activations
    loss = network.loss_function
    layers = scalar_layers(acts, loss.name)
    if layers is not None:
        return _worked_step_on_floats(layers, weights, biases, x, t, float(eta))
    with np.errstate(all="ignore"):
        signal, signals, nets = x, [x], []
        for w, b, act in zip(weights, biases, acts, strict=True):
            signal_net = w @ signal + b
            signal = act.forward(signal_net)
            nets.append(signal_net)
            signals.append(signal)
        error, delta = loss.value_and_delta(acts[-1], nets[-1], signal, t)
        deltas = [delta] * len(weights)
        for layer in range(len(weights) - 2, -1, -1):
            delta = acts[layer].backward(nets[layer], signals[layer + 1],
                                         delta @ weights[layer + 1])
            deltas[layer] = delta
        new_w, new_b = [], []
        signal, after = x, []
        for w, b, d, s, act in zip(weights, biases, deltas, signals[:-1], acts, strict=True):
            step = eta * d
            w2 = w + step[:, np.newaxis] * s
            b2 = b + step
            new_w.append(w2)
            new_b.append(b2)
            signal = act.forward(w2 @ signal + b2)
            after.append(signal)
        error_after = loss.value(signal, t)
    return WorkedStep(x, t, float(eta), weights, biases, nets, signals[1:], float(error), deltas,
                      new_w, new_b, after, float(error_after))


def _worked_step_on_floats(layers, weights, biases, x, t, eta: float) -> WorkedStep:
    """:func:`worked_step` with :mod:`backprop.scalar` (squared error, element-wise units).

    Three times faster at lecture sizes; one example's squared and mean squared
    errors are the same number.
    """
    x_list, t_list = x.tolist(), t.tolist()
    new_w, new_b = [w.tolist() for w in weights], [b.tolist() for b in biases]
    nets, outputs = scalar_forward(new_w, new_b, layers, x_list)
    residual = [target - o for target, o in zip(t_list, outputs[-1], strict=True)]
    deltas = scalar_deltas(new_w, layers, outputs, residual)
    scalar_update(new_w, new_b, deltas, [x_list, *outputs[:-1]], eta)
    _, after = scalar_forward(new_w, new_b, layers, x_list)
    residual_after = [target - o for target, o in zip(t_list, after[-1], strict=True)]
    # r * r, not r ** 2: a float power raises OverflowError where a product gives inf.
    error = 0.5 * sum([r * r for r in residual])
    error_after = 0.5 * sum([r * r for r in residual_after])
    arrays = [np.array(values) for values in (*nets, *outputs, *deltas, *new_w, *new_b, *after)]
    n = len(weights)
    return WorkedStep(x, t, eta, weights, biases, arrays[:n], arrays[n:2 * n], error,
                      arrays[2 * n:3 * n], arrays[3 * n:4 * n], arrays[4 * n:5 * n],
                      arrays[5 * n:], error_after)


def worked_example_state(
    example: Example,
    values: Mapping[str, float] | None = None,
    parameters: list[Parameter] | None = None,
) -> WorkedStep:
    """:func:`worked_step` for an example with some values replaced by slider values.

    Chapters 6, 7 and 10: the pure computation of
    :func:`backprop.widgets.worked_example_explorer`.

    Parameters
    ----------
    example : Example
    values : mapping of str to float, optional
    parameters : list of Parameter, optional
        See :func:`worked_arrays`.

    Returns
    -------
    WorkedStep
    """
    weights, biases, x, t, eta = worked_arrays(example, values, parameters)
    return worked_step(example.network, weights, biases, x, t, eta)


