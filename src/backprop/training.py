"""The training loop: stochastic, mini-batch and batch updates, stopping criteria.

Chapter 5 (the algorithm) contrasts stochastic and batch updates; chapter 9
(practical considerations) uses the stopping criteria of lecture section 9.1:
a fixed number of epochs, an error threshold, and validation patience.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

import numpy as np

from backprop.network import Network
from backprop.scalar import stochastic_epoch
from backprop.validation import as_array, check_eta, check_examples, check_finite

__all__ = ["METHODS", "History", "TrainingDiverged", "train"]

METHODS = ("stochastic", "minibatch", "batch")


class TrainingDiverged(ValueError):
    """The error became NaN or infinite: the learning rate is too large for this problem.

    Attributes
    ----------
    epoch : int
        The 1-based epoch whose error was not finite.
    history : History
        Everything recorded before that epoch (its ``loss`` holds only finite values).
    """

    def __init__(self, message: str, epoch: int, history: History) -> None:
        super().__init__(message)
        self.epoch = epoch
        self.history = history


@dataclass
class History:
    """What a call to :func:`train` did.

    Attributes
    ----------
    loss : list of float
        Training error of each epoch. For ``"batch"`` it is the error over the whole
        training set before that epoch's update; for ``"stochastic"`` and
        ``"minibatch"`` it is the sum of each step's error before its update (the
        running error, which costs no extra forward pass).
    validation_loss : list of float
        Error on the validation set after each epoch (empty without validation data).
    stopped_because : str
        ``"epochs"``, ``"error_threshold"``, ``"patience"``, or ``"diverged"`` (on the
        history attached to :class:`TrainingDiverged`).
    best_epoch : int or None
        With validation data, the 1-based epoch of the lowest validation error.
    """

    loss: list[float] = field(default_factory=list)
    validation_loss: list[float] = field(default_factory=list)
    stopped_because: str = "epochs"
    best_epoch: int | None = None

    @property
    def epochs(self) -> int:
        """Number of epochs run."""
        return len(self.loss)


def _check_dataset(net: Network, x, t, name: str) -> tuple[np.ndarray, np.ndarray]:
    inputs = check_examples(x, net.n_inputs, f"{name} inputs")
    if inputs.ndim == 1:
        inputs = inputs[np.newaxis, :]
    targets = as_array(t, f"{name} targets")
    if targets.ndim == 1 and net.n_outputs == 1 and len(targets) == len(inputs):
        targets = targets[:, np.newaxis]
    if targets.shape != (len(inputs), net.n_outputs):
        raise ValueError(
            f"{name} targets have shape {targets.shape}; expected ({len(inputs)}, "
            f"{net.n_outputs}) for {len(inputs)} examples and {net.n_outputs} output units"
        )
    check_finite(targets, f"{name} targets")
    return inputs, targets


def _positive_int(value, name: str) -> int:
    if isinstance(value, bool) or not isinstance(value, (int, np.integer)) or value < 1:
        raise ValueError(f"{name} must be a positive integer, got {value!r}")
    return int(value)


def train(
    net: Network,
    x,
    t,
    eta: float,
    epochs: int,
    *,
    method: str = "stochastic",
    batch_size: int = 32,
    momentum: float = 0.0,
    error_threshold: float | None = None,
    validation: tuple | None = None,
    patience: int | None = None,
    rng: np.random.Generator | None = None,
    progress: bool = False,
) -> History:
    """Train ``net`` in place and return its :class:`History`.

    Parameters
    ----------
    net : Network
    x : array-like, shape (m, n_in)
        Training inputs.
    t : array-like, shape (m, n_out)
        Training targets ((m,) is accepted for one output unit).
    eta : float
        Learning rate, > 0.
    epochs : int
        Maximum number of passes over the training set.
    method : {"stochastic", "minibatch", "batch"}
        ``"stochastic"``: Mitchell's rule, one update per example.
        ``"minibatch"``: one update per ``batch_size`` examples (summed gradient).
        ``"batch"``: one update per epoch from the gradient summed over all examples.
    momentum : float in [0, 1)
        :math:`v \\leftarrow \\mu v + \\eta\\,\\delta x`, :math:`w \\leftarrow w + v`.
    error_threshold : float, optional
        Stop once an epoch's training error falls below it.
    validation : (x_val, t_val), optional
        Held-out data, evaluated after every epoch.
    patience : int, optional
        With ``validation``: stop when the validation error has not improved for this
        many consecutive epochs.
    rng : numpy.random.Generator, optional
        If given, the examples are shuffled every epoch with it; without it they are
        visited in their given order (as in the lecture).
    progress : bool
        Show a tqdm progress bar over the epochs.

    Raises
    ------
    TrainingDiverged
        When an epoch's error is not finite; the message names the epoch and suggests
        a smaller eta.
    """
    if not isinstance(net, Network):
        raise TypeError(f"net must be a backprop.Network, got {type(net).__name__}")
    eta = check_eta(eta)
    epochs = _positive_int(epochs, "epochs")
    if method not in METHODS:
        raise ValueError(f"unknown method {method!r}; known methods: {', '.join(METHODS)}")
    batch_size = _positive_int(batch_size, "batch_size")
    momentum = float(momentum)
    if not 0.0 <= momentum < 1.0:
        raise ValueError(f"momentum must be in [0, 1), got {momentum}")
    if rng is not None and not isinstance(rng, np.random.Generator):
        raise TypeError(f"rng must be a numpy.random.Generator or None, got {type(rng).__name__}")
    if patience is not None:
        patience = _positive_int(patience, "patience")
        if validation is None:
            raise ValueError("patience needs validation data: pass validation=(x_val, t_val)")
    inputs, targets = _check_dataset(net, x, t, "training")
    if validation is not None:
        val_inputs, val_targets = _check_dataset(net, *validation, "validation")
    step = _momentum_step(net, momentum) if momentum else net._step
    size = {"stochastic": None, "minibatch": batch_size, "batch": len(inputs)}[method]
    # Small networks run stochastic epochs on Python floats (backprop.scalar).
    scalar = net._scalar_layers if size is None and not momentum else None

    history = History()
    epoch_range = range(1, epochs + 1)
    if progress:
        from tqdm.auto import tqdm

        epoch_range = tqdm(epoch_range, desc=f"training ({method})", unit="epoch")
    best, waited = math.inf, 0
    # Overflow in a diverging run is reported once, as TrainingDiverged, not as warnings.
    with np.errstate(over="ignore", invalid="ignore"):
        for epoch in epoch_range:
            order = rng.permutation(len(inputs)) if rng is not None else None
            xs = inputs if order is None else inputs[order]
            ts = targets if order is None else targets[order]
            if scalar is not None:
                weights, biases = net._parameter_lists()
                error = stochastic_epoch(weights, biases, scalar, xs.tolist(), ts.tolist(), eta)
                net._store_parameters(weights, biases)
            elif size is None:
                error = 0.0
                for x_row, t_row in zip(xs, ts, strict=True):
                    error += step(x_row, t_row, eta)
            else:
                error = sum(
                    step(xs[start : start + size], ts[start : start + size], eta)
                    for start in range(0, len(xs), size)
                )
            if not math.isfinite(error):
                history.stopped_because = "diverged"
                raise TrainingDiverged(
                    f"training diverged at epoch {epoch}: the error became {error}; "
                    f"try a smaller learning rate than eta={eta}",
                    epoch,
                    history,
                )
            history.loss.append(error)
            if validation is not None:
                val_error = net.loss_function.value(net._forward(val_inputs).outputs[-1],
                                                    val_targets)
                history.validation_loss.append(val_error)
                if val_error < best:
                    best, waited, history.best_epoch = val_error, 0, epoch
                else:
                    waited += 1
                if patience is not None and waited >= patience:
                    history.stopped_because = "patience"
                    break
            if error_threshold is not None and error < error_threshold:
                history.stopped_because = "error_threshold"
                break
    return history


def _momentum_step(net: Network, momentum: float):
    """A step function with velocities: v <- mu v + eta delta x, w <- w + v."""
    velocity_w = [np.zeros_like(w) for w in net.weights]
    velocity_b = [np.zeros_like(b) for b in net.biases]

    def step(x: np.ndarray, target: np.ndarray, eta: float) -> float:
        trace = net._forward(x)
        error, delta = net.loss_function.value_and_delta(
            net.activations[-1], trace.nets[-1], trace.outputs[-1], target
        )
        deltas = net._propagate(delta, trace.nets, trace.outputs)
        for w, b, vw, vb, d, signal in zip(
            net.weights, net.biases, velocity_w, velocity_b, deltas, trace.layer_inputs,
            strict=True,
        ):
            d2 = np.atleast_2d(d)
            vw *= momentum
            vw += eta * (d2.T @ np.atleast_2d(signal))
            vb *= momentum
            vb += eta * d2.sum(axis=0)
            w += vw
            b += vb
        return error

    return step
