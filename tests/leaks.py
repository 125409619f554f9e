"""Shared by the leak tests: what a chapter's answers are, and does a page or notebook
show one?

The answers are read from the chapters themselves: every number glued under a ``sol_``
key by a ``solution``-tagged cell, formatted as the solution's ``{glue:text}`` role
formats it (``answers``), and a stretch of the text of every solution
(``solution_texts``).

An answer that is a number is looked for as a whole number: "3000" (3,000 epochs) is not
shown by "-0.3000" (a given weight), nor "0.1000" by "-0.1000". With fixed decimals, the
digits of one number often sit inside another. Any other answer (a stretch of a
solution's prose) is looked for as it is.
"""

from __future__ import annotations

import re

from tool_modules import load_tool

_ANSWER_CHECKS = load_tool("answer_checks")  # the boxes read the answers the same way
GLUE_TEXT = _ANSWER_CHECKS.GLUE_TEXT  # a sol_ role; keys may hold commas (sol_q12_w_h,x)
is_solution = _ANSWER_CHECKS.is_solution
DIRECTIVE = re.compile(r"```\{solution\}.*?\n(.*?)```", re.S)
_NUMBER = re.compile(r"^[-\u2212]?\d[\d,]*(?:\.\d+)?$")


# Sphinx writes the source's straight quotes as typographic ones ("sigmoid's" -> "sigmoid’s");
# the reader-notebook check maps them back the same way
STRAIGHT = load_tool("reader_notebooks").STRAIGHT


def shows(text: str, secret: str) -> bool:
    """True if ``text`` shows ``secret`` (a whole number, or a stretch of prose, its quotes
    straight or typographic)."""
    if _NUMBER.match(secret):
        return re.search(rf"(?<![\d.,\-\u2212]){re.escape(secret)}(?!\d|\.\d)", text) is not None
    return secret in text or secret.translate(STRAIGHT) in text.translate(STRAIGHT)


def glued_numbers(notebook) -> dict[str, float | int]:
    """sol_ keys glued as numbers by solution cells, with their values (an int stays an
    int: the role ``{glue:text}`sol_n:,``` shows 6,400 for it, not 6,400.0)."""
    values = {}
    for name, text in _ANSWER_CHECKS.solution_glue_records(notebook):
        for kind in (int, float):
            try:
                values[name] = kind(text)
                break
            except ValueError:
                pass  # a string or an expression: covered by the text search
    return values


MARKER = re.compile(r"^\s*(?:[-*+]|\d+[.)]|#+|>)\s+")


def solution_texts(notebook) -> list[str]:
    """A distinctive stretch of prose from every solution (markup and roles removed)."""
    texts = []
    for cell in notebook.cells:
        if cell.cell_type != "markdown" or not is_solution(cell):
            continue
        for body in DIRECTIVE.findall(cell.source):
            # a list item's or heading's marker is not part of the text a page shows
            prose = [MARKER.sub("", line) for line in body.splitlines()
                     if line and not line.startswith(":") and "$" not in line
                     and "{" not in line and "|" not in line]
            words = " ".join(" ".join(prose).split()[:8])
            words = re.sub(r"[*_`]", "", words)
            if len(words) >= 25:
                texts.append(words)
    return texts


def answers(notebook) -> set[str]:
    """Every sol_ number, formatted as the solutions format it."""
    numbers = glued_numbers(notebook)
    shown = set()
    for cell in notebook.cells:
        if cell.cell_type == "markdown" and is_solution(cell):
            for key, spec in GLUE_TEXT.findall(cell.source):
                if key in numbers:
                    shown.add(format(numbers[key], spec or ""))
    return shown
