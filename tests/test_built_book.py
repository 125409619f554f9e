"""Tests of the built book's instructor edition: every page in a real browser.

Both editions are written and built once per run (tests/built_editions.py); the student
edition's own checks (no answer, accessible) are in test_built_student.py, which runs on
the other xdist worker. For each page of this edition, offline: it loads; math renders;
every image loads; every internal link resolves; the explorers' widget views render and
answer the keyboard; axe-core finds nothing; the console shows no error beyond the
allow-list; the page keeps to the weight budget; at phone width it does not scroll
sideways. Then printing (make pdf), search, links, reader notebooks, fixed decimals and
alt text over both editions.
"""

from __future__ import annotations

import functools
import html
import json
import os
import re
from pathlib import Path
from urllib.parse import unquote, urlsplit

import axe_check
import fontawesome_check
import pytest
from book_pages import PAGES, open_page, serve, unexpected, wait_for_math, wait_for_widget_views
from glue_roles import NUMBER_TEXT, roles
from page_weight import Weight, assert_within_budget
from tool_modules import load_test_module, load_tool

ROOT = Path(__file__).resolve().parent.parent


# ---------------------------------------------------------------------------------------------
# Every page of the table of contents in headless Chromium, offline.
#
# The built instructor edition is served on 127.0.0.1 and every request to any other host
# is blocked. For each page: it loads; math renders; every image loads; every internal link
# resolves; the explorers' widget views render; the console shows no error beyond the
# allow-list; at phone width (375 px) the page does not scroll sideways. Screenshots of each
# page go to screenshots/ for review when BOOK_SCREENSHOTS is set.

SCREENSHOTS = ROOT / "screenshots"
# The screenshots are for a person to look at, not checks: a full-page PNG of a long chapter
# costs seconds, so they are taken only when asked for (BOOK_SCREENSHOTS=1 make test).
SCREENSHOTS_WANTED = bool(os.environ.get("BOOK_SCREENSHOTS"))
PHONE_WIDTH = 375


@pytest.fixture(scope="module")
def served_book(editions):
    """The instructor edition's HTML on http://127.0.0.1:<port>/."""
    yield from serve(editions["instructor"] / "_build" / "html")


# axe-core on this edition checks only what the student edition's pages lack, the solution
# boxes (sphinx-exercise's, folded by sphinx-togglebutton): the rest of each page is the
# student edition's HTML, whose whole pages test_built_student.py checks, in dark mode too.
# Unfolded, since axe skips what is hidden: on the pages whose solutions hold, between them,
# every kind of content a solution has (lists and math: 2; tables: 7; code: 15), in dark
# mode on one, as the boxes are alike. (axe on every whole page of both editions cost about
# a minute of each run and never looked inside a folded solution.)
SOLUTIONS = ".solution"
SOLUTION_PAGES = {f"chapters/{name}.html" for name in (
    "02_forward_and_backward", "07_worked_example", "15_self_test")}
DARK_SOLUTION_PAGE = "chapters/02_forward_and_backward.html"


def check_solutions_accessible(page, name: str) -> None:
    buttons = page.locator(f"{SOLUTIONS} .toggle-button")
    assert buttons.count() > 0, f"{name}: no folded solution to check"
    for index in range(buttons.count()):
        buttons.nth(index).click()
    page.wait_for_function(f"() => !document.querySelector('{SOLUTIONS}.toggle-hidden')")
    axe_check.assert_accessible(page, f"instructor {name} solutions", within=SOLUTIONS,
                                dark=name == DARK_SOLUTION_PAGE)


