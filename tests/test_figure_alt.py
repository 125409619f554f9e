"""Every figure of every chapter has alt text that says what it shows (issue 16).

myst-nb gives a figure output the ``alt`` of its cell's ``mystnb.image`` metadata;
without it the page's ``<img>`` has the image's file path as its alt text. A figure
is any stored ``image/png`` or ``image/svg+xml`` output. Alt text describes what is
plotted and the trend to see; it quotes no measured value (a decimal typed by hand
would go stale when the engine changes), so it stays true after re-execution.
"""

from __future__ import annotations

import re
from pathlib import Path

import nbformat
import pytest

CHAPTERS = sorted((Path(__file__).resolve().parents[1] / "chapters").glob("*.ipynb"))
FIGURE_TYPES = {"image/png", "image/svg+xml"}
FEWEST_WORDS = 8
# A file name or path ("fig.png", "_build/.../abc123.png"), or a hash-like word.
PATH_LIKE = re.compile(r"[\\/]|\.(png|svg|jpe?g|gif|pdf)\b|\b[0-9a-f]{16,}\b", re.IGNORECASE)
# A measured value typed by hand: a decimal (0.47, -1.5e-3) or a number of three digits or
# more ("post 001" is a name).
TYPED_VALUE = re.compile(r"\d\.\d|\b[1-9]\d{2,}\b")


def alt_problem(alt) -> str | None:
    """Why ``alt`` is not usable alt text, or None when it is."""
    if not isinstance(alt, str) or not alt.strip():
        return "no alt text (mystnb.image.alt in the cell's metadata)"
    if PATH_LIKE.search(alt):
        return f"alt text is a file name or path: {alt!r}"
    if len(alt.split()) < FEWEST_WORDS:
        return f"alt text says too little ({len(alt.split())} words, want {FEWEST_WORDS}+): {alt!r}"
    if alt.lower().startswith(("figure", "fig.", "image", "plot of")):
        return f"alt text names the figure instead of describing it: {alt!r}"
    value = TYPED_VALUE.search(alt)
    if value:
        return f"alt text quotes a value typed by hand ({value.group()!r}): keep it qualitative"
    return None


def figure_cells(path: Path):
    """``(cell index, cell)`` of every code cell of ``path`` with a stored figure output."""
    notebook = nbformat.read(path, as_version=4)
    for index, cell in enumerate(notebook.cells):
        if cell.cell_type != "code":
            continue
        if any(FIGURE_TYPES & set(output.get("data", {})) for output in cell.get("outputs", [])):
            yield index, cell


@pytest.mark.parametrize("path", CHAPTERS, ids=[p.stem for p in CHAPTERS])
def test_every_figure_has_alt_text_that_describes_it(path):
    problems = []
    for index, cell in figure_cells(path):
        problem = alt_problem(cell.metadata.get("mystnb", {}).get("image", {}).get("alt"))
        if problem:
            name = cell.metadata.get("mystnb", {}).get("figure", {}).get("name", "(no name)")
            problems.append(f"cell {index} ({name}): {problem}")
    assert not problems, f"{path.name}:\n" + "\n".join(problems)


def test_the_book_has_figures_to_check():
    """The check above is not vacuous: the chapters' stored outputs hold the book's figures."""
    assert sum(1 for path in CHAPTERS for _ in figure_cells(path)) >= 20


@pytest.mark.parametrize("alt", [
    None, "", "   ", "../_build/jupyter_execute/3f2a9c.png", "fig-xor-loss.png",
    "Figure 3", "Training error curve.", "Figure 3 shows the training error falling over epochs",
    "The training error falls from 0.47 to 0.002 over the epochs of the run shown here",
])
def test_alt_problem_rejects(alt):
    assert alt_problem(alt) is not None


def test_alt_problem_accepts_a_description():
    assert alt_problem("The training error on a log scale stays on a plateau, then drops steeply "
                       "and keeps falling; units 3 and 4 sit in the middle.") is None
