"""Chapter 9's learning-rate experiment for one eta: the learning-rate explorer.

:func:`learning_rate_explorer` is the explorer: eta and epochs sliders and the view
``learning_rate.js``, which trains the network in the page from the seeded draws of
:func:`learning_rate_draws`. :func:`learning_rate_run` is the engine's answer, which the
parity test (``tests/explorers/test_learning_rate.py``) compares with every number the view
shows.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from backprop.experiments import Curve, regression_data
from backprop.experiments import learning_rate_run as _experiment_run
from backprop.lecture import post001_network
from backprop.network import Network

#: The chapter's learning rates, drawn in grey, and the epochs slider's range.
REFERENCE_ETAS = (0.05, 0.5, 1.5, 3.0)
MIN_EPOCHS, MAX_EPOCHS = 10, 1000


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


def learning_rate_draws(seed: int = 0) -> dict:
    """The seeded draws the page trains from: the 20 examples and the initial weights.

    What :func:`learning_rate_run` starts from: :func:`~backprop.experiments.regression_data`
    ``(seed)`` and post 001's network from ``default_rng(seed)`` (its biases start at 0).
    JSON keeps every float exactly (Python writes the shortest repr that reads back).

    Returns
    -------
    dict
        ``x`` (20 lists of 2), ``t`` (20), ``w1`` (3 lists of 2), ``w2`` (1 list of 3).
    """
    x, t = regression_data(seed)
    net = post001_network(np.random.default_rng(seed))
    if any(np.any(b) for b in net.biases):
        raise AssertionError("the page assumes post 001's network starts with zero biases")
    return {"x": x.tolist(), "t": t[:, 0].tolist(), "w1": net.weights[0].tolist(),
            "w2": net.weights[1].tolist()}


def learning_rate_explorer(eta: float = 0.5, epochs: int = 200, seed: int = 0):
    """Chapter 9: train one network with a chosen learning rate; loss curve and fit.

    Sliders: eta (0.001 to 10, logarithmic) and the number of full-batch epochs (10 to
    1000). The view trains :func:`learning_rate_run`'s network in the page and draws its
    loss curve over the chapter's four learning rates (grey), the fit it reaches, and
    tables of the same numbers; a diverging run says where it diverged instead.

    Parameters
    ----------
    eta : float
        The starting learning rate, in [0.001, 10].
    epochs : int
        The starting number of epochs, 10 to 1000.
    seed : int
        Seeds the data and the initial weights.

    Returns
    -------
    ipywidgets.VBox
        The sliders and the view; ``.view`` is the widget, ``.controls`` the sliders by name.
    """
    import ipywidgets

    from backprop.explorers.widget import ETA_READOUT, explorer_widget, link_controls

    eta = float(eta)
    if not 0.001 <= eta <= 10.0:
        raise ValueError(f"eta must be between 0.001 and 10, got {eta}")
    if not (isinstance(epochs, (int, np.integer)) and MIN_EPOCHS <= epochs <= MAX_EPOCHS):
        raise ValueError(f"epochs must be an integer from {MIN_EPOCHS} to {MAX_EPOCHS}, "
                         f"got {epochs!r}")
    view = explorer_widget("learning_rate.js", data=learning_rate_draws(seed), eta=eta,
                           epochs=int(epochs))
    controls = {
        "eta": ipywidgets.FloatLogSlider(
            value=eta, base=10, min=-3, max=1, step=0.01, description="\u03b7 (eta)",
            continuous_update=False, readout_format=ETA_READOUT,
            layout=ipywidgets.Layout(width="min(100%, 420px)"),
        ),
        "epochs": ipywidgets.IntSlider(
            value=int(epochs), min=MIN_EPOCHS, max=MAX_EPOCHS, step=10, description="epochs",
            continuous_update=False, layout=ipywidgets.Layout(width="min(100%, 420px)"),
        ),
    }
    box = ipywidgets.VBox([
        ipywidgets.HBox(list(controls.values()), layout=ipywidgets.Layout(flex_flow="row wrap")),
        view,
    ])
    box.view, box.controls, box.links = view, controls, link_controls(view, controls)
    return box
