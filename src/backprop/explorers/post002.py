"""Post 002's 2-2-2-1 network fitting 2 x1 + 3 x2 + 10: chapter 12's explorer.

:func:`post002_explorer` is the explorer: sliders for eta, epochs and the seed, and the
view ``post002.js``, which trains the network in the page (up to 500 epochs of 50
stochastic steps per slider event) and draws the fitted surface against the target
plane. :func:`post002_state` is the engine's answer for one setting, which the parity
test (``tests/explorers/test_post002.py``) compares with every number the view shows.
The seeds stay here: :func:`post002_draws` gives the view, for every seed the slider
offers, the initial weights and numpy's generator state after them, from which the view
draws the training and test points and each epoch's sample order exactly as
:class:`backprop.experiments.Post002Training` draws them.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass

import numpy as np

from backprop.experiments import Post002Run, train_post002
from backprop.lecture import post002_network, post002_target

#: The controls' ranges, as the old explorer had them.
ETA_LOG10_RANGE = (-3.0, 1.0)  # eta from 0.001 to 10, logarithmic, steps of 0.01 decades
MAX_EPOCHS = 500
N_SEEDS = 21  # seeds 0 to 20
#: Outputs beyond this (the target lies in [10, 15]) mean a run blowing up.
OUTPUT_LIMIT = 1e6


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
    largest_output : float
        The largest :math:`|o|` on that grid (NaN if diverged): beyond
        :data:`OUTPUT_LIMIT` the run is :attr:`blowing_up`.
    """

    run: Post002Run
    x1: np.ndarray
    x2_slices: tuple
    fitted: np.ndarray
    target: np.ndarray
    plane: np.ndarray
    largest_output: float = float("nan")

    @property
    def diverged(self) -> bool:
        return self.run.diverged_at_epoch is not None or not np.isfinite(self.fitted).all()

    @property
    def blowing_up(self) -> bool:
        """Not diverged yet, but the outputs are beyond :data:`OUTPUT_LIMIT`.

        Then the least-squares plane is rounding noise (a constant surface of 1e49 gives
        ``a`` and ``b`` near 1e33, a different noise for every solver), so the explorer
        shows :attr:`message` instead of the plane and the errors.
        """
        return not self.diverged and self.largest_output > OUTPUT_LIMIT

    @property
    def message(self) -> str:
        if self.blowing_up:
            return ("blowing up: the network's outputs passed a million (the target lies "
                    "between 10 and 15); the learning rate is too large")
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
        largest = float("nan")
        if diverged:
            fitted = np.full_like(target, np.nan)
            plane = np.full(3, np.nan)
        else:
            fitted = run.network.predict(grid)[:, 0].reshape(len(slices), n_points)
            a1, a2 = np.meshgrid(x1, x1)
            square = np.column_stack([a1.ravel(), a2.ravel()])
            out = run.network.predict(square)[:, 0]
            design = np.column_stack([square, np.ones(len(square))])
            largest = float(np.max(np.abs(out)))
            if np.isfinite(out).all():
                plane = np.linalg.lstsq(design, out, rcond=None)[0]
            else:
                plane = np.full(3, np.nan)
    return Post002State(run, x1, slices, fitted, target, plane, largest)


# ======================================================================= the explorer
# The view draws the points and the epochs' sample orders itself, with numpy's own
# generator (PCG64) written in JavaScript: a seed's draws ship as the generator's state
# after the initial weights, 100 characters where the draws themselves took 29 kB.
def generator_state(rng: np.random.Generator) -> dict:
    """A PCG64 generator's state, for the view's copy of it (128-bit numbers as hex text:
    JSON numbers in JavaScript hold 53 bits)."""
    state = rng.bit_generator.state
    if state["bit_generator"] != "PCG64":
        raise ValueError(f"the view replays PCG64 only, not {state['bit_generator']}")
    return {"state": format(state["state"]["state"], "x"),
            "inc": format(state["state"]["inc"], "x"),
            "has_uint32": int(state["has_uint32"]), "uinteger": int(state["uinteger"])}


