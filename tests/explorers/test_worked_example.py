"""The worked-example explorer of chapters 6, 7 and 10: its view (worked.js) shows the engine's.

Parity: for 60 settings of every slider of each of the two examples (the lecture's 3-2-1
and 2-2-2; every slider's both ends included, the rest drawn on the slider's grid from a
seeded generator), every number the page shows - the diagram (before or after the step),
its tables, E before and after and the formulas - equals
:func:`backprop.worked_solution`'s value (or :func:`~backprop.explorers.worked_example_state`'s)
formatted as the engine formats it, and a step that overflows shows
:attr:`~backprop.explorers.WorkedStep.message`. "take the step" sets the widget's values
to the engine's updated weights (so the page then shows the engine's second step) and
"reset" gives back the example's.
"""

from __future__ import annotations

import json

import numpy as np
import pytest
from harness import open_explorer, sample_values

from backprop.explorers.widget import bundle, given_readout
from backprop.explorers.worked import (
    DIVERGED_MESSAGE,
    worked_example_explorer,
    worked_example_state,
    worked_parameters,
    worked_slider_range,
    worked_value_name,
    worked_view_data,
)
from backprop.lecture import Example, multi_output_2_2_2, worked_3_2_1
from backprop.network import Network
from backprop.worked import carried_quantities, format_given, format_number, worked_solution

MINUS = "\N{MINUS SIGN}"
EXAMPLES = {"3-2-1": worked_3_2_1, "2-2-2": multi_output_2_2_2}
SETTINGS = 60


def deep_example() -> Example:
    """A 2-2-2-1 network with tanh, relu and linear units: every other formula of the view."""
    network = Network.from_weights(
        weights=[[[0.3, -0.2], [0.5, 0.1]], [[0.4, -0.6], [0.2, 0.7]], [[0.8, -0.3]]],
        biases=[[0.1, -0.1], [0.05, 0.0], [0.2]],
        activations=["tanh", "relu", "linear"],
    )
    return Example(network, np.array([1.0, -0.5]), np.array([0.7]), 0.3, [["1", "2"], ["3", "4"],
                                                                          ["5", "6"], ["7"]])


def prose(value: float, decimals: int) -> str:
    return format_number(float(value), decimals).replace("-", MINUS)


def engine_texts(example: Example, values: dict, decimals: int = 4) -> dict:
    """What the view must show for slider values ``values`` (by parameter key), from the engine.

    The diagram, tables and summary: :func:`backprop.worked_solution`'s values with
    ``decimals`` places; the formulas: its texts, line by line (``"w_4,1:delta_4"``), the
    factors with more places where a line needs them to check by hand.
    """
    labels = example.unit_labels
    state = worked_example_state(example, values)
    assert state.finite
    net = example.network
    stepped = Network(state.weights, state.biases, net.activations, net.loss_function)
    with np.errstate(all="ignore"):
        solution = worked_solution(stepped, state.x, state.t, state.eta, decimals=decimals,
                                   unit_labels=labels)
    exact = dict(solution.values)
    exact["E_change"] = state.error_change
    for i, unit in enumerate(labels[0]):
        exact[f"x_{unit}"] = state.x[i]
    for layer, units in enumerate(labels[1:]):
        for j, unit in enumerate(units):
            exact[f"b_old_{unit}"] = state.biases[layer][j]
            # worked_solution has o_after of the output units only; the diagram shows all
            exact.setdefault(f"o_after_{unit}", state.outputs_after[layer][j])
            for i, source in enumerate(labels[layer]):
                exact[f"w_old_{unit},{source}"] = state.weights[layer][j, i]
    texts = {key: prose(value, decimals) for key, value in exact.items()}
    # given numbers as given: the inputs, the weights and biases before the step, and a
    # weight or bias the step leaves exactly as it was
    for key, value in exact.items():
        kind, _, name = key.partition("_")
        unchanged = (kind in ("w", "b") and not name.startswith("old_")
                     and value == exact.get(f"{kind}_old_{name}"))
        if kind == "x" or name.startswith("old_") or unchanged:
            texts[key] = format_given(float(value), decimals).replace("-", MINUS)
        if kind in ("dw", "db") and value == 0:  # an exact zero change, as given
            texts[key] = "0"
    texts.update({key: text.replace("-", MINUS) for key, text in solution.texts.items()})
    change = state.error_change
    texts["E_direction"] = "down" if change < 0 else ("up" if change > 0 else "unchanged")
    for section, carried in solution.carried.items():
        texts[f"carried_{section}"] = carried_text(carried, decimals)
    return texts


