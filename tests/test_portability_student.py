"""The student notebooks run alone and give the committed outputs under a third kernel.

See test_portability.py: the student edition's notebooks (every cell tagged
``solution`` dropped) must run top to bottom without the solutions, since the student
edition and its reader notebooks are made from their committed outputs.
"""

from __future__ import annotations

import nbformat
from test_portability import CHAPTERS, kernel_settings, run_nbval
from tool_modules import load_tool


def test_student_notebooks_run_alone_under_a_third_kernel(tmp_path):
    make_edition = load_tool("make_edition")
    folder = tmp_path / "chapters"
    folder.mkdir()
    for path in CHAPTERS:
        notebook = make_edition.student_notebook(nbformat.read(path, as_version=4))
        nbformat.write(notebook, folder / path.name)
    run_nbval(sorted(folder.glob("*.ipynb")), kernel_settings()["student notebooks"], tmp_path)
