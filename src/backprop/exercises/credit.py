"""Points: weights per question and part, and error-carried-forward (follow-through) credit.

A multi-part problem chains its parts: the sigmoid's derivative uses its output, a
new weight uses its change, the full iteration's deltas use its outputs and its new
weights use its deltas. :func:`follow_through` runs the engine's rules from the
student's *own* earlier values, so a part that is wrong against the key but right
given the student's earlier (wrong) values earns :attr:`GradingConfig.follow_through_share`
of its points, as exams in physics and engineering mark.

The config is a small TOML or JSON file, every entry optional::

    follow_through_share = 0.5   # share of a part's points for follow-through credit
    [points]                     # points per part (default 1)
    q7 = 0.5                     # every part of question 7
    "q7.o_3" = 2                 # one part of question 7 (overrides q7)
"""

from __future__ import annotations

import json
import math
import re
import tomllib
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from backprop.activations import ACTIVATIONS
from backprop.network import Network

__all__ = ["DEFAULT_SHARE", "ConfigError", "GradingConfig", "follow_through", "read_config"]

DEFAULT_SHARE = 0.5
_POINTS_KEY = re.compile(r"q(?P<question>[1-9][0-9]*)(?:\.(?P<part>.+))?")
_SIGMOID = ACTIVATIONS["sigmoid"]


class ConfigError(ValueError):
    """The grading config cannot be used; the message says which entry and why."""


@dataclass(frozen=True)
class GradingConfig:
    """Points per question and part, and the share given for follow-through credit.

    Attributes
    ----------
    follow_through_share : float
        In [0, 1]; 0 turns follow-through credit off.
    points : dict of str to float
        ``"q7"`` (every part of question 7) or ``"q7.o_3"`` (one part) to points.
    """

    follow_through_share: float = DEFAULT_SHARE
    points: dict[str, float] = field(default_factory=dict)

    def part_points(self, question: int, part: str) -> float:
        """The points of one part: its own entry, else its question's, else 1."""
        return self.points.get(f"q{question}.{part}", self.points.get(f"q{question}", 1.0))


def _number(where: str, value, low: float, high: float) -> float:
    if isinstance(value, bool) or not isinstance(value, (int, float)) or not (
            math.isfinite(value) and low <= value <= high):
        raise ConfigError(f"{where} must be a number from {low:g} to {high:g}, got {value!r}")
    return float(value)


def read_config(path: str | Path) -> GradingConfig:
    """The grading config in ``path`` (``.toml`` or ``.json``); ``ConfigError`` if malformed."""
    path = Path(path)
    try:
        data = path.read_bytes()
        document = json.loads(data) if path.suffix.lower() == ".json" else tomllib.loads(
            data.decode("utf-8-sig"))
    except OSError as error:
        raise ConfigError(f"cannot read grading config {path}: {error.strerror or error}"
                          ) from None
    except (ValueError, UnicodeDecodeError) as error:
        raise ConfigError(f"grading config {path} is not valid "
                          f"{'JSON' if path.suffix.lower() == '.json' else 'TOML'}: {error}"
                          ) from None
    if not isinstance(document, dict):
        raise ConfigError(f"grading config {path} must be a table of settings")
    unknown = set(document) - {"follow_through_share", "points"}
    if unknown:
        raise ConfigError(f"grading config {path}: unknown setting(s) {', '.join(sorted(unknown))}"
                          "; expected follow_through_share and [points]")
    share = _number(f"{path}: follow_through_share",
                    document.get("follow_through_share", DEFAULT_SHARE), 0, 1)
    points = document.get("points", {})
    if not isinstance(points, dict):
        raise ConfigError(f"grading config {path}: [points] must be a table")
    for key, value in points.items():
        if not _POINTS_KEY.fullmatch(str(key)):
            raise ConfigError(f"grading config {path}: points key {key!r} must be 'qN' or "
                              "'qN.part' (e.g. q7 or \"q7.o_3\")")
        points[key] = _number(f"{path}: points {key!r}", value, 0, 1000)
    return GradingConfig(share, dict(points))


