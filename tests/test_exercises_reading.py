"""One rule for answers: the self-check and the grader read the same forms the same way."""

import math
import sys
from pathlib import Path

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from backprop.exercises import TOLERANCE, check, read_sources, sigmoid_derivative
from backprop.exercises.grading import grade_submission
from backprop.exercises.key import KeyRow
from backprop.exercises.reading import HOW_TO_WRITE, MAX_EXPONENT
from backprop.exercises.submissions import Submission

PROBLEM = sigmoid_derivative(11)
SIGMA, SLOPE = PROBLEM.part("sigma").rounded, PROBLEM.part("derivative").rounded
ROWS = [KeyRow("s01", 1, PROBLEM.problem_id, "sigma", "answer_1a", SIGMA, TOLERANCE, ""),
        KeyRow("s01", 1, PROBLEM.problem_id, "derivative", "answer_1b", SLOPE, TOLERANCE, "")]


def _value(source, name="a"):
    return read_sources([source])[name].value


@pytest.mark.parametrize(("source", "value"), [
    ("a = 0.1312", 0.1312),
    ("a = -5e-2", -0.05),
    ("a = np.float64(0.25)", 0.25),
    ("a = numpy.float64(0.25)", 0.25),
    ("a = round(0.13119, 4)", 0.1312),
    ("a = float(0.5) + abs(-0.25)", 0.75),
    ("a = 2 ** -2", 0.25),
    ("a = 0.6\nb = a * (1 - a)\na = b", 0.6 * (1 - 0.6)),
    ("a = 0\na += 0.3\na *= 2", 0.6),
    ("a, b = 0.1, 0.2\na = a + b", 0.1 + 0.2),
    ("a = b = 0.7", 0.7),
    ("a: float = 0.125", 0.125),
    ("if True:\n    a = 0.4\nelse:\n    a = 0.9", 0.4),
    ("a = None\nif a is None:\n    a = 0.4", 0.4),
    ("a = 0.3\nif a > 1:\n    a = 0.9\nelif a >= 0.3 and not a == 0:\n    a = 0.5", 0.5),
    ("with open('x') as f:\n    a = 0.45", 0.45),
    ("try:\n    a = 0.35\nexcept Exception:\n    pass", 0.35),
    ("a = 1 / (1 + math.exp(-0.5))", 1 / (1 + math.exp(-0.5))),
    ("a = np.sqrt(0.25) + np.log(1.0)", 0.5),
    ("def f():\n    a = 99\na = 0.2", 0.2),
    ("a = 0.2\nprint(a)\nimport numpy as np", 0.2),
])
def test_the_readable_forms(source, value):
    assert _value(source) == pytest.approx(value, abs=1e-15)


@pytest.mark.parametrize(("source", "says"), [
    ("a = '0.5'", "is not a number"),
    ("a = True", "is not a number"),
    ("a = [0.5]", "outside what the grader reads"),
    ("a = sigma", "not a number or an earlier answer"),
    ("a = float('nan')", "is not a number"),
    ("a = max(0.1, 0.2)", "calls a function the grader does not read"),
    ("a = __import__('os').getpid()", "calls a function"),
    ("a = 1 / 0", "divides by zero"),
    ("a = 10.0 ** 200", "power is out of range"),
    ("a = 2 ** 2 ** 10", "power is out of range"),
    ("a = 1e300 * 10", "too large"),
    ("a = 99999999999999999999", "too large"),
    ("a = (-8) ** 0.5", "power is out of range"),
    ("a = math.exp(1000)", "out of range"),
    ("b = None\na = b + 1", "None, not a number"),
    ("b = 'x'\na = b", "it uses b, which cannot be read"),
    ("for a in [1]:\n    pass", "does not follow"),
    ("if x > 1:\n    a = 0.5", "under `if x > 1`"),
    ("a, b = 1, 2, 3", "by unpacking"),
    ("try:\n    pass\nexcept Exception:\n    a = 1", "in an `except` block"),
    ("def f():\n    global a\n    a = 1", "does not follow"),
    ("a = " + "+".join(["1"] * 5000), "too long"),
    ("a = " + "-" * 10000 + "1", "not a number"),
    ("a = " + "-" * 300 + "1", "nested too deeply"),
    ("a = 0.5 +", "not valid Python"),
])
def test_what_the_grader_cannot_read_is_explained(source, says):
    answer = read_sources([source])["a"]
    assert answer.value is None and says in answer.problem, answer


