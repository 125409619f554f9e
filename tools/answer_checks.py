"""The student edition's "Check my answer" boxes: digests of the answers, never the answers.

The student edition drops every solution, and with it every answer. So that a reader can
still check a number without a kernel or a network, ``with_answer_checks`` puts a small
raw-HTML box right after each book exercise whose solution shows numbers. The box holds,
for each number, how many decimals the solution shows and a salted SHA-256 digest of the
number written that way; ``assets/answer-check.js`` rounds what the reader types to the
same decimals, hashes it in the browser and compares.

Where the numbers come from (the same reading as tests/test_built_book.py's leak check):
a solution is a ```` ```{solution} <exercise-label> ```` directive in a markdown cell tagged
``solution``; its prose shows numbers with ``{glue:text}`sol_<name>:<format>``` roles, and
the values are glued by code cells tagged ``solution`` (glue's
``application/papermill.record/text/plain`` outputs). An answer is every ``sol_`` value that
a solution shows in plain decimal notation, in the order the solution first shows it, with
as many decimals as it shows there. Values shown in exponent notation (``.1e``) are left
out: the reader has no sensible number of decimals to round to.

Canonical form, shared with the script: the number rounded half away from zero to the
answer's decimals, as fixed-point text with no plus sign, no exponent, no leading zeros
beyond one, and ``0`` instead of ``-0`` (``"-0.0079"``, ``"0.4700"``, ``"3000"``). The digest
is ``sha256(salt + ":" + canonical)`` with the salt ``<exercise-label>#<part>``, so that
equal answers, in one exercise or in two, never share a digest. A digest of a number with
four decimals is brute-forced in well under a second; that is accepted for a self-check
(INSTRUCTORS.md, "The book's check boxes").
"""

from __future__ import annotations

import ast
import hashlib
import html
import json
import re
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation, localcontext

import nbformat

SOLUTION_TAG = "solution"
SCRIPT = "answer-check.js"
"""The box's script in assets/ (so in the HTML's _static/), added to the student pages only."""
GLUE_TEXT = re.compile(r"\{glue:text\}`(sol_[A-Za-z0-9_,]+)(?::([^`]*))?`")
SOLUTION = re.compile(r"(?P<fence>`{3,}|:{3,})\{solution\}[ \t]*(?P<label>\S+)[^\n]*\n(?P<body>.*?)"
                      r"^(?P=fence)[ \t]*$", re.S | re.M)
EXERCISE_START = re.compile(r"^(?P<fence>`{3,}|:{3,})\{exercise\}[^\n]*$", re.M)
EXERCISE_LABEL = re.compile(r"^:label:[ \t]*(\S+)[ \t]*$", re.M)
# Plain decimal notation, as a solution shows it and as the canonical form writes it.
DECIMAL_TEXT = re.compile(r"^-?\d+(?:\.(\d+))?$")


@dataclass(frozen=True)
class Answer:
    """One number that an exercise's solution shows."""

    exercise: str  # the exercise's label, e.g. "ex-sigmoid-value"
    part: int  # 1, 2, ...: the order in which the solution first shows it
    key: str  # the glue key, e.g. "sol_q6_o"
    shown: str  # the number as the solution shows it, e.g. "0.6225"
    decimals: int

    @property
    def salt(self) -> str:
        return f"{self.exercise}#{self.part}"

    @property
    def digest(self) -> str:
        return digest(self.salt, canonical(self.shown, self.decimals))


def is_solution(cell) -> bool:
    return SOLUTION_TAG in cell.get("metadata", {}).get("tags", [])


def canonical(text: str, decimals: int) -> str:
    """``text`` (a decimal number, exponent allowed) rounded half away from zero to
    ``decimals`` places, in the canonical fixed-point form; ValueError if it is no number."""
    try:
        number = Decimal(text.strip())
    except InvalidOperation as error:
        raise ValueError(f"not a number: {text!r}") from error
    if not number.is_finite():
        raise ValueError(f"not a finite number: {text!r}")
    with localcontext() as context:
        # Room for every digit of the rounded number, as the script has (it works on text).
        context.prec = max(28, len(number.as_tuple().digits) + abs(number.adjusted()) + decimals)
        rounded = number.quantize(Decimal(1).scaleb(-decimals), rounding=ROUND_HALF_UP)
    written = f"{rounded:f}"
    return written[1:] if written.startswith("-") and not rounded else written


def digest(salt: str, canonical_text: str) -> str:
    """Hex SHA-256 of ``salt:canonical``, as the browser computes it for the reader's number."""
    return hashlib.sha256(f"{salt}:{canonical_text}".encode()).hexdigest()


def glued_values(notebook) -> dict[str, str]:
    """Every ``sol_`` key glued by a solution cell, with its value as plain decimal text.

    Floats are kept as their repr, to be formatted as the solution formats them; strings
    that are plain decimal numbers (a learning rate glued as ``"1.6"``) are kept as they are.
    Anything else (a shape, a Markdown table) is no number to check and is left out.
    """
    values = {}
    for name, text in solution_glue_records(notebook):
        try:
            values[name] = repr(float(text))
        except ValueError:
            try:
                literal = ast.literal_eval(text)
            except (ValueError, SyntaxError):
                continue
            if isinstance(literal, str) and DECIMAL_TEXT.match(literal.strip()):
                values[name] = literal.strip()
    return values


