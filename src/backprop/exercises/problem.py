"""What a problem is, and the one-way digests that let students check answers.

A :class:`Problem` holds everything: the statement, the given numbers, and for
each answer part the exact engine value, the common mistakes and a worked
solution. :meth:`Problem.student_view` is the only form that goes into a
student's notebook: statement, given numbers, and for each part a salted SHA-256
digest of the rounded answer (and of each common-mistake value), never the
answer itself.

Rounding and tolerance (chapter 15, the self-test, states them to students):
an answer is compared with the exact value rounded to :data:`DECIMALS` places,
and is right when it lies within :data:`TOLERANCE` of it.
"""

from __future__ import annotations

import hashlib
import json
import math
from dataclasses import dataclass
from numbers import Real
from typing import Any

import numpy as np

__all__ = [
    "DECIMALS",
    "TOLERANCE",
    "Mistake",
    "Part",
    "Problem",
    "answer_digest",
    "canonical",
    "problem_set_digest",
]

DECIMALS = 4
"""Answers are rounded to this many decimal places."""
TOLERANCE = 5e-4
"""An answer is right when it is within this (absolute) distance of the rounded exact value."""
_SCALE = 10**DECIMALS


def canonical(value: float) -> str:
    """``value`` rounded to :data:`DECIMALS` places as fixed text, e.g. ``"-0.0312"``.

    Negative zero is written ``"0.0000"``, so that every number has one spelling.
    """
    text = f"{round(float(value) * _SCALE) / _SCALE:.{DECIMALS}f}"
    return text[1:] if text == "-" + "0." + "0" * DECIMALS else text


def answer_digest(salt: str, value: float) -> str:
    """Hex SHA-256 of ``salt + ":" + canonical(value)``: what a notebook stores for a value."""
    return hashlib.sha256(f"{salt}:{canonical(value)}".encode()).hexdigest()


@dataclass(frozen=True)
class Mistake:
    """A wrong value that a known slip produces, and the step to revisit.

    Attributes
    ----------
    name : str
        Short identifier, e.g. ``"sign"``, ``"missing_derivative"``.
    value : float
        What the slip gives for this problem.
    hint : str
        Shown to the student whose answer matches ``value``.
    """

    name: str
    value: float
    hint: str


@dataclass(frozen=True)
class Part:
    """One number the student must give.

    Attributes
    ----------
    name : str
        Part name, unique in its problem (``"sigma"``, ``"delta_5"``, ``"w_5,3"``).
    label : str
        Markdown+LaTeX naming the quantity, e.g. ``"$\\delta_5$"``.
    answer : float
        The engine's exact value.
    mistakes : tuple of Mistake
        Common slips, each at least two tolerances away from the answer.
    """

    name: str
    label: str
    answer: float
    mistakes: tuple[Mistake, ...] = ()

    @property
    def rounded(self) -> float:
        """The answer rounded to :data:`DECIMALS` places (the key's value)."""
        return float(canonical(self.answer))


@dataclass(frozen=True)
class Problem:
    """A generated exercise with its answers and worked solution.

    Attributes
    ----------
    problem_id : str
        ``"<kind>-<seed>"``; :func:`backprop.exercises.problem_from_id` rebuilds the problem.
    kind : str
        The generator's name, e.g. ``"hidden_delta"``.
    seed : int
    title : str
    text : str
        The statement, Markdown+LaTeX, with every given number.
    given : dict
        The given numbers (JSON-able: floats and lists of floats).
    parts : tuple of Part
    solution : str
        The worked solution, Markdown+LaTeX.
    """

    problem_id: str
    kind: str
    seed: int
    title: str
    text: str
    given: dict[str, Any]
    parts: tuple[Part, ...]
    solution: str

    def part(self, name: str) -> Part:
        """The part called ``name``; ``KeyError`` listing the part names otherwise."""
        for part in self.parts:
            if part.name == name:
                return part
        raise KeyError(
            f"problem {self.problem_id} has no part {name!r}; its parts are "
            + ", ".join(repr(p.name) for p in self.parts)
        )

    @property
    def answers(self) -> dict[str, float]:
        """Rounded answers by part name (instructor side only)."""
        return {part.name: part.rounded for part in self.parts}

    def salt(self, part: str) -> str:
        """The digest salt of one part: the problem id and the part name."""
        return f"{self.problem_id}/{part}"

    def student_view(self) -> dict[str, Any]:
        """The student-side data: statement and digests, no answer in plain text.

        Returns a JSON-able dict with ``problem_id``, ``title``, ``text``, ``given``,
        ``decimals``, ``tolerance`` and ``parts``: a list of ``{"name", "label",
        "digest", "mistakes": [{"name", "digest", "hint"}]}``. :func:`backprop.exercises.check`
        accepts it.
        """
        parts = []
        for part in self.parts:
            salt = self.salt(part.name)
            parts.append({
                "name": part.name,
                "label": part.label,
                "digest": answer_digest(salt, part.answer),
                "mistakes": [
                    {"name": m.name, "digest": answer_digest(salt, m.value), "hint": m.hint}
                    for m in part.mistakes
                ],
            })
        return {
            "problem_id": self.problem_id,
            "title": self.title,
            "text": self.text,
            "given": self.given,
            "decimals": DECIMALS,
            "tolerance": TOLERANCE,
            "parts": parts,
        }


def problem_set_digest(student_id: str, statements: list[tuple[str, str]]) -> str:
    """SHA-256 of a student's problem set: their id and each (problem id, statement text).

    The notebook stores it in its metadata and the answer key stores it too; the
    grader recomputes it from the notebook's statement cells, so an edited number,
    a swapped problem or another student's notebook is caught.
    """
    payload = json.dumps([student_id, [list(item) for item in statements]], sort_keys=True)
    return hashlib.sha256(payload.encode()).hexdigest()


def is_number(value: Any) -> bool:
    """True for a finite real number (int, float, NumPy scalar) that is not a bool."""
    return (
        isinstance(value, Real)
        and not isinstance(value, (bool, np.bool_))
        and math.isfinite(value)
    )
