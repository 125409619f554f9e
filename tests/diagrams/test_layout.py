"""Tests for backprop.diagrams.layout: the geometry of a network diagram, without drawing."""

import subprocess
import sys

import numpy as np
import pytest

from backprop.diagrams import layout
from backprop.diagrams.layout import DX, DY, R

LECTURE_SIZES = [(3, 2, 1), (2, 2, 2), (2, 2, 2, 1), (1, 1, 1)]


def test_unit_numbers_are_consecutive_from_one():
    assert layout.unit_numbers((3, 2, 1)) == [[1, 2, 3], [4, 5], [6]]
    assert layout.unit_numbers((2, 2, 2, 1)) == [[1, 2], [3, 4], [5, 6], [7]]


def test_default_labels_and_subscripts_follow_the_lecture():
    lay = layout.network_layout((3, 2, 1))
    assert lay.labels == [["$x_{1}$", "$x_{2}$", "$x_{3}$"], ["4", "5"], ["6"]]
    assert lay.subscripts == [["1", "2", "3"], ["4", "5"], ["6"]]
    assert lay.kinds == ["input", "hidden", "output"]
    assert lay.n_layers == 2


def test_plain_custom_labels_become_subscripts_mathtext_does_not():
    plain = layout.network_layout((1, 1, 1), [["x"], ["h"], ["o"]])
    assert plain.labels == [["x"], ["h"], ["o"]]
    assert plain.subscripts == [["x"], ["h"], ["o"]]
    mixed = layout.network_layout((1, 1, 1), [["$x$"], ["h 1"], ["hidden"]])
    assert mixed.labels == [["$x$"], ["h 1"], ["hidden"]]
    assert mixed.subscripts == [["1"], ["2"], ["3"]]  # not alphanumeric / longer than 4


@pytest.mark.parametrize(
    ("labels", "message"),
    [
        ([["a", "b", "c"], ["d", "e"]], "expected 3, got 2"),
        ([["a", "b", "c"], ["d"], ["f"]], r"unit_labels\[1\] must contain 2"),
        ([["a", "b", "c"], "de", ["f"]], r"unit_labels\[1\] must be a list of strings"),
    ],
)
def test_bad_labels_raise(labels, message):
    with pytest.raises(ValueError, match=message):
        layout.network_layout((3, 2, 1), labels)


@pytest.mark.parametrize("sizes", [(3,), (3, 0, 1), ()])
def test_bad_layer_sizes_raise(sizes):
    with pytest.raises(ValueError, match="layer_sizes"):
        layout.network_layout(sizes)


@pytest.mark.parametrize("sizes", LECTURE_SIZES + [(4, 4, 4, 1), (5, 1)])
def test_units_in_columns_centred_and_evenly_spaced(sizes):
    lay = layout.network_layout(sizes)
    for k, (n, column) in enumerate(zip(sizes, lay.positions, strict=True)):
        xs, ys = np.array(column).T
        assert len(column) == n
        assert np.all(xs == k * DX)
        assert np.mean(ys) == pytest.approx(0.0)
        assert np.allclose(-np.diff(ys), DY)  # unit 0 at the top


@pytest.mark.parametrize("sizes", LECTURE_SIZES + [(4, 4, 4, 1)])
def test_extent_holds_every_node_and_text(sizes):
    lay = layout.network_layout(sizes)
    x0, x1, y0, y1 = lay.extent
    for k, column in enumerate(lay.positions):
        for u, (x, y) in enumerate(column):
            assert x0 < x - R and x + R < x1 and y0 < y - R and y + R < y1
            if k:
                assert lay.bias_anchor(k, u)[1] < y1 - 0.3  # room for the bias text above
                assert lay.delta_anchor(k, u)[1] > y0 + 0.6  # and the error term below
    lowest_delta = min(lay.delta_anchor(k, u)[1] for k in range(1, len(sizes))
                       for u in range(sizes[k]))
    for (cx, cy), _ in lay.captions:
        assert x0 < cx < x1 and y0 < cy < lowest_delta - 0.3


def test_texts_around_a_unit():
    lay = layout.network_layout((3, 2, 1))
    x, y = lay.positions[1][0]
    assert lay.bias_anchor(1, 0) == pytest.approx((x, y + R + layout.TEXT_GAP))
    assert lay.delta_anchor(1, 0) == pytest.approx((x, y - R - layout.TEXT_GAP))
    assert lay.label_position(1, 0, with_value=False) == (x, y)
    lx, ly = lay.label_position(1, 0, with_value=True)
    vx, vy = lay.value_position(1, 0)
    assert lx == vx == x
    assert y - R < vy < y < ly < y + R  # label above the value, both inside the node


