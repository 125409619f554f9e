"""Figures and tables of chapter 9, practical considerations (``09_practical.ipynb``).

The bookkeeping of the chapter's figures and tables (labels, table columns), kept here
so that the chapter shows the experiments, not the plotting. Colours and line styles are
the book's (:func:`backprop.diagrams.style.line_style`: Okabe-Ito colours that stay apart
under deuteranopia, and every comparison of lines also differs in line style or marker).
The computations are in :mod:`backprop.experiments.practical`.
"""

from __future__ import annotations

import matplotlib.pyplot as plt
import numpy as np

from backprop.diagrams.style import ACTIVATION_NAMES, BLACK, DASH_DOT_DOT, book_figure, line_style
from backprop.display import Given, markdown_table
from backprop.worked import format_given

__all__ = [
    "given_eta_text",
    "hidden_units_table",
    "learning_rate_table",
    "plot_gradient_norms",
    "plot_learning_rate_curves",
    "plot_momentum",
    "plot_stopping_criteria",
    "plot_symmetry",
    "stopping_table",
]

_ERROR_MEAN = r"$\frac{1}{2m}\sum (o - t)^2$"


# Counts and given settings are shown as given ("5000", "0.05", "0.5"), measured values with
# the table's fixed decimals (the book's one rule, issue 15).


def _axes(ax, figsize):
    if ax is None:
        _, ax = plt.subplots(figsize=figsize)
    return ax


def stopping_table(runs, settings: dict):
    """Chapter 9, section 9.1: one row per stopping rule of :func:`stopping_criteria_runs`."""
    rule_text = {
        "fixed epochs": f"`epochs={settings['max_epochs']}`",
        "validation error": "`patience=1`: stop at the first rise",
        "error threshold": f"`error_threshold={settings['error_threshold']}`",
        "patience": f"`patience={settings['patience']}`",
    }
    rows = []
    for run in runs:
        h = run.history
        rows.append([run.criterion, rule_text[run.criterion], f"`{h.stopped_because}`",
                     str(h.epochs), str(h.best_epoch), h.loss[-1], h.validation_loss[-1]])
    return markdown_table(["criterion", "setting", "stopped because", "epochs run",
                           "best validation epoch so far", "training error",
                           "validation error"], rows, decimals=5)


@book_figure
def plot_stopping_criteria(runs, ax=None):
    """Chapter 9, section 9.1: training and validation error of the full run (log-log).

    The lowest validation error is marked, and a vertical line shows where each of the
    other three rules stopped.
    """
    fixed = runs[0].history
    ax = _axes(ax, (8, 4.2))
    epochs = np.arange(1, fixed.epochs + 1)
    best = fixed.best_epoch
    training, validation = line_style(0), line_style(1)
    ax.loglog(epochs, fixed.loss, **training, label="training error")
    ax.loglog(epochs, fixed.validation_loss, **validation, label="validation error")
    ax.plot(best, fixed.validation_loss[best - 1], "*", color=validation["color"], ms=15,
            mec=BLACK, label=f"lowest validation error (epoch {best})")
    # line styles that neither error curve uses ("-" and "--")
    styles = {"validation error": ":", "error threshold": "-.", "patience": DASH_DOT_DOT}
    for run in runs[1:]:  # one colour: the rules differ by line style, each named in the legend
        ax.axvline(run.history.epochs, color=BLACK, ls=styles[run.criterion],
                   lw=1.2, label=f"'{run.criterion}' stops (epoch {run.history.epochs})")
    ax.set_xlabel("epoch (log scale)")
    ax.set_ylabel(f"error {_ERROR_MEAN}")
    ax.legend(fontsize=8, loc="lower left")
    return ax


def given_eta_text(eta) -> str:
    """A learning rate written as given (0.05, 0.5, 3): exact, never padded (not 0.50).

    Chapter 9's tables, legends and prose: a learning rate is a given number, not a
    rounded result, so it carries no fixed places (the book's one rule, issue 15).
    """
    return format_given(float(eta), 6)


def learning_rate_table(curves):
    """Chapter 9, section 9.2: how each learning rate's run ended.

    The rates as given (0.5, not 0.50), the errors with four places.
    """
    return markdown_table(
        [r"$\eta$", "error in the last epoch", "epochs in which the error rose",
         "diverged at epoch"],
        [[Given(c.eta), c.final_loss, c.n_increases,
          c.diverged_at_epoch if c.diverged else "no"]
         for c in curves], decimals=4)


