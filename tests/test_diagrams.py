"""Tests for backprop.diagrams (network diagrams and the lecture's Figures 1-3)."""

import matplotlib

matplotlib.use("Agg")

import subprocess  # noqa: E402
import sys  # noqa: E402
from pathlib import Path  # noqa: E402

import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pytest  # noqa: E402

from backprop.diagrams import (  # noqa: E402
    NetworkDiagram,
    draw_network,
    draw_training_cycle,
    draw_two_phase_flow,
)

MINUS = "\N{MINUS SIGN}"

# The lecture's Figure 3 network (3-2-1).
X = [1.0, 0.0, 1.0]
W1 = [[0.2, 0.4, -0.5], [-0.3, 0.1, 0.2]]
B1 = [-0.4, 0.2]
W2 = [[-0.3, -0.2]]
B2 = [0.1]
OUTPUTS = [[0.332, 0.525], [0.474]]
DELTAS = [[-0.0087, -0.0065], [0.1312]]


@pytest.fixture(autouse=True)
def _close_figures():
    yield
    plt.close("all")


def _fig3(**kwargs):
    return NetworkDiagram([W1, W2], [B1, B2], **kwargs)


def _artist_counts(ax):
    return len(ax.texts), len(ax.lines), len(ax.patches), len(ax.get_children())


def _overlapping_texts(fig, ax):
    """Pairs of visible, non-empty texts whose rendered boxes intersect."""
    fig.canvas.draw()
    renderer = fig.canvas.get_renderer()
    texts = [t for t in ax.texts if t.get_visible() and t.get_text()]
    boxes = []
    for t in texts:
        patch = t.get_bbox_patch()
        boxes.append((patch or t).get_window_extent(renderer))
    return [
        (texts[a].get_text(), texts[b].get_text())
        for a in range(len(texts))
        for b in range(a + 1, len(texts))
        if boxes[a].overlaps(boxes[b])
    ]


# --------------------------------------------------------------------------- #
# Construction and labels
# --------------------------------------------------------------------------- #
def test_edge_labels_show_formatted_weights_with_wji_convention():
    d = _fig3(inputs=X)
    assert d.layer_sizes == (3, 2, 1)
    assert d.edge_labels[0][0][2].get_text() == f"{MINUS}0.500"  # w_{4,3}
    assert d.edge_labels[0][1][0].get_text() == f"{MINUS}0.300"  # w_{5,1}
    assert d.edge_labels[0][0][1].get_text() == "0.400"  # w_{4,2}
    assert d.edge_labels[1][0][1].get_text() == f"{MINUS}0.200"  # w_{6,5}
    for w, labels in zip([W1, W2], d.edge_labels, strict=True):
        for j, row in enumerate(w):
            for i, value in enumerate(row):
                assert labels[j][i].get_text() == f"{value:.3f}".replace("-", MINUS)


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


def test_edge_colour_and_width_encode_sign_and_magnitude():
    d = _fig3()
    neg = d.edge_lines[0][0][2]  # -0.5
    pos = d.edge_lines[0][0][1]  # 0.4
    small = d.edge_lines[0][1][1]  # 0.1
    assert matplotlib.colors.to_rgb(neg.get_color()) != matplotlib.colors.to_rgb(
        pos.get_color()
    )
    red, _, blue = matplotlib.colors.to_rgb(neg.get_color())
    assert red > blue
    red, _, blue = matplotlib.colors.to_rgb(pos.get_color())
    assert blue > red
    assert neg.get_linewidth() > pos.get_linewidth() > small.get_linewidth()


def test_default_unit_labels_follow_lecture_numbering():
    d = _fig3()
    assert d.unit_numbers == [[1, 2, 3], [4, 5], [6]]
    assert [t.get_text() for t in d.node_labels[0]] == ["$x_{1}$", "$x_{2}$", "$x_{3}$"]
    assert [t.get_text() for t in d.node_labels[1]] == ["4", "5"]
    assert d.node_labels[2][0].get_text() == "6"
    assert d.bias_labels[0][0].get_text() == f"$b_{{4}}$ = {MINUS}0.400"
    assert d.bias_labels[1][0].get_text() == "$b_{6}$ = 0.100"


