"""One feedback file per student: each part right or wrong, and why.

:func:`feedback_markdown` writes what a student may see: their score per question,
each part's verdict (right, follow-through credit, wrong, no answer, unreadable and
why), the instructor's overrides, and, with ``show_answers`` (after the deadline),
the correct value of each part.
"""

from __future__ import annotations

from pathlib import Path

from .grading import Grade
from .problem import canonical

__all__ = ["feedback_markdown", "write_feedback"]

_VERDICTS = {
    "right": "right",
    "follow-through": "follow-through credit: wrong against the key, but right from your "
                      "own earlier values",
    "wrong": "wrong",
    "no answer": "no answer",
    "unreadable": "the grader could not read it",
    "tampered": "not graded: the question's given numbers were changed",
    "not graded": "not graded",
}


def _points(value: float) -> str:
    return f"{value:g}"


def feedback_markdown(grade: Grade, name: str = "", show_answers: bool = False) -> str:
    """A student's feedback as Markdown."""
    who = f"{grade.student_id} ({name})" if name else grade.student_id
    lines = ["# Feedback: backpropagation exercises", "", f"Student: **{who}**", "",
             f"Score: **{_points(grade.total)} of {_points(grade.max_total)}**", ""]
    if grade.file:
        lines += [f"Graded file: `{grade.file}`", ""]
    if grade.status != "graded":
        lines += [f"Your notebook was not graded ({grade.status}): "
                  + "; ".join(grade.reasons), ""]
    for question in sorted(grade.maxima):
        lines += [f"## Question {question}: {_points(grade.scores.get(question, 0.0))} of "
                  f"{_points(grade.maxima[question])}", ""]
        header = "| Part | Variable | Your answer | Verdict | Points |"
        rule = "| --- | --- | --- | --- | --- |"
        if show_answers:
            header, rule = header + " Correct |", rule + " --- |"
        lines += [header, rule]
        for part in (p for p in grade.parts if p.question == question):
            shown = "" if part.value is None else canonical(part.value)
            verdict = _VERDICTS.get(part.verdict, part.verdict)
            if part.verdict == "unreadable" and part.detail:
                verdict += ": " + part.detail.split(": ", 1)[-1]
            row = (f"| {part.part} | `{part.variable}` | {shown} | {verdict} | "
                   f"{_points(part.points)} of {_points(part.max_points)} |")
            if show_answers:
                row += f" {canonical(part.answer)} |"
            lines.append(row.replace("\n", " "))
        lines.append("")
    notes = [r for r in grade.reasons if "by the instructor" in r or "given numbers" in r]
    if notes:
        lines += ["## Notes", "", *(f"- {note}" for note in notes), ""]
    return "\n".join(lines)


def write_feedback(folder: str | Path, grades: list[Grade], names: dict[str, str] | None = None,
                   show_answers: bool = False) -> list[Path]:
    """Write ``folder/<student_id>.md`` for every grade; returns the paths."""
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    written = []
    for grade in grades:
        path = folder / f"{grade.student_id}.md"
        path.write_text(feedback_markdown(grade, (names or {}).get(grade.student_id, ""),
                                          show_answers), encoding="utf-8")
        written.append(path)
    return written
