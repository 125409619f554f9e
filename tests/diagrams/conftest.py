"""Shared by the diagram tests: the Agg backend, figures closed after each test, and the
checks every drawn figure must pass (no two texts overlap, every text readable on white)."""

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import pytest  # noqa: E402

from backprop.diagrams.style import contrast_on_white  # noqa: E402


@pytest.fixture(autouse=True)
def _close_figures():
    yield
    plt.close("all")


def _overlapping_texts(fig, ax):
    """Pairs of visible, non-empty texts whose rendered boxes intersect."""
    fig.canvas.draw()
    renderer = fig.canvas.get_renderer()
    texts = [t for t in ax.texts if t.get_visible() and t.get_text()]
    boxes = [(t.get_bbox_patch() or t).get_window_extent(renderer) for t in texts]
    return [
        (texts[a].get_text(), texts[b].get_text())
        for a in range(len(texts))
        for b in range(a + 1, len(texts))
        if boxes[a].overlaps(boxes[b])
    ]


def _low_contrast_texts(ax, minimum=4.5):
    """``(text, colour, contrast)`` of every non-empty text below ``minimum``:1 on white."""
    found = []
    for t in list(ax.texts) + [ax.title]:
        if t.get_text():
            colour = matplotlib.colors.to_hex(t.get_color())
            ratio = contrast_on_white(colour)
            if ratio < minimum:
                found.append((t.get_text(), colour, round(ratio, 2)))
    return found


@pytest.fixture
def overlapping_texts():
    """``overlapping_texts(fig, ax)``: pairs of texts whose rendered boxes intersect."""
    return _overlapping_texts


@pytest.fixture
def low_contrast_texts():
    """``low_contrast_texts(ax)``: texts with less than 4.5:1 contrast on white."""
    return _low_contrast_texts