def test_inputs_outputs_deltas_and_decimals():
    d = _fig3(inputs=X, outputs=OUTPUTS, deltas=DELTAS, decimals=4)
    assert [t.get_text() for t in d.value_labels[0]] == ["1.0000", "0.0000", "1.0000"]
    assert [t.get_text() for t in d.value_labels[1]] == ["0.3320", "0.5250"]
    assert d.value_labels[2][0].get_text() == "0.4740"
    assert d.delta_labels[0][0].get_text() == rf"$\delta_{{4}}$ = {MINUS}0.0087"
    assert d.delta_labels[1][0].get_text() == r"$\delta_{6}$ = 0.1312"
    assert d.edge_labels[0][0][0].get_text() == "0.2000"


def test_values_absent_by_default_and_no_negative_zero():
    d = NetworkDiagram([[[-0.0001, 0.0]]], [[-0.0]])
    assert all(t.get_text() == "" for layer in d.value_labels for t in layer)
    assert all(t.get_text() == "" for layer in d.delta_labels for t in layer)
    assert d.edge_labels[0][0][0].get_text() == "0.000"
    assert d.bias_labels[0][0].get_text() == "$b_{3}$ = 0.000"


def test_custom_unit_labels_and_title():
    labels = [["a", "b", "c"], ["h1", "h2"], ["y"]]
    d = _fig3(unit_labels=labels, title="Figure 3")
    assert [[t.get_text() for t in layer] for layer in d.node_labels] == labels
    assert d.ax.get_title() == "Figure 3"
    # Plain custom labels become the subscripts of b_j and delta_j ...
    assert d.bias_labels[0][0].get_text() == f"$b_{{h1}}$ = {MINUS}0.400"
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
    assert f"{MINUS}0.50" in texts1
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
def test_no_text_overlaps_in_lecture_networks(weights, biases, kwargs):
    d = NetworkDiagram(weights, biases, **kwargs)
    assert _overlapping_texts(d.fig, d.ax) == []
    # Weight labels stay off the nodes.
    renderer = d.fig.canvas.get_renderer()
    nodes = [c.get_window_extent(renderer) for layer in d.nodes for c in layer]
    for layer in d.edge_labels:
        for row in layer:
            for label in row:
                box = label.get_bbox_patch().get_window_extent(renderer)
                assert not any(box.overlaps(n) for n in nodes), label.get_text()


# --------------------------------------------------------------------------- #
# Updating in place
# --------------------------------------------------------------------------- #
def test_update_changes_existing_artists_only():
    d = _fig3(inputs=X)
    before = _artist_counts(d.ax)
    label = d.edge_labels[0][0][2]
    line = d.edge_lines[0][0][2]
    bias = d.bias_labels[0][1]
    children = set(map(id, d.ax.get_children()))
    old_colour = matplotlib.colors.to_rgb(line.get_color())
    old_width = line.get_linewidth()

    new_w1 = np.array(W1)
    new_w1[0, 2] = 0.25
    result = d.update(
        weights=[new_w1, W2],
        biases=[[-0.4, 0.75], B2],
        inputs=[0.5, 0.5, 0.5],
        outputs=OUTPUTS,
        deltas=DELTAS,
    )
    assert result is d
    assert _artist_counts(d.ax) == before
    assert set(map(id, d.ax.get_children())) == children
    assert d.edge_labels[0][0][2] is label and d.edge_lines[0][0][2] is line
    assert d.bias_labels[0][1] is bias
    assert label.get_text() == "0.250"
    assert matplotlib.colors.to_rgb(line.get_color()) != old_colour
    assert line.get_linewidth() < old_width
    assert bias.get_text() == "$b_{5}$ = 0.750"
    assert d.value_labels[0][0].get_text() == "0.500"
    assert d.value_labels[1][1].get_text() == "0.525"
    assert d.delta_labels[1][0].get_text() == r"$\delta_{6}$ = 0.131"
    assert d.weights[0][0, 2] == 0.25


def test_update_with_none_leaves_values_unchanged():
    d = _fig3(inputs=X, outputs=OUTPUTS)
    texts = [t.get_text() for t in d.ax.texts]
    d.update()
    assert [t.get_text() for t in d.ax.texts] == texts
    d.update(biases=[[0.0, 0.0], [0.0]])
    assert d.edge_labels[0][0][0].get_text() == "0.200"  # weights untouched
    assert d.value_labels[1][0].get_text() == "0.332"  # outputs untouched
    assert d.bias_labels[0][0].get_text() == "$b_{4}$ = 0.000"


