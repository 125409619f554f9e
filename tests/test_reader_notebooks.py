"""Tests of tools/reader_notebooks.py and of the package the reader notebooks install.

The converter is tested on small Markdown texts (glue, references, numbering, nested
directives, math in blockquotes), then on every chapter of both editions (no MyST
syntax left, every code cell kept, no answer in the student edition), the tree for the
branch that Binder and Colab open, and the package (wheel and sdist). Every student
reader notebook runs in a fresh virtual environment with only the wheel, installed by
its setup cell, in tests/test_portability_student.py.
"""

from __future__ import annotations

import gc
import json
import re
import subprocess
import sys
import tomllib
import warnings
import zipfile
from pathlib import Path

import nbformat
import pytest
from leaks import answers, shows, solution_texts
from nbclient import NotebookClient
from tool_modules import load_tool

ROOT = Path(__file__).resolve().parent.parent
GLUE_PREFIX = "application/papermill.record/"


reader = load_tool("reader_notebooks")
PARSER = reader.book_parser()


def glue_output(key: str, data: dict, shown: bool = False) -> nbformat.NotebookNode:
    """An output as a glue call writes it (hidden values under the papermill prefix)."""
    prefix = "" if shown else GLUE_PREFIX
    return nbformat.v4.new_output(
        "display_data", data={prefix + mime: value for mime, value in data.items()},
        metadata={"scrapbook": {"name": key, "mime_prefix": prefix}})


def converter(glue=None, targets=None, notebook="03_error.ipynb", chapter=3, strict=True):
    return reader.ChapterConverter(PARSER, chapter, notebook, glue or {}, targets or {},
                                   strict=strict)


# ------------------------------------------------------------------------------ glue

def test_glue_text_is_formatted_as_myst_nb_formats_it():
    glue = {"o": {"text/plain": "0.47388889"}, "n": {"text/plain": "26"},
            "name": {"text/plain": "'w_6,4'"}}
    text = converter(glue).convert(
        "$o =$ {glue:text}`o:.4f`, {glue:text}`n` values, {glue:text}`o:.1%`, "
        "{glue:text}`name`\n")
    # literal_eval drops the string's quotes; a pasted value is escaped, not Markdown
    assert text == "$o =$ 0.4739, 26 values, 47.4%, w\\_6,4\n"


def test_glue_values_are_read_from_hidden_and_shown_outputs():
    cell = nbformat.v4.new_code_cell("glue(...)")
    cell.outputs = [glue_output("hidden", {"text/plain": "1.5"}),
                    glue_output("shown", {"text/plain": "2.5"}, shown=True)]
    notebook = nbformat.v4.new_notebook(cells=[cell])
    assert reader.glue_values(notebook) == {"hidden": {"text/plain": "1.5"},
                                            "shown": {"text/plain": "2.5"}}
    kept = reader.reader_code_cell(cell)
    # the hidden record would show as an unknown MIME type; the shown value stays
    assert [output.metadata["scrapbook"]["name"] for output in kept.outputs] == ["shown"]
    assert len(cell.outputs) == 2, "the chapter's cell itself is left as it was"


def test_glued_markdown_becomes_markdown_inline_and_as_a_block():
    glue = {"symbol": {"text/markdown": "$b_{6}$"},
            "table": {"text/markdown": "| a | b |\n|---|---|\n| 1 | {glue:text}`x:.1f` |"},
            "x": {"text/plain": "0.25"}}
    text = converter(glue).convert(
        "The bias {glue:md}`symbol:myst` grew.\n\n```{glue:md} table\n:format: myst\n```\n")
    assert text == "The bias $b_{6}$ grew.\n\n| a | b |\n|---|---|\n| 1 | 0.2 |\n"


def test_a_role_inside_code_or_math_is_left_alone():
    text = converter({"x": {"text/plain": "1"}}).convert(
        "Write `` {glue:text}`x` `` to paste; $\\{x\\}$ and {glue:text}`x`.\n")
    assert text == "Write `` {glue:text}`x` `` to paste; $\\{x\\}$ and 1.\n"


