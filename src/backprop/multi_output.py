"""The tables of chapter 10, "Several output units" (``chapters/10_multiple_outputs.ipynb``).

The chapter computes the lecture's section-10 example (2 inputs, 2 hidden units, 2 outputs)
with the engine; this module holds the bookkeeping that turns those values into its tables,
and the lecture's names and printed values as data, so that the chapter shows only the
computations worth reading.

The lecture's section 10 names the hidden units 1, 2 and the output units 3, 4, and writes
:math:`w_{13}` for the weight *from* hidden unit 1 *into* output 3. The course numbers the
units 1-6 from the inputs (:func:`backprop.lecture.multi_output_2_2_2`) and writes the
weight from unit i into unit j as :math:`w_{j,i}`.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from decimal import Decimal

import numpy as np

from backprop.display import Given, Markdown, markdown_table
from backprop.network import Network
from backprop.worked import format_number

__all__ = [
    "LECTURE_GIVEN",
    "LECTURE_PRINTED",
    "LECTURE_UNIT_NAMES",
    "LECTURE_WEIGHT_NAMES",
    "contributions_problems",
    "contributions_table",
    "output_delta_places",
    "lecture_names_table",
    "printed_comparison",
    "redone_from_printed",
    "round_like",
    "weight_changes",
    "weight_changes_table",
    "weight_name",
]

LECTURE_GIVEN = {"w_11": 0.15, "w_12": 0.20, "w_21": 0.25, "w_22": 0.30,
                 "w_13": 0.40, "w_23": 0.45, "w_14": 0.50, "w_24": 0.55}
"""The lecture's initial weights under its own names (from-then-to order)."""

LECTURE_WEIGHT_NAMES = {"w_11": (0, 0, 0), "w_12": (0, 1, 0), "w_21": (0, 0, 1),
                        "w_22": (0, 1, 1), "w_13": (1, 0, 0), "w_23": (1, 0, 1),
                        "w_14": (1, 1, 0), "w_24": (1, 1, 1)}
"""Lecture weight name -> ``(layer, j, i)`` of the engine's ``weights[layer][j, i]``."""

LECTURE_UNIT_NAMES = [
    ("$h_1$", "$o_3$", "output of hidden unit 3"),
    ("$h_2$", "$o_4$", "output of hidden unit 4"),
    ("$o_1$", "$o_5$", "output of unit 5 (first output)"),
    ("$o_2$", "$o_6$", "output of unit 6 (second output)"),
    ("$\\delta_1$", "$\\delta_3$", "error term of hidden unit 3"),
    ("$\\delta_2$", "$\\delta_4$", "error term of hidden unit 4"),
    ("$\\delta_3$", "$\\delta_5$", "error term of unit 5 (first output)"),
    ("$\\delta_4$", "$\\delta_6$", "error term of unit 6 (second output)"),
]
"""(lecture's name, course's name, meaning) of every unit quantity of the example."""

LECTURE_PRINTED = {
    "$\\mathrm{net}_1$": ("net_3", "0.275"), "$h_1$": ("o_3", "0.568"),
    "$\\mathrm{net}_2$": ("net_4", "0.34"), "$h_2$": ("o_4", "0.584"),
    "$\\mathrm{net}_3$": ("net_5", "0.49"), "$o_1$": ("o_5", "0.620"),
    "$\\mathrm{net}_4$": ("net_6", "0.605"), "$o_2$": ("o_6", "0.647"),
    "$E$": ("E", "0.282"),
    "$\\delta_3$": ("delta_5", "0.0895"), "$\\delta_4$": ("delta_6", "-0.148"),
    "$h_1(1-h_1)$": ("local_3", "0.245"),
    "$w_{13}\\delta_3 + w_{14}\\delta_4$": ("sum_3", "-0.0382"),
    "$\\delta_1$": ("delta_3", "-0.00936"),
    "$h_2(1-h_2)$": ("local_4", "0.243"),
    "$w_{23}\\delta_3 + w_{24}\\delta_4$": ("sum_4", "-0.0411"),
    "$\\delta_2$": ("delta_4", "-0.00999"),
    "$w_{13}$ new": ("w_5,3", "0.4254"), "$w_{23}$ new": ("w_5,4", "0.4761"),
    "$w_{14}$ new": ("w_6,3", "0.4580"), "$w_{24}$ new": ("w_6,4", "0.5068"),
    "$w_{11}$ new": ("w_3,1", "0.1477"), "$w_{21}$ new": ("w_3,2", "0.2463"),
    "$w_{12}$ new": ("w_4,1", "0.1975"), "$w_{22}$ new": ("w_4,2", "0.2960"),
}
"""Values the lecture's section 10 prints: its name -> (the engine's key, the printed text).

The keys are those of :attr:`backprop.WorkedSolution.values`, plus ``local_h`` (the slope
:math:`o_h(1-o_h)`) and ``sum_h`` (the weighted sum :math:`\\sum_k w_{kh}\\delta_k`) of
the hidden units 3 and 4.
"""


