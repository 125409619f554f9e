"""A student opens a reader notebook in JupyterLab and in Notebook 7: numbers, no raw MyST.

One JupyterLab server (over a temporary folder holding two student reader notebooks,
as ``make notebooks`` writes them) and two page loads in headless Chromium: the sigmoid
chapter in JupyterLab, the worked example in Notebook 7 (the same server's /notebooks/
page). Nothing is run: a reader notebook keeps its outputs so that it reads well before
it is run. In each page, every Markdown cell is rendered; every value the chapter's
prose pastes with a ``{glue:text}`` role is shown, formatted as the HTML book shows it;
and no MyST syntax that only the HTML book renders (``{glue``, ``{ref}``, ``{numref}``,
``{prf:``, ``{doc}``, a directive fence) is left in the page's text, nor an output the
front end cannot render. tests/test_live_jupyterlab.py runs the explorers live.
"""

from __future__ import annotations

import re
from pathlib import Path

import nbformat
import pytest
from live_server import NOTEBOOK7_PAGE_ERRORS, running_jupyterlab
from tool_modules import load_tool

ROOT = Path(__file__).resolve().parent.parent
PAGES = {"lab": "04_sigmoid.ipynb", "notebook": "07_worked_example.ipynb"}
RENDER_TIMEOUT_MS = 120_000
SCREENSHOTS = ROOT / "screenshots"

reader = load_tool("reader_notebooks")


def glued_texts(name: str) -> list[str]:
    """What the student edition's prose of chapter ``name`` pastes with ``{glue:text}``."""
    chapter = reader.student_notebook(nbformat.read(ROOT / "chapters" / name, as_version=4))
    converter = reader.ChapterConverter(reader.book_parser(), 0, name,
                                        reader.glue_values(chapter), {})
    markdown = "\n".join(cell.source for cell in chapter.cells if cell.cell_type == "markdown")
    return sorted({converter.glue_text(role)
                   for role in re.findall(r"\{glue:text\}`([^`]+)`", markdown)})


@pytest.fixture(scope="module")
def server(browser, tmp_path_factory):
    """``(base_url, token, readers)``: JupyterLab over the two student reader notebooks."""
    home = tmp_path_factory.mktemp("reader-lab")
    folder = home / "notebooks"
    folder.mkdir()
    readers = reader.reader_notebooks("student")
    for name in PAGES.values():
        nbformat.write(readers[name], folder / name)
    with running_jupyterlab(home, folder) as (base, token):
        yield base, token, readers


@pytest.mark.parametrize("frontend", sorted(PAGES))
def test_a_reader_notebook_shows_the_proses_numbers_and_no_raw_myst(browser, server, frontend):
    base, token, readers = server
    name = PAGES[frontend]
    notebook = readers[name]
    values = glued_texts(name)
    # a chapter's prose pastes dozens of values; most are numbers
    assert sum(bool(re.search(r"\d\.\d", value)) for value in values) >= 10, values
    markdown_cells = sum(cell.cell_type == "markdown" for cell in notebook.cells)

    page = browser.new_page(viewport={"width": 1400, "height": 1000})
    errors: list[str] = []
    known = NOTEBOOK7_PAGE_ERRORS if frontend == "notebook" else set()
    page.on("pageerror", lambda error: str(error) in known or errors.append(str(error)))
    if frontend == "lab":
        page.goto(f"{base}/lab/workspaces/reader/tree/{name}?token={token}")
    else:
        page.goto(f"{base}/notebooks/{name}?token={token}")
    try:
        # every Markdown cell rendered, and the pasted values among the page's text
        page.wait_for_function(
            "([count, values]) => {"
            " const cells = [...document.querySelectorAll('.jp-Notebook .jp-MarkdownCell')];"
            " if (cells.length !== count || cells.some(c =>"
            "   !c.querySelector('.jp-RenderedMarkdown'))) return false;"
            " const text = document.querySelector('.jp-Notebook').innerText;"
            " return values.every(v => text.includes(v)); }",
            arg=[markdown_cells, values], timeout=RENDER_TIMEOUT_MS)
    except Exception:
        SCREENSHOTS.mkdir(exist_ok=True)
        page.screenshot(path=str(SCREENSHOTS / f"reader-{frontend}-{name}.png"), full_page=True)
        text = page.locator(".jp-Notebook").first.inner_text() if page.locator(
            ".jp-Notebook").count() else ""
        missing = [value for value in values if value not in text]
        raise AssertionError(f"{frontend}: {name} does not show {missing[:10]} "
                             f"({page.locator('.jp-MarkdownCell').count()} of "
                             f"{markdown_cells} Markdown cells in the page)") from None

    prose = "\n".join(page.locator(".jp-MarkdownCell .jp-RenderedMarkdown").all_inner_texts())
    outputs = "\n".join(page.locator(".jp-OutputArea-output").all_inner_texts())
    left = [syntax for syntax in reader.MYST_ONLY if syntax in prose or syntax in outputs]
    assert left == [], f"{frontend}: raw MyST in {name}: {left}"
    assert "No renderer could be found" not in outputs
    # the prose is really rendered: a heading, a blockquote (an exercise), typeset math
    assert page.locator(".jp-RenderedMarkdown h1").count() == 1
    assert page.locator(".jp-RenderedMarkdown blockquote").count() >= 1
    page.wait_for_selector(".jp-RenderedMarkdown mjx-container", timeout=RENDER_TIMEOUT_MS)
    assert not errors, errors
    page.close()
