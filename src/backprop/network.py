"""A fully connected feed-forward network: forward pass, backward pass, update.

Convention (chapter 3, the notation table): :math:`w_{ji}` is the weight from
unit i INTO unit j. Layer l therefore has a weight matrix ``W`` of shape
(n_out, n_in) with ``W[j, i] = w_ji``, and a bias vector ``b`` of shape (n_out,).

The three phases, as chapter 6 (the four training steps) lays them out:

* forward (chapter 2):  :math:`\\mathrm{net}_j = \\sum_i w_{ji} x_i + b_j`,
  :math:`o_j = f(\\mathrm{net}_j)`;
* backward (chapters 5 and 8): :math:`\\delta_k = f'(\\mathrm{net}_k)(t_k - o_k)` for
  outputs and :math:`\\delta_h = f'(\\mathrm{net}_h) \\sum_k w_{kh} \\delta_k` for hidden
  units, with the lecture's sign :math:`\\delta_j = -\\partial E / \\partial \\mathrm{net}_j`;
* update (Mitchell's rule): :math:`w_{ji} \\leftarrow w_{ji} + \\eta\\,\\delta_j x_{ji}`,
  which is :math:`w \\leftarrow w - \\eta\\,\\partial E/\\partial w` (the same rule, since
  :math:`\\partial E/\\partial w_{ji} = -\\delta_j x_{ji}`).
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from backprop.activations import get_activation
from backprop.losses import Loss, get_loss
from backprop.scalar import SCALAR_MAX_PARAMETERS, scalar_layers, scalar_step
from backprop.validation import (
    as_array,
    check_eta,
    check_examples,
    check_finite,
    check_parameters,
)

__all__ = ["INITIALISERS", "Gradients", "Network", "Trace"]

INITIALISERS = ("lecture", "xavier", "he")
_FLOAT64 = np.dtype(np.float64)


@dataclass(frozen=True)
class Trace:
    """Everything the forward pass computed, kept for the backward pass.

    Attributes
    ----------
    inputs : ndarray, shape (n_in,) or (m, n_in)
        The input that was fed in (not counted as a layer).
    nets : list of ndarray
        ``nets[l]`` is layer l's net input, shape (n_l,) or (m, n_l).
    outputs : list of ndarray
        ``outputs[l] = f_l(nets[l])``; ``outputs[-1]`` is the network's output.
    """

    inputs: np.ndarray
    nets: list[np.ndarray]
    outputs: list[np.ndarray]

    @property
    def layer_inputs(self) -> list[np.ndarray]:
        """What each layer receives: ``[inputs, outputs[0], ..., outputs[-2]]``."""
        return [self.inputs, *self.outputs[:-1]]


@dataclass(frozen=True)
class Gradients:
    """Result of the backward pass.

    Attributes
    ----------
    deltas : list of ndarray
        Error terms in the lecture's sign, :math:`\\delta_j = -\\partial E/\\partial
        \\mathrm{net}_j`; same shapes as ``Trace.nets``.
    weights : list of ndarray
        :math:`\\partial E / \\partial W`, shape (n_out, n_in) per layer, summed over the
        examples of a batch.
    biases : list of ndarray
        :math:`\\partial E / \\partial b`, shape (n_out,) per layer.
    """

    deltas: list[np.ndarray]
    weights: list[np.ndarray]
    biases: list[np.ndarray]


def _check_layers(weights, biases, activations) -> tuple[list, list, list]:
    """Validated float64 copies of the parameters and the activation objects."""
    for name, value in (("weights", weights), ("biases", biases), ("activations", activations)):
        if isinstance(value, (str, np.ndarray)) or not isinstance(value, Sequence):
            raise TypeError(f"{name} must be a list with one entry per layer")
    if not weights:
        raise ValueError("a network needs at least one layer; weights is empty")
    if not len(weights) == len(biases) == len(activations):
        raise ValueError(
            "weights, biases and activations must have one entry per layer; got "
            f"{len(weights)} weight matrices, {len(biases)} bias vectors and "
            f"{len(activations)} activations"
        )
    checked_w, checked_b = check_parameters(weights, biases)
    acts = [get_activation(a) for a in activations]
    for layer, act in enumerate(acts[:-1]):
        if not act.elementwise:
            raise ValueError(
                f"activation {act.name!r} is only supported in the output layer, "
                f"found in layer {layer}"
            )
    return checked_w, checked_b, acts


class Network:
    """A fully connected feed-forward network with per-layer activations.

    Parameters
    ----------
    weights : list of array-like
        One matrix per layer, shape (n_out, n_in); ``weights[l][j, i]`` is
        :math:`w_{ji}`, the weight from unit i of the previous layer into unit j.
    biases : list of array-like
        One vector per layer, shape (n_out,).
    activations : list of str
        One name per layer: ``"sigmoid"``, ``"tanh"``, ``"relu"``, ``"linear"``, or
        ``"softmax"`` (output layer only).
    loss : str, default "squared"
        ``"squared"``: the lecture's :math:`E = \\tfrac12\\sum_d\\sum_k (t_{kd}-o_{kd})^2`;
        ``"mean_squared"``: post 001's :math:`\\tfrac{1}{2m}\\lVert A - y\\rVert^2`;
        ``"cross_entropy"``: :math:`-\\sum t\\log o`, with a softmax output.

    The parameters are copied; the network owns its arrays and updates them in place.
    """

    def __init__(self, weights, biases, activations, loss: str | Loss = "squared") -> None:
        self.weights, self.biases, self.activations = _check_layers(weights, biases, activations)
        self.loss_function = get_loss(loss)
        if self.loss_function.name == "cross_entropy" and self.activations[-1].name != "softmax":
            raise ValueError(
                "the cross_entropy loss needs a softmax output layer; the output activation "
                f"is {self.activations[-1].name!r}"
            )
        # Small networks step one example at a time on Python floats (backprop.scalar).
        self._scalar_layers = (
            scalar_layers(self.activations, self.loss_function.name)
            if self.n_parameters <= SCALAR_MAX_PARAMETERS
            else None
        )

    # ----------------------------------------------------------------- construction
    @classmethod
    def from_weights(cls, weights, biases, activations, loss: str | Loss = "squared") -> Network:
        """Build a network from explicit weights (every lecture example does this)."""
        return cls(weights, biases, activations, loss)

    @classmethod
    def initialise(
        cls,
        layer_sizes: Sequence[int],
        activations: str | Sequence[str],
        rng: np.random.Generator,
        scheme: str = "lecture",
        loss: str | Loss = "squared",
    ) -> Network:
        """A network with random weights drawn from the seeded generator ``rng``.

        Parameters
        ----------
        layer_sizes : sequence of int
            ``[n_in, n_hidden_1, ..., n_out]``, at least two entries.
        activations : str or sequence of str
            One name for every layer, or one per layer (``len(layer_sizes) - 1``).
        rng : numpy.random.Generator
            The only source of randomness, e.g. ``numpy.random.default_rng(0)``.
        scheme : {"lecture", "xavier", "he"}
            ``"lecture"``: weights and biases uniform in [-0.05, 0.05] (lecture section 5,
            step 2). ``"xavier"``: uniform in :math:`\\pm\\sqrt{6/(n_{in}+n_{out})}`, zero
            biases. ``"he"``: normal with std :math:`\\sqrt{2/n_{in}}`, zero biases.
            Chapter 9 shows why the weights must not all start equal.
        """
        if not isinstance(rng, np.random.Generator):
            raise TypeError(
                "rng must be a numpy.random.Generator, e.g. numpy.random.default_rng(0); "
                f"got {type(rng).__name__}"
            )
        sizes = list(layer_sizes)
        if len(sizes) < 2 or not all(
            isinstance(n, (int, np.integer)) and not isinstance(n, bool) and n > 0 for n in sizes
        ):
            raise ValueError(
                f"layer_sizes must list at least two positive integers [n_in, ..., n_out], "
                f"got {layer_sizes!r}"
            )
        n_layers = len(sizes) - 1
        if isinstance(activations, str):
            activations = [activations] * n_layers
        if len(activations) != n_layers:
            raise ValueError(
                f"got {len(activations)} activations for {n_layers} layers "
                f"(layer_sizes {sizes})"
            )
        if scheme not in INITIALISERS:
            raise ValueError(
                f"unknown initialisation scheme {scheme!r}; known schemes: "
                + ", ".join(INITIALISERS)
            )
        weights, biases = [], []
        for n_in, n_out in zip(sizes[:-1], sizes[1:], strict=True):
            if scheme == "lecture":
                weights.append(rng.uniform(-0.05, 0.05, size=(n_out, n_in)))
                biases.append(rng.uniform(-0.05, 0.05, size=n_out))
            elif scheme == "xavier":
                limit = np.sqrt(6.0 / (n_in + n_out))
                weights.append(rng.uniform(-limit, limit, size=(n_out, n_in)))
                biases.append(np.zeros(n_out))
            else:
                weights.append(rng.normal(0.0, np.sqrt(2.0 / n_in), size=(n_out, n_in)))
                biases.append(np.zeros(n_out))
        return cls(weights, biases, activations, loss)

    def copy(self) -> Network:
        """An independent copy (its own arrays)."""
        return Network(self.weights, self.biases, self.activations, self.loss_function)

    # ------------------------------------------------------------------ description
    @property
    def layer_sizes(self) -> list[int]:
        """``[n_in, n_1, ..., n_out]``."""
        return [self.weights[0].shape[1], *(w.shape[0] for w in self.weights)]

    @property
    def n_inputs(self) -> int:
        return self.weights[0].shape[1]

    @property
    def n_outputs(self) -> int:
        return self.weights[-1].shape[0]

    @property
    def n_parameters(self) -> int:
        return sum(w.size + b.size for w, b in zip(self.weights, self.biases, strict=True))

    def __repr__(self) -> str:
        sizes = "-".join(str(n) for n in self.layer_sizes)
        acts = ", ".join(a.name for a in self.activations)
        return f"Network({sizes}, activations=[{acts}], loss={self.loss_function.name!r})"

    # ------------------------------------------------------------------ forward pass
    def forward(self, x) -> Trace:
        """Forward pass for one example (n_in,) or a batch (m, n_in).

        Returns
        -------
        Trace
            ``.nets[l]`` and ``.outputs[l]`` of shape (n_l,) or (m, n_l).
        """
        return self._forward(check_examples(x, self.n_inputs))

    def _forward(self, x: np.ndarray) -> Trace:
        nets, outputs = [], []
        signal = x
        for w, b, act in zip(self.weights, self.biases, self.activations, strict=True):
            net = signal @ w.T  # net_j = sum_i w_ji x_i + b_j, for every row of a batch
            net += b  # in place: one (m, n) array per layer instead of two
            signal = act.forward(net)
            nets.append(net)
            outputs.append(signal)
        return Trace(x, nets, outputs)

    def predict(self, x) -> np.ndarray:
        """The network's output only: shape (n_out,) or (m, n_out)."""
        return self.forward(x).outputs[-1]

    def error(self, x, t) -> float:
        """The loss of the network on examples ``x`` with targets ``t``."""
        trace = self.forward(x)
        return self.loss_function.value(trace.outputs[-1], self._check_target(t, trace))

    # ----------------------------------------------------------------- backward pass
    def _check_target(self, t, trace: Trace) -> np.ndarray:
        target = as_array(t, "t")
        expected = trace.outputs[-1].shape
        if target.shape != expected:
            raise ValueError(
                f"target t has shape {target.shape}; expected {expected} to match the "
                "network's output for this input"
            )
        check_finite(target, "t")
        return target

    def backward(self, trace: Trace, t) -> Gradients:
        """Backward pass: every error term and the gradients of the loss.

        Parameters
        ----------
        trace : Trace
            From ``forward`` on the same network.
        t : array-like, shape like ``trace.outputs[-1]``
            Targets.

        Returns
        -------
        Gradients
            ``deltas`` (lecture sign), ``weights`` = dE/dW (n_out, n_in) and
            ``biases`` = dE/db (n_out,), summed over the batch.
        """
        if not isinstance(trace, Trace):
            raise TypeError(f"backward needs the Trace returned by forward, got {type(trace)!r}")
        deltas = self._deltas(trace, self._check_target(t, trace))
        grad_w, grad_b = [], []
        for delta, signal in zip(deltas, trace.layer_inputs, strict=True):
            if delta.ndim == 1:
                grad_w.append(-np.outer(delta, signal))  # dE/dw_ji = -delta_j x_ji
                grad_b.append(-delta)
            else:
                grad_w.append(-(delta.T @ signal))  # summed over the examples
                grad_b.append(-delta.sum(axis=0))
        return Gradients(deltas, grad_w, grad_b)

    def _deltas(self, trace: Trace, target: np.ndarray) -> list[np.ndarray]:
        """All error terms: the output delta from the loss, then the hidden ones backwards."""
        last = len(self.weights) - 1
        delta = self.loss_function.output_delta(
            self.activations[last], trace.nets[last], trace.outputs[last], target
        )
        return self._propagate(delta, trace.nets, trace.outputs)

    def _propagate(
        self, delta: np.ndarray, nets: list | None, outputs: list
    ) -> list[np.ndarray]:
        """delta_h = f'(net_h) sum_k w_kh delta_k, from the output delta down to layer 0.

        ``nets`` may be None (the hot path keeps none): every activation's backward
        reads only its output.
        """
        deltas = [delta] * len(self.weights)
        for layer in range(len(self.weights) - 2, -1, -1):
            # sum_k w_kh delta_k for every hidden unit h at once: delta @ W (rows k, cols h).
            delta = self.activations[layer].backward(
                None if nets is None else nets[layer], outputs[layer],
                delta @ self.weights[layer + 1],
            )
            deltas[layer] = delta
        return deltas

    # ------------------------------------------------------------------------ update
    def train_step(self, x, t, eta) -> float:
        """One step of Mitchell's rule, in place; returns the error before the update.

        Every delta is computed from the current weights before any weight changes,
        then :math:`w_{ji} \\leftarrow w_{ji} + \\eta\\,\\delta_j x_{ji}` and
        :math:`b_j \\leftarrow b_j + \\eta\\,\\delta_j`. Given a batch, the step uses the
        gradient summed over the batch (the batch rule).
        """
        eta = check_eta(eta)
        if self._scalar_layers is not None:
            example = self._float_example(x, t)
            if example is not None:  # one valid example: the float path, no array checks
                return self._step_on_floats(*example, eta)
        x = check_examples(x, self.n_inputs)
        target = as_array(t, "t")
        expected = x.shape[:-1] + (self.n_outputs,)
        if target.shape != expected:
            raise ValueError(f"target t has shape {target.shape}; expected {expected}")
        check_finite(target, "t")
        if x.ndim == 1 and self._scalar_layers is not None:
            return self._step_on_floats(x.tolist(), target.tolist(), eta)
        return self._step(x, target, eta)

    def _step_on_floats(self, x: list, t: list, eta: float) -> float:
        """:func:`backprop.scalar.scalar_step` on this network's parameters, in place."""
        weights, biases = self._parameter_lists()
        error = scalar_step(weights, biases, self._scalar_layers, x, t, eta)
        self._store_parameters(weights, biases)
        return error

    def _float_example(self, x, t) -> tuple[list, list] | None:
        """``(x, t)`` as lists of floats if they are one finite float64 example, else None.

        A shortcut for :meth:`train_step` on small networks: anything else (lists,
        other dtypes, batches, wrong shapes, NaN) returns None and goes through the
        full checks, which name the fault.
        """
        if (type(x) is np.ndarray and type(t) is np.ndarray and x.dtype is _FLOAT64
                and t.dtype is _FLOAT64 and x.shape == (self.n_inputs,)
                and t.shape == (self.n_outputs,)):
            values = x.tolist(), t.tolist()
            if all(map(math.isfinite, values[0])) and all(map(math.isfinite, values[1])):
                return values
        return None

    def _parameter_lists(self) -> tuple[list, list]:
        """The parameters as nested lists of floats, for :mod:`backprop.scalar`."""
        return [w.tolist() for w in self.weights], [b.tolist() for b in self.biases]

    def _store_parameters(self, weights: list, biases: list) -> None:
        """Write nested lists back into the network's own arrays (their identity is kept)."""
        for w, b, rows, bias in zip(self.weights, self.biases, weights, biases, strict=True):
            w[...] = rows
            b[...] = bias

    def _step(self, x: np.ndarray, target: np.ndarray, eta: float) -> float:
        """Unchecked forward, backward and update: the training loop's hot path.

        It does what ``forward``, ``backward`` and the update do, with no Trace or
        Gradients objects, each activation computed over its net input in place (no
        net input is kept: every backward needs only the outputs), and the residual
        shared between E and the output delta, because the cost is the number of
        array operations and the memory they pass over.
        """
        signals = [x]
        for w, b, act in zip(self.weights, self.biases, self.activations, strict=True):
            net = signals[-1] @ w.T
            net += b
            signals.append(act.forward_in_place(net))
        error, delta = self.loss_function.value_and_delta(
            self.activations[-1], None, signals[-1], target
        )
        deltas = self._propagate(delta, None, signals[1:])
        self._apply(deltas, signals[:-1], eta)  # every delta is known before any weight changes
        return error

    def _apply(self, deltas: list[np.ndarray], layer_inputs: list[np.ndarray], eta: float) -> None:
        """w_ji += eta delta_j x_ji and b_j += eta delta_j, summed over a batch."""
        for w, b, delta, signal in zip(
            self.weights, self.biases, deltas, layer_inputs, strict=True
        ):
            if delta.ndim == 1:
                step = eta * delta
                w += step[:, np.newaxis] * signal  # the outer product eta delta x^T
                b += step
            else:  # sum over the batch first, then scale the small (n_out, n_in) result
                w += eta * (delta.T @ signal)
                b += eta * delta.sum(axis=0)

    def apply_gradients(self, gradients: Gradients, eta) -> None:
        """Gradient descent with given gradients: ``W -= eta * dE/dW``, ``b -= eta * dE/db``."""
        eta = check_eta(eta)
        for layer, (w, b, gw, gb) in enumerate(
            zip(self.weights, self.biases, gradients.weights, gradients.biases, strict=True)
        ):
            if gw.shape != w.shape or gb.shape != b.shape:
                raise ValueError(
                    f"gradient of layer {layer} has shapes {gw.shape} and {gb.shape}; expected "
                    f"{w.shape} and {b.shape}"
                )
            w -= eta * gw
            b -= eta * gb
