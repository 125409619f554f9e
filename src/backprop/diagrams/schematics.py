"""The two schematic figures: the forward and backward passes, and the training cycle.

:func:`draw_two_phase_flow` is chapter 2's Figure 1 (the functional signal forward, the
error signal backward); :func:`draw_training_cycle` is chapter 6's Figure 2 (the four
steps repeated for each training example). Both draw no numbers, only the idea, in the
colours of :mod:`backprop.diagrams.style`: the forward pass vermillion, the backward
pass blue, each also told apart by its place (top, bottom) and its label.
"""

from __future__ import annotations

import math
from typing import Any

from backprop.diagrams import style

__all__ = ["draw_training_cycle", "draw_two_phase_flow"]


# --------------------------------------------------------------------------- #
# Figure 1: the two phases
# --------------------------------------------------------------------------- #
def _schematic_axes(ax, xlim: tuple[float, float], ylim: tuple[float, float]):
    """Axes for a schematic figure: equal aspect, no axis, sized to its data limits."""
    scale = style.INCH_PER_UNIT
    fig, ax = style.new_axes(ax, ((xlim[1] - xlim[0]) * scale, (ylim[1] - ylim[0]) * scale))
    ax.set_aspect("equal")
    ax.set_axis_off()
    ax.set_xlim(*xlim)
    ax.set_ylim(*ylim)
    return fig, ax


def draw_two_phase_flow(ax: Any = None) -> Any:
    """Draw the conceptual forward/backward flow of backpropagation.

    A small schematic network (input, hidden and output layers as columns of
    circles) with a vermillion arrow along the top, left to right, labelled
    "Forward pass: functional signal", and a blue arrow along the bottom,
    right to left, labelled "Backward pass: error signal".  Used in chapter 2
    (Figure 1).

    Parameters
    ----------
    ax : matplotlib.axes.Axes, optional
        Axes to draw on; a new figure is created if None.

    Returns
    -------
    matplotlib.figure.Figure
    """
    from matplotlib.lines import Line2D
    from matplotlib.patches import Circle, FancyArrowPatch

    sizes = (3, 4, 2)
    kinds = ("input", "hidden", "output")
    names = ("Input layer", "Hidden layer", "Output layer")
    dx, dy, r = 2.6, 1.0, 0.27
    half = (max(sizes) - 1) / 2 * dy
    x_left, x_right = -0.2, 2 * dx + 0.2  # extent of the two big arrows
    y_top = half + r + 0.6
    y_bot = -half - r - 1.2
    xlim = (-2.5, 2 * dx + 2.95)
    ylim = (y_bot - 0.85, y_top + 0.85)
    fig, ax = _schematic_axes(ax, xlim, ylim)

    cols = [[(k * dx, ((n - 1) / 2 - u) * dy) for u in range(n)] for k, n in enumerate(sizes)]
    for a, b in zip(cols[:-1], cols[1:], strict=True):
        for xs, ys in a:
            for xt, yt in b:
                ax.add_line(
                    Line2D([xs, xt], [ys, yt], color=style.SCHEMATIC_EDGE, lw=0.9, zorder=1)
                )
    for k, col in enumerate(cols):
        for x, y in col:
            ax.add_patch(
                Circle(
                    (x, y), r, facecolor=style.LAYER_FILL[kinds[k]],
                    edgecolor=style.LAYER_EDGE[kinds[k]], lw=1.4, zorder=3,
                )
            )
        ax.text(
            k * dx, -half - r - 0.22, names[k], ha="center", va="top",
            fontsize=10, color=style.LAYER_EDGE[kinds[k]], style="italic",
        )

    # Inputs enter on the left, predictions leave on the right.
    small_arrow = {"arrowstyle": "-|>,head_length=0.5,head_width=0.22", "mutation_scale": 14,
                   "color": style.MUTED, "lw": 1.0, "zorder": 2}
    for x, y in cols[0]:
        ax.add_patch(FancyArrowPatch((x - 0.85, y), (x - r - 0.04, y), **small_arrow))
    for x, y in cols[-1]:
        ax.add_patch(FancyArrowPatch((x + r + 0.04, y), (x + 0.85, y), **small_arrow))
    ax.text(-0.95, 0, "inputs $x$", ha="right", va="center", fontsize=10, color=style.INK)
    ax.text(
        2 * dx + 0.95, 0, "predictions $o$\nvs. targets $t$", ha="left", va="center",
        fontsize=10, color=style.INK, linespacing=1.5,
    )

    big_arrow = "simple,head_length=0.9,head_width=0.9,tail_width=0.35"
    ax.add_patch(
        FancyArrowPatch(
            (x_left, y_top), (x_right, y_top), arrowstyle=big_arrow, mutation_scale=22,
            color=style.FORWARD, zorder=4, gid="forward-pass-arrow",
        )
    )
    ax.text(
        dx, y_top + 0.33, "Forward pass: functional signal", ha="center", va="bottom",
        fontsize=11.5, color=style.FORWARD_TEXT, fontweight="bold",
    )
    ax.add_patch(
        FancyArrowPatch(
            (x_right, y_bot), (x_left, y_bot), arrowstyle=big_arrow, mutation_scale=22,
            color=style.BACKWARD, zorder=4, gid="backward-pass-arrow",
        )
    )
    ax.text(
        dx, y_bot - 0.33, "Backward pass: error signal", ha="center", va="top",
        fontsize=11.5, color=style.BACKWARD_TEXT, fontweight="bold",
    )
    return fig


