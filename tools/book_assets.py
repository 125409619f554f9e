"""Sphinx extension: the book never builds without its page assets.

The book serves MathJax, require.js and its own widget embedder (tools/widget_embed) itself
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
``FONTAWESOME_JS``): the theme's CSS draws the same icons; and it cuts the theme's Font
Awesome webfonts down to the glyphs the built pages can show (see ``subset_fontawesome``).
"""

from __future__ import annotations

import re
from pathlib import Path
from urllib.parse import unquote, urlsplit

import vendor_assets
from sphinx.util import logging

LOGGER = logging.getLogger(__name__)
FIX = "python tools/vendor_assets.py"


def ensure_assets(app) -> None:
    """Vendor the page assets into ``<book>/assets/vendor`` unless they are current."""
    out = Path(app.srcdir) / "assets" / "vendor"
    if vendor_assets.is_current(out):
        return
    LOGGER.info("book_assets: fetching MathJax, require.js and the widget embedder with npm")
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


# The webfont that draws those icons (fa-solid-900.woff2, 156 kB, on every page) holds
# about 2,000 glyphs; a page of this book can show about 20. After the build, each Font
# Awesome webfont the pages' stylesheets declare is rewritten with only the glyphs that
# some page can show (fontTools' subsetter; brotli for woff2): the glyph of every `fa-NAME`
# icon named by a page or by a script the theme or the book loads (the search dialog's
# close button is added by the theme's script), of every widget icon in a page's saved
# widget state, and every character the stylesheets themselves draw with `content` or
# keep in a custom property (admonition, external-link, breadcrumb icons: kept whether or
# not a page uses them, as a rule's selector is not matched here). The names come from the
# built pages and the theme's own CSS, so a new icon or a theme update needs no list to be
# edited; tests/fontawesome_check.py checks in the browser that every glyph a page draws
# with Font Awesome is in the font it loads. The theme's original font is the source on
# every build (Sphinx copies it again before this step), so an icon added to a page later
# gets its glyph back.
CSS_RULE = re.compile(r"([^{}]*)\{([^{}]*)\}")
CSS_STRING = re.compile(r'"((?:\\.|[^"\\])*)"|\'((?:\\.|[^\'\\])*)\'', re.S)
CSS_ESCAPE = re.compile(r"\\([0-9a-fA-F]{1,6})[ \t\n]?|\\(.)", re.S)
ICON_SELECTOR = re.compile(r"\.fa-([a-z0-9-]+)::?before")
ICON_NAME = re.compile(r"\bfa-([a-z0-9]+(?:-[a-z0-9]+)*)")
WIDGET_ICON = re.compile(r'"icon":\s*"([a-z0-9-]+)"')  # ipywidgets draws it as `fa fa-NAME`
LINK = re.compile(r"<link\b[^>]*>")
SCRIPT = re.compile(r'<script\b[^>]*\bsrc="([^"]+)"')
FONT_URL = re.compile(r'url\(\s*["\']?([^"\')]+)["\']?\s*\)')


def css_text(string: str) -> str:
    """A CSS string's characters, its escapes (``\\f002``, ``\\30 ``) decoded."""
    return CSS_ESCAPE.sub(lambda m: chr(int(m.group(1), 16)) if m.group(1) else m.group(2),
                          string)


def local_file(html: Path, page: Path, url: str) -> Path | None:
    """The built file a page's relative URL names, or None (another host, or missing)."""
    parts = urlsplit(url)
    if parts.scheme or parts.netloc or not parts.path:
        return None
    found = (page.parent / unquote(parts.path)).resolve()
    return found if found.is_file() and html.resolve() in found.parents else None


