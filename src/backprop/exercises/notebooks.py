"""Student notebooks: writing them, and reading the answers back without running them.

:func:`student_notebook` builds one student's notebook (nbformat 4): per question
a statement cell, an answer cell with clearly marked variables
(``answer_3a = None``) and a self-check cell that calls
:func:`backprop.exercises.check` with the problem's digests (never the answers).
The notebook's metadata records the student id, the questions and a digest of the
problem set (:func:`~backprop.exercises.problem.problem_set_digest`).

:func:`read_answers` parses the code cells with :mod:`ast` and evaluates only
numeric literals (and + - * / between them): a student's code is never executed.
"""

from __future__ import annotations

import ast
import math
import pprint
import string
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from .problem import DECIMALS, TOLERANCE, Problem, problem_set_digest

__all__ = [
    "METADATA_KEY",
    "Answer",
    "answer_variable",
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
        checks += [f"print(check(SELF_CHECK[{problem.problem_id!r}], {part.name!r}, {var}))"
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


def statement_digest(notebook: nbformat.NotebookNode, student_id: str) -> str:
    """The problem-set digest recomputed from the notebook's statement cells, in order."""
    statements = []
    for cell in notebook.cells:
        record = cell.get("metadata", {}).get(METADATA_KEY, {})
        if cell.get("cell_type") == "markdown" and record.get("role") == "statement":
            statements.append((str(record.get("problem_id")), _source(cell)))
    return problem_set_digest(student_id, statements)


def _source(cell) -> str:
    source = cell.get("source", "")
    return "".join(source) if isinstance(source, list) else str(source)


@dataclass(frozen=True)
class Answer:
    """A value read from an answer variable, or why none could be read.

    Attributes
    ----------
    value : float or None
        The number, or None when the variable is unset, None, or not a number.
    problem : str or None
        Why there is no number: "no answer", "not a number: ...", ...
    """

    value: float | None
    problem: str | None = None


_OPERATORS = {ast.Add: float.__add__, ast.Sub: float.__sub__, ast.Mult: float.__mul__,
              ast.Div: float.__truediv__}


def _number(node: ast.AST) -> float:
    """A numeric literal expression's value; ValueError for anything else."""
    if isinstance(node, ast.Constant):
        if isinstance(node.value, bool) or not isinstance(node.value, (int, float)):
            raise ValueError(repr(node.value))
        return float(node.value)
    if isinstance(node, ast.UnaryOp) and isinstance(node.op, (ast.UAdd, ast.USub)):
        value = _number(node.operand)
        return -value if isinstance(node.op, ast.USub) else value
    if isinstance(node, ast.BinOp) and type(node.op) in _OPERATORS:
        try:
            return _OPERATORS[type(node.op)](_number(node.left), _number(node.right))
        except ZeroDivisionError:
            raise ValueError("division by zero") from None
    raise ValueError(f"`{ast.unparse(node)}` (only numbers and + - * / between them are "
                     "read; the grader never runs code)")


def _read(value: ast.AST) -> Answer:
    if isinstance(value, ast.Constant) and value.value is None:
        return Answer(None, "no answer (still None)")
    try:
        number = _number(value)
    except ValueError as error:
        return Answer(None, f"not a number: {error}")
    except (OverflowError, RecursionError):
        return Answer(None, "not a number: too large")
    if not math.isfinite(number):
        return Answer(None, "not a number: not finite")
    return Answer(number)


def _statements(source: str) -> list[ast.stmt]:
    """Top-level statements of a cell; a cell that does not parse is read line by line."""
    try:
        return ast.parse(source).body
    except (SyntaxError, ValueError):
        body = []
        for line in source.splitlines():
            try:
                body += ast.parse(line.strip()).body
            except (SyntaxError, ValueError):
                continue
        return body


def read_answers(notebook: nbformat.NotebookNode, variables: set[str] | None = None
                 ) -> dict[str, Answer]:
    """The answer variables assigned in the notebook's code cells, read statically.

    Every top-level ``name = <expression>`` (or ``name: float = ...``) in a code
    cell is considered, in cell order, so the last assignment wins, as when the
    notebook is run top to bottom. Only numeric literals and ``+ - * /`` between
    them are evaluated. ``variables`` restricts the result to those names.
    """
    found: dict[str, Answer] = {}
    for cell in notebook.cells:
        if cell.get("cell_type") != "code":
            continue
        for node in _statements(_source(cell)):
            if isinstance(node, ast.Assign):
                targets, value = node.targets, node.value
            elif isinstance(node, ast.AnnAssign) and node.value is not None:
                targets, value = [node.target], node.value
            else:
                continue
            for target in targets:
                if isinstance(target, ast.Name) and (variables is None or target.id in variables):
                    found[target.id] = _read(value)
    return found


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
