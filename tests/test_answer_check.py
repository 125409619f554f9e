"""The student edition's "Check my answer" boxes (tools/answer_checks.py, assets/answer-check.js).

First the boxes as tools/make_edition.py writes them into the student notebooks: every
exercise whose solution shows a number gets one, right after it; it holds digests that
the answers reproduce and no answer in clear (the answers are read as
tests/test_built_book.py reads them for its own leak check). Then a small student edition
(the self-test chapter alone, from its committed outputs; the whole edition is built by
tests/test_built_book.py) in headless Chromium: a right answer, the same answer in other
spellings, a wrong one, a browser without crypto.subtle, the script's rounding against
Python's, and the box at phone width with a visible focus ring.
"""

from __future__ import annotations

import hashlib
import html
import json
import random
import re
import subprocess
import sys
from decimal import Decimal
from pathlib import Path

import nbformat
import pytest
import yaml
from book_pages import unexpected
from leaks import GLUE_TEXT, answers, glued_numbers, is_solution, shows
from tool_modules import load_tool

ROOT = Path(__file__).resolve().parent.parent
CHAPTERS = sorted((ROOT / "chapters").glob("*.ipynb"))
JUPYTER_BOOK = Path(sys.executable).with_name("jupyter-book")
BROWSER_CHAPTER = "chapters/15_self_test"
BOX = re.compile(r'<div class="answer-check" .*?<p class="answer-check-result"[^>]*></p>\n</div>',
                 re.S)
SOLUTION_LABEL = re.compile(r"\{solution\}[ \t]*(\S+)")
LABEL_NUMBERS = re.compile(r"\(this exercise has (one numeric answer|\d+ numeric answers), to "
                           r"(whole numbers|\d+( or \d+)* decimal places?)\)</label>")


make_edition = load_tool("make_edition")
answer_checks = sys.modules["answer_checks"]  # make_edition imports it: one module, not two


def boxes_in(notebook) -> dict[str, str]:
    """{exercise label: box HTML} of every check box in a notebook's markdown cells."""
    found = {}
    for cell in notebook.cells:
        if cell.cell_type == "markdown":
            for box in BOX.findall(cell.source):
                label = re.search(r'data-exercise="([^"]+)"', box).group(1)
                assert label not in found, f"two boxes for {label}"
                found[label] = box
    return found


def box_data(box: str) -> list[dict]:
    return json.loads(html.unescape(re.search(r'data-answers="([^"]*)"', box).group(1)))


@pytest.fixture(scope="module")
def chapters():
    """[(path, original notebook, student notebook with boxes)] for every chapter."""
    result = []
    for path in CHAPTERS:
        original = nbformat.read(path, as_version=4)
        student = answer_checks.with_answer_checks(make_edition.student_notebook(original),
                                                   original)
        result.append((path, original, student))
    return result


# ---------------------------------------------------------------------------------------------
# The digest and its canonical form.

@pytest.mark.parametrize("text, decimals, expected", [
    ("0.4700", 4, "0.4700"), (".47", 4, "0.4700"), ("4.7e-1", 4, "0.4700"),
    ("0.47", 4, "0.4700"), ("+0.47", 4, "0.4700"), (" 0.470049 ", 4, "0.4700"),
    ("-0.0079", 4, "-0.0079"), ("-0.00785", 4, "-0.0079"), ("-0.00784999", 4, "-0.0078"),
    ("-0.00004", 4, "0.0000"), ("-0", 2, "0.00"), ("0.00005", 4, "0.0001"),
    ("0.125", 2, "0.13"), ("-0.125", 2, "-0.13"), ("2.5", 0, "3"), ("3000", 0, "3000"),
    ("2999.5", 0, "3000"), ("1e3", 2, "1000.00"), ("9.99996", 4, "10.0000"), ("007", 1, "7.0"),
])
def test_canonical_form(text, decimals, expected):
    assert answer_checks.canonical(text, decimals) == expected


