"""How the book's figures look: the Okabe-Ito colours, font sizes, line widths and bare axes.

Used by every figure of the book: the network diagrams of chapters 2, 7, 8, 10, 11
and 12 (:mod:`backprop.diagrams.network`), the schematic figures of chapters 2 and
6 (:mod:`backprop.diagrams.schematics`), and the plots of chapters 4, 5, 9, 11 and 12
(:func:`book_style`, :func:`book_figure`, :func:`line_style`).

The colours are Okabe and Ito's colour-blind-safe palette. A colour that prints text
has a darker shade of the same hue (``*_TEXT``) where the palette's own colour has less
than 4.5:1 contrast on white (:func:`contrast_on_white`); lines and fills use the
palette's colours. Colour is never the only cue: a weight's sign is printed on its
label and negative edges are dashed, and compared lines differ in line style too.

Plots compare lines in :data:`LINE_CYCLE`'s order: Okabe-Ito colours chosen so that
every pair stays at least 25 apart (CIEDE2000) for readers with deuteranopia and
without (:mod:`backprop.diagrams.colour_vision`; the palette's orange, sky blue and
bluish green fall within 16 of one of these under deuteranopia), each with its own
line style. :func:`book_style` sets them, with the book's bare axes, for one figure.

Importing this module imports nothing from matplotlib.
"""

from __future__ import annotations

import functools
from contextlib import contextmanager

# --------------------------------------------------------------------------- #
# Okabe-Ito palette, with text shades of at least 4.5:1 contrast on white
# --------------------------------------------------------------------------- #
BLUE = "#0072B2"  # 5.2:1 on white: also a text colour
VERMILLION = "#D55E00"
VERMILLION_TEXT = "#AA4B00"
ORANGE = "#E69F00"
ORANGE_TEXT = "#8A5F00"
SKY_BLUE = "#56B4E9"
SKY_BLUE_TEXT = "#346C8C"
BLUISH_GREEN = "#009E73"
BLUISH_GREEN_TEXT = "#006F50"
REDDISH_PURPLE = "#CC79A7"
REDDISH_PURPLE_TEXT = "#8F5575"
GREY = "#999999"
GREY_TEXT = "#5C5C5C"

BLACK = "#000000"
YELLOW = "#F0E442"  # 1.3:1 on white: never a line or a text colour
OKABE_ITO = (ORANGE, SKY_BLUE, BLUISH_GREEN, YELLOW, BLUE, VERMILLION, REDDISH_PURPLE, BLACK)

INK = "#1F2933"  # near black: unit labels and values
MUTED = "#52606D"  # grey: biases, captions, small arrows

# Weights: blue positive, vermillion negative (and dashed), grey exactly zero.
POS_EDGE, POS_TEXT = BLUE, BLUE
NEG_EDGE, NEG_TEXT = VERMILLION, VERMILLION_TEXT
ZERO_EDGE, ZERO_TEXT = GREY, GREY_TEXT
NEG_LINESTYLE = (0, (3.0, 1.6))  # dashes, in multiples of the line width
DELTA_TEXT = REDDISH_PURPLE_TEXT  # error terms delta_j

# Layers: a light tint inside the node, a text shade for its border and caption.
LAYER_FILL = {"input": "#E1F2FB", "hidden": "#FAEED1", "output": "#D1EEE6"}
LAYER_EDGE = {"input": SKY_BLUE_TEXT, "hidden": ORANGE_TEXT, "output": BLUISH_GREEN_TEXT}

# Schematics: forward pass vermillion, backward pass blue (chapter 2's Figure 1 and
# chapter 6's training cycle); the lines of a schematic network light grey.
FORWARD, FORWARD_TEXT = VERMILLION, VERMILLION_TEXT
BACKWARD, BACKWARD_TEXT = BLUE, BLUE
SCHEMATIC_EDGE = "#BBBBBB"
CYCLE_FILL = ("#F7E2D1", "#FAEED1", "#D1E6F1", "#D1EEE6")  # steps 1-4
CYCLE_EDGE = (VERMILLION_TEXT, ORANGE_TEXT, BLUE, BLUISH_GREEN_TEXT)

# Computational graphs (chapter 13): inputs, parameters and constants in a light grey box;
# a value blue, its gradient vermillion; a node used twice outlined in orange, thicker.
GRAPH_LEAF_FILL = "#EEEEEE"
GRAPH_VALUE_TEXT, GRAPH_GRAD_TEXT = BLUE, VERMILLION_TEXT
GRAPH_FORK = ORANGE

# White, borderless backdrop for bias/delta texts so edges passing behind them stay
# readable without hiding the text.
SOFT_BOX = {"boxstyle": "round,pad=0.12", "facecolor": "white", "edgecolor": "none",
            "alpha": 0.85}
# The box of a weight label (its border takes the edge's colour).
EDGE_LABEL_BOX = {"boxstyle": "round,pad=0.2,rounding_size=0.35", "facecolor": "white",
                  "linewidth": 0.6, "alpha": 0.95}

