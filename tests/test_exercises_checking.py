"""The self-check: right within the tolerance, wrong outside it, mistakes named, no leaks."""

import json
import math

import numpy as np
import pytest

from backprop import format_number
from backprop.exercises import (
    DECIMALS,
    GENERATORS,
    TOLERANCE,
    answer_digest,
    canonical,
    check,
    hidden_delta,
    output_delta,
    student_notebook,
    vectorized_gradient,
)
from backprop.exercises.checking import matches
from backprop.exercises.generators import HINTS
from backprop.exercises.notebooks import embedded_self_check

SEEDS = range(25)


def _view(problem):
    """The student-side data as a notebook holds it (through JSON)."""
    return json.loads(json.dumps(problem.student_view()))


def _problems():
    return [GENERATORS[kind](seed) for kind in GENERATORS for seed in SEEDS]


def test_right_answers_pass_and_answers_off_by_more_than_the_tolerance_fail():
    for problem in _problems():
        view = _view(problem)
        for part in problem.parts:
            key = part.rounded
            for answer in (key, part.answer, key + TOLERANCE, key - TOLERANCE,
                           part.answer + 0.9 * TOLERANCE):
                result = check(view, part.name, answer)
                assert result.correct and bool(result), (problem.problem_id, part.name, answer)
                assert "is right" in str(result)
            for answer in (key + TOLERANCE + 1e-4, key - TOLERANCE - 1e-4, key + 0.01, -key):
                result = check(view, part.name, answer)
                assert not result.correct, (problem.problem_id, part.name, answer)
                assert "not right" in result.message


def test_every_common_mistake_is_recognised_with_its_hint():
    recognised = set()
    for problem in _problems():
        view = _view(problem)
        for part in problem.parts:
            for mistake in part.mistakes:
                for answer in (mistake.value, float(canonical(mistake.value)) + 0.0004):
                    result = check(view, part.name, answer)
                    assert not result.correct
                    assert result.mistake == mistake.name
                    assert HINTS[mistake.name] in result.message
                    recognised.add(mistake.name)
    assert recognised == set(HINTS)


@pytest.mark.parametrize(("generate", "part", "mistake", "step"), [
    (output_delta, "delta", "sign", "(t - o)"),
    (output_delta, "delta", "missing_derivative", "o(1 - o)"),
    (hidden_delta, "delta", "one_downstream", "EVERY unit k"),
    (vectorized_gradient, "dW_12", "transpose", "transpose"),
    (vectorized_gradient, "dW_21", "transpose", "transpose"),
])
def test_the_named_mistakes_point_to_the_step_to_revisit(generate, part, mistake, step):
    for seed in SEEDS:
        problem = generate(seed)
        value = next(m.value for m in problem.part(part).mistakes if m.name == mistake)
        result = check(problem, part, value)
        assert result.mistake == mistake and step in result.message


def test_a_wrong_transpose_is_the_other_off_diagonal_entry():
    problem = vectorized_gradient(3)
    result = check(_view(problem), "dW_12", problem.part("dW_21").answer)
    assert not result and result.mistake == "transpose"


@pytest.mark.parametrize(("answer", "says"), [
    (None, "no answer yet"), ("0.5", "not a number"), (True, "not a number"),
    (math.nan, "not a number"), (math.inf, "not a number"), ([0.5], "not a number"),
])
def test_missing_and_non_numeric_answers_are_explained(answer, says):
    problem = output_delta(1)
    result = check(_view(problem), "delta", answer)
    assert not result and says in result.message


def test_check_accepts_a_problem_a_view_or_an_id_and_names_unknown_parts():
    problem = hidden_delta(9)
    key = problem.part("delta").rounded
    assert check(problem, "delta", key) and check(problem.problem_id, "delta", key)
    with pytest.raises(KeyError, match="'delta'"):
        check(problem, "sigma", key)
    with pytest.raises(TypeError, match="check needs a problem"):
        check(42, "delta", key)
    assert check(problem, "delta", key)._repr_markdown_().startswith("Part delta")


def test_numpy_scalars_count_as_numbers_and_huge_answers_are_just_wrong():
    problem = output_delta(2)
    key = problem.part("delta").rounded
    assert check(problem, "delta", np.float32(key)) and check(problem, "delta", np.float64(key))
    assert not check(problem, "delta", 1e300) and not check(problem, "delta", np.bool_(True))


def test_integer_answers_and_the_rounding_grid():
    assert canonical(-0.00001) == "0.0000" and canonical(0.12345678) == "0.1235"
    assert canonical(2) == "2.0000"
    salt = "x/y"
    assert matches(salt, answer_digest(salt, 1.0), 1)
    assert matches(salt, answer_digest(salt, 0.1235), 0.1239)
    assert not matches(salt, answer_digest(salt, 0.1235), 0.1241)


def _leaks(part, text):
    """The answer's spellings that occur in student-side text.

    A spelling with at most two decimals is skipped: the given numbers have at most
    two, and an answer may coincide with one of them (that is not a leak).
    """
    spellings = {canonical(part.answer), repr(part.answer), format_number(part.answer, DECIMALS)}
    return [s for s in spellings if len(s.partition(".")[2]) > 2 and s in text]


def test_the_student_side_never_holds_an_answer_in_plain_text():
    for problem in _problems():
        view = problem.student_view()
        assert view.pop("tolerance") == TOLERANCE  # "0.0005" is not an answer
        serialized = json.dumps(view)
        for part in problem.parts:
            assert not _leaks(part, serialized), (problem.problem_id, part.name)
            for mistake in part.mistakes:
                assert canonical(mistake.value) not in serialized


def test_the_notebook_holds_digests_not_answers():
    problems = [GENERATORS[kind](seed) for seed in (1, 2) for kind in GENERATORS]
    notebook = student_notebook("s42", problems, "Ada")
    text = json.dumps(notebook)
    for problem in problems:
        for part in problem.parts:
            assert not _leaks(part, text), (problem.problem_id, part.name)
            assert problem.student_view()["parts"][problem.parts.index(part)]["digest"] in text
        assert problem.solution not in text
    embedded = embedded_self_check(notebook)
    for problem in problems:
        for part in problem.parts:
            assert check(embedded[problem.problem_id], part.name, part.rounded)


def test_the_digest_does_not_stop_brute_force_as_instructors_md_says():
    # A determined student hashes every 4-decimal candidate in a plausible range:
    # the digest keeps an answer from being read, not from being recovered.
    problem = output_delta(4)
    entry = problem.student_view()["parts"][0]
    salt = f"{problem.problem_id}/delta"
    recovered = [n / 10**DECIMALS for n in range(-2500, 2501)
                 if answer_digest(salt, n / 10**DECIMALS) == entry["digest"]]
    assert recovered == [problem.part("delta").rounded]
