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

import numpy as np

from backprop.display import Markdown, markdown_table
from backprop.network import Network
from backprop.worked import format_given, format_number

__all__ = [
    "LECTURE_GIVEN",
    "LECTURE_PRINTED",
    "LECTURE_UNIT_NAMES",
    "LECTURE_WEIGHT_NAMES",
    "contributions_table",
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
                        local: np.ndarray, hidden_deltas: np.ndarray) -> Markdown:
    """Each hidden error term split into the requests of the two output units.

    ``contributions[k, h]`` is :math:`w_{kh}\\delta_k`, ``local[h]`` the slope
    :math:`o_h(1-o_h)`; one row per hidden unit, five decimals.
    """
    outputs = labels[2]
    headers = ["hidden unit $h$"]
    headers += [f"from unit {k}: $w_{{{k},h}}\\delta_{k}$" for k in outputs]
    headers += ["sum", "$o_h(1-o_h)$", "$\\delta_h$"]
    rows = [[labels[1][h], *contributions[:, h], contributions[:, h].sum(), local[h],
             hidden_deltas[h]] for h in range(contributions.shape[1])]
    return markdown_table(headers, rows, decimals=5)


def weight_changes(before: Network, after: Network,
                   labels: Sequence[Sequence[str]]) -> list[tuple[str, float, float]]:
    """(name, old value, change) of every weight, the output layer's first, row by row."""
    return [(weight_name(labels, layer, j, i), float(before.weights[layer][j, i]),
             float(after.weights[layer][j, i] - before.weights[layer][j, i]))
            for layer in reversed(range(len(before.weights)))
            for j in range(before.weights[layer].shape[0])
            for i in range(before.weights[layer].shape[1])]


def weight_changes_table(changes: Sequence[tuple[str, float, float]]) -> Markdown:
    """The table of :func:`weight_changes`: old value, new value and change of each weight."""
    return markdown_table(["weight", "old value", "new value", "change"],
                          [[name, old, old + change, change] for name, old, change in changes])


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
    # Given values, all with the same places (the fewest that write each exactly: the
    # lecture's 0.15, 0.20, ...), so that no entry of the column looks rounded.
    places = max(len(format_given(value, 6).partition(".")[2]) for value in LECTURE_GIVEN.values())
    rows += [[f"$w_{{{lecture_name[2:]}}}$", weight_name(labels, layer, j, i),
              f"from unit {labels[layer][i]} into unit {labels[layer + 1][j]}",
              format_number(float(net.weights[layer][j, i]), places)]
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
