"""The figure and table helpers of chapters 9 and 12 draw and tabulate what they are given."""

from __future__ import annotations

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402

from backprop.diagrams import style  # noqa: E402
from backprop.experiments import post002, post002_figures, practical, practical_figures  # noqa: E402


def test_stopping_table_and_figure():
    settings = dict(max_epochs=300, error_threshold=0.02, patience=50)
    runs = practical.stopping_criteria_runs(**settings)
    table = practical_figures.stopping_table(runs, settings)
    assert table.count("\n") == 5 and "| `epochs=300` |" in table
    assert f"| {runs[0].history.best_epoch} |" in table           # counts stay integers
    ax = practical_figures.plot_stopping_criteria(runs)
    (best,) = [line for line in ax.lines if line.get_marker() == "*"]
    assert best.get_xdata()[0] == runs[0].history.best_epoch      # the minimum is marked
    assert best.get_ydata()[0] == min(runs[0].history.validation_loss)
    plt.close("all")


def test_chapter_9_writes_each_learning_rate_as_given():
    texts = [practical_figures.given_eta_text(eta) for eta in (0.05, 0.5, 1.5, 3.0, 0.1 + 0.2)]
    assert texts == ["0.05", "0.5", "1.5", "3", "0.3"]   # never padded; float noise is not shown


def test_learning_rate_table_and_curves_use_distinct_styles():
    curves = practical.learning_rate_curves((0.05, 0.5, 1.5, 3.0), epochs=50)
    table = practical_figures.learning_rate_table(curves)
    rows = table.splitlines()[2:]
    assert [row.split(" | ")[0] for row in rows] == ["| 0.05", "| 0.5", "| 1.5", "| 3"]  # as given
    assert "| 0.50 |" not in table and "| 3.00 |" not in table
    assert all(len(row.split(" | ")[1].split(".")[1]) == 4 for row in rows)  # errors: 4 places
    assert rows[0].endswith("| 0 | no |")
    assert rows[-1].endswith(f"| {curves[-1].diverged_at_epoch} |")
    ax = practical_figures.plot_learning_rate_curves(curves)
    assert [text.get_text() for text in ax.get_legend().get_texts()][:3] == [
        r"$\eta$ = 0.05", r"$\eta$ = 0.5", r"$\eta$ = 1.5"]
    lines = [line for line in ax.lines if line.get_marker() in ("None", "", None)]
    styles = {(line.get_color(), line.get_linestyle()) for line in lines}
    assert len(styles) == 4
    assert styles == set(style.LINE_CYCLE[:4])                   # the book's first four lines
    # the axis reaches the power of ten below the lowest error, so its end has a label
    lowest = min(float(c.loss[np.isfinite(c.loss)].min()) for c in curves)
    bottom = ax.get_ylim()[0]
    assert bottom <= lowest and np.log10(bottom) == np.floor(np.log10(lowest))
    plt.close("all")


def test_convergence_table_one_row_per_run():
    runs = [post002.train_post002_to_convergence(0.2, 0, rule, max_epochs=100)
            for rule in ("engine", "printed")]
    table = post002_figures.convergence_table(runs)
    assert table.count("\n") == 3
    assert "correct backpropagation" in table and "post 002's printed rules" in table
    assert "| 100 |" in table and "x_1" in table
    fig, miss = post002_figures.plot_surface(runs[0].run.network, runs[0].run.x_train)
    assert miss.shape == (101, 101) and np.isfinite(miss).all()
    plt.close("all")


def test_the_gradient_norm_legend_names_the_schemes_as_the_prose_does():
    norms = {act: practical.gradient_norms_by_layer(3, act, width=4, seed=0)
             for act in ("sigmoid", "relu")}
    ax = practical_figures.plot_gradient_norms(norms)
    labels = [text.get_text() for text in ax.get_legend().get_texts()]
    plt.close(ax.figure)
    assert any("(He initialisation)" in label for label in labels), labels
    assert not any("(he " in label or "(xavier " in label for label in labels), labels
