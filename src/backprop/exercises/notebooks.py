"""Student notebooks: writing them, and reading the answers back without running them.

:func:`student_notebook` builds one student's notebook (nbformat 4): per question
a statement cell, an answer cell with clearly marked variables
(``answer_3a = None``) and a self-check cell that calls
:func:`backprop.exercises.check` with the problem's digests (never the answers).
The notebook's metadata records the student id, the questions and a digest of the
problem set (:func:`~backprop.exercises.problem.problem_set_digest`).

:func:`read_answers` reads the code cells with :mod:`ast` by the rule of
:mod:`backprop.exercises.reading`: a student's code is never executed.
"""

from __future__ import annotations

import ast
import json
import pprint
import string
from typing import TYPE_CHECKING, Any

from .problem import DECIMALS, TOLERANCE, Problem, problem_set_digest
from .reading import Answer, read_sources

__all__ = [
    "METADATA_KEY",
    "Answer",
    "answer_variable",
    "cells",
    "notebook_json",
    "read_answers",
    "statement_digest",
    "student_notebook",
]

if TYPE_CHECKING:  # nbformat takes ~2 s to import; the self-check cells must not pay for it
    import nbformat

METADATA_KEY = "backprop_exercises"
"""Notebook and cell metadata key under which the tool keeps its records."""

KERNELSPEC = {"name": "python3", "display_name": "Python 3 (ipykernel)", "language": "python"}


def answer_variable(question: int, index: int) -> str:
    """The variable of a question's ``index``-th part: ``answer_1a``, ``answer_7t``."""
    if not 0 <= index < len(string.ascii_lowercase):
        raise ValueError(f"a question has at most 26 parts, got part index {index}")
    return f"answer_{question}{string.ascii_lowercase[index]}"


_PLAIN = (("$", ""), (r"^{\text{new}}", " (new)"), (r"\mathrm{net}", "net"),
          (r"\nabla_", "grad_"), (r"\sigma'", "sigma'"), (r"\sigma", "sigma"),
          (r"\delta", "delta"), (r"\Delta ", "change in "), ("{", ""), ("}", ""))


def _plain(label: str) -> str:
    """A part's LaTeX label as plain text for a code comment (``w_5,3 (new)``)."""
    for old, new in _PLAIN:
        label = label.replace(old, new)
    return label


def _statement(question: int, problem: Problem) -> str:
    return f"## Question {question}: {problem.title}\n\n{problem.text}"


INSTRUCTIONS = (
    "Type each answer as a number into its variable in the **answer cells** (replace "
    "`None`, e.g. `answer_1a = 0.1234`). Give {decimals} decimal places: an answer is "
    "right when it is within {tolerance:g} of the exact value rounded to {decimals} places. "
    "Run the **self-check** cell under each question to see whether you are right; it "
    "names the step to revisit for the most common mistakes. Do not rename the variables "
    "or edit the questions: your notebook is graded from the answer variables alone."
)