def solution_glue_records(notebook):
    """``(key, text/plain)`` of every ``sol_`` value glued by a solution cell, in order."""
    for cell in notebook.cells:
        if cell.cell_type != "code" or not is_solution(cell):
            continue
        for output in cell.get("outputs", []):
            record = output.get("metadata", {}).get("scrapbook", {})
            name = record.get("name", "")
            # glue stores its value under its own MIME prefix (application/papermill.record/).
            text = output.get("data", {}).get(record.get("mime_prefix", "") + "text/plain")
            if name.startswith("sol_") and text is not None:
                yield name, text


def shown_text(value: str, spec: str) -> str | None:
    """The value as a ``{glue:text}`` role with format ``spec`` shows it, or None if that
    is not plain decimal notation (an exponent, say)."""
    if spec:
        try:
            # without the thousands separators of a "," spec (217,600): the box reads
            # either spelling of a whole number (readNumber in assets/answer-check.js)
            text = format(float(value), spec).replace(",", "")
        except ValueError:
            return None
    else:
        text = value
    return text if DECIMAL_TEXT.match(text) else None


def solution_answers(notebook) -> dict[str, list[Answer]]:
    """{exercise label: its answers in order} for every solution that shows a number."""
    values = glued_values(notebook)
    found: dict[str, list[Answer]] = {}
    for cell in notebook.cells:
        if cell.cell_type != "markdown" or not is_solution(cell):
            continue
        for solution in SOLUTION.finditer(cell.source):
            label = solution["label"]
            answers = found.setdefault(label, [])
            seen = {answer.key for answer in answers}
            for key, spec in GLUE_TEXT.findall(solution["body"]):
                if key in seen or key not in values:
                    continue  # a number shown twice is one answer, with its first decimals
                text = shown_text(values[key], spec)
                if text is None:
                    continue
                match = DECIMAL_TEXT.match(text)
                answers.append(Answer(label, len(answers) + 1, key, text,
                                      len(match.group(1) or "")))
                seen.add(key)
            if not answers:
                del found[label]
    return found


def decimals_phrase(answers: list[Answer]) -> str:
    """How the reader should round, e.g. "4 decimal places" or "4 or 5 decimal places"."""
    places = sorted({answer.decimals for answer in answers})
    if places == [0]:
        return "whole numbers"
    words = " or ".join(str(place) for place in places)
    return f"{words} decimal place{'' if places == [1] else 's'}"


def box_html(label: str, answers: list[Answer]) -> str:
    """The raw-HTML box for one exercise: a label, an input, a button, a live region, and
    the answers' decimals, salts and digests (no answer in clear).

    No blank line inside: a Markdown HTML block ends at the first one.
    """
    data = json.dumps([{"decimals": answer.decimals, "salt": answer.salt,
                        "digest": answer.digest} for answer in answers],
                      separators=(",", ":"))
    field = f"answer-check-{label}"
    count = len(answers)
    asks = "one numeric answer" if count == 1 else f"{count} numeric answers"
    return "\n".join([
        f'<div class="answer-check" data-exercise="{html.escape(label)}" '
        f'data-answers="{html.escape(data)}">',
        f'<label class="answer-check-label" for="{html.escape(field)}">Check my answer '
        f'(this exercise has {asks}, to {decimals_phrase(answers)})</label>',
        '<div class="answer-check-row">',
        f'<input class="answer-check-input" id="{html.escape(field)}" type="text" '
        'inputmode="decimal" autocomplete="off" autocapitalize="off" spellcheck="false">',
        '<button class="answer-check-button" type="button">Check</button>',
        "</div>",
        '<p class="answer-check-result" role="status" aria-live="polite"></p>',
        "</div>",
    ])


def exercise_end(source: str, start: re.Match) -> int:
    """Index just past the closing fence of the exercise that opens at ``start``."""
    fence = start["fence"]
    closing = re.compile(rf"^{re.escape(fence[0])}{{{len(fence)},}}[ \t]*$", re.M)
    end = closing.search(source, start.end())
    if end is None:
        raise ValueError(f"an exercise opened by {fence} is never closed")
    return end.end()


def with_answer_checks(student: nbformat.NotebookNode,
                       original: nbformat.NotebookNode) -> nbformat.NotebookNode:
    """``student`` (the notebook without solutions) with a check box after every exercise
    whose solution in ``original`` shows numbers; ``student`` itself is not changed."""
    answers = solution_answers(original)
    notebook = nbformat.from_dict(student)
    for cell in notebook.cells:
        if cell.cell_type != "markdown" or is_solution(cell):
            continue
        source = cell.source
        # From the last exercise to the first, so earlier positions stay valid.
        for start in reversed(list(EXERCISE_START.finditer(source))):
            end = exercise_end(source, start)
            label = EXERCISE_LABEL.search(source, start.end(), end)
            if label is None or label.group(1) not in answers:
                continue
            box = box_html(label.group(1), answers[label.group(1)])
            source = source[:end] + "\n\n" + box + "\n" + source[end:]
        cell.source = source
    return notebook


def add_script(sphinx_config: dict) -> dict:
    """Adds the box's script to a Sphinx configuration's ``html_js_files``."""
    scripts = list(sphinx_config.get("html_js_files") or [])
    if SCRIPT not in scripts:
        scripts.append(SCRIPT)
    sphinx_config["html_js_files"] = scripts
    return sphinx_config
