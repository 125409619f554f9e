"""Tests for backprop.widgets: build every explorer, move its sliders, read what it shows.

ipywidgets works without a browser or kernel frontend: setting a slider's ``value``
runs the same callbacks a reader's drag does.
"""

import matplotlib

matplotlib.use("Agg")

import subprocess  # noqa: E402
import sys  # noqa: E402

import numpy as np  # noqa: E402
import pytest  # noqa: E402

pytest.importorskip("ipywidgets")

from backprop import widgets  # noqa: E402
from backprop.experiments import gradient_norms_by_layer  # noqa: E402
from backprop.lecture import multi_output_2_2_2, worked_3_2_1  # noqa: E402

PNG = b"\x89PNG\r\n\x1a\n"


def test_importing_the_modules_does_not_import_ipywidgets():
    code = ("import sys, backprop.widgets, backprop.explorers; "
            "assert 'ipywidgets' not in sys.modules, 'ipywidgets imported'; "
            "assert 'matplotlib.pyplot' not in sys.modules, 'pyplot imported'")
    subprocess.run([sys.executable, "-c", code], check=True)


def test_markdown_math_to_html():
    text = widgets.markdown_math_to_html(
        "**Forward pass.**\n\n$$\n\\begin{aligned}\na &= 1 < 2\n\\end{aligned}\n$$")
    assert text.startswith("<p><b>Forward pass.</b></p>")
    assert "a &amp;= 1 &lt; 2" in text and "$$" in text


def test_inline_math_uses_the_form_the_books_mathjax_reads():
    # Sphinx's MathJax 3 typesets inline math only between \( and \); a bare $x$ would
    # show as raw TeX in the HTML book.
    text = widgets.markdown_math_to_html("with $\\eta = 0.9$ and $$y$$ kept")
    assert "\\(\\eta = 0.9\\)" in text and "$$y$$" in text
    sigmoid = widgets.sigmoid_explorer(net=1.0).explorer
    worked = widgets.worked_example_explorer().explorer
    for html in (sigmoid.values.value, worked.summary.value, worked.formulas.value):
        without_display = html.replace("$$", "")
        assert "$" not in without_display, html[:200]
        assert "\\(" in html


# ------------------------------------------------------------------------ worked example
@pytest.fixture(scope="module")
def worked():
    return widgets.worked_example_explorer()


def test_worked_example_initial_state(worked):
    e = worked.explorer
    assert e.error == ""
    assert e.figure.image.value.tobytes().startswith(PNG)
    assert r"\delta_{6} &amp;= o_{6}(1 - o_{6})(t_{6} - o_{6}) = 0.4739 \times 0.5261" in (
        e.formulas.value)
    assert "0.1312" in e.formulas.value
    assert "E before the step</b> = 0.1384" in e.summary.value
    assert "E after the step</b> = 0.1175" in e.summary.value
    assert e.diagram.delta_labels[1][0].get_text() == r"$\delta_{6}$ = 0.1312"
    assert e.diagram.edge_labels[1][0][0].get_text() == "\N{MINUS SIGN}0.3000"
    assert len(e.sliders) == 16
    assert e.sliders["w_4,1"].min == -50 and e.sliders["w_4,1"].max == 50
    assert e.sliders["eta"].max == 10
    assert all(s.continuous_update is False for s in e.sliders.values())
    # The initial state lives in widgets (embedded in the HTML book).
    assert e.figure.image in worked.children and e.formulas in worked.children


def test_worked_example_slider_updates_everything_in_place(worked):
    e = worked.explorer
    fig, ax = e.diagram.fig, e.diagram.ax
    n_children = len(ax.get_children())
    png, renders, formulas = e.figure.image.value, e.figure.renders, e.formulas.value
    e.sliders["w_6,4"].value = 0.5
    assert e.error == ""
    assert e.diagram.fig is fig and e.diagram.ax is ax and len(ax.get_children()) == n_children
    assert e.diagram.edge_labels[1][0][0].get_text() == "0.5000"
    assert e.figure.renders == renders + 1 and e.figure.image.value != png
    assert e.formulas.value != formulas
    assert r"&amp;= (0.3318)(0.5) + (0.525)(-0.2) + (0.1)" in e.formulas.value
    o6 = e.state.outputs[1][0]
    assert e.diagram.value_labels[2][0].get_text() == f"{o6:.4f}"
    assert e.solution.values["o_6"] == pytest.approx(o6, rel=1e-14)
    e.reset()
    assert e.sliders["w_6,4"].value == -0.3
    assert e.diagram.edge_labels[1][0][0].get_text() == "\N{MINUS SIGN}0.3000"


def test_worked_example_after_view_and_take_step(worked):
    e = worked.explorer
    e.reset()
    new_w64 = e.state.new_weights[1][0, 0]
    e.view.value = "after"
    assert e.diagram.edge_labels[1][0][0].get_text() == f"{new_w64:.4f}".replace(
        "-", "\N{MINUS SIGN}")
    assert "After the step" in e.caption.value
    e.view.value = "before"
    error_before = e.state.error
    e.take_step()
    assert e.sliders["w_6,4"].value == pytest.approx(new_w64, rel=1e-15)
    assert e.state.error == pytest.approx(0.11749227451212242, rel=1e-12)
    assert e.state.error < error_before
    e.reset()
    assert e.state.error == pytest.approx(error_before, rel=1e-15)


