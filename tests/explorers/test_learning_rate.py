"""Chapter 9's learning-rate explorer: the view (learning_rate.js) shows the engine's numbers.

Parity: for 64 settings on the sliders' grids (eta from 0.001 to 10 on the log slider's
steps, epochs from 10 to 1000; the four corners included, the rest drawn from a seeded
generator), every number the page shows equals :func:`backprop.explorers.learning_rate_run`
(and, for the grey curves, :func:`backprop.experiments.learning_rate_curves`) formatted as
the engine formats it, and a diverging run shows the engine's message.

One band is rounding noise, not arithmetic: for eta in about [1.3, 1.8) the training
oscillates chaotically, and after a few hundred epochs its curve depends on the last bits of
every sum, so it differs between OpenBLAS's kernels on the same machine
(:func:`test_the_oscillating_band_is_rounding_noise_in_the_engine_too`). There the page must
agree up to epoch :data:`RELIABLE_EPOCHS` and show well-formed numbers after it.
"""

from __future__ import annotations

import json
import os
import platform
import subprocess
import sys

import numpy as np
import pytest
from harness import open_explorer, sample_values

from backprop.experiments import learning_rate_curves
from backprop.explorers.learning_rate import (
    MAX_EPOCHS,
    REFERENCE_ETAS,
    learning_rate_draws,
    learning_rate_explorer,
    learning_rate_run,
)
from backprop.worked import format_number

MINUS = "\N{MINUS SIGN}"
SEED = 0
CHECKPOINTS = (1, 2, 5, 10, 20, 50, 100, 200, 500, 1000)
#: The oscillating band (eta) and the epochs up to which every kernel agrees there.
BAND = (1.25, 1.85)
RELIABLE_EPOCHS = 300


def prose(value: float, decimals: int) -> str:
    return format_number(value, decimals).replace("-", MINUS)


def table_epochs(epochs: int) -> list[int]:
    shown = [e for e in CHECKPOINTS if e <= epochs]
    return shown if epochs in shown else [*shown, epochs]


def loss_text(loss: np.ndarray, epoch: int) -> str:
    return f"{loss[epoch - 1]:.4g}" if epoch <= loss.size else "\N{EM DASH}"


def engine_texts(eta: float, epochs: int, references) -> tuple[dict, str]:
    """What the view must show for this setting, and its message, from the engine."""
    run = learning_rate_run(eta, epochs, SEED)
    curve = run.curve
    texts = {"eta": f"{eta:.3g}"}
    if curve.diverged:
        texts.update(epochs_run="", final_error="", first_error="", increases="", oscillation="")
    else:
        texts.update(
            epochs_run=str(curve.loss.size), final_error=prose(curve.final_loss, 5),
            first_error=prose(curve.loss[0], 5), increases=str(curve.n_increases),
            oscillation=" (oscillation)." if curve.n_increases else ".",
        )
    for epoch in table_epochs(epochs):
        texts[f"loss_{epoch}"] = loss_text(curve.loss, epoch)
        for k, reference in enumerate(references):
            texts[f"ref{k}_{epoch}"] = loss_text(reference.loss, epoch)
    for d, target in enumerate(run.t[:, 0], start=1):
        texts[f"t_{d}"] = prose(target, 4)
        texts[f"o_{d}"] = ("\N{EM DASH}" if run.predictions is None
                           else prose(run.predictions[d - 1, 0], 4))
    return texts, run.message


def in_band(eta: float) -> bool:
    return BAND[0] <= eta < BAND[1]


def rounding_sensitive(key: str, eta: float) -> bool:
    """A shown number that depends on rounding noise (see the module's docstring)."""
    late = any(key == f"{prefix}{e}" for prefix in ("loss_", "ref2_")
               for e in range(RELIABLE_EPOCHS + 1, MAX_EPOCHS + 1))
    if key.startswith("ref2_"):  # the grey curve of eta = 1.5 is in the band
        return late
    if not in_band(eta):
        return False
    return late or key in ("final_error", "increases", "oscillation") or key.startswith("o_")


def settings() -> list[dict]:
    rng = np.random.default_rng(9)
    exponents = sample_values(rng, -3.0, 1.0, 0.01, 60)
    epochs = sample_values(rng, 10, 1000, 10, 60)
    picked = [(e, int(n)) for e, n in zip(exponents, epochs, strict=True)]
    picked += [(-3.0, 1000), (1.0, 10), (0.0, 1000), (np.log10(1.5), 1000)]
    return [{"eta": float(10 ** e), "epochs": n} for e, n in picked]


