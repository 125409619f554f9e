"""Tests for backprop.diagrams.style: Okabe-Ito colours, readable text, sign without colour."""

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
