"""Post 002's 2-2-2-1 network fitting 2 x1 + 3 x2 + 10: chapter 12's explorer."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from backprop.experiments import Post002Run, train_post002
from backprop.lecture import post002_target


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
