"""The explorers live in JupyterLab (and Notebook 7): a student runs a chapter and moves sliders.

A JupyterLab server is started on 127.0.0.1 over a temporary copy of chapters/ (the
frontend autosaves what it runs), and headless Chromium opens a chapter, runs all
its cells from the Run menu, and then, for one slider of every explorer, types a
new value into the slider's box as a student would. The explorer must answer in
the page: its text changes (to the number the engine computes for that value where
one is named below) and its figure is redrawn, with no traceback anywhere.

Chapters 9 and 12 are run as their explorer cells alone (``EXPLORERS_ONLY``).
Notebook 7 is the same server's /notebooks/ page; the sigmoid and worked-example
chapters run there as well. JupyterLab's settings for the run: every cell is
rendered (no windowing, so explorers below the fold exist in the page), the kernel
starts without a question, and no news is fetched.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import nbformat
import pytest
from live_server import NOTEBOOK7_PAGE_ERRORS, running_jupyterlab

from backprop.explorers import sigmoid_point, worked_example_state
from backprop.lecture import worked_3_2_1
from backprop.worked import format_number

ROOT = Path(__file__).resolve().parent.parent
RUN_TIMEOUT_MS = 180_000
SCREENSHOTS = ROOT / "screenshots"
ANSWER_TIMEOUT_MS = 30_000


# Chapters whose explorers are run here without the rest of the chapter: their other cells
# train networks for the figures (20-30 s more in a live kernel each), which nbval runs
# already. The explorer cells import what they need, so they run on their own.
EXPLORERS_ONLY = ("09_practical.ipynb", "12_deeper_networks.ipynb")
WIDGET_VIEW = "application/vnd.jupyter.widget-view+json"


def keep_explorer_cells(path: Path) -> int:
    """Rewrite the notebook at ``path`` with only its cells that show a widget view."""
    notebook = nbformat.read(path, as_version=4)
    notebook.cells = [cell for cell in notebook.cells if cell.cell_type == "code" and any(
        WIDGET_VIEW in output.get("data", {}) for output in cell.get("outputs", []))]
    nbformat.write(notebook, path)
    return len(notebook.cells)


@pytest.fixture(scope="module")
def jupyterlab(browser, tmp_path_factory):
    """``(base_url, token)`` of a JupyterLab server over a copy of the chapters."""
    home = tmp_path_factory.mktemp("jupyterlab")
    shutil.copytree(ROOT / "chapters", home / "chapters")
    for name in EXPLORERS_ONLY:
        assert keep_explorer_cells(home / "chapters" / name) >= 1, f"{name} shows no explorer"
    with running_jupyterlab(home, home / "chapters") as server:
        yield server


def run_notebook(browser, jupyterlab, name: str, frontend: str = "lab"):
    """Open ``name`` in JupyterLab, clear its outputs, run all its cells; return the page.

    Each notebook gets a workspace of its own (no tab of another test is restored),
    and the saved outputs are cleared first, so every explorer shown comes from this
    run and the run is over when every code cell shows an execution count.
    """
    base, token = jupyterlab
    page = browser.new_page(viewport={"width": 1400, "height": 1000})
    errors: list[str] = []
    known = NOTEBOOK7_PAGE_ERRORS if frontend == "notebook" else set()
    page.on("pageerror", lambda error: str(error) in known or errors.append(str(error)))
    if frontend == "lab":
        page.goto(f"{base}/lab/workspaces/{Path(name).stem}/tree/{name}?token={token}")
    else:  # Notebook 7, served by the same server
        page.goto(f"{base}/notebooks/{name}?token={token}")
    page.wait_for_selector(".jp-Notebook-ExecutionIndicator[data-status='idle']",
                           timeout=RUN_TIMEOUT_MS)
    page.wait_for_timeout(1000)
    dialog = page.locator(".jp-Dialog")
    if dialog.count():  # a kernel question despite the setting: take the proposed kernel
        dialog.locator(".jp-mod-accept").click()
        dialog.wait_for(state="detached")
    for menu, command in (("Edit", "Clear Outputs of All Cells"), ("Run", "Run All Cells")):
        page.click(f".lm-MenuBar-itemLabel:text-is('{menu}')")
        page.click(f".lm-Menu-itemLabel:text-is('{command}')")
    try:
        page.wait_for_selector(".widget-slider", timeout=RUN_TIMEOUT_MS)
        page.wait_for_function(
            "() => [...document.querySelectorAll('.jp-CodeCell .jp-InputPrompt')]"
            ".every(p => /\\[\\d+\\]/.test(p.textContent))", timeout=RUN_TIMEOUT_MS)
    except Exception:
        SCREENSHOTS.mkdir(exist_ok=True)
        page.screenshot(path=str(SCREENSHOTS / f"jupyterlab-{name}.png"))
        raise
    return page, errors


def move_slider(
    page, label: str, value: str, redraws: bool = True, expect: tuple[str, ...] = ()
) -> tuple[str, str]:
    """Type ``value`` into the box of the slider labelled ``label``, as a student does.

    Returns the explorer's text before and after its answer. The explorer is the output
    holding the slider and its view (``.bp-explorer``, drawn by the view's ES module in the
    page). The answer is there when the view's text has changed, contains every string of
    ``expect`` and, if ``redraws``, one of its SVG curves or shapes has moved.
    """
    slider = page.locator(".widget-slider", has=page.locator(f".widget-label:text-is('{label}')"))
    assert slider.count() >= 1, f"no slider labelled {label!r}"
    slider = slider.first
    explorer = page.locator(".jp-OutputArea-output", has=slider).first
    view = explorer.locator(".bp-explorer")
    assert view.count() == 1, f"the explorer of {label!r} shows no view"
    handle = view.element_handle()
    drawing = "element => [...element.querySelectorAll('svg path, svg circle, svg line')]" \
              ".map(n => (n.getAttribute('d') || '') + (n.getAttribute('cx') || '')" \
              " + (n.getAttribute('x1') || '') + (n.getAttribute('transform') || '')).join('|')"
    before_text = view.inner_text()
    before_drawing = page.evaluate(f"({drawing})", handle)
    # a screen reader names the handle after the visible label (nameSliders in js/dom.js)
    page.wait_for_function("([handle, label]) => handle.getAttribute('aria-label') === label",
                           arg=[slider.locator("[role=slider]").first.element_handle(), label],
                           timeout=ANSWER_TIMEOUT_MS)
    readout = slider.locator(".widget-readout")
    readout.click()
    page.keyboard.press("Control+a")
    page.keyboard.type(value)
    page.keyboard.press("Enter")
    try:
        page.wait_for_function(
            f"([element, text, drawn, redraws, expect]) => element.innerText !== text"
            f" && expect.every(part => element.innerText.includes(part))"
            f" && (!redraws || ({drawing})(element) !== drawn)",
            arg=[handle, before_text, before_drawing, redraws, list(expect)],
            timeout=ANSWER_TIMEOUT_MS)
    except Exception:
        SCREENSHOTS.mkdir(exist_ok=True)
        slider.screenshot(path=str(SCREENSHOTS / f"jupyterlab-slider-{value}.png"))
        changed = view.inner_text() != before_text
        raise AssertionError(f"no answer to {label} = {value}: text changed {changed}, "
                             f"readout {readout.inner_text()!r}, expected {expect}, text "
                             f"{view.inner_text()[:300]!r}") from None
    after_text = view.inner_text()
    assert "could not" not in after_text and "NaN" not in after_text, after_text
    return before_text, after_text


def assert_no_tracebacks(page, errors: list[str]) -> None:
    assert page.locator(".jp-OutputArea-output[data-mime-type*='stderr']:has-text('Error')"
                        ).count() == 0, "a cell printed an error"
    assert page.locator(".jp-OutputArea-output:has-text('Traceback')").count() == 0
    assert not errors, errors


@pytest.mark.parametrize("frontend", ["lab", "notebook"])
def test_sigmoid_explorer_live(browser, jupyterlab, frontend):
    page, errors = run_notebook(browser, jupyterlab, "04_sigmoid.ipynb", frontend)
    point = sigmoid_point(2.0)  # the engine's numbers for net = 2
    move_slider(page, "net input", "2",
                expect=(f"{point.value:.4f}", f"{1 - point.value:.4f}"))
    assert_no_tracebacks(page, errors)
    page.close()


@pytest.mark.parametrize("frontend", ["lab", "notebook"])
def test_worked_example_explorer_live(browser, jupyterlab, frontend):
    page, errors = run_notebook(browser, jupyterlab, "07_worked_example.ipynb", frontend)
    example = worked_3_2_1()  # the engine's E before and after, for each slider setting
    old = worked_example_state(example)
    new = worked_example_state(example, {"w_4,1": 1.0})
    # the edges stay where they are (only their labels change): no redraw to wait for
    before, _ = move_slider(page, "w4,1", "1", redraws=False,
                            expect=(f"= {format_number(new.error, 4)}",
                                    format_number(new.error_after, 4)))
    assert format_number(old.error, 4) in before
    stepped = worked_example_state(example, {"w_4,1": 1.0, "eta": 2.0})
    move_slider(page, "\u03b7 (eta)", "2", redraws=False,
                expect=(format_number(stepped.error_after, 4),))
    assert_no_tracebacks(page, errors)
    page.close()


@pytest.mark.parametrize(
    ("name", "moves"),
    [
        # the learning-rate explorer (eta, epochs), then the vanishing-gradient one (depth)
        ("09_practical.ipynb", [("\u03b7 (eta)", "1.5"), ("epochs", "100"), ("depth", "20")]),
        ("12_deeper_networks.ipynb", [("seed", "3"), ("epochs", "50"), ("\u03b7 (eta)", "0.02")]),
    ],
)
def test_training_explorers_live(browser, jupyterlab, name, moves):
    page, errors = run_notebook(browser, jupyterlab, name)
    for label, value in moves:
        move_slider(page, label, value)
    assert_no_tracebacks(page, errors)
    page.close()
