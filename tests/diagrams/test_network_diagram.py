"""Tests for backprop.diagrams.network: the network diagrams of chapters 2, 7, 8, 10-12."""

import subprocess
import sys

import matplotlib
import matplotlib.pyplot as plt
import numpy as np
import pytest

import backprop.diagrams
from backprop.diagrams import NetworkDiagram, draw_network, network
from backprop.diagrams.style import BLUE, VERMILLION

MINUS = "\N{MINUS SIGN}"

# The lecture's Figure 3 network (3-2-1).
X = [1.0, 0.0, 1.0]
W1 = [[0.2, 0.4, -0.5], [-0.3, 0.1, 0.2]]
B1 = [-0.4, 0.2]
W2 = [[-0.3, -0.2]]
B2 = [0.1]
OUTPUTS = [[0.332, 0.525], [0.474]]
DELTAS = [[-0.0087, -0.0065], [0.1312]]


def _fig3(**kwargs):
    return NetworkDiagram([W1, W2], [B1, B2], **kwargs)


# --------------------------------------------------------------------------- #
# Construction and labels
# --------------------------------------------------------------------------- #
def test_edge_labels_show_given_weights_as_given_with_wji_convention():
    d = _fig3(inputs=X)
    assert d.layer_sizes == (3, 2, 1)
    assert d.edge_labels[0][0][2].get_text() == f"{MINUS}0.5"  # w_{4,3}
    assert d.edge_labels[0][1][0].get_text() == f"{MINUS}0.3"  # w_{5,1}
    assert d.edge_labels[0][0][1].get_text() == "0.4"  # w_{4,2}
    assert d.edge_labels[1][0][1].get_text() == f"{MINUS}0.2"  # w_{6,5}
    for w, labels in zip([W1, W2], d.edge_labels, strict=True):
        for j, row in enumerate(w):
            for i, value in enumerate(row):
                assert labels[j][i].get_text() == f"{value:g}".replace("-", MINUS)


def test_given_numbers_as_given_computed_ones_at_fixed_decimals():
    # The book's rule (backprop.worked.format_given), as the chapters' tables and worked
    # solutions write them: a given weight 0.2 is "0.2", not "0.2000"; a weight after
    # an update step (0.19412) is "0.1941"; an output 0.5 is computed: "0.5000".
    d = NetworkDiagram(
        [[[0.2, 0.19412]]], [[-0.4]], inputs=[1, 0.25], outputs=[[0.5]],
        deltas=[[-0.25]], decimals=4,
    )
    assert [t.get_text() for t in d.edge_labels[0][0]] == ["0.2", "0.1941"]
    assert d.bias_labels[0][0].get_text() == f"$b_{{3}}$ = {MINUS}0.4"
    assert [t.get_text() for t in d.value_labels[0]] == ["1", "0.25"]
    assert d.value_labels[1][0].get_text() == "0.5000"
    assert d.delta_labels[0][0].get_text() == rf"$\delta_{{3}}$ = {MINUS}0.2500"
    # A given number with more places than shown is rounded like a computed one.
    assert network.format_given_value(-0.123456, 4) == f"{MINUS}0.1235"
    assert network.format_given_value(-0.0, 4) == "0"


def test_edge_lines_connect_source_i_to_target_j():
    d = _fig3()
    xs, ys = d.edge_lines[0][1][2].get_data()  # w_{5,3}: input x3 -> hidden unit 5
    assert (xs[0], ys[0]) == pytest.approx(d.nodes[0][2].center)
    assert (xs[1], ys[1]) == pytest.approx(d.nodes[1][1].center)
    # Each edge label lies on its own edge, strictly between the two units.
    for layer_lines, layer_labels in zip(d.edge_lines, d.edge_labels, strict=True):
        for lines_j, labels_j in zip(layer_lines, layer_labels, strict=True):
            for line, label in zip(lines_j, labels_j, strict=True):
                (x0, x1), (y0, y1) = line.get_data()
                px, py = label.get_position()
                t = (px - x0) / (x1 - x0)
                assert 0.1 < t < 0.9
                assert py == pytest.approx(y0 + t * (y1 - y0))