@pytest.mark.parametrize("text", ["", "abc", "nan", "inf", "0.4.7", "1e"])
def test_canonical_form_refuses_what_is_no_number(text):
    with pytest.raises(ValueError):
        answer_checks.canonical(text, 4)


def test_digest_is_salted_sha256_of_the_canonical_form():
    expected = hashlib.sha256(b"ex-sigmoid-value#2:0.2350").hexdigest()
    assert answer_checks.digest("ex-sigmoid-value#2", "0.2350") == expected
    assert answer_checks.digest("ex-sigmoid-value#3", "0.2350") != expected


def test_a_number_shown_as_the_solution_shows_it():
    assert answer_checks.shown_text("0.2350037122", ".4f") == "0.2350"
    assert answer_checks.shown_text("0.3333333333", ".4g") == "0.3333"
    assert answer_checks.shown_text("0.0", ".1e") is None  # exponent: no decimals to round to
    assert answer_checks.shown_text("1.6", "") == "1.6"
    assert answer_checks.shown_text("217600.0", ",.0f") == "217600"  # printed 217,600


# ---------------------------------------------------------------------------------------------
# The boxes in the student notebooks.

def test_every_exercise_with_numeric_answers_gets_one_box(chapters):
    boxed = 0
    for path, original, student in chapters:
        numbers = glued_numbers(original)
        expected = set()  # exercises whose solution shows a glued number in decimal notation
        for cell in original.cells:
            if cell.cell_type != "markdown" or not is_solution(cell):
                continue
            for block in re.split(r"(?=`{3,}\{solution\})", cell.source):
                label = SOLUTION_LABEL.search(block)
                shows_number = any(key in numbers and "e" not in format(numbers[key], spec)
                                   for key, spec in GLUE_TEXT.findall(block))
                if label and shows_number:
                    expected.add(label.group(1))
        boxes = boxes_in(student)
        assert set(boxes) >= expected, f"{path.name}: no box for {expected - set(boxes)}"
        assert set(boxes) == set(answer_checks.solution_answers(original)), path.name
        boxed += len(boxes)
    assert boxed >= 36, f"only {boxed} exercises got a box"


def test_each_box_sits_right_after_its_exercise(chapters):
    for path, _, student in chapters:
        for cell in student.cells:
            for box in BOX.findall(cell.source):
                label = re.search(r'data-exercise="([^"]+)"', box).group(1)
                before = cell.source[:cell.source.index(box)].rstrip()
                assert f":label: {label}" in before, f"{path.name}: {label} box not in its cell"
                assert before.endswith("```"), f"{path.name}: {label} box not after the fence"
                assert before.rfind(":label: ") == before.find(f":label: {label}"), (
                    f"{path.name}: another exercise between {label} and its box")


def test_box_digests_are_the_answers_and_nothing_else(chapters):
    checked = 0
    for _, original, student in chapters:
        boxes = boxes_in(student)
        for label, parts in answer_checks.solution_answers(original).items():
            data = box_data(boxes[label])
            assert [set(entry) for entry in data] == [{"decimals", "salt", "digest"}] * len(parts)
            for part, entry in zip(parts, data):
                assert entry["salt"] == f"{label}#{part.part}"
                assert entry["decimals"] == part.decimals
                assert entry["digest"] == answer_checks.digest(
                    entry["salt"], answer_checks.canonical(part.shown, part.decimals))
                # One unit in the last place off is another digest: the check can say "wrong".
                step = Decimal(1).scaleb(-part.decimals)
                near = answer_checks.canonical(str(Decimal(part.shown) + step), part.decimals)
                assert answer_checks.digest(entry["salt"], near) != entry["digest"]
                checked += 1
            assert len({entry["digest"] for entry in data}) == len(data), (
                f"{label}: two parts share a digest")
    assert checked >= 150, f"only {checked} answers were checked"


