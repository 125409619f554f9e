"""Write the reader notebooks: the executed chapters as plain Jupyter notebooks.

Usage: python tools/reader_notebooks.py [OUT]   (default: _build/reader)

Writes OUT/student and OUT/instructor, and OUT/branch: the tree to push to the branch
``reader-notebooks`` that the book's launch buttons open (student/chapters/*.ipynb, and
Binder's requirements.txt and runtime.txt with a README at its root).

The chapters are MyST notebooks: their prose pastes computed values with ``{glue:text}``
roles, refers to exercises and figures with ``{ref}``/``{numref}``, and puts definitions,
exercises and solutions in directives. Only the HTML book renders those; JupyterLab,
Notebook 7, VS Code and Colab show them raw. This tool writes, for each edition
(``OUT/student`` without the cells tagged ``solution``, ``OUT/instructor`` with them),
one notebook per chapter in which

- every glue role or directive is replaced by the value's text, formatted by myst-nb's
  own function (so it reads exactly as in the HTML book), glued Markdown as Markdown;
- every reference is the text the HTML book shows ("Exercise 7.2", "Fig. 9.2",
  "(3.1)", a chapter's title), linked to the reader notebook that holds its target;
- every directive is plain Markdown: a titled blockquote for admonitions, definitions,
  algorithms and exercises, a section between rules for a solution;
- every code cell is kept with its outputs (cells the book hides are folded), and a first
  setup cell installs the course's engine where ``import backprop`` fails (Colab).

The Markdown is parsed with the book's own parser (myst-parser's markdown-it-py with the
MyST plugins, configured from ``_config.yml``). Only what the parser marks as a role,
directive, target or labelled equation is rewritten; every other character of the
authors' Markdown is kept as written, so math, tables and lists come through unchanged.

The numbers follow the HTML book: chapters are numbered in the order of ``_toc.yml``,
and inside a chapter figures, tables, equations, exercises and each kind of
``prf:`` directive are counted in document order, as Sphinx's numfig, sphinx-exercise
and sphinx-proof number them. :func:`html_mismatches` checks a built book against the
reader notebooks.
"""

from __future__ import annotations

import copy
import html
import re
import shutil
import sys
import tomllib
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import nbformat
import yaml
from markdown_it import MarkdownIt
from markdown_it.renderer import RendererHTML
from markdown_it.token import Token
from myst_nb.core.variables import format_plain_text
from myst_nb.ext.glue import extract_glue_data_cell
from myst_parser.config.main import MdParserConfig
from myst_parser.parsers.mdit import create_md_parser

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(Path(__file__).resolve().parent))
from make_edition import EDITIONS, student_notebook  # noqa: E402  (a sibling tool)

from backprop.display import GLUE_RECORDS_VARIABLE  # noqa: E402

PACKAGE = "backprop-course"
PACKAGE_EXTRAS = "widgets"  # the explorers need ipywidgets
# The tree to push to the branch the book's launch buttons open (tools/book_links.py):
# <edition>/chapters/<chapter>.ipynb, Binder's files at its root. Only the student
# edition: the branch is public.
BRANCH = "reader-notebooks"
BRANCH_FOLDER = "branch"
BRANCH_EDITION = "student"
BINDER_PYTHON = "3.11"  # the Python the course is tested with (README)
# Cells the book hides keep their code here, folded: JupyterLab, Notebook 7 and VS Code
# read jupyter.source_hidden, Colab reads cellView "form" (a code cell shown as a form).
HIDDEN_SOURCE_TAGS = frozenset({"remove-input", "remove-cell", "hide-input", "hide-cell"})
HIDDEN_OUTPUT_TAGS = frozenset({"remove-output", "remove-cell", "hide-output", "hide-cell"})
ADMONITION_TITLES = {
    "note": "Note", "tip": "Tip", "hint": "Hint", "important": "Important",
    "warning": "Warning", "caution": "Caution", "attention": "Attention",
    "danger": "Danger", "error": "Error", "seealso": "See also",
}
PROOF_NAMES = {
    "prf:definition": "Definition", "prf:algorithm": "Algorithm", "prf:theorem": "Theorem",
    "prf:lemma": "Lemma", "prf:corollary": "Corollary", "prf:proposition": "Proposition",
    "prf:example": "Example", "prf:remark": "Remark", "prf:conjecture": "Conjecture",
    "prf:axiom": "Axiom", "prf:criterion": "Criterion", "prf:observation": "Observation",
    "prf:property": "Property", "prf:assumption": "Assumption", "prf:notation": "Notation",
}
GLUE_ANY = frozenset({"glue", "glue:", "glue:any"})
REFERENCE_ROLES = frozenset({"ref", "numref", "eq", "prf:ref", "doc"})
# What no reader notebook may contain: MyST syntax that only the HTML book renders.
MYST_ONLY = ("{glue", "{ref}", "{numref}", "{prf:", "{doc}", "{eq}", "```{", ":::{")
EXPLICIT_TITLE = re.compile(r"^(?P<title>.*?)\s*<(?P<label>[^<>]+)>$", re.S)
MARKDOWN_SPECIAL = re.compile(r"([\\`*_\[\]<>|$])")