def test_a_missing_glue_key_fails_loudly():
    with pytest.raises(KeyError, match="nothing is glued under 'nope'"):
        converter().convert("{glue:text}`nope:.2f`\n")


# ------------------------------------------------------------------- references

def targets_of_another_chapter():
    return {
        "ex-other": reader.Target("ex-other", "07_worked.ipynb", "", "Exercise", "7.2"),
        "fig-other": reader.Target("fig-other", "09_practical.ipynb", "Curves", "Fig.", "9.2"),
        "ch-worked": reader.Target("ch-worked", "07_worked.ipynb", "A worked example"),
        "sec-momentum": reader.Target("sec-momentum", "09_practical.ipynb", "Momentum",
                                      anchor="Momentum"),
        "doc:07_worked": reader.Target("", "07_worked.ipynb", "A worked example"),
    }


def test_references_show_the_html_books_words_and_link_the_other_notebook():
    text = converter(targets=targets_of_another_chapter()).convert(
        "See {ref}`ex-other`, {numref}`fig-other`, {numref}`Figure %s <fig-other>`, "
        "{ref}`ch-worked`, {ref}`sec-momentum`, {doc}`07_worked` and "
        "{ref}`the step <ch-worked>`.\n")
    assert text == (
        "See [Exercise 7.2](07_worked.ipynb), [Fig. 9.2](09_practical.ipynb), "
        "[Figure 9.2](09_practical.ipynb), [A worked example](07_worked.ipynb), "
        "[Momentum](09_practical.ipynb#Momentum), [A worked example](07_worked.ipynb) and "
        "[the step](07_worked.ipynb).\n")


def test_references_within_the_chapter_are_plain_text_with_the_number():
    chapter = converter()
    text = chapter.convert(
        "```{exercise}\n:label: ex-a\nFirst.\n```\n\n"
        "$$\nE = 1\n$$ (eq-e)\n\n"
        "Compare {ref}`ex-a` with {eq}`eq-e` and {numref}`ex-a`.\n")
    assert text.endswith("Compare Exercise 3.1 with (3.1) and Exercise 3.1.\n")
    assert "$$\nE = 1 \\tag{3.1}\n$$\n" in text


def test_an_unknown_label_fails_loudly_unless_targets_are_still_being_collected():
    with pytest.raises(KeyError, match="no target 'ex-nowhere'"):
        converter().convert("{ref}`ex-nowhere`\n")
    assert converter(strict=False).convert("{ref}`ex-nowhere`\n") == "?\n"


# ------------------------------------------------------------------- directives

NUMBERED = """\
(sec-here)=
## A section

```{prf:definition} Error term
:label: def-delta
The error term.
```

````{exercise}
:label: ex-one
One.
````

```{prf:algorithm} Training
:label: alg-train
Steps.
```

```{exercise}
:label: ex-two
Two, after {prf:ref}`def-delta`, {ref}`ex-one` and {prf:ref}`alg-train`.
```

```{table} Symbols
:name: tab-symbols
| a | b |
|---|---|
| 1 | 2 |
```

```{solution} ex-two
:class: dropdown
Because.
```
"""


def test_numbered_directives_count_per_kind_in_document_order():
    chapter = converter(chapter=8)
    text = chapter.convert(NUMBERED)
    assert "> **Definition 8.1 (Error term)**\n>\n> The error term.\n" in text
    assert "> **Exercise 8.1**\n>\n> One.\n" in text
    assert "> **Algorithm 8.1 (Training)**\n" in text
    assert "> Two, after Definition 8.1, Exercise 8.1 and Algorithm 8.1.\n" in text
    assert "**Table 8.1** Symbols\n\n| a | b |\n|---|---|\n| 1 | 2 |\n" in text
    assert "(sec-here)=" not in text and "## A section" in text
    assert chapter.found["sec-here"].title == "A section"
    assert chapter.found["ex-two"].numbered() == "Exercise 8.2"


