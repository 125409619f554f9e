"""Every chapter notebook is in the table of contents, and every entry exists."""

from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent


def toc_files() -> list[str]:
    toc = yaml.safe_load((ROOT / "_toc.yml").read_text())
    return [chapter["file"] for part in toc["parts"] for chapter in part["chapters"]]


def test_every_notebook_is_in_the_toc_and_back():
    notebooks = {p.relative_to(ROOT).with_suffix("").as_posix()
                 for p in (ROOT / "chapters").glob("*.ipynb")}
    listed = set(toc_files())
    assert notebooks - listed == set(), "notebooks missing from _toc.yml"
    assert listed - notebooks == set(), "_toc.yml entries without a notebook"


def test_chapters_are_listed_in_their_numbered_order():
    """File names carry the chapter's number: 01_... is chapter 1, and so on, no gaps."""
    files = toc_files()
    assert files == sorted(files)
    numbers = [int(Path(name).name.split("_", 1)[0]) for name in files]
    assert numbers == list(range(1, len(files) + 1)) and len(files) == 15