def test_captions_name_the_layers():
    assert [c for _, c in layout.network_layout((3, 2, 1)).captions] == [
        "input layer", "hidden layer", "output layer"
    ]
    assert [c for _, c in layout.network_layout((2, 2, 2, 1)).captions] == [
        "input layer", "hidden layer 1", "hidden layer 2", "output layer"
    ]
    captions = layout.network_layout((2, 2, 2, 1)).captions
    assert [p[0] for p, _ in captions] == [k * DX for k in range(4)]


def test_figure_size_scales_with_layers_and_widest_layer():
    small = layout.network_layout((3, 2, 1)).figure_size()
    deep = layout.network_layout((3, 2, 2, 1)).figure_size()
    wide = layout.network_layout((3, 5, 1)).figure_size()
    assert deep[0] > small[0] and deep[1] == small[1]
    assert wide[1] > small[1] and wide[0] == small[0]
    titled = layout.network_layout((3, 2, 1)).figure_size(title=True)
    assert titled == pytest.approx((small[0], small[1] + 0.35))
    x0, x1, y0, y1 = layout.network_layout((3, 2, 1)).extent
    assert small[0] / small[1] == pytest.approx((x1 - x0) / (y1 - y0))


def test_points_per_unit_of_an_equal_aspect_axes():
    lay = layout.network_layout((3, 2, 1))
    x0, x1, y0, y1 = lay.extent
    w, h = lay.figure_size()
    assert lay.points_per_unit(w, h) == pytest.approx(72 * w / (x1 - x0))
    # A wider axes does not stretch the data: the tighter dimension decides.
    assert lay.points_per_unit(3 * w, h) == pytest.approx(lay.points_per_unit(w, h))
    assert lay.points_per_unit(0.0, h) > 0


def _label_boxes(lay, fractions, chars, ppu):
    hw, hh = layout.label_half_size(chars, 8.0, ppu)
    boxes = []
    for idx, f in enumerate(fractions):
        src, dst = lay.positions[idx], lay.positions[idx + 1]
        for j, (xt, yt) in enumerate(dst):
            for i, (xs, ys) in enumerate(src):
                t = f[j, i]
                boxes.append((xs + t * (xt - xs), ys + t * (yt - ys), hw, hh))
    return boxes


def _overlap(a, b):
    return abs(a[0] - b[0]) < a[2] + b[2] and abs(a[1] - b[1]) < a[3] + b[3]


@pytest.mark.parametrize("sizes", LECTURE_SIZES)
def test_edge_labels_stay_apart_and_off_the_nodes(sizes):
    lay = layout.network_layout(sizes)
    ppu = lay.points_per_unit(*lay.figure_size())
    chars = 6  # "−0.500"
    fractions = layout.edge_label_fractions(lay, chars, ppu)
    assert [f.shape for f in fractions] == [(n_out, n_in) for n_in, n_out in
                                            zip(sizes[:-1], sizes[1:], strict=True)]
    for f in fractions:
        assert np.all((f >= 0.16) & (f <= 0.74))  # on the edge, clear of both ends
    boxes = _label_boxes(lay, fractions, chars, ppu)
    nodes = [(x, y, R, R) for column in lay.positions for x, y in column]
    for a in range(len(boxes)):
        assert not any(_overlap(boxes[a], n) for n in nodes)
        assert not any(_overlap(boxes[a], boxes[b]) for b in range(a + 1, len(boxes)))


def test_edge_label_fractions_depend_only_on_the_architecture():
    lay = layout.network_layout((3, 2, 1))
    first = layout.edge_label_fractions(lay, 6, 50.0)
    again = layout.edge_label_fractions(layout.network_layout((3, 2, 1)), 6, 50.0)
    assert all(np.array_equal(a, b) for a, b in zip(first, again, strict=True))
    # A single edge has nothing to avoid but its ends: its label sits near the middle.
    (single,) = layout.edge_label_fractions(layout.network_layout((1, 1)), 6, 50.0)
    assert single.shape == (1, 1) and 0.3 < single[0, 0] < 0.55


def test_label_half_size_grows_with_characters_and_shrinks_with_scale():
    w6, h6 = layout.label_half_size(6, 8.0, 50.0)
    w8, h8 = layout.label_half_size(8, 8.0, 50.0)
    assert w8 > w6 and h8 == h6
    assert layout.label_half_size(6, 8.0, 100.0) == pytest.approx((w6 / 2, h6 / 2))


def test_layout_imports_no_matplotlib():
    code = "import sys, backprop.diagrams.layout\nprint('matplotlib' in sys.modules)\n"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"