def test_no_box_holds_an_answer_in_clear(chapters):
    checked = 0
    for path, original, student in chapters:
        # The answers as tests/test_built_book.py finds them, and as the boxes read them.
        secrets = answers(original) | {part.shown for parts in
                                       answer_checks.solution_answers(original).values()
                                       for part in parts}
        for box in boxes_in(student).values():
            # The digests are checked above; the rest of the box is what a reader could read.
            readable = re.sub(r'data-answers="[^"]*"', "", box)
            for entry in box_data(box):
                assert re.fullmatch(r"[0-9a-f]{64}", entry["digest"])
            # The label's numbers are the count of answers and their decimals, nothing else.
            readable, labels = LABEL_NUMBERS.subn("", readable)
            assert labels == 1, box
            for secret in secrets:
                # Whole numbers as whole tokens only: a "7" may be in a hex digest.
                pattern = (re.escape(secret) if "." in secret
                           else rf"(?<![\w.#-]){re.escape(secret)}(?![\w.])")
                assert not re.search(pattern, readable), f"{path.name}: {secret!r} in a box"
                checked += 1
    assert checked >= 300, f"only {checked} answer-box pairs were checked"


def test_the_boxes_change_nothing_else(chapters):
    for path, original, student in chapters:
        plain = make_edition.student_notebook(original)
        for cell in student.cells:
            cell.source = re.sub(r"\n\n" + BOX.pattern + r"\n", "", cell.source, flags=re.S)
        assert student == plain, f"{path.name}: more than the boxes changed"


def test_boxes_follow_each_exercise_in_a_shared_cell():
    def exercise(label: str, fence: str) -> str:
        return f"{fence}{{exercise}}\n:label: {label}\n\nCompute it.\n{fence}"

    def solution(label: str, key: str) -> str:
        return (f"````{{solution}} {label}\n:class: dropdown\n\n"
                f"It is {{glue:text}}`{key}:.4f`.\n````")

    def glued(key: str, value: float):
        return nbformat.v4.new_output("display_data", {
            "application/papermill.record/text/plain": repr(value)}, metadata={
            "scrapbook": {"name": key, "mime_prefix": "application/papermill.record/"}})

    cells = [
        nbformat.v4.new_markdown_cell(exercise("ex-a", "````") + "\n\nBetween.\n\n"
                                      + exercise("ex-b", "```") + "\n\nAfter."),
        nbformat.v4.new_markdown_cell(exercise("ex-prose", "```")),
        nbformat.v4.new_code_cell("glue(...)", metadata={"tags": ["solution"]},
                                  outputs=[glued("sol_a", 0.25), glued("sol_b", -0.5)]),
        nbformat.v4.new_markdown_cell(
            solution("ex-a", "sol_a") + "\n\n" + solution("ex-b", "sol_b"),
            metadata={"tags": ["solution"]}),
    ]
    original = nbformat.v4.new_notebook(cells=cells)
    student = answer_checks.with_answer_checks(make_edition.student_notebook(original), original)
    source = student.cells[0].source
    assert source.index("Compute it.") < source.index('data-exercise="ex-a"')
    assert source.index('data-exercise="ex-a"') < source.index("Between.")
    assert source.index("Between.") < source.index('data-exercise="ex-b"') < source.index("After.")
    assert "answer-check" not in student.cells[1].source  # no solution shows its numbers
    assert len(student.cells) == 2 and "answer-check" not in original.cells[0].source


def test_only_the_student_edition_loads_the_script():
    student = make_edition.edition_config("student")["sphinx"]["config"]
    instructor = make_edition.edition_config("instructor")["sphinx"]["config"]
    assert "answer-check.js" in student["html_js_files"]
    assert "answer-check.js" not in (instructor.get("html_js_files") or [])
    assert (ROOT / "assets" / "answer-check.js").is_file()


# ---------------------------------------------------------------------------------------------
# A small student edition in Chromium.

