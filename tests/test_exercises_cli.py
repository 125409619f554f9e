"""The instructors' tool end to end: a class of 200 with hostile submissions mixed in."""

import csv
import json
import re
import stat
import subprocess
import sys

import pytest
from exercise_handouts import fill_answers

from backprop.exercises import GENERATORS, read_answers, read_key
from backprop.exercises.cli import main
from backprop.exercises.notebooks import METADATA_KEY

CLASS = [f"s{n:03d}" for n in range(1, 201)]
SECRET = "ab" * 32


def _roster(path, ids=CLASS):
    path.write_text("id,name\n" + "".join(f"{i},Student {i}\n" for i in ids), encoding="utf-8")
    return path


def _make(tmp_path, ids=CLASS, secret=SECRET):
    tmp_path.mkdir(parents=True, exist_ok=True)
    secret_file = tmp_path / "given_secret.key"
    secret_file.write_text(secret + "\n", encoding="ascii")
    out = tmp_path / "class"
    assert main(["make", "--roster", str(_roster(tmp_path / "roster.csv", ids)),
                 "--secret", str(secret_file), "--out", str(out)]) == 0
    return out


def _load(path):
    return json.loads(path.read_text(encoding="utf-8"))


def _save(path, notebook):
    path.write_text(json.dumps(notebook), encoding="utf-8")


_fill = fill_answers


def _statement(notebook, question):
    return next(c for c in notebook["cells"]
                if c["metadata"].get(METADATA_KEY, {}).get("role") == "statement"
                and "".join(c["source"]).startswith(f"## Question {question}:"))


def _grades(path):
    with open(path, newline="", encoding="utf-8") as handle:
        return {row["student_id"]: row for row in csv.DictReader(handle)}


