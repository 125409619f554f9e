"""The computations behind the book's interactive explorers (no widgets here).

Every explorer of :mod:`backprop.widgets` is a thin user interface over one pure
function of this module: the function takes the slider values and returns a
frozen dataclass with everything the explorer shows (numbers, curves, messages).
Nothing here imports ipywidgets or matplotlib, nothing runs on import, and every
random draw comes from ``numpy.random.default_rng(seed)`` created inside the
function, so the same slider values always give the same result. Extreme but legal
slider values (weights up to +-50, learning rates up to 10) never raise: a run that
blows up comes back with a ``diverged``/``finite`` flag and a ``message``.

- :func:`worked_parameters`, :func:`worked_arrays`, :func:`worked_step`,
  :func:`worked_example_state` - one training step of a worked example (the
  lecture's 3-2-1 of chapters 6 and 7, the 2-2-2 of chapter 10), for
  :func:`backprop.widgets.worked_example_explorer`.
- :func:`learning_rate_run` - chapter 9's learning-rate experiment for one eta,
  with the trained network's fit, for :func:`backprop.widgets.learning_rate_explorer`.
- :func:`sigmoid_point`, :func:`sigmoid_curves` - chapter 4's sigmoid and its
  derivative, for :func:`backprop.widgets.sigmoid_explorer`.
- :func:`vanishing_gradient_state` - chapter 9's gradient norm per layer, for
  :func:`backprop.widgets.vanishing_gradient_explorer`.
- :func:`post002_state` - chapter 12's 2-2-2-1 network fitting
  :math:`2x_1 + 3x_2 + 10`, for :func:`backprop.widgets.post002_explorer`.

The learning-rate, vanishing-gradient and post 002 computations reuse
:mod:`backprop.experiments` (:func:`~backprop.experiments.regression_data`,
:func:`~backprop.experiments.gradient_norms_by_layer`,
:func:`~backprop.experiments.train_post002`); :func:`learning_rate_run` trains the
network itself because :func:`~backprop.experiments.learning_rate_curves` returns
only the loss curves, not the trained network the explorer draws the fit of (a
test checks that both give the same curve).
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass
from typing import NamedTuple

import numpy as np

from backprop.activations import ACTIVATIONS, sigmoid
from backprop.experiments import (
    Curve,
    LayerGradientNorms,
    Post002Run,
    gradient_norms_by_layer,
    regression_data,
    train_post002,
)
from backprop.experiments import (
    learning_rate_run as _experiment_run,
)
from backprop.lecture import Example, post002_target
from backprop.network import Network
from backprop.scalar import scalar_deltas, scalar_forward, scalar_layers, scalar_update

__all__ = [
    "ACTIVATION_CHOICES",
    "LearningRateRun",
    "Parameter",
    "Post002State",
    "SigmoidPoint",
    "VanishingGradientState",
    "WorkedStep",
    "learning_rate_run",
    "post002_state",
    "post002_surface",
    "sigmoid_curves",
    "sigmoid_point",
    "vanishing_gradient_state",
    "worked_arrays",
    "worked_example_state",
    "worked_parameters",
    "worked_step",
]


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


# ====================================================================== sigmoid (ch. 4)
@dataclass(frozen=True)
class SigmoidPoint:
    """The sigmoid and its slope at one net input.

    Attributes
    ----------
    net : float
    value : float
        :math:`\\sigma(\\mathrm{net})`.
    derivative : float
        :math:`\\sigma'(\\mathrm{net}) = \\sigma(1 - \\sigma)`, at most 1/4 (at 0).
    """

    net: float
    value: float
    derivative: float

    @property
    def fraction_of_max_slope(self) -> float:
        """``derivative / 0.25``: how much of the largest slope is left."""
        return self.derivative / 0.25


def sigmoid_point(net: float) -> SigmoidPoint:
    """:math:`\\sigma` and :math:`\\sigma'` at ``net`` (chapter 4's sigmoid explorer).

    Uses the engine's overflow-free :func:`backprop.sigmoid` and the derivative
    :math:`o(1 - o)` of its activation table; any finite ``net`` is fine
    (``sigmoid_point(-1000)`` is ``(0, 0)`` with no warning).
    """
    z = np.array([float(net)])
    o = sigmoid(z)
    d = ACTIVATIONS["sigmoid"].derivative(z, o)
    return SigmoidPoint(float(net), float(o[0]), float(d[0]))


def sigmoid_curves(low: float = -10.0, high: float = 10.0, n: int = 401):
    """The curves :math:`\\sigma` and :math:`\\sigma'` on a grid (chapter 4).

    Returns
    -------
    net, value, derivative : ndarray, shape (n,)
    """
    z = np.linspace(low, high, n)
    o = sigmoid(z)
    return z, o, ACTIVATIONS["sigmoid"].derivative(z, o)


# ================================================================ learning rate (ch. 9)
@dataclass(frozen=True)
class LearningRateRun:
    """Chapter 9's learning-rate experiment for one eta, with the trained network.

    Attributes
    ----------
    curve : Curve
        The loss per epoch, exactly as :func:`backprop.experiments.learning_rate_curves`
        returns it for this eta (cut where the run diverged).
    x, t : ndarray, shapes (20, 2) and (20, 1)
        The training set, :func:`backprop.experiments.regression_data`.
    predictions : ndarray of shape (20, 1), or None
        The trained network's outputs on ``x``; None if the run diverged.
    network : Network or None
        The trained network; None if the run diverged.
    """

    curve: Curve
    x: np.ndarray
    t: np.ndarray
    predictions: np.ndarray | None
    network: Network | None

    @property
    def diverged(self) -> bool:
        return self.curve.diverged

    @property
    def message(self) -> str:
        """``""``, or ``"diverged at epoch N ..."``."""
        if not self.diverged:
            return ""
        return (f"diverged at epoch {self.curve.diverged_at_epoch}: the error grew without "
                "bound (learning rate too large)")


def learning_rate_run(
    eta: float, epochs: int, seed: int = 0, divergence_factor: float = 100.0
) -> LearningRateRun:
    """Train chapter 9's network with one learning rate; keep the curve and the fit.

    Chapter 9 (the learning-rate explorer). Same network, data, full-batch training
    and divergence rule as :func:`backprop.experiments.learning_rate_curves` (post
    001's 2-3-1 network, Xavier-initialised from ``default_rng(seed)``, on
    :func:`~backprop.experiments.regression_data` ``(seed)``): a run counts as
    diverged at the first epoch whose error is infinite or exceeds
    ``divergence_factor`` times the first epoch's. Never raises for a positive eta.

    Parameters
    ----------
    eta : float
        Learning rate (> 0, e.g. 0.001 to 10).
    epochs : int
        Number of full-batch epochs (>= 1).
    seed : int
    divergence_factor : float

    Returns
    -------
    LearningRateRun
    """
    x, t = regression_data(seed)
    with np.errstate(all="ignore"):
        curve, net = _experiment_run(eta, epochs, seed, divergence_factor)
    diverged = curve.diverged_at_epoch
    predictions = None if diverged is not None else net.predict(x)
    return LearningRateRun(curve, x, t, predictions, None if diverged is not None else net)


# ============================================================ vanishing gradient (ch. 9)
#: Hidden activations offered by the vanishing-gradient explorer.
ACTIVATION_CHOICES = ("sigmoid", "tanh", "relu")


@dataclass(frozen=True)
class VanishingGradientState:
    """Gradient norm per layer for one activation, and for the others to compare.

    Attributes
    ----------
    depth : int
        Number of hidden layers.
    selected : LayerGradientNorms
        For the chosen activation.
    comparison : dict of str to LayerGradientNorms
        Every activation of :data:`ACTIVATION_CHOICES` (the chosen one included), each
        with its own default initialisation unless ``scheme`` was given.
    """

    depth: int
    selected: LayerGradientNorms
    comparison: dict

    @property
    def first_to_last(self) -> float:
        """Norm of layer 1 (next to the inputs) over the norm of the output layer."""
        norms = self.selected.norms
        if norms[-1] == 0:
            return float("nan")
        return float(norms[0] / norms[-1])

    @property
    def finite(self) -> bool:
        return bool(np.isfinite(self.selected.norms).all())

    @property
    def message(self) -> str:
        """``""`` or a note on overflow or on gradients that vanished to exactly 0."""
        norms = self.selected.norms
        if not self.finite:
            return "diverged: a gradient overflowed to infinity or NaN"
        if np.any(norms == 0):
            return "some layers' gradients are exactly 0 (underflow or dead ReLUs)"
        return ""


def vanishing_gradient_state(
    depth: int,
    activation: str = "sigmoid",
    scheme: str | None = None,
    width: int = 16,
    seed: int = 0,
) -> VanishingGradientState:
    """Gradient norm of every layer of a deep network after one backward pass.

    Chapter 9 (the vanishing-gradient explorer), through
    :func:`backprop.experiments.gradient_norms_by_layer` for each activation of
    :data:`ACTIVATION_CHOICES`.

    Parameters
    ----------
    depth : int
        Number of hidden layers (>= 1).
    activation : {"sigmoid", "tanh", "relu"}
    scheme : {"lecture", "xavier", "he"} or None
        Initialisation of every network; None (or ``"auto"``) picks Xavier for
        sigmoid and tanh and He for ReLU.
    width, seed : int

    Returns
    -------
    VanishingGradientState
    """
    if activation not in ACTIVATION_CHOICES:
        raise ValueError(f"activation must be one of {ACTIVATION_CHOICES}, got {activation!r}")
    scheme = None if scheme == "auto" else scheme
    comparison = {}
    with np.errstate(all="ignore"):
        for name in ACTIVATION_CHOICES:
            comparison[name] = gradient_norms_by_layer(int(depth), name, width=width, seed=seed,
                                                       scheme=scheme)
    return VanishingGradientState(int(depth), comparison[activation], comparison)


# ================================================================= post 002 (ch. 12)
@dataclass(frozen=True)
class Post002State:
    """Post 002's network after training, against :math:`2x_1 + 3x_2 + 10`.

    Attributes
    ----------
    run : Post002Run
        From :func:`backprop.experiments.train_post002`.
    x1 : ndarray, shape (n_points,)
        Grid on [0, 1] for the slices.
    x2_slices : tuple of float
    fitted : ndarray, shape (len(x2_slices), n_points)
        The network's output along each slice :math:`x_2 = c`.
    target : ndarray, shape (len(x2_slices), n_points)
        :math:`2x_1 + 3c + 10` along each slice.
    plane : ndarray, shape (3,)
        Least-squares plane :math:`a x_1 + b x_2 + c` through the network's outputs on
        a grid of the unit square (the target's is (2, 3, 10)); NaNs if diverged.
    """

    run: Post002Run
    x1: np.ndarray
    x2_slices: tuple
    fitted: np.ndarray
    target: np.ndarray
    plane: np.ndarray

    @property
    def diverged(self) -> bool:
        return self.run.diverged_at_epoch is not None or not np.isfinite(self.fitted).all()

    @property
    def message(self) -> str:
        if not self.diverged:
            return ""
        epoch = self.run.diverged_at_epoch
        where = f" at epoch {epoch}" if epoch is not None else ""
        return f"diverged{where}: the error grew without bound (learning rate too large)"


def post002_state(
    eta: float,
    epochs: int,
    seed: int = 0,
    x2_slices: tuple = (0.0, 0.5, 1.0),
    n_points: int = 21,
) -> Post002State:
    """Train post 002's 2-2-2-1 network and sample its fitted surface (chapter 12).

    Chapter 12 (the post 002 explorer), through
    :func:`backprop.experiments.train_post002` ``(eta, epochs, seed)`` with its
    defaults (50 training points on the unit square, stochastic updates).

    Parameters
    ----------
    eta : float
        Learning rate (> 0; large values come back as diverged).
    epochs, seed : int
    x2_slices : tuple of float
        The values of :math:`x_2` at which the surface is cut.
    n_points : int
        Grid points along :math:`x_1` (and per side for the least-squares plane).

    Returns
    -------
    Post002State
    """
    run = train_post002(eta=float(eta), epochs=int(epochs), seed=int(seed))
    return post002_surface(run, x2_slices, n_points)


def post002_surface(
    run: Post002Run, x2_slices: tuple = (0.0, 0.5, 1.0), n_points: int = 21
) -> Post002State:
    """:func:`post002_state` for a run already trained (chapter 12's explorer keeps runs).

    Parameters
    ----------
    run : Post002Run
        From :func:`backprop.experiments.train_post002` or
        :meth:`backprop.experiments.Post002Training.run`.
    x2_slices, n_points
        As in :func:`post002_state`.
    """
    x1 = np.linspace(0.0, 1.0, n_points)
    slices = tuple(float(c) for c in x2_slices)
    grid = np.array([[a, c] for c in slices for a in x1])
    target = post002_target(grid)[:, 0].reshape(len(slices), n_points)
    diverged = run.diverged_at_epoch is not None
    with np.errstate(all="ignore"):
        if diverged:
            fitted = np.full_like(target, np.nan)
            plane = np.full(3, np.nan)
        else:
            fitted = run.network.predict(grid)[:, 0].reshape(len(slices), n_points)
            a1, a2 = np.meshgrid(x1, x1)
            square = np.column_stack([a1.ravel(), a2.ravel()])
            out = run.network.predict(square)[:, 0]
            design = np.column_stack([square, np.ones(len(square))])
            if np.isfinite(out).all():
                plane = np.linalg.lstsq(design, out, rcond=None)[0]
            else:
                plane = np.full(3, np.nan)
    return Post002State(run, x1, slices, fitted, target, plane)
