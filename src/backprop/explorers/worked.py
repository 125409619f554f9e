"""One training step of a worked example: the explorer of chapters 7 and 10."""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass
from typing import NamedTuple

import numpy as np

from backprop.lecture import Example
from backprop.network import Network
from backprop.scalar import scalar_deltas, scalar_forward, scalar_layers, scalar_update


# ============================================================== worked example (ch. 7, 10)
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


#: What the explorer says instead of numbers when a step overflows (the view shows the same).
DIVERGED_MESSAGE = ("diverged: the step overflowed (a number became infinite or NaN); "
                    "use smaller weights, inputs or learning rate")


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
        return "" if self.finite else DIVERGED_MESSAGE

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
    :func:`worked_example_explorer`.

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




# ============================================================== the explorer (the widget)
#: The activations the view computes (js/network.js); the loss must be the squared error.
_VIEW_ACTIVATIONS = ("sigmoid", "tanh", "relu", "linear")


def worked_value_name(key: str) -> str:
    """The widget's value name of a parameter key: ``"w_4,1"`` -> ``"w_4_1"``.

    A synced trait name must be an identifier; the comma of a weight key is not.
    """
    return key.replace(",", "_")


def worked_slider_range(parameter: Parameter, example: Example) -> tuple[float, float, float]:
    """``(min, max, step)`` of a parameter's slider, as the old explorer had them.

    Weights and biases from -50 to 50, inputs from -10 to 10, targets from 0 to 1
    under a sigmoid output (else -10 to 10), eta from 0.01 to 10; steps of 0.01.
    """
    if parameter.kind in ("weight", "bias"):
        return -50.0, 50.0, 0.01
    if parameter.kind == "input":
        return -10.0, 10.0, 0.01
    if parameter.kind == "target":
        squashed = example.network.activations[-1].name in ("sigmoid", "softmax")
        return (0.0, 1.0, 0.01) if squashed else (-10.0, 10.0, 0.01)
    return 0.01, 10.0, 0.01


def _slider_label(key: str) -> str:
    """``w_4,1`` -> ``w<sub>4,1</sub>``, ``eta`` -> ``η (eta)``."""
    import html

    if key == "eta":
        return "\u03b7 (eta)"
    symbol, sub = key.split("_", 1)
    return f"{symbol}<sub>{html.escape(sub)}</sub>"


def worked_view_data(example: Example, decimals: int = 4) -> dict:
    """What the view ``worked.js`` needs besides the slider values (the widget's ``data``).

    Parameters
    ----------
    example : Example
        Element-wise activations (sigmoid, tanh, relu, linear) and the squared error,
        which is what the view's arithmetic (``js/network.js``) computes.
    decimals : int
        Decimal places of every number shown, from 1 to 12.

    Returns
    -------
    dict
        ``decimals``, ``labels`` (unit labels per layer, input layer first),
        ``activations`` (one name per layer), ``parameters`` (one dict per slider:
        ``key``, ``name`` of the widget value, ``kind``, ``layer``, ``index``, ``value``,
        ``min``, ``max``) and ``message``, the engine's divergence message
        (:attr:`WorkedStep.message`), so both say the same.
    """
    if isinstance(decimals, bool) or not isinstance(decimals, int) or not 1 <= decimals <= 12:
        raise ValueError(f"decimals must be an integer from 1 to 12, got {decimals!r}")
    net = example.network
    names = [act.name for act in net.activations]
    unknown = [name for name in names if name not in _VIEW_ACTIVATIONS]
    if unknown or net.loss_function.name not in ("squared", "mean_squared"):
        raise ValueError(
            f"the worked-example explorer computes {', '.join(_VIEW_ACTIVATIONS)} units with the "
            f"squared error; this example has activations {names} and the "
            f"{net.loss_function.name} loss")
    parameters = []
    for p in worked_parameters(example):
        low, high, _ = worked_slider_range(p, example)
        parameters.append({
            "key": p.key, "name": worked_value_name(p.key), "kind": p.kind, "layer": p.layer,
            "index": list(p.index), "value": p.value, "min": low, "max": high,
        })
    return {
        "decimals": decimals,
        "labels": [list(layer) for layer in example.unit_labels],
        "activations": names,
        "parameters": parameters,
        "message": DIVERGED_MESSAGE,
    }