@pytest.mark.parametrize("name", PAGES)
def test_page_in_the_browser(browser, served_book, name):
    base, html_root = served_book
    weight = Weight()
    page, problems = open_page(browser, base, name, 1280, weight)
    wait_for_math(page)
    # Math renders: MathJax containers present, no MathJax errors, no raw TeX left over.
    has_math = page.locator(".math, div.math, span.math").count() > 0
    if has_math:
        assert page.locator("mjx-container").count() > 0, f"{name}: no math rendered"
    assert page.locator("mjx-merror, .MathJax_Error").count() == 0, f"{name}: MathJax error"
    # Every image loaded.
    broken = page.evaluate(
        """() => Array.from(document.images)
               .filter(img => !(img.complete && img.naturalWidth > 0))
               .map(img => img.src)"""
    )
    assert broken == [], f"{name}: images that did not load: {broken}"
    wait_for_widget_views(page)
    # every icon in the theme's Font Awesome 6 from its subset font; no Font Awesome 5
    fontawesome_check.check_icons(page, html_root, weight.requests)
    if name in TAB_STOPS_TO_EXPLORER:
        check_tab_stops_to_explorer(page, name, TAB_STOPS_TO_EXPLORER[name])
    check_readouts_as_given(page, name)  # before any move: every slider holds a given
    for label, presses, expected in EXPLORER_MOVES.get(name, []):
        check_explorer_move(page, name, label, presses, expected)
    if name in SOLUTION_PAGES:  # unfolds them: after the checks that count tab stops
        check_solutions_accessible(page, name)
    if SCREENSHOTS_WANTED:
        SCREENSHOTS.mkdir(exist_ok=True)
        page.screenshot(path=str(SCREENSHOTS / f"{Path(name).stem}.png"), full_page=True)
    # The same page at phone width (one load serves both checks: loading and typesetting
    # a page is most of a browser test's time).
    page.set_viewport_size({"width": PHONE_WIDTH, "height": 900})
    page.evaluate("() => new Promise(done => requestAnimationFrame(() => "
                  "requestAnimationFrame(done)))")
    check_phone_width(page, name)
    assert unexpected(problems) == [], f"{name}: {unexpected(problems)}"
    assert_within_budget(name, weight)  # at most 60 requests and 1.5 MB gzipped
    page.context.close()


# Each explorer computes in the page: a slider of every explorer is moved from the keyboard
# (focus its handle, press the arrow keys, as a reader without a mouse does), and the
# numbers the view then shows must be the engine's for the slider's new value. Per page:
# (slider label, arrow presses (negative: left), the engine's texts {data-key: text} after
# the move, from the explorer's own tests in tests/explorers/).
def _explorer_tests(name: str):
    return load_test_module(f"explorers/test_{name}.py")


def _moved(build, key: str, presses: int) -> dict:
    """The explorer's values after ``presses`` steps of its control ``key``, as the chapter
    builds it (so the start and step are the chapter's, not typed here)."""
    box = build()
    control = box.controls[key]
    new = min(max(control.value + presses * control.step, control.min), control.max)
    return {key: round(new, 10)}


def _sigmoid_after(presses: int) -> dict:
    from backprop.explorers import sigmoid_explorer

    net = _moved(sigmoid_explorer, "net", presses)["net"]
    return _explorer_tests("sigmoid").engine_texts(net)


def _worked_after(example_name: str, presses: dict[str, int]) -> dict:
    """The worked explorer's texts after the moves ``{key: presses}`` made so far."""
    from backprop import lecture
    from backprop.explorers import worked_example_explorer

    make = getattr(lecture, example_name)
    values = {}
    for key, count in presses.items():
        values.update(_moved(lambda: worked_example_explorer(make()), key, count))
    return _explorer_tests("worked_example").engine_texts(make(), values)


def _learning_rate_after(presses: int) -> dict:
    from backprop.experiments import learning_rate_curves
    from backprop.explorers import learning_rate_explorer

    tests = _explorer_tests("learning_rate")
    box = learning_rate_explorer()
    epochs = int(_moved(learning_rate_explorer, "epochs", presses)["epochs"])
    references = learning_rate_curves(tests.REFERENCE_ETAS, tests.MAX_EPOCHS, tests.SEED)
    return tests.engine_texts(box.controls["eta"].value, epochs, references)[0]


def _vanishing_after(presses: int) -> dict:
    from backprop.explorers import vanishing_gradient_explorer

    box = vanishing_gradient_explorer()
    depth = int(_moved(vanishing_gradient_explorer, "depth", presses)["depth"])
    texts, _ = _explorer_tests("vanishing_gradient").engine_texts(
        depth, box.controls["activation"].value, box.controls["scheme"].value)
    return texts


