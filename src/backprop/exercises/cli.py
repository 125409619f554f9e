"""The instructors' command line: ``python -m backprop.exercises make|grade``.

``make --roster ROSTER.csv --out DIR`` writes ``DIR/handouts/<id>.ipynb`` per student
and, owner-only, ``DIR/instructor/`` (answer key, class secret, problems).
``grade --key DIR/instructor/answer_key.csv --submissions FOLDER`` writes the grade
CSV (default ``FOLDER/grades.csv``), Canvas and Moodle CSVs beside it, and one
feedback file per student. Exit status: 0 on success, 2 on a usage error (bad
arguments, a malformed roster, key, config or overrides file, a folder that cannot
be written), with one message on stderr and no traceback. INSTRUCTORS.md documents
both commands.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from .classkey import ClassKeyError
from .classroom import HANDOUTS, PROBLEMS_FILE, ClassTooLargeError, make_class
from .credit import ConfigError, GradingConfig, read_config
from .export import (
    OverrideError,
    apply_overrides,
    read_overrides,
    write_canvas,
    write_grades,
    write_moodle,
)
from .feedback import write_feedback
from .grading import grade_folder
from .key import AnswerKeyError, read_key
from .roster import RosterError, read_roster

__all__ = ["main"]

USAGE_ERROR = 2
OVERRIDES_FILE = "overrides.csv"


class UsageError(ValueError):
    """A bad argument that argparse cannot see (a folder that cannot be written, ...)."""


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m backprop.exercises",
        description="Make per-student backpropagation exercise notebooks and grade them.",
    )
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    make = commands.add_parser("make", help="write one notebook per student and the key")
    make.add_argument("--roster", required=True, type=Path,
                      help="CSV with an 'id' (or 'student_id') column; optional 'name'")
    make.add_argument("--out", required=True, type=Path,
                      help="output folder: gets handouts/ and instructor/")
    make.add_argument("--secret", type=Path, default=None,
                      help="class_secret.key to reuse (default: the one in OUT/instructor/, "
                           "else a new one)")
    make.add_argument("--seed", default=None, help=argparse.SUPPRESS)
    make.add_argument("--force", action="store_true",
                      help="overwrite notebooks already in OUT/handouts/")
    grade = commands.add_parser("grade", help="grade handed-in notebooks against the key")
    grade.add_argument("--key", required=True, type=Path,
                       help="OUT/instructor/answer_key.csv from make")
    grade.add_argument("--submissions", required=True, type=Path,
                       help="folder with the handed-in notebooks (any file names)")
    grade.add_argument("--out", type=Path, default=None,
                       help="grade CSV to write (default: SUBMISSIONS/grades.csv); the Canvas "
                            "and Moodle CSVs and feedback/ go beside it")
    grade.add_argument("--config", type=Path, default=None,
                       help="grading config (TOML or JSON): points and follow-through share")
    grade.add_argument("--overrides", type=Path, default=None,
                       help=f"manual overrides CSV (default: {OVERRIDES_FILE} beside the key, "
                            "if there)")
    grade.add_argument("--show-answers", action="store_true",
                       help="put the correct values into the feedback (after the deadline)")
    grade.add_argument("--assignment", default="Backpropagation exercises",
                       help="the assignment's name in the Canvas and Moodle CSVs")
    return parser


def _make(args) -> int:
    if args.seed is not None:
        raise UsageError("--seed is no longer used: make writes a class secret into "
                         "OUT/instructor/ (pass --secret to reuse one)")
    students = read_roster(args.roster)
    if args.out.exists() and not args.out.is_dir():
        raise UsageError(f"--out {args.out} exists and is not a folder")
    handouts = args.out / HANDOUTS
    existing = sorted(handouts.glob("*.ipynb")) if handouts.is_dir() else []
    if existing and not args.force:
        raise UsageError(f"--out {args.out} already holds notebooks ({existing[0].name}, ...); "
                         "choose an empty folder or pass --force to overwrite")
    try:
        key_path = make_class(students, args.out, args.secret)
    except OSError as error:
        raise UsageError(f"cannot write into --out {args.out}: "
                         f"{error.strerror or error}") from None
    print(f"wrote {len(students)} notebooks into {handouts} and the key into {key_path.parent} "
          "(keep that folder to yourself)")
    return 0


def _problems(key_path: Path) -> dict:
    path = key_path.parent / PROBLEMS_FILE
    try:
        document = json.loads(path.read_text(encoding="utf-8"))
        return document["students"]
    except (OSError, ValueError, KeyError, TypeError):
        raise AnswerKeyError(f"cannot read {path}: make writes it beside the key, and grading "
                             "needs it") from None


def _grade(args) -> int:
    key = read_key(args.key)
    problems = _problems(args.key)
    if not args.submissions.is_dir():
        raise AnswerKeyError(f"--submissions {args.submissions} is not a folder")
    config = read_config(args.config) if args.config else GradingConfig()
    overrides_path = args.overrides or args.key.parent / OVERRIDES_FILE
    overrides = (read_overrides(overrides_path)
                 if args.overrides or overrides_path.is_file() else [])
    out = args.out or args.submissions / "grades.csv"
    if not out.parent.is_dir():
        raise UsageError(f"cannot write --out {out}: {out.parent} is not a folder")
    result = grade_folder(key, args.submissions, problems, config)
    for warning in apply_overrides(result.grades, overrides):
        print(f"warning: {warning}", file=sys.stderr)
    names = {sid: record.get("name", "") for sid, record in problems.items()}
    try:
        write_grades(out, result.grades)
        write_canvas(out.with_name(out.stem + "_canvas.csv"), result.grades, names,
                     args.assignment)
        write_moodle(out.with_name(out.stem + "_moodle.csv"), result.grades, names,
                     args.assignment)
        write_feedback(out.parent / "feedback", result.grades, names, args.show_answers)
    except OSError as error:
        raise UsageError(f"cannot write --out {out}: {error.strerror or error}") from None
    for name in result.unmatched:
        print(f"warning: {name} names no student of the key; not graded", file=sys.stderr)
    for grade in result.grades:
        if grade.status != "graded":
            print(f"{grade.student_id}: {grade.status}: {grade.reasons[0]}", file=sys.stderr)
    print(f"graded {len(result.grades)} students; wrote {out}, its Canvas and Moodle "
          f"versions and {out.parent / 'feedback'}/")
    return 0


def main(argv: list[str] | None = None) -> int:
    """Run the command line; returns the exit status (0 success, 2 usage error)."""
    parser = _parser()
    args = parser.parse_args(argv)  # exits with status 2 and a message on bad arguments
    try:
        return _make(args) if args.command == "make" else _grade(args)
    except (RosterError, AnswerKeyError, ClassKeyError, ConfigError, OverrideError,
            ClassTooLargeError, UsageError) as error:
        print(f"error: {error}", file=sys.stderr)
        return USAGE_ERROR
