"""The instructors' tool: make a class, fill notebooks in every way, grade, check each score."""

import csv
import re
import subprocess
import sys

import nbformat
import pytest

from backprop.exercises import GENERATORS, read_answers, read_key
from backprop.exercises.cli import main
from backprop.exercises.notebooks import METADATA_KEY

CLASS = [f"s{n:02d}" for n in range(1, 31)]


def _roster(path, ids=CLASS):
    path.write_text("id,name\n" + "".join(f"{i},Student {i}\n" for i in ids), encoding="utf-8")
    return path


def _make(tmp_path, seed=2024, ids=CLASS):
    tmp_path.mkdir(parents=True, exist_ok=True)
    out = tmp_path / "class"
    assert main(["make", "--roster", str(_roster(tmp_path / "roster.csv", ids)),
                 "--seed", str(seed), "--out", str(out)]) == 0
    return out


def _fill(path, values):
    """Replace ``answer_Xy = None`` by ``answer_Xy = <text>`` for each variable in values."""
    notebook = nbformat.read(path, as_version=4)
    for cell in notebook.cells:
        if cell.metadata.get(METADATA_KEY, {}).get("role") == "answers":
            for variable, text in values.items():
                cell.source = re.sub(rf"^{variable} = None", f"{variable} = {text}", cell.source,
                                     flags=re.MULTILINE)
    nbformat.write(notebook, path)
    return notebook


def _grades(path):
    with open(path, newline="", encoding="utf-8") as handle:
        return {row["student_id"]: row for row in csv.DictReader(handle)}


def test_make_and_grade_a_class_of_thirty(tmp_path, capsys):
    out = _make(tmp_path)
    key = read_key(out / "answer_key.csv")
    assert list(key) == CLASS and len(list(out.glob("*.ipynb"))) == 30
    n_questions = len(GENERATORS)
    per_question = {q: sum(1 for r in key["s01"] if r.question == q)
                    for q in range(1, n_questions + 1)}
    full = sum(per_question.values())
    right = {sid: {r.variable: repr(r.answer) for r in rows} for sid, rows in key.items()}
    expected = {}  # student -> (scores per question, status)

    for sid in CLASS[:15]:  # correct answers (the key's rounded values)
        _fill(out / f"{sid}.ipynb", right[sid])
        expected[sid] = (per_question, "graded")
    # s16: every answer wrong by more than the tolerance
    _fill(out / "s16.ipynb", {r.variable: repr(r.answer + 0.01) for r in key["s16"]})
    expected["s16"] = (dict.fromkeys(per_question, 0), "graded")
    # s17: nothing filled in
    expected["s17"] = (dict.fromkeys(per_question, 0), "graded")
    # s18: right, except non-numbers in question 2 and a name in question 1
    values = dict(right["s18"], answer_2a='"0.5"', answer_2b="[0.1]", answer_1a="sigma")
    _fill(out / "s18.ipynb", values)
    expected["s18"] = ({**per_question, 1: per_question[1] - 1, 2: 0}, "graded")
    # s19: tampered: a number in a question changed
    notebook = _fill(out / "s19.ipynb", right["s19"])
    statement = next(c for c in notebook.cells
                     if c.metadata.get(METADATA_KEY, {}).get("role") == "statement")
    statement.source = statement.source.replace("x_1 = ", "x_1 = 1", 1)
    nbformat.write(notebook, out / "s19.ipynb")
    expected["s19"] = (dict.fromkeys(per_question, 0), "tampered")
    # s20: no notebook handed in
    (out / "s20.ipynb").unlink()
    expected["s20"] = (dict.fromkeys(per_question, 0), "missing")
    # s21: another student's (filled) notebook handed in under s21's name
    (out / "s21.ipynb").write_bytes((out / "s01.ipynb").read_bytes())
    expected["s21"] = (dict.fromkeys(per_question, 0), "tampered")
    # s22: not a notebook at all
    (out / "s22.ipynb").write_text("{ this is not json", encoding="utf-8")
    expected["s22"] = (dict.fromkeys(per_question, 0), "unreadable")
    # s23: right answers at the tolerance's edge, wrong just outside it
    _fill(out / "s23.ipynb", {r.variable: repr(round(r.answer + (4e-4 if r.question < 5
                                                                   else -6e-4), 6))
                              for r in key["s23"]})
    expected["s23"] = ({q: (n if q < 5 else 0) for q, n in per_question.items()}, "graded")
    # s24: right answers written as arithmetic, a syntax error on one line, and a
    # later cell that overrides one answer with a wrong value
    rows = key["s24"]
    values = {r.variable: f"{r.answer} - 0.25 + 0.25" for r in rows}
    values["answer_3a"] = "0.5 +"
    notebook = _fill(out / "s24.ipynb", values)
    notebook.cells.append(nbformat.v4.new_code_cell("answer_1a = 99\nprint('scratch')"))
    nbformat.write(notebook, out / "s24.ipynb")
    expected["s24"] = ({**per_question, 1: per_question[1] - 1, 3: 0}, "graded")
    for sid in CLASS[24:]:  # s25-s30 hand in untouched notebooks
        expected[sid] = (dict.fromkeys(per_question, 0), "graded")
    (out / "stranger.ipynb").write_bytes((out / "s25.ipynb").read_bytes())

    capsys.readouterr()
    assert main(["grade", "--key", str(out / "answer_key.csv"), "--submissions", str(out),
                 "--out", str(tmp_path / "grades.csv")]) == 0
    err = capsys.readouterr().err
    assert "stranger.ipynb is not in the key" in err and "s20: missing" in err

    grades = _grades(tmp_path / "grades.csv")
    assert list(grades) == CLASS
    for sid, (scores, status) in expected.items():
        row = grades[sid]
        assert row["status"] == status, (sid, row)
        assert {q: int(row[f"q{q}"]) for q in per_question} == scores, (sid, row)
        assert int(row["total"]) == sum(scores.values()) and int(row["max_total"]) == full
    assert grades["s01"]["reason"] == ""
    assert "not a number" in grades["s18"]["reason"] and "answer_2a" in grades["s18"]["reason"]
    assert "answer_1a): not a number: `sigma`" in grades["s18"]["reason"]
    assert "changed" in grades["s19"]["reason"]
    assert "not found" in grades["s20"]["reason"]
    assert "belongs to 's01'" in grades["s21"]["reason"]
    assert "no answer" in grades["s17"]["reason"]
    assert "q1 net (answer_1a): wrong" in grades["s24"]["reason"]


