"""Tests for backprop.diagrams.schematics: chapter 2's Figure 1 and chapter 6's Figure 2."""

import matplotlib
import matplotlib.pyplot as plt
import pytest

from backprop.diagrams import draw_training_cycle, draw_two_phase_flow
from backprop.diagrams.style import BACKWARD, FORWARD


def _all_texts(fig):
    return [t.get_text() for ax in fig.axes for t in ax.texts]


def test_two_phase_flow_figure(overlapping_texts, low_contrast_texts):
    fig = draw_two_phase_flow()
    texts = _all_texts(fig)
    assert "Forward pass: functional signal" in texts
    assert "Backward pass: error signal" in texts
    assert {"Input layer", "Hidden layer", "Output layer"} <= set(texts)
    ax = fig.axes[0]
    assert not ax.axison
    assert overlapping_texts(fig, ax) == []
    assert low_contrast_texts(ax) == []
    # Vermillion arrow on top pointing right, blue arrow at the bottom pointing left.
    arrows = {p.get_gid(): p for p in ax.patches}
    top, bottom = arrows["forward-pass-arrow"], arrows["backward-pass-arrow"]
    (tx0, ty0), (tx1, ty1) = top._posA_posB
    (bx0, by0), (bx1, by1) = bottom._posA_posB
    assert tx1 > tx0 and bx1 < bx0  # forward left to right, backward right to left
    assert ty0 > by0  # forward along the top
    assert matplotlib.colors.to_hex(top.get_facecolor()) == FORWARD.lower()
    assert matplotlib.colors.to_hex(bottom.get_facecolor()) == BACKWARD.lower()
    # Each arrow's label sits on its side of the network: the places tell them apart too.
    y = {t.get_text(): t.get_position()[1] for t in ax.texts}
    assert y["Forward pass: functional signal"] > ty0
    assert y["Backward pass: error signal"] < by0


def test_training_cycle_figure(overlapping_texts, low_contrast_texts):
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
    assert overlapping_texts(fig, ax) == []
    assert low_contrast_texts(ax) == []


def test_figures_draw_on_given_axes():
    fig, (a, b) = plt.subplots(1, 2)
    assert draw_two_phase_flow(ax=a) is fig
    assert draw_training_cycle(ax=b) is fig
    assert a.texts and b.texts


def test_new_figures_are_sized_to_their_drawing():
    flow, cycle = draw_two_phase_flow(), draw_training_cycle()
    for fig in (flow, cycle):
        ax = fig.axes[0]
        (x0, x1), (y0, y1) = ax.get_xlim(), ax.get_ylim()
        w, h = fig.get_size_inches()
        assert w / h == pytest.approx((x1 - x0) / (y1 - y0))