def test_make_and_grade_a_class_of_two_hundred_with_hostile_submissions(tmp_path, capsys):
    out = _make(tmp_path)
    handouts, instructor = out / "handouts", out / "instructor"
    key = read_key(instructor / "answer_key.csv")
    assert list(key) == CLASS and len(list(handouts.glob("*.ipynb"))) == 200
    per_question = {q: sum(1 for r in key["s001"] if r.question == q)
                    for q in range(1, len(GENERATORS) + 1)}
    full = sum(per_question.values())
    right = {sid: {r.variable: repr(r.answer) for r in rows} for sid, rows in key.items()}
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    expected = {}  # student -> (total, status)

    def hand_in(sid, notebook, name=None):
        _save(inbox / (name or f"{sid}.ipynb"), notebook)

    for sid in CLASS[:150]:  # right answers, as the key writes them
        hand_in(sid, _fill(_load(handouts / f"{sid}.ipynb"), right[sid]))
        expected[sid] = (full, "graded")
    hostile = iter(CLASS[150:])

    def next_student(total, status="graded"):
        sid = next(hostile)
        expected[sid] = (total, status)
        return sid, _load(handouts / f"{sid}.ipynb")

    sid, nb = next_student(full - 1)  # a 5,000-term sum in one answer (RecursionError)
    _fill(nb, dict(right[sid], answer_1a="+".join(["1"] * 5000)))
    hand_in(sid, nb)
    sid, nb = next_student(full - 1)  # 10,000 minus signs (MemoryError in the parser)
    _fill(nb, dict(right[sid], answer_3a="-" * 10000 + "1"))
    hand_in(sid, nb)
    sid, nb = next_student(full)  # the notebook's exercise metadata is a string
    _fill(nb, right[sid])
    nb["metadata"][METADATA_KEY] = "not a mapping"
    hand_in(sid, nb)
    sid, nb = next_student(full)  # every cell's metadata a string, one cell a number
    _fill(nb, right[sid])
    for cell in nb["cells"]:
        cell["metadata"] = "x"
    nb["cells"].append(42)
    hand_in(sid, nb)
    sid, nb = next_student(0, "unreadable")  # the cells are a mapping
    nb["cells"] = {"a": 1}
    hand_in(sid, nb)
    sid, _ = next_student(0, "unreadable")  # not JSON
    (inbox / f"{sid}.ipynb").write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00")
    sid, nb = next_student(full)  # a UTF-8 byte-order mark
    (inbox / f"{sid}.ipynb").write_bytes(b"\xef\xbb\xbf"
                                         + json.dumps(_fill(nb, right[sid])).encode())
    sid, nb = next_student(full)  # renamed by the LMS
    hand_in(sid, _fill(nb, right[sid]), name=f"{sid} (1).ipynb")
    renamed = sid
    sid, nb = next_student(full)  # Canvas's download name
    hand_in(sid, _fill(nb, right[sid]), name=f"doe_jane_123_456_{sid}.ipynb")
    canvas = sid
    sid, nb = next_student(full)  # a note in a question cell, another turned raw
    _fill(nb, right[sid])
    first = _statement(nb, 1)
    first["source"] = "".join(first["source"]) + "\n\nNOTE TO SELF: ask about the bias (2)."
    second = _statement(nb, 2)
    second["cell_type"], second["metadata"] = "raw", {}
    hand_in(sid, nb)
    sid, nb = next_student(full)  # all cell metadata stripped
    _fill(nb, right[sid])
    for cell in nb["cells"]:
        cell["metadata"] = {}
    hand_in(sid, nb)
    sid, nb = next_student(full - per_question[4], "graded")  # a given number changed in q4
    _fill(nb, right[sid])
    cell = _statement(nb, 4)
    cell["source"] = re.sub(r"o_6 = (\d)", r"o_6 = 9\1", "".join(cell["source"]), count=1)
    hand_in(sid, nb)
    tampered_q4 = sid
    sid, nb = next_student(0, "tampered")  # another student's notebook under this name
    hand_in(sid, _fill(_load(handouts / "s001.ipynb"), right["s001"]))
    copied = sid
    sid, nb = next_student(full)  # every readable form of answer
    forms = {row.variable: f"np.float64({row.answer!r})" for row in key[sid]}
    answers = {row.variable: row.answer for row in key[sid]}
    forms["answer_1a"] = f"round({answers['answer_1a']!r} + 0.00001, 4)"
    forms["answer_6a"] = f"{answers['answer_6a']!r} / 2 * 2"
    forms["answer_6b"] = f"{answers['answer_6b'] - answers['answer_6a']!r} + answer_6a"
    hand_in(sid, _fill(nb, forms))
    sid, nb = next_student(0, "missing")  # hands in nothing
    for sid in hostile:  # the rest hand in untouched notebooks
        hand_in(sid, _load(handouts / f"{sid}.ipynb"))
        expected[sid] = (0, "graded")
    (inbox / "stranger.ipynb").write_text("{}", encoding="utf-8")

    capsys.readouterr()
    assert main(["grade", "--key", str(instructor / "answer_key.csv"), "--submissions",
                 str(inbox), "--out", str(tmp_path / "grades.csv")]) == 0
    err = capsys.readouterr().err
    assert "stranger.ipynb names no student" in err and "missing" in err

    grades = _grades(tmp_path / "grades.csv")
    assert list(grades) == CLASS
    for sid, (total, status) in expected.items():
        row = grades[sid]
        assert (row["status"], float(row["total"])) == (status, total), (sid, row)
        assert float(row["max_total"]) == full
    assert grades[renamed]["file"] == f"{renamed} (1).ipynb"
    assert grades[canvas]["file"] == f"doe_jane_123_456_{canvas}.ipynb"
    assert "q4: the given numbers were changed" in grades[tampered_q4]["reason"]
    assert "notebook of 's001'" in grades[copied]["reason"]
    assert all((tmp_path / "feedback" / f"{sid}.md").is_file() for sid in CLASS)
    canvas_rows = list(csv.reader((tmp_path / "grades_canvas.csv").read_text(
        encoding="utf-8").splitlines()))
    assert canvas_rows[0][:5] == ["Student", "ID", "SIS User ID", "SIS Login ID", "Section"]
    assert canvas_rows[1][0] == "Points Possible" and len(canvas_rows) == 202
    moodle = list(csv.DictReader((tmp_path / "grades_moodle.csv").read_text(
        encoding="utf-8").splitlines()))
    assert [r["ID number"] for r in moodle] == CLASS