def test_a_solution_is_a_section_between_rules_titled_with_its_exercise():
    text = converter(chapter=8).convert(NUMBERED)
    assert "\n---\n\n**Solution to Exercise 8.2**\n\nBecause.\n\n---\n" in text
    assert "<details" not in text and ":class:" not in text


NESTED = """\
::::{admonition} Outer with {glue:text}`x:.2f`
:class: tip
Text with $a
= b$ across lines.

```{note}
Inner, {glue:text}`x:.3f`:

$$
E = \\frac12
  (t - o)^2
$$
```
::::
"""


def test_nested_directives_become_nested_blockquotes_with_math_on_one_line():
    text = converter({"x": {"text/plain": "0.12345"}}).convert(NESTED)
    assert text == (
        "> **Outer with 0.12**\n"
        ">\n"
        "> Text with $a = b$ across lines.\n"
        ">\n"
        "> > **Note**\n"
        "> >\n"
        "> > Inner, 0.123:\n"
        "> >\n"
        "> > $$ E = \\frac12 (t - o)^2 $$\n")


def test_an_unknown_directive_or_role_fails_loudly():
    with pytest.raises(ValueError, match="directive {mermaid}"):
        converter().convert("```{mermaid}\ngraph\n```\n")
    with pytest.raises(ValueError, match="role {kbd}"):
        converter().convert("Press {kbd}`Ctrl`.\n")


# --------------------------------------------------------------- the chapters

@pytest.fixture(scope="module")
def readers():
    """Every reader notebook of both editions: {edition: {file name: notebook}}."""
    return {edition: reader.reader_notebooks(edition, parser=PARSER)
            for edition in reader.EDITIONS}


def test_every_chapter_has_a_reader_notebook_in_both_editions(readers):
    chapters = sorted(path.name for path in (ROOT / "chapters").glob("*.ipynb"))
    for edition in reader.EDITIONS:
        assert sorted(readers[edition]) == chapters
        for notebook in readers[edition].values():
            nbformat.validate(notebook)


def test_no_myst_only_syntax_remains_in_any_reader_notebook(readers):
    for edition, notebooks in readers.items():
        for name, notebook in notebooks.items():
            assert reader.leftover_myst(notebook) == [], f"{edition}/{name}"
            markdown = "\n".join(c.source for c in notebook.cells if c.cell_type == "markdown")
            for syntax in ("{glue", "{ref}", "{numref}", "{prf:", "{doc}", "```{", ":::{",
                           ":label:", ":class:"):
                assert syntax not in markdown, f"{edition}/{name}: {syntax!r} left"


def test_every_glue_role_of_a_chapter_became_its_value(readers):
    notebook = readers["instructor"]["07_worked_example.ipynb"]
    glue = reader.glue_values(nbformat.read(ROOT / "chapters/07_worked_example.ipynb", 4))
    expected = reader.format_plain_text(glue["o_6"]["text/plain"], ".4f")
    markdown = "\n".join(c.source for c in notebook.cells if c.cell_type == "markdown")
    assert f"$o_6 =$ {expected}" in markdown
    assert "**Fig. 7.1**" in markdown and "> **Exercise 7.1**" in markdown
    assert "**Solution to Exercise 7.1**" in markdown


