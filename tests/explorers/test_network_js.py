"""The explorers' in-page arithmetic (js/network.js, js/format.js) against the Python engine.

Node runs the JavaScript on 200 random networks (sizes 1 to 4 per layer, one to three
layers, every activation, weights up to +-50, eta up to 10) and on 2,000 numbers to format;
the engine computes the same with :mod:`backprop.scalar` and
:func:`backprop.worked.format_number`. The floats agree to the last bits (the sum order is
the same; only ``exp`` and ``tanh`` may differ by an ulp between the two math libraries),
and every formatted number is the same string.
"""

from __future__ import annotations

import json
import math
import shutil
import subprocess
from pathlib import Path

import numpy as np
import pytest

from backprop.activations import ACTIVATIONS
from backprop.network import Network
from backprop.scalar import scalar_deltas, scalar_forward, scalar_update
from backprop.worked import format_given, format_number, worked_solution

JS = Path(__file__).resolve().parents[2] / "src" / "backprop" / "explorers" / "js"
NAMES = ("sigmoid", "tanh", "relu", "linear")

_RUNNER = """
import { forward, deltas, update } from "%(js)s/network.js";
import { formatGiven, formatNumber } from "%(js)s/format.js";
let input = "";
for await (const chunk of process.stdin) input += chunk;
const job = JSON.parse(input);
const steps = job.networks.map((n) => {
  const { nets, outputs } = forward(n.weights, n.biases, n.activations, n.x);
  const d = deltas(n.weights, n.activations, outputs, n.t);
  const u = update(n.weights, n.biases, d, [n.x, ...outputs.slice(0, -1)], n.eta);
  return { nets, outputs, deltas: d, weights: u.weights, biases: u.biases };
});
const texts = job.numbers.map(([v, d]) => formatNumber(v, d));
const given = job.numbers.map(([v, d]) => formatGiven(v, d));
process.stdout.write(JSON.stringify({ steps, texts, given }));
"""


def node(job: dict) -> dict:
    if shutil.which("node") is None:
        pytest.fail("node is not installed (apt-get install nodejs): the explorers' tests need it")
    result = subprocess.run(
        ["node", "--input-type=module", "-e", _RUNNER % {"js": JS.as_posix()}],
        input=json.dumps(job), capture_output=True, text=True, check=False, timeout=60,
    )
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


def random_network(rng) -> dict:
    sizes = rng.integers(1, 5, size=rng.integers(2, 5)).tolist()
    scale = float(rng.choice([1.0, 5.0, 50.0]))
    return {
        "weights": [(scale * rng.uniform(-1, 1, (sizes[k + 1], sizes[k]))).tolist()
                    for k in range(len(sizes) - 1)],
        "biases": [(scale * rng.uniform(-1, 1, sizes[k + 1])).tolist()
                   for k in range(len(sizes) - 1)],
        "activations": [str(rng.choice(NAMES)) for _ in range(len(sizes) - 1)],
        "x": rng.uniform(-2, 2, sizes[0]).tolist(),
        "t": rng.uniform(-1, 1, sizes[-1]).tolist(),
        "eta": float(rng.choice([0.05, 0.5, 10.0])),
    }


def engine_step(n: dict) -> dict:
    layers = tuple((ACTIVATIONS[a].scalar_forward, ACTIVATIONS[a].scalar_slope)
                   for a in n["activations"])
    weights = [[list(row) for row in w] for w in n["weights"]]
    biases = [list(b) for b in n["biases"]]
    nets, outputs = scalar_forward(weights, biases, layers, n["x"])
    residual = [t - o for t, o in zip(n["t"], outputs[-1])]
    d = scalar_deltas(weights, layers, outputs, residual)
    scalar_update(weights, biases, d, [n["x"], *outputs[:-1]], n["eta"])
    return {"nets": nets, "outputs": outputs, "deltas": d, "weights": weights, "biases": biases}


def flatten(value):
    if isinstance(value, list):
        for item in value:
            yield from flatten(item)
    else:
        yield value