def test_bad_update_raises_and_leaves_diagram_untouched():
    d = _fig3()
    texts = [t.get_text() for t in d.ax.texts]
    with pytest.raises(ValueError, match=r"layer 2.*\(1, 2\).*got shape \(2, 2\)"):
        d.update(weights=[W1, [[0.1, 0.2], [0.3, 0.4]]])
    with pytest.raises(ValueError, match=r"layer 1.*\(2,\).*got shape \(3,\)"):
        d.update(biases=[[0.1, 0.2, 0.3], B2])
    with pytest.raises(ValueError, match=r"inputs.*\(3,\).*\(2,\)"):
        d.update(inputs=[1.0, 2.0])
    with pytest.raises(ValueError, match=r"outputs.*expected 2, got 1"):
        d.update(outputs=[[0.1, 0.2]])
    with pytest.raises(ValueError, match=r"layer 1: deltas\[0\].*\(2,\).*\(1,\)"):
        d.update(deltas=[[0.1], [0.2]])
    with pytest.raises(ValueError, match="non-finite"):
        d.update(weights=[W1, [[np.nan, 0.0]]], biases=[[9.0, 9.0], [9.0]])
    assert [t.get_text() for t in d.ax.texts] == texts


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
# Figures 1 and 2
# --------------------------------------------------------------------------- #
def _all_texts(fig):
    return [t.get_text() for ax in fig.axes for t in ax.texts]


def test_two_phase_flow_figure():
    fig = draw_two_phase_flow()
    texts = _all_texts(fig)
    assert "Forward pass: functional signal" in texts
    assert "Backward pass: error signal" in texts
    assert {"Input layer", "Hidden layer", "Output layer"} <= set(texts)
    ax = fig.axes[0]
    assert not ax.axison
    assert _overlapping_texts(fig, ax) == []
    # Red arrow on top pointing right, blue arrow at the bottom pointing left.
    arrows = {p.get_gid(): p for p in ax.patches}
    top, bottom = arrows["forward-pass-arrow"], arrows["backward-pass-arrow"]
    (tx0, ty0), (tx1, ty1) = top._posA_posB
    (bx0, by0), (bx1, by1) = bottom._posA_posB
    assert tx1 > tx0 and bx1 < bx0  # forward left to right, backward right to left
    assert ty0 > by0  # forward along the top
    r, _, b = matplotlib.colors.to_rgb(top.get_facecolor())
    assert r > b
    r, _, b = matplotlib.colors.to_rgb(bottom.get_facecolor())
    assert b > r


def test_training_cycle_figure():
    fig = draw_training_cycle()
    texts = _all_texts(fig)
    for head in ("1  Forward pass", "2  Compute loss", "3  Backward pass", "4  Update weights"):
        assert head in texts
    joined = " ".join(texts)
    assert r"\frac{1}{2}\sum_k" in joined and r"\leftarrow" in joined
    assert r"\delta_j" in joined and "o_j" in joined
    ax = fig.axes[0]
    assert not ax.axison
    assert sum(type(p).__name__ == "FancyArrowPatch" for p in ax.patches) == 4
    assert _overlapping_texts(fig, ax) == []


def test_figures_draw_on_given_axes():
    fig, (a, b) = plt.subplots(1, 2)
    assert draw_two_phase_flow(ax=a) is fig
    assert draw_training_cycle(ax=b) is fig
    assert a.texts and b.texts


def test_import_has_no_pyplot_side_effect():
    # Load diagrams.py on its own (not through the package __init__) in a fresh
    # interpreter: importing it must not import pyplot or create figures.
    module = Path(__file__).resolve().parents[1] / "src" / "backprop" / "diagrams.py"
    code = (
        "import importlib.util, sys\n"
        "spec = importlib.util.spec_from_file_location('diagrams', sys.argv[1])\n"
        "spec.loader.exec_module(importlib.util.module_from_spec(spec))\n"
        "print('matplotlib.pyplot' in sys.modules)\n"
    )
    out = subprocess.run(
        [sys.executable, "-c", code, str(module)], capture_output=True, text=True, check=True
    )
    assert out.stdout.strip() == "False"
