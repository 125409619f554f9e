"""Figures and tables of chapter 12, deeper networks (``12_deeper_networks.ipynb``).

The bookkeeping of the chapter's figures and tables, kept here so that the chapter shows
post 002's network and its gradient check, not the plotting. Lines take the book's
style (:mod:`backprop.diagrams.style`); the surfaces use viridis and a red-blue diverging
map, both readable with deuteranopia. The computations are in
:mod:`backprop.experiments.post002`.
"""

from __future__ import annotations

import matplotlib.pyplot as plt
import numpy as np

from backprop.diagrams.style import BLACK, book_figure, line_style
from backprop.display import Given, markdown_table, noise_text
from backprop.experiments.post002 import sweep_tail_epochs
from backprop.lecture import post002_target

__all__ = [
    "convergence_table",
    "delta_table",
    "eta_sweep_table",
    "parameter_table",
    "plot_surface",
    "plot_training_error",
    "rule_comparison_table",
    "seed_table",
]


@book_figure
def plot_training_error(run, ax=None):
    """Chapter 12: mean per-example training error of each epoch (log scale)."""
    if ax is None:
        _, ax = plt.subplots(figsize=(7.5, 3.6))
    mean_error = np.asarray(run.history.loss) / len(run.x_train)
    ax.semilogy(np.arange(1, mean_error.size + 1), mean_error, **line_style(0), lw=2)
    ax.set_xlabel("epoch")
    ax.set_ylabel(r"mean training error $\frac{1}{2}(y - \hat y)^2$")
    return ax


@book_figure
def plot_surface(net, x_train):
    """Chapter 12: the network's output over the unit square against the plane, and its miss.

    Returns the figure and the miss :math:`\\hat y - f` on the 101 x 101 grid.
    """
    g = np.linspace(0, 1, 101)
    x1, x2 = np.meshgrid(g, g)
    grid = np.column_stack([x1.ravel(), x2.ravel()])
    learned = net.predict(grid).reshape(x1.shape)
    true = post002_target(grid).reshape(x1.shape)
    miss = learned - true
    fig, (left, right) = plt.subplots(1, 2, figsize=(11, 4.4))
    levels = np.arange(10, 15.5, 0.5)
    filled = left.contourf(x1, x2, learned, levels=levels, cmap="viridis")
    left.contour(x1, x2, true, levels=levels, colors="white", linestyles="--", linewidths=1)
    fig.colorbar(filled, ax=left, label=r"network output $\hat y$")
    left.set(xlabel="$x_1$", ylabel="$x_2$",
             title="network output (colour) and the plane $2x_1 + 3x_2 + 10$ (dashed)")
    limit = np.abs(miss).max()
    image = right.pcolormesh(x1, x2, miss, cmap="RdBu_r", vmin=-limit, vmax=limit,
                             shading="auto")
    right.scatter(*x_train.T, s=10, c=BLACK)
    fig.colorbar(image, ax=right, label=r"$\hat y - f(x_1, x_2)$")
    # the dots named in the title: a legend inside the square would sit among them
    right.set(xlabel="$x_1$", ylabel="$x_2$",
              title="error of the network (black dots: training inputs)")
    for ax in (left, right):
        ax.set_aspect("equal")
        ax.grid(False)  # a grid would cross the colour maps
    fig.tight_layout()
    return fig, miss


def parameter_table(start, net):
    """Chapter 12: every parameter in post 002's names, at the start and after training.

    The start is given (:class:`~backprop.display.Given`: the zero biases read 0, as in
    the chapter's network diagram, and a drawn weight its four places); the trained
    values carry four places.
    """
    rows = []
    for layer in (1, 2, 3):
        w0, w1 = start.weights[layer - 1], net.weights[layer - 1]
        for j, i in np.ndindex(w1.shape):
            rows.append([f"$w^{{({layer})}}_{{{j + 1}{i + 1}}}$", Given(w0[j, i]), w1[j, i]])
        for j in range(w1.shape[0]):
            rows.append([f"$b^{{({layer})}}_{{{j + 1}}}$", Given(start.biases[layer - 1][j]),
                         net.biases[layer - 1][j]])
    return markdown_table(["parameter", "start", "after training"], rows, decimals=4)


def rule_comparison_table(comparison):
    """Chapter 12: the gradient check of :func:`post002_rule_comparison`, one row a parameter."""
    return markdown_table(
        ["parameter", "printed rule", "engine (backprop)", "numerical",
         "relative error of the printed rule", "verdict"],
        [[f"${row.name}$", row.printed, row.correct, row.numerical,
          noise_text(row.relative_error), row.verdict] for row in comparison],
        decimals=6)


def delta_table(deltas):
    """Chapter 12: post 002's printed error terms against the correct ones."""
    return markdown_table(["error term (post 002's sign)", "printed", "correct (engine)"],
                          [[f"${name}$", printed, correct] for name, printed, correct in deltas],
                          decimals=6)


def seed_table(held_out, seeds):
    """Chapter 12: the held-out MSE of both rules after the same run, one row per seed.

    ``held_out[seed, rule]`` for ``rule`` in ``"engine"``, ``"printed"``; five places.
    """
    return markdown_table(
        ["seed", "held-out MSE, correct backpropagation", "held-out MSE, post 002's printed rules"],
        [[int(seed), held_out[seed, "engine"], held_out[seed, "printed"]] for seed in seeds],
        decimals=5)


def convergence_table(runs):
    """Chapter 12: both rules trained to convergence, one row per seed and rule.

    ``runs`` are :class:`~backprop.experiments.post002.ConvergedRun`; the fitted plane is
    printed with two decimals, the held-out error in scientific notation (it spans five
    orders of magnitude) and the distance with three decimals.
    """
    names = {"engine": "correct backpropagation", "printed": "post 002's printed rules"}
    rows = []
    for c in runs:
        a1, a2, b = c.plane
        plane = f"${a1:.2f}\\,x_1 + {a2:.2f}\\,x_2 + {b:.2f}$".replace("+ -", "- ")
        rows.append([str(c.seed), names[c.rule], str(c.epochs), f"{c.run.test_mse:.2e}", plane,
                     f"{c.plane_rms:.3f}"])
    return markdown_table(["seed", "rule", "epochs to convergence", "held-out MSE",
                           "plane fitted to the output", "RMS distance from the true plane"], rows)


def eta_sweep_table(sweep, epochs: int):
    """Chapter 12: the learning-rate sweep of :func:`~backprop.experiments.post002_eta_sweep`.

    The rates as given (0.1, 1: a learning rate is a given number, never padded, the
    book's one rule), the errors with six decimals, the header naming the epochs averaged
    as the sweep averages them.
    """
    header = (f"mean training error over the last {sweep_tail_epochs(epochs)} of {epochs} "
              "epochs")
    return markdown_table([r"$\eta$", header],
                          [[Given(eta), error] for eta, error in sweep], decimals=6)
