"""Reading the class roster (a CSV with one student per row).

The roster needs a header with an ``id`` (or ``student_id``) column; a ``name``
column is optional and shown in the notebook's title. Ids name the notebook
files, so they may use only letters, digits, ``.``, ``_`` and ``-``, and two ids
may not differ only in case. The delimiter (``,``, ``;`` or tab) is read from the
header; a file that is not UTF-8 is refused with how to re-save it.
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


REENCODE = (
    "re-save it as UTF-8: in Excel, File > Save As > 'CSV UTF-8 (Comma delimited)'; in "
    "LibreOffice, tick 'Edit filter settings' and choose 'Unicode (UTF-8)'; or convert it "
    "with `iconv -f {encoding} -t UTF-8 {path} > roster-utf8.csv`"
)


def _utf8(path: Path, data: bytes) -> str:
    """The roster's text; a UTF-16 or Latin-1 file is refused with how to re-save it."""
    if data.startswith((b"\xff\xfe", b"\xfe\xff")) or data[:200].count(b"\x00") > 2:
        encoding, seen = "UTF-16", "UTF-16 (Excel's 'Unicode Text')"
    else:
        try:
            return data.decode("utf-8-sig")
        except UnicodeDecodeError:
            encoding, seen = "LATIN1", "Latin-1 / Windows-1252 (Excel's plain 'CSV')"
    raise RosterError(f"roster {path} is not UTF-8: it looks like {seen}; "
                      + REENCODE.format(encoding=encoding, path=path))


def _delimiter(text: str) -> str:
    """``;`` or a tab when the header uses it instead of commas (Excel in many locales)."""
    header = text.lstrip("\ufeff").splitlines()[0] if text.strip() else ""
    counts = {delimiter: header.count(delimiter) for delimiter in (",", ";", "\t")}
    best = max(counts, key=lambda d: (counts[d], d == ","))
    return best if counts[best] else ","


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
        data = path.read_bytes()
    except OSError as error:
        raise RosterError(f"cannot read roster {path}: {error.strerror or error}") from None
    text = _utf8(path, data)
    if not text.strip():
        raise RosterError(f"roster {path} is empty: expected a header line with an 'id' "
                          "column and one line per student")
    reader = csv.DictReader(io.StringIO(text, newline=""), delimiter=_delimiter(text))
    header = [name.strip().lower() for name in reader.fieldnames or []]
    id_column = next((c for c in ID_COLUMNS if c in header), None)
    if id_column is None:
        raise RosterError(
            f"roster {path} has no id column: its header is {', '.join(reader.fieldnames or [])!r}"
            "; expected a column named 'id' (or 'student_id')"
        )
    fields = dict(zip(header, reader.fieldnames or [], strict=True))
    students: list[Student] = []
    seen: dict[str, tuple[int, str]] = {}
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
        folded = student_id.casefold()  # s01 and S01 would share a file on macOS/Windows
        if folded in seen:
            first_line, first_id = seen[folded]
            same = "duplicate id" if first_id == student_id else "ids that differ only in case"
            raise RosterError(
                f"roster {path}: {same} {first_id!r} and {student_id!r} on lines "
                f"{first_line} and {line}" if first_id != student_id else
                f"roster {path}: {same} {student_id!r} on lines {first_line} and {line}"
            )
        seen[folded] = (line, student_id)
        students.append(Student(student_id, name))
    if not students:
        raise RosterError(f"roster {path} has a header but no students")
    return students
