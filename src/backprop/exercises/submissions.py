"""Finding each student's submission in a folder, and loading it without trusting it.

:func:`load_notebook` reads a file as JSON (a UTF-8 byte-order mark is fine) with a
size limit, and never raises: it returns the parsed value or the reason it could
not. :func:`match_submissions` assigns the files of a folder to the students of a
key: by the student id in the notebook's metadata, whatever the file is called (an
LMS renames files: ``s06 (1).ipynb``, Canvas's ``doe_jane_123_456_s07.ipynb``), else
by an id in the file name. A file named after one student whose metadata names
another is kept for the one it is named after, so a copied notebook is reported
(as another student's) instead of being credited twice.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .notebooks import METADATA_KEY

__all__ = ["MAX_NOTEBOOK_BYTES", "Submission", "load_notebook", "match_submissions"]

MAX_NOTEBOOK_BYTES = 20_000_000
"""A larger file is not read (an exercise notebook is about 100 kB)."""


@dataclass
class Submission:
    """The file chosen for one student, and what else was found.

    Attributes
    ----------
    path : Path
    notebook : object or None
        The parsed JSON, None when it could not be read.
    problem : str or None
        Why the file could not be read.
    ignored : list of str
        Other files that also claimed this student (older copies), by name.
    """

    path: Path
    notebook: Any = None
    problem: str | None = None
    ignored: list[str] = field(default_factory=list)


def load_notebook(path: Path) -> tuple[Any, str | None]:
    """The JSON in ``path`` and None, or None and why it cannot be read. Never raises."""
    try:
        size = path.stat().st_size
        if size > MAX_NOTEBOOK_BYTES:
            return None, f"{path.name} is too large ({size:,} bytes)"
        text = path.read_bytes().decode("utf-8-sig")
        return json.loads(text), None
    except UnicodeDecodeError:
        return None, f"{path.name} is not UTF-8 text"
    except json.JSONDecodeError as error:
        return None, f"{path.name} is not a notebook (not JSON: {error.msg}, line {error.lineno})"
    except (OSError, RecursionError, MemoryError, ValueError) as error:
        return None, f"cannot read {path.name}: {type(error).__name__}"


def metadata_student(notebook: Any) -> str | None:
    """The student id a notebook's metadata records, if it is a string."""
    metadata = notebook.get("metadata") if isinstance(notebook, dict) else None
    record = metadata.get(METADATA_KEY) if isinstance(metadata, dict) else None
    student = record.get("student_id") if isinstance(record, dict) else None
    return student if isinstance(student, str) else None


def named_student(stem: str, ids: set[str], pattern: re.Pattern | None = None) -> str | None:
    """The one key id the file name ``stem`` contains as a whole word, if exactly one."""
    if stem in ids:
        return stem
    pattern = pattern or _id_pattern(ids)
    found = {match.group(0) for match in pattern.finditer(stem)} & ids
    return found.pop() if len(found) == 1 else None


def _id_pattern(ids: set[str]) -> re.Pattern:
    alternatives = "|".join(re.escape(i) for i in sorted(ids, key=len, reverse=True))
    return re.compile(rf"(?<![A-Za-z0-9])(?:{alternatives})(?![A-Za-z0-9])")


def _rank(entry: tuple[Path, Any, str | None], student: str) -> tuple:
    """Prefer a file whose metadata names the student, then the newest, then by name."""
    path, notebook, _ = entry
    try:
        modified = path.stat().st_mtime
    except OSError:
        modified = 0.0
    return (metadata_student(notebook) == student, modified, path.name)


def match_submissions(folder: Path, ids: list[str]) -> tuple[dict[str, Submission], list[str]]:
    """Assign the ``*.ipynb`` files of ``folder`` to the students ``ids``.

    Returns
    -------
    matched : dict of str to Submission
        Per student with a file. When several files claim a student, the most recently
        modified wins (then the name), and the others are listed in ``ignored``.
    unmatched : list of str
        Files that name no student of the key.
    """
    known = set(ids)
    pattern = _id_pattern(known)
    claims: dict[str, list[tuple[Path, Any, str | None]]] = {}
    unmatched = []
    for path in sorted(folder.glob("*.ipynb")):
        notebook, problem = load_notebook(path)
        named = named_student(path.stem, known, pattern)
        recorded = metadata_student(notebook)
        if named is not None and path.stem == named:
            owner = named  # the file is named after exactly this student
        elif recorded in known:
            owner = recorded
        else:
            owner = named
        if owner is None:
            unmatched.append(path.name)
            continue
        claims.setdefault(owner, []).append((path, notebook, problem))
    matched = {}
    for student, files in claims.items():
        files.sort(key=lambda entry, who=student: _rank(entry, who), reverse=True)
        path, notebook, problem = files[0]
        matched[student] = Submission(path, notebook, problem,
                                      [other.name for other, _, _ in files[1:]])
    return matched, unmatched
