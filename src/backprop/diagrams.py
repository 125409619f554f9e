"""Textbook diagrams for the backpropagation course.

Everything here is drawn with matplotlib only.  Importing this module has no
side effects: :mod:`matplotlib.pyplot` is imported inside the functions that
need a new figure, and nothing ever calls ``plt.show``.

Convention (used throughout the course)
---------------------------------------
``w_ji`` is the weight from unit ``i`` *into* unit ``j``.  Layer ``l`` therefore
has a weight matrix of shape ``(n_out, n_in)`` where ``W[j, i]`` connects input
unit ``i`` of that layer to unit ``j``, and a bias vector of shape ``(n_out,)``.
Units are numbered like the lecture: consecutively across the layers starting
at 1, so a 3-2-1 network has input units 1, 2, 3, hidden units 4, 5 and output
unit 6.  Layers are numbered from 1 in messages (``weights[0]`` is layer 1).

Contents
--------
NetworkDiagram
    A fully connected feed-forward network with every weight, bias and
    (optionally) input, output ``o_j`` and error term ``delta_j`` printed on it,
    updatable in place for interactive widgets.  Used in chapter 7 (Figure 3,
    the 3-2-1 worked example).
draw_network
    Convenience wrapper returning a :class:`NetworkDiagram`.
draw_two_phase_flow
    The forward/backward information flow.  Used in chapter 2 (Figure 1).
draw_training_cycle
    The four-step training cycle.  Used in chapter 6 (Figure 2).
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import Any

import numpy as np

from backprop.validation import as_array, check_finite, check_parameters

__all__ = [
    "NetworkDiagram",
    "draw_network",
    "draw_two_phase_flow",
    "draw_training_cycle",
]

# --------------------------------------------------------------------------- #
# Style
# --------------------------------------------------------------------------- #
MINUS = "\N{MINUS SIGN}"

_POS_EDGE = "#2b6cb0"  # blue: positive weight
_NEG_EDGE = "#c53030"  # red: negative weight
_ZERO_EDGE = "#9aa5b1"  # grey: exactly zero
_POS_TEXT = "#1a4a80"
_NEG_TEXT = "#9b1c1c"
_ZERO_TEXT = "#4a5560"
_INK = "#1f2933"
_MUTED = "#52606d"
_DELTA = "#6b3fa0"

_LAYER_FILL = {"input": "#e3edf7", "hidden": "#fdf1dc", "output": "#e2f2e5"}
_LAYER_EDGE = {"input": "#4a6f95", "hidden": "#a6742a", "output": "#3d7a4a"}

# White, borderless backdrop for bias/delta texts so edges passing behind them stay
# readable without hiding the text.
_SOFT_BOX = {"boxstyle": "round,pad=0.12", "facecolor": "white", "edgecolor": "none",
             "alpha": 0.85}

# Geometry of the network diagram, in data units (the axes use equal aspect).
_DX = 3.7  # horizontal distance between layers
_DY = 1.8  # vertical distance between units of one layer
_R = 0.44  # node radius
_INCH_PER_UNIT = 0.68  # figure size scale when the diagram creates its own figure

# Edge widths: _W_MIN + _W_SPAN * min(|w| / reference, 1).
_W_MIN = 0.7
_W_SPAN = 2.6


def _new_axes(ax, figsize, top_inches=0.0):
    """Return ``(fig, ax)``; create a new figure only when ``ax`` is None.

    A new figure gets an axes filling it (minus ``top_inches`` for a title):
    the diagrams set their own data limits and margins.
    """
    if ax is None:
        import matplotlib.pyplot as plt

        fig, ax = plt.subplots(figsize=figsize)
        top = 1.0 - top_inches / figsize[1]
        fig.subplots_adjust(left=0.0, right=1.0, bottom=0.0, top=top)
        return fig, ax
    return ax.figure, ax


# --------------------------------------------------------------------------- #
# Validation helpers
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
    return arr


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


def _plain_subscript(label: str) -> bool:
    """True if ``label`` can be used verbatim as a mathtext subscript."""
    return 0 < len(label) <= 4 and all(c.isalnum() for c in label)


# --------------------------------------------------------------------------- #
# Network diagram
# --------------------------------------------------------------------------- #
class NetworkDiagram:
    r"""A fully connected feed-forward network drawn left to right.

    Every edge carries its weight, every non-input unit its bias, and the
    optional unit values (inputs ``x_i``, outputs ``o_j``, error terms
    ``delta_j``) are printed on and under the nodes.  After construction the
    diagram can be changed cheaply with :meth:`update`, which only edits the
    text and colour of the artists created here (no new artists, no clearing),
    so it is suitable for a slider widget.  Used in chapter 7 (Figure 3, the
    3-2-1 worked example) and in the interactive widgets of later chapters.

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
        Number of decimals printed for every value.
    ax : matplotlib.axes.Axes, optional
        Axes to draw on.  If None a new figure is created whose size scales
        with the number of layers and the widest layer.
    title : str, optional
        Axes title.

    Attributes
    ----------
    fig, ax : Figure, Axes
        Where the diagram is drawn.
    layer_sizes : tuple of int
        ``(n_inputs, n_1, ..., n_L)``.
    unit_numbers : list of list of int
        Lecture unit numbers, one list per layer including the input layer.
    nodes : list of list of matplotlib.patches.Circle
        ``nodes[k][u]`` is unit ``u`` of layer ``k`` (``k = 0`` is the input layer).
    node_labels, value_labels : list of list of matplotlib.text.Text
        Label (unit name) and value (input or ``o_j``) text inside each node,
        indexed like ``nodes``.
    edge_lines : list of list of list of matplotlib.lines.Line2D
        ``edge_lines[l][j][i]`` is the edge of ``weights[l][j, i]``.
    edge_labels : list of list of list of matplotlib.text.Text
        ``edge_labels[l][j][i]`` prints ``weights[l][j, i]``.
    bias_labels, delta_labels : list of list of matplotlib.text.Text
        ``bias_labels[l][j]`` / ``delta_labels[l][j]`` print ``biases[l][j]``
        and ``deltas[l][j]`` (empty text when no deltas were given).
    edge_fractions : list of ndarray
        ``edge_fractions[l][j, i]``: where along its edge (0 = source, 1 =
        target) the label of ``weights[l][j, i]`` sits.  Chosen once from the
        architecture so that labels neither overlap each other, the nodes or
        the bias/delta texts, nor sit on other edges.

    Notes
    -----
    Edge colour encodes the sign of the weight (blue positive, red negative,
    grey zero) and the line width its magnitude relative to the largest
    ``|w|`` at construction time (widths saturate above that reference, so a
    slider moving one weight changes only that edge).

    Typical use with the engine: ``trace = net.forward(x)``,
    ``grads = net.backward(trace, t)``, then
    ``NetworkDiagram.from_network(net, inputs=x, outputs=trace.outputs,
    deltas=grads.deltas, decimals=4)``.

    :meth:`update` does not redraw the canvas.  With an interactive backend
    call ``diagram.fig.canvas.draw_idle()`` afterwards; with the inline
    backend display ``diagram.fig`` again.

    Examples
    --------
    The 3-2-1 network of the lecture (Figure 3):

    >>> d = NetworkDiagram(
    ...     [[[0.2, 0.4, -0.5], [-0.3, 0.1, 0.2]], [[-0.3, -0.2]]],
    ...     [[-0.4, 0.2], [0.1]],
    ...     inputs=[1, 0, 1],
    ... )
    >>> d.edge_labels[0][0][2].get_text()  # w_{4,3}
    '−0.500'
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
        self.layer_sizes: tuple[int, ...] = (ws[0].shape[1],) + tuple(w.shape[0] for w in ws)
        self.n_layers = len(ws)

        # Lecture numbering: consecutive across layers, starting at 1.
        self.unit_numbers: list[list[int]] = []
        start = 1
        for n in self.layer_sizes:
            self.unit_numbers.append(list(range(start, start + n)))
            start += n

        self._labels = self._resolve_labels(unit_labels)
        # Subscripts of b_j and delta_j: a plain custom label ("h") is used as is,
        # anything else (mathtext, special characters) falls back to the unit number.
        self._subscripts = [
            [
                label if unit_labels is not None and _plain_subscript(label) else str(num)
                for label, num in zip(labels, nums, strict=True)
            ]
            for labels, nums in zip(self._labels, self.unit_numbers, strict=True)
        ]
        x_in = None if inputs is None else self._check_inputs(inputs)
        o = None if outputs is None else self._check_outputs(outputs, "outputs")
        d = None if deltas is None else self._check_outputs(deltas, "deltas")

        self._weights = [w.copy() for w in ws]
        self._biases = [b.copy() for b in bs]
        self._inputs = x_in
        self._outputs = o
        self._deltas = d
        max_abs = max(float(np.max(np.abs(w))) for w in ws)
        self.weight_reference = max_abs if max_abs > 0 else 1.0

        self._positions = self._layout()
        figsize = self._default_figsize()
        if title is not None:
            figsize = (figsize[0], figsize[1] + 0.35)
        self.fig, self.ax = _new_axes(ax, figsize, 0.35 if title is not None else 0.0)
        self._draw(title)
        self._apply_all()

    # ----------------------------------------------------------------- API
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
        """Format a number with ``decimals`` decimals and a typographic minus."""
        text = f"{float(value):.{self.decimals}f}"
        if float(text) == 0.0:  # no "-0.000"
            text = text.lstrip("-")
        return text.replace("-", MINUS)

    def update(
        self,
        weights: Sequence[Any] | None = None,
        biases: Sequence[Any] | None = None,
        inputs: Any = None,
        outputs: Sequence[Any] | None = None,
        deltas: Sequence[Any] | None = None,
    ) -> NetworkDiagram:
        """Change the printed values in place; ``None`` leaves a quantity unchanged.

        Shapes are validated against the architecture the diagram was built
        with; a mismatch raises ``ValueError`` naming the layer and both
        shapes.  Only existing artists are modified (texts, colours, widths),
        nothing is added to or removed from the axes.  The canvas is not
        redrawn (see the class notes).

        Returns
        -------
        NetworkDiagram
            ``self``, for chaining.
        """
        new_w = None if weights is None else self._check_weights(weights)
        new_b = None if biases is None else self._check_biases(biases)
        new_x = None if inputs is None else self._check_inputs(inputs)
        new_o = None if outputs is None else self._check_outputs(outputs, "outputs")
        new_d = None if deltas is None else self._check_outputs(deltas, "deltas")
        # All validated: now commit (so a bad argument leaves the diagram untouched).
        if new_w is not None:
            self._weights = new_w
            self._apply_weights()
        if new_b is not None:
            self._biases = new_b
            self._apply_biases()
        if new_x is not None:
            self._inputs = new_x
            self._apply_inputs()
        if new_o is not None:
            self._outputs = new_o
            self._apply_outputs()
        if new_d is not None:
            self._deltas = new_d
            self._apply_deltas()
        return self

    @property
    def weights(self) -> list[np.ndarray]:
        """Copies of the weight matrices currently shown."""
        return [w.copy() for w in self._weights]

    @property
    def biases(self) -> list[np.ndarray]:
        """Copies of the bias vectors currently shown."""
        return [b.copy() for b in self._biases]

    # ---------------------------------------------------------- validation
    def _check_weights(self, weights: Sequence[Any]) -> list[np.ndarray]:
        if isinstance(weights, np.ndarray):
            raise ValueError("weights must be a list with one matrix per layer")
        weights = list(weights)
        if len(weights) != self.n_layers:
            raise ValueError(
                f"weights must contain one matrix per layer: expected {self.n_layers}, "
                f"got {len(weights)}"
            )
        out = []
        for idx, w in enumerate(weights):
            name = f"weights[{idx}] (layer {idx + 1})"
            arr = as_array(w, name)
            expected = (self.layer_sizes[idx + 1], self.layer_sizes[idx])
            if arr.shape != expected:
                raise ValueError(
                    f"layer {idx + 1}: weights[{idx}] must have shape {expected} "
                    f"(n_out, n_in), got shape {arr.shape}"
                )
            check_finite(arr, name)
            out.append(arr.copy())
        return out

    def _check_biases(self, biases: Sequence[Any]) -> list[np.ndarray]:
        if isinstance(biases, np.ndarray) and biases.dtype != object:
            raise ValueError("biases must be a list with one vector per layer")
        biases = list(biases)
        if len(biases) != self.n_layers:
            raise ValueError(
                f"biases must contain one vector per layer: expected {self.n_layers}, "
                f"got {len(biases)}"
            )
        return [
            _validate_vector(b, self.layer_sizes[idx + 1], f"layer {idx + 1}: biases[{idx}]").copy()
            for idx, b in enumerate(biases)
        ]

    def _check_inputs(self, inputs: Any) -> np.ndarray:
        return _validate_vector(inputs, self.layer_sizes[0], "inputs").copy()

    def _check_outputs(self, values: Sequence[Any], name: str) -> list[np.ndarray]:
        return [v.copy() for v in _validate_per_layer(values, self.layer_sizes[1:], name)]

    def _resolve_labels(self, unit_labels: Sequence[Sequence[str]] | None) -> list[list[str]]:
        if unit_labels is None:
            labels = [[rf"$x_{{{k}}}$" for k in self.unit_numbers[0]]]
            labels += [[str(k) for k in nums] for nums in self.unit_numbers[1:]]
            return labels
        unit_labels = list(unit_labels)
        if len(unit_labels) != len(self.layer_sizes):
            raise ValueError(
                "unit_labels must contain one list per layer including the input layer: "
                f"expected {len(self.layer_sizes)}, got {len(unit_labels)}"
            )
        out = []
        for k, (labels, n) in enumerate(zip(unit_labels, self.layer_sizes, strict=True)):
            if isinstance(labels, str):
                raise ValueError(f"unit_labels[{k}] must be a list of strings, not a string")
            labels = [str(s) for s in labels]
            if len(labels) != n:
                raise ValueError(
                    f"unit_labels[{k}] must contain {n} labels (layer {k} has {n} units), "
                    f"got {len(labels)}"
                )
            out.append(labels)
        return out

    # -------------------------------------------------------------- layout
    def _layout(self) -> list[list[tuple[float, float]]]:
        positions = []
        for k, n in enumerate(self.layer_sizes):
            x = k * _DX
            positions.append([(x, ((n - 1) / 2 - u) * _DY) for u in range(n)])
        return positions

    def _extent(self) -> tuple[float, float, float, float]:
        half = (max(self.layer_sizes) - 1) / 2 * _DY
        x0, x1 = -_R - 0.75, self.n_layers * _DX + _R + 0.75
        y0 = -half - _R - 1.15  # room for delta labels and layer captions
        y1 = half + _R + 0.55  # room for bias labels
        return x0, x1, y0, y1

    def _default_figsize(self) -> tuple[float, float]:
        x0, x1, y0, y1 = self._extent()
        return ((x1 - x0) * _INCH_PER_UNIT, (y1 - y0) * _INCH_PER_UNIT)

    def _points_per_unit(self) -> float:
        """Typographic points per data unit of the (equal-aspect) axes."""
        x0, x1, y0, y1 = self._extent()
        fig_w, fig_h = self.fig.get_size_inches()
        pos = self.ax.get_position()
        w_in, h_in = pos.width * fig_w, pos.height * fig_h
        if w_in <= 0 or h_in <= 0:
            return 72.0 * _INCH_PER_UNIT
        return 72.0 * min(w_in / (x1 - x0), h_in / (y1 - y0))

    def _label_half_size(self, n_chars: int, fontsize: float, ppu: float) -> tuple[float, float]:
        """Approximate half width/height (data units) of a boxed numeric label."""
        pad = 2 * 0.2 * fontsize
        width = 0.64 * fontsize * n_chars + pad
        height = 1.2 * fontsize + pad
        return width / 2 / ppu, height / 2 / ppu

    def _place_edge_labels(self) -> list[np.ndarray]:
        """Choose, per layer, where along each edge its weight label sits.

        Returns one array per layer of shape ``(n_out, n_in)`` with fractions
        in ``[0, 1]`` (0 = source unit, 1 = target unit).  The choice depends
        only on the architecture, so it is made once at construction.
        """
        ppu = self._points_per_unit()
        n_chars = max(
            len(self.format_value(v)) for w in self._weights for v in w.ravel()
        )
        n_chars = max(n_chars, self.decimals + 3)
        sizes = {
            "label": self._label_half_size(n_chars, 8.0, ppu),
            "text": self._label_half_size(n_chars + 5, 8.0, ppu),  # bias / delta texts
            "gap": 2.5 / ppu,  # minimum clearance between label boxes
            "air": 9.0 / ppu,  # preferred clearance (soft)
        }
        return [self._place_layer_labels(idx, sizes) for idx in range(self.n_layers)]

    def _place_layer_labels(self, idx: int, sizes: dict[str, Any]) -> np.ndarray:
        """Coordinate descent over candidate fractions for the edges of one layer.

        The cost penalises label/label overlap, labels on nodes or on the bias
        and delta texts, and labels sitting on top of *other* edges (which
        would make it ambiguous which edge a label belongs to), with a weak
        preference for the middle of the edge.
        """
        hw, hh = sizes["label"]
        tw, th = sizes["text"]
        gap, air = sizes["gap"], sizes["air"]
        n_out, n_in = self.layer_sizes[idx + 1], self.layer_sizes[idx]
        src = np.array(self._positions[idx])
        dst = np.array(self._positions[idx + 1])
        jj, ii = np.divmod(np.arange(n_out * n_in), n_in)  # edge e = (j, i), row-major
        a, b = src[ii], dst[jj]  # (E, 2) segment ends
        d = b - a
        length = np.hypot(d[:, 0], d[:, 1])
        normal = np.stack([-d[:, 1], d[:, 0]], axis=1) / length[:, None]
        reach = hw * np.abs(normal[:, 0]) + hh * np.abs(normal[:, 1])
        # Fixed obstacles (centre x, centre y, half width, half height): nodes as
        # squares, bias texts above and delta texts below the target units.
        obstacles = [(x, y, _R, _R) for x, y in np.concatenate([src, dst])]
        obstacles += [(x, y + _R + 0.09 + th, tw, th) for x, y in dst]
        obstacles += [(x, y - _R - 0.09 - th, tw, th) for x, y in dst]
        obst = np.array(obstacles)

        cand = np.linspace(0.16, 0.74, 30)
        n_edges = n_out * n_in
        chosen = 0.3 + 0.3 * (ii / (n_in - 1) if n_in > 1 else np.full(n_edges, 0.5))

        def box_overlap(p, centres, half_w, half_h, clearance):
            ox = np.maximum(0.0, half_w + hw + clearance - np.abs(centres[..., 0] - p[:, None, 0]))
            oy = np.maximum(0.0, half_h + hh + clearance - np.abs(centres[..., 1] - p[:, None, 1]))
            return np.sum(ox * oy, axis=1)

        for _ in range(6):
            changed = False
            for e in range(n_edges):
                p = a[e] + cand[:, None] * d[e]  # (C, 2) candidate centres
                cost = 0.3 * (cand - 0.42) ** 2
                cost = cost + 100.0 * box_overlap(p, obst[:, :2], obst[:, 2], obst[:, 3], gap)
                others = np.arange(n_edges) != e
                q = a[others] + chosen[others, None] * d[others]
                cost = cost + 200.0 * box_overlap(p, q, hw, hh, gap)
                cost = cost + 10.0 * box_overlap(p, q, hw, hh, air)
                rel = p[:, None, :] - a[others]  # (C, E-1, 2)
                dist = np.abs(np.sum(rel * normal[others], axis=2))
                along = np.sum(rel * d[others], axis=2) / length[others] ** 2
                inside = (along > 0.0) & (along < 1.0)
                for clearance, weight in ((gap, 4.0), (air, 1.0)):
                    over = np.maximum(0.0, reach[e] + clearance - dist) * inside
                    cost = cost + weight * np.sum(over, axis=1)
                best = float(cand[int(np.argmin(cost))])
                if best != chosen[e]:
                    chosen[e], changed = best, True
            if not changed:
                break
        return chosen.reshape(n_out, n_in)

    # ------------------------------------------------------------- drawing
    def _layer_kind(self, k: int) -> str:
        if k == 0:
            return "input"
        return "output" if k == self.n_layers else "hidden"

    def _draw(self, title: str | None) -> None:
        from matplotlib.lines import Line2D
        from matplotlib.patches import Circle

        ax = self.ax
        ax.set_aspect("equal")
        ax.set_axis_off()
        x0, x1, y0, y1 = self._extent()
        ax.set_xlim(x0, x1)
        ax.set_ylim(y0, y1)
        if title is not None:
            ax.set_title(title, fontsize=12, color=_INK, pad=4)

        fractions = self._place_edge_labels()
        self.edge_fractions = fractions
        self.edge_lines: list[list[list[Any]]] = []
        self.edge_labels: list[list[list[Any]]] = []
        for idx in range(self.n_layers):
            n_out, n_in = self.layer_sizes[idx + 1], self.layer_sizes[idx]
            src, dst = self._positions[idx], self._positions[idx + 1]
            lines_l, labels_l = [], []
            for j in range(n_out):
                lines_j, labels_j = [], []
                for i in range(n_in):
                    (xs, ys), (xt, yt) = src[i], dst[j]
                    line = Line2D(
                        [xs, xt], [ys, yt], solid_capstyle="round", zorder=1, alpha=0.9
                    )
                    ax.add_line(line)
                    t = float(fractions[idx][j, i])
                    label = ax.text(
                        xs + t * (xt - xs),
                        ys + t * (yt - ys),
                        "",
                        ha="center",
                        va="center",
                        fontsize=8,
                        zorder=3,
                        bbox={
                            "boxstyle": "round,pad=0.2,rounding_size=0.35",
                            "facecolor": "white",
                            "linewidth": 0.6,
                            "alpha": 0.95,
                        },
                    )
                    lines_j.append(line)
                    labels_j.append(label)
                lines_l.append(lines_j)
                labels_l.append(labels_j)
            self.edge_lines.append(lines_l)
            self.edge_labels.append(labels_l)

        self.nodes: list[list[Any]] = []
        self.node_labels: list[list[Any]] = []
        self.value_labels: list[list[Any]] = []
        for k, layer in enumerate(self._positions):
            kind = self._layer_kind(k)
            nodes_k, labels_k, values_k = [], [], []
            for u, (x, y) in enumerate(layer):
                circle = Circle(
                    (x, y),
                    _R,
                    facecolor=_LAYER_FILL[kind],
                    edgecolor=_LAYER_EDGE[kind],
                    linewidth=1.4,
                    zorder=4,
                )
                ax.add_patch(circle)
                label = ax.text(
                    x, y, self._labels[k][u], ha="center", va="center",
                    fontsize=12, color=_INK, zorder=5,
                )
                value = ax.text(
                    x, y - 0.19, "", ha="center", va="center",
                    fontsize=7.5, color=_INK, zorder=5,
                )
                nodes_k.append(circle)
                labels_k.append(label)
                values_k.append(value)
            self.nodes.append(nodes_k)
            self.node_labels.append(labels_k)
            self.value_labels.append(values_k)

        self.bias_labels: list[list[Any]] = []
        self.delta_labels: list[list[Any]] = []
        for k in range(1, len(self.layer_sizes)):
            biases_k, deltas_k = [], []
            for x, y in self._positions[k]:
                biases_k.append(
                    ax.text(
                        x, y + _R + 0.09, "", ha="center", va="bottom",
                        fontsize=8, color=_MUTED, zorder=3, bbox=_SOFT_BOX,
                    )
                )
                deltas_k.append(
                    ax.text(
                        x, y - _R - 0.09, "", ha="center", va="top",
                        fontsize=8, color=_DELTA, zorder=3, bbox=_SOFT_BOX,
                    )
                )
            self.bias_labels.append(biases_k)
            self.delta_labels.append(deltas_k)

        # Static layer captions along the bottom.
        self.layer_captions = []
        y_caption = y0 + 0.3
        n_hidden = self.n_layers - 1
        for k in range(len(self.layer_sizes)):
            kind = self._layer_kind(k)
            if kind == "hidden" and n_hidden > 1:
                name = f"hidden layer {k}"
            else:
                name = f"{kind} layer"
            self.layer_captions.append(
                ax.text(
                    k * _DX, y_caption, name, ha="center", va="center",
                    fontsize=9, color=_LAYER_EDGE[kind], style="italic",
                )
            )

    # -------------------------------------------------------- value setters
    def _apply_all(self) -> None:
        self._apply_weights()
        self._apply_biases()
        self._apply_inputs()
        self._apply_outputs()
        self._apply_deltas()

    def _apply_weights(self) -> None:
        ref = self.weight_reference
        for w, lines_l, labels_l in zip(
            self._weights, self.edge_lines, self.edge_labels, strict=True
        ):
            for j, (lines_j, labels_j) in enumerate(zip(lines_l, labels_l, strict=True)):
                for i, (line, label) in enumerate(zip(lines_j, labels_j, strict=True)):
                    value = float(w[j, i])
                    if value > 0:
                        edge, ink = _POS_EDGE, _POS_TEXT
                    elif value < 0:
                        edge, ink = _NEG_EDGE, _NEG_TEXT
                    else:
                        edge, ink = _ZERO_EDGE, _ZERO_TEXT
                    line.set_color(edge)
                    line.set_linewidth(_W_MIN + _W_SPAN * min(abs(value) / ref, 1.0))
                    label.set_text(self.format_value(value))
                    label.set_color(ink)
                    label.get_bbox_patch().set_edgecolor(edge)

    def _apply_biases(self) -> None:
        for b, nums, texts in zip(
            self._biases, self._subscripts[1:], self.bias_labels, strict=True
        ):
            for value, num, text in zip(b, nums, texts, strict=True):
                text.set_text(rf"$b_{{{num}}}$ = {self.format_value(value)}")

    def _set_node_value(self, k: int, values: np.ndarray | None) -> None:
        for u, ((x, y), label, text) in enumerate(
            zip(self._positions[k], self.node_labels[k], self.value_labels[k], strict=True)
        ):
            if values is None:
                text.set_text("")
                label.set_position((x, y))
                label.set_fontsize(12)
            else:
                text.set_text(self.format_value(values[u]))
                label.set_position((x, y + 0.11))
                label.set_fontsize(11)

    def _apply_inputs(self) -> None:
        self._set_node_value(0, self._inputs)

    def _apply_outputs(self) -> None:
        for k in range(1, len(self.layer_sizes)):
            self._set_node_value(k, None if self._outputs is None else self._outputs[k - 1])

    def _apply_deltas(self) -> None:
        for idx, (nums, texts) in enumerate(
            zip(self._subscripts[1:], self.delta_labels, strict=True)
        ):
            for u, (num, text) in enumerate(zip(nums, texts, strict=True)):
                if self._deltas is None:
                    text.set_text("")
                else:
                    value = self.format_value(self._deltas[idx][u])
                    text.set_text(rf"$\delta_{{{num}}}$ = {value}")


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
        Used in chapter 7 (Figure 3, the 3-2-1 worked example).
    """
    return NetworkDiagram(weights, biases, **kwargs)


# --------------------------------------------------------------------------- #
# Figure 1: the two phases
# --------------------------------------------------------------------------- #
def _schematic_axes(ax, xlim: tuple[float, float], ylim: tuple[float, float]):
    """Axes for a schematic figure: equal aspect, no axis, sized to its data limits."""
    fig, ax = _new_axes(
        ax, ((xlim[1] - xlim[0]) * _INCH_PER_UNIT, (ylim[1] - ylim[0]) * _INCH_PER_UNIT)
    )
    ax.set_aspect("equal")
    ax.set_axis_off()
    ax.set_xlim(*xlim)
    ax.set_ylim(*ylim)
    return fig, ax


def draw_two_phase_flow(ax: Any = None) -> Any:
    """Draw the conceptual forward/backward flow of backpropagation.

    A small schematic network (input, hidden and output layers as columns of
    circles) with a red arrow along the top, left to right, labelled
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
                ax.add_line(Line2D([xs, xt], [ys, yt], color="#b8c2cc", lw=0.9, zorder=1))
    for k, col in enumerate(cols):
        for x, y in col:
            ax.add_patch(
                Circle(
                    (x, y), r, facecolor=_LAYER_FILL[kinds[k]],
                    edgecolor=_LAYER_EDGE[kinds[k]], lw=1.4, zorder=3,
                )
            )
        ax.text(
            k * dx, -half - r - 0.22, names[k], ha="center", va="top",
            fontsize=10, color=_LAYER_EDGE[kinds[k]], style="italic",
        )

    # Inputs enter on the left, predictions leave on the right.
    small_arrow = {"arrowstyle": "-|>,head_length=0.5,head_width=0.22", "mutation_scale": 14,
                   "color": _MUTED, "lw": 1.0, "zorder": 2}
    for x, y in cols[0]:
        ax.add_patch(FancyArrowPatch((x - 0.85, y), (x - r - 0.04, y), **small_arrow))
    for x, y in cols[-1]:
        ax.add_patch(FancyArrowPatch((x + r + 0.04, y), (x + 0.85, y), **small_arrow))
    ax.text(-0.95, 0, "inputs $x$", ha="right", va="center", fontsize=10, color=_INK)
    ax.text(
        2 * dx + 0.95, 0, "predictions $o$\nvs. targets $t$", ha="left", va="center",
        fontsize=10, color=_INK, linespacing=1.5,
    )

    forward, backward = "#c0392b", "#2463a6"
    big_arrow = "simple,head_length=0.9,head_width=0.9,tail_width=0.35"
    ax.add_patch(
        FancyArrowPatch(
            (x_left, y_top), (x_right, y_top), arrowstyle=big_arrow, mutation_scale=22,
            color=forward, zorder=4, gid="forward-pass-arrow",
        )
    )
    ax.text(
        dx, y_top + 0.33, "Forward pass: functional signal", ha="center", va="bottom",
        fontsize=11.5, color=forward, fontweight="bold",
    )
    ax.add_patch(
        FancyArrowPatch(
            (x_right, y_bot), (x_left, y_bot), arrowstyle=big_arrow, mutation_scale=22,
            color=backward, zorder=4, gid="backward-pass-arrow",
        )
    )
    ax.text(
        dx, y_bot - 0.33, "Backward pass: error signal", ha="center", va="top",
        fontsize=11.5, color=backward, fontweight="bold",
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
    fills = ["#fde8e4", "#fdf1dc", "#e3edf7", "#e2f2e5"]
    edges = ["#c0392b", "#a6742a", "#2463a6", "#3d7a4a"]
    for (cx, cy), (head, body), fc, ec in zip(centres, _CYCLE_STEPS, fills, edges, strict=True):
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
            cx, cy - 0.2, body, ha="center", va="center", fontsize=11, color=_INK, zorder=4,
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
                lw=1.8, color=_MUTED, zorder=2,
            )
        )
    ax.text(
        0, 0, "repeat for each\ntraining example", ha="center", va="center",
        fontsize=10.5, color=_MUTED, style="italic", linespacing=1.5,
    )
    return fig