# ---------------------------------------------------------------------------- the parser

def book_parser(config_path: Path = ROOT / "_config.yml") -> MarkdownIt:
    """The book's MyST parser, recording where each role and inline math starts and ends.

    The extensions are the book's own (``parse.myst_enable_extensions``). Each
    ``myst_role`` and ``math_inline`` token gets ``meta["span"] = (start, end)``, its
    offsets in the parsed text, so that exactly that stretch can be rewritten.
    """
    config = yaml.safe_load(config_path.read_text())
    extensions = set(config.get("parse", {}).get("myst_enable_extensions", []))
    parser = create_md_parser(MdParserConfig(enable_extensions=extensions), RendererHTML)
    for name in ("myst_role", "math_inline"):
        rules = parser.inline.ruler.__rules__
        rule = rules[parser.inline.ruler.__find__(name)].fn
        parser.inline.ruler.at(name, _recording_span(rule))
    return parser


def _recording_span(rule: Callable) -> Callable:
    def recorded(state, silent: bool) -> bool:
        start = state.pos
        if not rule(state, silent):
            return False
        if not silent:
            state.tokens[-1].meta = {**(state.tokens[-1].meta or {}), "span": (start, state.pos)}
        return True

    return recorded


# ------------------------------------------------------------------------ the book's map

@dataclass(frozen=True)
class Target:
    """Something a reference points at, with the words the HTML book shows for it.

    ``name`` and ``number`` are empty for a chapter or section (a reference shows its
    title); ``anchor`` is the heading anchor JupyterLab and Notebook 7 give a plain
    heading, or empty.
    """

    label: str
    notebook: str
    title: str
    name: str = ""
    number: str = ""
    anchor: str = ""

    def numbered(self) -> str:
        """"Exercise 7.2", "Fig. 9.2" or, for an equation, "(3.1)"."""
        if not self.number:
            raise ValueError(f"{self.label!r} has no number to show")
        return f"({self.number})" if self.name == "equation" else f"{self.name} {self.number}"

    def ref_text(self) -> str:
        """What a ``{ref}`` shows: the title, or the number for an exercise."""
        if self.name == "Exercise":
            return self.numbered()
        return self.title or self.numbered()


def toc_chapters(toc_path: Path = ROOT / "_toc.yml") -> list[tuple[int, str]]:
    """(number, file) of every chapter in the order of the table of contents."""
    toc = yaml.safe_load(toc_path.read_text())
    chapters = []
    for part in toc.get("parts", []):
        for entry in part.get("chapters", []):
            if not part.get("numbered") or "sections" in entry:
                raise ValueError(f"{entry['file']}: reader notebooks number the chapters of "
                                 "numbered parts without sections, as this book has them")
            chapters.append((len(chapters) + 1, entry["file"]))
    return chapters


def heading_anchor(title: str) -> str:
    """The anchor JupyterLab and Notebook 7 give a heading whose text is ``title``."""
    if re.search(r"[$`*_\[\]\\<]", title):
        return ""  # rendered math or markup changes the anchor: link the notebook only
    return title.replace(" ", "-")


# -------------------------------------------------------------------------- the converter