def _post002_after(presses: dict) -> dict:
    """After the moves so far on the page ({control: presses}, in order)."""
    from backprop.explorers import post002_explorer

    box = post002_explorer()
    values = {name: control.value for name, control in box.controls.items()}
    for key, count in presses.items():
        values.update(_moved(post002_explorer, key, count))
    texts, _ = _explorer_tests("post002").engine_texts(
        values["eta"], int(values["epochs"]), int(values["seed"]))
    return texts


EXPLORER_MOVES = {
    "chapters/04_sigmoid.html": [("net input", 7, lambda: _sigmoid_after(7))],
    "chapters/07_worked_example.html": [
        # the second move's numbers include the first's: the page keeps both
        ("w4,1", 5, lambda: _worked_after("worked_3_2_1", {"w_4,1": 5})),
        ("\u03b7 (eta)", -3, lambda: _worked_after("worked_3_2_1", {"w_4,1": 5, "eta": -3}))],
    "chapters/09_practical.html": [
        ("epochs", -5, lambda: _learning_rate_after(-5)),
        ("depth", 3, lambda: _vanishing_after(3))],
    "chapters/12_deeper_networks.html": [
        ("seed", 2, lambda: _post002_after({"seed": 2})),
        ("epochs", 3, lambda: _post002_after({"seed": 2, "epochs": 3}))],
    "chapters/10_multiple_outputs.html": [
        ("w6,4", 4, lambda: _worked_after("multi_output_2_2_2", {"w_6,4": 4}))],
}


# A keyboard user reaches the explorer of chapter 7 (the page with the most equations)
# within this many Tab stops from the top of the page: the equations are not Tab stops.
TAB_STOPS_TO_EXPLORER = {"chapters/07_worked_example.html": 40}


def check_tab_stops_to_explorer(page, name: str, most: int) -> None:
    page.evaluate("() => { document.activeElement && document.activeElement.blur(); "
                  "window.scrollTo(0, 0); }")
    in_explorer = ("() => { const a = document.activeElement; return !!(a && a.closest("
                   "'.widget-slider, .bp-explorer, .jupyter-widgets')); }")
    equations = 0
    for _ in range(most):
        page.keyboard.press("Tab")
        if page.evaluate(in_explorer):
            return
        equations += page.evaluate(
            "() => !!(document.activeElement && document.activeElement.closest('mjx-container'))")
    raise AssertionError(f"{name}: the explorer is not among the first {most} Tab stops "
                         f"({equations} of them were equations)")


def check_explorer_move(page, name: str, label: str, presses: int, expected) -> None:
    slider = page.locator(".widget-slider", has=page.locator(f".widget-label:text-is('{label}')"))
    assert slider.count() >= 1, f"{name}: no slider labelled {label!r}"
    slider = slider.first
    # the explorer's view: the nearest ancestor of the slider that holds one
    view = slider.element_handle().evaluate_handle(
        "element => { let a = element; while (a && !a.querySelector('.bp-explorer')) "
        "a = a.parentElement; return a && a.querySelector('.bp-explorer'); }")
    assert view.as_element() is not None, f"{name}: the slider {label!r} drives no view"
    slider.locator("[role=slider]").first.focus()
    for _ in range(abs(presses)):
        page.keyboard.press("ArrowRight" if presses > 0 else "ArrowLeft")
    want = expected()
    read = ("view => Object.fromEntries([...view.querySelectorAll('[data-key]')]"
            ".map(n => [n.dataset.key, n.textContent]))")
    try:
        page.wait_for_function(
            f"([view, want]) => {{ const shown = ({read})(view);"
            " return Object.entries(want).every(([k, v]) => shown[k] === v); }",
            arg=[view, want], timeout=5_000)
    except Exception:
        shown = page.evaluate(read, view)
        raise AssertionError(f"{name}: after {presses} presses on {label!r} the view shows "
                             f"{ {k: shown.get(k) for k in want} }, the engine {want}") from None


def check_readouts_as_given(page, name: str) -> None:
    """Every slider's readout writes its number as given, as the views do (0.5, not 0.500):
    on a page just loaded, each slider holds a number the chapter set."""
    readouts = page.eval_on_selector_all(
        ".widget-slider", "nodes => nodes.map(n => [n.querySelector('.widget-label')"
        ".textContent, n.querySelector('.widget-readout').textContent])")
    padded = [(label, text) for label, text in readouts if re.fullmatch(r"\D?\d+\.\d*0", text)]
    assert not padded, f"{name}: slider readouts with padded zeros: {padded}"


