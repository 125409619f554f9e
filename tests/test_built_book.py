"""Tests of the built book: the two editions, then every page in a real browser.

Both editions are written with tools/make_edition.py and built with Jupyter Book
(in parallel, into a temporary folder), once for this module.

Editions: the student edition holds no solution and no answer; the instructor
edition holds them all. The answers are read from the chapters
themselves: every number glued under a ``sol_`` key by a ``solution``-tagged cell,
formatted as the solution's ``{glue:text}`` role formats it, and a stretch of the
text of every solution. Each page's answers are searched in that page's built
HTML and student notebook; a positive control finds them in the instructor edition.
"""

from __future__ import annotations

import functools
import html
import json
import re
import subprocess
import sys
import threading
import time
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import unquote, urlsplit

import axe_check
import fontawesome_check
import nbformat
import pytest
from glue_roles import NUMBER_TEXT, roles
from leaks import shows
from page_weight import Weight, assert_within_budget
from tool_modules import load_test_module, load_tool

ROOT = Path(__file__).resolve().parent.parent
CHAPTERS = sorted((ROOT / "chapters").glob("*.ipynb"))
GLUE_TEXT = re.compile(r"\{glue:text\}`(sol_[A-Za-z0-9_]+)(?::([^`]*))?`")
JUPYTER_BOOK = Path(sys.executable).with_name("jupyter-book")  # installed beside this Python
DIRECTIVE = re.compile(r"```\{solution\}.*?\n(.*?)```", re.S)


def is_solution(cell) -> bool:
    return "solution" in cell.get("metadata", {}).get("tags", [])


def glued_numbers(notebook) -> dict[str, float]:
    """sol_ keys glued as numbers by solution cells, with their values."""
    values = {}
    for name, text in load_tool("answer_checks").solution_glue_records(notebook):
        try:
            values[name] = float(text)
        except ValueError:
            pass  # a string or an expression: covered by the text search
    return values


def solution_texts(notebook) -> list[str]:
    """A distinctive stretch of prose from every solution (markup and roles removed)."""
    texts = []
    for cell in notebook.cells:
        if cell.cell_type != "markdown" or not is_solution(cell):
            continue
        for body in DIRECTIVE.findall(cell.source):
            prose = [line for line in body.splitlines()
                     if line and not line.startswith(":") and "$" not in line
                     and "{" not in line and "|" not in line]
            words = " ".join(" ".join(prose).split()[:8])
            words = re.sub(r"[*_`]", "", words)
            if len(words) >= 25:
                texts.append(words)
    return texts


def answers(notebook) -> set[str]:
    """Every sol_ number, formatted as the solutions format it."""
    numbers = glued_numbers(notebook)
    shown = set()
    for cell in notebook.cells:
        if cell.cell_type == "markdown" and is_solution(cell):
            for key, spec in GLUE_TEXT.findall(cell.source):
                if key in numbers:
                    shown.add(format(numbers[key], spec or ""))
    return shown


def page_text(path: Path) -> str:
    """The visible text of a built page (tags removed, entities decoded)."""
    raw = path.read_text(encoding="utf-8")
    raw = re.sub(r"<(script|style)\b.*?</\1>", " ", raw, flags=re.S)
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", raw)).split())


def build_book(folder: Path) -> subprocess.Popen:
    """Start ``jupyter-book build`` on ``folder``; its whole output goes to build.log there."""
    log = (folder / "build.log").open("w")
    process = subprocess.Popen(
        [str(JUPYTER_BOOK), "build", str(folder), "-W", "-n", "--keep-going"],
        stdout=log, stderr=subprocess.STDOUT, text=True,
    )
    log.close()  # the child holds its own copy
    return process


def build_failure(name: str, folder: Path) -> str:
    """The build's own error lines (the kernel's among them), then the end of its log."""
    log = (folder / "build.log").read_text(errors="replace")
    errors = [line for line in log.splitlines()
              if re.search(r"Error|error:|WARNING|died", line) and "site-packages" not in line]
    return (f"{name} edition build failed (whole log: {folder / 'build.log'}).\n"
            + "Error lines:\n" + "\n".join(errors[:40]) + "\n...\nEnd of the log:\n"
            + log[-3000:])


