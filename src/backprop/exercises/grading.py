"""Grading the handed-in notebooks against the answer key, one student at a time.

Each file of the submissions folder is assigned to a student
(:func:`~backprop.exercises.submissions.match_submissions`), its answers are read
statically (:func:`~backprop.exercises.notebooks.read_answers`, the self-check's
rule), and each part scores its points when within the key's tolerance, or a share
of them when right given the student's own earlier values
(:mod:`~backprop.exercises.credit`). A question whose given numbers were changed
scores 0. Nothing a submission holds can stop the class from being graded: any
failure of one notebook (an exception, a recursion or memory error, the time limit)
is that student's 0 with the reason.
"""

from __future__ import annotations

import contextlib
import signal
import threading
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .credit import GradingConfig, follow_through
from .key import KeyRow
from .notebooks import cells, read_answers
from .statements import find_statements
from .submissions import Submission, match_submissions, metadata_student

__all__ = ["TIME_LIMIT", "ClassResult", "Grade", "PartResult", "grade_class", "grade_folder",
           "grade_submission"]

_EPSILON = 1e-9
TIME_LIMIT = 20.0
"""Seconds one submission may take before it scores 0 with the reason "time limit"."""


@dataclass(frozen=True)
class PartResult:
    """The verdict on one part.

    Attributes
    ----------
    question : int
    part : str
    variable : str
    verdict : str
        ``"right"``, ``"follow-through"``, ``"wrong"``, ``"no answer"``,
        ``"unreadable"``, ``"tampered"`` or ``"not graded"``.
    points, max_points : float
    value : float or None
        The number read from the notebook.
    answer : float
        The key's answer.
    detail : str
        Why points were lost, in words.
    """

    question: int
    part: str
    variable: str
    verdict: str
    points: float
    max_points: float
    value: float | None
    answer: float
    detail: str = ""


@dataclass
class Grade:
    """One student's result.

    Attributes
    ----------
    student_id : str
    scores, maxima : dict of int to float
        Points and possible points per question.
    status : str
        ``"graded"``, ``"missing"``, ``"unreadable"``, ``"tampered"`` (another
        student's notebook) or ``"error"`` (the grader failed on it, or the time limit).
    reasons : list of str
        Why points were lost (per part or question) or why the notebook was not graded.
    parts : list of PartResult
    file : str
        The file graded (as the LMS named it), or ``""``.
    """

    student_id: str
    scores: dict[int, float]
    maxima: dict[int, float]
    status: str = "graded"
    reasons: list[str] = field(default_factory=list)
    parts: list[PartResult] = field(default_factory=list)
    file: str = ""

    @property
    def total(self) -> float:
        return sum(self.scores.values())

    @property
    def max_total(self) -> float:
        return sum(self.maxima.values())

    @property
    def follow_through(self) -> list[str]:
        """The parts that earned follow-through credit, as ``"q7 delta_5"``."""
        return [f"q{p.question} {p.part}" for p in self.parts if p.verdict == "follow-through"]


@dataclass
class ClassResult:
    """Every student's grade, and the files that belong to nobody in the key."""

    grades: list[Grade]
    unmatched: list[str]


class _TimeLimit(Exception):
    pass


@contextlib.contextmanager
def _time_limit(seconds: float | None):
    """Raise ``_TimeLimit`` in the block after ``seconds`` (main thread on POSIX only)."""
    usable = (seconds and hasattr(signal, "setitimer")
              and threading.current_thread() is threading.main_thread())
    if not usable:
        yield
        return

    def stop(signum, frame):
        raise _TimeLimit

    previous = signal.signal(signal.SIGALRM, stop)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


def _empty(student_id: str, rows: list[KeyRow], config: GradingConfig, status: str,
           reason: str, file: str = "") -> Grade:
    maxima: dict[int, float] = {}
    parts = []
    for row in rows:
        points = config.part_points(row.question, row.part)
        maxima[row.question] = maxima.get(row.question, 0.0) + points
        parts.append(PartResult(row.question, row.part, row.variable, "not graded", 0.0,
                                points, None, row.answer, reason))
    return Grade(student_id, dict.fromkeys(maxima, 0.0), maxima, status,
                 [reason] if reason else [], parts, file)


def _close(value: float, answer: float, tolerance: float) -> bool:
    return abs(value - answer) <= tolerance + _EPSILON