def test_every_code_cell_is_kept_and_hidden_ones_are_folded(readers):
    for edition, notebooks in readers.items():
        for name, notebook in notebooks.items():
            chapter = nbformat.read(ROOT / "chapters" / name, as_version=4)
            if edition == "student":
                chapter = reader.student_notebook(chapter)
            originals = [c for c in chapter.cells if c.cell_type == "code"]
            kept = [c for c in notebook.cells if c.cell_type == "code"][1:]  # after setup
            assert [c.source for c in kept] == [c.source for c in originals], name
            for original, cell in zip(originals, kept):
                hidden = set(original.metadata.get("tags", [])) & reader.HIDDEN_SOURCE_TAGS
                assert cell.metadata.get("jupyter", {}).get("source_hidden", False) == bool(
                    hidden), f"{name}: {cell.source[:40]!r}"
                assert (cell.metadata.get("cellView") == "form") == bool(hidden)
                folds_output = set(original.metadata.get("tags", [])) & (
                    reader.HIDDEN_OUTPUT_TAGS)
                assert cell.metadata.get("jupyter", {}).get("outputs_hidden", False) == bool(
                    folds_output)
                shown = [o for o in original.get("outputs", [])
                         if o.get("metadata", {}).get("scrapbook", {}).get("mime_prefix")
                         != GLUE_PREFIX]
                assert cell.get("outputs", []) == shown, f"{name}: outputs changed"


def test_student_reader_notebooks_hold_no_answer(readers):
    checked = 0
    for name in readers["student"]:
        chapter = nbformat.read(ROOT / "chapters" / name, as_version=4)
        secrets = answers(chapter) | set(solution_texts(chapter))
        # the solution texts are compared without emphasis, as the edition test does
        student, instructor = (
            re.sub(r"[*_`]", "", json.dumps(readers[edition][name], ensure_ascii=False))
            for edition in ("student", "instructor"))
        for secret in secrets:
            assert shows(instructor, secret), f"{name}: {secret!r} not in the instructor edition"
            assert not shows(student, secret), f"{name}: {secret!r} leaks into the student notebook"
            checked += 1
    assert checked >= 36, f"only {checked} answers and solution texts were checked"


def test_reader_numbers_follow_the_toc_and_the_chapters_order(readers):
    markdown = {name: "\n".join(c.source for c in nb.cells if c.cell_type == "markdown")
                for name, nb in readers["instructor"].items()}
    # a chapter's number is its place in _toc.yml (a chapter inserted renumbers the rest)
    number = {Path(path).name + ".ipynb": n for n, path in reader.toc_chapters()}
    assert list(number) == list(readers["instructor"]), "not in the order of the toc"
    practical, summary = number["09_practical.ipynb"], number["14_summary.ipynb"]
    assert f"**Fig. {practical}.2**" in markdown["09_practical.ipynb"]
    assert "\\tag{3.1}" in markdown["03_error_and_notation.ipynb"]
    assert f"**Table {summary}.1**" in markdown["14_summary.ipynb"]
    assert "> **Definition 8.1 (Error term)**" in markdown["08_derivation.ipynb"]
    assert "> **Algorithm 8.1 (Output error term)**" in markdown["08_derivation.ipynb"]


# ------------------------------------------------------------- the HTML check

def test_html_mismatches_finds_what_the_reader_notebook_lacks(tmp_path):
    pages, readers_folder = tmp_path / "html", tmp_path / "readers"
    pages.mkdir()
    readers_folder.mkdir()
    (pages / "03_x.html").write_text(
        '<nav><span class="pasted-text">9.99</span></nav><main>'
        '<span class="pasted-text">0.4739</span> <span class="caption-number">Fig. 3.1 '
        '</span><a class="reference internal" href="#equation-eq-e">(3.1)</a>'
        '<span class="pasted-text">-1.5e+02</span>'
        '<span class="std std-ref">The lecture\u2019s values</span>'
        '<span class="std std-ref">Why \u201cdelta\u201d</span></main>')
    notebook = nbformat.v4.new_notebook(cells=[nbformat.v4.new_markdown_cell(
        "$o =$ 0.4739, see **Fig. 3.1** and (3.1), [The lecture's values](07.ipynb).")])
    nbformat.write(notebook, readers_folder / "03_x.ipynb")
    # the navigation's 9.99 is not the page's; a section title's smart quote is the
    # source's straight one; -1.5e+02 and the second title are missing
    assert reader.html_mismatches(pages, readers_folder) == [
        "03_x.html: '-1.5e+02'", """03_x.html: 'Why "delta"'"""]