@pytest.fixture(scope="module")
def editions(tmp_path_factory):
    """Both editions, written and built in parallel: {edition: folder}.

    They are built from the committed outputs (``--no-execute``): nbval checks those
    against a fresh run of every chapter under another BLAS kernel (portable_kernels.py),
    and test_portability_student.py runs the student notebooks without their solutions.
    """
    make_edition = load_tool("make_edition")
    base = tmp_path_factory.mktemp("editions")
    folders = {name: make_edition.make_edition(name, base / name, execute=False)
               for name in ("student", "instructor")}
    builds = {name: build_book(folder) for name, folder in folders.items()}
    try:
        for name, process in builds.items():
            if process.wait(timeout=1200) != 0:
                pytest.fail(build_failure(name, folders[name]))
    finally:
        for process in builds.values():  # a failed fixture leaves no build running
            if process.poll() is None:
                process.kill()
                process.wait()
    return folders


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


# ---------------------------------------------------------------------------------------------
# Every page of the table of contents in headless Chromium, offline.
#
# The built instructor edition is served on 127.0.0.1 and every request to any other host
# is blocked. For each page: it loads; math renders; every image loads; every internal link
# resolves; the explorers' widget views render; the console shows no error beyond the
# allow-list; at phone width (375 px) the page does not scroll sideways. Screenshots of each
# page go to screenshots/ for review.

SCREENSHOTS = ROOT / "screenshots"
PHONE_WIDTH = 375
# Console messages that are known, harmless, and not ours to fix (each says why):
CONSOLE_ALLOWED = [
    # sphinx-thebe includes its launcher script twice on every page.
    re.compile(r"Identifier 'THEBE_JS_URL' has already been declared"),
    # pydata-sphinx-theme logs this while it reads the saved light/dark preference.
    re.compile(r"invalid theme mode", re.I),
]


def toc_pages() -> list[str]:
    import yaml

    toc = yaml.safe_load((ROOT / "_toc.yml").read_text())
    files = [toc["root"]] + [c["file"] for part in toc["parts"] for c in part["chapters"]]
    return [f"{name}.html" for name in files]


PAGES = toc_pages()


class _QuietHandler(SimpleHTTPRequestHandler):
    # Keep-alive: one connection per browser socket instead of one per file. Every new
    # connection takes a local port, and a kernel starting meanwhile (nbval's, on the
    # other worker) can lose the port it was handed (see kernel_race.py).
    protocol_version = "HTTP/1.1"

    def log_message(self, format, *args):  # noqa: A002 - the stdlib's signature
        pass


@pytest.fixture(scope="module")
def served_book(editions):
    """The instructor edition's HTML on http://127.0.0.1:<port>/."""
    yield from serve(editions["instructor"] / "_build" / "html")


@pytest.fixture(scope="module")
def served_student(editions):
    """The student edition's HTML on http://127.0.0.1:<port>/."""
    yield from serve(editions["student"] / "_build" / "html")


def serve(html_root: Path):
    """Serve ``html_root`` until the generator is closed: yields (base URL, html_root)."""
    handler = functools.partial(_QuietHandler, directory=str(html_root))
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}/", html_root
    server.shutdown()
    server.server_close()


PAGE_TIMEOUT_MS = 120_000  # a busy 2-core CI machine has taken over 30 s to settle a page
QUIET_MS = 500  # as playwright's "networkidle": no request in flight for this long


def open_page(browser, base: str, name: str, width: int, weight: Weight | None = None):
    """Load a page with other hosts blocked; returns (page, problems list).

    Returns once no request has been in flight for QUIET_MS (MathJax and the widget
    manager fetch fonts and modules after the load event). A page that does not settle
    fails naming the requests still open.
    """
    context = browser.new_context(viewport={"width": width, "height": 900})
    context.set_default_timeout(PAGE_TIMEOUT_MS)
    page = context.new_page()
    problems: list[str] = []
    in_flight: dict[object, str] = {}

    def route(request_route):
        host = urlsplit(request_route.request.url).hostname
        if host == "127.0.0.1":
            request_route.continue_()
        else:
            problems.append(f"request to another host blocked: {request_route.request.url}")
            request_route.abort()

    page.route("**/*", route)
    if weight is not None:  # the page's requests and bytes (tests/page_weight.py)
        weight.attach(page)
    page.on("request", lambda r: in_flight.__setitem__(r, r.url))
    page.on("requestfinished", lambda r: in_flight.pop(r, None))
    page.on("requestfailed", lambda r: in_flight.pop(r, None))
    page.on("console", lambda m: m.type == "error" and problems.append(f"console: {m.text}"))
    page.on("pageerror", lambda e: problems.append(f"page error: {e}"))
    page.on("requestfailed", lambda r: "127.0.0.1" in r.url
            and problems.append(f"failed to load {r.url}"))
    page.on("response", lambda r: r.status >= 400 and problems.append(f"{r.status} {r.url}"))
    response = page.goto(base + name, wait_until="load")
    assert response is not None and response.ok, f"{name} did not load"
    wait_until_quiet(page, in_flight, name)
    return page, problems


