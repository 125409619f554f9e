"""Tests for backprop.diagrams.style: Okabe-Ito colours, readable text, sign without colour."""

import re
import subprocess
import sys
from pathlib import Path

import nbformat
import pytest

from backprop.diagrams import style

OKABE_ITO = {"#E69F00", "#56B4E9", "#009E73", "#F0E442", "#0072B2", "#D55E00", "#CC79A7",
             "#000000"}


def test_contrast_on_white():
    assert style.contrast_on_white("#000000") == pytest.approx(21.0)
    assert style.contrast_on_white("#FFFFFF") == pytest.approx(1.0)
    assert style.contrast_on_white("#767676") == pytest.approx(4.54, abs=0.01)  # WCAG's grey
    with pytest.raises(ValueError, match="RRGGBB"):
        style.contrast_on_white("blue")


def test_weights_use_okabe_ito_blue_and_vermillion():
    assert style.POS_EDGE == "#0072B2" and style.NEG_EDGE == "#D55E00"
    assert {style.POS_EDGE, style.NEG_EDGE, style.FORWARD, style.BACKWARD} <= OKABE_ITO
    assert style.edge_style(0.4)[0] == style.POS_EDGE
    assert style.edge_style(-0.4)[0] == style.NEG_EDGE
    assert style.edge_style(0.0)[0] == style.ZERO_EDGE


def test_sign_reads_without_colour():
    line_styles = {style.edge_style(v)[2] for v in (0.4, 0.0)}
    assert line_styles == {"-"}
    assert style.edge_style(-0.4)[2] not in ("-", "solid")


@pytest.mark.parametrize(
    "name",
    ["INK", "MUTED", "POS_TEXT", "NEG_TEXT", "ZERO_TEXT", "DELTA_TEXT", "FORWARD_TEXT",
     "BACKWARD_TEXT", "VERMILLION_TEXT", "ORANGE_TEXT", "SKY_BLUE_TEXT", "BLUISH_GREEN_TEXT",
     "REDDISH_PURPLE_TEXT", "GREY_TEXT"],
)
def test_text_colours_reach_4_5_to_1_on_white(name):
    assert style.contrast_on_white(getattr(style, name)) >= 4.5


def test_layer_and_cycle_edges_double_as_text_colours():
    for colour in [*style.LAYER_EDGE.values(), *style.CYCLE_EDGE]:
        assert style.contrast_on_white(colour) >= 4.5, colour


def test_edge_width_grows_with_magnitude_up_to_the_reference():
    assert style.edge_width(0.0, 0.5) == style.W_MIN
    assert style.edge_width(-0.5, 0.5) == style.edge_width(0.5, 0.5) == style.W_MIN + style.W_SPAN
    assert style.edge_width(0.1, 0.5) < style.edge_width(0.4, 0.5)
    assert style.edge_width(2.0, 0.5) == style.W_MIN + style.W_SPAN  # capped


HEX_COLOUR = re.compile(r"#[0-9a-fA-F]{6}\b|#[0-9a-fA-F]{3}\b")
ROOT = Path(__file__).resolve().parents[2]


def test_no_chapter_or_module_picks_a_colour_of_its_own():
    """Colours are set once, in style.py: no hex colour in any chapter cell or other module.

    The explorers' JavaScript (src/backprop/explorers/) keeps its own Okabe-Ito palette: it
    draws in the browser, without matplotlib.
    """
    found = []
    for path in sorted((ROOT / "src" / "backprop").rglob("*.py")):
        if path.name == "style.py" and path.parent.name == "diagrams":
            continue
        for number, line in enumerate(path.read_text().splitlines(), start=1):
            found += [f"{path.relative_to(ROOT)}:{number}: {hit}"
                      for hit in HEX_COLOUR.findall(line)]
    for path in sorted((ROOT / "chapters").glob("*.ipynb")):
        for index, cell in enumerate(nbformat.read(path, as_version=4).cells):
            found += [f"{path.name} cell {index}: {hit}" for hit in HEX_COLOUR.findall(cell.source)]
    assert found == [], "pick colours in backprop.diagrams.style:\n" + "\n".join(found)


def test_book_style_sets_the_line_cycle_only_inside_its_block():
    import matplotlib

    before = matplotlib.rcParams["axes.prop_cycle"]
    with style.book_style():
        cycle = list(matplotlib.rcParams["axes.prop_cycle"])
        assert [entry["color"] for entry in cycle] == [c for c, _ in style.LINE_CYCLE]
        assert len({str(entry["linestyle"]) for entry in cycle}) == len(style.LINE_CYCLE)
    assert matplotlib.rcParams["axes.prop_cycle"] == before


def test_importing_the_style_leaves_matplotlib_alone():
    code = ("import sys, backprop.diagrams.style, backprop.diagrams.colour_vision; "
            "assert 'matplotlib' not in sys.modules")
    subprocess.run([sys.executable, "-c", code], check=True)