class ChapterConverter:
    """Turns one chapter's MyST Markdown into plain Markdown.

    Numbered items are counted as they are met, in document order; each one met is
    recorded in ``found``. With ``strict=False`` (the first pass over the book, which
    only collects targets) a reference to an unknown label becomes a placeholder.
    """

    def __init__(self, parser: MarkdownIt, chapter: int, notebook: str,
                 glue: dict[str, dict], targets: dict[str, Target], strict: bool = True):
        self.parser = parser
        self.chapter = chapter
        self.notebook = notebook
        self.glue = glue
        self.targets = targets
        self.strict = strict
        self.counts: Counter[str] = Counter()
        self.found: dict[str, Target] = {}
        self.pending_label = ""

    # -- numbering
    def next_number(self, kind: str) -> str:
        self.counts[kind] += 1
        return f"{self.chapter}.{self.counts[kind]}"

    def record(self, label: str, title: str, name: str = "", number: str = "",
               anchor: str = "") -> Target:
        target = Target(label, self.notebook, title, name, number, anchor)
        if label:
            self.found[label] = target
        return target

    # -- Markdown text (a cell, a directive's body, glued Markdown)
    def convert(self, text: str, quoted: bool = False) -> str:
        """``text`` with every MyST construct rewritten; ``quoted``: it goes in a blockquote.

        In a blockquote all math is put on one line: JupyterLab and Notebook 7 cut math
        out of the raw text before Markdown sees it, so a ``>`` starting a line inside
        the math would end up in the formula.
        """
        lines = text.splitlines(keepends=True)
        edits: dict[tuple[int, int], str] = {}
        for token in self.parser.parse(text):
            if token.map is not None and tuple(token.map) in edits:
                continue  # the cells of one table row share their lines
            replacement = self.block_replacement(token, lines, quoted)
            if replacement is not None:
                edits[(token.map[0], token.map[1])] = replacement
        return apply_line_edits(lines, edits)

    def block_replacement(self, token: Token, lines: list[str],
                          quoted: bool) -> str | None:
        """The new text of the lines ``token`` covers, or None to keep them as written."""
        if token.map is None:
            return None
        top = token.level == 0
        if token.type in ("fence", "colon_fence") and token.info.startswith("{"):
            require_top(token, top, "a directive")
            return self.directive(token, quoted)
        if token.type == "myst_target":
            require_top(token, top, "a target")
            self.pending_label = token.content.strip()
            return ""
        if token.type in ("myst_line_comment", "myst_block_break"):
            return ""
        if token.type in ("substitution_block", "front_matter"):
            raise ValueError(f"line {token.map[0] + 1}: {token.type} has no plain form")
        if token.type in ("math_block", "math_block_label", "amsmath"):
            return self.math_block(token, top, quoted)
        if token.type == "heading_open":
            self.heading(token, lines)
        if token.type == "inline":
            chunk = "".join(lines[token.map[0]:token.map[1]])
            return self.inline(chunk, quoted)
        return None

    def heading(self, token: Token, lines: list[str]) -> None:
        """A heading: the chapter's title, or the title of a labelled section."""
        title = heading_text("".join(lines[token.map[0]:token.map[1]]))
        if token.tag == "h1" and "" not in self.found:
            self.found[""] = Target("", self.notebook, title)  # the chapter, for {doc}
        if self.pending_label:
            # a chapter's link opens its notebook; a section's also names its heading
            anchor = "" if token.tag == "h1" else heading_anchor(title)
            self.record(self.pending_label, title, anchor=anchor)
            self.pending_label = ""

    def math_block(self, token: Token, top: bool, quoted: bool) -> str | None:
        """A display equation: numbered with ``\\tag`` if labelled, on one line if quoted."""
        label = token.info.strip() if token.type == "math_block_label" else ""
        if not label and not quoted:
            return None
        require_top(token, top, "a display equation in a blockquote")
        body = token.content.strip()
        if label:
            number = self.next_number("equation")
            self.record(label, "", "equation", number)
            body = f"{body} \\tag{{{number}}}"
        if token.type == "amsmath" and not label:
            return one_line(body) + "\n" if quoted else None
        if quoted:
            return f"$$ {one_line(body)} $$\n"
        return f"$$\n{body}\n$$\n"

    def inline(self, chunk: str, quoted: bool) -> str | None:
        """``chunk`` (raw source lines) with its roles replaced; None if it has none."""
        spans = []
        for token in inline_tokens(self.parser, chunk):
            start, end = token.meta["span"]
            if token.type == "myst_role":
                spans.append((start, end, self.role(token.meta["name"], token.content, quoted)))
            elif quoted and "\n" in chunk[start:end]:
                spans.append((start, end, one_line(chunk[start:end])))
        if not spans:
            return None
        for start, end, text in sorted(spans, reverse=True):
            chunk = chunk[:start] + text + chunk[end:]
        return chunk

    # -- roles
    def role(self, name: str, content: str, quoted: bool) -> str:
        if name == "glue:text":
            return escape_markdown(self.glue_text(content))
        if name == "glue:md":
            key = content.rsplit(":", 1)[0] if ":" in content else content
            return self.inline_markdown(self.glue_value(key, "text/markdown"), quoted)
        if name in GLUE_ANY:
            return self.glue_any(content, quoted)
        if name == "math":
            return f"${content}$"
        if name in REFERENCE_ROLES:
            return self.reference(name, content)
        raise ValueError(f"no plain form for the role {{{name}}}`{content}`")

    def glue_value(self, key: str, mime: str) -> str:
        if "::" in key:
            raise ValueError(f"glue from another notebook ({key!r}) is not supported")
        if key not in self.glue:
            raise KeyError(f"{self.notebook}: nothing is glued under {key!r}")
        if mime not in self.glue[key]:
            raise KeyError(f"{self.notebook}: {key!r} is glued without {mime}")
        value = self.glue[key][mime]
        return "".join(value) if isinstance(value, list) else value

    def glue_text(self, content: str) -> str:
        """The text of a ``{glue:text}`` role, split and formatted as myst-nb does."""
        key, fmt_spec = content.rsplit(":", 1) if ":" in content else (content, "s")
        return format_plain_text(self.glue_value(key, "text/plain"), fmt_spec)

    def glue_any(self, key: str, quoted: bool) -> str:
        """``{glue}``: Markdown, then LaTeX, then plain text, as myst-nb prefers them."""
        data = self.glue.get(key, {})
        if "text/markdown" in data:
            return self.inline_markdown(self.glue_value(key, "text/markdown"), quoted)
        if "text/latex" in data:
            return self.glue_value(key, "text/latex")
        return escape_markdown(self.glue_value(key, "text/plain"))

    def inline_markdown(self, markdown: str, quoted: bool) -> str:
        text = self.convert(markdown, quoted).strip()
        if "\n" in text:
            raise ValueError(f"{self.notebook}: glued Markdown pasted inline spans lines")
        return text

    def reference(self, role: str, content: str) -> str:
        """The HTML book's words for a reference, linked to the notebook that holds it."""
        explicit = EXPLICIT_TITLE.match(content)
        title, label = (explicit["title"], explicit["label"]) if explicit else ("", content)
        label = label.strip()
        if role == "doc":
            label = "doc:" + Path(label).name
        target = self.targets.get(label) or self.found.get(label)
        if target is None:
            if self.strict:
                raise KeyError(f"{self.notebook}: no target {label!r} for {{{role}}}")
            return "?"
        if title and role == "numref":
            text = title.replace("%s", target.number).replace("{number}", target.number)
        elif title:
            text = title
        elif role in ("numref", "eq", "prf:ref"):
            text = target.numbered()
        else:
            text = target.ref_text()
        return self.link(text, target)

    def link(self, text: str, target: Target) -> str:
        anchor = f"#{target.anchor}" if target.anchor else ""
        if target.notebook != self.notebook:
            return f"[{text}]({target.notebook}{anchor})"
        return f"[{text}]({anchor})" if anchor else text

    # -- directives
    def directive(self, token: Token, quoted: bool) -> str:
        name, _, argument = token.info[1:].partition("}")
        name, argument = name.strip(), argument.strip()
        options, body = directive_options(token.content)
        if name in ("glue:md", *GLUE_ANY):
            return self.convert(self.glue_value(argument, "text/markdown"), quoted)
        if name == "glue:math":
            return self.glued_equation(argument, options, quoted)
        if name == "solution":
            return self.solution(argument, body, quoted)
        if name == "table":
            return self.table(argument, options, body, quoted)
        return blockquote(self.directive_title(name, argument, options),
                          self.convert(body, quoted=True))

    def directive_title(self, name: str, argument: str, options: dict[str, str]) -> str:
        """The bold title of a blockquoted directive, numbered as the HTML book numbers it."""
        label = options.get("label", "")
        if name == "exercise":
            number = "" if "nonumber" in options else self.next_number("exercise")
            self.record(label, argument, "Exercise", number)
            title = f"Exercise {number}".strip()
        elif name in PROOF_NAMES:
            number = "" if "nonumber" in options else self.next_number(name)
            self.record(label, argument, PROOF_NAMES[name], number)
            title = f"{PROOF_NAMES[name]} {number}".strip()
        elif name == "prf:proof":
            return "Proof." + (f" ({argument})" if argument else "")
        elif name == "admonition":
            return self.inline_markdown(argument, quoted=True)
        elif name in ADMONITION_TITLES:
            return ADMONITION_TITLES[name] + (f": {argument}" if argument else "")
        else:
            raise ValueError(f"{self.notebook}: no plain form for the directive {{{name}}}")
        return title + (f" ({self.inline_markdown(argument, quoted=True)})" if argument else "")

    def solution(self, exercise_label: str, body: str, quoted: bool) -> str:
        """A solution as a section of its own between two rules (never hidden HTML)."""
        exercise = self.targets.get(exercise_label) or self.found.get(exercise_label)
        if exercise is None and self.strict:
            raise KeyError(f"{self.notebook}: a solution to the unknown {exercise_label!r}")
        title = f"Solution to {self.link(exercise.numbered(), exercise) if exercise else '?'}"
        return f"\n---\n\n**{title}**\n\n{self.convert(body, quoted).strip()}\n\n---\n"

    def table(self, caption: str, options: dict[str, str], body: str, quoted: bool) -> str:
        number = self.next_number("table") if options.get("name") else ""
        caption = self.inline_markdown(caption, quoted)
        self.record(options.get("name", ""), caption, "Table", number)
        heading = f"**Table {number}** {caption}" if number else f"**{caption}**"
        return f"{heading}\n\n{self.convert(body, quoted).strip()}\n"

    def glued_equation(self, key: str, options: dict[str, str], quoted: bool) -> str:
        body = self.glue_value(key, "text/latex").strip().strip("$").strip()
        label = options.get("label", "")
        if label:
            number = self.next_number("equation")
            self.record(label, "", "equation", number)
            body = f"{body} \\tag{{{number}}}"
        return f"$$ {one_line(body)} $$\n" if quoted else f"$$\n{body}\n$$\n"

    def figure_caption(self, figure: dict) -> str:
        """The caption under a figure a code cell draws (``mystnb.figure`` metadata)."""
        caption = self.inline_markdown(figure.get("caption", ""), quoted=False)
        name = figure.get("name", "")
        number = self.next_number("figure") if name else ""
        self.record(name, caption, "Fig.", number)
        return f"**Fig. {number}** {caption}" if number else caption


