"""Re-do the arithmetic of a worked solution's displayed lines from the displayed numbers.

Used by tests/test_worked.py (every worked solution the chapters write, and random
networks) and tests/test_fixed_decimals.py. A displayed line ``A = B = C`` checks when,
for each ``=`` between two numeric parts, the left part's exact value (computed from
its displayed numbers, with 50 significant digits) is within half a unit of the last
place of the number that is new on the right (the result), ties either way: what a
student holding the page finds with a calculator. Parts with symbols (``o_{4}``,
``\\mathrm{net}``) are the formula and are skipped.
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
        if abs(a - b) > unit / 2 * (1 + SLACK):
            errors.append(f"{left.strip()} = {right.strip()}: the left side is "
                          f"{mpmath.nstr(a, 12)}, the right side {mpmath.nstr(b, 12)}")
    return errors


def solution_errors(markdown: str) -> tuple[int, list[str]]:
    """(how many '=' between numbers were checked, what failed) over a whole solution."""
    checked, errors = 0, []
    for line in displayed_lines(markdown):
        parts = line.split("=")
        checked += sum(value_of(a) is not None and value_of(b) is not None
                       for a, b in zip(parts, parts[1:]))
        errors += [f"{line}\n    {e}" for e in line_errors(line)]
    return checked, errors