def test_widget_links_its_sliders_to_the_view():
    box = learning_rate_explorer(0.5, 200)
    eta, epochs = box.controls["eta"], box.controls["epochs"]
    assert (eta.min, eta.max, eta.step, eta.base, eta.value) == (-3, 1, 0.01, 10, 0.5)
    assert (epochs.min, epochs.max, epochs.step, epochs.value) == (10, 1000, 10, 200)
    assert (box.view.eta, box.view.epochs) == (0.5, 200)
    assert [link.source for link in box.links] == [(eta, "value"), (epochs, "value")]
    assert [link.target for link in box.links] == [(box.view, "eta"), (box.view, "epochs")]
    x, t = learning_rate_run(0.5, 10, SEED).x, learning_rate_run(0.5, 10, SEED).t
    assert np.array_equal(box.view.data["x"], x) and np.array_equal(box.view.data["t"], t[:, 0])
    assert len(json.dumps(box.view.data)) < 2_000


@pytest.mark.parametrize(("eta", "epochs"), [(11.0, 200), (0.0005, 200), (0.5, 5), (0.5, 1001)])
def test_widget_refuses_a_setting_off_the_sliders(eta, epochs):
    with pytest.raises(ValueError, match="must be"):
        learning_rate_explorer(eta, epochs)


@pytest.fixture(scope="module")
def explorer(browser):
    opened = open_explorer(browser, "learning_rate.js", data=learning_rate_draws(SEED),
                           values={"eta": 0.5, "epochs": 200})
    yield opened
    opened.page.close()


def test_view_shows_the_engine_numbers(explorer):
    references = learning_rate_curves(REFERENCE_ETAS, MAX_EPOCHS, SEED)
    chosen = settings()
    shown = explorer.show_all(chosen)
    compared = loose = diverged = 0
    for setting, result in zip(chosen, shown, strict=True):
        expected, message = engine_texts(setting["eta"], setting["epochs"], references)
        assert result["message"] == message, setting
        diverged += bool(message)
        assert set(result["numbers"]) >= set(expected), setting
        for key, text in expected.items():
            if rounding_sensitive(key, setting["eta"]):
                loose += 1
                assert result["numbers"][key] not in ("", "nan", "inf"), (setting, key)
            else:
                compared += 1
                assert result["numbers"][key] == text, (setting, key, result["numbers"][key], text)
        assert not result["conflicts"]
        for bad in ("NaN", "undefined", "Infinity", "nan"):
            assert bad not in result["text"], (setting, bad)
    assert compared > 2_500 and diverged >= 10, (compared, diverged)
    assert loose < compared / 20
    explorer.check_clean()


def test_view_draws_the_curve_it_reports(explorer):
    for eta, epochs in [(0.05, 1000), (0.5, 200), (10.0, 10)]:
        explorer.show({"eta": eta, "epochs": epochs})
        curve = learning_rate_run(eta, epochs, SEED).curve
        path = explorer.page.evaluate(
            "() => document.querySelector('path[data-points]').getAttribute('d')")
        # one point per epoch that ran, every point inside the plot
        assert path.count("L") + path.count("M") == curve.loss.size
        assert path.startswith("M")
    labels = explorer.page.eval_on_selector_all(
        "svg[role=img]", "nodes => nodes.map(n => n.getAttribute('aria-label'))")
    assert len(labels) == 2 and all(len(label) > 40 for label in labels)
    explorer.check_clean()


@pytest.mark.skipif(platform.machine() not in ("x86_64", "AMD64"),
                    reason="OpenBLAS's kernels are chosen by name on x86-64 only")
def test_the_oscillating_band_is_rounding_noise_in_the_engine_too():
    # The engine alone, under two of OpenBLAS's kernels that every x86-64 machine runs: the
    # same setting in the band ends at different errors, outside it at the same one.
    script = ("import json; from backprop.explorers.learning_rate import learning_rate_run as r;"
              "print(json.dumps([r(e, 1000, 0).curve.final_loss for e in (1.5, 0.5)]))")
    finals = {}
    for kernel in ("Haswell", "Prescott"):
        result = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True,
                                env={**os.environ, "OPENBLAS_CORETYPE": kernel}, timeout=120,
                                check=True)
        finals[kernel] = json.loads(result.stdout)
    assert format_number(finals["Haswell"][0], 5) != format_number(finals["Prescott"][0], 5)
    assert finals["Haswell"][1] == pytest.approx(finals["Prescott"][1], rel=1e-12)

