"""Every figure of the book reads with deuteranopia (issue 16, "Colour").

Each figure function of the package is drawn (Agg, small seeded data: the colours do not
depend on the data), and in every axes with a legend each pair of entries must

- differ by at least 20 (CIEDE2000) in colour as a reader with full deuteranopia sees it
  (Machado et al. 2009, :mod:`backprop.diagrams.colour_vision`), unless the two share one
  colour on purpose; and
- differ in line style or marker too, so the legend reads without colour at all.

Diagrams without a legend compare colours named in :mod:`backprop.diagrams.style`; those
pairs are checked directly. CIEDE2000 itself is checked against Sharma, Wu and Dalal's
(2005) published pairs.
"""

from __future__ import annotations

import itertools

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pytest  # noqa: E402
from matplotlib.colors import to_hex, to_rgb  # noqa: E402

from backprop.activations import ACTIVATIONS  # noqa: E402
from backprop.diagrams import algorithm_plots, sigmoid_plots, style  # noqa: E402
from backprop.diagrams.colour_vision import (  # noqa: E402
    ciede2000,
    deuteranopia,
    perceived_difference,
    to_lab,
)
from backprop.experiments import post002, post002_figures, practical, practical_figures  # noqa: E402
from backprop.memory import memory_rows, plot_memory  # noqa: E402

LEAST_DIFFERENCE = 20.0

# Sharma, Wu and Dalal (2005), Table 1: (L*, a*, b*) pairs and their CIEDE2000.
SHARMA_PAIRS = [
    ((50.0, 2.6772, -79.7751), (50.0, 0.0, -82.7485), 2.0425),
    ((50.0, 0.0, 0.0), (50.0, -1.0, 2.0), 2.3669),
    ((50.0, 2.49, -0.001), (50.0, -2.49, 0.0009), 7.1792),
    ((50.0, -0.001, 2.49), (50.0, 0.0009, -2.49), 4.8045),
    ((50.0, 2.5, 0.0), (73.0, 25.0, -18.0), 27.1492),
    ((50.0, 2.5, 0.0), (58.0, 24.0, 15.0), 19.4535),
    ((60.2574, -34.0099, 36.2677), (60.4626, -34.1751, 39.4387), 1.2644),
    ((2.0776, 0.0795, -1.135), (0.9033, -0.0636, -0.5514), 0.9082),
]


@pytest.mark.parametrize(("lab1", "lab2", "expected"), SHARMA_PAIRS)
def test_ciede2000_matches_sharma_wu_dalal(lab1, lab2, expected):
    assert ciede2000(lab1, lab2) == pytest.approx(expected, abs=1e-4)
    assert ciede2000(lab2, lab1) == pytest.approx(expected, abs=1e-4)


def test_lab_and_deuteranopia_keep_white_and_greys():
    np.testing.assert_allclose(to_lab("#FFFFFF"), [100.0, 0.0, 0.0], atol=1e-3)
    for grey in ("#000000", "#777777", "#FFFFFF"):  # the matrix's rows sum to 1
        np.testing.assert_allclose(deuteranopia(grey), to_rgb(grey), atol=2e-3)
    # red and green, far apart for most readers, close together with deuteranopia
    assert perceived_difference("#D55E00", "#E69F00", deuteranope=False) > 20
    assert perceived_difference("#D55E00", "#E69F00") < 15


def _dashes(line) -> str:
    """A line's dash pattern: ``get_linestyle`` calls every custom pattern "--"."""
    if line.get_linestyle() in ("None", "", " ", "none"):
        return "None"
    offset, pattern = line._unscaled_dash_pattern  # no public getter in matplotlib 3.10
    return f"{offset} {tuple(pattern) if pattern else 'solid'}"


def _entries(legend):
    """``(label, rgb, line style, marker)`` of each entry of a legend."""
    entries = []
    for handle, text in zip(legend.legend_handles, legend.get_texts(), strict=True):
        if hasattr(handle, "get_linestyle") and hasattr(handle, "get_marker"):  # Line2D
            colour, marker = handle.get_color(), handle.get_marker()
            linestyle = _dashes(handle)
        else:  # patches and collections: their face colour
            colour = handle.get_facecolor()
            colour = colour[0] if np.ndim(colour) == 2 else colour
            linestyle, marker = "None", type(handle).__name__
        marker = "None" if marker in (None, "", " ", "none") else str(marker)
        linestyle = "None" if linestyle in (None, "", " ", "none") else str(linestyle)
        entries.append((text.get_text(), to_rgb(colour), linestyle, marker))
    return entries


def legend_problems(fig) -> list[str]:
    """Pairs of legend entries that a reader with deuteranopia could confuse."""
    problems = []
    legends = [ax.get_legend() for ax in fig.axes if ax.get_legend() is not None]
    for legend in legends:
        for (label1, c1, ls1, m1), (label2, c2, ls2, m2) in itertools.combinations(
                _entries(legend), 2):
            pair = f"{label1!r} and {label2!r}"
            if (ls1, m1) == (ls2, m2):
                problems.append(f"{pair}: same line style and marker, told apart by colour only")
            if not np.allclose(c1, c2):
                difference = perceived_difference(c1, c2)
                if difference < LEAST_DIFFERENCE:
                    problems.append(f"{pair}: {to_hex(c1)} and {to_hex(c2)} differ by "
                                    f"{difference:.1f} with deuteranopia "
                                    f"(want {LEAST_DIFFERENCE}+)")
    return problems


