"""The instructors' command line: ``python -m backprop.exercises make|grade``.

``make --roster ROSTER.csv --seed S --out DIR`` writes ``DIR/<id>.ipynb`` per
student and ``DIR/answer_key.csv``. ``grade --key KEY --submissions DIR [--out
GRADES.csv]`` writes the grade CSV (default ``DIR/grades.csv``). Exit status: 0
on success, 2 on a usage error (bad arguments, malformed roster or key), with
the message on stderr. INSTRUCTORS.md documents both commands.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from .classroom import make_class
from .grading import grade_class, write_grades
from .key import AnswerKeyError, read_key
from .roster import RosterError, read_roster

__all__ = ["main"]

USAGE_ERROR = 2


def _seed(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"the seed must be an integer, got {text!r}") from None
    if value < 0:
        raise argparse.ArgumentTypeError(f"the seed must be >= 0, got {value}")
    return value


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m backprop.exercises",
        description="Make per-student backpropagation exercise notebooks and grade them.",
    )
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    make = commands.add_parser("make", help="write one notebook per student and the answer key")
    make.add_argument("--roster", required=True, type=Path,
                      help="CSV with an 'id' (or 'student_id') column; optional 'name'")
    make.add_argument("--seed", required=True, type=_seed, help="the class seed (integer >= 0)")
    make.add_argument("--out", required=True, type=Path, help="output folder")
    make.add_argument("--force", action="store_true",
                      help="overwrite notebooks already in the output folder")
    grade = commands.add_parser("grade", help="grade filled notebooks against the answer key")
    grade.add_argument("--key", required=True, type=Path, help="answer_key.csv from make")
    grade.add_argument("--submissions", required=True, type=Path,
                       help="folder with the students' <id>.ipynb")
    grade.add_argument("--out", type=Path, default=None,
                       help="grade CSV to write (default: SUBMISSIONS/grades.csv)")
    return parser


def _make(args) -> int:
    students = read_roster(args.roster)
    if args.out.exists() and not args.out.is_dir():
        raise RosterError(f"--out {args.out} exists and is not a folder")
    existing = sorted(args.out.glob("*.ipynb")) if args.out.is_dir() else []
    if existing and not args.force:
        raise RosterError(f"--out {args.out} already holds notebooks ({existing[0].name}, ...); "
                          "choose an empty folder or pass --force to overwrite")
    key_path = make_class(students, args.seed, args.out)
    print(f"wrote {len(students)} notebooks and {key_path}")
    return 0


def _grade(args) -> int:
    key = read_key(args.key)
    if not args.submissions.is_dir():
        raise AnswerKeyError(f"--submissions {args.submissions} is not a folder")
    grades = grade_class(key, args.submissions)
    out = args.out or args.submissions / "grades.csv"
    write_grades(out, grades)
    unexpected = sorted(p.stem for p in args.submissions.glob("*.ipynb") if p.stem not in key)
    for stem in unexpected:
        print(f"warning: {stem}.ipynb is not in the key; not graded", file=sys.stderr)
    for grade in grades:
        if grade.status != "graded":
            print(f"{grade.student_id}: {grade.status}: {grade.reasons[0]}", file=sys.stderr)
    print(f"graded {len(grades)} students; wrote {out}")
    return 0


def main(argv: list[str] | None = None) -> int:
    """Run the command line; returns the exit status (0 success, 2 usage error)."""
    parser = _parser()
    args = parser.parse_args(argv)  # exits with status 2 and a message on bad arguments
    try:
        return _make(args) if args.command == "make" else _grade(args)
    except (RosterError, AnswerKeyError) as error:
        print(f"error: {error}", file=sys.stderr)
        return USAGE_ERROR