# ---------------------------------------------------------------- small Markdown helpers

def require_top(token: Token, top: bool, what: str) -> None:
    if not top:
        raise ValueError(f"line {token.map[0] + 1}: {what} inside a list or quote "
                         "has no plain Markdown form here")


def inline_tokens(parser: MarkdownIt, chunk: str) -> Iterator[Token]:
    """The roles and inline math of ``chunk``, each with its ``span``."""
    for block in parser.parseInline(chunk):
        for token in block.children or []:
            if token.type in ("myst_role", "math_inline") and "span" in (token.meta or {}):
                yield token


def apply_line_edits(lines: list[str], edits: dict[tuple[int, int], str]) -> str:
    """``lines`` with each (first, end) range replaced; ranges must not overlap."""
    out, position = [], 0
    for (first, end), text in sorted(edits.items()):
        if first < position:
            raise ValueError(f"overlapping rewrites at line {first + 1}")
        out.extend(lines[position:first])
        if text:
            out.append(text if text.endswith("\n") else text + "\n")
        position = end
    out.extend(lines[position:])
    return "".join(out)


def directive_options(content: str) -> tuple[dict[str, str], str]:
    """A directive's options (``:key: value`` lines or a ``---`` YAML block) and body."""
    lines = content.splitlines(keepends=True)
    if lines and lines[0].strip() == "---":
        end = next(i for i in range(1, len(lines)) if lines[i].strip() == "---")
        options = yaml.safe_load("".join(lines[1:end])) or {}
        return {k: str(v) for k, v in options.items()}, "".join(lines[end + 1:])
    options = {}
    while lines and (match := re.match(r"^:([\w-]+):(.*)$", lines[0].rstrip("\n"))):
        options[match[1]] = match[2].strip()
        lines.pop(0)
    return options, "".join(lines)


