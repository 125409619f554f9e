"""Chapter 4's sigmoid explorer: the view (sigmoid.js) shows the engine's numbers.

Parity: for 60 net inputs on the slider's grid (both ends included, the rest drawn from a
seeded generator), every number the page shows equals :func:`backprop.explorers.sigmoid_point`
formatted as the engine formats it. The widget: one slider, linked in the front end.
"""

from __future__ import annotations

import numpy as np
import pytest
from harness import open_explorer, sample_values

from backprop.explorers.sigmoid import NET_PLACES, sigmoid_explorer, sigmoid_point
from backprop.explorers.widget import given_readout
from backprop.worked import checked_product, format_given, format_number

MINUS = "\N{MINUS SIGN}"


def engine_texts(net: float) -> dict:
    """What the view must show for ``net``, from the engine: the net as given, and
    sigma(1 - sigma) = slope as the book's checked_product writes it (true by hand)."""
    point = sigmoid_point(net)
    product = checked_product([point.value, 1 - point.value], point.derivative, 4)
    sigma, one_minus_sigma, slope = product.replace(" \\times ", " = ").split(" = ")

    def prose(text):
        return text.replace("-", MINUS)

    return {
        "net": prose(format_given(net, 2)),
        "minus_net": prose(format_given(-net, 2)),
        "sigma": prose(sigma),
        "one_minus_sigma": prose(one_minus_sigma),
        "slope": prose(slope),
        # from the slope as shown (0.0066 is 2.64 % of 1/4), not the exact one (2.66 %)
        "percent": f"{float(slope) * 400:.2f}",
    }


def test_the_product_line_checks_by_hand_where_four_places_would_not():
    # the fifth read of issue 15: at net = 5, 0.9933 x 0.0067 = 0.00666 is not the 0.0066
    # shown; at net = 2.6, 0.0691 x 0.9309 gives 0.0643, not 0.0644
    five = engine_texts(5.0)
    assert (five["net"], five["sigma"], five["one_minus_sigma"], five["slope"]) == (
        "5", "0.99331", "0.00669", "0.0066")
    assert engine_texts(-2.6)["sigma"] != "0.0691"
    for net in np.arange(-10.0, 10.001, 0.05):
        texts = engine_texts(round(float(net), 2))
        shown = float(texts["sigma"].replace(MINUS, "-")) * float(texts["one_minus_sigma"])
        assert format_number(shown, 4) == texts["slope"], net
        assert float(texts["percent"]) == pytest.approx(float(texts["slope"]) / 0.25 * 100)


def test_widget_links_its_slider_to_the_view():
    box = sigmoid_explorer(0.5)
    slider = box.controls["net"]
    assert (slider.min, slider.max, slider.step, slider.value) == (-10.0, 10.0, 0.05, 0.5)
    assert box.view.net == 0.5
    value, readout = box.links
    assert value.source == (slider, "value") and value.target == (box.view, "net")
    # the readout writes net as the view does: 0.5, not 0.50
    assert slider.readout_format == box.view.readout_net == ".1f"
    assert readout.source == (slider, "readout_format")
    assert readout.target == (box.view, "readout_net")
    assert box.children == (slider, box.view)


@pytest.mark.parametrize("bad", [11.0, -10.5, float("nan")])
def test_widget_refuses_a_net_off_the_slider(bad):
    with pytest.raises(ValueError, match="net must be between -10 and 10"):
        sigmoid_explorer(bad)


def test_view_shows_the_engine_numbers(browser):
    rng = np.random.default_rng(4)
    nets = sample_values(rng, -10.0, 10.0, 0.05, 60)
    explorer = open_explorer(browser, "sigmoid.js", data={}, values={"net": 0.0})
    try:
        shown = explorer.show_all([{"net": net} for net in nets])
        readouts = explorer.page.evaluate(
            "(nets) => nets.map((net) => { window.explorer.show({net});"
            " return window.explorer.model.get('readout_net'); })", nets)
        for net, result, readout in zip(nets, shown, readouts, strict=True):
            assert result["numbers"] == engine_texts(net), f"net = {net}"
            # the slider's readout as the view writes net: 2.5 as .1f, 3 as .0f
            assert readout == given_readout(net, NET_PLACES), f"net = {net}"
            assert not result["conflicts"] and result["message"] == ""
            assert "NaN" not in result["text"] and "undefined" not in result["text"]
        explorer.check_clean()
    finally:
        explorer.page.close()


def test_view_draws_the_point_where_the_numbers_say(browser):
    explorer = open_explorer(browser, "sigmoid.js", data={}, values={"net": 2.0})
    try:
        def dot_and_guide():
            return explorer.page.evaluate(
                "() => [Number(document.querySelector('circle').getAttribute('cx')),"
                " Number(document.querySelector('svg line[stroke-dasharray=\"3 3\"]')"
                ".getAttribute('x1'))]")

        right = dot_and_guide()
        explorer.show({"net": -3.0})
        left = dot_and_guide()
        # the dot moved left with its guide line, in proportion: 5 of the axis's 20 units
        assert left[0] == pytest.approx(left[1]) and right[0] == pytest.approx(right[1])
        assert (right[0] - left[0]) > 0
        assert (right[0] - left[0]) / (5 / 20) == pytest.approx(560 - 58 - 12, rel=1e-3)
        labels = explorer.page.eval_on_selector_all(
            "svg[role=img]", "nodes => nodes.map(n => n.getAttribute('aria-label'))")
        assert len(labels) == 2 and all(len(label) > 40 for label in labels)
        explorer.check_clean()
    finally:
        explorer.page.close()
