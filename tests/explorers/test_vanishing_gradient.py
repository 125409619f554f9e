"""Chapter 9's vanishing-gradient explorer: its view (vanishing_gradient.js) shows the engine's
numbers.

Parity: for 66 settings (every activation and initialisation at depth 1 and 50, the rest
drawn from a seeded generator) every number the page shows - each layer's gradient norm for
all three activations, layer 1's norm over the output layer's, the depth and the
initialisation used - equals :func:`backprop.explorers.vanishing_gradient_state` formatted as
the engine formats it, with the engine's message. The draws: the page rebuilds every network
and batch of every depth and initialisation from :func:`vanishing_gradient_draws` exactly,
number for number (Node).
"""

from __future__ import annotations

import base64
import json
import shutil
import subprocess
from pathlib import Path

import numpy as np
import pytest
from harness import open_explorer

from backprop.explorers.vanishing_gradient import (
    ACTIVATION_CHOICES,
    MAX_DEPTH,
    SCHEME_CHOICES,
    vanishing_gradient_draws,
    vanishing_gradient_explorer,
    vanishing_gradient_state,
)
from backprop.network import Network

HERE = Path(__file__).resolve().parents[2] / "src" / "backprop" / "explorers"
SEED = 0


@pytest.fixture(scope="module")
def draws():
    return vanishing_gradient_draws(SEED)


def norm_text(value: float) -> str:
    return f"{value:.3g}" if np.isfinite(value) else "overflow"


def engine_texts(depth: int, activation: str, scheme: str) -> tuple[dict, str]:
    state = vanishing_gradient_state(depth, activation, scheme, seed=SEED)
    ratio = state.first_to_last
    texts = {
        "activation": activation, "scheme": state.selected.scheme, "depth": str(depth),
        "ratio": "" if state.message else f"{ratio:.3g}",
        "verdict": "" if state.message else (" (it vanishes)." if ratio < 1e-2 else
                                             " (it explodes)." if ratio > 1e2 else "."),
    }
    for name, result in state.comparison.items():
        for layer, value in zip(result.layers, result.norms, strict=True):
            texts[f"norm_{name}_{layer}"] = norm_text(value)
    return texts, state.message


def settings() -> list[dict]:
    picked = [(d, a, s) for d in (1, MAX_DEPTH) for a in range(3) for s in range(4)]
    rng = np.random.default_rng(13)
    picked += [(int(d), int(a), int(s)) for d, a, s in zip(
        rng.integers(1, MAX_DEPTH + 1, 42), rng.integers(0, 3, 42), rng.integers(0, 4, 42),
        strict=True)]
    return [{"depth": d, "activation": a, "scheme": s} for d, a, s in picked]


def test_widget_links_its_controls_to_the_view():
    box = vanishing_gradient_explorer(12, "tanh", "he")
    depth, activation, scheme = (box.controls[k] for k in ("depth", "activation", "scheme"))
    assert (depth.min, depth.max, depth.value) == (1, 50, 12)
    assert tuple(activation.options) == ACTIVATION_CHOICES and activation.value == "tanh"
    assert tuple(scheme.options) == SCHEME_CHOICES and scheme.value == "he"
    assert (box.view.depth, box.view.activation, box.view.scheme) == (12, 1, 3)
    assert [link.source for link in box.links] == [
        (depth, "value"), (activation, "index"), (scheme, "index")]
    assert [link.target[1] for link in box.links] == ["depth", "activation", "scheme"]


@pytest.mark.parametrize(("depth", "activation", "scheme"),
                         [(0, "sigmoid", "auto"), (51, "relu", "auto"), (5, "elu", "auto"),
                          (5, "relu", "glorot")])
def test_widget_refuses_a_setting_off_the_controls(depth, activation, scheme):
    with pytest.raises(ValueError, match="must be"):
        vanishing_gradient_explorer(depth, activation, scheme)


def test_the_draws_are_one_stream_of_words_the_page_makes(draws):
    # depth 50's lecture networks reach furthest: 50 layers of 16 x 16 weights and 16 biases,
    # the output layer, then 64 x 17 normals (a normal takes a word, rarely more)
    assert 50 * 272 + 17 + 1088 <= draws["words"] < 50 * 272 + 17 + 1088 * 1.05
    # the stream is default_rng(seed)'s from its start: the page makes it from this state
    # (test_the_page_makes_numpys_words checks the words, the next test every number)
    start = np.random.default_rng(SEED).bit_generator.state["state"]
    assert draws["rng"]["state"] == format(start["state"], "x")
    assert draws["rng"]["inc"] == format(start["inc"], "x")
    assert len(draws["slow"]["positions"]) < 0.03 * draws["words"]
    # 164 kB when the words were shipped (118 kB gzipped, in chapter 9's page)
    assert len(json.dumps(draws)) < 8_000