def test_make_is_deterministic_and_each_student_gets_their_own_numbers(tmp_path):
    first = _make(tmp_path / "a", ids=["s01", "s02"])
    second = _make(tmp_path / "b", ids=["s01", "s02"])
    for name in ("s01.ipynb", "s02.ipynb", "answer_key.csv"):
        assert (first / name).read_bytes() == (second / name).read_bytes()
    key = read_key(first / "answer_key.csv")
    assert {r.problem_id for r in key["s01"]}.isdisjoint({r.problem_id for r in key["s02"]})
    other = _make(tmp_path / "c", seed=2025, ids=["s01"])
    assert (other / "s01.ipynb").read_bytes() != (first / "s01.ipynb").read_bytes()


def test_the_self_check_cells_run_and_say_right_for_right_answers(tmp_path):
    out = _make(tmp_path, ids=["s01"])
    key = read_key(out / "answer_key.csv")["s01"]
    notebook = _fill(out / "s01.ipynb", {r.variable: repr(r.answer) for r in key})
    printed = []
    namespace = {"print": lambda *args: printed.append(" ".join(map(str, args)))}
    for cell in notebook.cells:  # the notebook's own generated cells, not student code
        if cell.cell_type == "code":
            exec(compile(cell.source, "<cell>", "exec"), namespace)
    assert len(printed) == len(key) and all("is right" in line for line in printed)
    answers = read_answers(notebook)
    assert {r.variable: answers[r.variable].value for r in key} == {
        r.variable: r.answer for r in key}


@pytest.mark.parametrize(("text", "message"), [
    ("", "is empty"),
    ("name,email\nAda,a@x\n", "no id column"),
    ("id,name\n", "no students"),
    ("id,name\ns01,A\ns02,B\ns01,C\n", "duplicate id 's01' on lines 2 and 4"),
    ("id,name\ns01,A\n,B\n", "line 3: the id is empty"),
    ("id\n../evil\n", "not allowed"),
])
def test_a_malformed_roster_is_a_usage_error(tmp_path, capsys, text, message):
    roster = tmp_path / "roster.csv"
    roster.write_text(text, encoding="utf-8")
    assert main(["make", "--roster", str(roster), "--seed", "1", "--out",
                 str(tmp_path / "out")]) == 2
    err = capsys.readouterr().err
    assert err.startswith("error: roster") and message in err
    assert not (tmp_path / "out").exists()


def test_roster_variants_that_are_fine(tmp_path):
    roster = tmp_path / "r.csv"
    roster.write_bytes("\ufeffStudent_ID,Name\n s01 ,Ada\n\n".encode())
    assert main(["make", "--roster", str(roster), "--seed", "3", "--out",
                 str(tmp_path / "out")]) == 0
    assert (tmp_path / "out" / "s01.ipynb").is_file()


def test_usage_errors_exit_with_status_2(tmp_path, capsys):
    roster = _roster(tmp_path / "roster.csv", ["s01"])
    for argv in ([], ["make"], ["teach"], ["make", "--roster", str(roster), "--seed", "x",
                                           "--out", str(tmp_path)]):
        with pytest.raises(SystemExit) as stop:
            main(argv)
        assert stop.value.code == 2
    capsys.readouterr()
    assert main(["make", "--roster", str(tmp_path / "none.csv"), "--seed", "1", "--out",
                 str(tmp_path / "o")]) == 2
    assert "cannot read roster" in capsys.readouterr().err
    out = _make(tmp_path, ids=["s01"])
    assert main(["make", "--roster", str(roster), "--seed", "1", "--out", str(out)]) == 2
    assert "--force" in capsys.readouterr().err
    assert main(["make", "--roster", str(roster), "--seed", "1", "--out", str(out),
                 "--force"]) == 0
    assert main(["grade", "--key", str(tmp_path / "nokey.csv"), "--submissions",
                 str(out)]) == 2
    assert "cannot read answer key" in capsys.readouterr().err
    bad_key = tmp_path / "bad.csv"
    bad_key.write_text("student_id,answer\ns01,0.5\n", encoding="utf-8")
    assert main(["grade", "--key", str(bad_key), "--submissions", str(out)]) == 2
    assert "lacks the column(s)" in capsys.readouterr().err
    assert main(["grade", "--key", str(out / "answer_key.csv"), "--submissions",
                 str(tmp_path / "nowhere")]) == 2
    assert "is not a folder" in capsys.readouterr().err
    assert main(["grade", "--key", str(out / "answer_key.csv"), "--submissions",
                 str(out)]) == 0
    assert (out / "grades.csv").is_file()


def test_python_dash_m_runs_the_tool():
    result = subprocess.run([sys.executable, "-m", "backprop.exercises", "grade"],
                            capture_output=True, text=True, check=False)
    assert result.returncode == 2 and "--key" in result.stderr