def _sigmoid_curves():
    grid = np.linspace(-4, 4, 81)
    return grid, {name: (ACTIVATIONS[name].forward(grid),
                         ACTIVATIONS[name].derivative(grid, ACTIVATIONS[name].forward(grid)))
                  for name in ("sigmoid", "tanh", "relu")}


def _sigmoid_figure():
    grid, curves = _sigmoid_curves()
    out, slope = curves["sigmoid"]
    cases = np.array([0.0, 2.0, -1.5])
    return sigmoid_plots.plot_sigmoid_and_derivative(
        grid, out, slope, cases, ACTIVATIONS["sigmoid"].forward(cases), np.full(3, 0.2))


def _decay(k):
    return 0.5 * np.exp(-np.arange(1, 41) / (5 + 5 * k))


def _post002_run():
    return post002.train_post002(epochs=3, n_train=8, n_test=20)


# Every figure function of the book, with the chapter that shows it, drawn from small data.
FIGURES = {
    "4.1 sigmoid and derivative": _sigmoid_figure,
    "4.2 activations": lambda: sigmoid_plots.plot_activations(*_sigmoid_curves()),
    "5.1 training error": lambda: algorithm_plots.plot_training_error(_decay(0), title="XOR"),
    "5.2 update rules": lambda: algorithm_plots.plot_update_rules(
        {rule: _decay(k) for k, rule in enumerate(("stochastic", "minibatch", "batch"))},
        {"stochastic": 4, "minibatch": 2, "batch": 1}),
    "9.1 stopping criteria": lambda: practical_figures.plot_stopping_criteria(
        practical.stopping_criteria_runs(max_epochs=120, patience=10, n_validation=20)),
    "9.2 learning-rate curves": lambda: practical_figures.plot_learning_rate_curves(
        practical.learning_rate_curves((0.05, 0.5, 1.5, 3.0), epochs=30)),
    "9.3 symmetry": lambda: practical_figures.plot_symmetry(
        *practical.symmetric_initialisation_demo(epochs=20)),
    "9.4 gradient norms": lambda: practical_figures.plot_gradient_norms(
        {act: practical.gradient_norms_by_layer(3, act, width=4, batch_size=8)
         for act in ("sigmoid", "tanh", "relu")}),
    "9.5 momentum": lambda: practical_figures.plot_momentum(
        practical.momentum_curves((0.0, 0.9), eta=0.1, epochs=20)),
    "9.6 learning-rate exercise": lambda: practical_figures.plot_learning_rate_curves(
        practical.learning_rate_curves((0.05, 0.5, 1.5, 3.0), epochs=30, seed=3),
        mark_divergence=False),
    "11 trace memory": lambda: _memory_figure(),
    "12.2 training error": lambda: post002_figures.plot_training_error(_post002_run()),
    "12.3 surface": lambda: post002_figures.plot_surface(
        (run := _post002_run()).network, run.x_train)[0],
}


def _memory_figure():
    fig, ax = plt.subplots()
    plot_memory(memory_rows([1, 2], [1, 4, 16], width=4, n_in=2, n_out=1), ax)
    return fig


@pytest.mark.parametrize("name", FIGURES)
def test_figure_reads_with_deuteranopia(name):
    result = FIGURES[name]()
    fig = result if isinstance(result, matplotlib.figure.Figure) else result.figure
    try:
        assert legend_problems(fig) == []
    finally:
        plt.close(fig)


def test_the_figures_compare_lines_in_legends():
    """The check above is not vacuous: the comparing figures have legends with entries."""
    fig = FIGURES["9.2 learning-rate curves"]()
    fig = fig.figure
    try:
        assert len(_entries(fig.axes[0].get_legend())) == 4
    finally:
        plt.close(fig)


def test_the_old_colours_fail():
    """Chapter 5's hand-picked brown and red, and Okabe-Ito's orange against vermillion."""
    for pair in (("#a6742a", "#c0392b"), ("#E69F00", "#D55E00")):
        fig, ax = plt.subplots()
        for colour in pair:
            ax.plot([0, 1], [0, 1], color=colour, label=colour)
        ax.legend()
        problems = legend_problems(fig)
        plt.close(fig)
        assert any("with deuteranopia" in p for p in problems), pair
        assert any("colour only" in p for p in problems), pair


def test_the_line_cycle_stays_apart_for_every_reader():
    colours = [colour for colour, _ in style.LINE_CYCLE]
    for c1, c2 in itertools.combinations(colours, 2):
        assert perceived_difference(c1, c2) >= 25, (c1, c2)
        assert perceived_difference(c1, c2, deuteranope=False) >= 25, (c1, c2)
    assert len({linestyle for _, linestyle in style.LINE_CYCLE}) == len(style.LINE_CYCLE)
    assert min(style.contrast_on_white(c) for c in colours) >= 3.0  # WCAG 1.4.11 graphics


@pytest.mark.parametrize(("first", "second"), [
    ("POS_EDGE", "NEG_EDGE"),              # network diagrams: weight signs (also dashed)
    ("FORWARD", "BACKWARD"),               # chapter 2's two passes
    ("GRAPH_VALUE_TEXT", "GRAPH_GRAD_TEXT"),  # chapter 13: value and gradient in a box
    ("DELTA_TEXT", "INK"),                 # error terms beside the unit values
])
def test_diagram_colours_stay_apart(first, second):
    assert perceived_difference(getattr(style, first), getattr(style, second)) >= LEAST_DIFFERENCE


def test_line_style_rejects_a_sixth_line():
    with pytest.raises(ValueError, match="at most 5 lines"):
        style.line_style(5)