# How the view writes a carried quantity's symbol (subscripts and superscripts as text).
VIEW_SYMBOLS = {"net": "net{unit}", "o": "o{unit}", "o_after": "o{unit}new",
                "delta": "\u03b4{unit}"}


def carried_text(carried: dict, decimals: int) -> str:
    """The view's sentence on a section's carried places (its text, as the harness reads
    it): worked_solution's note without the math markup, "" where nothing is carried."""
    quantities = carried_quantities(carried)
    if not quantities:
        return ""
    shown = ", ".join(f"{VIEW_SYMBOLS[kind].format(unit=unit)} = {text.replace('-', MINUS)}"
                      for kind, unit, text in quantities)
    one = len(quantities) == 1
    words = ["zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine"]
    return (f"More places where a line needs them: {shown}, rounded to {words[decimals]} places "
            f"in {'its' if one else 'their'} own line{'' if one else 's'}; each line above "
            "checks by hand from the numbers it shows.")


def random_settings(example: Example, rng, count: int) -> list[dict]:
    """``count`` settings of every slider (by parameter key) on the sliders' grids.

    Each slider's column holds both its ends (at random rows, so the extremes meet
    other sliders' random values) and values drawn with ``rng``.
    """
    columns = {}
    for p in worked_parameters(example):
        low, high, step = worked_slider_range(p, example)
        columns[p.key] = rng.permutation(sample_values(rng, low, high, step, count)).tolist()
    return [{key: column[n] for key, column in columns.items()} for n in range(count)]


def view_values(values: dict, after: bool = False) -> dict:
    return {**{worked_value_name(key): value for key, value in values.items()}, "after": after}


def open_worked(browser, example: Example, decimals: int = 4, width: int = 900):
    data = worked_view_data(example, decimals)
    values = {p["name"]: min(max(p["value"], p["min"]), p["max"]) for p in data["parameters"]}
    readouts = {f"readout_{name}": given_readout(value, decimals)
                for name, value in values.items()}
    return open_explorer(browser, "worked.js", data=data,
                         values={**values, **readouts, "after": False}, width=width)


# ------------------------------------------------------------------------ the widget
@pytest.mark.parametrize("name", EXAMPLES)
def test_widget_has_a_linked_slider_per_number(name):
    example = EXAMPLES[name]()
    box = worked_example_explorer(example)
    parameters = worked_parameters(example)
    assert list(box.controls) == [p.key for p in parameters]
    for p in parameters:
        slider = box.controls[p.key]
        low, high, step = worked_slider_range(p, example)
        assert (slider.min, slider.max, slider.step) == (low, high, step)
        assert slider.value == p.value == getattr(box.view, worked_value_name(p.key))
        # the readout writes the number as the view does: a given as given (0.9, -0.5, 1)
        assert slider.readout_format == f".{len(format_given(slider.value, 4).partition('.')[2])}f"
        assert slider.readout_format == getattr(box.view, f"readout_{worked_value_name(p.key)}")
        # the buttons set exact updated values: a slider sending on every move would snap
        # them to its grid when they come back through the link
        assert slider.continuous_update is False
    assert box.view.after is False
    # a link per slider for its value, then one for its readout format
    sliders = list(box.controls.values())
    assert [link.source for link in box.links] == (
        [(s, "value") for s in sliders] + [(s, "readout_format") for s in sliders])
    assert all(link.target[0] is box.view for link in box.links)
    assert box.view.data["message"] == DIVERGED_MESSAGE
    assert box.controls["w_4,1" if name == "3-2-1" else "w_3,1"].description.startswith("w<sub>")
    grid = box.children[1]
    titles = [group.children[0].value for group in grid.children]
    assert titles[0] == "<b>Input, target and learning rate</b>"
    units = [u for layer in example.unit_labels[1:] for u in layer]
    assert titles[1:] == [f"<b>Into unit {u}</b>" for u in units]