def student_notebook(
    student_id: str, problems: list[Problem], name: str = ""
) -> nbformat.NotebookNode:
    """One student's exercise notebook.

    Parameters
    ----------
    student_id : str
    problems : list of Problem
        In question order (question 1 first).
    name : str, optional
        The student's name, shown in the title cell.

    Returns
    -------
    nbformat.NotebookNode
        Metadata ``backprop_exercises`` holds ``student_id``, ``problem_set_digest`` and
        ``questions`` (question number, problem id, and each part's variable).
    """
    from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook

    who = f"{student_id} ({name})" if name else student_id
    cells = [new_markdown_cell(
        f"# Backpropagation exercises\n\nStudent: **{who}**\n\n"
        + INSTRUCTIONS.format(decimals=DECIMALS, tolerance=TOLERANCE)
    )]
    views = {p.problem_id: p.student_view() for p in problems}
    for view in views.values():
        for shown in ("title", "text", "given"):  # the statement cells show these
            del view[shown]
    cells.append(new_code_cell(
        "# Self-check data: one-way digests of the answers, not the answers. Do not edit.\n"
        "from backprop.exercises import check\n\n"
        f"SELF_CHECK = {pprint.pformat(views, width=96, sort_dicts=False)}",
        metadata={METADATA_KEY: {"role": "setup"}},
    ))
    questions, statements = [], []
    for question, problem in enumerate(problems, start=1):
        statement = _statement(question, problem)
        statements.append((problem.problem_id, statement))
        cells.append(new_markdown_cell(
            statement, metadata={METADATA_KEY: {"role": "statement",
                                                "problem_id": problem.problem_id}},
        ))
        variables = [answer_variable(question, i) for i in range(len(problem.parts))]
        lines = [f"# Question {question}: your answers. Replace each None with a number."]
        lines += [f"{var} = None  # {_plain(part.label)}"
                  for var, part in zip(variables, problem.parts, strict=True)]
        cells.append(new_code_cell("\n".join(lines), metadata={
            METADATA_KEY: {"role": "answers", "question": question}}))
        checks = [f"# Question {question}: self-check (run me)."]
        checks += [f"print(check(SELF_CHECK[{problem.problem_id!r}], {part.name!r}, {var}, "
                   f"variable={var!r}))"
                   for var, part in zip(variables, problem.parts, strict=True)]
        cells.append(new_code_cell("\n".join(checks), metadata={
            METADATA_KEY: {"role": "self-check", "question": question}}))
        questions.append({
            "question": question,
            "problem_id": problem.problem_id,
            "parts": [{"part": p.name, "variable": v}
                      for p, v in zip(problem.parts, variables, strict=True)],
        })
    for index, cell in enumerate(cells):
        cell.id = f"exercise-{index:02d}"  # fixed ids: the same inputs write the same file
    notebook = new_notebook(cells=cells)
    notebook.metadata["kernelspec"] = dict(KERNELSPEC)
    notebook.metadata["language_info"] = {"name": "python"}
    notebook.metadata[METADATA_KEY] = {
        "format": 1,
        "student_id": student_id,
        "problem_set_digest": problem_set_digest(student_id, statements),
        "questions": questions,
    }
    return notebook


def notebook_json(notebook) -> str:
    """The notebook as nbformat writes it (sorted keys, one-space indent), unvalidated."""
    return json.dumps(notebook, sort_keys=True, indent=1, ensure_ascii=False) + "\n"


def statement_digest(notebook, student_id: str) -> str:
    """The problem-set digest recomputed from the notebook's statement cells, in order."""
    statements = [(str(cell["record"].get("problem_id")), cell["source"])
                  for cell in cells(notebook)
                  if cell["cell_type"] == "markdown" and cell["record"].get("role") == "statement"]
    return problem_set_digest(student_id, statements)


def _source(cell) -> str:
    source = cell.get("source", "")
    if isinstance(source, list):
        return "".join(item for item in source if isinstance(item, str))
    return source if isinstance(source, str) else ""


def cells(notebook) -> list[dict[str, Any]]:
    """The notebook's cells as ``{"cell_type", "source", "record"}`` dicts, whatever it holds.

    A submission is untrusted JSON: a cell that is not a mapping is skipped, a source
    that is not text (or a list of text) reads as empty, and ``record`` is the cell's
    ``backprop_exercises`` metadata when that is a mapping, else ``{}``.
    """
    if not isinstance(notebook, dict) or not isinstance(notebook.get("cells"), list):
        return []
    found = []
    for cell in notebook["cells"]:
        if not isinstance(cell, dict):
            continue
        metadata = cell.get("metadata")
        record = metadata.get(METADATA_KEY) if isinstance(metadata, dict) else None
        cell_type = cell.get("cell_type")
        found.append({"cell_type": cell_type if isinstance(cell_type, str) else "",
                      "source": _source(cell),
                      "record": record if isinstance(record, dict) else {}})
    return found


def read_answers(notebook, variables: set[str] | None = None) -> dict[str, Answer]:
    """The answer variables assigned in the notebook's code cells, read statically.

    The code cells are read top to bottom by
    :func:`~backprop.exercises.reading.read_sources` (the rule the self-check uses
    too), so the last assignment wins. ``variables`` restricts the result to those
    names.
    """
    sources = [cell["source"] for cell in cells(notebook) if cell["cell_type"] == "code"]
    return read_sources(sources, variables)


def embedded_self_check(notebook: nbformat.NotebookNode) -> dict[str, Any]:
    """The SELF_CHECK dict of a notebook's setup cell, read with ``ast.literal_eval``."""
    for cell in notebook.cells:
        if cell.get("metadata", {}).get(METADATA_KEY, {}).get("role") == "setup":
            for node in ast.parse(_source(cell)).body:
                if isinstance(node, ast.Assign) and getattr(node.targets[0], "id", "") == (
                    "SELF_CHECK"
                ):
                    return ast.literal_eval(node.value)
    raise ValueError("the notebook has no self-check setup cell")