@functools.cache
def post002_draws(seed: int) -> dict:
    """The seeded start of one seed, as :class:`Post002Training` makes it, for the view.

    ``default_rng(seed)`` draws, in order, the initial weights (Xavier, zero biases), the
    50 training points, the 500 test points and then one permutation of the training
    points per epoch. The weights ship as they are; the rest the view draws from
    ``rng``, the generator's state after the weights, as numpy's ``uniform`` and
    ``permutation`` do (any eta gives the same draws; tests/explorers/test_post002.py
    compares them with numpy's).

    Returns
    -------
    dict
        ``weights``, ``biases`` (nested lists, exact as JSON numbers) and ``rng``
        (:func:`generator_state`).
    """
    rng = np.random.default_rng(int(seed))
    net = post002_network(rng)  # as Post002Training starts
    return {
        "weights": [w.tolist() for w in net.weights],
        "biases": [b.tolist() for b in net.biases],
        "rng": generator_state(rng),
    }


def post002_data(n_seeds: int = N_SEEDS, max_epochs: int = MAX_EPOCHS) -> dict:
    """Everything fixed that the view needs: the draws of every seed and the grids.

    Returns
    -------
    dict
        ``runs`` (one :func:`post002_draws` per seed), ``n_train``, ``n_test``,
        ``max_epochs``, ``x1`` (the 21-point grid of [0, 1], as ``np.linspace`` makes it,
        for the slices and the least-squares plane) and ``x2_slices``.
    """
    runs = [post002_draws(seed) for seed in range(n_seeds)]
    return {
        "runs": runs,
        "n_train": 50,
        "n_test": 500,
        "max_epochs": max_epochs,
        "x1": np.linspace(0.0, 1.0, 21).tolist(),
        "x2_slices": [0.0, 0.5, 1.0],
    }


def post002_explorer(eta: float = 0.05, epochs: int = 200, seed: int = 0):
    """Chapter 12: train post 002's 2-2-2-1 network; the fitted surface against the target.

    Sliders: eta (0.001 to 10, logarithmic), epochs (1 to 500) and the seed (0 to 20).
    The view trains the network in the page on every slider event (up to 25,000
    stochastic steps, a few milliseconds) and shows the surface cut at
    :math:`x_2 = 0, 0.5, 1` against :math:`2x_1 + 3x_2 + 10`, the least-squares plane of
    the network's outputs, the held-out error and the error per epoch, or the message
    that training diverged. :func:`post002_state` is the engine's answer.

    Returns
    -------
    ipywidgets.VBox
        The sliders and the view; ``.view`` is the widget, ``.controls`` the sliders by
        name, ``.links`` their front-end links.
    """
    import ipywidgets

    from backprop.explorers.widget import ETA_READOUT, explorer_widget, link_controls

    eta, epochs, seed = float(eta), int(epochs), int(seed)
    low, high = ETA_LOG10_RANGE
    if not (10**low <= eta <= 10**high):
        raise ValueError(f"eta must be between {10**low:g} and {10**high:g}, got {eta}")
    if not 1 <= epochs <= MAX_EPOCHS:
        raise ValueError(f"epochs must be between 1 and {MAX_EPOCHS}, got {epochs}")
    if not 0 <= seed < N_SEEDS:
        raise ValueError(f"seed must be between 0 and {N_SEEDS - 1}, got {seed}")
    view = explorer_widget("post002.js", data=post002_data(), eta=eta, epochs=epochs, seed=seed)
    width = ipywidgets.Layout(width="min(100%, 360px)")
    style = {"description_width": "initial"}
    # eta sends on release only: a log slider that sends while it moves also sends, as soon
    # as the page draws it, its start snapped to the slider's grid (0.05 -> 0.0501), and
    # the explorer would no longer start from the chapter's eta.
    controls = {
        "eta": ipywidgets.FloatLogSlider(value=eta, base=10, min=low, max=high, step=0.01,
                                         description="\u03b7 (eta)", readout_format=ETA_READOUT,
                                         continuous_update=False, style=style, layout=width),
        "epochs": ipywidgets.IntSlider(value=epochs, min=1, max=MAX_EPOCHS,
                                       description="epochs", continuous_update=True,
                                       style=style, layout=width),
        "seed": ipywidgets.IntSlider(value=seed, min=0, max=N_SEEDS - 1, description="seed",
                                     continuous_update=False, style=style, layout=width),
    }
    box = ipywidgets.VBox([
        ipywidgets.HBox(list(controls.values()), layout=ipywidgets.Layout(flex_flow="row wrap")),
        view,
    ])
    box.view, box.controls, box.links = view, controls, link_controls(view, controls)
    return box