def fontawesome_glyphs(html: Path) -> tuple[set[int], dict[Path, str]]:
    """What the built book can draw with Font Awesome.

    Returns
    -------
    codepoints : set of int
        Every character a page can show in a Font Awesome font (see the comment above).
    fonts : dict of Path to str
        Each Font Awesome webfont file the pages' stylesheets declare, and its family.
    """
    pages = [p for p in html.rglob("*.html")
             if not any(part.startswith("_") for part in p.relative_to(html).parts[:-1])]
    names, stylesheets, scripts = set(), set(), set()
    for page in pages:
        text = page.read_text(encoding="utf-8")
        names |= set(ICON_NAME.findall(text)) | set(WIDGET_ICON.findall(text))
        links = [re.search(r'\bhref="([^"]+)"', link) for link in LINK.findall(text)
                 if re.search(r'\brel="stylesheet"', link)]
        stylesheets |= {local_file(html, page, link.group(1)) for link in links if link}
        scripts |= {local_file(html, page, url) for url in SCRIPT.findall(text)}
    stylesheets.discard(None)
    scripts.discard(None)
    vendor = (html / "_static" / "vendor").resolve()
    for script in scripts:  # the theme's and the book's; not MathJax or the widget manager
        if vendor not in script.parents:
            names |= set(ICON_NAME.findall(script.read_text(encoding="utf-8", errors="replace")))
    by_icon, drawn, fonts = {}, set(), {}
    for sheet in stylesheets:
        css = sheet.read_text(encoding="utf-8")
        for selectors, body in CSS_RULE.findall(css):
            selectors = selectors.strip()
            if selectors.startswith("@font-face"):
                family = re.search(r"font-family:\s*([^;]+)", body)
                if family and "Font Awesome" in css_text(family.group(1)):
                    for url in FONT_URL.findall(body):
                        font = local_file(html, sheet, url)
                        if font:
                            fonts[font] = css_text(family.group(1)).strip("\"' ")
                continue
            icons = [ICON_SELECTOR.fullmatch(s.strip()) for s in selectors.split(",")]
            if icons and all(icons) and re.fullmatch(r'\s*content:\s*(["\']).*\1\s*;?\s*', body):
                double, single = CSS_STRING.findall(body)[0]
                text = css_text(double or single)
                for icon in icons:
                    by_icon[icon.group(1)] = text
                continue
            for declaration in body.split(";"):
                prop, _, value = declaration.partition(":")
                prop, value = prop.strip(), value.strip()
                whole_string = CSS_STRING.fullmatch(value)
                if prop == "content" or (prop.startswith("--") and whole_string):
                    for double, single in CSS_STRING.findall(value):
                        drawn |= {ord(c) for c in css_text(double or single)}
    for name in names & by_icon.keys():
        drawn |= {ord(c) for c in by_icon[name]}
    return drawn, fonts


def theme_original(app, built: Path) -> Path | None:
    """The theme's own copy of a file Sphinx copied to ``_static`` (never a subset)."""
    relative = built.relative_to(Path(app.outdir, "_static").resolve())
    for folder in app.builder.theme.get_theme_dirs():
        source = Path(folder, "static", relative)
        if source.is_file():
            return source
    return None


def subset_fontawesome(app, exception) -> None:
    if exception is not None or app.builder.format != "html":
        return
    from fontTools import subset
    from fontTools.ttLib import TTFont

    codepoints, fonts = fontawesome_glyphs(Path(app.outdir))
    for built, family in sorted(fonts.items()):
        source = theme_original(app, built)
        if source is None or built.suffix not in (".woff2", ".woff", ".ttf"):
            continue
        options = subset.Options()
        options.flavor = {".woff2": "woff2", ".woff": "woff", ".ttf": None}[built.suffix]
        options.name_IDs, options.name_languages = ["*"], ["*"]  # copyright and names
        options.notdef_outline = True
        font = TTFont(source)
        subsetter = subset.Subsetter(options)
        subsetter.populate(unicodes=codepoints & set(font.getBestCmap()))
        subsetter.subset(font)
        font.flavor = options.flavor
        font.save(built)
        LOGGER.info(f"book_assets: {family} {built.name}: {source.stat().st_size // 1024} kB "
                    f"-> {built.stat().st_size // 1024} kB "
                    f"({len(font.getBestCmap())} of its glyphs shown)")


def setup(app):
    app.connect("builder-inited", ensure_assets)
    app.connect("build-finished", drop_fontawesome_js)
    app.connect("build-finished", subset_fontawesome)
    return {"parallel_read_safe": True, "parallel_write_safe": True, "version": "1"}