def weight_name(labels: Sequence[Sequence[str]], layer: int, j: int, i: int) -> str:
    """The course's name of ``weights[layer][j, i]``, as Markdown math: ``$w_{5,3}$``."""
    return f"$w_{{{labels[layer + 1][j]},{labels[layer][i]}}}$"


def contributions_table(labels: Sequence[Sequence[str]], contributions: np.ndarray,
                        local: np.ndarray, hidden_deltas: np.ndarray, decimals: int = 6,
                        delta_decimals: int = 5) -> Markdown:
    """Each hidden error term split into the requests of the output units.

    ``contributions[k, h]`` is :math:`w_{kh}\\delta_k`, ``local[h]`` the slope
    :math:`o_h(1-o_h)`; one row per hidden unit. The requests, their sum and the slope carry
    ``decimals`` places, the hidden error term ``delta_decimals``: a factor carries more
    places than the result it gives, so that each row checks by hand
    (:func:`contributions_problems`).
    """
    outputs = labels[2]
    headers = ["hidden unit $h$"]
    headers += [f"from unit {k}: $w_{{{k},h}}\\delta_{k}$" for k in outputs]
    headers += ["sum", "$o_h(1-o_h)$", "$\\delta_h$"]
    rows = [[labels[1][h],
             *(format_number(v, decimals) for v in (*contributions[:, h],
                                                    contributions[:, h].sum(), local[h])),
             format_number(hidden_deltas[h], delta_decimals)]
            for h in range(contributions.shape[1])]
    return markdown_table(headers, rows)


def _checks(hand: Decimal, shown: str) -> bool:
    """Whether ``hand``, worked out exactly from shown numbers, rounds to ``shown``.

    Strictly within half a unit of the last shown place: a hand result that lies exactly
    halfway could be rounded either way, and does not check.
    """
    half = Decimal(5) / Decimal(10) ** (len(shown.partition(".")[2]) + 1)
    return abs(hand - Decimal(shown)) < half


def contributions_problems(contributions: np.ndarray, local: np.ndarray,
                           hidden_deltas: np.ndarray, decimals: int = 6,
                           delta_decimals: int = 5) -> list[str]:
    """The rows of :func:`contributions_table` that do not check by hand; empty if all do.

    A row checks when its shown requests add up to its shown sum, and the shown slope times
    the shown sum, worked out exactly, rounds to the shown hidden error term (not from
    exactly halfway).
    """
    problems = []
    for h in range(contributions.shape[1]):
        requests = [format_number(v, decimals) for v in contributions[:, h]]
        total = format_number(contributions[:, h].sum(), decimals)
        if sum(Decimal(r) for r in requests) != Decimal(total):
            problems.append(f"row {h}: the requests {requests} do not add up to {total}")
        product = Decimal(format_number(local[h], decimals)) * Decimal(total)
        delta = format_number(hidden_deltas[h], delta_decimals)
        if not _checks(product, delta):
            problems.append(f"row {h}: slope times sum is {product}, which does not round "
                            f"to {delta}")
    return problems


def output_delta_places(weights: np.ndarray, output_deltas: np.ndarray, decimals: int = 6,
                        most: int = 12) -> int:
    """The fewest places of the output error terms from which every request checks by hand.

    ``weights[k, h]`` is :math:`w_{kh}` (given, exact), ``output_deltas[k]`` is
    :math:`\\delta_k`. With :math:`\\delta_k` written to the returned number of places
    (at least ``decimals``), :math:`w_{kh}\\delta_k`, worked out exactly, rounds to the
    request that :func:`contributions_table` shows with ``decimals`` places, for every k
    and h.

    Raises
    ------
    ValueError
        If no number of places up to ``most`` does it.
    """
    for places in range(decimals, most + 1):
        if all(_checks(Decimal(repr(float(weights[k, h])))
                       * Decimal(format_number(output_deltas[k], places)),
                       format_number(weights[k, h] * output_deltas[k], decimals))
               for k in range(weights.shape[0]) for h in range(weights.shape[1])):
            return places
    raise ValueError(f"the requests do not check with up to {most} places")


