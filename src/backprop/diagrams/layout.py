"""Where everything of a network diagram goes: pure geometry, no matplotlib.

From the layer sizes (and optional unit labels) alone, :func:`network_layout` computes
the lecture's unit numbers and labels, the unit positions, the places of the bias,
error-term and caption texts, the diagram's extent and figure size, and
:func:`edge_label_fractions` where along each edge its weight label sits so that no two
labels overlap. :class:`~backprop.diagrams.network.NetworkDiagram` draws what this
module computes; the network figures of chapters 2, 7, 8, 10, 11 and 12 are laid out
here.

Coordinates are data units of an equal-aspect axes: layer ``k`` (``k = 0`` is the
input layer) is the column ``x = k * DX``, its units spaced ``DY`` apart and centred
on ``y = 0``, unit 0 at the top.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from backprop.diagrams.style import INCH_PER_UNIT, LABEL_FONTSIZE, LABEL_PAD, TITLE_INCHES

DX = 3.7  # horizontal distance between layers
DY = 1.8  # vertical distance between units of one layer
R = 0.44  # node radius
TEXT_GAP = 0.09  # between a node and its bias text (above) or error term (below)
LABEL_LIFT = 0.11  # a unit label moves up by this when a value is printed under it
VALUE_DROP = 0.19  # a value sits this far below the node's centre
MARGIN_X = 0.75  # beyond the outer nodes, left and right
MARGIN_TOP = 0.55  # above the top node: room for its bias text
MARGIN_BOTTOM = 1.15  # below the bottom node: room for its error term and the captions
CAPTION_RISE = 0.3  # layer captions sit this far above the bottom of the diagram
BIAS_EXTRA_CHARS = 5  # a bias or error-term text is "b_4 = " longer than a weight label


@dataclass(frozen=True)
class NetworkLayout:
    """The geometry of one network diagram (see :func:`network_layout`).

    Attributes
    ----------
    layer_sizes : tuple of int
        ``(n_inputs, n_1, ..., n_L)``.
    unit_numbers : list of list of int
        The lecture's unit numbers, consecutive across the layers from 1.
    labels : list of list of str
        The text inside each unit.
    subscripts : list of list of str
        The subscript of each unit's ``b_j`` and ``delta_j``.
    positions : list of list of (float, float)
        Centre of each unit, ``positions[k][u]``.
    extent : (float, float, float, float)
        ``(x0, x1, y0, y1)``: the data limits that hold every text.
    kinds : list of str
        ``"input"``, ``"hidden"`` or ``"output"`` per layer.
    captions : list of ((float, float), str)
        Where each layer's caption sits and what it says.
    """

    layer_sizes: tuple[int, ...]
    unit_numbers: list[list[int]]
    labels: list[list[str]]
    subscripts: list[list[str]]
    positions: list[list[tuple[float, float]]]
    extent: tuple[float, float, float, float]
    kinds: list[str]
    captions: list[tuple[tuple[float, float], str]]

    @property
    def n_layers(self) -> int:
        """Number of weight layers ``L`` (the input layer not counted)."""
        return len(self.layer_sizes) - 1

    def bias_anchor(self, k: int, u: int) -> tuple[float, float]:
        """Bottom centre of the bias text of unit ``u`` of layer ``k >= 1``."""
        x, y = self.positions[k][u]
        return x, y + R + TEXT_GAP

    def delta_anchor(self, k: int, u: int) -> tuple[float, float]:
        """Top centre of the error-term text of unit ``u`` of layer ``k >= 1``."""
        x, y = self.positions[k][u]
        return x, y - R - TEXT_GAP

    def label_position(self, k: int, u: int, with_value: bool) -> tuple[float, float]:
        """Centre of a unit's label: its node's centre, lifted when a value sits below."""
        x, y = self.positions[k][u]
        return (x, y + LABEL_LIFT) if with_value else (x, y)

    def value_position(self, k: int, u: int) -> tuple[float, float]:
        """Centre of the value (``x_i`` or ``o_j``) printed in a unit."""
        x, y = self.positions[k][u]
        return x, y - VALUE_DROP

    def figure_size(self, title: bool = False) -> tuple[float, float]:
        """Size in inches of a figure holding the diagram (and a title row)."""
        x0, x1, y0, y1 = self.extent
        height = (y1 - y0) * INCH_PER_UNIT + (TITLE_INCHES if title else 0.0)
        return (x1 - x0) * INCH_PER_UNIT, height

    def points_per_unit(self, width_inches: float, height_inches: float) -> float:
        """Typographic points per data unit in an equal-aspect axes of this size."""
        x0, x1, y0, y1 = self.extent
        if width_inches <= 0 or height_inches <= 0:
            return 72.0 * INCH_PER_UNIT
        return 72.0 * min(width_inches / (x1 - x0), height_inches / (y1 - y0))


def unit_numbers(layer_sizes: Sequence[int]) -> list[list[int]]:
    """The lecture's unit numbers: consecutive across the layers, from 1.

    >>> unit_numbers((3, 2, 1))
    [[1, 2, 3], [4, 5], [6]]
    """
    numbers, start = [], 1
    for n in layer_sizes:
        numbers.append(list(range(start, start + n)))
        start += n
    return numbers


def unit_labels(
    layer_sizes: Sequence[int], labels: Sequence[Sequence[str]] | None = None
) -> list[list[str]]:
    """The text inside each unit: ``labels`` checked, or the lecture's defaults.

    The defaults are ``$x_1$, $x_2$, ...`` for the inputs and the unit numbers for
    the other units. ``labels`` needs one list per layer, the input layer included,
    with one string per unit; otherwise ``ValueError`` says what is wrong.
    """
    if labels is None:
        numbers = unit_numbers(layer_sizes)
        return [[rf"$x_{{{k}}}$" for k in numbers[0]]] + [
            [str(k) for k in nums] for nums in numbers[1:]
        ]
    labels = list(labels)
    if len(labels) != len(layer_sizes):
        raise ValueError(
            "unit_labels must contain one list per layer including the input layer: "
            f"expected {len(layer_sizes)}, got {len(labels)}"
        )
    out = []
    for k, (layer, n) in enumerate(zip(labels, layer_sizes, strict=True)):
        if isinstance(layer, str):
            raise ValueError(f"unit_labels[{k}] must be a list of strings, not a string")
        layer = [str(s) for s in layer]
        if len(layer) != n:
            raise ValueError(
                f"unit_labels[{k}] must contain {n} labels (layer {k} has {n} units), "
                f"got {len(layer)}"
            )
        out.append(layer)
    return out


def plain_subscript(label: str) -> bool:
    """True if ``label`` can be used verbatim as a mathtext subscript (``"h"``, ``"h1"``)."""
    return 0 < len(label) <= 4 and all(c.isalnum() for c in label)


def unit_positions(layer_sizes: Sequence[int]) -> list[list[tuple[float, float]]]:
    """Centre of every unit: layer ``k`` at ``x = k * DX``, centred on ``y = 0``, top down."""
    return [
        [(k * DX, ((n - 1) / 2 - u) * DY) for u in range(n)]
        for k, n in enumerate(layer_sizes)
    ]


def extent(layer_sizes: Sequence[int]) -> tuple[float, float, float, float]:
    """``(x0, x1, y0, y1)``: the nodes plus room for every text around them."""
    half = (max(layer_sizes) - 1) / 2 * DY
    x0, x1 = -R - MARGIN_X, (len(layer_sizes) - 1) * DX + R + MARGIN_X
    return x0, x1, -half - R - MARGIN_BOTTOM, half + R + MARGIN_TOP


def layer_kind(k: int, n_layers: int) -> str:
    """``"input"`` for layer 0, ``"output"`` for layer ``n_layers``, else ``"hidden"``."""
    if k == 0:
        return "input"
    return "output" if k == n_layers else "hidden"


def layer_caption(k: int, n_layers: int) -> str:
    """"input layer", "hidden layer" (numbered when there are several), "output layer"."""
    kind = layer_kind(k, n_layers)
    if kind == "hidden" and n_layers > 2:
        return f"hidden layer {k}"
    return f"{kind} layer"


def network_layout(
    layer_sizes: Sequence[int], labels: Sequence[Sequence[str]] | None = None
) -> NetworkLayout:
    """Lay out a fully connected network with these layer sizes.

    Parameters
    ----------
    layer_sizes : sequence of int
        ``(n_inputs, n_1, ..., n_L)``, each at least 1, ``L >= 1``.
    labels : list of list of str, optional
        Custom unit labels, one list per layer including the input layer. Plain
        alphanumeric labels (``"h"``) also become the subscripts of ``b_j`` and
        ``delta_j``; other labels (mathtext) keep the unit numbers there.

    Returns
    -------
    NetworkLayout
    """
    sizes = tuple(int(n) for n in layer_sizes)
    if len(sizes) < 2 or min(sizes) < 1:
        raise ValueError(f"layer_sizes needs two or more layers of at least one unit, got {sizes}")
    numbers = unit_numbers(sizes)
    texts = unit_labels(sizes, labels)
    subscripts = [
        [label if labels is not None and plain_subscript(label) else str(num)
         for label, num in zip(layer, nums, strict=True)]
        for layer, nums in zip(texts, numbers, strict=True)
    ]
    box = extent(sizes)
    n_layers = len(sizes) - 1
    return NetworkLayout(
        layer_sizes=sizes,
        unit_numbers=numbers,
        labels=texts,
        subscripts=subscripts,
        positions=unit_positions(sizes),
        extent=box,
        kinds=[layer_kind(k, n_layers) for k in range(len(sizes))],
        captions=[((k * DX, box[2] + CAPTION_RISE), layer_caption(k, n_layers))
                  for k in range(len(sizes))],
    )


def label_half_size(n_chars: int, fontsize: float, points_per_unit: float) -> tuple[float, float]:
    """Approximate half width and half height (data units) of a boxed numeric label."""
    pad = 2 * LABEL_PAD * fontsize
    width = 0.64 * fontsize * n_chars + pad
    height = 1.2 * fontsize + pad
    return width / 2 / points_per_unit, height / 2 / points_per_unit


def edge_label_fractions(
    layout: NetworkLayout, label_chars: int, points_per_unit: float
) -> list[np.ndarray]:
    """Where along each edge its weight label sits, chosen so that labels stay apart.

    Parameters
    ----------
    layout : NetworkLayout
    label_chars : int
        Characters of the longest weight label (``"−0.500"`` has 6).
    points_per_unit : float
        Typographic points per data unit (:meth:`NetworkLayout.points_per_unit`):
        the labels' font size is fixed in points, the geometry in data units.

    Returns
    -------
    list of ndarray
        One array per layer of shape ``(n_out, n_in)``, like the weights, of
        fractions in ``[0, 1]`` (0 = source unit, 1 = target unit).
    """
    ppu = points_per_unit
    sizes = {
        "label": label_half_size(label_chars, LABEL_FONTSIZE, ppu),
        "text": label_half_size(label_chars + BIAS_EXTRA_CHARS, LABEL_FONTSIZE, ppu),
        "gap": 2.5 / ppu,  # minimum clearance between label boxes
        "air": 9.0 / ppu,  # preferred clearance (soft)
    }
    return [_place_layer_labels(layout, idx, sizes) for idx in range(layout.n_layers)]


def _place_layer_labels(layout: NetworkLayout, idx: int, sizes: dict) -> np.ndarray:
    """Coordinate descent over candidate fractions for the edges of one layer.

    The cost penalises label/label overlap, labels on nodes or on the bias
    and delta texts, and labels sitting on top of *other* edges (which
    would make it ambiguous which edge a label belongs to), with a weak
    preference for the middle of the edge.
    """
    hw, hh = sizes["label"]
    tw, th = sizes["text"]
    gap, air = sizes["gap"], sizes["air"]
    n_out, n_in = layout.layer_sizes[idx + 1], layout.layer_sizes[idx]
    src = np.array(layout.positions[idx])
    dst = np.array(layout.positions[idx + 1])
    jj, ii = np.divmod(np.arange(n_out * n_in), n_in)  # edge e = (j, i), row-major
    a, b = src[ii], dst[jj]  # (E, 2) segment ends
    d = b - a
    length = np.hypot(d[:, 0], d[:, 1])
    normal = np.stack([-d[:, 1], d[:, 0]], axis=1) / length[:, None]
    reach = hw * np.abs(normal[:, 0]) + hh * np.abs(normal[:, 1])
    # Fixed obstacles (centre x, centre y, half width, half height): nodes as
    # squares, bias texts above and delta texts below the target units.
    obstacles = [(x, y, R, R) for x, y in np.concatenate([src, dst])]
    obstacles += [(x, y + R + TEXT_GAP + th, tw, th) for x, y in dst]
    obstacles += [(x, y - R - TEXT_GAP - th, tw, th) for x, y in dst]
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