def blockquote(title: str, body: str) -> str:
    """A titled blockquote, which every notebook front end renders."""
    lines = [f"**{title}**", ""] + body.strip("\n").splitlines()
    return "\n".join(f"> {line}" if line.strip() else ">" for line in lines) + "\n"


def one_line(math: str) -> str:
    return " ".join(part.strip() for part in math.splitlines() if part.strip())


def escape_markdown(text: str) -> str:
    """Plain text that Markdown shows as it is (a pasted value)."""
    return MARKDOWN_SPECIAL.sub(r"\\\1", text)


def heading_text(line: str) -> str:
    return line.strip().lstrip("#").strip()


# ------------------------------------------------------------------------- the notebooks

def package_version(pyproject: Path = ROOT / "pyproject.toml") -> str:
    return tomllib.loads(pyproject.read_text())["project"]["version"]


def requirement(version: str) -> str:
    """What a reader installs: the engine with the explorers' extra, at exactly ``version``."""
    return f"{PACKAGE}[{PACKAGE_EXTRAS}]=={version}"


def setup_cells(version: str) -> list[nbformat.NotebookNode]:
    """A line saying why, and a cell that installs the engine only where it is missing.

    The cell also sets ``BACKPROP_GLUE_RECORDS=0``: the prose already shows every glued
    value, and a record the book reads would show, run again, as an unknown output
    ("No renderer could be found") in the front ends (backprop.display.glue).
    """
    why = nbformat.v4.new_markdown_cell(
        f"*Setup:* the next cell installs the course's engine (`{PACKAGE}` {version}) "
        "where it is missing, as in Colab; where `import backprop` works it does nothing.")
    code = nbformat.v4.new_code_cell(
        "import os\n"
        f'os.environ["{GLUE_RECORDS_VARIABLE}"] = "0"  # the text shows the values already\n'
        "try:\n"
        "    import backprop  # noqa: F401\n"
        "except ImportError:\n"
        f'    %pip install --quiet "{requirement(version)}"')
    why.id, code.id = "reader-setup-why", "reader-setup"
    return [why, code]


