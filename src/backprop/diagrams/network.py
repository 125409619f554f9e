"""The network diagram: every weight, bias, value and error term printed on the network.

:class:`NetworkDiagram` (and its shorthand :func:`draw_network`) draws a fully
connected network with the geometry of :mod:`backprop.diagrams.layout` in the style of
:mod:`backprop.diagrams.style`. Used in chapter 2 (the 3-2-1 network after one forward
and backward pass), chapter 7 (Figure 3, the worked example before and after its step),
chapter 8 (the two-node chain), chapter 10 (the 2-2-2 network), chapter 11 (post 001's
network) and chapter 12 (post 002's 2-2-2-1 network).

Numbers follow the book's rule (:mod:`backprop.worked`): the given ones (weights,
biases, inputs) are written as given when exact at ``decimals`` places (0.2, not
0.2000), the computed ones (outputs, error terms) always at ``decimals`` places.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np

from backprop.diagrams import style
from backprop.diagrams.layout import R, edge_label_fractions, network_layout
from backprop.validation import as_array, check_finite, check_parameters
from backprop.worked import format_given

__all__ = ["MINUS", "NetworkDiagram", "draw_network", "format_given_value", "format_value"]

MINUS = "\N{MINUS SIGN}"


def format_value(value: float, decimals: int) -> str:
    """``value`` with ``decimals`` decimals and a typographic minus, never ``-0.000``.

    >>> format_value(-0.5, 3)
    '−0.500'
    >>> format_value(-0.0001, 3)
    '0.000'
    """
    text = f"{float(value):.{decimals}f}"
    if float(text) == 0.0:
        text = text.lstrip("-")
    return text.replace("-", MINUS)


def format_given_value(value: float, decimals: int) -> str:
    """A given number as :func:`backprop.worked.format_given` writes it, typographic minus.

    As given when exact at ``decimals`` places, else like :func:`format_value`:

    >>> format_given_value(-0.5, 4)
    '−0.5'
    >>> format_given_value(0.19412, 4)
    '0.1941'
    """
    return format_given(float(value), decimals).replace("-", MINUS)


# --------------------------------------------------------------------------- #
# Validation
# --------------------------------------------------------------------------- #
def _validate_parameters(
    weights: Sequence[Any], biases: Sequence[Any]
) -> tuple[list[np.ndarray], list[np.ndarray]]:
    """Convert and validate a list of weight matrices and bias vectors."""
    if isinstance(weights, np.ndarray) or isinstance(biases, np.ndarray):
        raise ValueError(
            "weights and biases must be lists with one array per layer, not single arrays"
        )
    weights = list(weights)
    biases = list(biases)
    if len(weights) == 0:
        raise ValueError("weights must contain at least one layer")
    if len(weights) != len(biases):
        raise ValueError(
            f"got {len(weights)} weight matrices but {len(biases)} bias vectors; "
            "expected one bias vector per layer"
        )
    ws, bs = check_parameters(weights, biases)
    for index, w in enumerate(ws):
        if 0 in w.shape:
            raise ValueError(f"layer {index + 1}: weights[{index}] has an empty shape {w.shape}")
    return ws, bs


def _validate_vector(value: Any, n: int, name: str) -> np.ndarray:
    arr = as_array(value, name)
    if arr.shape != (n,):
        raise ValueError(f"{name} must have shape ({n},), got shape {arr.shape}")
    check_finite(arr, name)
    return arr.copy()


def _validate_per_layer(values: Any, sizes: Sequence[int], name: str) -> list[np.ndarray]:
    """Validate a list with one 1-D array per layer (``outputs`` / ``deltas``)."""
    if isinstance(values, np.ndarray) and values.dtype != object:
        raise ValueError(
            f"{name} must be a list with one array per layer ({len(sizes)} layers), "
            "not a single array"
        )
    values = list(values)
    if len(values) != len(sizes):
        raise ValueError(
            f"{name} must contain one array per layer: expected {len(sizes)}, got {len(values)}"
        )
    return [
        _validate_vector(v, n, f"layer {idx + 1}: {name}[{idx}]")
        for idx, (v, n) in enumerate(zip(values, sizes, strict=True))
    ]


# --------------------------------------------------------------------------- #
# Network diagram
# --------------------------------------------------------------------------- #
class NetworkDiagram:
    r"""A fully connected feed-forward network drawn left to right.

    Every edge carries its weight, every non-input unit its bias, and the
    optional unit values (inputs ``x_i``, outputs ``o_j``, error terms
    ``delta_j``) are printed on and under the nodes. Used in chapters 2, 7
    (Figure 3, the 3-2-1 worked example), 8, 10, 11 and 12.

    Parameters
    ----------
    weights : list of array_like, length L
        One matrix per layer.  ``weights[l]`` has shape ``(n_out, n_in)`` and
        ``weights[l][j, i]`` is ``w_ji``, the weight from input unit ``i`` of
        that layer *into* unit ``j``.  Consecutive layers must chain:
        ``weights[l].shape[1] == weights[l - 1].shape[0]``.
    biases : list of array_like, length L
        One vector per layer, ``biases[l]`` of shape ``(n_out,)``.
    inputs : array_like of shape (n_in,), optional
        Values of the input units, printed inside the input nodes.
    outputs : list of array_like, optional
        One vector per layer (like ``weights``), ``outputs[l]`` of shape
        ``(n_out,)``: the unit outputs ``o_j``, printed inside the nodes.
    deltas : list of array_like, optional
        One vector per layer, ``deltas[l]`` of shape ``(n_out,)``: the error
        terms ``delta_j``, printed under the nodes.
    unit_labels : list of list of str, optional
        One list per layer *including the input layer* (so ``L + 1`` lists)
        overriding the default labels.  Defaults follow the lecture numbering:
        ``$x_1$, $x_2$, ...`` for the input units and ``4, 5, 6, ...`` (the
        consecutive unit numbers) for the hidden and output units.  Plain
        alphanumeric custom labels (e.g. ``"h"``) also become the subscripts of
        ``b_j`` and ``delta_j``; mathtext labels keep the unit numbers there.
        The lecture examples' ``Example.unit_labels`` can be passed as is.
    decimals : int, default 3
        Places of the computed values (outputs and error terms), always printed
        with this many decimals. Weights, biases and inputs are written as given
        when they are exact at this many places (0.2, 1), else with as many
        decimals (a weight after an update step: 0.1941).
    ax : matplotlib.axes.Axes, optional
        Axes to draw on.  If None a new figure is created whose size scales
        with the number of layers and the widest layer.
    title : str, optional
        Axes title.

    Attributes
    ----------
    fig, ax : Figure, Axes
        Where the diagram is drawn.
    layout : backprop.diagrams.layout.NetworkLayout
        The geometry: unit positions, labels, extent.
    layer_sizes : tuple of int
        ``(n_inputs, n_1, ..., n_L)``.
    unit_numbers : list of list of int
        Lecture unit numbers, one list per layer including the input layer.
    weight_reference : float
        The largest ``|w|``: an edge of that weight gets the widest line.
    nodes : list of list of matplotlib.patches.Circle
        ``nodes[k][u]`` is unit ``u`` of layer ``k`` (``k = 0`` is the input layer).
    node_labels, value_labels : list of list of matplotlib.text.Text
        Label (unit name) and value (input or ``o_j``) text inside each node,
        indexed like ``nodes`` (empty value text when no value was given).
    edge_lines : list of list of list of matplotlib.lines.Line2D
        ``edge_lines[l][j][i]`` is the edge of ``weights[l][j, i]``.
    edge_labels : list of list of list of matplotlib.text.Text
        ``edge_labels[l][j][i]`` prints ``weights[l][j, i]``.
    bias_labels, delta_labels : list of list of matplotlib.text.Text
        ``bias_labels[l][j]`` / ``delta_labels[l][j]`` print ``biases[l][j]``
        and ``deltas[l][j]`` (empty text when no deltas were given).
    layer_captions : list of matplotlib.text.Text
        "input layer", "hidden layer", "output layer" along the bottom.
    edge_fractions : list of ndarray
        ``edge_fractions[l][j, i]``: where along its edge (0 = source, 1 =
        target) the label of ``weights[l][j, i]`` sits
        (:func:`~backprop.diagrams.layout.edge_label_fractions`).

    Notes
    -----
    An edge's colour and line style encode the sign of its weight (blue
    solid positive, vermillion dashed negative, grey zero; the label prints
    the sign too) and its width the magnitude relative to the largest ``|w|``.

    Typical use with the engine: ``trace = net.forward(x)``,
    ``grads = net.backward(trace, t)``, then
    ``NetworkDiagram.from_network(net, inputs=x, outputs=trace.outputs,
    deltas=grads.deltas, decimals=4)``.

    Examples
    --------
    The 3-2-1 network of the lecture (Figure 3):

    >>> d = NetworkDiagram(
    ...     [[[0.2, 0.4, -0.5], [-0.3, 0.1, 0.2]], [[-0.3, -0.2]]],
    ...     [[-0.4, 0.2], [0.1]],
    ...     inputs=[1, 0, 1],
    ... )
    >>> d.edge_labels[0][0][2].get_text()  # w_{4,3}, given
    '−0.5'
    """

    def __init__(
        self,
        weights: Sequence[Any],
        biases: Sequence[Any],
        *,
        inputs: Any = None,
        outputs: Sequence[Any] | None = None,
        deltas: Sequence[Any] | None = None,
        unit_labels: Sequence[Sequence[str]] | None = None,
        decimals: int = 3,
        ax: Any = None,
        title: str | None = None,
    ) -> None:
        ws, bs = _validate_parameters(weights, biases)
        if isinstance(decimals, bool) or not isinstance(decimals, int | np.integer):
            raise ValueError(f"decimals must be a non-negative int, got {decimals!r}")
        if decimals < 0:
            raise ValueError(f"decimals must be a non-negative int, got {decimals!r}")
        self.decimals = int(decimals)
        sizes = (ws[0].shape[1],) + tuple(w.shape[0] for w in ws)
        self.layout = network_layout(sizes, unit_labels)
        self.layer_sizes: tuple[int, ...] = self.layout.layer_sizes
        self.n_layers = len(ws)
        self.unit_numbers: list[list[int]] = self.layout.unit_numbers
        x_in = None if inputs is None else _validate_vector(inputs, sizes[0], "inputs")
        o = None if outputs is None else _validate_per_layer(outputs, sizes[1:], "outputs")
        d = None if deltas is None else _validate_per_layer(deltas, sizes[1:], "deltas")
        max_abs = max(float(np.max(np.abs(w))) for w in ws)
        self.weight_reference = max_abs if max_abs > 0 else 1.0

        self.fig, self.ax = style.new_axes(
            ax, self.layout.figure_size(title is not None),
            style.TITLE_INCHES if title is not None else 0.0,
        )
        self._draw_frame(title)
        self._draw_edges(ws)
        self._draw_nodes([x_in] + (o if o is not None else [None] * self.n_layers))
        self._draw_unit_texts(bs, d)
        self._draw_captions()

    @classmethod
    def from_network(cls, net: Any, **kwargs: Any) -> NetworkDiagram:
        """Draw any object with ``net.weights`` and ``net.biases`` lists.

        Parameters
        ----------
        net : object
            Duck-typed network: ``net.weights`` is a list of arrays of shape
            ``(n_out, n_in)`` and ``net.biases`` a list of arrays of shape
            ``(n_out,)``.
        **kwargs
            Forwarded to :class:`NetworkDiagram`.
        """
        try:
            weights = net.weights
            biases = net.biases
        except AttributeError as exc:
            raise TypeError(
                "from_network needs an object with .weights and .biases lists"
            ) from exc
        return cls(weights, biases, **kwargs)

    def format_value(self, value: float) -> str:
        """Format a computed number with ``decimals`` decimals and a typographic minus."""
        return format_value(value, self.decimals)

    def format_given(self, value: float) -> str:
        """Format a given number (weight, bias, input): as given when exact, else fixed."""
        return format_given_value(value, self.decimals)

    # ------------------------------------------------------------- drawing
    def _points_per_unit(self) -> float:
        """Typographic points per data unit of the (equal-aspect) axes."""
        fig_w, fig_h = self.fig.get_size_inches()
        pos = self.ax.get_position()
        return self.layout.points_per_unit(pos.width * fig_w, pos.height * fig_h)

    def _draw_frame(self, title: str | None) -> None:
        ax = self.ax
        ax.set_aspect("equal")
        ax.set_axis_off()
        x0, x1, y0, y1 = self.layout.extent
        ax.set_xlim(x0, x1)
        ax.set_ylim(y0, y1)
        if title is not None:
            ax.set_title(title, fontsize=style.TITLE_FONTSIZE, color=style.INK, pad=4)

    def _draw_edges(self, weights: list[np.ndarray]) -> None:
        """One line and one boxed label per weight, the label where the layout puts it."""
        from matplotlib.lines import Line2D

        # Sized as if fixed-decimal, so a figure keeps its geometry whether or not
        # its weights are exact (before and after an update step, chapter 7).
        label_chars = max(len(self.format_value(v)) for w in weights for v in w.ravel())
        label_chars = max(label_chars, self.decimals + 3)
        self.edge_fractions = edge_label_fractions(
            self.layout, label_chars, self._points_per_unit()
        )
        self.edge_lines: list[list[list[Any]]] = []
        self.edge_labels: list[list[list[Any]]] = []
        positions = self.layout.positions
        for idx, w in enumerate(weights):
            src, dst = positions[idx], positions[idx + 1]
            lines_l, labels_l = [], []
            for j, (xt, yt) in enumerate(dst):
                lines_j, labels_j = [], []
                for i, (xs, ys) in enumerate(src):
                    value = float(w[j, i])
                    edge, ink, linestyle = style.edge_style(value)
                    line = Line2D(
                        [xs, xt], [ys, yt], color=edge, linestyle=linestyle,
                        linewidth=style.edge_width(value, self.weight_reference),
                        solid_capstyle="round", zorder=1, alpha=0.9,
                    )
                    self.ax.add_line(line)
                    t = float(self.edge_fractions[idx][j, i])
                    label = self.ax.text(
                        xs + t * (xt - xs), ys + t * (yt - ys), self.format_given(value),
                        ha="center", va="center", fontsize=style.LABEL_FONTSIZE,
                        color=ink, zorder=3, bbox={**style.EDGE_LABEL_BOX, "edgecolor": edge},
                    )
                    lines_j.append(line)
                    labels_j.append(label)
                lines_l.append(lines_j)
                labels_l.append(labels_j)
            self.edge_lines.append(lines_l)
            self.edge_labels.append(labels_l)

    def _draw_nodes(self, values: list[np.ndarray | None]) -> None:
        """A circle per unit with its label, and its value under the label if given."""
        from matplotlib.patches import Circle

        layout = self.layout
        self.nodes: list[list[Any]] = []
        self.node_labels: list[list[Any]] = []
        self.value_labels: list[list[Any]] = []
        for k, layer in enumerate(layout.positions):
            kind = layout.kinds[k]
            nodes_k, labels_k, values_k = [], [], []
            for u, centre in enumerate(layer):
                circle = Circle(
                    centre, R, facecolor=style.LAYER_FILL[kind],
                    edgecolor=style.LAYER_EDGE[kind], linewidth=1.4, zorder=4,
                )
                self.ax.add_patch(circle)
                shown = values[k] is not None
                label = self.ax.text(
                    *layout.label_position(k, u, shown), layout.labels[k][u],
                    ha="center", va="center", color=style.INK, zorder=5,
                    fontsize=style.UNIT_FONTSIZE_WITH_VALUE if shown else style.UNIT_FONTSIZE,
                )
                # Inputs are given (written as given, like the chapters' tables and
                # worked solutions: 1, not 1.0000); outputs are computed (fixed places).
                text = self.format_given if k == 0 else self.format_value
                value = self.ax.text(
                    *layout.value_position(k, u),
                    text(values[k][u]) if shown else "",
                    ha="center", va="center", fontsize=style.VALUE_FONTSIZE,
                    color=style.INK, zorder=5,
                )
                nodes_k.append(circle)
                labels_k.append(label)
                values_k.append(value)
            self.nodes.append(nodes_k)
            self.node_labels.append(labels_k)
            self.value_labels.append(values_k)

    def _draw_unit_texts(self, biases: list[np.ndarray], deltas: list[np.ndarray] | None) -> None:
        """``b_j = ...`` above and ``delta_j = ...`` under every non-input unit."""
        layout = self.layout
        self.bias_labels: list[list[Any]] = []
        self.delta_labels: list[list[Any]] = []
        for k in range(1, len(layout.layer_sizes)):
            biases_k, deltas_k = [], []
            for u, sub in enumerate(layout.subscripts[k]):
                bias = rf"$b_{{{sub}}}$ = {self.format_given(biases[k - 1][u])}"
                biases_k.append(
                    self.ax.text(
                        *layout.bias_anchor(k, u), bias, ha="center", va="bottom",
                        fontsize=style.LABEL_FONTSIZE, color=style.MUTED, zorder=3,
                        bbox=style.SOFT_BOX,
                    )
                )
                delta = "" if deltas is None else (
                    rf"$\delta_{{{sub}}}$ = {self.format_value(deltas[k - 1][u])}"
                )
                deltas_k.append(
                    self.ax.text(
                        *layout.delta_anchor(k, u), delta, ha="center", va="top",
                        fontsize=style.LABEL_FONTSIZE, color=style.DELTA_TEXT, zorder=3,
                        bbox=style.SOFT_BOX,
                    )
                )
            self.bias_labels.append(biases_k)
            self.delta_labels.append(deltas_k)

    def _draw_captions(self) -> None:
        self.layer_captions = [
            self.ax.text(
                *position, name, ha="center", va="center", fontsize=style.CAPTION_FONTSIZE,
                color=style.LAYER_EDGE[kind], style="italic",
            )
            for (position, name), kind in zip(
                self.layout.captions, self.layout.kinds, strict=True
            )
        ]


def draw_network(weights: Sequence[Any], biases: Sequence[Any], **kwargs: Any) -> NetworkDiagram:
    """Draw a feed-forward network; shorthand for :class:`NetworkDiagram`.

    Parameters
    ----------
    weights : list of array_like
        ``weights[l]`` of shape ``(n_out, n_in)``; ``weights[l][j, i] = w_ji``.
    biases : list of array_like
        ``biases[l]`` of shape ``(n_out,)``.
    **kwargs
        ``inputs``, ``outputs``, ``deltas``, ``unit_labels``, ``decimals``,
        ``ax``, ``title``: see :class:`NetworkDiagram`.

    Returns
    -------
    NetworkDiagram
    """
    return NetworkDiagram(weights, biases, **kwargs)