def check_phone_width(page, name: str) -> None:
    """At 375 px the page does not scroll sideways and no article text runs off the screen."""
    overflow = page.evaluate(
        """() => {
            const width = document.documentElement.clientWidth;
            // Visible text of the article that runs off the screen. Text inside a box that
            // scrolls on its own (a wide table or equation) is fine: the page does not move.
            const scrollsOnItsOwn = el => {
                for (let a = el.parentElement; a && a !== document.body; a = a.parentElement) {
                    if (['auto', 'scroll'].includes(getComputedStyle(a).overflowX)) return true;
                }
                return false;
            };
            const wide = Array.from(document.querySelectorAll(
                    'article p, article li, article h1, article h2, article h3'))
                .filter(el => el.offsetParent !== null && !scrollsOnItsOwn(el))
                .filter(el => el.getBoundingClientRect().right > width + 1)
                .map(el => el.textContent.slice(0, 60));
            return {scroll: document.documentElement.scrollWidth, width, wide};
        }"""
    )
    if SCREENSHOTS_WANTED:
        SCREENSHOTS.mkdir(exist_ok=True)
        page.screenshot(path=str(SCREENSHOTS / f"{Path(name).stem}-phone.png"))
    assert overflow["scroll"] <= overflow["width"] + 1, f"{name} scrolls sideways: {overflow}"
    assert overflow["wide"] == [], f"{name}: text wider than the screen: {overflow['wide']}"


def test_a_chapter_prints_as_a_numbered_handout_and_a_book_with_contents(browser, served_book,
                                                                         tmp_path):
    """`make pdf` (tools/make_pdf.py) on the instructor edition's chapter 7: a contents page
    with the book's title, the chapter's numbered title, a number of its worked example, its
    solutions open without the toggle's hint, its explorer's numbers without the slider's
    readout, every page numbered, and a bookmark to the chapter."""
    from pypdf import PdfReader

    from backprop.lecture import worked_3_2_1

    _, html_root = served_book
    make_pdf = load_tool("make_pdf")
    chapter = "chapters/07_worked_example"
    handouts, total = make_pdf.make_book(browser, html_root, tmp_path, [chapter])
    handout, book = PdfReader(handouts[0]), PdfReader(tmp_path / "book.pdf")
    assert total == len(book.pages) == 1 + len(handout.pages) and len(handout.pages) >= 5
    contents = " ".join(book.pages[0].extract_text().split())
    assert "Backpropagation, computed (instructor edition)" in contents
    assert "7. A complete worked example 2" in contents  # the chapter starts on page 2
    assert [(item.title, book.get_destination_page_number(item)) for item in book.outline] == [
        ("7. A complete worked example", 1)]
    for number, page in enumerate(book.pages, start=1):  # the book's numbers run through
        assert page.extract_text().rstrip().endswith(str(number)), number
    assert handout.pages[1].extract_text().rstrip().endswith("2")  # the handout's from 1
    text = " ".join(" ".join(page.extract_text().split()) for page in handout.pages)
    example = worked_3_2_1()
    output = example.network.forward(example.x).outputs[-1][0]
    assert "7. A complete worked example" in text and f"{output:.4f}" in text
    assert "Solution to Exercise 7.1" in text and "Click to" not in text
    assert "E before the step =" in text  # the explorer's numbers print,
    assert "reset" not in text  # its buttons do not


@pytest.mark.parametrize("name", PAGES)
def test_internal_links_resolve(served_book, name):
    _, html_root = served_book
    page_path = html_root / name
    source = page_path.read_text(encoding="utf-8")
    missing = []
    for href in re.findall(r'href="([^"]+)"', source):
        parts = urlsplit(html.unescape(href))
        if parts.scheme or parts.netloc or href.startswith(("mailto:", "javascript:")):
            continue
        target = (page_path.parent / unquote(parts.path)).resolve() if parts.path else page_path
        if target.is_dir():
            target = target / "index.html"
        if not target.exists():
            missing.append(href)
        elif parts.fragment and target.suffix == ".html":
            ids = _ids(target)
            if unquote(parts.fragment) not in ids:
                missing.append(href)
    assert missing == [], f"{name}: links that do not resolve: {missing}"
    # a page without an icon link makes the browser ask for /favicon.ico: a 404 on any host
    icons = re.findall(r'<link rel="icon" href="([^"]+)"', source)
    assert icons, f"{name}: no <link rel=\"icon\">"