# ------------------------------------------------------------- the setup cell

def run_notebook(notebook, kernel_name="python3", timeout=300, path=ROOT):
    """``notebook`` executed by nbclient in the kernel ``kernel_name``, from folder ``path``."""
    client = NotebookClient(notebook, timeout=timeout, kernel_name=kernel_name,
                            resources={"metadata": {"path": str(path)}})
    executed = client.execute()
    # nbclient leaves its kernel client's zmq sockets to the garbage collector; collected
    # during some later test, they warn (ResourceWarning) and fail that test. Collect
    # them here, where they are known to be finished with.
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ResourceWarning)
        del client
        gc.collect()
    return executed


def test_the_setup_cell_does_nothing_where_backprop_imports(monkeypatch):
    # an index that does not exist: any attempt to install would fail the cell
    monkeypatch.setenv("PIP_INDEX_URL", "file:///nonexistent/simple")
    monkeypatch.delenv("BACKPROP_GLUE_RECORDS", raising=False)
    cells = reader.setup_cells(reader.package_version())
    assert cells[0].cell_type == "markdown" and "import backprop" in cells[0].source
    assert f'%pip install --quiet "backprop-course[widgets]=={reader.package_version()}"' in (
        cells[1].source)
    # run again, the chapter's glue calls must show no unknown output (no glue record)
    glue_cell = nbformat.v4.new_code_cell(
        "from backprop.display import glue\nglue('x', 0.5, display=False)\n"
        "glue('y', 0.25)")
    executed = run_notebook(nbformat.v4.new_notebook(cells=[*cells, glue_cell]))
    assert executed.cells[1].outputs == []
    (shown,) = executed.cells[2].outputs
    assert shown["data"] == {"text/plain": "0.25"}


# ---------------------------------------------------- the branch Binder and Colab open

def launch_settings(edition: str) -> dict:
    """What tools/book_links.py gives the theme for a book with a repository."""
    from types import SimpleNamespace

    book_links = load_tool("book_links")
    config = SimpleNamespace(html_theme_options={}, course_repository="https://github.com/o/r",
                             course_notebooks_branch="reader-notebooks", course_edition=edition)
    book_links.configure_buttons(None, config)
    return config.html_theme_options


def test_the_branch_tree_is_what_the_launch_buttons_open(readers, tmp_path):
    version = reader.package_version()
    folder = tmp_path / "branch"
    written = reader.write_branch(folder, readers["student"], version)
    options = launch_settings("student")
    assert options["repository_branch"] == reader.BRANCH
    # the buttons open <path_to_docs><page>.ipynb on the branch; the pages are chapters/<name>
    for name in readers["student"]:
        notebook = folder / (options["path_to_docs"] + "chapters/" + name)
        assert notebook in written and nbformat.read(notebook, 4) == readers["student"][name]
    assert sorted(p.name for p in folder.iterdir()) == [
        "README.md", "requirements.txt", "runtime.txt", "student"]
    assert (folder / "requirements.txt").read_text() == (
        f"backprop-course[widgets]=={version}\n")
    assert version == tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]["version"]
    assert (folder / "runtime.txt").read_text() == "python-3.11\n"
    readme = (folder / "README.md").read_text()
    assert "generated" in readme and "no solutions" in readme
    links = re.findall(r"\]\(([^)]+)\)", readme)
    assert len(links) == len(readers["student"])
    assert all((folder / link).is_file() for link in links), links
    assert "[Self-test](student/chapters/15_self_test.ipynb)" in readme