def wait_until_quiet(page, in_flight: dict, name: str) -> None:
    deadline = time.monotonic() + PAGE_TIMEOUT_MS / 1000
    quiet_since = None
    while True:
        now = time.monotonic()
        if in_flight:
            quiet_since = None
        elif quiet_since is None:
            quiet_since = now
        elif now - quiet_since >= QUIET_MS / 1000:
            return
        assert now < deadline, (
            f"{name} still loading after {PAGE_TIMEOUT_MS / 1000:.0f} s: "
            f"{sorted(in_flight.values())}"
        )
        page.wait_for_timeout(50)  # lets playwright deliver the page's events


def wait_for_math(page) -> None:
    page.wait_for_function(
        "() => window.MathJax && MathJax.startup && MathJax.startup.promise"
    )
    page.evaluate("() => MathJax.startup.promise")


def wait_for_widget_views(page) -> None:
    """Every embedded widget view (the explorers) rendered by the widget manager."""
    views = page.locator('script[type="application/vnd.jupyter.widget-view+json"]').count()
    if views:
        page.wait_for_function(
            "n => document.querySelectorAll('.jupyter-widgets.widget-container, "
            ".jupyter-widgets.widget-inline-hbox, .widget-vbox').length >= n",
            arg=views,
        )


def unexpected(problems: list[str]) -> list[str]:
    return [p for p in problems if not any(rule.search(p) for rule in CONSOLE_ALLOWED)]


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
    axe_check.assert_accessible(page, f"instructor {name}", dark=name in DARK_MODE_PAGES)
    if name in TAB_STOPS_TO_EXPLORER:
        check_tab_stops_to_explorer(page, name, TAB_STOPS_TO_EXPLORER[name])
    for label, presses, expected in EXPLORER_MOVES.get(name, []):
        check_explorer_move(page, name, label, presses, expected)
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
    axe_check.assert_accessible(page, f"instructor search for {word!r}", dark=True)
    page.context.close()


# Dark mode costs a second axe pass (its colour rules: 0.2-2.7 s a page), so it runs on the
# pages that hold, between them, every kind of box and view the book colours: the theme's
# header and sidebars (every page), the book's admonitions (analogy, memory hook, self-test,
# source note: chapter 2; why it matters: 14), exercise, proof and solution boxes (2), each
# explorer (4, 7, 9, 12), wide tables (9, 14), search marks (search), and in the student
# edition the "Check my answer" boxes (4).
DARK_MODE_PAGES = {f"chapters/{name}.html" for name in (
    "02_forward_and_backward", "04_sigmoid", "07_worked_example", "09_practical",
    "12_deeper_networks", "14_summary")}
DARK_MODE_STUDENT_PAGES = {"chapters/04_sigmoid.html"}


@pytest.mark.parametrize("name", PAGES + ["search.html?q=delta"])
def test_student_page_is_accessible(browser, served_student, name):
    """The student edition (its "Check my answer" boxes instead of the solutions) passes
    axe-core too; the instructor edition's pages are checked in test_page_in_the_browser."""
    base, _ = served_student
    page, problems = open_page(browser, base, name, 1280)
    if name.startswith("search.html"):
        page.wait_for_selector("#search-results li, ul.search li")
    else:
        wait_for_math(page)
        wait_for_widget_views(page)
    axe_check.assert_accessible(page, f"student {name}", dark=name in DARK_MODE_STUDENT_PAGES)
    assert unexpected(problems) == [], f"student {name}: {unexpected(problems)}"
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
