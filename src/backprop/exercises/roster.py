"""Reading the class roster (a CSV with one student per row).

The roster needs a header with an ``id`` (or ``student_id``) column; a ``name``
column is optional and shown in the notebook's title. Ids name the notebook
files, so they may use only letters, digits, ``.``, ``_`` and ``-``.
"""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass
from pathlib import Path

__all__ = ["RosterError", "Student", "read_roster"]

ID_COLUMNS = ("id", "student_id")
_VALID_ID = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]{0,63}")


class RosterError(ValueError):
    """The roster cannot be used; the message says where and why."""


@dataclass(frozen=True)
class Student:
    """One roster row."""

    id: str
    name: str = ""


def read_roster(path: str | Path) -> list[Student]:
    """The students of a roster CSV, in file order.

    Raises
    ------
    RosterError
        The file is missing or empty, has no id column, or has a blank, invalid or
        duplicate id (with the line numbers).
    """
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8-sig")
    except OSError as error:
        raise RosterError(f"cannot read roster {path}: {error.strerror or error}") from None
    except UnicodeDecodeError:
        raise RosterError(f"roster {path} is not UTF-8 text") from None
    if not text.strip():
        raise RosterError(f"roster {path} is empty: expected a header line with an 'id' "
                          "column and one line per student")
    reader = csv.DictReader(io.StringIO(text, newline=""))
    header = [name.strip().lower() for name in reader.fieldnames or []]
    id_column = next((c for c in ID_COLUMNS if c in header), None)
    if id_column is None:
        raise RosterError(
            f"roster {path} has no id column: its header is {', '.join(reader.fieldnames or [])!r}"
            "; expected a column named 'id' (or 'student_id')"
        )
    fields = dict(zip(header, reader.fieldnames or [], strict=True))
    students: list[Student] = []
    seen: dict[str, int] = {}
    for row in reader:
        line = reader.line_num
        student_id = (row.get(fields[id_column]) or "").strip()
        name = (row.get(fields["name"]) or "").strip() if "name" in fields else ""
        if not student_id:
            if not any((value or "").strip() for value in row.values() if isinstance(value, str)):
                continue  # a blank line
            raise RosterError(f"roster {path}, line {line}: the id is empty")
        if not _VALID_ID.fullmatch(student_id):
            raise RosterError(
                f"roster {path}, line {line}: id {student_id!r} is not allowed; ids name "
                "notebook files, so use letters, digits, '.', '_' and '-' (at most 64)"
            )
        if student_id in seen:
            raise RosterError(
                f"roster {path}: duplicate id {student_id!r} on lines {seen[student_id]} "
                f"and {line}"
            )
        seen[student_id] = line
        students.append(Student(student_id, name))
    if not students:
        raise RosterError(f"roster {path} has a header but no students")
    return students
