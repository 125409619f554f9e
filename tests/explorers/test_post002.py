"""Chapter 12's post 002 explorer: the view (post002.js) trains as the engine does.

Parity: for 63 settings (eta on the slider's logarithmic grid with both ends, 0.001 and 10;
epochs 1 and 500 and values between; every seed 0 to 20), every number the page shows
equals :func:`backprop.explorers.post002_state` formatted as the engine formats it: the
least-squares plane, the held-out error, the last epoch's training error and the surface at
x1 = 0, 0.5, 1 on each slice; a run diverged or blowing up (outputs beyond a million,
where the plane is rounding noise) shows the engine's message instead. The drawn slices
are checked against the engine's curves too. The view's draws (its PCG64 from the state the
widget ships) are made in Node and compared with numpy's.
"""

from __future__ import annotations

import json
import re
import shutil
import subprocess
from pathlib import Path

import numpy as np
import pytest
from harness import open_explorer

from backprop.experiments import Post002Training
from backprop.explorers.post002 import (
    MAX_EPOCHS,
    N_SEEDS,
    post002_data,
    post002_draws,
    post002_explorer,
    post002_surface,
)

MINUS = "\N{MINUS SIGN}"
VIEW = Path(__file__).resolve().parents[2] / "src" / "backprop" / "explorers" / "post002.js"


def plane_number(value: float) -> str:
    """f"{value:.3f}" with a typographic minus; a value that rounds to 0 reads 0.000."""
    text = f"{value:.3f}"
    return text[1:] if re.fullmatch(r"-0\.0+", text) else text.replace("-", MINUS)


def engine_texts(eta: float, epochs: int, seed: int, training: Post002Training | None = None):
    """What the view must show for a setting, from the engine: (texts by key, message)."""
    training = training or Post002Training(eta, seed)
    state = post002_surface(training.run(epochs))
    texts = {"eta": f"{eta:.3g}", "epochs": str(epochs), "seed": str(seed)}
    if state.message:  # diverged, or blowing up: no plane, no errors
        return texts, state.message

    def signed(value):
        text = plane_number(value)
        return (MINUS, text[1:]) if text.startswith(MINUS) else ("+", text)

    a, b, c = state.plane
    texts["plane_a"] = plane_number(a)
    texts["plane_b_sign"], texts["plane_b"] = signed(b)
    texts["plane_c_sign"], texts["plane_c"] = signed(c)
    texts["test_mse"] = f"{state.run.test_mse:.4g}".replace("-", MINUS)
    texts["last_loss"] = f"{state.run.history.loss[-1]:.4g}"
    for s in range(len(state.x2_slices)):
        for column, j in enumerate((0, 10, 20)):
            texts[f"fit_{s}_{column}"] = plane_number(state.fitted[s][j])
    return texts, ""


def parity_settings() -> list[tuple[float, int, int]]:
    """(eta, epochs, seed): 21 (eta, seed) pairs, one per seed, three epochs each."""
    rng = np.random.default_rng(12)
    positions = [0, 400, *rng.integers(0, 401, size=19).tolist()]  # eta = 10**(-3 + k/100)
    # where training turns unstable (eta from about 0.5) every seed is tried once more
    positions[2:6] = [230, 300, 330, 360]
    settings = []
    for seed, k in enumerate(positions):
        eta = 10.0 ** (-3.0 + k / 100)
        epochs = [1, MAX_EPOCHS, int(rng.integers(2, MAX_EPOCHS))]
        settings += [(eta, e, seed) for e in epochs]
    return settings


def test_widget_links_its_sliders_to_the_view():
    box = post002_explorer()
    eta, epochs, seed = (box.controls[name] for name in ("eta", "epochs", "seed"))
    assert (eta.min, eta.max, eta.step, eta.base, eta.value) == (-3.0, 1.0, 0.01, 10.0, 0.05)
    assert (epochs.min, epochs.max, epochs.value) == (1, 500, 200)
    assert (seed.min, seed.max, seed.value) == (0, 20, 0)
    assert (box.view.eta, box.view.epochs, box.view.seed) == (0.05, 200, 0)
    assert [link.source for link in box.links] == [(c, "value") for c in (eta, epochs, seed)]
    assert [link.target[1] for link in box.links] == ["eta", "epochs", "seed"]
    assert len(box.view.data["runs"]) == N_SEEDS


@pytest.mark.parametrize("values", [{"eta": 11.0}, {"eta": 0.0005}, {"epochs": 0},
                                    {"epochs": 501}, {"seed": 21}, {"seed": -1}])
def test_widget_refuses_a_setting_off_the_sliders(values):
    with pytest.raises(ValueError, match="must be between"):
        post002_explorer(**values)


