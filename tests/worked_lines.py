"""Re-do the arithmetic of a worked solution's displayed lines from the displayed numbers.

Used by tests/test_worked.py (every worked solution the chapters write, and random
networks) and tests/test_fixed_decimals.py. A displayed line ``A = B = C`` checks when,
for each ``=`` between two numeric parts, the left part's exact value (computed from
its displayed numbers, with 50 significant digits) is within half a unit of the last
place of the number that is new on the right (the result): what a student holding the
page finds with a calculator. A tie must be rounded as a reader rounds it (half away
from zero, or half to even), not as the float it came from happened to round. Parts
with symbols (``o_{4}``, ``\\mathrm{net}``) are the formula and are skipped.
"""

from __future__ import annotations

import re

import mpmath

NUMBER = re.compile(r"(?<![\w.])-?\d+(?:\.\d+)?")
#: how far past half a unit a result may be: noise of 50-digit arithmetic, nothing more
SLACK = 1e-6


def math_blocks(markdown: str) -> list[str]:
    """The display-math blocks ($$...$$) of a Markdown text."""
    return re.findall(r"\$\$(.*?)\$\$", markdown, flags=re.S)


def displayed_lines(markdown: str) -> list[str]:
    """Every displayed line of arithmetic (aligned rows joined with their continuations)."""
    lines = []
    for block in math_blocks(markdown):
        block = block.replace("\\begin{aligned}", "").replace("\\end{aligned}", "")
        for row in block.split("\\\\"):
            row = row.replace("&", "").strip()
            if row:
                lines.append(row)
    return lines


def _expression(part: str) -> str | None:
    """A numeric part as a Python expression over mpf numbers, or None if it has symbols."""
    text = part.strip()
    if not text or "_" in text or "\\mathrm" in text or "\\to" in text or "\\sigma" in text:
        return None
    text = re.sub(r"e\^\{([^{}]*)\}", r"exp(\1)", text)
    text = re.sub(r"\\frac\{([^{}]*)\}\{([^{}]*)\}", r"((\1)/(\2))", text)
    if "{" in text:
        return None
    text = (text.replace("\\tfrac12", "(mpf(1)/2)").replace("\\times", "*")
            .replace("\\tanh", "tanh").replace("\\max", "max").replace("\\log", "log")
            .replace("[", "(").replace("]", ")").replace("^2", "**2"))
    if re.search(r"[a-zA-Z\\]", re.sub(r"\b(exp|tanh|max|log|mpf)\b", "", text)):
        return None
    if text.count("(") != text.count(")"):
        return None  # part of a formula in words, "(with sum t_k = 1)"
    text = NUMBER.sub(lambda m: f"mpf('{m.group(0)}')", text)
    text = re.sub(r"\)\s*(?=[(a-z])", ")*", text)  # (a)(b) and (t)log(o): products
    return text


def value_of(part: str):
    """The exact value of a numeric part (50 significant digits), or None."""
    expression = _expression(part)
    if expression is None:
        return None
    with mpmath.workdps(50):
        namespace = {"mpf": mpmath.mpf, "exp": mpmath.exp, "tanh": mpmath.tanh,
                     "log": lambda v: mpmath.log(v) if v != 0 else mpmath.mpf(0), "max": max}
        # 0 log 0 is 0 in cross-entropy; log(0) is only ever multiplied by a zero target
        return eval(expression, {"__builtins__": {}}, namespace)  # noqa: S307 (our own text)


def places(text: str) -> int:
    return len(text.split(".")[1]) if "." in text else 0


def _new_number(left: str, right: str) -> str:
    """The number of ``right`` that ``left`` does not show (the result), fewest places."""
    pool = NUMBER.findall(left)
    new = []
    for number in NUMBER.findall(right):
        if number in pool:
            pool.remove(number)
        else:
            new.append(number)
    candidates = new or NUMBER.findall(right)
    return min(candidates, key=places)


def line_errors(line: str) -> list[str]:
    """What does not check in one displayed line (empty if every ``=`` holds)."""
    parts = [p for p in line.split("=")]
    errors = []
    for left, right in zip(parts, parts[1:]):
        a, b = value_of(left), value_of(right)
        if a is None or b is None:
            continue
        unit = mpmath.mpf(10) ** -places(_new_number(left, right))
        gap = abs(a - b)
        if gap > unit / 2 * (1 + SLACK):
            errors.append(f"{left.strip()} = {right.strip()}: the left side is "
                          f"{mpmath.nstr(a, 12)}, the right side {mpmath.nstr(b, 12)}")
        elif abs(gap - unit / 2) <= unit * TIE and not _tie_rounded_by_hand(a, b, unit):
            errors.append(f"{left.strip()} = {right.strip()}: the left side is the tie "
                          f"{mpmath.nstr(a, 15)}, which no rounding by hand (half away from "
                          f"zero, half to even) makes {right.strip()}")
    return errors


#: a gap this close to half a unit (in units) is a tie: as SLACK, the comparison's noise
TIE = SLACK


def _tie_rounded_by_hand(exact, shown, unit) -> bool:
    """Whether ``shown`` is the tie ``exact`` rounded as a reader rounds it: half away from
    zero (a calculator, school) or half to even (a careful reader; Python's round on a
    decimal). A binary float's ``format`` rounds a tie either way, by its last bit:
    1.0348955 came out as 1.034895, which no reader writes."""
    with mpmath.workdps(50):
        halves = int(mpmath.nint(2 * exact / unit))  # odd: the tie, in half units
        lower, upper = (halves - 1) // 2, (halves + 1) // 2
        away = upper if halves > 0 else lower
        even = lower if lower % 2 == 0 else upper
        return any(abs(shown - choice * unit) <= unit * TIE for choice in (away, even))


def solution_errors(markdown: str) -> tuple[int, list[str]]:
    """(how many '=' between numbers were checked, what failed) over a whole solution."""
    checked, errors = 0, []
    for line in displayed_lines(markdown):
        parts = line.split("=")
        checked += sum(value_of(a) is not None and value_of(b) is not None
                       for a, b in zip(parts, parts[1:]))
        errors += [f"{line}\n    {e}" for e in line_errors(line)]
    return checked, errors