@functools.cache
def _ids(path: Path) -> frozenset[str]:
    return frozenset(re.findall(r'\bid="([^"]+)"', path.read_text(encoding="utf-8")))


@pytest.mark.parametrize("word", ["delta", "sigmoid"])
def test_search_finds(browser, served_book, word):
    base, _ = served_book
    weight = Weight()
    page, problems = open_page(browser, base, f"search.html?q={word}", 1280, weight)
    assert_within_budget("search.html", weight)
    page.wait_for_selector("#search-results li, ul.search li")
    hits = page.locator("#search-results li, ul.search li").count()
    assert hits >= 3, f"search for {word!r} found {hits} pages"
    # its page is the student edition's search page, which test_built_student.py checks
    page.context.close()


# ---------------------------------------------------------------------------------------------
# Links and reader notebooks of the built editions.

PLACEHOLDERS = ("backprop-course/backprop-course", "executablebooks/jupyter-book")


def test_no_page_links_a_placeholder_or_an_unset_repository(editions):
    """With no repository set there is no repository or launch button, and no placeholder."""
    for name, folder in editions.items():
        for page in sorted((folder / "_build" / "html").rglob("*.html")):
            source = page.read_text(encoding="utf-8")
            for placeholder in PLACEHOLDERS:
                assert placeholder not in source, f"{name} {page.name}: {placeholder}"
            for host in ("mybinder.org", "colab.research.google.com"):
                assert f'href="https://{host}' not in source, f"{name} {page.name}: {host}"


def test_reader_notebooks_show_the_numbers_of_the_html_book(editions, tmp_path):
    """Every value, number and reference text of each edition's pages is in its readers."""
    reader = load_tool("reader_notebooks")
    out = tmp_path / "reader"
    reader.write_reader_notebooks(out)
    for name, folder in editions.items():
        html_chapters = folder / "_build" / "html" / "chapters"
        assert reader.html_mismatches(html_chapters, out / name) == [], name


PASTED = re.compile(r'<span class="pasted-text">([^<]*)</span>')


def test_pasted_numbers_keep_fixed_decimals_on_every_page(editions):
    """Every number a page pastes into its prose is one that follows the book's rule
    (glue_roles.py): the fixed places of its role's spec, or the exact value."""
    checked = 0
    for name, folder in editions.items():
        for notebook in sorted((folder / "chapters").glob("*.ipynb")):
            page = folder / "_build" / "html" / "chapters" / f"{notebook.stem}.html"
            pasted = [html.unescape(text) for text in PASTED.findall(page.read_text())]
            allowed = {role.shown for role in roles(json.loads(notebook.read_text()))
                       if role.problem() is None}
            numbers = [text for text in pasted if NUMBER_TEXT.fullmatch(text)]
            assert [text for text in numbers if text not in allowed] == [], (
                f"{name} {page.name}: pasted numbers that no rule-abiding role shows")
            checked += len(numbers)
    assert checked > 1000  # both editions, every chapter


IMAGE = re.compile(r"<img\b[^>]*>")
ALT = re.compile(r'\balt="([^"]*)"')


def test_every_image_of_both_editions_has_alt_text_that_describes_it(editions):
    """What a screen reader announces for each figure of the built pages: the rule of
    test_figure_alt.py, on the HTML (where a missing alt becomes the image's path)."""
    alt_problem = load_test_module("test_figure_alt.py").alt_problem
    problems, checked = [], 0
    for name, folder in editions.items():
        for page in sorted((folder / "_build" / "html").rglob("*.html")):
            for tag in IMAGE.findall(page.read_text(encoding="utf-8")):
                alt = ALT.search(tag)
                problem = alt_problem(html.unescape(alt.group(1)) if alt else None)
                if problem:
                    problems.append(f"{name} {page.name}: {problem}")
                checked += 1
    assert problems == []
    assert checked >= 40  # the figures of both editions