def test_the_branch_tree_is_rewritten_whole_and_nothing_else_is_replaced(readers, tmp_path):
    folder = tmp_path / "branch"
    notebooks = dict(list(readers["student"].items())[:2])
    reader.write_branch(folder, notebooks, "0.1.0")
    stale = folder / "student" / "chapters" / "99_dropped.ipynb"
    stale.write_text("{}")
    reader.write_branch(folder, notebooks, "0.2.0")
    assert not stale.exists(), "a dropped chapter stays published"
    assert (folder / "requirements.txt").read_text() == "backprop-course[widgets]==0.2.0\n"
    other = tmp_path / "not-a-branch"
    other.mkdir()
    (other / "thesis.tex").write_text("mine")
    with pytest.raises(FileExistsError, match="not a reader-notebooks tree"):
        reader.write_branch(other, notebooks, "0.1.0")
    assert (other / "thesis.tex").read_text() == "mine"


def test_make_notebooks_writes_the_branch_tree(tmp_path):
    result = subprocess.run([sys.executable, ROOT / "tools/reader_notebooks.py", tmp_path],
                            capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stderr
    assert f"to push: {tmp_path}/branch/" in result.stdout
    written = sorted(path.name for path in (tmp_path / "branch/student/chapters").iterdir())
    assert written == sorted(path.name for path in (ROOT / "chapters").glob("*.ipynb"))
    assert not (tmp_path / "branch/instructor").exists(), "solutions on the public branch"
    usage = subprocess.run([sys.executable, ROOT / "tools/reader_notebooks.py", "a", "b"],
                           capture_output=True, text=True, timeout=300)
    assert usage.returncode == 2 and usage.stderr.startswith("Usage:")


# ------------------------------------------------------------------ the package

def run(command: list, **kwargs) -> subprocess.CompletedProcess:
    return subprocess.run([str(part) for part in command], check=True, capture_output=True,
                          text=True, **kwargs)


def test_the_package_builds_with_its_licence_readme_and_every_file(package_dist):
    dist = package_dist  # built once for the run (tests/built_package.py)
    version = reader.package_version()
    wheel = dist / f"backprop_course-{version}-py3-none-any.whl"
    sdist = dist / f"backprop_course-{version}.tar.gz"
    assert wheel.exists() and sdist.exists()
    run([Path(sys.executable).with_name("twine"), "check", "--strict", wheel, sdist])
    names = set(zipfile.ZipFile(wheel).namelist())
    assert f"backprop_course-{version}.dist-info/licenses/LICENSE" in names
    engine = ROOT / "src" / "backprop"
    shipped = {path.relative_to(ROOT / "src").as_posix() for path in engine.rglob("*")
               if path.is_file() and "__pycache__" not in path.parts}
    assert shipped <= names, f"missing from the wheel: {sorted(shipped - names)}"
    metadata = zipfile.ZipFile(wheel).read(
        f"backprop_course-{version}.dist-info/METADATA").decode()
    assert "# backprop-course" in metadata and "Backpropagation, computed" in metadata
    assert "License-Expression: MIT" in metadata


# What Colab preinstalls (its runtime of 2025): the package's ranges must accept them, or
# the setup cell replaces numpy under a running kernel and Colab asks for a restart.
COLAB_PREINSTALLED = {"numpy": "2.0.2", "scipy": "1.15.3", "matplotlib": "3.10.0",
                      "sympy": "1.13.1", "tqdm": "4.67.1"}


def test_the_package_accepts_colabs_numpy_and_the_books_pins():
    from packaging.requirements import Requirement

    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    ranges = {Requirement(text).name: Requirement(text).specifier
              for text in project["dependencies"]}
    assert set(COLAB_PREINSTALLED) <= set(ranges)
    pins = dict(line.split("#")[0].strip().split("==") for line in
                (ROOT / "requirements.txt").read_text().splitlines()
                if "==" in line.split("#")[0])
    for name, specifier in ranges.items():
        if name in COLAB_PREINSTALLED:
            assert COLAB_PREINSTALLED[name] in specifier, f"{name}{specifier} rejects Colab's"
        assert pins[name] in specifier, f"{name}{specifier} rejects the book's pin {pins[name]}"
        assert not any(spec.operator in ("==", "===") for spec in specifier), name