def weight_changes(before: Network, after: Network,
                   labels: Sequence[Sequence[str]]) -> list[tuple[str, float, float]]:
    """(name, old value, change) of every weight, the output layer's first, row by row."""
    return [(weight_name(labels, layer, j, i), float(before.weights[layer][j, i]),
             float(after.weights[layer][j, i] - before.weights[layer][j, i]))
            for layer in reversed(range(len(before.weights)))
            for j in range(before.weights[layer].shape[0])
            for i in range(before.weights[layer].shape[1])]


def weight_changes_table(changes: Sequence[tuple[str, float, float]],
                         decimals: int = 5) -> Markdown:
    """The table of :func:`weight_changes`: old value, new value and change of each weight.

    The old values are given (the weights before the step) and are written as given (0.4);
    the new values and the changes carry ``decimals`` places.
    """
    return markdown_table(["weight", "old value", "new value", "change"],
                          [[name, Given(old), old + change, change]
                           for name, old, change in changes], decimals=decimals)


def lecture_names_table(net: Network, labels: Sequence[Sequence[str]]) -> Markdown:
    """The lecture's names next to the course's, with the initial weights.

    Raises
    ------
    AssertionError
        If a lecture weight, read under its course name, is not the engine's weight.
    """
    for lecture_name, (layer, j, i) in LECTURE_WEIGHT_NAMES.items():
        assert net.weights[layer][j, i] == LECTURE_GIVEN[lecture_name], lecture_name
    rows = [[lecture, course, meaning, "(computed)"]
            for lecture, course, meaning in LECTURE_UNIT_NAMES]
    # Given values, written as given (0.2, as the worked solution's lines write them)
    rows += [[f"$w_{{{lecture_name[2:]}}}$", weight_name(labels, layer, j, i),
              f"from unit {labels[layer][i]} into unit {labels[layer + 1][j]}",
              Given(net.weights[layer][j, i])]
             for lecture_name, (layer, j, i) in LECTURE_WEIGHT_NAMES.items()]
    return markdown_table(["lecture", "course", "meaning", "initial value"], rows)


def round_like(value: float, text: str) -> str:
    """``value`` rounded to as many decimals as the printed ``text`` has (no ``-0``).

    Examples
    --------
    >>> round_like(0.28138, "0.282")
    '0.281'
    >>> round_like(-0.00004, "0.00")
    '0.00'
    """
    decimals = len(text.split(".")[1]) if "." in text else 0
    shown = f"{value:.{decimals}f}"
    return shown.lstrip("-") if float(shown) == 0 else shown


def printed_comparison(exact: Mapping[str, float]) -> tuple[Markdown, list[str]]:
    """Every value of :data:`LECTURE_PRINTED` against the exact one, rounded alike.

    Parameters
    ----------
    exact : mapping
        The engine's exact value under each key of :data:`LECTURE_PRINTED`.

    Returns
    -------
    table : Markdown
    differing : list of str
        The lecture's names of the values whose last printed digit differs.
    """
    rows, differing = [], []
    for lecture, (key, text) in LECTURE_PRINTED.items():
        agree = round_like(exact[key], text) == text
        rows.append([lecture, text, exact[key], round_like(exact[key], text),
                     "yes" if agree else "**no**"])
        if not agree:
            differing.append(lecture)
    table = markdown_table(["lecture's name", "lecture prints", "exact (engine)",
                            "exact, rounded alike", "agree?"], rows, decimals=6)
    return table, differing


def redone_from_printed() -> dict[str, float]:
    """The values the lecture misprints, recomputed from its own rounded numbers.

    Each one uses only the lecture's printed (rounded) values and its given weights, as
    the lecture computes by hand: the error from the rounded outputs, the weighted sums
    from the rounded output error terms, the hidden error terms from the rounded slopes
    and sums.
    """
    p = {lecture: float(text) for lecture, (_, text) in LECTURE_PRINTED.items()}
    w = LECTURE_GIVEN
    sum_3 = "$w_{13}\\delta_3 + w_{14}\\delta_4$"
    sum_4 = "$w_{23}\\delta_3 + w_{24}\\delta_4$"
    return {
        "$E$": 0.5 * ((1 - p["$o_1$"]) ** 2 + (0 - p["$o_2$"]) ** 2),
        sum_3: w["w_13"] * p["$\\delta_3$"] + w["w_14"] * p["$\\delta_4$"],
        "$\\delta_1$": p["$h_1(1-h_1)$"] * p[sum_3],
        sum_4: w["w_23"] * p["$\\delta_3$"] + w["w_24"] * p["$\\delta_4$"],
        "$\\delta_2$": p["$h_2(1-h_2)$"] * p[sum_4],
    }