def test_the_page_makes_numpys_words(draws):
    if shutil.which("node") is None:
        pytest.fail("node is not installed (apt-get install nodejs): the explorers' tests need it")
    script = (f'import {{ generatorWords }} from "{(HERE / "vanishing_gradient.js").as_posix()}";'
              f"const words = generatorWords({json.dumps(draws['rng'])}, {draws['words']});"
              "process.stdout.write(Buffer.from(words.buffer).toString('base64'));")
    result = subprocess.run(["node", "--input-type=module", "-e", script], capture_output=True,
                            text=True, check=False, timeout=120)
    assert result.returncode == 0, result.stderr
    raw = np.random.default_rng(SEED).bit_generator.random_raw(draws["words"])
    assert base64.b64decode(result.stdout) == raw.astype("<u8").tobytes()


_NODE = """
import { decodeDraws, drawNetwork, gradientNorms } from "%(view)s";
let input = "";
for await (const chunk of process.stdin) input += chunk;
const job = JSON.parse(input);
const draws = decodeDraws(job.data);
const results = job.cases.map(([depth, scheme, activation]) => {
  const net = drawNetwork(draws, depth, scheme);
  const numbers = [...net.weights.flatMap((w) => Array.from(w)),
                   ...net.biases.flatMap((b) => Array.from(b)), ...net.x, ...net.t];
  return { numbers, norms: activation ? Array.from(gradientNorms(net, activation)) : null };
});
process.stdout.write(JSON.stringify(results));
"""


def test_the_page_rebuilds_every_network_exactly(draws):
    if shutil.which("node") is None:
        pytest.fail("node is not installed (apt-get install nodejs): the explorers' tests need it")
    cases = [(d, s, None) for d in range(1, MAX_DEPTH + 1) for s in ("lecture", "xavier", "he")]
    result = subprocess.run(
        ["node", "--input-type=module", "-e",
         _NODE % {"view": (HERE / "vanishing_gradient.js").as_posix()}],
        input=json.dumps({"data": draws, "cases": cases}), capture_output=True, text=True,
        check=False, timeout=120,
    )
    assert result.returncode == 0, result.stderr
    for (depth, scheme, _), page in zip(cases, json.loads(result.stdout), strict=True):
        rng = np.random.default_rng(SEED)
        net = Network.initialise([16] * (depth + 1) + [1], "linear", rng, scheme=scheme)
        x, t = rng.normal(size=(64, 16)), rng.normal(size=(64, 1))
        engine = np.concatenate([*(w.ravel() for w in net.weights), *net.biases, x.ravel(),
                                 t.ravel()])
        assert np.array_equal(np.array(page["numbers"]), engine), (depth, scheme)


@pytest.fixture(scope="module")
def explorer(browser, draws):
    opened = open_explorer(browser, "vanishing_gradient.js", data=draws,
                           values={"depth": 10, "activation": 0, "scheme": 0})
    yield opened
    opened.page.close()


def test_view_shows_the_engine_numbers(explorer):
    chosen = settings()
    shown = explorer.show_all(chosen)
    compared = 0
    messages = set()
    for setting, result in zip(chosen, shown, strict=True):
        activation = ACTIVATION_CHOICES[setting["activation"]]
        scheme = SCHEME_CHOICES[setting["scheme"]]
        expected, message = engine_texts(setting["depth"], activation, scheme)
        assert result["message"] == message, setting
        messages.add(message)
        rows = {k for k in result["numbers"] if k.startswith("norm_")}
        assert rows == {k for k in expected if k.startswith("norm_")}, setting
        for key, text in expected.items():
            assert result["numbers"][key] == text, (setting, key, result["numbers"][key], text)
            compared += 1
        assert not result["conflicts"]
        for bad in ("NaN", "undefined", "Infinity"):
            assert bad not in result["text"], (setting, bad)
    assert compared > 5_000, compared
    explorer.check_clean()


def test_view_draws_a_line_per_activation(explorer):
    explorer.show({"depth": 7, "activation": 2, "scheme": 0})
    counts = explorer.page.eval_on_selector_all(
        "path[data-points]", "nodes => nodes.map(n => Number(n.getAttribute('data-points')))")
    assert counts == [8, 8, 8]
    widths = explorer.page.eval_on_selector_all(
        "path[data-points]", "nodes => nodes.map(n => Number(n.getAttribute('stroke-width')))")
    assert widths[2] > widths[0] == widths[1]  # relu, the chosen one, is bold
    label = explorer.page.get_attribute("svg[role=img]", "aria-label")
    assert "table" in label
    explorer.check_clean()