def test_make_is_deterministic_given_the_secret_and_keeps_secrets_private(tmp_path):
    first = _make(tmp_path / "a", ids=["s01", "s02"])
    second = _make(tmp_path / "b", ids=["s01", "s02"])
    for name in ("handouts/s01.ipynb", "handouts/s02.ipynb", "instructor/answer_key.csv",
                 "instructor/problems.json"):
        assert (first / name).read_bytes() == (second / name).read_bytes()
    other = _make(tmp_path / "c", ids=["s01"], secret="cd" * 32)
    assert (other / "handouts/s01.ipynb").read_bytes() != (first / "handouts/s01.ipynb"
                                                           ).read_bytes()
    instructor = first / "instructor"
    assert stat.S_IMODE(instructor.stat().st_mode) == 0o700
    for path in instructor.iterdir():
        assert stat.S_IMODE(path.stat().st_mode) == 0o600, path
    handout = (first / "handouts/s01.ipynb").read_text(encoding="utf-8")
    assert SECRET not in handout and not list((first / "handouts").glob("*.csv"))
    # make without --secret keeps the class's own secret, so a rerun is identical
    assert main(["make", "--roster", str(tmp_path / "a" / "roster.csv"), "--out", str(first),
                 "--force"]) == 0
    assert (first / "handouts/s01.ipynb").read_text(encoding="utf-8") == handout


def test_the_self_check_cells_run_and_say_right_for_right_answers(tmp_path, monkeypatch):
    # The cells run here as in a plain Python process, which has no cell history: another
    # test of this worker may have started an IPython shell, whose history would be read.
    monkeypatch.delitem(sys.modules, "IPython", raising=False)
    out = _make(tmp_path, ids=["s01"])
    key = read_key(out / "instructor" / "answer_key.csv")["s01"]
    notebook = _fill(_load(out / "handouts" / "s01.ipynb"), {r.variable: repr(r.answer)
                                                              for r in key})
    printed, sources = [], []
    namespace = {"print": lambda *args: printed.append(" ".join(map(str, args)))}
    for cell in notebook["cells"]:  # the notebook's own generated cells, not student code
        if cell["cell_type"] == "code":
            source = "".join(cell["source"])
            sources.append(source)
            exec(compile(source, "<cell>", "exec"), namespace)
    assert len(printed) == len(key) and all("is right" in line for line in printed)
    answers = read_answers(notebook)
    assert {r.variable: answers[r.variable].value for r in key} == {
        r.variable: r.answer for r in key}


@pytest.mark.parametrize(("text", "message"), [
    ("", "is empty"),
    ("name,email\nAda,a@x\n", "no id column"),
    ("id,name\n", "no students"),
    ("id,name\ns01,A\ns02,B\ns01,C\n", "duplicate id 's01' on lines 2 and 4"),
    ("id,name\ns01,A\nS01,B\n", "ids that differ only in case 's01' and 'S01' on lines 2 and 3"),
    ("id,name\ns01,A\n,B\n", "line 3: the id is empty"),
    ("id\n../evil\n", "not allowed"),
])
def test_a_malformed_roster_is_a_usage_error(tmp_path, capsys, text, message):
    roster = tmp_path / "roster.csv"
    roster.write_text(text, encoding="utf-8")
    assert main(["make", "--roster", str(roster), "--out", str(tmp_path / "out")]) == 2
    err = capsys.readouterr().err
    assert err.startswith("error: roster") and message in err and err.count("\n") == 1
    assert not (tmp_path / "out").exists()