def test_edge_colour_style_and_width_encode_sign_and_magnitude():
    d = _fig3()
    neg = d.edge_lines[0][0][2]  # -0.5
    pos = d.edge_lines[0][0][1]  # 0.4
    small = d.edge_lines[0][1][1]  # 0.1
    assert matplotlib.colors.to_hex(neg.get_color()) == VERMILLION.lower()
    assert matplotlib.colors.to_hex(pos.get_color()) == BLUE.lower()
    assert neg.get_linewidth() > pos.get_linewidth() > small.get_linewidth()
    assert d.weight_reference == 0.5
    assert neg.get_linewidth() == pytest.approx(max(
        line.get_linewidth() for layer in d.edge_lines for row in layer for line in row
    ))
    # Without colour: every negative weight is dashed and printed with its minus sign,
    # every other weight solid and unsigned; each label's box takes its edge's colour.
    for w, lines, labels in zip([W1, W2], d.edge_lines, d.edge_labels, strict=True):
        for j, row in enumerate(w):
            for i, value in enumerate(row):
                line, label = lines[j][i], labels[j][i]
                assert (line.get_linestyle() == "--") == (value < 0), (j, i)
                assert label.get_text().startswith(MINUS) == (value < 0)
                box = label.get_bbox_patch().get_edgecolor()
                assert matplotlib.colors.to_hex(box) == matplotlib.colors.to_hex(
                    line.get_color()
                )


def test_zero_weight_is_grey_and_solid():
    d = NetworkDiagram([[[0.0, 1.0]]], [[0.0]])
    zero, one = d.edge_lines[0][0]
    assert zero.get_linestyle() == "-" and one.get_linestyle() == "-"
    r, g, b = matplotlib.colors.to_rgb(zero.get_color())
    assert r == g == b
    assert zero.get_linewidth() < one.get_linewidth()


def test_nodes_and_texts_sit_where_the_layout_puts_them():
    d = _fig3(inputs=X, deltas=DELTAS)
    layout = d.layout
    assert layout.layer_sizes == d.layer_sizes
    for k, layer in enumerate(d.nodes):
        for u, node in enumerate(layer):
            assert node.center == pytest.approx(layout.positions[k][u])
    # Inputs given, outputs not: input labels lifted above their values, the rest centred.
    lifted = layout.label_position(0, 1, with_value=True)
    assert d.node_labels[0][1].get_position() == pytest.approx(lifted)
    assert d.value_labels[0][1].get_position() == pytest.approx(layout.value_position(0, 1))
    assert d.node_labels[1][0].get_position() == pytest.approx(layout.positions[1][0])
    assert d.node_labels[0][0].get_fontsize() < d.node_labels[1][0].get_fontsize()
    assert d.bias_labels[0][1].get_position() == pytest.approx(layout.bias_anchor(1, 1))
    assert d.delta_labels[1][0].get_position() == pytest.approx(layout.delta_anchor(2, 0))
    assert [t.get_text() for t in d.layer_captions] == [
        "input layer", "hidden layer", "output layer"
    ]
    assert (*d.ax.get_xlim(), *d.ax.get_ylim()) == pytest.approx(layout.extent)


def test_format_value():
    assert network.format_value(-0.5, 3) == f"{MINUS}0.500"
    assert network.format_value(2, 0) == "2"
    assert network.format_value(-0.0004, 3) == "0.000"  # no negative zero
    assert _fig3(decimals=1).format_value(0.25) == "0.2"


def test_default_unit_labels_follow_lecture_numbering():
    d = _fig3()
    assert d.unit_numbers == [[1, 2, 3], [4, 5], [6]]
    assert [t.get_text() for t in d.node_labels[0]] == ["$x_{1}$", "$x_{2}$", "$x_{3}$"]
    assert [t.get_text() for t in d.node_labels[1]] == ["4", "5"]
    assert d.node_labels[2][0].get_text() == "6"
    assert d.bias_labels[0][0].get_text() == f"$b_{{4}}$ = {MINUS}0.4"
    assert d.bias_labels[1][0].get_text() == "$b_{6}$ = 0.1"


