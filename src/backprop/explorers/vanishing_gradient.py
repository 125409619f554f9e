"""The gradient norm of every layer of a deep network: chapter 9's explorer."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from backprop.experiments import LayerGradientNorms, gradient_norms_by_layer

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