def test_a_broken_cell_is_read_line_by_line_and_the_last_assignment_wins():
    answers = read_sources(["a = 0.1\nb = 0.2 +\nc = 0.3", "a = 0.4"])
    assert answers["a"].value == 0.4 and answers["c"].value == 0.3
    assert answers["b"].value is None and "not valid Python" in answers["b"].problem
    assert read_sources(["a = None"])["a"].is_none
    assert read_sources(["a = 1", "x = 2"], {"a"}).keys() == {"a"}


def test_limits_bound_the_work():
    assert _value(f"a = 1.0001 ** {MAX_EXPONENT}") == 1.0001**MAX_EXPONENT
    assert "power is out of range" in read_sources([f"a = 1 ** {MAX_EXPONENT + 1}"]
                                                   )["a"].problem
    assert _value("a = " + "+".join(["0.001"] * 100)) == pytest.approx(0.1)
    assert read_sources(["x" * 2_000_000]) == {}


# ----------------------------------------------------------- self-check == grader
_SETUP = "import math\nimport numpy as np"


def _forms(variable, value):
    """Python forms that give ``value`` (or fail to be readable) when run."""
    v = repr(value)
    return st.sampled_from([
        f"{variable} = {v}",
        f"{variable} = np.float64({v})",
        f"{variable} = round({v}, 4)",
        f"{variable} = {v} * 2 / 2",
        f"{variable} = ({value + 0.5!r}) - 0.5",
        f"{variable} = 0\n{variable} += {v}",
        f"{variable}, spare = {v}, 1.0",
        f"if True:\n    {variable} = {v}",
        f"if {variable} is None:\n    {variable} = {v}",
        f"{variable} = float(str({v}))",  # runs, but the grader cannot read it
        f"{variable} = [{v}][0]",
        f"{variable} = max({v}, -10)",
        f"for _ in range(1):\n    {variable} = {v}",
    ])


@st.composite
def _answer_cells(draw):
    sigma = draw(st.sampled_from([SIGMA, PROBLEM.part("sigma").answer, SIGMA + 0.0004,
                                  SIGMA + 0.0007, -SIGMA, 0.5]))
    cells = [_SETUP, "answer_1a = None\nanswer_1b = None"]
    cells.append(draw(_forms("answer_1a", sigma)))
    slope = draw(st.sampled_from([SLOPE, SLOPE - 0.0003, SLOPE + 0.01]))
    cells.append(draw(st.one_of(_forms("answer_1b", slope), st.just(
        "answer_1b = answer_1a * (1 - answer_1a)"), st.just("answer_1b = answer_1a ** 2"))))
    return cells[2:], cells[:2]


@settings(max_examples=60)
@given(_answer_cells())
def test_the_self_check_and_the_grader_agree_on_every_form(drawn):
    answer_cells, setup = drawn
    sources = [*setup, *answer_cells]
    namespace = {}
    for source in sources:  # the test runs the "student" cells, as the kernel would
        exec(compile(source, "<cell>", "exec"), namespace)
    notebook = {"cells": [{"cell_type": "code", "source": s, "metadata": {}} for s in sources]}
    grade = grade_submission("s01", ROWS, Submission(Path("s01.ipynb"), notebook))
    view = PROBLEM.student_view()
    for result, row in zip(grade.parts, ROWS, strict=True):
        verdict = check(view, row.part, namespace[row.variable], variable=row.variable,
                        sources=sources)
        assert verdict.correct == (result.verdict == "right"), (sources, verdict, result)
        if result.verdict == "unreadable":
            assert "cannot read" in verdict.message and HOW_TO_WRITE in verdict.message


def test_the_self_check_refuses_a_value_the_cells_do_not_give():
    sources = ["answer_1a = 0.1"]
    verdict = check(PROBLEM, "sigma", SIGMA, variable="answer_1a", sources=sources)
    assert not verdict and "Restart & Run All" in verdict.message
    assert check(PROBLEM, "sigma", SIGMA, variable="answer_1a",
                 sources=[f"answer_1a = {SIGMA!r}"])
    missing = check(PROBLEM, "sigma", SIGMA, variable="answer_1a", sources=["x = 1"])
    assert not missing and "finds no `answer_1a = ...`" in missing.message


def test_without_a_history_the_value_itself_is_judged(monkeypatch):
    # "without a history": an earlier test of this worker may have started an IPython
    # shell, whose history would be read (as test_exercises_cli.py guards too)
    monkeypatch.delitem(sys.modules, "IPython", raising=False)
    assert check(PROBLEM, "sigma", np.float64(SIGMA), variable="answer_1a")