def test_inputs_outputs_deltas_and_decimals():
    d = _fig3(inputs=X, outputs=OUTPUTS, deltas=DELTAS, decimals=4)
    assert [t.get_text() for t in d.value_labels[0]] == ["1", "0", "1"]
    assert [t.get_text() for t in d.value_labels[1]] == ["0.3320", "0.5250"]
    assert d.value_labels[2][0].get_text() == "0.4740"
    assert d.delta_labels[0][0].get_text() == rf"$\delta_{{4}}$ = {MINUS}0.0087"
    assert d.delta_labels[1][0].get_text() == r"$\delta_{6}$ = 0.1312"
    assert d.edge_labels[0][0][0].get_text() == "0.2"


def test_values_absent_by_default_and_no_negative_zero():
    d = NetworkDiagram([[[-0.0001, 0.0]]], [[-0.0]])
    assert all(t.get_text() == "" for layer in d.value_labels for t in layer)
    assert all(t.get_text() == "" for layer in d.delta_labels for t in layer)
    assert d.edge_labels[0][0][0].get_text() == "0.000"  # -0.0001, rounded: no sign
    assert d.bias_labels[0][0].get_text() == "$b_{3}$ = 0"  # -0.0, given: no sign


def test_custom_unit_labels_and_title():
    labels = [["a", "b", "c"], ["h1", "h2"], ["y"]]
    d = _fig3(unit_labels=labels, title="Figure 3")
    assert [[t.get_text() for t in layer] for layer in d.node_labels] == labels
    assert d.ax.get_title() == "Figure 3"
    # Plain custom labels become the subscripts of b_j and delta_j ...
    assert d.bias_labels[0][0].get_text() == f"$b_{{h1}}$ = {MINUS}0.4"
    # ... mathtext labels fall back to the lecture unit numbers.
    d = _fig3(unit_labels=[["$a$", "b", "c"], ["$h_1$", "$h_2$"], ["$y$"]], deltas=DELTAS)
    assert d.delta_labels[1][0].get_text() == r"$\delta_{6}$ = 0.131"


def test_axes_off_equal_aspect_and_new_figure_size_scales():
    d = _fig3()
    assert not d.ax.axison
    assert d.ax.get_aspect() == 1.0
    wide = NetworkDiagram(
        [np.ones((4, 2)), np.ones((4, 4)), np.ones((4, 4)), np.ones((1, 4))],
        [np.zeros(4), np.zeros(4), np.zeros(4), np.zeros(1)],
    )
    w0, h0 = d.fig.get_size_inches()
    w1, h1 = wide.fig.get_size_inches()
    assert w1 > w0 and h1 > h0


def test_draws_on_given_axes():
    fig, (left, right) = plt.subplots(1, 2, figsize=(10, 4))
    d = _fig3(ax=right)
    assert d.ax is right and d.fig is fig
    assert len(left.texts) == 0 and len(right.texts) > 0


def test_draw_network_and_from_network_duck_typing():
    class Net:
        weights = [np.array(W1), np.array(W2)]
        biases = [np.array(B1), np.array(B2)]

    d1 = draw_network([W1, W2], [B1, B2], decimals=2)
    d2 = NetworkDiagram.from_network(Net(), decimals=2)
    assert isinstance(d1, NetworkDiagram) and isinstance(d2, NetworkDiagram)
    texts1 = [t.get_text() for t in d1.ax.texts]
    assert texts1 == [t.get_text() for t in d2.ax.texts]
    assert f"{MINUS}0.5" in texts1
    with pytest.raises(TypeError, match="weights"):
        NetworkDiagram.from_network(object())


