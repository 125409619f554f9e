"""Small helpers that turn engine values into Markdown for the chapters.

Tables in the chapters are built from computed values with :func:`markdown_table`
and shown with :func:`show_markdown`, never typed.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from backprop.worked import format_number

__all__ = ["Markdown", "markdown_table", "show_markdown"]


class Markdown(str):
    """A string that Jupyter renders as Markdown (math in $...$ included)."""

    def _repr_markdown_(self) -> str:
        return str(self)


def _cell(value, decimals: int) -> str:
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        return str(value).replace("|", "\\|")
    return format_number(float(value), decimals)


def markdown_table(
    headers: Sequence[str], rows: Iterable[Sequence], decimals: int = 4
) -> Markdown:
    """A Markdown table; numbers are rounded to ``decimals`` places (trailing zeros dropped).

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


def show_markdown(text: str) -> Markdown:
    """Wrap ``text`` so that a notebook cell ending with it renders it as Markdown."""
    return Markdown(text)
