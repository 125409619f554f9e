"""Grading: never stopped by one notebook, questions found by content, follow-through
credit, the class secret, distinct problems, feedback, exports and overrides."""

import csv
import json
import re

import pytest
from exercise_handouts import fill_answers
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from backprop.exercises import (
    GENERATORS,
    GradingConfig,
    follow_through,
    grade_folder,
    make_class,
    problem_from_id,
    read_config,
    read_key,
    read_secret,
    student_problems,
)
from backprop.exercises import grading as grading_module
from backprop.exercises.classkey import class_problem, class_token
from backprop.exercises.cli import main
from backprop.exercises.credit import ConfigError
from backprop.exercises.export import write_grades
from backprop.exercises.notebooks import METADATA_KEY, cells
from backprop.exercises.roster import Student
from backprop.exercises.statements import find_statements

SECRET = "0f" * 32


@pytest.fixture(scope="module")
def made(tmp_path_factory):
    """A class of three: (out folder, key, problems.json's students)."""
    out = tmp_path_factory.mktemp("class")
    make_class([Student("s01", "Ada"), Student("s02"), Student("s03")], out, SECRET)
    instructor = out / "instructor"
    key = read_key(instructor / "answer_key.csv")
    problems = json.loads((instructor / "problems.json").read_text(encoding="utf-8"))
    return out, key, problems["students"]


def _handout(out, sid):
    return json.loads((out / "handouts" / f"{sid}.ipynb").read_text(encoding="utf-8"))


def _fill(notebook, values):
    return fill_answers(notebook, {variable: repr(value) for variable, value in values.items()})


def _grade(made, folder, sid, notebook, config=None):
    out, key, problems = made
    folder.mkdir(exist_ok=True)
    (folder / f"{sid}.ipynb").write_text(json.dumps(notebook), encoding="utf-8")
    grades = grade_folder({sid: key[sid]}, folder, problems, config).grades
    return grades[0]


# ------------------------------------------------------- item 1: nothing stops grading
_json = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=True) | st.text(max_size=20),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=8), inner,
                                                                max_size=4),
    max_leaves=12,
)
_HUGE = ["answer_1a = " + "+".join(["1"] * 5000), "answer_1a = " + "-" * 10000 + "1",
         "answer_1a = " + "(" * 199 + "1" + ")" * 199, "x = [" * 300 + "]" * 300,
         "answer_1a = 1" + "0" * 5000, "\x00\udcff", "if x:\n" + "  " * 500 + "answer_1a = 1"]
_source = st.one_of(st.text(max_size=60), st.lists(st.one_of(st.text(max_size=20), _json),
                                                   max_size=3),
                    st.sampled_from(_HUGE), _json)
_cell = st.one_of(_json, st.fixed_dictionaries({
    "cell_type": st.one_of(st.sampled_from(["code", "markdown", "raw"]), _json),
    "source": _source,
    "metadata": st.one_of(_json, st.fixed_dictionaries({METADATA_KEY: _json})),
}))
_notebook = st.one_of(_json, st.fixed_dictionaries({
    "cells": st.one_of(st.lists(_cell, max_size=6), _json),
    "metadata": st.one_of(_json, st.fixed_dictionaries({METADATA_KEY: st.one_of(
        _json, st.fixed_dictionaries({"student_id": st.one_of(st.just("s01"), _json)}))})),
}))


@settings(max_examples=40, suppress_health_check=[HealthCheck.function_scoped_fixture,
                                                  HealthCheck.too_slow])