def glue_values(notebook: nbformat.NotebookNode) -> dict[str, dict]:
    """Every glued value of the notebook, by key: its MIME bundle (prefix removed)."""
    values = {}
    for cell in notebook.cells:
        if cell.cell_type == "code":
            for key, output in extract_glue_data_cell(copy.deepcopy(cell)):
                values[key] = output["data"]
    return values


def reader_code_cell(cell: nbformat.NotebookNode) -> nbformat.NotebookNode:
    """The cell with its glue records dropped (front ends show them as unknown output)
    and, where the book hides it, folded."""
    cell = copy.deepcopy(cell)
    extract_glue_data_cell(cell)  # keeps only the outputs a reader sees
    tags = set(cell.metadata.get("tags", []))
    folded = {}
    if tags & HIDDEN_SOURCE_TAGS:
        folded["source_hidden"] = True
        cell.metadata["cellView"] = "form"
    if tags & HIDDEN_OUTPUT_TAGS:
        # also when empty now: run again, a glue call's record shows as an unknown output
        folded["outputs_hidden"] = True
    if folded:
        cell.metadata["jupyter"] = {**cell.metadata.get("jupyter", {}), **folded}
    return cell


def reader_notebook(notebook: nbformat.NotebookNode, converter: ChapterConverter,
                    version: str) -> nbformat.NotebookNode:
    """The chapter as a reader notebook (setup cell first)."""
    cells = setup_cells(version)
    for cell in notebook.cells:
        if cell.cell_type == "markdown":
            cell = copy.deepcopy(cell)
            cell.source = converter.convert(cell.source).strip("\n")
            cells.append(cell)
        elif cell.cell_type == "code":
            cells.append(reader_code_cell(cell))
            figure = cell.metadata.get("mystnb", {}).get("figure")
            if figure:
                caption = nbformat.v4.new_markdown_cell(converter.figure_caption(figure))
                caption.id = f"{cell.get('id', len(cells))}-caption"
                cells.append(caption)
        else:
            cells.append(copy.deepcopy(cell))
    reader = nbformat.from_dict(notebook)
    reader.cells = cells
    return reader


