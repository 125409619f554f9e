"""Checks that turn bad input into a clear error instead of a silently wrong number.

Every public entry point of the engine calls these before computing; the
training loop checks the whole data set once, then runs unchecked steps.
"""

from __future__ import annotations

import math
from numbers import Real

import numpy as np

__all__ = ["as_array", "check_eta", "check_examples", "check_finite", "check_parameters"]

# Above this size a data set is checked with one summing pass instead of isfinite().
_LARGE_ARRAY = 4096
# Up to this size the values are checked as Python floats (no temporary arrays).
_SMALL_ARRAY = 16


def as_array(value, name: str) -> np.ndarray:
    """``value`` as a float64 array; ``TypeError`` naming ``name`` if it is not numeric."""
    try:
        array = np.asarray(value, dtype=np.float64)
    except (TypeError, ValueError) as error:
        raise TypeError(f"{name} must be numeric (array-like of numbers): {error}") from None
    return array


def check_finite(array: np.ndarray, name: str) -> None:
    """Raise ``ValueError`` naming ``name`` and the first bad position if ``array`` has NaN/inf."""
    if array.size <= _SMALL_ARRAY:
        # A few numbers: checking Python floats costs less than one NumPy call.
        if all(map(math.isfinite, array.ravel().tolist())):
            return
    elif array.size > _LARGE_ARRAY:
        # One allocation-free pass: a NaN or inf anywhere makes the sum non-finite. Only a
        # non-finite sum (which huge finite values can also produce) pays for the search.
        with np.errstate(over="ignore", invalid="ignore"):
            if math.isfinite(np.add.reduce(array, axis=None)):
                return
    finite = np.isfinite(array)
    if not finite.all():
        position = tuple(int(i) for i in np.argwhere(~finite)[0])
        where = f" at index {position}" if position else ""
        raise ValueError(
            f"{name} must be finite, got non-finite {float(array[position])}{where}"
        )


def check_eta(eta) -> float:
    """The learning rate as a float; ``ValueError`` unless it is finite and > 0."""
    if type(eta) is float and 0.0 < eta < math.inf:  # the common case, without ABC checks
        return eta
    if isinstance(eta, bool) or not isinstance(eta, Real):
        raise TypeError(f"learning rate eta must be a real number, got {type(eta).__name__}")
    eta = float(eta)
    if not math.isfinite(eta) or eta <= 0.0:
        raise ValueError(f"learning rate eta must be finite and > 0, got {eta}")
    return eta


def check_examples(
    x, n_in: int, name: str = "x", *, allow_batch: bool = True
) -> np.ndarray:
    """One example of shape (n_in,) or a batch (m, n_in), as a finite float64 array."""
    array = as_array(x, name)
    if array.ndim not in ((1, 2) if allow_batch else (1,)) or array.shape[-1] != n_in:
        expected = f"({n_in},)" + (f" or (m, {n_in})" if allow_batch else "")
        raise ValueError(f"{name} has shape {array.shape}; expected {expected}")
    if array.ndim == 2 and array.shape[0] == 0:
        raise ValueError(f"{name} is an empty batch of shape {array.shape}")
    check_finite(array, name)
    return array


def check_parameters(weights, biases) -> tuple[list[np.ndarray], list[np.ndarray]]:
    """Float64 copies of per-layer weights and biases that chain into one network.

    Layers are numbered as in ``Network.layer_sizes``: the input layer is layer 0, so
    ``weights[i]``, of shape (n_out, n_in), feeds layer i + 1. Raises ``ValueError``
    naming the parameter, its layer, and the expected and actual shapes.
    """
    checked_w: list[np.ndarray] = []
    checked_b: list[np.ndarray] = []
    for index, (w, b) in enumerate(zip(weights, biases, strict=True)):
        layer = index + 1
        w = as_array(w, f"weights[{index}]").copy()
        b = as_array(b, f"biases[{index}]").copy()
        if w.ndim != 2:
            raise ValueError(
                f"weights[{index}] (layer {layer}) must be a matrix of shape (n_out, n_in), "
                f"i.e. 2-D; got shape {w.shape}"
            )
        if checked_w and w.shape[1] != checked_w[-1].shape[0]:
            previous = checked_w[-1].shape[0]
            raise ValueError(
                f"weights[{index}] (layer {layer}) has shape {w.shape}: it takes {w.shape[1]} "
                f"inputs, but layer {index} has {previous} units; expected shape "
                f"({w.shape[0]}, {previous})"
            )
        if b.shape != (w.shape[0],):
            raise ValueError(
                f"layer {layer}: biases[{index}] must have shape ({w.shape[0]},) to match "
                f"weights[{index}] of shape {w.shape}, got shape {b.shape}"
            )
        check_finite(w, f"weights[{index}] (layer {layer})")
        check_finite(b, f"biases[{index}] (layer {layer})")
        checked_w.append(w)
        checked_b.append(b)
    return checked_w, checked_b
