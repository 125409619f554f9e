"""Exercises: a seeded problem bank, the students' self-check, and the instructors' tool.

- :data:`GENERATORS` and the generators (:func:`net_input`, :func:`sigmoid_derivative`,
  :func:`total_error`, :func:`output_delta`, :func:`hidden_delta`,
  :func:`weight_update`, :func:`full_iteration`, :func:`vectorized_gradient`): each
  takes an ``int`` seed and returns a :class:`Problem` whose answers the engine
  computed.
- :func:`check` - the self-check students call from their notebooks.
- :func:`read_sources` - the one rule for reading answers, shared by :func:`check`
  and the grader (student code is never run).
- ``python -m backprop.exercises make|grade`` - per-student notebooks, answer key and
  class secret, grading with follow-through credit, feedback, Canvas/Moodle CSVs
  (:mod:`backprop.exercises.cli`; INSTRUCTORS.md explains it).

Chapter 15 (the self-test) uses the generators and :func:`check`.
"""

from .checking import CheckResult, check
from .classkey import ClassKeyError, class_problem, read_secret
from .classroom import make_class, student_problems
from .credit import ConfigError, GradingConfig, follow_through, read_config
from .export import apply_overrides, read_overrides, write_canvas, write_grades, write_moodle
from .feedback import feedback_markdown, write_feedback
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
from .grading import Grade, PartResult, grade_class, grade_folder, grade_submission
from .key import AnswerKeyError, read_key, write_key
from .notebooks import read_answers, student_notebook
from .problem import DECIMALS, TOLERANCE, Mistake, Part, Problem, answer_digest, canonical
from .reading import Answer, read_sources
from .roster import RosterError, Student, read_roster

__all__ = [
    "DECIMALS",
    "Answer",
    "ClassKeyError",
    "ConfigError",
    "GradingConfig",
    "PartResult",
    "apply_overrides",
    "class_problem",
    "feedback_markdown",
    "follow_through",
    "grade_folder",
    "read_config",
    "read_overrides",
    "read_secret",
    "read_sources",
    "write_canvas",
    "write_feedback",
    "write_moodle",
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