# Compared lines of a plot, in order: (colour, line style). The fifth colour is the text
# shade of bluish green (the palette's own is within 16 of reddish purple under
# deuteranopia); every colour has at least 3:1 contrast on white.
DASH_DOT_DOT = (0, (6.0, 1.6, 1.2, 1.6, 1.2, 1.6))
LINE_CYCLE = ((BLUE, "-"), (VERMILLION, "--"), (REDDISH_PURPLE, "-."), (BLACK, ":"),
              (BLUISH_GREEN_TEXT, DASH_DOT_DOT))
LINE_MARKERS = ("o", "s", "^", "D", "v")  # where a line's points matter (few points)

# --------------------------------------------------------------------------- #
# Sizes
# --------------------------------------------------------------------------- #
UNIT_FONTSIZE = 12  # unit label alone in its node
UNIT_FONTSIZE_WITH_VALUE = 11  # unit label above a value
VALUE_FONTSIZE = 7.5  # x_i or o_j inside a node
LABEL_FONTSIZE = 8.0  # weights, biases, error terms
CAPTION_FONTSIZE = 9  # "input layer", ...
TITLE_FONTSIZE = 12
LABEL_PAD = 0.2  # pad of a weight label's box, in multiples of its font size
INCH_PER_UNIT = 0.68  # figure size per data unit when a diagram creates its figure
TITLE_INCHES = 0.35  # room added above a figure for its title

# Edge widths: W_MIN + W_SPAN * |w| / (largest |w|).
W_MIN = 0.7
W_SPAN = 2.6


def edge_width(value: float, reference: float) -> float:
    """Line width of an edge of weight ``value`` when the largest ``|w|`` is ``reference``."""
    return W_MIN + W_SPAN * min(abs(value) / reference, 1.0)


def edge_style(value: float) -> tuple[str, str, object]:
    """``(line colour, text colour, line style)`` of an edge of weight ``value``."""
    if value > 0:
        return POS_EDGE, POS_TEXT, "-"
    if value < 0:
        return NEG_EDGE, NEG_TEXT, NEG_LINESTYLE
    return ZERO_EDGE, ZERO_TEXT, "-"


def contrast_on_white(colour: str) -> float:
    """WCAG contrast ratio of a ``#RRGGBB`` colour on white (1 to 21; text needs 4.5)."""
    digits = colour.lstrip("#")
    if len(digits) != 6:
        raise ValueError(f"expected a colour #RRGGBB, got {colour!r}")
    channels = [int(digits[k:k + 2], 16) / 255 for k in (0, 2, 4)]
    linear = [c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    luminance = 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]
    return 1.05 / (luminance + 0.05)


def new_axes(ax, figsize, top_inches=0.0):
    """Return ``(fig, ax)``; create a new figure only when ``ax`` is None.

    A new figure gets an axes filling it (minus ``top_inches`` for a title):
    the diagrams set their own data limits and margins. :mod:`matplotlib.pyplot`
    is imported here, never on import.
    """
    if ax is None:
        import matplotlib.pyplot as plt

        fig, ax = plt.subplots(figsize=figsize)
        top = 1.0 - top_inches / figsize[1]
        fig.subplots_adjust(left=0.0, right=1.0, bottom=0.0, top=top)
        return fig, ax
    return ax.figure, ax


def line_style(k: int, marker: bool = False) -> dict:
    """Keyword arguments ``color``, ``linestyle`` (and ``marker``) of the ``k``-th compared line.

    Raises ``ValueError`` past the last entry of :data:`LINE_CYCLE`: a sixth line would
    repeat a colour, and a figure comparing that many lines needs another design.
    """
    if not 0 <= k < len(LINE_CYCLE):
        raise ValueError(f"a figure compares at most {len(LINE_CYCLE)} lines; got line {k}")
    colour, linestyle = LINE_CYCLE[k]
    kwargs = {"color": colour, "linestyle": linestyle}
    if marker:
        kwargs["marker"] = LINE_MARKERS[k]
    return kwargs


def plot_rc() -> dict:
    """The book's matplotlib settings for plots: :data:`LINE_CYCLE`, bare axes, a light grid."""
    from cycler import cycler

    return {
        "axes.prop_cycle": cycler(color=[c for c, _ in LINE_CYCLE],
                                  linestyle=[s for _, s in LINE_CYCLE]),
        "axes.spines.top": False,
        "axes.spines.right": False,
        "axes.grid": True,
        "grid.alpha": 0.3,
        "lines.linewidth": 1.8,
        "legend.frameon": False,
    }


@contextmanager
def book_style():
    """Draw the figures made inside this block in the book's plot style (:func:`plot_rc`).

    Changes matplotlib's settings only inside the block. Lines that the figure
    functions compare take :func:`line_style` explicitly too, so an axes made outside
    the block gets the same colours.
    """
    import matplotlib

    with matplotlib.rc_context(plot_rc()):
        yield


def book_figure(plot):
    """Decorate a figure function so that it draws inside :func:`book_style`."""
    @functools.wraps(plot)
    def in_book_style(*args, **kwargs):
        with book_style():
            return plot(*args, **kwargs)
    return in_book_style


#: The engine's activation keys as the prose writes them, for figure legends
#: (chapters 4 and 9).
ACTIVATION_NAMES = {"relu": "ReLU"}
