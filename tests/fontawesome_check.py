"""Every icon of a loaded page is drawn by the theme's Font Awesome 6, from its subset font.

tools/book_assets.py drops the theme's fontawesome.js from the pages and cuts the theme's
Font Awesome webfonts down to the glyphs the book's pages can show. The stock widget manager
brought a Font Awesome 5 whose `.fas` rule took the theme's header buttons and pulled its
78 kB webfont onto every explorer page; the book's own embedder has none, and nothing may
bring one back. :func:`check_icons` checks all three on a page open in the browser
(tests/test_book_assets.py on a fresh build of chapter 1; tests/test_built_book.py on every
page of the book, explorers included).
"""

from __future__ import annotations

import re
from functools import cache
from pathlib import Path
from urllib.parse import unquote, urlsplit

import pydata_sphinx_theme
from fontTools.ttLib import TTFont

# Every ::before and ::after the page styles in a Font Awesome font (icons by class and the
# theme's own: admonitions, external links, breadcrumbs), hidden ones too (the colour-mode
# icons not shown now), with its family and weight; and the page's stylesheets, whose
# @font-face rules name the file drawn (read in Python: a file: page may not read its
# stylesheets' rules).
DRAWN = """async () => {
    await document.fonts.ready;
    const drawn = [];
    for (const element of document.querySelectorAll("body *")) {
        if (element.closest("mjx-container")) continue;
        for (const pseudo of ["::before", "::after"]) {
            const style = getComputedStyle(element, pseudo);
            const family = style.fontFamily.split(",")[0].replace(/["']/g, "").trim();
            if (!/Font Awesome/.test(family) || !/^".*"$/.test(style.content)) continue;
            drawn.push({what: `${element.tagName.toLowerCase()}.${element.className}${pseudo}`,
                        text: JSON.parse(style.content), family, weight: style.fontWeight});
        }
    }
    return {drawn, sheets: [...document.styleSheets].map(sheet => sheet.href).filter(Boolean),
            loaded: [...document.fonts].filter(font => font.status !== "unloaded")
                        .map(font => `${font.family} ${font.weight}`)};
}"""
FONT_FACE = re.compile(r"@font-face\s*\{([^}]*)\}")


def font_files(html: Path, sheets: list[str]) -> dict[tuple[str, str], Path]:
    """(family, weight) -> the first file of its @font-face rule, in the page's stylesheets."""
    faces = {}
    for href in sheets:
        sheet = served_file(html, href)
        if not sheet.is_file():
            continue
        for body in FONT_FACE.findall(sheet.read_text(encoding="utf-8")):
            family = re.search(r"font-family:\s*([^;]+)", body)
            weight = re.search(r"font-weight:\s*([^;]+)", body)
            url = re.search(r"url\(\s*[\"']?([^\"')]+)", body)
            if family and url:
                name = re.sub(r"[\\\"']", "", family.group(1)).strip()
                faces[name, weight.group(1).strip() if weight else "400"] = (
                    sheet.parent / unquote(urlsplit(url.group(1)).path)).resolve()
    return faces

# The theme's own files, which the build copies to _static/ (and then subsets).
THEME_STATIC = (Path(pydata_sphinx_theme.__file__).parent / "theme" / "pydata_sphinx_theme"
                / "static")


@cache
def cmap(path: Path) -> frozenset[int]:
    return frozenset(TTFont(path).getBestCmap())


def theme_original(html: Path, font: Path) -> Path:
    return THEME_STATIC / font.resolve().relative_to((html / "_static").resolve())


def served_file(html: Path, url: str) -> Path:
    """The file of the built book a file: or http://127.0.0.1 URL of it names."""
    path = unquote(urlsplit(url).path)
    if urlsplit(url).scheme == "file":
        return Path(path).resolve()
    return (html / path.lstrip("/")).resolve()


def check_icons(page, html: Path, requested: list[str]) -> list[str]:
    """Assert that ``page`` (open, settled) draws every Font Awesome character from a font
    that has its glyph, in Font Awesome 6 only; returns what it checked, for messages."""
    assert not [url for url in requested if "fontawesome.js" in url], requested
    found = page.evaluate(DRAWN)
    # a second Font Awesome (the stock widget manager's 5) is a second webfont per page
    assert not [font for font in found["loaded"] if "Font Awesome 5" in font], found["loaded"]
    faces = font_files(html, found["sheets"])
    missing = []
    for icon in found["drawn"]:
        font = faces.get((icon["family"], icon["weight"]))
        assert "Font Awesome 6" in icon["family"] and font is not None, (icon, faces)
        # a character the theme's font lacks falls back to a text font: no glyph is lost
        needed = cmap(theme_original(html, font))
        lacking = [f"U+{ord(c):04X}" for c in icon["text"]
                   if ord(c) in needed and ord(c) not in cmap(font)]
        if lacking:
            missing.append(f"{icon['what']}: {lacking} not in {font.name}")
    assert missing == [], missing
    return [icon["what"] for icon in found["drawn"]]
