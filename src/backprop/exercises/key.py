"""The answer key: one CSV row per (student, question, part), for the instructor only.

Columns: ``student_id, question, problem_id, part, variable, answer, tolerance,
problem_set_digest``. ``answer`` is the exact engine value rounded to
``DECIMALS`` places; a submitted number is right when within ``tolerance`` of it.
``variable`` is the notebook variable the student fills in, and
``problem_set_digest`` lets the grader detect an edited or swapped notebook.
"""

from __future__ import annotations

import csv
import io
import math
from dataclasses import dataclass
from pathlib import Path

from .problem import TOLERANCE, Problem, canonical

__all__ = ["KEY_COLUMNS", "AnswerKeyError", "KeyRow", "key_rows", "key_text", "read_key",
           "write_key"]

KEY_COLUMNS = ("student_id", "question", "problem_id", "part", "variable", "answer",
               "tolerance", "problem_set_digest")


class AnswerKeyError(ValueError):
    """The answer key cannot be read; the message says where and why."""


@dataclass(frozen=True)
class KeyRow:
    """One answer of one student."""

    student_id: str
    question: int
    problem_id: str
    part: str
    variable: str
    answer: float
    tolerance: float
    problem_set_digest: str


def key_rows(student_id: str, problems: list[Problem], variables: list[list[str]],
             digest: str) -> list[KeyRow]:
    """The key rows of one student's problem set (``variables`` per question, per part)."""
    rows = []
    for question, (problem, names) in enumerate(zip(problems, variables, strict=True), start=1):
        for part, variable in zip(problem.parts, names, strict=True):
            rows.append(KeyRow(student_id, question, problem.problem_id, part.name, variable,
                               part.rounded, TOLERANCE, digest))
    return rows


def key_text(rows: list[KeyRow]) -> str:
    """The key CSV as text (answers as fixed 4-decimal text)."""
    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer)
    writer.writerow(KEY_COLUMNS)
    for row in rows:
        writer.writerow([row.student_id, row.question, row.problem_id, row.part,
                         row.variable, canonical(row.answer), f"{row.tolerance:g}",
                         row.problem_set_digest])
    return buffer.getvalue()


def write_key(path: str | Path, rows: list[KeyRow]) -> None:
    """Write the key CSV (answers as fixed 4-decimal text)."""
    Path(path).write_text(key_text(rows), encoding="utf-8", newline="")


def read_key(path: str | Path) -> dict[str, list[KeyRow]]:
    """The key's rows by student id, in file order; ``AnswerKeyError`` if malformed."""
    path = Path(path)
    try:
        handle = open(path, newline="", encoding="utf-8-sig")
    except OSError as error:
        raise AnswerKeyError(f"cannot read answer key {path}: {error.strerror or error}") from None
    with handle:
        reader = csv.DictReader(handle)
        missing = [c for c in KEY_COLUMNS if c not in (reader.fieldnames or [])]
        if missing:
            raise AnswerKeyError(f"answer key {path} lacks the column(s) {', '.join(missing)}; "
                                 f"expected {', '.join(KEY_COLUMNS)}")
        students: dict[str, list[KeyRow]] = {}
        for row in reader:
            try:
                entry = KeyRow(row["student_id"], int(row["question"]), row["problem_id"],
                               row["part"], row["variable"], float(row["answer"]),
                               float(row["tolerance"]), row["problem_set_digest"])
            except (TypeError, ValueError):
                raise AnswerKeyError(
                    f"answer key {path}, line {reader.line_num}: malformed row {row!r}"
                ) from None
            if not (math.isfinite(entry.answer) and entry.tolerance >= 0):
                raise AnswerKeyError(f"answer key {path}, line {reader.line_num}: bad answer "
                                     "or tolerance")
            students.setdefault(entry.student_id, []).append(entry)
    if not students:
        raise AnswerKeyError(f"answer key {path} has no rows")
    return students