def test_forward_deltas_and_update_equal_the_engine():
    rng = np.random.default_rng(2026)
    networks = [random_network(rng) for _ in range(200)]
    shown = node({"networks": networks, "numbers": []})["steps"]
    compared = 0
    for n, js in zip(networks, shown):
        python = engine_step(n)
        for name in ("nets", "outputs", "deltas", "weights", "biases"):
            ours, theirs = list(flatten(python[name])), list(flatten(js[name]))
            assert len(ours) == len(theirs), name
            for a, b in zip(ours, theirs):
                assert b is not None, f"{name}: the page gave a non-finite number, not {a}"
                assert math.isclose(a, b, rel_tol=1e-12, abs_tol=1e-300), (name, n, a, b)
                compared += 1
    assert compared > 5000


def test_numbers_are_formatted_as_the_engine_formats_them():
    rng = np.random.default_rng(5)
    values = np.concatenate([
        rng.normal(0, 1, 800), rng.normal(0, 100, 400), rng.uniform(-1e-4, 1e-4, 300),
        np.round(rng.uniform(-10, 10, 300), 3) + 0.0005,  # near ties at 3 decimals
        [0.125, -0.125, 2.5, 3.5, 1e22, -1e25, 0.0, -0.0, 5e-5, 1.00005],
    ])
    numbers = [[float(v), int(d)] for v, d in zip(values, rng.integers(0, 7, len(values)))]
    shown = node({"networks": [], "numbers": numbers})
    assert shown["texts"] == [format_number(v, d) for v, d in numbers]
    assert any(text.endswith("0") and "." in text for text in shown["texts"])  # zeros kept
    assert shown["given"] == [format_given(v, d) for v, d in numbers]


def test_worked_lines_are_written_as_the_engine_writes_them():
    """The explorer's formulas (worked.js lineTexts) against worked_solution's texts.

    200 random networks of the explorer's kinds (sigmoid, tanh, relu, linear units,
    squared error; weights up to +-1, as the sliders' ranges give: with weights of 50 the
    values reach 1e7 and the fourteenth place shows the last bits in which NumPy's sums
    and the page's differ), decimals 2 to 6: every factor of every line is the same
    string, the longer factors where a line needs them to check by hand included.
    """
    rng = np.random.default_rng(15)
    networks = []
    while len(networks) < 200:
        n = random_network(rng)
        if max(abs(v) for v in flatten(n["weights"] + n["biases"])) <= 1:
            n["eta"] = float(rng.choice([0.05, 0.5, 0.9]))
            networks.append(n)
    for n in networks:
        n["decimals"] = int(rng.integers(2, 7))
        n["labels"] = labels_of([len(n["x"])] + [len(b) for b in n["biases"]])
    result = subprocess.run(
        ["node", "--input-type=module", "-e", _LINES % {"js": JS.parent.as_posix()}],
        input=json.dumps(networks), capture_output=True, text=True, check=False, timeout=120,
    )
    assert result.returncode == 0, result.stderr
    longer = 0
    for n, texts in zip(networks, json.loads(result.stdout), strict=True):
        if texts is None:
            continue  # overflowed: the page shows the message, not formulas
        net = Network.from_weights(n["weights"], n["biases"], n["activations"])
        with np.errstate(all="ignore"):
            solution = worked_solution(net, n["x"], n["t"], n["eta"], decimals=n["decimals"],
                                       unit_labels=n["labels"])
        assert texts == solution.texts, n
        longer += sum(len(t.split(".")[-1]) > n["decimals"] for t in texts.values() if "." in t)
    assert longer > 0  # some lines needed the longer factors


_LINES = """
import { trainStep } from "%(js)s/js/network.js";
import { lineTexts } from "%(js)s/worked.js";
let input = "";
for await (const chunk of process.stdin) input += chunk;
const out = JSON.parse(input).map((n) => {
  const s = trainStep(n.weights, n.biases, n.activations, n.x, n.t, n.eta);
  const step = { ...s, weights: n.weights, biases: n.biases, newWeights: s.weights,
    newBiases: s.biases, x: n.x, t: n.t, eta: n.eta };
  const all = [s.error, s.errorAfter, ...s.outputs.flat(), ...s.deltas.flat(),
    ...s.weights.flat(2)];
  return all.every(Number.isFinite) ? lineTexts(step, n.labels, n.activations, n.decimals) : null;
});
process.stdout.write(JSON.stringify(out));
"""


def labels_of(sizes: list[int]) -> list[list[str]]:
    labels, start = [], 1
    for size in sizes:
        labels.append([str(k) for k in range(start, start + size)])
        start += size
    return labels