@pytest.mark.parametrize(
    ("weights", "biases", "kwargs"),
    [
        ([W1, W2], [B1, B2], {"inputs": X, "outputs": OUTPUTS, "deltas": DELTAS,
                              "decimals": 4}),
        (
            [[[0.15, 0.25], [0.20, 0.30]], [[0.40, 0.45], [0.50, 0.55]]],
            [[0.0, 0.0], [0.0, 0.0]],
            {"inputs": [0.05, 0.10], "outputs": [[0.593, 0.597], [0.751, 0.773]],
             "deltas": [[0.036, 0.045], [0.139, -0.038]]},
        ),
        (
            [[[0.1, -0.2], [0.3, 0.4]], [[-0.5, 0.6], [0.7, -0.8]], [[0.9, -1.0]]],
            [[0.1, -0.1], [0.2, -0.2], [0.3]],
            {"inputs": [1, -1], "outputs": [[0.5, 0.6], [0.4, 0.3], [0.7]],
             "deltas": [[-0.01, 0.02], [0.03, -0.04], [0.05]]},
        ),
    ],
    ids=["3-2-1", "2-2-2", "2-2-2-1"],
)
def test_no_text_overlaps_in_lecture_networks(weights, biases, kwargs, overlapping_texts,
                                              low_contrast_texts):
    d = NetworkDiagram(weights, biases, **kwargs)
    assert overlapping_texts(d.fig, d.ax) == []
    assert low_contrast_texts(d.ax) == []
    # Weight labels stay off the nodes.
    renderer = d.fig.canvas.get_renderer()
    nodes = [c.get_window_extent(renderer) for layer in d.nodes for c in layer]
    for layer in d.edge_labels:
        for row in layer:
            for label in row:
                box = label.get_bbox_patch().get_window_extent(renderer)
                assert not any(box.overlaps(n) for n in nodes), label.get_text()


# --------------------------------------------------------------------------- #
# Validation at construction
# --------------------------------------------------------------------------- #
def test_layers_that_do_not_chain_raise_with_layer_and_shapes():
    with pytest.raises(ValueError, match=r"layer 2.*\(1, 3\).*expected shape \(1, 2\)"):
        NetworkDiagram([W1, [[0.1, 0.2, 0.3]]], [B1, B2])


def test_bias_shape_mismatch_names_layer_and_shapes():
    with pytest.raises(ValueError, match=r"layer 1.*biases\[0\].*\(2,\).*got shape \(3,\)"):
        NetworkDiagram([W1, W2], [[0.1, 0.2, 0.3], B2])


def test_list_length_mismatch_raises():
    with pytest.raises(ValueError, match="2 weight matrices but 1 bias"):
        NetworkDiagram([W1, W2], [B1])


def test_weights_must_be_2d():
    with pytest.raises(ValueError, match=r"layer 1.*2-D.*got shape \(3,\)"):
        NetworkDiagram([[0.1, 0.2, 0.3]], [[0.0]])


@pytest.mark.parametrize(
    ("weights", "biases", "name"),
    [
        ([W1, [[np.inf, 0.0]]], [B1, B2], r"weights\[1\] \(layer 2\)"),
        ([W1, W2], [[np.nan, 0.0], B2], r"biases\[0\] \(layer 1\)"),
    ],
)
def test_non_finite_parameters_raise_naming_the_parameter(weights, biases, name):
    with pytest.raises(ValueError, match=name + ".*non-finite"):
        NetworkDiagram(weights, biases)


def test_non_finite_values_raise():
    with pytest.raises(ValueError, match="inputs.*non-finite"):
        _fig3(inputs=[1.0, np.nan, 0.0])
    with pytest.raises(ValueError, match=r"outputs\[1\].*non-finite"):
        _fig3(outputs=[[0.1, 0.2], [np.inf]])


def test_bad_unit_labels_and_decimals_raise():
    with pytest.raises(ValueError, match="expected 3, got 2"):
        _fig3(unit_labels=[["a", "b", "c"], ["d", "e"]])
    with pytest.raises(ValueError, match=r"unit_labels\[1\] must contain 2"):
        _fig3(unit_labels=[["a", "b", "c"], ["d"], ["f"]])
    with pytest.raises(ValueError, match="decimals"):
        _fig3(decimals=-1)




# --------------------------------------------------------------------------- #
# The package
# --------------------------------------------------------------------------- #
def test_package_re_exports_the_public_names():
    assert backprop.diagrams.NetworkDiagram is network.NetworkDiagram
    assert backprop.diagrams.draw_network is network.draw_network
    assert set(backprop.diagrams.__all__) == {
        "NetworkDiagram", "draw_network", "draw_two_phase_flow", "draw_training_cycle"
    }
    for name in backprop.diagrams.__all__:
        assert callable(getattr(backprop.diagrams, name))


def test_import_has_no_pyplot_side_effect():
    # In a fresh interpreter: importing the package must not import pyplot or make figures.
    code = (
        "import sys, backprop.diagrams, backprop.diagrams.network\n"
        "print('matplotlib.pyplot' in sys.modules)\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"
