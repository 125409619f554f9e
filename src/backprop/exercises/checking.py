"""The students' self-check: right, wrong, or wrong in a way we recognise.

:func:`check` compares an answer with the digests of a problem's student view
(:meth:`Problem.student_view`, embedded in each notebook), so it works without
the answer in plain text. The rule is the grader's rule: an answer ``a`` is right
when ``|a - c| <= TOLERANCE`` for the exact answer ``c`` rounded to ``DECIMALS``
places. Since ``c`` is a multiple of ``10**-DECIMALS``, only the few multiples
within the tolerance of ``a`` can match: :func:`check` hashes those candidates and
compares them with the stored digest (and with each common mistake's digest).
Chapter 15 (the self-test) uses it.
"""

from __future__ import annotations

import math
import sys
from dataclasses import dataclass
from typing import Any

from .problem import DECIMALS, TOLERANCE, Problem, answer_digest, canonical, is_number
from .reading import HOW_TO_WRITE, read_sources

__all__ = ["CheckResult", "check", "matches"]

_EPSILON = 1e-9  # float slack when comparing |a - c| with the tolerance


@dataclass(frozen=True)
class CheckResult:
    """The verdict on one answer; it prints as a sentence and is truthy when right.

    Attributes
    ----------
    correct : bool
    message : str
    mistake : str or None
        The name of the recognised common mistake, if any.
    """

    correct: bool
    message: str
    mistake: str | None = None

    def __bool__(self) -> bool:
        return self.correct

    def __str__(self) -> str:
        return self.message

    def _repr_markdown_(self) -> str:
        return self.message


def matches(salt: str, digest: str, answer: float, tolerance: float = TOLERANCE) -> bool:
    """True if some value within ``tolerance`` of ``answer`` (on the rounding grid) has ``digest``.

    The matching grid value ``c`` must satisfy ``|answer - c| <= tolerance``.
    """
    if not math.isfinite(answer) or abs(answer) > 1e12:  # no answer is anywhere near
        return False
    scale = 10**DECIMALS
    centre = round(answer * scale)
    reach = math.ceil(tolerance * scale) + 1
    for step in range(centre - reach, centre + reach + 1):
        candidate = step / scale
        if abs(answer - candidate) <= tolerance + _EPSILON and (
            answer_digest(salt, candidate) == digest
        ):
            return True
    return False


def _view(problem: Problem | dict[str, Any] | str) -> dict[str, Any]:
    if isinstance(problem, Problem):
        return problem.student_view()
    if isinstance(problem, str):
        from .generators import problem_from_id

        return problem_from_id(problem).student_view()
    if isinstance(problem, dict) and "problem_id" in problem and "parts" in problem:
        return problem
    raise TypeError(
        "check needs a problem: a Problem, its student_view() dict (as embedded in the "
        f"notebook) or a problem id string; got {type(problem).__name__}"
    )


def _history() -> list[str] | None:
    """The cells this IPython kernel has run, in order; None outside IPython.

    IPython is looked up, never imported: a plain Python process has no history.
    """
    ipython = sys.modules.get("IPython")
    shell = ipython.get_ipython() if ipython is not None else None
    if shell is None:
        return None
    history = shell.user_ns.get("In")
    return [text for text in history if isinstance(text, str)] if isinstance(
        history, list) else None


def _as_the_grader_reads(where: str, variable: str, answer: Any, sources: list[str]
                         ) -> tuple[float | None, CheckResult | None]:
    """The number the grader would read for ``variable``, or the refusal to show instead."""
    read = read_sources(sources, {variable}).get(variable)
    if read is None:
        return None, CheckResult(False, f"{where}: the grader finds no `{variable} = ...` in "
                                        f"your cells; {HOW_TO_WRITE}.")
    if read.is_none:
        return None, CheckResult(False, f"{where}: no answer yet (replace None with your "
                                        "number).")
    if read.value is None:
        return None, CheckResult(False, f"{where}: the grader cannot read {variable}: "
                                        f"{read.problem}; {HOW_TO_WRITE}.")
    if is_number(answer) and abs(float(answer) - read.value) > _EPSILON * max(
            1.0, abs(read.value)):
        return None, CheckResult(False, (
            f"{where}: your cells, read top to bottom as the grader reads them, give "
            f"{variable} = {read.value!r}, but it holds {float(answer)!r} now. Run the "
            "notebook from the top (Kernel > Restart & Run All), and set the answer only "
            f"by `{variable} = ...`; {HOW_TO_WRITE}."))
    return read.value, None


def check(problem: Problem | dict[str, Any] | str, part: str, answer: Any,
          variable: str | None = None, sources: list[str] | None = None) -> CheckResult:
    """Say whether ``answer`` is right for one part of a problem.

    Parameters
    ----------
    problem : Problem, dict or str
        The problem's student view (the dict a notebook embeds), a Problem, or a
        problem id such as ``"hidden_delta-17"`` (then the problem is rebuilt).
    part : str
        The part's name, e.g. ``"sigma"``, ``"delta_5"``, ``"w_5,3"``.
    answer : int or float
        The student's number. Right if within ``TOLERANCE`` (5e-4) of the exact
        answer rounded to ``DECIMALS`` (4) places.
    variable : str, optional
        The answer variable (``"answer_2a"``), as the notebooks' self-check cells pass
        it. Then the number judged is the one the grader reads: the cells are read by
        :func:`~backprop.exercises.reading.read_sources` (``sources``, or the cells
        this IPython kernel ran), and an answer the grader cannot read, or one that
        differs from ``answer``, is refused with a message saying how to write it.
        Without a history (plain Python, no ``sources``) ``answer`` itself is judged.
    sources : list of str, optional
        The code cells in the order they ran (default: IPython's ``In``).

    Returns
    -------
    CheckResult
        Truthy when right; its message names the step to revisit when the answer
        matches a common mistake (sign of t - o, missing o(1 - o), one downstream
        term only, wrong transpose, ...).
    """
    view = _view(problem)
    parts = {p["name"]: p for p in view["parts"]}
    if part not in parts:
        raise KeyError(
            f"problem {view['problem_id']} has no part {part!r}; its parts are "
            + ", ".join(repr(name) for name in parts)
        )
    entry = parts[part]
    where = f"Part {part}"
    if variable is not None:
        sources = _history() if sources is None else sources
        if sources is not None:
            answer, refusal = _as_the_grader_reads(where, variable, answer, sources)
            if refusal is not None:
                return refusal
    if answer is None:
        return CheckResult(False, f"{where}: no answer yet (replace None with your number).")
    if not is_number(answer):
        return CheckResult(False, f"{where}: {answer!r} is not a number; type a number such "
                                  "as 0.1234.")
    answer = float(answer)
    tolerance = float(view.get("tolerance", TOLERANCE))
    salt = f"{view['problem_id']}/{part}"
    shown = canonical(answer)
    if matches(salt, entry["digest"], answer, tolerance):
        return CheckResult(True, f"{where}: {shown} is right (within {tolerance:g}).")
    for mistake in entry.get("mistakes", []):
        if matches(salt, mistake["digest"], answer, tolerance):
            return CheckResult(
                False, f"{where}: {shown} is not right. {mistake['hint']}",
                mistake=mistake.get("name"),
            )
    return CheckResult(False, f"{where}: {shown} is not right (answers must be within "
                              f"{tolerance:g} of the exact value rounded to "
                              f"{view.get('decimals', DECIMALS)} places). Try again.")
