"""The figures of chapter 4, the sigmoid and its derivative (``04_sigmoid.ipynb``).

The chapter computes the curves with the engine's activation functions; these functions
only draw them, in the book's plot style (:mod:`backprop.diagrams.style`), so that the
chapter's cells show the computation, not the plotting.
"""

from __future__ import annotations

import numpy as np

from backprop.diagrams.style import ACTIVATION_NAMES, BLACK, book_figure, line_style
from backprop.worked import format_number

__all__ = ["plot_activations", "plot_sigmoid_and_derivative"]

_NET = r"$\mathrm{net}$"


def _two_panels():
    import matplotlib.pyplot as plt

    fig, (ax_f, ax_d) = plt.subplots(1, 2, figsize=(10, 3.6))
    return fig, ax_f, ax_d


@book_figure
def plot_sigmoid_and_derivative(grid, grid_out, grid_slope, cases, outputs, slopes):
    """Chapter 4, Figure 1: the sigmoid (left) and its derivative (right) over ``grid``.

    The lecture's cases (a), (b), (c) at net inputs ``cases`` are dots labelled with their
    output and slope (four decimals, as the chapter prints them). Returns the figure.
    """
    fig, ax_f, ax_d = _two_panels()
    ax_f.plot(grid, grid_out, **line_style(0), lw=2)
    ax_d.plot(grid, grid_slope, **line_style(1), lw=2)
    for case, net, out, slope in zip("abc", cases, outputs, slopes, strict=True):
        ax_f.plot(net, out, "o", color=BLACK, ms=6, zorder=3)
        ax_f.annotate(f"({case})  {format_number(out, 4)}", (net, out), textcoords="offset points",
                      xytext=(8, -14 if case != "c" else 6), fontsize=9)
        ax_d.plot(net, slope, "o", color=BLACK, ms=6, zorder=3)
        ax_d.annotate(f"({case})  {format_number(slope, 4)}", (net, slope),
                      textcoords="offset points", xytext=(8, 4), fontsize=9)
    ax_f.set(title=r"$\sigma(\mathrm{net})$", xlabel=_NET, ylim=(-0.05, 1.05))
    ax_d.set(title=r"$\sigma'(\mathrm{net}) = \sigma(1 - \sigma)$", xlabel=_NET,
             ylim=(-0.01, 0.28))
    fig.tight_layout()
    return fig


@book_figure
def plot_activations(grid, curves: dict):
    """Chapter 4, Figure 2: activations (left) and their derivatives (right) over ``grid``.

    ``curves`` maps a name to ``(output, derivative)`` arrays on ``grid``. A derivative
    that jumps (ReLU's at 0) is not drawn at ``grid == 0``, so no vertical line joins
    its two sides. Returns the figure.
    """
    fig, ax_f, ax_d = _two_panels()
    for k, (name, (out, slope)) in enumerate(curves.items()):
        jump = grid == 0 if name == "relu" else np.zeros(grid.shape, dtype=bool)
        label = ACTIVATION_NAMES.get(name, name)  # the engine's key, as the prose writes it
        ax_f.plot(grid, out, **line_style(k), lw=2, label=label)
        ax_d.plot(grid, np.where(jump, np.nan, slope), **line_style(k), lw=2, label=label)
    ax_f.set(title=r"activation $f(\mathrm{net})$", xlabel=_NET, ylim=(-1.2, 3))
    ax_d.set(title=r"derivative $f'(\mathrm{net})$", xlabel=_NET, ylim=(-0.05, 1.1))
    for ax in (ax_f, ax_d):
        ax.legend(loc="upper left")
    fig.tight_layout()
    return fig
