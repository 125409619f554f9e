"""The book's widget embedder (tools/widget_embed, vendored into assets/vendor/widget-embed).

The built-book test (tests/test_built_book.py) checks what it is for: every explorer
renders, its sliders move its numbers, no console error, every page within the weight
budget. These check what that test cannot see: that the vendored bundle is built from the
source in the repository, that every script the pages load for widgets exists, and that
the sanitizer standing in for sanitize-html gives sanitize-html's results.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import yaml
from tool_modules import load_tool

ROOT = Path(__file__).resolve().parent.parent
VENDOR = ROOT / "assets" / "vendor"


def test_the_vendored_embedder_is_built_from_the_current_source():
    vendor_assets = load_tool("vendor_assets")
    digest = vendor_assets.widget_embed_digest()
    assert digest == vendor_assets.WIDGET_EMBED, (
        f"tools/widget_embed changed: set WIDGET_EMBED in tools/vendor_assets.py to {digest!r}, "
        "then run `python tools/vendor_assets.py`")
    stamp = json.loads((VENDOR / ".versions.json").read_text())
    assert stamp.get("widget-embed") == digest, "run `python tools/vendor_assets.py`"
    assert "html-manager" not in stamp  # the stock manager is gone, not loaded beside it
    embed = (VENDOR / "widget-embed" / "embed.js").read_text(encoding="utf-8")
    assert embed.startswith("/*! The book's Jupyter widgets embedder")
    licenses = (VENDOR / "widget-embed" / "embed.LICENSES.txt").read_text(encoding="utf-8")
    for package in ("@jupyter-widgets/base ", "@jupyter-widgets/controls ", "jquery "):
        assert package in licenses
    assert "sanitize-html" not in licenses  # sanitize.js stands in for it


def test_the_digest_follows_every_source_file_but_not_node_modules(tmp_path):
    vendor_assets = load_tool("vendor_assets")
    (tmp_path / "embed.js").write_text("a")
    first = vendor_assets.widget_embed_digest(tmp_path)
    (tmp_path / "node_modules" / "x").mkdir(parents=True)
    (tmp_path / "node_modules" / "x" / "index.js").write_text("anything")
    assert vendor_assets.widget_embed_digest(tmp_path) == first
    (tmp_path / "embed.js").write_text("b")
    assert vendor_assets.widget_embed_digest(tmp_path) != first


def test_the_pages_load_the_embedder_and_every_widget_script_exists():
    config = yaml.safe_load((ROOT / "_config.yml").read_text())
    scripts = list(config["sphinx"]["config"]["nb_ipywidgets_js"])
    assert scripts == ["widgets-compat.js", "vendor/requirejs/require.js",
                       "vendor/widget-embed/embed.js"]
    for script in scripts:
        assert (ROOT / "assets" / script).is_file(), script


# sanitize-html 2.17.5's output for ManagerBase.inline_sanitize's options (computed with the
# package itself in Node): what the stock manager showed for each description.
SANITIZE_HTML = [
    ("w<sub>4,1</sub>", "w4,1"),  # the worked explorers' slider labels
    ("\u03b7 (eta)", "\u03b7 (eta)"),
    ('<b>bold</b> and <i class="x" onclick="evil()">it</i>', '<b>bold</b> and <i class="x">it</i>'),
    ("<script>alert(1)</script>text<style>p{}</style>", "text"),
    ('<a href="javascript:alert(1)" title="t">js</a> <a href="https://example.org/?a=1&amp;b=2">'
     'ok</a> <a href="../x.html">rel</a>',
     '<a title="t">js</a> <a href="https://example.org/?a=1&amp;b=2">ok</a> '
     '<a href="../x.html">rel</a>'),
    ('<img src="x.png" onerror="evil()" alt="a"><span aria-label="l" data-x="1">s</span>',
     '<img src="x.png" /><span aria-label="l">s</span>'),
    ('1 &lt; 2 &amp; 3 > 2 "q"', '1 &lt; 2 &amp; 3 &gt; 2 "q"'),
    ("<div><p>para</p></div><!-- comment --><ul><li>one</li></ul>", "para<ul><li>one</li></ul>"),
    ("<select><option>o</option></select><textarea>t</textarea>", ""),
]
OPTIONS = {
    "allowedTags": ["a", "abbr", "b", "code", "em", "i", "img", "li", "ol", "span", "strong",
                    "ul"],
    "allowedAttributes": {"*": ["aria-*", "class", "style", "title"], "a": ["href"],
                          "img": ["src"], "style": ["media", "type"]},
}


@pytest.fixture(scope="module")
def sanitize_page(browser):
    """A blank page with tools/widget_embed/sanitize.js imported as ``window.sanitize``."""
    page = browser.new_page()
    source = (ROOT / "tools" / "widget_embed" / "sanitize.js").read_text(encoding="utf-8")
    page.evaluate("source => import('data:text/javascript;charset=utf-8,' + "
                  "encodeURIComponent(source)).then(m => { window.sanitize = m.default; })",
                  source)
    yield page
    page.close()


@pytest.mark.parametrize(("html", "expected"), SANITIZE_HTML)
def test_the_sanitizer_gives_what_sanitize_html_gives(sanitize_page, html, expected):
    shown = sanitize_page.evaluate("([html, options]) => window.sanitize(html, options)",
                                   [html, OPTIONS])
    assert shown == expected
