"""The figures of chapter 5, the backpropagation algorithm (``05_algorithm.ipynb``).

The chapter trains the networks with the engine; these functions only draw the training
errors, in the book's plot style (:mod:`backprop.diagrams.style`), so that the chapter's
cells show the training, not the plotting.
"""

from __future__ import annotations

import numpy as np

from backprop.diagrams.style import book_figure, line_style

__all__ = ["plot_training_error", "plot_update_rules"]

_ERROR = "running training error (log scale)"


@book_figure
def plot_training_error(loss, title: str, ax=None):
    """Chapter 5: the training error per epoch (log scale), one line. Returns the axes."""
    if ax is None:
        import matplotlib.pyplot as plt

        _, ax = plt.subplots(figsize=(6.4, 3.4))
    ax.semilogy(np.arange(1, len(loss) + 1), loss, **line_style(0))
    ax.set(xlabel="epoch", ylabel=_ERROR, title=title)
    return ax


@book_figure
def plot_update_rules(curves: dict, updates_per_epoch: dict):
    """Chapter 5: the error of each update rule against the epoch and the number of updates.

    ``curves`` maps a rule's name to its error per epoch, ``updates_per_epoch`` the same
    names to the weight updates each epoch makes. Returns the figure.
    """
    import matplotlib.pyplot as plt

    fig, (ax_epoch, ax_update) = plt.subplots(1, 2, figsize=(9.6, 3.5), sharey=True)
    for k, (rule, curve) in enumerate(curves.items()):
        epochs = np.arange(1, len(curve) + 1)
        ax_epoch.semilogy(epochs, curve, **line_style(k), label=rule)
        ax_update.semilogy(epochs * updates_per_epoch[rule], curve, **line_style(k), label=rule)
    ax_epoch.set(xlabel="epoch", ylabel=_ERROR)
    ax_update.set_xlabel("number of weight updates")
    ax_epoch.legend()
    return fig
