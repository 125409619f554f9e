"""Small helpers that turn engine values into what the chapters show.

Tables in the chapters are built from computed values with :func:`markdown_table`
and shown with :func:`show_markdown`, never typed. Every value a chapter glues into
its prose goes through :func:`glue`, which stores a *display value*
(:func:`display_value`): the engine's number rounded to ten significant digits.

Why round: a different CPU makes OpenBLAS pick another kernel and NumPy another SIMD
path, and the same computation then differs in its last one or two binary digits
(``0.095`` on one machine, ``0.09500000000000001`` on another). Ten significant
digits are more than any page prints and hide that noise, so the committed notebooks
are the same on every machine (``tests/portable_kernels.py`` checks it). Quantities
that *are* rounding noise, such as the relative error of a correct gradient, are shown
as a bound instead (:func:`noise_bound`).
"""

from __future__ import annotations

import math
import numbers
import os
from collections.abc import Iterable, Sequence
from typing import Any

import numpy as np

from backprop.worked import format_given, format_number

__all__ = [
    "DISPLAY_DIGITS",
    "Given",
    "Markdown",
    "display_value",
    "glue",
    "glue_records_wanted",
    "group_digits",
    "markdown_table",
    "noise_bound",
    "noise_text",
    "scientific",
    "show_markdown",
]

DISPLAY_DIGITS = 10
# The prefix myst-nb reads glued values from: a glued value is not shown by the cell.
GLUE_MIME_PREFIX = "application/papermill.record/"
# Set to "0" by a reader notebook's setup cell (tools/reader_notebooks.py): its prose
# already holds every glued value, and a front end shows a hidden record as "No renderer
# could be found for output". Unset or "1" (the book's build): records are published.
GLUE_RECORDS_VARIABLE = "BACKPROP_GLUE_RECORDS"


def display_value(value: Any, digits: int = DISPLAY_DIGITS) -> Any:
    """``value`` with every float rounded to ``digits`` significant digits.

    Floats (Python or NumPy, also inside NumPy arrays, lists, tuples and dicts) are
    rounded; everything else (ints, strings, Markdown, other objects) is returned as it
    is. A NumPy float becomes a Python float, so its repr is the plain number.

    Examples
    --------
    >>> display_value(0.09500000000000001)
    0.095
    >>> display_value([np.float64(1 / 3), 2])
    [0.3333333333, 2]
    """
    if isinstance(value, (bool, np.bool_, int, np.integer)):
        return value
    if isinstance(value, (float, np.floating)):
        number = float(value)
        rounded = float(f"{number:.{digits}g}") if math.isfinite(number) else number
        # Near the largest double, rounding up would overflow to inf: keep the number.
        return rounded if math.isfinite(rounded) else number
    if isinstance(value, np.ndarray) and np.issubdtype(value.dtype, np.floating):
        flat = [display_value(v, digits) for v in value.ravel()]
        return np.array(flat, dtype=float).reshape(value.shape)
    if isinstance(value, (list, tuple)):
        return type(value)(display_value(v, digits) for v in value)
    if isinstance(value, dict):
        return {key: display_value(v, digits) for key, v in value.items()}
    return value


def noise_bound(value: float, floor: float = 1e-9) -> float:
    """A power of ten that bounds ``value``, never below ``floor``.

    For quantities that are rounding noise, such as the relative error between
    backpropagation and finite differences (about 1e-11, and different on another
    CPU): the chapter shows "below 1e-09", which stays true on every machine, rather
    than the noise itself.

    Raises
    ------
    ValueError
        If ``value`` is negative or not finite, or ``floor`` is not positive.
    """
    value = float(value)
    if not math.isfinite(value) or value < 0:
        raise ValueError(f"noise_bound needs a finite value >= 0; got {value!r}")
    if not floor > 0:
        raise ValueError(f"noise_bound needs a floor > 0; got {floor!r}")
    if value < floor:
        return float(floor)
    return float(10.0 ** math.floor(math.log10(value) + 1))


def noise_text(value: float, floor: float = 1e-9) -> str:
    """A relative error as a table shows it: ``"< 1e-09"`` below ``floor``, a real error of
    0.01 or more at two places (``"0.35"``: chapter 12's printed rules), a smaller one as
    ``"3.2e-05"``.

    Below ``floor`` the value is rounding noise (see :func:`noise_bound`); e-notation is
    kept for numbers that small, fixed places for the rest, as the book writes numbers.
    """
    if noise_bound(value, floor) == floor:
        return f"< {floor:.0e}"
    if abs(value) >= 0.01:
        return f"{display_value(value):.2f}"
    return f"{display_value(value):.1e}"


