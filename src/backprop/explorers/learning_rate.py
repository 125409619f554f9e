"""Chapter 9's learning-rate experiment for one eta: the learning-rate explorer."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from backprop.experiments import Curve, regression_data
from backprop.experiments import learning_rate_run as _experiment_run
from backprop.network import Network


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


