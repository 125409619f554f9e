"""Write the student or the instructor edition of the book into its own folder.

Usage: python tools/make_edition.py student|instructor OUT [--no-execute]

The instructor edition is the book as it is, solutions included. The student
edition drops every notebook cell tagged ``solution`` (the worked solutions and
the code cells that compute their answers) and sets ``hide_solutions: true`` as a
second guard, so neither its HTML nor its notebooks hold an answer. Instead, each exercise
with numeric answers gets a "Check my answer" box that compares digests in the browser
(tools/answer_checks.py). Build either
with ``jupyter-book build OUT``; ``make book-student`` and ``make book-instructor``
do both steps.

``--no-execute`` builds from the notebooks' committed outputs instead of running them
again. The test suite uses it: nbval has just checked that those outputs are what the
chapters compute, under another BLAS kernel than the one that wrote them
(tests/portable_kernels.py; tests/test_portability_student.py also runs the student
notebooks without their solution cells), so running every chapter twice more would
check nothing new.
"""

from __future__ import annotations

import shutil
import sys
from pathlib import Path

import nbformat
import yaml

# tools/ is no package: its sibling module must be importable however this file is loaded
# (as a script, or by path, as the tests load it).
if str(Path(__file__).resolve().parent) not in sys.path:
    sys.path.insert(0, str(Path(__file__).resolve().parent))
import answer_checks  # noqa: E402 (needs the path above)

ROOT = Path(__file__).resolve().parent.parent
SOLUTION_TAG = "solution"
BOOK_FILES = ("_toc.yml", "intro.md")
BOOK_FOLDERS = ("assets",)
# The book's local Sphinx extensions (page assets; repository and launch buttons), and
# what they run.
BOOK_TOOLS = ("book_assets.py", "book_links.py", "vendor_assets.py")
EDITIONS = ("student", "instructor")


def student_notebook(notebook: nbformat.NotebookNode) -> nbformat.NotebookNode:
    """The notebook without its solution cells."""
    kept = [cell for cell in notebook.cells
            if SOLUTION_TAG not in cell.get("metadata", {}).get("tags", [])]
    notebook = nbformat.from_dict(notebook)
    notebook.cells = kept
    return notebook


def edition_config(edition: str, execute: bool = True) -> dict:
    config = yaml.safe_load((ROOT / "_config.yml").read_text())
    config["title"] = f"{config['title']} ({edition} edition)"
    if not execute:
        config.setdefault("execute", {})["execute_notebooks"] = "off"
    sphinx_config = config.setdefault("sphinx", {}).setdefault("config", {})
    sphinx_config["hide_solutions"] = edition == "student"
    if edition == "student":  # the script of the "Check my answer" boxes
        answer_checks.add_script(sphinx_config)
    # Launch and download links open this edition's reader notebooks (tools/book_links.py).
    sphinx_config["course_edition"] = edition
    sphinx_config["course_reader_notebooks"] = str(ROOT / "_build" / "reader")
    return config


def make_edition(edition: str, out: Path, execute: bool = True) -> Path:
    """Write the edition's book source into ``out`` (replaced if it exists)."""
    if edition not in EDITIONS:
        raise ValueError(f"unknown edition {edition!r}; choose one of {', '.join(EDITIONS)}")
    out = Path(out).resolve()
    if out == ROOT or out in ROOT.parents or out == ROOT / "chapters":
        raise ValueError(f"refusing to overwrite the book itself at {out}")
    if out.exists():
        shutil.rmtree(out)
    (out / "chapters").mkdir(parents=True)
    for name in BOOK_FILES:
        shutil.copy2(ROOT / name, out / name)
    for name in BOOK_FOLDERS:
        shutil.copytree(ROOT / name, out / name)
    (out / "tools").mkdir()
    for name in BOOK_TOOLS:
        shutil.copy2(ROOT / "tools" / name, out / "tools" / name)
    # vendor_assets.py bundles the widget embedder from this source when the edition's
    # assets/vendor is missing or stale (its npm packages are fetched again, not copied)
    shutil.copytree(ROOT / "tools" / "widget_embed", out / "tools" / "widget_embed",
                    ignore=shutil.ignore_patterns("node_modules"))
    config = edition_config(edition, execute)
    (out / "_config.yml").write_text(yaml.safe_dump(config, sort_keys=False))
    for path in sorted((ROOT / "chapters").glob("*.ipynb")):
        notebook = nbformat.read(path, as_version=4)
        if edition == "student":
            notebook = answer_checks.with_answer_checks(student_notebook(notebook), notebook)
        nbformat.write(notebook, out / "chapters" / path.name)
    return out


def main(arguments: list[str]) -> int:
    execute = "--no-execute" not in arguments
    arguments = [argument for argument in arguments if argument != "--no-execute"]
    if len(arguments) != 2 or arguments[0] not in EDITIONS:
        print(__doc__.strip().splitlines()[2], file=sys.stderr)
        return 2
    out = make_edition(arguments[0], Path(arguments[1]), execute)
    print(f"{arguments[0]} edition written to {out}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