@pytest.fixture(scope="module")
def small_student_edition(tmp_path_factory) -> Path:
    """The student edition of the self-test chapter alone, built from its committed outputs.

    Without -W: the chapter refers to chapters this copy leaves out.
    """
    book = make_edition.make_edition("student", tmp_path_factory.mktemp("student") / "book",
                                     execute=False)
    for path in (book / "chapters").glob("*.ipynb"):
        if f"chapters/{path.stem}" != BROWSER_CHAPTER:
            path.unlink()
    toc = yaml.safe_load((book / "_toc.yml").read_text())
    toc["parts"] = [{"caption": "Self-test", "numbered": True,
                     "chapters": [{"file": BROWSER_CHAPTER}]}]
    (book / "_toc.yml").write_text(yaml.safe_dump(toc, sort_keys=False))
    result = subprocess.run([str(JUPYTER_BOOK), "build", str(book)], capture_output=True,
                            text=True, timeout=600)
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
    return book / "_build" / "html"


def chapter_answers() -> dict[str, list]:
    return answer_checks.solution_answers(
        nbformat.read(ROOT / f"{BROWSER_CHAPTER}.ipynb", as_version=4))


def open_chapter(browser, html_root: Path, width: int = 1280, init_script: str | None = None):
    """The chapter from file:// (a secure context in Chromium), other URLs refused; returns
    (page, console errors), to be filtered by test_built_book's allow-list of known ones."""
    context = browser.new_context(viewport={"width": width, "height": 900})
    if init_script:
        context.add_init_script(init_script)
    page = context.new_page()
    problems: list[str] = []
    page.route("**/*", lambda route: route.continue_() if route.request.url.startswith("file:")
               else route.abort())
    page.on("console", lambda m: m.type == "error" and problems.append(f"console: {m.text}"))
    page.on("pageerror", lambda e: problems.append(f"page error: {e}"))
    page.goto((html_root / f"{BROWSER_CHAPTER}.html").as_uri(), wait_until="load")
    page.wait_for_selector('.answer-check[data-ready="true"]')
    return page, problems


def matched_parts(message: str) -> set[int]:
    """The part numbers a "Right: ... answers 2 and 3 (of 6)." message names."""
    named = re.search(r"answers? ([\d, and]+) \(of", message)
    return {int(number) for number in re.findall(r"\d+", named.group(1))} if named else set()


def ask(page, label: str, text: str) -> str:
    """Types ``text`` into the exercise's box, presses Enter, returns the live region's text."""
    box = page.locator(f'.answer-check[data-exercise="{label}"]')
    result = box.locator(".answer-check-result")
    box.locator("input").fill(text)
    box.locator("input").press("Enter")
    result.locator("xpath=self::*[normalize-space(.) != '']").wait_for()
    return result.inner_text()


def test_the_built_page_holds_the_boxes_and_no_answer(small_student_edition):
    page = (small_student_edition / f"{BROWSER_CHAPTER}.html").read_text(encoding="utf-8")
    notebook = nbformat.read(ROOT / f"{BROWSER_CHAPTER}.ipynb", as_version=4)
    assert page.count('class="answer-check"') == len(chapter_answers()) >= 8
    assert re.search(r'<script src="[^"]*_static/answer-check\.js', page)
    for secret in answers(notebook):
        if "." in secret:  # whole numbers are everywhere in a page's markup
            assert not shows(page, secret), f"{secret!r} in the built student page"