def _pick(values: dict[str, float | None], correct: dict[str, float], name: str) -> float:
    """The student's value of an earlier part, or the key's if they gave none."""
    value = values.get(name)
    return correct[name] if value is None else value


def _logit(o: float) -> float:
    o = min(max(o, 1e-12), 1 - 1e-12)
    return math.log(o / (1 - o))


def _sigmoid_chain(given, values, correct):
    sigma = _pick(values, correct, "sigma")
    return {"derivative": float(_SIGMOID.derivative(np.array([_logit(sigma)]),
                                                    np.array([sigma]))[0])}


def _weight_update_chain(given, values, correct):
    return {"new": given["w"] + _pick(values, correct, "change")}


def _full_iteration_chain(given, values, correct):
    w1, w2 = np.array(given["W1"]), np.array(given["W2"])
    b2, x, t, eta = np.array(given["b2"]), np.array(given["x"]), np.array(given["t"]), given["eta"]
    hidden = np.array([_pick(values, correct, "o_3"), _pick(values, correct, "o_4")])
    # forward from the student's hidden outputs through the output layer
    output_layer = Network.from_weights([w2], [b2], ["sigmoid"])
    expected = dict(zip(("o_5", "o_6"), output_layer.forward(hidden).outputs[0], strict=True))
    out = np.array([_pick(values, correct, "o_5"), _pick(values, correct, "o_6")])
    nets = np.array([_logit(o) for o in out])
    delta_out = _SIGMOID.backward(nets, out, t - out)  # o(1 - o)(t - o)
    expected.update(delta_5=delta_out[0], delta_6=delta_out[1])
    d_out = np.array([_pick(values, correct, "delta_5"), _pick(values, correct, "delta_6")])
    delta_hidden = _SIGMOID.backward(None, hidden, w2.T @ d_out)  # o(1 - o) sum w delta
    expected.update(delta_3=delta_hidden[0], delta_4=delta_hidden[1])
    d_hidden = np.array([_pick(values, correct, "delta_3"), _pick(values, correct, "delta_4")])
    for layer, units, deltas, inputs, weights, sources in (
            (1, (3, 4), d_hidden, x, w1, (1, 2)), (2, (5, 6), d_out, hidden, w2, (3, 4))):
        biases = np.array(given["b1"] if layer == 1 else given["b2"])
        for j, unit in enumerate(units):
            for i, source in enumerate(sources):
                expected[f"w_{unit},{source}"] = weights[j, i] + eta * deltas[j] * inputs[i]
            expected[f"b_{unit}"] = biases[j] + eta * deltas[j]
    return {name: float(value) for name, value in expected.items()}


_CHAINS = {
    "sigmoid": _sigmoid_chain,
    "weight_update": _weight_update_chain,
    "full_iteration": _full_iteration_chain,
}


def follow_through(kind: str, given: dict, values: dict[str, float | None],
                   correct: dict[str, float]) -> dict[str, float]:
    """The value of each dependent part, computed from the student's earlier parts.

    Parameters
    ----------
    kind : str
        The problem's kind; kinds whose parts do not build on each other give ``{}``.
    given : dict
        The problem's given numbers.
    values : dict of str to float or None
        The student's value per part (None where unreadable or missing: the key's
        value is used instead, so one blank does not block later parts).
    correct : dict of str to float
        The key's value per part.
    """
    chain = _CHAINS.get(kind)
    if chain is None:
        return {}
    try:
        with np.errstate(all="ignore"):
            expected = chain(given, values, correct)
    except (KeyError, TypeError, ValueError, IndexError):
        return {}  # given numbers of an unexpected shape: no follow-through, never a crash
    return {name: value for name, value in expected.items() if math.isfinite(value)}