def edition_notebooks(edition: str, chapters_dir: Path) -> dict[str, nbformat.NotebookNode]:
    notebooks = {}
    for _, path in toc_chapters():
        notebook = nbformat.read(chapters_dir / (Path(path).name + ".ipynb"), as_version=4)
        notebooks[Path(path).name + ".ipynb"] = (
            student_notebook(notebook) if edition == "student" else notebook)
    return notebooks


def reader_notebooks(edition: str, chapters_dir: Path = ROOT / "chapters",
                     parser: MarkdownIt | None = None) -> dict[str, nbformat.NotebookNode]:
    """Every reader notebook of ``edition``, by file name.

    Two passes: the first collects every target (numbers and titles) of the edition,
    the second writes the notebooks with every reference resolved.
    """
    parser = parser or book_parser()
    notebooks = edition_notebooks(edition, chapters_dir)
    version = package_version()
    numbers = {Path(path).name + ".ipynb": number for number, path in toc_chapters()}
    targets: dict[str, Target] = {}
    for strict in (False, True):
        readers, found = {}, {}
        for name, notebook in notebooks.items():
            converter = ChapterConverter(parser, numbers[name], name, glue_values(notebook),
                                         targets, strict=strict)
            readers[name] = reader_notebook(notebook, converter, version)
            chapter = converter.found.pop("", None)
            if chapter is not None:
                found["doc:" + Path(name).stem] = chapter
            found.update(converter.found)
        targets = found
    return readers


def write_reader_notebooks(out: Path, chapters_dir: Path = ROOT / "chapters",
                           branch: bool = False) -> list[Path]:
    """Write ``out/<edition>/<chapter>.ipynb`` for both editions; return the paths.

    With ``branch``, also ``out/branch/``: the tree to push to the branch
    ``reader-notebooks`` (:func:`write_branch`).
    """
    parser = book_parser()
    written = []
    for edition in EDITIONS:
        folder = Path(out) / edition
        folder.mkdir(parents=True, exist_ok=True)
        notebooks = reader_notebooks(edition, chapters_dir, parser)
        for name, notebook in notebooks.items():
            nbformat.validate(notebook)
            nbformat.write(notebook, folder / name)
            written.append(folder / name)
        if branch and edition == BRANCH_EDITION:
            written += write_branch(Path(out) / BRANCH_FOLDER, notebooks, package_version())
    return written


def chapter_title(notebook: nbformat.NotebookNode) -> str:
    """The text of the notebook's first level-1 heading."""
    for cell in notebook.cells:
        if cell.cell_type == "markdown":
            for line in cell.source.splitlines():
                if line.startswith("# "):
                    return heading_text(line)
    raise ValueError("the notebook has no level-1 heading to title it")


def branch_readme(titles: dict[str, str], version: str) -> str:
    """The branch's README.md: what the branch is, and a link to every chapter."""
    folder = f"{BRANCH_EDITION}/chapters"
    chapters = "".join(f"{number}. [{title}]({folder}/{name})\n"
                       for number, (name, title) in enumerate(titles.items(), start=1))
    return (
        "# Reader notebooks of *Backpropagation, computed*\n\n"
        f"This branch (`{BRANCH}`) is generated; do not edit it. `make notebooks` on the main "
        f"branch writes it to `_build/reader/{BRANCH_FOLDER}/` (README, \"Publishing\").\n\n"
        f"`{folder}/` holds one notebook per chapter of the student edition (no solutions): "
        "every number, reference and exercise of the book as plain Markdown, with the outputs "
        "kept. The book's Binder and Colab buttons open them; they also run in any Jupyter "
        "front end, where their first code cell installs the course's engine if it is "
        "missing.\n\n"
        f"For Binder, `requirements.txt` installs the engine, `{requirement(version)}`, "
        f"and `runtime.txt` picks Python {BINDER_PYTHON}.\n\n"
        f"## Chapters\n\n{chapters}")