@pytest.mark.parametrize("sign", [1.0, -1.0])
def test_worked_example_extreme_values(worked, sign):
    e = worked.explorer
    values = {k: sign * 50.0 for k in e.sliders if k[0] in "wb"}
    values.update({"eta": 10.0, "x_1": 10.0, "x_2": -10.0, "x_3": 10.0, "t_6": 1.0})
    e.set_slider_values(values)
    assert e.error == "" and e.state.finite
    assert e.sliders["w_4,1"].value == sign * 50.0 and e.sliders["eta"].value == 10.0
    assert e.formulas.value and "E after the step" in e.summary.value
    e.set_values(w_4_1=1.5)
    assert e.sliders["w_4,1"].value == 1.5
    e.reset()


def test_worked_example_2_2_2():
    box = widgets.worked_example_explorer(multi_output_2_2_2(), decimals=3)
    e = box.explorer
    assert {"t_5", "t_6", "w_6,4", "b_3"} <= set(e.sliders)
    delta6 = e.diagram.delta_labels[1][1].get_text()
    e.sliders["t_6"].value = 0.9
    assert e.error == ""
    assert e.diagram.delta_labels[1][1].get_text() != delta6
    assert r"\delta_{6}" in e.formulas.value
    assert e.state.t.tolist() == [1.0, 0.9]


def test_worked_example_default_is_the_3_2_1_example(worked):
    assert worked.explorer.example.source == worked_3_2_1().source


# ------------------------------------------------------------------------- learning rate
def test_learning_rate_explorer():
    box = widgets.learning_rate_explorer(epochs=50)
    e = box.explorer
    fig = e.figure.fig
    assert e.error == "" and e.figure.image.value.tobytes().startswith(PNG)
    assert len(e.loss_line.get_xdata()) == 50 and len(e.fit_points.get_xdata()) == 20
    assert "error after 50 epochs" in e.summary.value
    e.eta.value = 10.0
    assert e.error == "" and e.run.diverged
    assert "diverged at epoch" in e.summary.value
    assert len(e.fit_points.get_xdata()) == 0 and "diverged" in e.fit_message.get_text()
    assert e.legend.get_texts()[0].get_text() == "your \u03b7"
    e.eta.value = 0.001
    e.epochs.value = 30
    assert not e.run.diverged and len(e.loss_line.get_xdata()) == 30
    assert e.figure.fig is fig and e.eta.min == -3 and e.eta.max == 1  # 10^-3 .. 10^1


# ------------------------------------------------------------------------------ sigmoid
def test_sigmoid_explorer():
    box = widgets.sigmoid_explorer()
    e = box.explorer
    assert "0.5" in e.values.value and "0.25" in e.values.value
    png = e.figure.image.value
    e.net.value = 2.0
    assert e.error == ""
    x, y = e.dot_s.get_xdata()[0], e.dot_s.get_ydata()[0]
    assert x == 2.0 and y == pytest.approx(1 / (1 + np.exp(-2.0)))
    assert e.dot_d.get_ydata()[0] == pytest.approx(y * (1 - y))
    assert "0.8808" in e.values.value and "0.105" in e.values.value
    assert e.figure.image.value != png and e.figure.image.value.tobytes().startswith(PNG)
    e.net.value = -10.0
    assert e.error == "" and e.point.derivative < 1e-4


# ------------------------------------------------------------------- vanishing gradient
def test_vanishing_gradient_explorer():
    box = widgets.vanishing_gradient_explorer(depth=5)
    e = box.explorer
    fig = e.figure.fig
    np.testing.assert_array_equal(e.lines["sigmoid"].get_ydata(),
                                  gradient_norms_by_layer(5, "sigmoid").norms)
    e.depth.value = 20
    assert len(e.lines["sigmoid"].get_xdata()) == 21
    assert "times the output layer's" in e.summary.value
    e.activation.value = "relu"
    assert e.lines["relu"].get_linewidth() > e.lines["sigmoid"].get_linewidth()
    assert e.summary.value.startswith("relu")
    e.scheme.value = "lecture"
    e.depth.value = 50
    assert e.error == "" and e.state.selected.scheme == "lecture"
    assert e.figure.fig is fig and e.figure.image.value.tobytes().startswith(PNG)


# ----------------------------------------------------------------------------- post 002
def test_post002_explorer():
    box = widgets.post002_explorer(epochs=5)
    e = box.explorer
    fig = e.figure.fig
    assert e.error == "" and len(e.loss_line.get_xdata()) == 5
    assert "closest plane" in e.summary.value
    np.testing.assert_array_equal(e.fit_lines[0].get_ydata(), e.state.fitted[0])
    e.seed.value = 3
    assert e.state.run.initial_network.weights[0].tolist() != []
    e.eta.value = 10.0
    assert e.error == "" and e.state.diverged
    assert "diverged" in e.summary.value and "diverged" in e.message.get_text()
    assert len(e.fit_lines[0].get_xdata()) == 0
    e.eta.value = 0.05
    assert not e.state.diverged and e.message.get_text() == ""
    assert e.figure.fig is fig


def test_post002_explorer_keeps_runs_and_equals_fresh_training():
    from backprop.explorers import post002_state

    e = widgets.Post002Explorer(eta=0.05, epochs=8, seed=2)
    e.epochs.value = 3  # a look-up in the kept run
    fresh = post002_state(0.05, 3, seed=2)
    np.testing.assert_array_equal(e.state.fitted, fresh.fitted)
    assert e.state.run.history.loss == fresh.run.history.loss
    e.epochs.value = 11  # three more epochs on the kept run
    assert e._runs[(0.05, 2)].epochs_trained == 11
    np.testing.assert_array_equal(e.state.fitted, post002_state(0.05, 11, seed=2).fitted)
    for seed in range(3, 3 + e.RUNS_KEPT + 1):  # older runs are let go
        e.seed.value = seed
    assert len(e._runs) == e.RUNS_KEPT and (0.05, 2) not in e._runs
