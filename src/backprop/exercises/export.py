"""Grades out of the tool: the generic CSV, Canvas and Moodle gradebook shapes, overrides.

- :func:`write_grades`: ``student_id, file, q1 ... qN, total, max_total, status,
  follow_through, reason``: everything, for the instructor.
- :func:`write_canvas`: Canvas's gradebook import (``Student, ID, SIS User ID,
  SIS Login ID, Section, <assignment>``), students matched by SIS User ID.
- :func:`write_moodle`: a CSV for Moodle's "Import grades > CSV file", students
  matched by ``ID number``, with a feedback column.
- :func:`read_overrides`/:func:`apply_overrides`: the instructor's manual changes,
  a CSV ``student_id, question, points, note`` that :func:`apply_overrides` applies
  after every (re)grade, so a regrade keeps them.
"""

from __future__ import annotations

import csv
import io
import math
from dataclasses import dataclass
from pathlib import Path

from .grading import Grade

__all__ = ["OVERRIDE_COLUMNS", "Override", "OverrideError", "apply_overrides", "read_overrides",
           "write_canvas", "write_grades", "write_moodle"]

OVERRIDE_COLUMNS = ("student_id", "question", "points", "note")


class OverrideError(ValueError):
    """The overrides CSV cannot be used; the message says which line and why."""


@dataclass(frozen=True)
class Override:
    """Question ``question`` of ``student_id`` scores ``points``, because ``note``."""

    student_id: str
    question: int
    points: float
    note: str = ""


def _points(value: float) -> str:
    return f"{value:g}" if value == round(value, 4) else f"{value:.4f}"


def _write(path: str | Path, header: list[str], rows: list[list]) -> None:
    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer)
    writer.writerow(header)
    writer.writerows(rows)
    Path(path).write_text(buffer.getvalue(), encoding="utf-8", newline="")


def write_grades(path: str | Path, grades: list[Grade]) -> None:
    """The generic grade CSV (one row per student, in the key's order)."""
    questions = sorted({q for grade in grades for q in grade.maxima})
    _write(path, ["student_id", "file", *(f"q{q}" for q in questions), "total", "max_total",
                  "status", "follow_through", "reason"],
           [[g.student_id, g.file, *(_points(g.scores.get(q, 0.0)) for q in questions),
             _points(g.total), _points(g.max_total), g.status, "; ".join(g.follow_through),
             "; ".join(g.reasons)] for g in grades])


def write_canvas(path: str | Path, grades: list[Grade], names: dict[str, str],
                 assignment: str) -> None:
    """Canvas's gradebook CSV; import it under Grades > Import."""
    points = max((g.max_total for g in grades), default=0.0)
    rows = [["Points Possible", "", "", "", "", _points(points)]]
    rows += [[names.get(g.student_id, ""), "", g.student_id, "", "", _points(g.total)]
             for g in grades]
    _write(path, ["Student", "ID", "SIS User ID", "SIS Login ID", "Section", assignment], rows)


def write_moodle(path: str | Path, grades: list[Grade], names: dict[str, str],
                 assignment: str) -> None:
    """A Moodle grade-import CSV: map ``ID number`` to the user's ID number."""
    _write(path, ["ID number", "Full name", assignment, "Feedback"],
           [[g.student_id, names.get(g.student_id, ""), _points(g.total),
             f"{g.status}: {_points(g.total)} of {_points(g.max_total)}"
             + (f"; follow-through credit: {', '.join(g.follow_through)}"
                if g.follow_through else "")] for g in grades])


def read_overrides(path: str | Path) -> list[Override]:
    """The overrides CSV; ``OverrideError`` naming the line if malformed."""
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError) as error:
        raise OverrideError(f"cannot read overrides {path}: "
                            f"{getattr(error, 'strerror', None) or error}") from None
    reader = csv.DictReader(io.StringIO(text, newline=""))
    missing = [c for c in OVERRIDE_COLUMNS[:3] if c not in (reader.fieldnames or [])]
    if missing:
        raise OverrideError(f"overrides {path} lacks the column(s) {', '.join(missing)}; "
                            f"expected {', '.join(OVERRIDE_COLUMNS)}")
    overrides = []
    for row in reader:
        try:
            question = int(str(row["question"]).strip().lstrip("qQ"))
            points = float(row["points"])
        except (TypeError, ValueError):
            raise OverrideError(f"overrides {path}, line {reader.line_num}: question must be "
                                "a number (3 or q3) and points a number") from None
        if not math.isfinite(points) or points < 0:
            raise OverrideError(f"overrides {path}, line {reader.line_num}: points must be >= 0")
        overrides.append(Override(str(row["student_id"]).strip(), question, points,
                                  (row.get("note") or "").strip()))
    return overrides


def apply_overrides(grades: list[Grade], overrides: list[Override]) -> list[str]:
    """Set each overridden question's score; returns warnings for unknown students/questions."""
    by_id = {grade.student_id: grade for grade in grades}
    warnings = []
    for override in overrides:
        grade = by_id.get(override.student_id)
        if grade is None or override.question not in grade.maxima:
            warnings.append(f"override for {override.student_id} q{override.question}: no such "
                            "student or question in the key; ignored")
            continue
        grade.scores[override.question] = override.points
        note = f" ({override.note})" if override.note else ""
        grade.reasons.append(f"q{override.question}: set to {_points(override.points)} by the "
                             f"instructor{note}")
    return warnings