def glue(name: str, value: Any, display: bool = True) -> None:
    """Glue ``display_value(value)`` into the notebook for the book's ``{glue}`` roles.

    The same output as ``myst_nb.glue`` (myst-nb reads it back when the book is
    built), without needing myst-nb where the notebook runs (Colab, a reader's own
    Jupyter). ``display=False`` stores the value without showing it in the cell.

    Where the environment variable ``BACKPROP_GLUE_RECORDS`` is ``"0"`` (a reader
    notebook, whose text already shows the values), ``display=False`` publishes
    nothing; a shown value (``display=True``) is shown as always.
    """
    from IPython.core.formatters import format_display_data
    from IPython.display import display as ipython_display

    if not display and not glue_records_wanted():
        return
    bundle, metadata = format_display_data(display_value(value))
    prefix = "" if display else GLUE_MIME_PREFIX
    metadata["scrapbook"] = {"name": name, "mime_prefix": prefix}
    ipython_display({prefix + key: data for key, data in bundle.items()}, raw=True,
                    metadata=metadata)


def glue_records_wanted() -> bool:
    """Whether :func:`glue` publishes records: ``BACKPROP_GLUE_RECORDS`` unset or ``"1"``.

    Raises
    ------
    ValueError
        If the variable holds anything else (a typo would otherwise silently drop, or
        keep, every record).
    """
    setting = os.environ.get(GLUE_RECORDS_VARIABLE, "").strip() or "1"
    if setting not in ("0", "1"):
        raise ValueError(f"{GLUE_RECORDS_VARIABLE} must be 0 (no glue records) or 1 "
                         f"(the default); got {setting!r}")
    return setting == "1"


class Markdown(str):
    """A string that Jupyter renders as Markdown (math in $...$ included)."""

    def _repr_markdown_(self) -> str:
        return str(self)


def group_digits(count: int) -> str:
    """A whole number as the book writes it: digits grouped by commas from five digits on
    (16,000; 1,796,010), four-digit numbers as they are (2629), as SI style does."""
    return f"{count:,}" if abs(count) >= 10_000 else str(count)


class Given(float):
    """A *given* number for :func:`markdown_table`: written as given (0.2, 1, -0.5),
    not padded to the table's places, because it is exact and not a rounded result.

    The book's one rule (issue 15): computed numbers carry fixed places, given ones
    (inputs, targets, learning rates, weights before a step) are written as given.
    Chapter 7's parameter table: ``markdown_table(["w"], [[Given(0.2)]])`` shows 0.2.
    """


def _cell(value, decimals: int) -> str:
    if isinstance(value, Given):
        return format_given(float(value), decimals)
    if isinstance(value, numbers.Integral) and not isinstance(value, bool):
        # a count or an index is exact: 16,000, not 16000.0000; grouped from five digits
        # on, as the prose writes them (2629 but 16,000)
        return group_digits(int(value))
    if isinstance(value, bool) or not isinstance(value, numbers.Real):
        return str(value).replace("|", "\\|")
    return format_number(float(value), decimals)


def markdown_table(
    headers: Sequence[str], rows: Iterable[Sequence], decimals: int = 4
) -> Markdown:
    """A Markdown table; numbers are rounded to ``decimals`` places (trailing zeros kept),
    integers (Python's or NumPy's) as whole numbers (:func:`group_digits`), :class:`Given`
    numbers as given.

    Parameters
    ----------
    headers : sequence of str
        Column titles (Markdown and $math$ allowed).
    rows : iterable of sequences
        One sequence per row, as long as ``headers``; numbers and strings mix freely.
    """
    rows = [list(row) for row in rows]
    for index, row in enumerate(rows):
        if len(row) != len(headers):
            raise ValueError(f"row {index} has {len(row)} cells; expected {len(headers)}")
    lines = ["| " + " | ".join(headers) + " |", "|" + "---|" * len(headers)]
    lines += ["| " + " | ".join(_cell(v, decimals) for v in row) + " |" for row in rows]
    return Markdown("\n".join(lines))


def scientific(value: float, digits: int = 2) -> Markdown:
    """A number far from 1 as the prose writes it: ``$4.6 \\times 10^{-6}$`` for 4.6e-06,
    with ``digits`` significant digits; glue it and paste it with ``{glue:md}``.

    Python's e-notation (4.6e-06) is kept for bounds of rounding noise only
    (:func:`noise_text`); every other number of that size reads as a power of ten.
    """
    if not math.isfinite(value) or value == 0:
        raise ValueError(f"scientific needs a finite, non-zero number, got {value!r}")
    mantissa, exponent = f"{float(value):.{digits - 1}e}".split("e")
    return Markdown(f"${mantissa} \\times 10^{{{int(exponent)}}}$")


def show_markdown(text: str) -> Markdown:
    """Wrap ``text`` so that a notebook cell ending with it renders it as Markdown."""
    return Markdown(text)