@given(notebook=_notebook, raw=st.one_of(st.none(), st.binary(max_size=40)))
def test_random_and_hostile_notebooks_never_stop_the_grading(made, tmp_path, notebook, raw):
    out, key, problems = made
    inbox = tmp_path / "inbox"
    inbox.mkdir(exist_ok=True)
    for stale in inbox.iterdir():
        stale.unlink()
    (inbox / "s01.ipynb").write_bytes(raw if raw is not None else json.dumps(
        notebook, allow_nan=True).encode("utf-8", "surrogatepass"))
    (inbox / "s02 (1).ipynb").write_text(json.dumps(notebook, allow_nan=True,
                                                    ensure_ascii=True), encoding="utf-8")
    result = grade_folder(key, inbox, problems, time_limit=10)
    grades_csv = tmp_path / "grades.csv"
    write_grades(grades_csv, result.grades)
    rows = list(csv.DictReader(grades_csv.read_text(encoding="utf-8").splitlines()))
    assert [row["student_id"] for row in rows] == ["s01", "s02", "s03"]
    assert all(row["reason"] or row["status"] == "graded" for row in rows)
    assert rows[2]["status"] == "missing"


def test_a_notebook_that_takes_too_long_is_that_students_zero(made, tmp_path, monkeypatch):
    def forever(*args, **kwargs):
        while True:
            pass

    monkeypatch.setattr(grading_module, "read_answers", forever)
    out, key, problems = made
    (tmp_path / "s01.ipynb").write_text(json.dumps(_handout(out, "s01")), encoding="utf-8")
    grade = grade_folder({"s01": key["s01"]}, tmp_path, problems, time_limit=0.2).grades[0]
    assert grade.status == "error" and grade.total == 0 and "0.2 s limit" in grade.reasons[0]


def test_an_exception_inside_the_grader_is_that_students_zero(made, tmp_path, monkeypatch):
    def broken(*args, **kwargs):
        raise RecursionError

    monkeypatch.setattr(grading_module, "find_statements", broken)
    out, key, problems = made
    grade = _grade(made, tmp_path, "s01", _handout(out, "s01"))
    assert grade.status == "error" and "RecursionError" in grade.reasons[0]


# ------------------------------------------------------- item 3: forgiving matching
def _statement_cells(notebook):
    return [c for c in notebook["cells"]
            if c["metadata"].get(METADATA_KEY, {}).get("role") == "statement"]


def test_questions_are_found_by_content_and_only_changed_numbers_are_tampering(made):
    out, key, problems = made
    expected = problems["s01"]["problems"]
    notebook = _handout(out, "s01")
    statements = _statement_cells(notebook)
    statements[0]["source"] = "My note: check x_2 (see 3.4).\n\n" + statements[0]["source"]
    statements[1]["cell_type"] = "raw"
    statements[2]["metadata"] = {}
    statements[3]["source"] += "\n\nI got 0.1234 for this one."
    text = statements[4]["source"]
    first_number = re.search(r"-?\d+\.\d+", text.split("\n\n", 1)[1])
    statements[4]["source"] = text.replace(first_number.group(0), "7.77", 1)
    statements[5]["source"] = statements[5]["source"].replace("Compute", "Find")
    notebook["cells"].remove(statements[6])
    found = find_statements(cells(notebook), expected)
    assert [f.found for f in found] == [True] * 6 + [False, True]
    assert [bool(f.changed) for f in found] == [False] * 4 + [True, False, False, False]
    assert first_number.group(0) in found[4].changed[0] and "7.77" in found[4].changed[0]


def test_a_changed_number_costs_only_its_question(made, tmp_path):
    out, key, problems = made
    notebook = _fill(_handout(out, "s02"), {r.variable: r.answer for r in key["s02"]})
    statement = _statement_cells(notebook)[3]
    statement["source"] = re.sub(r"t_6 = (\d)", r"t_6 = 5\1", statement["source"], count=1)
    grade = _grade(made, tmp_path, "s02", notebook)
    assert grade.status == "graded" and grade.scores[4] == 0
    assert grade.total == grade.max_total - grade.maxima[4]
    assert any(r.startswith("q4: the given numbers were changed") for r in grade.reasons)