# --------------------------------------------------------------------------- #
# Figure 2: the training cycle
# --------------------------------------------------------------------------- #
_CYCLE_STEPS = (
    ("1  Forward pass", r"compute the outputs $o_j$"),
    ("2  Compute loss", r"$E = \frac{1}{2}\sum_k\,(t_k - o_k)^2$"),
    ("3  Backward pass", r"compute the error terms $\delta_j$"),
    ("4  Update weights", r"$w_{ji} \leftarrow w_{ji} + \eta\,\delta_j\,x_{ji}$"),
)


def draw_training_cycle(ax: Any = None) -> Any:
    r"""Draw the four-step training cycle repeated for each training example.

    Four boxes on a cycle, joined by arrows 1 -> 2 -> 3 -> 4 -> 1:
    1 forward pass (compute ``o_j``), 2 compute the loss
    ``E = 1/2 sum_k (t_k - o_k)^2``, 3 backward pass (compute ``delta_j``),
    4 update the weights ``w_ji <- w_ji + eta delta_j x_ji``.  Used in
    chapter 6 (Figure 2).

    Parameters
    ----------
    ax : matplotlib.axes.Axes, optional
        Axes to draw on; a new figure is created if None.

    Returns
    -------
    matplotlib.figure.Figure
    """
    from matplotlib.patches import FancyArrowPatch, FancyBboxPatch

    # Boxes at the top, right, bottom and left of an ellipse, travelled clockwise.
    rx, ry = 3.45, 2.0
    w, h = 3.5, 1.3
    xlim = (-rx - w / 2 - 0.2, rx + w / 2 + 0.2)
    ylim = (-ry - h / 2 - 0.2, ry + h / 2 + 0.2)
    fig, ax = _schematic_axes(ax, xlim, ylim)

    centres = [(0.0, ry), (rx, 0.0), (0.0, -ry), (-rx, 0.0)]
    for (cx, cy), (head, body), fc, ec in zip(
        centres, _CYCLE_STEPS, style.CYCLE_FILL, style.CYCLE_EDGE, strict=True
    ):
        ax.add_patch(
            FancyBboxPatch(
                (cx - w / 2, cy - h / 2), w, h,
                boxstyle="round,pad=0.0,rounding_size=0.2",
                facecolor=fc, edgecolor=ec, lw=1.5, zorder=3,
            )
        )
        ax.text(
            cx, cy + 0.3, head, ha="center", va="center", fontsize=11.5,
            fontweight="bold", color=ec, zorder=4,
        )
        ax.text(
            cx, cy - 0.2, body, ha="center", va="center", fontsize=11, color=style.INK, zorder=4,
        )

    # Arrows between consecutive boxes, from the side of a box facing the next one.
    def anchor(k: int, towards: int) -> tuple[float, float]:
        cx, cy = centres[k]
        tx, ty = centres[towards]
        if cy != 0.0:  # top or bottom box: its left or right side
            return (cx + math.copysign(w / 2 + 0.1, tx - cx), cy)
        return (cx, cy + math.copysign(h / 2 + 0.1, ty - cy))

    for k in range(4):
        nxt = (k + 1) % 4
        ax.add_patch(
            FancyArrowPatch(
                anchor(k, nxt), anchor(nxt, k),
                connectionstyle="arc3,rad=-0.4",
                arrowstyle="-|>,head_length=0.6,head_width=0.3", mutation_scale=18,
                lw=1.8, color=style.MUTED, zorder=2,
            )
        )
    ax.text(
        0, 0, "repeat for each\ntraining example", ha="center", va="center",
        fontsize=10.5, color=style.MUTED, style="italic", linespacing=1.5,
    )
    return fig