def test_draws_are_numpys(tmp_path):
    """The view draws the engine's points and sample orders, and starts from its weights."""
    node = shutil.which("node")
    if node is None:
        pytest.skip("node is not installed")
    seeds = (0, 13, N_SEEDS - 1)
    data = {str(seed): post002_draws(seed) for seed in seeds}
    counts = {key: post002_data(n_seeds=1)[key] for key in ("n_train", "n_test", "max_epochs")}
    script = tmp_path / "decode.mjs"
    script.write_text(
        f'import {{ drawSeed }} from "{VIEW.as_uri()}";\n'
        "const runs = JSON.parse(process.argv[2]);\n"
        f"const counts = {json.dumps(counts)};\n"
        "const out = {};\n"
        "for (const [seed, run] of Object.entries(runs)) {\n"
        "  const d = drawSeed(run, counts);\n"
        "  out[seed] = { train: Array.from(d.train), test: Array.from(d.test),"
        " tTrain: Array.from(d.tTrain), orders: Array.from(d.orders),"
        " weights: Array.from(d.weights) };\n"
        "}\n"
        "console.log(JSON.stringify(out));\n", encoding="utf-8")
    result = subprocess.run([node, str(script), json.dumps(data)], capture_output=True,
                            text=True, check=True, timeout=60)
    decoded = json.loads(result.stdout)
    for seed in seeds:
        training = Post002Training(0.05, seed)
        orders = [training._rng.permutation(50) for _ in range(MAX_EPOCHS)]
        got = decoded[str(seed)]
        assert got["train"] == training.x_train.ravel().tolist()
        assert got["test"] == training.x_test.ravel().tolist()
        assert got["tTrain"] == training.t_train.ravel().tolist()
        assert got["orders"] == np.concatenate(orders).tolist()
        assert got["weights"] == np.concatenate(
            [w.ravel() for w in training.initial_network.weights]).tolist()


@pytest.fixture(scope="module")
def explorer(browser):
    opened = open_explorer(browser, "post002.js", data=post002_data(),
                           values={"eta": 0.05, "epochs": 200, "seed": 0})
    yield opened
    opened.page.close()


def test_view_shows_the_engine_numbers(explorer):
    settings = parity_settings()
    assert len(settings) >= 50
    trainings = {}
    expected = []
    for eta, epochs, seed in settings:
        training = trainings.setdefault((eta, seed), Post002Training(eta, seed))
        expected.append(engine_texts(eta, epochs, seed, training))
    shown = explorer.show_all([{"eta": eta, "epochs": epochs, "seed": seed}
                               for eta, epochs, seed in settings])
    compared = 0
    kinds = {"diverged": 0, "blowing up": 0, "": 0}
    for setting, (texts, message), result in zip(settings, expected, shown, strict=True):
        assert result["numbers"] == texts, f"(eta, epochs, seed) = {setting}"
        assert result["message"] == message, f"(eta, epochs, seed) = {setting}"
        assert not result["conflicts"]
        for bad in ("NaN", "undefined", "Infinity", "nan"):
            assert bad not in result["text"], f"{bad} shown for {setting}"
        compared += len(texts)
        kinds[message.partition(":")[0].partition(" at epoch")[0]] += 1
    # every kind of run is among the settings: fitted, diverged, blowing up
    assert kinds[""] >= 40 and kinds["diverged"] >= 5 and kinds["blowing up"] >= 2, kinds
    assert compared > 600
    explorer.check_clean()


def test_view_draws_the_engine_slices(explorer):
    """Each solid slice is the engine's curve, at the pixels the chart's axes put it."""
    for eta, epochs, seed in [(0.05, 200, 0), (0.001, 1, 3), (0.3, 500, 20), (1.0, 37, 9),
                              (2.0, 500, 0)]:
        explorer.show({"eta": eta, "epochs": epochs, "seed": seed})
        state = post002_surface(Post002Training(eta, seed).run(epochs))
        assert not state.message
        paths = explorer.page.eval_on_selector_all(
            "svg path[stroke-width='2.4']", "nodes => nodes.map(n => n.getAttribute('d'))")
        assert len(paths) == 3
        # the chart: 560 x 260, plot from (58, 22), 490 x 198; y from the data's range,
        # at least [9, 16], in whole units
        low = np.floor(max(min(9.0, state.fitted.min() - 0.2), -100.0))
        high = np.ceil(min(max(16.0, state.fitted.max() + 0.2), 100.0))
        for s, d in enumerate(paths):
            drawn = np.array([[float(v) for v in point.split(",")]
                              for point in re.findall(r"[ML]([^ML]+)", d)])
            x = 58 + 490 * state.x1
            # (values off the range, e.g. -829 at eta = 2, run along the frame's edge)
            clamped = np.clip(state.fitted[s], low, high)
            y = 22 + 198 * (1 - (clamped - low) / (high - low))
            # toFixed(2): half a hundredth of a pixel at most
            assert np.abs(drawn - np.column_stack([x, y])).max() <= 0.00501, (eta, epochs, seed)
    labels = explorer.page.eval_on_selector_all(
        "svg[role=img]", "nodes => nodes.map(n => n.getAttribute('aria-label'))")
    assert len(labels) == 2 and all(len(label) > 60 for label in labels)
    explorer.check_clean()


def test_diverged_run_hides_the_surface(explorer):
    result = explorer.show({"eta": 10.0, "epochs": 500, "seed": 0})
    texts, message = engine_texts(10.0, 500, 0)
    assert message.startswith("diverged at epoch ") and result["message"] == message
    assert result["numbers"] == texts and set(texts) == {"eta", "epochs", "seed"}
    assert explorer.page.eval_on_selector_all(
        "svg path[stroke-width='2.4']", "nodes => nodes.map(n => n.getAttribute('d'))") == [""] * 3
    explorer.check_clean()