def test_a_copied_notebook_renamed_by_the_lms_is_still_its_owners(made, tmp_path):
    out, key, problems = made
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    s01 = _fill(_handout(out, "s01"), {r.variable: r.answer for r in key["s01"]})
    (inbox / "smith_ann_42_77_s01-1.ipynb").write_text(json.dumps(s01), encoding="utf-8")
    (inbox / "s03.ipynb").write_text(json.dumps(s01), encoding="utf-8")  # a copy
    (inbox / "homework.ipynb").write_text(json.dumps(_handout(out, "s02")), encoding="utf-8")
    result = grade_folder(key, inbox, problems)
    by_id = {g.student_id: g for g in result.grades}
    assert by_id["s01"].file == "smith_ann_42_77_s01-1.ipynb"
    assert by_id["s01"].total == by_id["s01"].max_total
    assert by_id["s02"].file == "homework.ipynb" and by_id["s02"].status == "graded"
    assert by_id["s03"].status == "tampered" and "notebook of 's01'" in by_id["s03"].reasons[0]
    assert result.unmatched == []


# ------------------------------------------------------- item 4: follow-through credit
def test_follow_through_from_the_right_values_gives_the_key(made):
    out, key, problems = made
    for sid in key:
        for problem in problems[sid]["problems"]:
            rows = [r for r in key[sid] if r.problem_id == problem["problem_id"]]
            correct = {r.part: r.answer for r in rows}
            for part, value in follow_through(problem["kind"], problem["given"], correct,
                                              correct).items():
                assert value == pytest.approx(correct[part], abs=5e-4), (problem, part)


def test_a_slip_in_o_3_costs_one_part_and_earns_follow_through_on_the_rest(made, tmp_path):
    out, key, problems = made
    rows = key["s03"]
    q7 = next(p for p in problems["s03"]["problems"] if p["kind"] == "full_iteration")
    correct = {r.part: r.answer for r in rows if r.question == q7["question"]}
    own = dict(correct, o_3=correct["o_3"] + 0.05)
    carried = follow_through("full_iteration", q7["given"], own, correct)
    for part, value in carried.items():
        own[part] = round(value, 4)
    values = {r.variable: (own[r.part] if r.question == q7["question"] else r.answer)
              for r in rows}
    config = GradingConfig(follow_through_share=0.5)
    grade = _grade(made, tmp_path, "s03", _fill(_handout(out, "s03"), values), config)
    verdicts = {p.part: p.verdict for p in grade.parts if p.question == q7["question"]}
    assert verdicts["o_3"] == "wrong" and verdicts["o_4"] == "right"
    through = [part for part, verdict in verdicts.items() if verdict == "follow-through"]
    assert len(through) >= 5 and "o_5" in through
    assert grade.scores[q7["question"]] == pytest.approx(
        sum(v == "right" for v in verdicts.values()) + 0.5 * len(through))
    assert f"q{q7['question']} o_5" in grade.follow_through
    none = _grade(made, tmp_path, "s03", _fill(_handout(out, "s03"), values),
                  GradingConfig(follow_through_share=0))
    assert none.follow_through == [] and none.total < grade.total


def test_the_grading_config_sets_points_and_share(tmp_path, made):
    path = tmp_path / "grading.toml"
    path.write_text('follow_through_share = 0.25\n[points]\nq7 = 0.5\n"q2.derivative" = 3\n',
                    encoding="utf-8")
    config = read_config(path)
    assert config.follow_through_share == 0.25
    assert config.part_points(7, "o_3") == 0.5 and config.part_points(2, "derivative") == 3
    assert config.part_points(2, "sigma") == 1
    out, key, problems = made
    grade = _grade(made, tmp_path / "inbox", "s01", _handout(out, "s01"), config)
    assert grade.maxima[7] == 10 and grade.maxima[2] == 4
    as_json = tmp_path / "grading.json"
    as_json.write_text('{"points": {"q1": 2}}', encoding="utf-8")
    assert read_config(as_json).part_points(1, "net") == 2
    for text, says in [("follow_through_share = 2", "from 0 to 1"),
                       ("[points]\nquestion7 = 1", "must be 'qN'"),
                       ("bonus = 1", "unknown setting"), ("[points", "not valid TOML")]:
        path.write_text(text, encoding="utf-8")
        with pytest.raises(ConfigError, match=re.escape(says)):
            read_config(path)


