"""Exercises: a seeded problem bank, the students' self-check, and the instructors' tool.

- :data:`GENERATORS` and the generators (:func:`net_input`, :func:`sigmoid_derivative`,
  :func:`total_error`, :func:`output_delta`, :func:`hidden_delta`,
  :func:`weight_update`, :func:`full_iteration`, :func:`vectorized_gradient`): each
  takes an ``int`` seed and returns a :class:`Problem` whose answers the engine
  computed.
- :func:`check` - the self-check students call from their notebooks.
- ``python -m backprop.exercises make|grade`` - per-student notebooks, answer key,
  grading (:mod:`backprop.exercises.cli`; INSTRUCTORS.md explains it).

Chapter 14 (the self-test) uses the generators and :func:`check`.
"""

from .checking import CheckResult, check
from .classroom import make_class, student_problems
from .generators import (
    GENERATORS,
    full_iteration,
    hidden_delta,
    net_input,
    output_delta,
    problem_from_id,
    problem_seed,
    sigmoid_derivative,
    total_error,
    vectorized_gradient,
    weight_update,
)
from .grading import Grade, grade_class, grade_submission, write_grades
from .key import AnswerKeyError, read_key, write_key
from .notebooks import read_answers, student_notebook
from .problem import DECIMALS, TOLERANCE, Mistake, Part, Problem, answer_digest, canonical
from .roster import RosterError, Student, read_roster

__all__ = [
    "DECIMALS",
    "GENERATORS",
    "TOLERANCE",
    "AnswerKeyError",
    "CheckResult",
    "Grade",
    "Mistake",
    "Part",
    "Problem",
    "RosterError",
    "Student",
    "answer_digest",
    "canonical",
    "check",
    "full_iteration",
    "grade_class",
    "grade_submission",
    "hidden_delta",
    "make_class",
    "net_input",
    "output_delta",
    "problem_from_id",
    "problem_seed",
    "read_answers",
    "read_key",
    "read_roster",
    "sigmoid_derivative",
    "student_notebook",
    "student_problems",
    "total_error",
    "vectorized_gradient",
    "weight_update",
    "write_grades",
    "write_key",
]
