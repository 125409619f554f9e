"""Tests for backprop.diagrams.graph_drawing: chapter 13's computational-graph figure."""

import matplotlib.pyplot as plt

from backprop.diagrams.graph_drawing import draw_graph
from backprop.graph import Value


def test_leaves_are_written_as_given_and_computed_nodes_with_fixed_places():
    w, x = Value(-0.3, "w"), Value(0.5, "x")
    product = w * x
    output = product.sigmoid()
    output.backward()
    ax = draw_graph(output)
    texts = [t.get_text() for t in ax.texts]
    plt.close(ax.figure)
    # the given leaves as given (not -0.3000), a computed node with four places
    assert "-0.3" in texts and "0.5" in texts and "-0.1500" in texts
    assert "-0.3000" not in texts and "0.5000" not in texts
    # the root's own gradient is exactly 1; the others are computed, at four places
    assert "grad 1" in texts and "grad 1.0000" not in texts
    assert f"grad {output.data * (1 - output.data) * 0.5:.4f}" in texts


def test_the_places_follow_the_table_beside_the_figure():
    w, x = Value(-0.3, "w"), Value(0.5, "x")
    output = (w * x).sigmoid()
    output.backward()
    ax = draw_graph(output, decimals=5)
    texts = [t.get_text() for t in ax.texts]
    plt.close(ax.figure)
    assert "-0.15000" in texts and "-0.3" in texts and "grad 1" in texts
