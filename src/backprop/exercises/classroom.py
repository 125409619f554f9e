"""Making a class's exercise set: one notebook per student and the answer key.

Each student's problems come from the instructor's class seed and the student's
id (:func:`~backprop.exercises.generators.problem_seed`), one problem of every
kind in :data:`~backprop.exercises.generators.GENERATORS`, so re-running
``make`` with the same roster and seed writes the same notebooks and key.
"""

from __future__ import annotations

from pathlib import Path

from .generators import GENERATORS, problem_seed
from .key import key_rows, write_key
from .notebooks import METADATA_KEY, student_notebook
from .problem import Problem
from .roster import Student

__all__ = ["KEY_FILE", "make_class", "student_problems"]

KEY_FILE = "answer_key.csv"


def student_problems(class_seed: int, student_id: str) -> list[Problem]:
    """One student's problem set: one problem per kind, seeded by class seed and id."""
    return [generate(problem_seed(class_seed, student_id, kind))
            for kind, generate in GENERATORS.items()]


def make_class(students: list[Student], class_seed: int, out_dir: str | Path) -> Path:
    """Write ``<id>.ipynb`` for every student and ``answer_key.csv`` into ``out_dir``.

    Returns the key's path. ``out_dir`` is created if needed.
    """
    import nbformat

    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    rows = []
    for student in students:
        problems = student_problems(class_seed, student.id)
        notebook = student_notebook(student.id, problems, student.name)
        record = notebook.metadata[METADATA_KEY]
        variables = [[p["variable"] for p in q["parts"]] for q in record["questions"]]
        rows += key_rows(student.id, problems, variables, record["problem_set_digest"])
        nbformat.write(notebook, out_dir / f"{student.id}.ipynb")
    key_path = out_dir / KEY_FILE
    write_key(key_path, rows)
    return key_path
