"""The lecture's printed values against the engine: the tables of chapter 7's last part.

Chapter 7 (the complete 3-2-1 example) compares each value the lecture's section 7
prints with the engine's exact value rounded to as many places as the lecture prints,
and explains each difference by redoing the lecture's line from its own rounded inputs.
This module holds the lecture's values as data and builds the two tables; the chapter
keeps the arithmetic a reader should see (the redone lines). Chapter 8 compares the
values of section 8.4's two-node chain (:data:`SECTION_8_4_PRINTED`) the same way.
tests/test_lecture_values.py checks that the engine reproduces both sections' values.
"""

from __future__ import annotations

import math
from collections.abc import Mapping

from backprop.display import Markdown, markdown_table

__all__ = ["SECTION_7_PRINTED", "SECTION_8_4_PRINTED", "causes_table", "comparison_table",
           "decimals_of", "rounded_like"]

#: The values printed in the lecture, section 7 ("Complete Worked Example"), as printed,
#: by the names of :func:`backprop.worked_solution`'s values.
SECTION_7_PRINTED = {
    "net_4": "-0.7", "o_4": "0.332", "net_5": "0.1", "o_5": "0.525",
    "net_6": "-0.1046", "o_6": "0.474", "delta_6": "0.1311", "delta_5": "-0.0065",
    "delta_4": "-0.0087", "dw_6,4": "0.0391", "w_6,4": "-0.261", "dw_6,5": "0.0619",
    "w_6,5": "-0.138", "db_6": "0.118", "b_6": "0.218", "dw_4,1": "-0.0078",
    "w_4,1": "0.192", "w_4,3": "-0.508", "b_4": "-0.408", "dw_5,1": "-0.0059",
    "w_5,1": "-0.306", "w_5,3": "0.194", "b_5": "0.194",
    "o_after_6": "0.515", "|t - o_6| after": "0.485", "|t - o_6| reduction": "0.041",
}

#: The values printed in the lecture, section 8.4 ("Numerical Example": the two-node chain
#: x -> h -> o), as printed, by the names of :func:`backprop.worked_solution`'s values
#: with the chain's unit labels (the lecture's w_ho is ``w_o,h``, its w_xh ``w_h,x``).
SECTION_8_4_PRINTED = {
    "net_h": "0.5", "o_h": "0.6225", "net_o": "0.498", "o_o": "0.622",
    "delta_o": "0.0889", "delta_h": "0.0167",
    "dw_o,h": "0.0498", "w_o,h": "0.8498", "dw_h,x": "0.0150", "w_h,x": "0.5150",
}


def decimals_of(text: str) -> int:
    """How many places a printed number has ("0.4700" -> 4, "-0.7" -> 1)."""
    return len(text.split(".")[1]) if "." in text else 0


def rounded_like(value: float, text: str) -> str:
    """``value`` rounded to as many places as ``text``, written the same way (no -0)."""
    shown = f"{value:.{decimals_of(text)}f}"
    return shown.lstrip("-") if float(shown) == 0 else shown


def _symbol(key: str) -> str:
    """A value's name as math: ``"dw_6,4"`` -> ``$\\Delta w_{6,4}$``."""
    if key.startswith("|"):
        return key.replace("|t - o_6|", "$\\lvert t - o_6 \\rvert$")
    if key == "o_after_6":
        return "$o_6$ after the step"
    name, _, units = key.partition("_")
    name = {"net": "\\mathrm{net}", "delta": "\\delta", "dw": "\\Delta w",
            "db": "\\Delta b"}.get(name, name)
    return f"${name}_{{{units}}}$"


def comparison_table(printed: Mapping[str, str],
                     exact: Mapping[str, float]) -> tuple[Markdown, list[str]]:
    """Each printed value beside the exact one and whether they agree (chapter 7).

    Returns
    -------
    table : Markdown
        Columns: quantity, lecture prints, exact (six places), exact rounded alike, agree?
    differing : list of str
        The keys whose printed value is not the exact value rounded alike.
    """
    rows, differing = [], []
    for key, text in printed.items():
        alike = rounded_like(exact[key], text)
        agree = alike == text
        if not agree:
            differing.append(key)
        rows.append([_symbol(key), text, exact[key], alike, "yes" if agree else "**no**"])
    table = markdown_table(["quantity", "lecture prints", "exact (engine)",
                            "exact, rounded alike", "agree?"], rows, decimals=6)
    return table, differing


def cause(redone: float, text: str) -> str:
    """Why the lecture printed ``text`` where its own rounded inputs give ``redone``."""
    if rounded_like(redone, text) == text:
        return "follows from rounded inputs"
    scale = 10 ** decimals_of(text)
    truncated = math.trunc(redone * scale) / scale
    if rounded_like(truncated, text) == text:
        return "truncated instead of rounded"
    return "unexplained"


def causes_table(printed: Mapping[str, str], exact: Mapping[str, float],
                 redone: Mapping[str, float]) -> tuple[Markdown, dict[str, str]]:
    """The differing values, redone from the lecture's rounded inputs, with their cause.

    Returns the table and the cause of each key (chapter 7 asserts none is unexplained).
    """
    causes = {key: cause(value, printed[key]) for key, value in redone.items()}
    table = markdown_table(
        ["quantity", "lecture prints", "exact (engine)",
         "redone from the lecture's rounded inputs", "cause"],
        [[_symbol(key), printed[key], exact[key], redone[key], causes[key]] for key in redone],
        decimals=6)
    return table, causes