def test_right_and_wrong_answers_in_the_browser(browser, small_student_edition):
    page, problems = open_chapter(browser, small_student_edition)
    first, second = chapter_answers()["ex-sigmoid-value"][:2]
    value = glued_numbers(nbformat.read(ROOT / f"{BROWSER_CHAPTER}.ipynb", as_version=4))
    right = format(value[second.key], ".4f")  # the derivative, formatted from the glued value
    region = page.locator('.answer-check[data-exercise="ex-sigmoid-value"] .answer-check-result')
    assert region.get_attribute("aria-live") == "polite"

    message = ask(page, "ex-sigmoid-value", right)
    assert message.startswith("Right") and second.part in matched_parts(message), message
    assert region.get_attribute("data-state") == "right"
    wrong = format(value[second.key] + 0.001, ".4f")
    assert ask(page, "ex-sigmoid-value", wrong).startswith("Not right")
    assert region.get_attribute("data-state") == "wrong"
    # Other spellings of the first answer: more digits, a decimal comma, no leading zero,
    # an exponent.
    shown = format(value[first.key], ".4f")
    for spelling in (format(value[first.key], ".7f"), shown.replace(".", ","),
                     shown.removeprefix("0"), f"{value[first.key] * 10:.5f}e-1"):
        assert first.part in matched_parts(ask(page, "ex-sigmoid-value", spelling)), spelling
    assert "one number" in ask(page, "ex-sigmoid-value", "0.2,3")
    # The button checks as Enter does.
    box = page.locator('.answer-check[data-exercise="ex-sigmoid-value"]')
    box.locator("input").fill(right)
    box.locator("button").click()
    region.locator("xpath=self::*[starts-with(normalize-space(.), 'Right')]").wait_for()
    assert unexpected(problems) == [], problems
    page.context.close()


def test_the_script_rounds_as_python_does(browser, small_student_edition):
    page, problems = open_chapter(browser, small_student_edition)
    generator = random.Random(14)
    cases = [(f"{generator.uniform(-20, 20):.{generator.randint(0, 9)}f}", generator.randint(0, 6))
             for _ in range(400)]
    cases += [(f"{generator.uniform(-9, 9):.6f}e{generator.randint(-8, 4)}",
               generator.randint(0, 6)) for _ in range(200)]
    cases += [(f"{n}.{'5' if n % 2 else '05'}", d) for n in range(-3, 4) for d in (0, 1, 2)]
    script = page.evaluate("cases => cases.map(c => courseAnswerCheck.canonical(c[0], c[1]))",
                           cases)
    expected = [answer_checks.canonical(text, decimals) for text, decimals in cases]
    mismatches = [(case, got, want) for case, got, want in zip(cases, script, expected)
                  if got != want]
    assert mismatches == [], mismatches[:10]
    # a whole number as the book prints it (217,600) is that number; elsewhere a comma is
    # a decimal comma
    grouped = [("217,600", 0, "217600"), ("1,796,010", 0, "1796010"), ("217,600", 1, "217.6"),
               ("0,47", 2, "0.47"), ("1,796,010", 1, None)]
    read = page.evaluate("cases => cases.map(c => courseAnswerCheck.canonical(c[0], c[1]))",
                         [case[:2] for case in grouped])
    assert read == [case[2] for case in grouped]
    assert unexpected(problems) == [], problems
    page.context.close()


def test_without_web_crypto_the_box_says_why(browser, small_student_edition):
    page, problems = open_chapter(
        browser, small_student_edition,
        init_script="Object.defineProperty(window.crypto, 'subtle', {value: undefined});")
    text = ask(page, "ex-sigmoid-value", "0.5")
    assert "cannot check answers on this page" in text and "https://" in text
    assert unexpected(problems) == [], problems
    page.context.close()


def test_the_box_at_phone_width_with_a_focus_ring(browser, small_student_edition):
    page, problems = open_chapter(browser, small_student_edition, width=375)
    box = page.locator('.answer-check[data-exercise="ex-extra-2-2-1"]')
    box.scroll_into_view_if_needed()
    for part in (box, box.locator("input"), box.locator("button")):
        edge = part.bounding_box()
        assert edge["x"] >= 0 and edge["x"] + edge["width"] <= 375, edge
    box.locator("input").focus()
    ring = box.locator("input").evaluate(
        "e => { const s = getComputedStyle(e); return [s.outlineStyle, s.outlineWidth]; }")
    assert ring == ["solid", "3px"]
    label_for = box.locator("label").get_attribute("for")
    assert box.locator("input").get_attribute("id") == label_for
    assert unexpected(problems) == [], problems
    page.context.close()