def test_widget_refuses_what_the_view_cannot_compute():
    with pytest.raises(ValueError, match="decimals must be an integer from 1 to 12"):
        worked_example_explorer(decimals=0)
    softmax = Network.from_weights([[[0.1, 0.2], [0.3, 0.4]]], [[0.0, 0.0]], ["softmax"],
                                   loss="cross_entropy")
    example = Example(softmax, np.array([1.0, 0.0]), np.array([1.0, 0.0]), 0.5,
                      [["1", "2"], ["3", "4"]])
    with pytest.raises(ValueError, match="squared error"):
        worked_example_explorer(example)


def test_widget_decimals_reach_the_view_and_the_sliders():
    box = worked_example_explorer(decimals=2)
    assert box.view.data["decimals"] == 2
    assert box.controls["eta"].readout_format == ".1f"  # the given 0.9
    assert given_readout(0.123456, 2) == ".2f" and given_readout(0.123456, 4) == ".4f"


# ------------------------------------------------------------------------ the view
def diverging(example: Example, values: dict) -> dict:
    """``values`` with an input and a learning rate no slider gives, so that the step overflows.

    The first input is 1e6 but its weights are 0, so the units stay unsaturated (their
    deltas are not tiny) while eta delta x of those weights overflows.
    """
    first = example.unit_labels[0][0]
    kept = {p.key: p.value for p in worked_parameters(example)
            if p.kind in ("weight", "bias", "input")}
    cut = {f"w_{unit},{first}": 0.0 for unit in example.unit_labels[1]}
    return {**values, **kept, **cut, "eta": 1.7e308, f"x_{first}": 1e6}


@pytest.mark.parametrize("name", EXAMPLES)
def test_view_shows_the_engine_numbers(browser, name):
    example = EXAMPLES[name]()
    rng = np.random.default_rng(7 if name == "3-2-1" else 8)
    settings = random_settings(example, rng, SETTINGS)
    # the example itself, then settings that overflow (each followed by a normal one)
    settings = [{p.key: p.value for p in worked_parameters(example)}, *settings]
    overflow = [diverging(example, settings[n]) for n in (3, 30)]
    for state in (worked_example_state(example, values) for values in overflow):
        assert not state.finite and state.message == DIVERGED_MESSAGE
    cases = list(settings)
    cases[10:10] = [overflow[0]]
    cases[40:40] = [overflow[1]]
    afters = rng.integers(0, 2, size=len(cases)).astype(bool).tolist()
    explorer = open_worked(browser, example)
    try:
        shown = explorer.show_all([view_values(values, after)
                                   for values, after in zip(cases, afters, strict=True)])
        compared = 0
        for values, result in zip(cases, shown, strict=True):
            assert not result["conflicts"], (values, result["conflicts"])
            text = result["text"].replace(DIVERGED_MESSAGE, "")
            for bad in ("NaN", "undefined", "Infinity", "inf"):
                assert bad not in text, (values, text)
            state = worked_example_state(example, values)
            if not state.finite:
                assert result["message"] == state.message == DIVERGED_MESSAGE
                continue
            expected = engine_texts(example, values)
            assert result["message"] == ""
            assert result["numbers"] == expected, values
            compared += len(expected)
        # every finite setting compares every key (diagram, tables and every factor of every line)
        assert compared == (len(cases) - len(overflow)) * len(expected)
        print(f"worked explorer {name}: {len(cases) - len(overflow)} settings, {compared} numbers "
              f"equal to the engine's; {len(overflow)} overflows with its message")
        explorer.check_clean()
    finally:
        explorer.page.close()


