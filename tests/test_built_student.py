"""The student edition, built (tests/built_editions.py): no answer and no solution text
on its pages or in its notebooks, its exercises kept, and every page accessible (axe-core
in Chromium, offline).

The answers are read from the chapters themselves (tests/leaks.py). Each page's answers
are searched in that page's built HTML and student notebook; a positive control finds
them in the instructor edition.

This file and test_built_book.py share one build of both editions and run on different
xdist workers (``--dist loadfile``), so the two editions' browser checks run side by side.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import axe_check
import nbformat
import pytest
from book_pages import (
    PAGES,
    open_page,
    page_text,
    serve,
    unexpected,
    wait_for_math,
    wait_for_widget_views,
)
from leaks import DIRECTIVE, answers, is_solution, shows, solution_texts

ROOT = Path(__file__).resolve().parent.parent
CHAPTERS = sorted((ROOT / "chapters").glob("*.ipynb"))


def test_every_chapter_from_3_on_has_three_exercises_with_solutions():
    for path in CHAPTERS:
        if int(path.name[:2]) < 3:
            continue
        notebook = nbformat.read(path, as_version=4)
        source = "\n".join(cell.source for cell in notebook.cells)
        exercises = len(re.findall(r"```\{exercise\}", source))
        solutions = sum(len(DIRECTIVE.findall(cell.source)) for cell in notebook.cells
                        if cell.cell_type == "markdown" and is_solution(cell))
        assert exercises >= 3, f"{path.name} has {exercises} exercises"
        assert solutions >= exercises, f"{path.name}: {solutions} tagged solutions"


def test_solutions_are_only_in_solution_cells():
    for path in CHAPTERS:
        notebook = nbformat.read(path, as_version=4)
        for cell in notebook.cells:
            if not is_solution(cell):
                assert "{solution}" not in cell.source, f"{path.name}: untagged solution"
                assert not re.search(r"glue\(\s*[\"']sol_", cell.source), (
                    f"{path.name}: a sol_ value glued by an untagged cell"
                )


def test_student_edition_holds_no_answer_and_no_solution_text(editions):
    student, instructor = editions["student"], editions["instructor"]
    checked = numbers = 0
    for path in CHAPTERS:
        notebook = nbformat.read(path, as_version=4)
        numeric = answers(notebook)
        numbers += len(numeric)
        secrets = numeric | set(solution_texts(notebook))
        page = path.with_suffix(".html").name
        student_html = page_text(student / "_build/html/chapters" / page)
        instructor_html = page_text(instructor / "_build/html/chapters" / page)
        student_notebook = json.dumps(
            json.loads((student / "chapters" / path.name).read_text()), ensure_ascii=False
        )
        for secret in secrets:
            assert shows(instructor_html, secret), f"{page}: {secret!r} not in the instructor"
            assert not shows(student_html, secret), f"{page}: {secret!r} leaks into the student"
            assert not shows(student_notebook, secret), (
                f"{path.name}: {secret!r} leaks into the student notebook"
            )
            checked += 1
    assert checked >= 36, f"only {checked} answers and solution texts were found to check"
    assert numbers >= 36, f"only {numbers} numeric answers were found to check"


def test_student_edition_keeps_the_exercises(editions):
    student = editions["student"]
    for path in CHAPTERS:
        if int(path.name[:2]) < 3:
            continue
        text = page_text(student / "_build/html/chapters" / path.with_suffix(".html").name)
        assert text.count("Exercise") >= 3, f"{path.name}: exercises missing from student HTML"
        assert "Solution to" not in text


@pytest.fixture(scope="module")
def served_student(editions):
    """The student edition's HTML on http://127.0.0.1:<port>/."""
    yield from serve(editions["student"] / "_build" / "html")



# Dark mode costs a second axe pass (its colour rules: 0.2-2.7 s a page), so it runs on the
# pages that hold, between them, every kind of box and view the book colours: the theme's
# header and sidebars (every page), the book's admonitions (analogy, memory hook, self-test,
# source note: chapter 2; why it matters: 14), exercise and proof boxes (2), each explorer
# (4, 7, 9, 12), wide tables (9, 14), and the "Check my answer" boxes (4). The solution
# boxes, the instructor edition's own, are checked in test_built_book.py.
DARK_MODE_STUDENT_PAGES = {f"chapters/{name}.html" for name in (
    "02_forward_and_backward", "04_sigmoid", "07_worked_example", "09_practical",
    "12_deeper_networks", "14_summary")}


@pytest.mark.parametrize("name", PAGES + ["search.html?q=delta"])
def test_student_page_is_accessible(browser, served_student, name):
    """The student edition (its "Check my answer" boxes instead of the solutions) passes
    axe-core, whole pages: the instructor edition's own part, the solutions, is checked
    in test_page_in_the_browser."""
    base, _ = served_student
    # no quiet wait: nothing here counts requests, and axe needs the math and the views
    page, problems = open_page(browser, base, name, 1280, settle=False)
    is_search = name.startswith("search.html")  # in dark mode too: its marks
    if is_search:
        page.wait_for_selector("#search-results li, ul.search li")
    else:
        wait_for_math(page)
        wait_for_widget_views(page)
    axe_check.assert_accessible(page, f"student {name}",
                                dark=name in DARK_MODE_STUDENT_PAGES or is_search)
    assert unexpected(problems) == [], f"student {name}: {unexpected(problems)}"
    page.context.close()