def write_branch(folder: Path, notebooks: dict[str, nbformat.NotebookNode],
                 version: str) -> list[Path]:
    """Write the branch's tree into ``folder``: notebooks, Binder's files, a README.

    ``folder`` is emptied first (a chapter renamed or dropped must not stay published);
    it must be empty, or a tree this function wrote (it holds the branch's README).
    """
    folder = Path(folder)
    readme = folder / "README.md"
    if folder.exists() and any(folder.iterdir()):
        if not (readme.is_file() and readme.read_text().startswith(
                "# Reader notebooks of")):
            raise FileExistsError(f"{folder} is not empty and not a reader-notebooks tree; "
                                  "refusing to replace it")
        shutil.rmtree(folder)
    chapters = folder / BRANCH_EDITION / "chapters"
    chapters.mkdir(parents=True)
    written = []
    for name, notebook in notebooks.items():
        nbformat.validate(notebook)
        nbformat.write(notebook, chapters / name)
        written.append(chapters / name)
    titles = {name: chapter_title(notebook) for name, notebook in notebooks.items()}
    files = {"README.md": branch_readme(titles, version),
             "requirements.txt": requirement(version) + "\n",
             "runtime.txt": f"python-{BINDER_PYTHON}\n"}
    for name, text in files.items():
        (folder / name).write_text(text)
        written.append(folder / name)
    return written


def leftover_myst(notebook: nbformat.NotebookNode) -> list[str]:
    """Every MyST-only construct left in the notebook's Markdown (cells and outputs)."""
    found = []
    for index, cell in enumerate(notebook.cells):
        texts = [cell.source] if cell.cell_type == "markdown" else [
            "".join(output.get("data", {}).get("text/markdown", ""))
            for output in cell.get("outputs", [])]
        for text in texts:
            found += [f"cell {index}: {syntax}" for syntax in MYST_ONLY if syntax in text]
    return found


# ------------------------------------------------------------------- the HTML book check

STRAIGHT = str.maketrans({"\u2018": "'", "\u2019": "'", "\u201c": '"', "\u201d": '"'})


def html_numbers(page: Path) -> list[str]:
    """What a built page shows for its glued values, numbers and references."""
    raw = page.read_text(encoding="utf-8")
    raw = raw[raw.find('<main'):]  # the page's own content, not the navigation
    shown = re.findall(r'<span class="pasted-text">(.*?)</span>', raw, re.S)
    shown += re.findall(r'<span class="caption-number">(.*?)</span>', raw, re.S)
    shown += re.findall(r'<span class="std std-(?:ref|numref)">(.*?)</span>', raw, re.S)
    shown += re.findall(r'<a class="reference internal" href="#equation-[^"]*">(.*?)</a>',
                        raw, re.S)
    # Sphinx's smartquotes write a section title's ' as ’ on the page; the reader notebook
    # keeps the source's straight quotes, which Jupyter shows as they are
    return [" ".join(html.unescape(re.sub(r"<[^>]+>", "", text)).split()).translate(STRAIGHT)
            for text in shown]


def html_mismatches(html_chapters: Path, reader_folder: Path) -> list[str]:
    """Values, numbers and reference texts of the HTML pages missing from the readers."""
    missing = []
    for page in sorted(Path(html_chapters).glob("*.html")):
        notebook = nbformat.read(Path(reader_folder) / (page.stem + ".ipynb"), as_version=4)
        text = " ".join(cell.source for cell in notebook.cells if cell.cell_type == "markdown")
        text = " ".join(text.replace("\\", "").split())
        for shown in html_numbers(page):
            if shown and shown not in text:
                missing.append(f"{page.name}: {shown!r}")
    return missing


def main(arguments: list[str]) -> int:
    if len(arguments) > 1:
        print(__doc__.strip().splitlines()[2], file=sys.stderr)
        return 2
    out = Path(arguments[0]) if arguments else ROOT / "_build" / "reader"
    written = write_reader_notebooks(out, branch=True)
    count = sum(path.suffix == ".ipynb" for path in written)
    print(f"{count} reader notebooks written to {out}/{{{','.join(EDITIONS)}}}; the branch "
          f"{BRANCH} to push: {out}/{BRANCH_FOLDER}/")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
