"""Re-execute notebooks in place so their committed outputs match the current engine.

Usage: python tools/execute_notebooks.py chapters [more folders or .ipynb files]

Each notebook runs top to bottom in a fresh kernel from its own folder, like
nbval and Jupyter Book run it. Cell execution timestamps are dropped so that
re-running an unchanged chapter leaves its file byte-for-byte unchanged. The saved
widget state is dropped before the run: nbclient writes it only when the run creates
widgets, so a chapter whose explorer was removed would keep the old one's state.
"""

from __future__ import annotations

import sys
from pathlib import Path

import nbformat
from nbclient import NotebookClient


def notebooks(arguments: list[str]) -> list[Path]:
    found = []
    for argument in arguments:
        path = Path(argument)
        found += sorted(path.glob("*.ipynb")) if path.is_dir() else [path]
    return found


def execute(path: Path) -> None:
    notebook = nbformat.read(path, as_version=4)
    notebook.metadata.pop("widgets", None)
    client = NotebookClient(
        notebook, timeout=600, kernel_name="python3", resources={"metadata": {"path": path.parent}}
    )
    client.execute()
    for cell in notebook.cells:
        cell.metadata.pop("execution", None)
    nbformat.write(notebook, path)


def main(arguments: list[str]) -> int:
    paths = notebooks(arguments or ["chapters"])
    if not paths:
        print("no notebooks found", file=sys.stderr)
        return 1
    for path in paths:
        print(f"executing {path}", flush=True)
        execute(path)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
