"""Making a class's exercise set: handouts for the students, the key for the instructor.

``make_class`` writes

- ``OUT/handouts/<id>.ipynb``: one notebook per student, one problem of every kind
  in :data:`~backprop.exercises.generators.GENERATORS`;
- ``OUT/instructor/`` (owner-only, ``0o700``; files ``0o600``): ``answer_key.csv``,
  ``class_secret.key`` (:mod:`~backprop.exercises.classkey`) and ``problems.json``
  (each student's name and, per question, the problem id, kind, given numbers and
  statement: what the grader needs to find questions and give follow-through credit).

Every problem's seed is an HMAC under the class secret, so the same roster and
secret write the same files, byte for byte. Within a class every student gets a
different problem of every kind: a draw whose given numbers another student already
has is drawn again (the next attempt number).
"""

from __future__ import annotations

import json
from pathlib import Path

from .classkey import (
    SECRET_FILE,
    class_problem,
    class_token,
    new_secret,
    private_folder,
    read_secret,
    write_private,
)
from .generators import GENERATORS
from .key import key_rows, key_text
from .notebooks import METADATA_KEY, notebook_json, student_notebook
from .problem import Problem
from .roster import Student

__all__ = [
    "HANDOUTS",
    "INSTRUCTOR",
    "KEY_FILE",
    "PROBLEMS_FILE",
    "ClassTooLargeError",
    "make_class",
    "student_problems",
]

KEY_FILE = "answer_key.csv"
PROBLEMS_FILE = "problems.json"
HANDOUTS = "handouts"
INSTRUCTOR = "instructor"
MAX_ATTEMPTS = 50_000
"""Draws per student and kind before a class is declared too large for a kind."""


class ClassTooLargeError(ValueError):
    """A kind has fewer distinct problems than the class has students."""


def _signature(problem: Problem) -> str:
    return json.dumps(problem.given, sort_keys=True)


def student_problems(secret: str, student_id: str,
                     taken: dict[str, set[str]] | None = None) -> list[Problem]:
    """One student's problem set: one problem per kind, from the class secret and id.

    Parameters
    ----------
    secret : str
        The class secret (64 hex digits).
    student_id : str
    taken : dict of str to set of str, optional
        Per kind, the given numbers (as JSON) other students already have; a problem
        with the same numbers is drawn again, and the new one is added.
    """
    problems = []
    for kind in GENERATORS:
        seen = taken.setdefault(kind, set()) if taken is not None else set()
        for attempt in range(MAX_ATTEMPTS):
            problem = class_problem(secret, kind, class_token(secret, student_id, kind,
                                                              attempt))
            if _signature(problem) not in seen:
                break
        else:
            raise ClassTooLargeError(
                f"only {len(seen)} different {kind} problems could be drawn; split the class")
        seen.add(_signature(problem))
        problems.append(problem)
    return problems


def _secret(instructor: Path, secret: str | None) -> str:
    if secret is not None:
        return read_secret(secret) if Path(str(secret)).is_file() else secret.strip()
    stored = instructor / SECRET_FILE
    return read_secret(stored) if stored.is_file() else new_secret()


def make_class(students: list[Student], out_dir: str | Path, secret: str | None = None
               ) -> Path:
    """Write the handouts and the instructor's files for ``students`` into ``out_dir``.

    Parameters
    ----------
    students : list of Student
    out_dir : str or Path
        Created if needed; gets ``handouts/`` and ``instructor/``.
    secret : str, optional
        The class secret or the path of a ``class_secret.key``. By default the one
        already in ``out_dir/instructor/`` is kept, else a new one is made.

    Returns
    -------
    Path
        The answer key's path (``out_dir/instructor/answer_key.csv``).
    """
    out_dir = Path(out_dir)
    instructor = out_dir / INSTRUCTOR
    secret = _secret(instructor, secret)
    handouts = out_dir / HANDOUTS
    handouts.mkdir(parents=True, exist_ok=True)
    private_folder(instructor)
    write_private(instructor / SECRET_FILE, secret + "\n")
    rows, record, taken = [], {}, {}
    for student in students:
        problems = student_problems(secret, student.id, taken)
        notebook = student_notebook(student.id, problems, student.name)
        meta = notebook["metadata"][METADATA_KEY]
        variables = [[p["variable"] for p in q["parts"]] for q in meta["questions"]]
        rows += key_rows(student.id, problems, variables, meta["problem_set_digest"])
        statements = [c["source"] for c in notebook["cells"]
                      if c["metadata"].get(METADATA_KEY, {}).get("role") == "statement"]
        record[student.id] = {"name": student.name, "problems": [
            {"question": question, "problem_id": problem.problem_id, "kind": problem.kind,
             "given": problem.given, "statement": statement,
             "parts": [part.name for part in problem.parts]}
            for question, (problem, statement) in enumerate(
                zip(problems, statements, strict=True), start=1)]}
        (handouts / f"{student.id}.ipynb").write_text(notebook_json(notebook),
                                                      encoding="utf-8")
    key_path = write_private(instructor / KEY_FILE, key_text(rows))
    write_private(instructor / PROBLEMS_FILE,
                  json.dumps({"format": 1, "students": record}, indent=1) + "\n")
    return key_path