def _score(student_id: str, rows: list[KeyRow], notebook: Any, problems: list[dict] | None,
           config: GradingConfig, file: str) -> Grade:
    recorded = metadata_student(notebook)
    if recorded is not None and recorded != student_id:
        return _empty(student_id, rows, config, "tampered",
                      f"{file} is the notebook of {recorded!r}, not of {student_id!r}", file)
    if not isinstance(notebook, dict) or not isinstance(notebook.get("cells"), list):
        return _empty(student_id, rows, config, "unreadable",
                      f"{file} is not a notebook (no list of cells)", file)
    grade = _empty(student_id, rows, config, "graded", "", file)
    notebook_cells = cells(notebook)
    tampered: dict[int, str] = {}
    by_question = {p["question"]: p for p in problems or []}
    if problems:
        for found in find_statements(notebook_cells, problems):
            if found.tampered:
                tampered[found.question] = ", ".join(found.changed)
                grade.reasons.append(f"q{found.question}: the given numbers were changed "
                                     f"({tampered[found.question]}); question scored 0")
    answers = read_answers(notebook, {row.variable for row in rows})
    values = {row.variable: getattr(answers.get(row.variable), "value", None) for row in rows}
    results = []
    for question in sorted({row.question for row in rows}):
        question_rows = [row for row in rows if row.question == question]
        problem = by_question.get(question)
        own = {row.part: values[row.variable] for row in question_rows}
        correct = {row.part: row.answer for row in question_rows}
        expected = (follow_through(problem["kind"], problem["given"], own, correct)
                    if problem and config.follow_through_share > 0 else {})
        for row in question_rows:
            points = config.part_points(question, row.part)
            label = f"q{question} {row.part} ({row.variable})"
            answer = answers.get(row.variable)
            value = values[row.variable]
            common = (question, row.part, row.variable)
            if question in tampered:
                result = PartResult(*common, "tampered", 0.0, points, value, row.answer,
                                    "the question's given numbers were changed")
            elif answer is None:
                result = PartResult(*common, "no answer", 0.0, points, None, row.answer,
                                    f"{label}: variable not found")
            elif value is None:
                verdict = "no answer" if answer.is_none else "unreadable"
                result = PartResult(*common, verdict, 0.0, points, None, row.answer,
                                    f"{label}: {answer.problem}")
            elif _close(value, row.answer, row.tolerance):
                result = PartResult(*common, "right", points, points, value, row.answer)
            elif row.part in expected and _close(value, expected[row.part], row.tolerance):
                share = points * config.follow_through_share
                result = PartResult(*common, "follow-through", share, points, value,
                                    row.answer, f"{label}: follow-through credit (right "
                                    "from your earlier values)")
            else:
                result = PartResult(*common, "wrong", 0.0, points, value, row.answer,
                                    f"{label}: wrong")
            results.append(result)
            grade.scores[question] += result.points
            if result.detail and result.verdict not in ("tampered", "right"):
                grade.reasons.append(result.detail)
    grade.parts = results
    return grade


def grade_submission(student_id: str, rows: list[KeyRow], submission: Submission | str | Path,
                     problems: list[dict] | None = None, config: GradingConfig | None = None,
                     time_limit: float | None = TIME_LIMIT) -> Grade:
    """Grade one student's notebook against their key rows; never raises.

    Parameters
    ----------
    student_id : str
    rows : list of KeyRow
    submission : Submission, str or Path
        The matched file, or a path (then it is loaded here).
    problems : list of dict, optional
        The student's problems from ``problems.json``: with them, questions are found
        by content, changed given numbers are caught, and follow-through credit is given.
    config : GradingConfig, optional
    time_limit : float or None
        Seconds before the submission scores 0 with the reason "time limit".
    """
    from .submissions import load_notebook

    config = config or GradingConfig()
    if not isinstance(submission, Submission):
        path = Path(submission)
        if not path.is_file():
            return _empty(student_id, rows, config, "missing",
                          f"no submission: {path.name} not found")
        submission = Submission(path, *load_notebook(path))
    file = submission.path.name
    if submission.problem is not None:
        return _empty(student_id, rows, config, "unreadable", submission.problem, file)
    try:
        with _time_limit(time_limit):
            grade = _score(student_id, rows, submission.notebook, problems, config, file)
    except _TimeLimit:
        return _empty(student_id, rows, config, "error",
                      f"{file}: grading took longer than the {time_limit:g} s limit", file)
    except (Exception, RecursionError, MemoryError) as error:  # one notebook, one zero
        return _empty(student_id, rows, config, "error",
                      f"{file}: the grader could not read it ({type(error).__name__})", file)
    if submission.ignored:
        grade.reasons.append(f"graded {file}; also found {', '.join(submission.ignored)} "
                             "(older, not graded)")
    return grade


def grade_folder(key: dict[str, list[KeyRow]], submissions: str | Path,
                 problems: dict[str, dict] | None = None, config: GradingConfig | None = None,
                 time_limit: float | None = TIME_LIMIT) -> ClassResult:
    """Grade every student of the key from the notebooks in ``submissions``.

    Files are matched to students by the id in their metadata, whatever they are
    called, else by an id in their name. ``problems`` is the ``students`` mapping of
    ``problems.json``. Returns the grades in key order and the unmatched file names.
    """
    folder = Path(submissions)
    matched, unmatched = match_submissions(folder, list(key))
    grades = []
    for student_id, rows in key.items():
        own = (problems or {}).get(student_id, {}).get("problems")
        submission = matched.get(student_id)
        if submission is None:
            grades.append(_empty(student_id, rows, config or GradingConfig(), "missing",
                                 f"no submission: no notebook of {student_id} in {folder.name}"))
            continue
        grades.append(grade_submission(student_id, rows, submission, own, config, time_limit))
    return ClassResult(grades, unmatched)


def grade_class(key: dict[str, list[KeyRow]], submissions: str | Path,
                problems: dict[str, dict] | None = None, config: GradingConfig | None = None
                ) -> list[Grade]:
    """The grades of :func:`grade_folder`, in key order."""
    return grade_folder(key, submissions, problems, config).grades