def test_view_shows_tanh_relu_and_linear_units_as_the_engine(browser):
    example = deep_example()
    rng = np.random.default_rng(9)
    settings = random_settings(example, rng, 25)
    explorer = open_worked(browser, example, decimals=3)
    try:
        shown = explorer.show_all([view_values(values) for values in settings])
        for values, result in zip(settings, shown, strict=True):
            if not worked_example_state(example, values).finite:
                assert result["message"] == DIVERGED_MESSAGE
                continue
            assert result["numbers"] == engine_texts(example, values, decimals=3), values
        text = shown[0]["text"]
        assert "tanh(net" in text and "max(0, net" in text
        assert "E = \u00bd[(t7 \u2212 o7)2]" in text  # the symbolic sum, not moved to E new
        explorer.check_clean()
    finally:
        explorer.page.close()


def click(explorer, label: str) -> dict:
    explorer.page.get_by_role("button", name=label, exact=True).click()
    return explorer.show({})


def model_values(explorer, example: Example) -> dict:
    names = {worked_value_name(p.key): p.key for p in worked_parameters(example)}
    got = explorer.page.evaluate(
        "(names) => Object.fromEntries(names.map((n) => [n, window.explorer.model.get(n)]))",
        list(names))
    return {names[name]: value for name, value in got.items()}


def readouts(explorer, example: Example) -> dict:
    """The readout format the view has set for each slider, by parameter key."""
    names = {worked_value_name(p.key): p.key for p in worked_parameters(example)}
    got = explorer.page.evaluate(
        "(names) => Object.fromEntries(names.map("
        "  (n) => [n, window.explorer.model.get(`readout_${n}`)]))",
        list(names))
    return {names[name]: value for name, value in got.items()}


@pytest.mark.parametrize("name", EXAMPLES)
def test_take_the_step_gives_the_engine_second_step_and_reset_the_example(browser, name):
    example = EXAMPLES[name]()
    parameters = worked_parameters(example)
    start = {p.key: p.value for p in parameters}
    explorer = open_worked(browser, example)
    try:
        values = dict(start)
        for _ in range(3):  # three clicks: the engine's second, third and fourth steps
            state = worked_example_state(example, values)
            for p in parameters:
                if p.kind == "weight":
                    values[p.key] = float(state.new_weights[p.layer][p.index])
                elif p.kind == "bias":
                    values[p.key] = float(state.new_biases[p.layer][p.index])
            result = click(explorer, "take the step")
            got = model_values(explorer, example)
            assert got == pytest.approx(values, rel=1e-13, abs=1e-15)
            assert result["numbers"] == engine_texts(example, values)
            # the sliders' readouts as the view writes the numbers: the updated weights
            # at four places, the givens (inputs, target, eta) as given
            assert readouts(explorer, example) == {
                key: given_readout(value, 4) for key, value in got.items()}
        shown = readouts(explorer, example)
        assert shown["eta"] == ".1f"  # 0.9
        # a weight the steps changed at four places; one they left (its input is 0) as given
        assert {shown[p.key] for p in parameters if p.kind == "weight"
                and values[p.key] != start[p.key]} == {".4f"}
        saved = explorer.page.evaluate("() => window.saved")
        assert saved == 3  # each click sends its values, and the readouts, once
        result = click(explorer, "reset")
        assert model_values(explorer, example) == start
        assert result["numbers"] == engine_texts(example, start)
        assert readouts(explorer, example) == {
            key: given_readout(value, 4) for key, value in start.items()}
        # the diagram toggle: the after stage shows the new weights on the edges
        result = click(explorer, "after the step")
        assert explorer.page.evaluate("() => window.explorer.model.get('after')") is True
        edge_keys = explorer.page.eval_on_selector_all(
            "svg tspan[data-key^='w_']", "nodes => nodes.map(n => n.getAttribute('data-key'))")
        assert edge_keys and not any(key.startswith("w_old_") for key in edge_keys)
        pressed = explorer.page.eval_on_selector_all(
            "button[aria-pressed]",
            "nodes => nodes.map(n => [n.textContent, n.getAttribute('aria-pressed')])")
        assert pressed == [["before the step", "false"], ["after the step", "true"]]
        explorer.check_clean()
    finally:
        explorer.page.close()


