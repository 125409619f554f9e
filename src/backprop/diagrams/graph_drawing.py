"""The drawing of a computational graph in chapter 13 (``13_computational_graph.ipynb``).

:func:`draw_graph` lays out the nodes of a :class:`~backprop.graph.Value` graph, one
column per step from the inputs, and prints each node's value and gradient in it. It is
layout, not autodiff: the chapter builds and differentiates the graph itself.
"""

from __future__ import annotations

from backprop.diagrams import style
from backprop.worked import format_given, format_number

__all__ = ["draw_graph"]

COLUMN_STEP, ROW_STEP = 1.75, 1.25  # data units between columns and between rows
BOX_WIDTH, BOX_HEIGHT = 1.3, 0.95


def _columns(order):
    """Column of each node (by ``id``) and the nodes that use each node."""
    depth = {}
    for node in order:
        depth[id(node)] = 1 + max((depth[id(p)] for p in node.parents), default=-1)
    users = {}
    for node in order:
        for parent in node.parents:
            users.setdefault(id(parent), []).append(node)
    for node in order:  # an input sits in the column just before its first use
        if not node.parents:
            depth[id(node)] = min(depth[id(u)] for u in users[id(node)]) - 1
    return depth, users


def _places(order, depth):
    columns = {}
    for node in order:
        columns.setdefault(depth[id(node)], []).append(node)
    place = {}
    for d, nodes in columns.items():
        for k, node in enumerate(nodes):
            place[id(node)] = (COLUMN_STEP * d, ROW_STEP * ((len(nodes) - 1) / 2 - k))
    return place


def _title(node) -> str:
    title = f"${node.label}$" if node.label else ""
    if node.op:
        return f"{title}  [{node.op}]" if title else f"[{node.op}]"
    return title or "constant"


def draw_graph(root, ax=None, decimals: int = 4):
    """Draw the graph that computed ``root``: a box per node, an arrow per use.

    Computed values and gradients are written with ``decimals`` places (the places of the
    table and prose beside the figure), given leaves as given.

    Leaves (inputs, parameters, constants) have grey boxes; a node used by more than one
    operation has an orange outline and orange, thicker arrows to its users. Each box
    shows the node's name and operation, its value (blue) and its gradient (vermillion,
    after ``root.backward()``). Returns the axes.
    """
    from matplotlib.patches import FancyBboxPatch

    if ax is None:
        import matplotlib.pyplot as plt

        _, ax = plt.subplots(figsize=(11, 4.4))
    order = root.topological_order()
    depth, users = _columns(order)
    place = _places(order, depth)
    for node in order:
        x, y = place[id(node)]
        fork = len(users.get(id(node), [])) > 1
        for k, parent in enumerate(node.parents):
            twin = node.parents.count(parent) > 1
            px, py = place[id(parent)]
            skips = depth[id(node)] - depth[id(parent)] > 1  # bend around the column between
            rad = 0.3 * (k - 0.5) if twin else (0.35 if skips else 0)
            parent_forks = len(users[id(parent)]) > 1
            ax.annotate("", xy=(x - BOX_WIDTH / 2, y), xytext=(px + BOX_WIDTH / 2, py),
                        arrowprops=dict(arrowstyle="-|>", lw=2.2 if parent_forks else 1.0,
                                        color=style.GRAPH_FORK if parent_forks else style.MUTED,
                                        connectionstyle=f"arc3,rad={rad}",
                                        shrinkA=0, shrinkB=0))
        ax.add_patch(FancyBboxPatch((x - BOX_WIDTH / 2, y - BOX_HEIGHT / 2), BOX_WIDTH,
                                    BOX_HEIGHT, boxstyle="round,pad=0.02,rounding_size=0.12",
                                    facecolor=style.GRAPH_LEAF_FILL if not node.parents
                                    else "white",
                                    edgecolor=style.GRAPH_FORK if fork else style.INK,
                                    lw=2.2 if fork else 1.0, zorder=2))
        ax.text(x, y + 0.27, _title(node), ha="center", va="center", fontsize=8.5, zorder=3)
        # a leaf holds a given number (an input, a weight, a target): written as given,
        # as every table of the book; the root's gradient dE/dE is exactly 1
        value = (format_given(node.data, decimals) if not node.parents
                 else format_number(node.data, decimals))
        grad = "1" if node is root else format_number(node.grad, decimals)
        ax.text(x, y, value, ha="center", va="center", fontsize=8.5,
                color=style.GRAPH_VALUE_TEXT, zorder=3)
        ax.text(x, y - 0.27, f"grad {grad}", ha="center", va="center", fontsize=8,
                color=style.GRAPH_GRAD_TEXT, zorder=3)
    xs = [p[0] for p in place.values()]
    ys = [p[1] for p in place.values()]
    ax.set_xlim(min(xs) - 0.8, max(xs) + 0.8)
    ax.set_ylim(min(ys) - 0.7, max(ys) + 0.7)
    ax.set_aspect("equal")
    ax.axis("off")
    return ax