@pytest.mark.parametrize(("data", "says"), [
    ("id,name\ns01,Zoë\n".encode("latin-1"), "Latin-1"),
    ("id,name\ns01,Zoë\n".encode("utf-16"), "UTF-16"),
])
def test_a_roster_that_is_not_utf8_says_how_to_resave_it(tmp_path, capsys, data, says):
    roster = tmp_path / "roster.csv"
    roster.write_bytes(data)
    assert main(["make", "--roster", str(roster), "--out", str(tmp_path / "out")]) == 2
    err = capsys.readouterr().err
    assert says in err and "CSV UTF-8" in err and "iconv" in err and "Traceback" not in err


def test_roster_variants_that_are_fine(tmp_path):
    roster = tmp_path / "r.csv"
    roster.write_bytes("\ufeffStudent_ID;Name\r\n s01 ;Ada, Countess\r\n\r\ns02;Bob\r\n".encode())
    assert main(["make", "--roster", str(roster), "--out", str(tmp_path / "out")]) == 0
    assert {p.name for p in (tmp_path / "out" / "handouts").iterdir()} == {
        "s01.ipynb", "s02.ipynb"}
    notebook = _load(tmp_path / "out" / "handouts" / "s01.ipynb")
    assert "s01 (Ada, Countess)" in "".join(notebook["cells"][0]["source"])


def test_usage_errors_exit_with_status_2_and_one_line(tmp_path, capsys):
    roster = _roster(tmp_path / "roster.csv", ["s01"])
    for argv in ([], ["make"], ["teach"]):
        with pytest.raises(SystemExit) as stop:
            main(argv)
        assert stop.value.code == 2
    capsys.readouterr()

    def refused(argv, says):
        assert main(argv) == 2
        err = capsys.readouterr().err
        assert says in err and err.count("\n") == 1 and "Traceback" not in err, err

    refused(["make", "--roster", str(tmp_path / "none.csv"), "--out", str(tmp_path / "o")],
            "cannot read roster")
    refused(["make", "--roster", str(roster), "--seed", "1", "--out", str(tmp_path / "o")],
            "--seed is no longer used")
    blocker = tmp_path / "a-file"
    blocker.write_text("x", encoding="utf-8")
    refused(["make", "--roster", str(roster), "--out", str(blocker / "class")],
            "cannot write into --out")
    refused(["make", "--roster", str(roster), "--out", str(blocker)], "is not a folder")
    out = _make(tmp_path, ids=["s01"])
    refused(["make", "--roster", str(roster), "--out", str(out)], "--force")
    assert main(["make", "--roster", str(roster), "--out", str(out), "--force"]) == 0
    key = str(out / "instructor" / "answer_key.csv")
    handouts = str(out / "handouts")
    refused(["grade", "--key", str(tmp_path / "nokey.csv"), "--submissions", handouts],
            "cannot read answer key")
    bad_key = tmp_path / "bad.csv"
    bad_key.write_text("student_id,answer\ns01,0.5\n", encoding="utf-8")
    refused(["grade", "--key", str(bad_key), "--submissions", handouts], "lacks the column(s)")
    refused(["grade", "--key", key, "--submissions", str(tmp_path / "nowhere")],
            "is not a folder")
    refused(["grade", "--key", key, "--submissions", handouts, "--out",
             str(blocker / "grades.csv")], "cannot write --out")
    refused(["grade", "--key", key, "--submissions", handouts, "--config",
             str(tmp_path / "none.toml")], "cannot read grading config")
    capsys.readouterr()
    assert main(["grade", "--key", key, "--submissions", handouts]) == 0
    assert (out / "handouts" / "grades.csv").is_file()


def test_python_dash_m_runs_the_tool():
    result = subprocess.run([sys.executable, "-m", "backprop.exercises", "grade"],
                            capture_output=True, text=True, check=False)
    assert result.returncode == 2 and "--key" in result.stderr