def test_take_the_step_stops_at_the_slider_ends(browser):
    example = worked_3_2_1()
    start = {p.key: p.value for p in worked_parameters(example)}
    explorer = open_worked(browser, example)
    try:
        # unit 4 saturated at 1 and o_6 near 1/2: eta delta_6 o_4 is about +-1.25
        for sign, end in ((1, 50.0), (-1, -50.0)):
            values = {**start, "b_4": 50.0, "w_6,5": 0.0, "eta": 10.0, "w_6,4": sign * 49.99,
                      "b_6": -sign * 49.99, "t_6": 1.0 if sign > 0 else 0.0}
            state = worked_example_state(example, values)
            assert sign * state.new_weights[1][0, 0] > 50
            explorer.show(view_values(values))
            click(explorer, "take the step")
            got = model_values(explorer, example)
            assert got["w_6,4"] == end
            assert got["b_6"] == pytest.approx(float(state.new_biases[1][0]), rel=1e-13)
        explorer.check_clean()
    finally:
        explorer.page.close()


def test_a_step_that_overflows_shows_the_message_and_cannot_be_taken(browser):
    example = multi_output_2_2_2()
    values = diverging(example, {p.key: p.value for p in worked_parameters(example)})
    explorer = open_worked(browser, example)
    try:
        result = explorer.show(view_values(values))
        assert result["message"] == DIVERGED_MESSAGE
        assert explorer.page.get_by_role("button", name="take the step").is_disabled()
        assert result["text"].strip().startswith(DIVERGED_MESSAGE)  # the numbers are hidden
        result = explorer.show({"eta": 0.5})
        assert result["message"] == "" and not explorer.page.get_by_role(
            "button", name="take the step").is_disabled()
        explorer.check_clean()
    finally:
        explorer.page.close()


def test_view_is_accessible_and_fits_a_phone(browser):
    explorer = open_worked(browser, worked_3_2_1(), width=375)
    try:
        page = explorer.page
        label = page.get_attribute("svg[role=img]", "aria-label")
        assert "input units 1, 2, 3" in label and "tables" in label
        text = page.inner_text("#explorer")
        assert "E = \u00bd[(t6 \u2212 o6)2] = \u00bd[(1 \u2212 0.4739)2] = 0.1384" in text
        assert "Enew = \u00bd[(t6 \u2212 o6)2] = \u00bd[(1 \u2212 0.5152)2] = 0.1175" in text
        # issue 15: the update of w_4,1 checks by hand (0.9 x 0.0087 would be 0.0078)
        assert ("w4,1new = 0.2 + (0.9)(\u22120.008725)(1) = 0.2 + (\u22120.0079) = 0.1921"
                in text)
        assert page.eval_on_selector_all("table.bp-values", "nodes => nodes.length") == 2
        # nothing wider than the screen: the SVG scales with its viewBox, formulas wrap
        overflow = page.evaluate("() => document.documentElement.scrollWidth")
        assert overflow <= 375
        buttons = page.eval_on_selector_all("button", "nodes => nodes.map(n => n.textContent)")
        assert buttons == ["before the step", "after the step", "take the step", "reset"]
        page.keyboard.press("Tab")
        assert page.evaluate("() => document.activeElement.textContent") == "before the step"
        explorer.check_clean()
    finally:
        explorer.page.close()


def test_page_weight():
    """The bytes the explorer adds to a page: its bundled module and its data, printed."""
    module = len(bundle("worked.js").encode())
    for name, make in EXAMPLES.items():
        data = len(json.dumps(worked_view_data(make())).encode())
        print(f"worked explorer {name}: module {module} bytes, data {data} bytes")
        assert data < 5_000
    # 59 kB before each section named its carried places (carriedNote) and js/dom.js named
    # the sliders (nameSliders); 64.6 kB since; 66.5 kB with one precision per section
    # and given numbers as given (issue 15's fourth and fifth reads); 68.1 kB with the
    # sliders' readouts written as the view writes their numbers (the twelfth read)
    assert module < 70_000