@book_figure
def plot_learning_rate_curves(curves, ax=None, mark_divergence: bool = True):
    """Chapter 9, section 9.2: training error per epoch for up to four learning rates."""
    ax = _axes(ax, (8, 4.2))
    for k, curve in enumerate(curves):
        epochs = np.arange(1, curve.loss.size + 1)
        label = rf"$\eta$ = {given_eta_text(curve.eta)}"
        if curve.diverged and mark_divergence:
            label += f" (diverged at epoch {curve.diverged_at_epoch})"
            ax.plot(epochs[-1], curve.loss[-1], "x", color=line_style(k)["color"], ms=10,
                    mew=2)
        ax.semilogy(epochs, curve.loss, **line_style(k), label=label)
    # down to the power of ten below the lowest error, so that the lowest curve ends above
    # a labelled tick and its last values can be read off the axis
    shown = [c.loss[np.isfinite(c.loss) & (c.loss > 0)] for c in curves]
    lowest = min(float(loss.min()) for loss in shown if loss.size)
    ax.set_ylim(bottom=10.0 ** np.floor(np.log10(lowest)))
    ax.set_xlabel("epoch")
    ax.set_ylabel(f"training error {_ERROR_MEAN}")
    ax.legend(fontsize=9)
    return ax


@book_figure
def plot_symmetry(symmetric, random):
    """Chapter 9, section 9.3: spread of the hidden units and training error, both starts."""
    fig, (left, right) = plt.subplots(1, 2, figsize=(10, 3.8))
    for run, style in ((symmetric, line_style(1)), (random, line_style(0))):
        left.plot(np.arange(run.spread.size), run.spread, **style, lw=2, label=run.label)
        right.semilogy(np.arange(1, run.loss.size + 1), run.loss, **style, lw=2,
                       label=run.label)
    left.set(xlabel="epoch", ylabel="largest difference between hidden units",
             title="How different are the hidden units?")
    right.set(xlabel="epoch", ylabel=r"training error $\frac{1}{2}\sum (t - o)^2$",
              title="Training error on XOR")
    left.legend()
    right.legend()
    fig.tight_layout()
    return fig


def hidden_units_table(net):
    """Chapter 9, section 9.3: each hidden unit's weights, bias and outgoing weight."""
    rows = [[f"hidden unit {h + 1}", *net.weights[0][h], net.biases[0][h], net.weights[1][0, h]]
            for h in range(net.weights[0].shape[0])]
    return markdown_table(["", r"$w_{h,x_1}$", r"$w_{h,x_2}$", r"$b_h$", r"$w_{o,h}$"], rows,
                          decimals=6)


# The initialisation schemes as the prose names them (after Xavier Glorot and Kaiming He:
# a legend's "he" reads as the pronoun)
SCHEME_NAMES = {"xavier": "Xavier", "he": "He"}


@book_figure
def plot_gradient_norms(norms: dict, ax=None):
    """Chapter 9, section 9.4: gradient norm per layer for each activation (log scale)."""
    ax = _axes(ax, (8, 4.2))
    for k, (act, result) in enumerate(norms.items()):
        ax.semilogy(result.layers, result.norms, **line_style(k, marker=True),
                    label=f"{ACTIVATION_NAMES.get(act, act)} "
                          f"({SCHEME_NAMES.get(result.scheme, result.scheme)} "
                          "initialisation)")
    first = next(iter(norms.values()))
    ax.set_xticks(first.layers)
    ax.set_xlabel(f"layer (1 = next to the inputs, {first.layers[-1]} = linear output)")
    ax.set_ylabel(r"$\|\partial L / \partial W\|$")
    ax.legend()
    return ax


@book_figure
def plot_momentum(curves, ax=None):
    """Chapter 9, momentum: training error per epoch for each momentum."""
    ax = _axes(ax, (8, 4))
    for k, curve in enumerate(curves):
        ax.semilogy(np.arange(1, curve.loss.size + 1), curve.loss, **line_style(k), lw=2,
                    label=rf"momentum $\mu$ = {curve.momentum:g}")
    ax.set_xlabel("epoch")
    ax.set_ylabel(f"training error {_ERROR_MEAN}")
    ax.legend()
    return ax