def worked_example_explorer(example: Example | None = None, decimals: int = 4):
    """Chapters 7 and 10: sliders for every number of a worked example, one step live.

    Sliders: every input, target, eta, and every weight and bias (from -50 to 50),
    grouped by the unit they feed. The view (``worked.js``) computes in the page, so it
    works in the static HTML book too: the forward pass, the deltas, the updated weights
    and E before and after the step (the engine's :func:`worked_example_state`), on a
    network diagram (before or after the step, with a table of the same numbers) and as
    the formulas of :func:`backprop.worked_solution` with the numbers plugged in. Its
    buttons "take the step" (the weight and bias sliders move to the updated values, so
    repeated clicks train the network one step at a time) and "reset" set the widget's
    values, which move the linked sliders.

    Parameters
    ----------
    example : Example, optional
        Default :func:`backprop.lecture.worked_3_2_1`; e.g.
        :func:`~backprop.lecture.multi_output_2_2_2` for chapter 10.
    decimals : int
        Decimal places of the numbers shown; a slider's readout writes its number as the
        view writes a number before the step (as given, else at these places).

    Returns
    -------
    ipywidgets.VBox
        The sliders and the view; ``.view`` is the widget, ``.controls`` the sliders by
        parameter key (``"w_4,1"``, ``"b_4"``, ``"x_1"``, ``"t_6"``, ``"eta"``) and
        ``.links`` their front-end links.
    """
    import ipywidgets

    from backprop.explorers.widget import (
        explorer_widget,
        given_readout,
        link_controls,
        link_readouts,
    )
    from backprop.lecture import worked_3_2_1

    example = worked_3_2_1() if example is None else example
    data = worked_view_data(example, decimals)
    sliders, by_name = {}, {}
    groups, titles = {"data": []}, {"data": "Input, target and learning rate"}
    for p, spec in zip(worked_parameters(example), data["parameters"], strict=True):
        low, high, step = worked_slider_range(p, example)
        value = min(max(p.value, low), high)
        slider = ipywidgets.FloatSlider(
            value=value, min=low, max=high, step=step,
            description=_slider_label(p.key), description_allow_html=True,
            # False: the sliders send on release. Sending while moving, a slider also sends
            # when a linked value reaches it, snapped to its 0.01 grid (ipywidgets 8), which
            # would round the exact weights "take the step" sets.
            continuous_update=False, readout_format=given_readout(value, decimals),
            style={"description_width": "48px"}, layout=ipywidgets.Layout(width="min(100%, 300px)"),
        )
        sliders[p.key] = by_name[spec["name"]] = slider
        if p.kind in ("input", "target", "eta"):
            groups["data"].append(slider)
        else:
            groups.setdefault(p.unit, []).append(slider)
            titles[p.unit] = f"Into unit {p.unit}"
    view = explorer_widget("worked.js", data, after=False,
                           **{name: float(s.value) for name, s in by_name.items()},
                           **{f"readout_{name}": s.readout_format for name, s in by_name.items()})
    grid = ipywidgets.GridBox(
        [ipywidgets.VBox([ipywidgets.HTML(f"<b>{titles[unit]}</b>"), *items])
         for unit, items in groups.items()],
        layout=ipywidgets.Layout(grid_template_columns="repeat(auto-fill, minmax(260px, 1fr))",
                                 grid_gap="4px 16px"),
    )
    note = ipywidgets.HTML("<b>Move a slider</b> (or type a value into its box): weights and "
                           "biases from \u221250 to 50, \u03b7 up to 10.")
    box = ipywidgets.VBox([note, grid, view])
    box.view, box.controls = view, sliders
    box.links = link_controls(view, by_name) + link_readouts(view, by_name)
    return box
