"""Grading filled notebooks against the answer key, one student at a time.

A submission is ``<submissions>/<student_id>.ipynb``. Its answers are read
statically (:func:`~backprop.exercises.notebooks.read_answers`); each part scores
1 point when within the key's tolerance of the key's answer, else 0 with a
reason. A missing, unreadable or tampered notebook scores 0 with its reason; no
submission ever stops the others from being graded.
"""

from __future__ import annotations

import csv
import warnings
from dataclasses import dataclass, field
from pathlib import Path

from .key import KeyRow
from .notebooks import METADATA_KEY, read_answers, statement_digest

__all__ = ["Grade", "grade_class", "grade_submission", "write_grades"]

_EPSILON = 1e-9


@dataclass
class Grade:
    """One student's result.

    Attributes
    ----------
    student_id : str
    scores : dict of int to int
        Points per question (one per correct part).
    maxima : dict of int to int
        Parts per question.
    status : str
        ``"graded"``, ``"missing"``, ``"unreadable"`` or ``"tampered"``.
    reasons : list of str
        Why points were lost (per part) or why the notebook was not graded.
    """

    student_id: str
    scores: dict[int, int]
    maxima: dict[int, int]
    status: str = "graded"
    reasons: list[str] = field(default_factory=list)

    @property
    def total(self) -> int:
        return sum(self.scores.values())

    @property
    def max_total(self) -> int:
        return sum(self.maxima.values())


def _zero(student_id: str, rows: list[KeyRow], status: str, reason: str) -> Grade:
    maxima: dict[int, int] = {}
    for row in rows:
        maxima[row.question] = maxima.get(row.question, 0) + 1
    return Grade(student_id, dict.fromkeys(maxima, 0), maxima, status, [reason])


def _load(path: Path):
    """The notebook at ``path`` (nbformat validation warnings are not the grader's business)."""
    import nbformat

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return nbformat.read(path, as_version=4)


def grade_submission(student_id: str, rows: list[KeyRow], path: str | Path) -> Grade:
    """Grade one student's notebook against their key rows."""
    path = Path(path)
    if not path.is_file():
        return _zero(student_id, rows, "missing", f"no submission: {path.name} not found")
    try:
        notebook = _load(path)
    except Exception as error:  # any broken file (not JSON, not a notebook) is one student's
        return _zero(student_id, rows, "unreadable", f"cannot read {path.name}: {error}")
    record = notebook.get("metadata", {}).get(METADATA_KEY)
    expected = rows[0].problem_set_digest
    if not isinstance(record, dict):
        return _zero(student_id, rows, "tampered", "the exercise metadata is missing")
    if record.get("student_id") != student_id:
        return _zero(student_id, rows, "tampered",
                     f"the notebook belongs to {record.get('student_id')!r}, not {student_id!r}")
    if record.get("problem_set_digest") != expected:
        return _zero(student_id, rows, "tampered",
                     "the problem-set digest in the metadata does not match the key")
    if statement_digest(notebook, student_id) != expected:
        return _zero(student_id, rows, "tampered",
                     "the questions' text or numbers were changed (statement digest mismatch)")
    answers = read_answers(notebook, {row.variable for row in rows})
    grade = _zero(student_id, rows, "graded", "")
    grade.reasons.clear()
    for row in rows:
        label = f"q{row.question} {row.part} ({row.variable})"
        answer = answers.get(row.variable)
        if answer is None:
            grade.reasons.append(f"{label}: variable not found")
        elif answer.value is None:
            grade.reasons.append(f"{label}: {answer.problem}")
        elif abs(answer.value - row.answer) <= row.tolerance + _EPSILON:
            grade.scores[row.question] += 1
        else:
            grade.reasons.append(f"{label}: wrong")
    return grade


def grade_class(key: dict[str, list[KeyRow]], submissions: str | Path) -> list[Grade]:
    """Grade every student of the key from ``submissions/<id>.ipynb``, in key order."""
    folder = Path(submissions)
    return [grade_submission(student_id, rows, folder / f"{student_id}.ipynb")
            for student_id, rows in key.items()]


def write_grades(path: str | Path, grades: list[Grade]) -> None:
    """The grade CSV: ``student_id, q1, ..., qN, total, max_total, status, reason``."""
    questions = sorted({q for grade in grades for q in grade.maxima})
    with open(path, "w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(["student_id", *(f"q{q}" for q in questions), "total", "max_total",
                         "status", "reason"])
        for grade in grades:
            writer.writerow([grade.student_id, *(grade.scores.get(q, 0) for q in questions),
                             grade.total, grade.max_total, grade.status,
                             "; ".join(grade.reasons)])
