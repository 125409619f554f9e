"""A plain ``jupyter-book build`` never gives a book without math (tools/book_assets.py).

The page assets (MathJax, the widget manager, require.js) are vendored from npm into
assets/vendor, which a fresh clone does not have. Each test builds a fresh copy of the
book's configuration without them (intro and chapter 1, from their committed outputs):
with npm at hand the build fetches them and the page's math renders in Chromium; without
npm it stops at once, non-zero, with one line naming the command that fixes it.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import fontawesome_check
import pytest
import yaml
from tool_modules import load_tool

ROOT = Path(__file__).resolve().parent.parent
JUPYTER_BOOK = Path(sys.executable).with_name("jupyter-book")
CHAPTER = "chapters/01_learning_problem"


def fresh_copy(folder: Path) -> Path:
    """The book's configuration, intro and chapter 1, as a clone has them (no vendor/)."""
    for name in ("_config.yml", "intro.md"):
        shutil.copy2(ROOT / name, folder / name)
    shutil.copytree(ROOT / "tools", folder / "tools",
                    ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copytree(ROOT / "assets", folder / "assets", ignore=shutil.ignore_patterns("vendor"))
    (folder / "chapters").mkdir()
    shutil.copy2(ROOT / f"{CHAPTER}.ipynb", folder / f"{CHAPTER}.ipynb")
    toc = yaml.safe_load((ROOT / "_toc.yml").read_text())
    toc["parts"] = [{"caption": "Foundations", "numbered": True,
                     "chapters": [{"file": CHAPTER}]}]
    (folder / "_toc.yml").write_text(yaml.safe_dump(toc, sort_keys=False))
    config = yaml.safe_load((ROOT / "_config.yml").read_text())
    config["execute"]["execute_notebooks"] = "off"  # nbval checks the outputs elsewhere
    (folder / "_config.yml").write_text(yaml.safe_dump(config, sort_keys=False))
    assert not (folder / "assets" / "vendor").exists()
    return folder


def build(folder: Path, path: str) -> subprocess.CompletedProcess:
    """``jupyter-book build`` of ``folder`` with ``path`` as PATH and no repository set."""
    environment = {k: v for k, v in os.environ.items() if k != "COURSE_REPOSITORY"}
    # Not -W: chapter 1 refers to chapters this copy leaves out.
    return subprocess.run([str(JUPYTER_BOOK), "build", str(folder)], cwd=folder,
                          env={**environment, "PATH": path}, capture_output=True, text=True,
                          timeout=600)


def test_without_npm_the_build_stops_with_the_fix(tmp_path):
    book = fresh_copy(tmp_path)
    result = build(book, path=str(JUPYTER_BOOK.parent))  # this Python, but no npm
    assert result.returncode != 0
    lines = [line for line in (result.stdout + result.stderr).splitlines() if line.strip()]
    assert "Traceback" not in result.stdout + result.stderr
    assert "npm is not installed" in lines[-1]
    assert "Run `python tools/vendor_assets.py`" in lines[-1]
    assert not (book / "_build" / "html" / f"{CHAPTER}.html").exists()


def test_with_npm_the_build_fetches_the_assets_and_math_renders(tmp_path, browser):
    if shutil.which("npm") is None:
        pytest.skip("npm is not installed (the other test covers this case)")
    book = fresh_copy(tmp_path)
    result = build(book, path=os.environ["PATH"])
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
    html = book / "_build" / "html"
    assert (html / "_static" / "vendor" / "mathjax" / "tex-chtml.js").is_file()
    page = browser.new_page()
    page.route("**/*", lambda route: route.continue_() if route.request.url.startswith("file:")
               else route.abort())
    requested = []
    page.on("request", lambda request: requested.append(request.url))
    page.goto((html / f"{CHAPTER}.html").as_uri())
    page.wait_for_function("() => window.MathJax && MathJax.startup && MathJax.startup.promise",
                           timeout=120_000)
    page.evaluate("() => MathJax.startup.promise")
    assert page.locator("mjx-container").count() > 10
    assert page.locator("mjx-merror").count() == 0
    check_icons_without_fontawesome_js(page, html, requested)
    page.close()
    # the same build (no repository set) serves the buttons' check: a build is 7 s
    check_no_repository_or_launch_button(book)


# Every Font Awesome icon the theme puts on a page, drawn by its CSS and webfont.
ICONS = """async () => {
    await document.fonts.ready;
    const icons = [...document.querySelectorAll("[class*='fa-']")]
        .filter(element => /(^|\\s)fa-[a-z]/.test(element.getAttribute("class")));
    const drawn = element => {
        const before = getComputedStyle(element, "::before");
        return /Font Awesome/.test(before.fontFamily) && !["none", "normal", '""']
            .includes(before.content);
    };
    return {
        icons: icons.length,
        undrawn: icons.filter(element => !drawn(element)).map(e => e.getAttribute("class")),
        svg: document.querySelectorAll("svg.svg-inline--fa").length,
        fonts: [...document.fonts].filter(font => font.status === "loaded")
            .map(font => `${font.family} ${font.weight}`),
    };
}"""


def check_icons_without_fontawesome_js(page, html: Path, requested: list[str]) -> None:
    """The theme ships fontawesome.js, the page does not load it (tools/book_assets.py), and
    every icon still shows: its ::before glyph in Font Awesome's webfont, which loaded, and
    which is the theme's cut down to the glyphs the book shows, this page's among them."""
    assert (html / "_static" / "scripts" / "fontawesome.js").is_file()  # the theme's
    assert not [url for url in requested if "fontawesome.js" in url], requested
    icons = page.evaluate(ICONS)
    assert icons["icons"] >= 10, icons  # search, menus, colour modes, download, ...
    assert icons["undrawn"] == [] and icons["svg"] == 0, icons
    assert any("Font Awesome 6 Free" in font for font in icons["fonts"]), icons
    drawn = fontawesome_check.check_icons(page, html, requested)
    assert len(drawn) >= icons["icons"], drawn  # the theme's CSS icons besides the classes
    solid = html / "_static" / "vendor" / "fontawesome" / "webfonts" / "fa-solid-900.woff2"
    theirs = fontawesome_check.theme_original(html, solid)
    # the subset: a few dozen glyphs of the theme's ~2,000, a few kB of its 156
    assert len(fontawesome_check.cmap(solid)) < 200 < len(fontawesome_check.cmap(theirs))
    assert solid.stat().st_size < theirs.stat().st_size / 10


def test_the_fontawesome_subset_keeps_the_glyphs_the_pages_and_scripts_name(tmp_path):
    """book_assets.fontawesome_glyphs reads icons from the pages (classes, saved widget
    icons), from the scripts they load (not vendor/) and from the stylesheets' own content;
    an icon named nowhere is left out."""
    load_tool("vendor_assets")  # book_assets imports it by name, as Sphinx loads it
    book_assets = load_tool("book_assets")
    static = tmp_path / "_static"
    (static / "fonts").mkdir(parents=True)
    (static / "vendor").mkdir()
    (static / "theme.css").write_text(
        '@font-face{font-family:Font Awesome\\ 6 Free;src:url(fonts/fa.woff2) format("woff2")}'
        '.fa-magnifying-glass:before,.fa-search:before{content:"\\f002"}'
        '.fa-xmark:before{content:"\\f00d"}.fa-gear:before{content:"\\f013"}'
        '.fa-bolt:before{content:"\\f0e7"}.fa-trash:before{content:"\\f1f8"}'
        '.fa-moon:before{content:"\\f186"}'
        'html{--pst-icon-note:"\\f05a";--fa-font:normal 900 1em "Font Awesome 6 Free"}'
        '@media (min-width:1px){.note:after{content:var(--pst-icon-note)}}')
    (static / "fonts" / "fa.woff2").write_bytes(b"")
    (static / "theme.js").write_text('button.innerHTML = "<i class=\'fa-solid fa-xmark\'>";')
    (static / "vendor" / "lib.js").write_text('"fa-trash"')  # a library's own icons
    (tmp_path / "page.html").write_text(
        '<link href="_static/theme.css?digest=1" rel="stylesheet" />'
        '<script src="_static/theme.js"></script><script src="_static/vendor/lib.js"></script>'
        '<i class="fa-solid fa-magnifying-glass fa-lg"></i>'
        '<script type="application/vnd.jupyter.widget-state+json">{"icon": "gear"}</script>')
    codepoints, fonts = book_assets.fontawesome_glyphs(tmp_path)
    assert codepoints == {0xF002, 0xF00D, 0xF013, 0xF05A}
    assert fonts == {(static / "fonts" / "fa.woff2").resolve(): "Font Awesome 6 Free"}


# ---------------------------------------------------------------------------------------------
# The repository and launch buttons follow from one setting (tools/book_links.py).

def page_links(book: Path) -> list[str]:
    import re

    page = (book / "_build" / "html" / f"{CHAPTER}.html").read_text(encoding="utf-8")
    return re.findall(r'href="(https?://[^"]+)"', page)


def check_no_repository_or_launch_button(book: Path) -> None:
    """A book built without COURSE_REPOSITORY links no repository and no launcher; its root
    page redirects to the first page, with a title, a language and the tab icon.
    (Called by the npm test above, on its build.)"""
    links = page_links(book)
    for host in ("github.com", "gitlab.com", "mybinder.org", "colab.research.google.com"):
        assert not [link for link in links if host in link], f"a link to {host}: {links}"
    index = (book / "_build" / "html" / "index.html").read_text(encoding="utf-8")
    assert '<html lang="en">' in index and "<title>Backpropagation, computed</title>" in index
    assert 'content="0; url=intro.html"' in index
    assert '<link rel="icon" href="_static/favicon.svg">' in index
    assert (book / "_build" / "html" / "_static" / "favicon.svg").exists()


def test_a_repository_gives_buttons_that_open_the_reader_notebooks(tmp_path):
    book = fresh_copy(tmp_path)
    shutil.copytree(ROOT / "assets" / "vendor", book / "assets" / "vendor")
    config = yaml.safe_load((book / "_config.yml").read_text())
    config["sphinx"]["config"]["course_edition"] = "student"  # as make_edition.py sets it
    (book / "_config.yml").write_text(yaml.safe_dump(config, sort_keys=False))
    repository = "https://github.com/example-org/backprop-book"
    result = subprocess.run([str(JUPYTER_BOOK), "build", str(book)],
                            env={**os.environ, "COURSE_REPOSITORY": repository},
                            capture_output=True, text=True, timeout=600)
    assert result.returncode == 0, result.stdout[-3000:]
    links = page_links(book)
    notebook = f"reader-notebooks/student/{CHAPTER}.ipynb"
    assert repository in links
    assert (f"https://colab.research.google.com/github/example-org/backprop-book/blob/{notebook}"
            in links), links
    assert any(link.startswith("https://mybinder.org/v2/gh/example-org/backprop-book/"
                               "reader-notebooks?urlpath=lab/tree/" + notebook[17:])
               for link in links), links


def test_the_instructor_edition_gets_the_repository_button_but_no_launch_button(monkeypatch):
    """The public branch holds the student notebooks only: an instructor page's launch
    button would lead nowhere."""
    from types import SimpleNamespace

    book_links = load_tool("book_links")
    monkeypatch.setenv("COURSE_REPOSITORY", "https://github.com/example-org/backprop-book")
    for edition, launches in (("student", True), ("instructor", False)):
        config = SimpleNamespace(html_theme_options={}, course_repository="",
                                 course_notebooks_branch="reader-notebooks",
                                 course_edition=edition)
        book_links.configure_buttons(None, config)
        options = config.html_theme_options
        assert options["use_repository_button"] is True, edition
        assert bool(options["launch_buttons"]) is launches, edition


def test_a_malformed_repository_stops_the_build(tmp_path):
    book = fresh_copy(tmp_path)
    result = subprocess.run([str(JUPYTER_BOOK), "build", str(book)],
                            env={**os.environ, "COURSE_REPOSITORY": "github.com/no-scheme"},
                            capture_output=True, text=True, timeout=600)
    assert result.returncode != 0
    assert "must look like https://github.com/<owner>/<repo>" in result.stdout + result.stderr
