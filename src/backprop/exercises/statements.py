"""Finding each question's statement cell by its content, and spotting changed numbers.

A student may add a note to a question cell, turn it into a raw cell by a stray
keypress, or lose its metadata: :func:`find_statements` still finds it, by the cell's
text where the match is unambiguous. Only a *given number* that was changed or
deleted counts as tampering, and only for that question: words and notes may be
added or edited freely.
"""

from __future__ import annotations

import difflib
import re
from collections import Counter
from dataclasses import dataclass

__all__ = ["StatementCheck", "find_statements"]

_TOKEN = re.compile(r"-?\d+(?:\.\d+)?|[A-Za-z]+|\S")
_NUMBER = re.compile(r"-?\d+(?:\.\d+)?")
MIN_SIMILARITY = 0.6
"""A cell must share this much of a statement's text (difflib ratio) to be its candidate."""
MAX_COMPARED_CHARS = 20_000
"""Longer cells are not compared (a statement is under 2,000 characters)."""


@dataclass(frozen=True)
class StatementCheck:
    """What was found for one question's statement.

    Attributes
    ----------
    question : int
    found : bool
        A cell was matched to the statement.
    changed : tuple of str
        The given numbers changed or deleted, as ``"0.35 -> 0.45"`` or ``"0.35 deleted"``.
    """

    question: int
    found: bool
    changed: tuple[str, ...] = ()

    @property
    def tampered(self) -> bool:
        return bool(self.changed)


def _changed_numbers(expected: list[str], actual: list[str]) -> tuple[str, ...]:
    matcher = difflib.SequenceMatcher(None, expected, actual, autojunk=False)
    changes = []
    for operation, i1, i2, j1, j2 in matcher.get_opcodes():
        if operation not in ("replace", "delete"):
            continue  # inserted text (a note) is allowed
        lost = [token for token in expected[i1:i2] if _NUMBER.fullmatch(token)]
        if not lost:
            continue
        new = [token for token in actual[j1:j2] if _NUMBER.fullmatch(token)]
        changes.append(f"{' '.join(lost)} -> {' '.join(new)}" if new
                       else f"{' '.join(lost)} deleted")
    return tuple(changes)


def find_statements(cells: list[dict], expected: list[dict]) -> list[StatementCheck]:
    """Match each expected statement to a cell and report changed given numbers.

    Parameters
    ----------
    cells : list of dict
        The notebook's cells as :func:`backprop.exercises.notebooks.cells` gives them.
    expected : list of dict
        Per question ``{"question", "problem_id", "statement"}`` (from problems.json).

    Returns
    -------
    list of StatementCheck
        In the order of ``expected``. A statement found in no cell, or matching two
        cells equally well, is ``found=False`` (not tampering: the answers still count).
    """
    texts = [cell["source"] for cell in cells if cell["cell_type"] != "code"
             and len(cell["source"]) <= MAX_COMPARED_CHARS]
    exact = set(texts)
    tokens = None
    results = []
    for item in expected:
        question, statement = item["question"], item["statement"]
        if statement in exact:
            results.append(StatementCheck(question, True))
            continue
        if tokens is None:
            tokens = [_TOKEN.findall(text) for text in texts]
        wanted = _TOKEN.findall(statement)
        scored = []
        counted = Counter(wanted)
        for candidate in tokens:
            shared = sum((counted & Counter(candidate)).values())
            if shared < MIN_SIMILARITY * len(wanted):
                continue  # cheap bound: too few of the statement's tokens at all
            matcher = difflib.SequenceMatcher(None, wanted, candidate, autojunk=False)
            # the share of the statement's tokens found in order in the cell (a long
            # added note lowers ratio() but not this)
            kept = sum(block.size for block in matcher.get_matching_blocks())
            scored.append((kept / max(len(wanted), 1), candidate))
        scored.sort(key=lambda pair: pair[0], reverse=True)
        if not scored or scored[0][0] < MIN_SIMILARITY or (
                len(scored) > 1 and scored[1][0] > scored[0][0] - 0.05):
            results.append(StatementCheck(question, False))
            continue
        results.append(StatementCheck(question, True, _changed_numbers(wanted, scored[0][1])))
    return results
