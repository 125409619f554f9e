"""Sphinx extension: the book never builds without its page assets.

The book serves MathJax, the Jupyter widgets HTML manager and require.js itself
(``assets/vendor/``, written by ``tools/vendor_assets.py`` from the npm registry), so
that its pages work offline. Those files are not in the repository. Without this
extension a plain ``jupyter-book build .`` in a fresh clone exits 0 and gives pages
whose math shows as raw TeX.

At ``builder-inited`` (before any page is read) this extension checks that the
vendored assets are present at the pinned versions, and fetches them with npm if they
are not. If that fails (no npm, no registry), the build stops with one line that names
the command that fixes it. ``_config.yml`` loads it as a local extension, and
``tools/make_edition.py`` copies it into each edition.

After the build it also takes the theme's Font Awesome script out of every page (see
``FONTAWESOME_JS``): the theme's CSS draws the same icons.
"""

from __future__ import annotations

import re
from pathlib import Path

import vendor_assets
from sphinx.util import logging

LOGGER = logging.getLogger(__name__)
FIX = "python tools/vendor_assets.py"


def ensure_assets(app) -> None:
    """Vendor the page assets into ``<book>/assets/vendor`` unless they are current."""
    out = Path(app.srcdir) / "assets" / "vendor"
    if vendor_assets.is_current(out):
        return
    LOGGER.info("book_assets: fetching MathJax, the widget manager and require.js with npm")
    try:
        vendor_assets.vendor(out)
    except FileNotFoundError:
        stop(out, "npm is not installed")
    except (OSError, SystemExit) as error:
        stop(out, str(error).strip().splitlines()[0] if str(error).strip() else repr(error))


def stop(out: Path, reason: str) -> None:
    """End the build with one line naming the fix (SystemExit: no traceback to read through)."""
    raise SystemExit(
        f"The book's page assets (MathJax, widget manager) are missing from {out} and could not "
        f"be fetched: {reason}. Run `{FIX}` (needs npm and the npm registry), then build again."
    )


# pydata-sphinx-theme draws its icons (search, menus, colour mode, download) with Font
# Awesome twice over: the CSS and webfonts inside pydata-sphinx-theme.css, and
# scripts/fontawesome.js (1.5 MB, 543 kB gzipped, on every page), which swaps each icon for
# an SVG and is there for icons a book adds itself. This book adds none, so its <script>
# tag leaves every written page and the CSS draws the icons (tests/test_book_assets.py
# checks that each one still shows). Matched by file name, not by the theme's digest, so a
# theme update keeps working; a theme without the script leaves nothing to drop.
FONTAWESOME_JS = re.compile(
    r'<script\b[^>]*\bsrc="[^"]*_static/scripts/fontawesome\.js[^"]*"[^>]*>\s*</script>\s*')


def drop_fontawesome_js(app, exception) -> None:
    if exception is not None or app.builder.format != "html":
        return
    for page in Path(app.outdir).rglob("*.html"):
        text = page.read_text(encoding="utf-8")
        lighter = FONTAWESOME_JS.sub("", text)
        if lighter != text:
            page.write_text(lighter, encoding="utf-8")


def setup(app):
    app.connect("builder-inited", ensure_assets)
    app.connect("build-finished", drop_fontawesome_js)
    return {"parallel_read_safe": True, "parallel_write_safe": True, "version": "1"}
