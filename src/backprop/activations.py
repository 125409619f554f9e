"""Activation functions, each with its local derivative beside its forward rule.

Chapter 4 (the sigmoid) explains the sigmoid and why its derivative is
sigma(1 - sigma); chapter 8 derives the deltas for every activation here.

An activation maps a layer's net input ``net`` (any shape) to its output
``o = f(net)``. For backpropagation each activation supplies ``backward``: given
``net``, ``o`` and an upstream signal ``g`` of the same shape, it returns the
signal at the net input, ``g * f'(net)`` for element-wise activations. Softmax
is not element-wise: its Jacobian-vector product is ``o * (g - sum(g * o))``.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
from scipy.special import expit

__all__ = ["ACTIVATIONS", "LARGE_ARRAY", "Activation", "get_activation", "sigmoid", "softmax"]


# Measured here (timeit, one thread, in place into a given buffer): SciPy's expit is the
# fastest sigmoid up to about 4k elements (one call, 0.8 us against 2.4 us at 64
# elements); above that NumPy's vectorised exp wins (370 us against 428 us for a
# 1797 x 32 batch, 121 us against 136 us for 1797 x 10).
#: Arrays of at least this many entries take the in-place path of :func:`sigmoid`
#: (:math:`1/(1 + e^{-x})`), smaller ones SciPy's ``expit``; chapter 4 (ch-sigmoid)
#: checks that the two paths agree.
LARGE_ARRAY = 4096


def sigmoid(net: np.ndarray) -> np.ndarray:
    r"""Logistic sigmoid :math:`\sigma(x) = 1 / (1 + e^{-x})`, without overflow.

    ``sigmoid(-1000)`` is 0.0 and ``sigmoid(1000)`` is 1.0 with no overflow warning
    (the naive ``1 / (1 + np.exp(-net))`` warns at -1000), and full relative precision
    for very negative x (sigmoid(-40) = 4.25e-18). Arrays up to ``LARGE_ARRAY``
    elements, and plain numbers, use SciPy's ``expit``; larger ones compute
    :math:`1/(1 + e^{-x})` in place, where :math:`e^{-x} = \infty` for x < -709 gives
    exactly the limit 0.
    """
    if getattr(net, "size", 0) < LARGE_ARRAY:
        return expit(net)
    return _sigmoid_of_negated(np.negative(net))


def _sigmoid_in_place(net: np.ndarray) -> np.ndarray:
    """``sigmoid(net)`` written over ``net`` (a float64 array)."""
    if net.size < LARGE_ARRAY:
        return expit(net, out=net)
    return _sigmoid_of_negated(np.negative(net, out=net))


def _sigmoid_of_negated(negated: np.ndarray) -> np.ndarray:
    """:math:`1/(1 + e^{-x})` written over the array ``negated``, which holds -x."""
    with np.errstate(over="ignore"):  # exp overflows to inf only where sigma is 0
        np.exp(negated, out=negated)
    negated += 1.0
    return np.reciprocal(negated, out=negated)


def _sigmoid_scalar(net: float) -> float:
    # expit's formula. NumPy's exp overflows to inf for net < -709 (giving sigma = 0);
    # math.exp raises instead, so that case returns the same 0.0 here.
    try:
        return 1.0 / (1.0 + math.exp(-net))
    except OverflowError:
        return 0.0


def softmax(net: np.ndarray) -> np.ndarray:
    r"""Softmax over the last axis, :math:`o_j = e^{net_j} / \sum_k e^{net_k}`.

    The row maximum is subtracted first; this leaves the result unchanged and keeps
    ``exp`` from overflowing.
    """
    shifted = np.exp(net - net.max(axis=-1, keepdims=True))
    return shifted / shifted.sum(axis=-1, keepdims=True)


@dataclass(frozen=True)
class Activation:
    """One activation function and its local derivative.

    Attributes
    ----------
    name : str
        The name used in ``Network.from_weights(..., activations=[...])``.
    forward : callable
        ``forward(net) -> o``, same shape as ``net``.
    backward : callable
        ``backward(net, o, g) -> g_net``: the chain rule through this activation,
        ``g * f'(net)`` for element-wise activations.
    forward_in_place : callable
        ``forward_in_place(net) -> o``: the same values written over the float64 array
        ``net`` where that saves memory traffic (softmax allocates). The training loop's
        hot path uses it, so it keeps no net inputs: every activation here computes its
        ``backward`` from ``o`` alone and is called there with ``net=None``.
    scalar_forward, scalar_slope : callable or None
        The same function and its derivative on one Python float, the slope computed
        from the unit's output ``o`` (sigmoid: ``o * (1 - o)``); used by
        :mod:`backprop.scalar` for small networks. None for softmax.
    derivative_latex : str
        :math:`f'(net)` written in terms of the unit's output ``o`` where the
        lecture does so (sigmoid: ``o(1 - o)``); used by the worked-solution writer.
    elementwise : bool
        False only for softmax, whose output couples every unit of the layer.
    """

    name: str
    forward: Callable[[np.ndarray], np.ndarray]
    backward: Callable[[np.ndarray | None, np.ndarray, np.ndarray], np.ndarray]
    forward_in_place: Callable[[np.ndarray], np.ndarray]
    scalar_forward: Callable[[float], float] | None
    scalar_slope: Callable[[float], float] | None
    derivative_latex: str
    elementwise: bool = True

    def derivative(self, net: np.ndarray, out: np.ndarray) -> np.ndarray:
        """Element-wise :math:`f'(net)`; only defined for element-wise activations."""
        if not self.elementwise:
            raise ValueError(
                f"activation {self.name!r} is not element-wise: use backward(net, out, g) "
                "for its Jacobian-vector product"
            )
        return self.backward(net, out, np.ones_like(out))


def _sigmoid_backward(net: np.ndarray, out: np.ndarray, g: np.ndarray) -> np.ndarray:
    # sigma'(net) = sigma(net)(1 - sigma(net)) = o(1 - o): only the output is needed.
    # One temporary, multiplied in place: at batch sizes the passes over memory dominate.
    local = 1.0 - out
    local *= out
    local *= g
    return local


def _tanh_backward(net: np.ndarray, out: np.ndarray, g: np.ndarray) -> np.ndarray:
    # tanh'(net) = 1 - tanh(net)^2 = 1 - o^2.
    local = out * out
    np.subtract(1.0, local, out=local)
    local *= g
    return local


def _softmax_backward(net: np.ndarray, out: np.ndarray, g: np.ndarray) -> np.ndarray:
    # J = diag(o) - o o^T is symmetric, so J^T g = o * (g - <g, o>) row by row.
    return out * (g - (g * out).sum(axis=-1, keepdims=True))


ACTIVATIONS: dict[str, Activation] = {
    "sigmoid": Activation(
        "sigmoid",
        forward=sigmoid,
        backward=_sigmoid_backward,
        forward_in_place=_sigmoid_in_place,
        scalar_forward=_sigmoid_scalar,
        scalar_slope=lambda o: o * (1.0 - o),
        derivative_latex="o(1 - o)",
    ),
    "tanh": Activation(
        "tanh",
        forward=np.tanh,
        backward=_tanh_backward,
        forward_in_place=lambda net: np.tanh(net, out=net),
        scalar_forward=math.tanh,
        scalar_slope=lambda o: 1.0 - o * o,
        derivative_latex="(1 - o^2)",
    ),
    "relu": Activation(
        "relu",
        forward=lambda net: np.maximum(net, 0.0),
        # relu'(net) = 1 where net > 0, else 0 (the kink at 0 takes the value 0); net > 0
        # exactly where o = max(net, 0) > 0, so the output is enough.
        backward=lambda net, out, g: g * (out > 0.0),
        forward_in_place=lambda net: np.maximum(net, 0.0, out=net),
        scalar_forward=lambda net: net if net > 0.0 or net != net else 0.0,  # NaN stays NaN
        scalar_slope=lambda o: 1.0 if o > 0.0 else 0.0,
        derivative_latex=r"\mathbb{1}[\mathrm{net} > 0]",
    ),
    "linear": Activation(
        "linear",
        forward=lambda net: net.copy(),
        # identity: f'(net) = 1.
        backward=lambda net, out, g: g.copy(),
        forward_in_place=lambda net: net,
        scalar_forward=lambda net: net,
        scalar_slope=lambda o: 1.0,
        derivative_latex="1",
    ),
    "softmax": Activation(
        "softmax",
        forward=softmax,
        backward=_softmax_backward,
        forward_in_place=softmax,
        scalar_forward=None,
        scalar_slope=None,
        derivative_latex=r"o_j(\mathbb{1}[j = k] - o_k)",
        elementwise=False,
    ),
}


def get_activation(name: str | Activation) -> Activation:
    """Look up an activation by name; raise ``ValueError`` listing the known names."""
    if isinstance(name, Activation):
        return name
    if not isinstance(name, str):
        raise TypeError(f"activation must be a name (str), got {type(name).__name__}")
    try:
        return ACTIVATIONS[name]
    except KeyError:
        known = ", ".join(sorted(ACTIVATIONS))
        raise ValueError(f"unknown activation {name!r}; known activations: {known}") from None
