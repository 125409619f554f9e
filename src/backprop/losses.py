"""Error functions and the output layer's error term.

Chapter 3 defines the lecture's error :math:`E = \\tfrac12 \\sum_d \\sum_k (t_{kd} - o_{kd})^2`;
chapter 11 uses post 001's mean form :math:`L = \\tfrac{1}{2m}\\lVert A - y \\rVert^2`;
chapter 8 derives softmax with cross-entropy.

Every loss gives its value and the output layer's error term in the lecture's
sign, :math:`\\delta_k = -\\partial E / \\partial \\mathrm{net}_k`.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from backprop.activations import Activation

__all__ = ["LOSSES", "Loss", "get_loss"]


def _examples(out: np.ndarray) -> int:
    """Number of examples: 1 for a single example of shape (n_out,), else m."""
    return 1 if out.ndim == 1 else out.shape[0]


@dataclass(frozen=True)
class Loss:
    """An error function of the network's output ``o`` and target ``t``.

    Attributes
    ----------
    name : str
        ``"squared"`` (the lecture's E, summed over examples and outputs),
        ``"mean_squared"`` (post 001's L, divided by the number of examples m) or
        ``"cross_entropy"`` (:math:`-\\sum t \\log o`, softmax output only).
    latex : str
        The formula, for chapters and worked solutions.
    """

    name: str
    latex: str

    def value(self, out: np.ndarray, target: np.ndarray) -> float:
        """The error of outputs ``out`` against ``target``, both (n_out,) or (m, n_out)."""
        if self.name == "cross_entropy":
            # A target of 0 contributes nothing, even where o underflows to 0.
            logs = np.log(np.where(target > 0, out, 1.0))
            return float(-(target * logs).sum())
        residual = target - out
        total = 0.5 * float(np.vdot(residual, residual))
        return total / _examples(out) if self.name == "mean_squared" else total

    def output_delta(
        self, activation: Activation, net: np.ndarray, out: np.ndarray, target: np.ndarray
    ) -> np.ndarray:
        """Output error term :math:`\\delta_k = -\\partial E/\\partial \\mathrm{net}_k`.

        For the squared error this is :math:`f'(\\mathrm{net}_k)(t_k - o_k)`, the
        lecture's :math:`o_k(1 - o_k)(t_k - o_k)` for a sigmoid output.
        """
        return self.value_and_delta(activation, net, out, target)[1]

    def value_and_delta(
        self, activation: Activation, net: np.ndarray | None, out: np.ndarray, target: np.ndarray
    ) -> tuple[float, np.ndarray]:
        """The error and the output delta together, sharing the residual ``t - o``.

        ``net`` may be None: every activation's backward reads only ``out``.
        """
        if self.name == "cross_entropy":
            # softmax + cross-entropy: -dE/dnet_j = t_j - o_j sum_k t_k (= t_j - o_j
            # for one-hot targets); computed directly, never through -t/o.
            delta = target - out * target.sum(axis=-1, keepdims=True)
            return self.value(out, target), delta
        residual = target - out  # = -dE/do for E = 1/2 sum (t - o)^2
        error = 0.5 * float(np.vdot(residual, residual))
        if self.name == "mean_squared":
            m = _examples(out)
            error /= m
            residual /= m
        return error, activation.backward(net, out, residual)


LOSSES: dict[str, Loss] = {
    "squared": Loss("squared", r"E = \tfrac12 \sum_d \sum_k (t_{kd} - o_{kd})^2"),
    "mean_squared": Loss("mean_squared", r"L = \tfrac{1}{2m} \lVert A - y \rVert_F^2"),
    "cross_entropy": Loss("cross_entropy", r"E = -\sum_d \sum_k t_{kd} \log o_{kd}"),
}


def get_loss(name: str | Loss) -> Loss:
    """Look up a loss by name; raise ``ValueError`` listing the known names."""
    if isinstance(name, Loss):
        return name
    if not isinstance(name, str):
        raise TypeError(f"loss must be a name (str), got {type(name).__name__}")
    try:
        return LOSSES[name]
    except KeyError:
        known = ", ".join(sorted(LOSSES))
        raise ValueError(f"unknown loss {name!r}; known losses: {known}") from None