# ------------------------------------------------------- items 5 and 6: secret, distinct
def test_problem_ids_do_not_rebuild_answers_without_the_class_secret(made):
    out, key, problems = made
    row = key["s01"][0]
    assert re.fullmatch(r"net_input-c[0-9a-f]{16}", row.problem_id)
    with pytest.raises(ValueError, match="needs the class secret"):
        problem_from_id(row.problem_id)
    secret_file = out / "instructor" / "class_secret.key"
    assert read_secret(secret_file) == SECRET
    for key_argument in (SECRET, secret_file):
        problem = problem_from_id(row.problem_id, key=key_argument)
        assert problem.problem_id == row.problem_id
        assert problem.part(row.part).rounded == row.answer
    other = problem_from_id(row.problem_id, key="1e" * 32)
    assert other.given != problem.given
    handout = (out / "handouts" / "s01.ipynb").read_text(encoding="utf-8")
    assert SECRET not in handout and str(problem.seed) not in handout


def test_every_student_of_a_class_of_500_gets_a_distinct_problem_of_every_kind():
    taken = {}
    sets = [student_problems(SECRET, f"u{n:03d}", taken) for n in range(500)]
    for index, kind in enumerate(GENERATORS):
        givens = {json.dumps(problems[index].given, sort_keys=True) for problems in sets}
        assert len(givens) == 500, kind
    # without the redraw, a kind with ~800 possible problems collides in a class of 500
    first_draws = {json.dumps(class_problem(SECRET, "sigmoid", class_token(
        SECRET, f"u{n:03d}", "sigmoid", 0)).given) for n in range(500)}
    assert len(first_draws) < 500


# ------------------------------------------------------- item 7: feedback, export, overrides
def test_feedback_exports_and_overrides_survive_a_regrade(made, tmp_path, capsys):
    out, key, problems = made
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    values = {r.variable: r.answer for r in key["s01"]}
    values["answer_4a"] = -values["answer_4a"]
    (inbox / "s01.ipynb").write_text(json.dumps(_fill(_handout(out, "s01"), values)),
                                     encoding="utf-8")
    overrides = tmp_path / "overrides.csv"
    overrides.write_text("student_id,question,points,note\ns01,q4,1,sign slip forgiven\n"
                         "s02,2,1.5,\n", encoding="utf-8")
    key_path = out / "instructor" / "answer_key.csv"
    argv = ["grade", "--key", str(key_path), "--submissions", str(inbox), "--out",
            str(tmp_path / "grades.csv"), "--overrides", str(overrides)]
    for _ in range(2):  # a regrade keeps the overrides
        assert main(argv) == 0
        grades = {r["student_id"]: r for r in csv.DictReader(
            (tmp_path / "grades.csv").read_text(encoding="utf-8").splitlines())}
        assert grades["s01"]["q4"] == "1" and float(grades["s01"]["total"]) == float(
            grades["s01"]["max_total"])
        assert "set to 1 by the instructor (sign slip forgiven)" in grades["s01"]["reason"]
        assert grades["s02"]["q2"] == "1.5" and grades["s02"]["status"] == "missing"
    feedback = (tmp_path / "feedback" / "s01.md").read_text(encoding="utf-8")
    assert "Student: **s01 (Ada)**" in feedback and "| delta | `answer_4a` |" in feedback
    assert "| wrong |" in feedback and "Correct" not in feedback
    assert "sign slip forgiven" in feedback
    assert main(argv + ["--show-answers"]) == 0
    shown = (tmp_path / "feedback" / "s01.md").read_text(encoding="utf-8")
    assert "Correct" in shown and f"{abs(values['answer_4a']):.4f}" in shown
    canvas = (tmp_path / "grades_canvas.csv").read_text(encoding="utf-8").splitlines()
    assert canvas[0].endswith(",Backpropagation exercises") and canvas[2].startswith("Ada,,s01")
    bad = tmp_path / "bad.csv"
    bad.write_text("student_id,question,points\ns01,four,1\n", encoding="utf-8")
    capsys.readouterr()
    assert main(argv[:-1] + [str(bad)]) == 2
    assert "line 2" in capsys.readouterr().err
