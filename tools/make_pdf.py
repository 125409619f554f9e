"""Print the built book to PDF: one file per page of the table of contents, and the whole book.

Usage: python tools/make_pdf.py [HTML] [OUT]    (defaults: _build/html and _build/pdf)

Each page of ``_toc.yml`` is opened in the headless Chromium the browser tests use
(Debian's ``/usr/bin/chromium``, never a downloaded browser), from a server on 127.0.0.1
with every other host refused, and printed on A4 with the book's print stylesheet
(``assets/course.css``: the chapter's numbered title, code that wraps, explorers' diagrams
and numbers without their controls, solutions open). The pages are written as
``OUT/<name>.pdf`` (``chapters/04_sigmoid.pdf``, ...), each numbered from 1 as a
handout. ``OUT/book.pdf`` is a contents page (the book's title, then every page of the
table of contents with the page it starts on), then every page in the order of the table
of contents, numbered through, with a bookmark (PDF outline entry) per chapter. A page is
printed once MathJax has typeset it and the widget views have rendered, so no equation
prints as raw TeX.

Page numbers are stamped with pypdf onto the printed pages from one PDF of numbers,
printed by the same Chromium: a printed page can number itself only from 1, and the
book's pages continue from chapter to chapter.

Why not LaTeX: a TeX installation is several hundred megabytes on these machines, and the
explorers' SVG views and the widget state would not reach it; Chromium is already here.
"""

from __future__ import annotations

import functools
import html as html_text
import re
import sys
import threading
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import urlsplit

ROOT = Path(__file__).resolve().parent.parent
CHROMIUM = Path("/usr/bin/chromium")
PAGE_TIMEOUT_MS = 120_000


class _QuietHandler(SimpleHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, format, *args):  # noqa: A002 - the stdlib's signature
        pass


def toc_pages(book: Path) -> list[str]:
    """The pages of the book's ``_toc.yml``, in order (``intro``, ``chapters/01_...``)."""
    import yaml

    toc = yaml.safe_load((book / "_toc.yml").read_text(encoding="utf-8"))
    return [toc["root"]] + [c["file"] for part in toc["parts"] for c in part["chapters"]]


def print_pages(html: Path, out: Path, pages: list[str], browser=None) -> list[Path]:
    """Print each page of ``html`` to ``out/<page>.pdf``; returns the files in order.

    ``browser``: a playwright Chromium already running (the tests pass theirs), else one
    is started here.
    """
    missing = [page for page in pages if not (html / f"{page}.html").is_file()]
    if missing:
        raise SystemExit(f"{html} has no {missing[0]}.html: build the book first (make book)")
    handler = functools.partial(_QuietHandler, directory=str(html))
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    base = f"http://127.0.0.1:{server.server_address[1]}/"
    try:
        if browser is not None:
            return _print(browser, base, out, pages)
        if not CHROMIUM.exists():
            raise SystemExit(f"{CHROMIUM} is missing: apt-get install chromium")
        from playwright.sync_api import sync_playwright

        with sync_playwright() as playwright:
            started = playwright.chromium.launch(
                executable_path=str(CHROMIUM), args=["--no-sandbox", "--disable-gpu"])
            try:
                return _print(started, base, out, pages)
            finally:
                started.close()
    finally:
        server.shutdown()
        server.server_close()


def _print(browser, base: str, out: Path, pages: list[str]) -> list[Path]:
    context = browser.new_context(viewport={"width": 1000, "height": 1400})
    context.set_default_timeout(PAGE_TIMEOUT_MS)
    page = context.new_page()

    def local_only(route):
        if urlsplit(route.request.url).hostname == "127.0.0.1":
            route.continue_()
        else:
            route.abort()

    page.route("**/*", local_only)
    written = []
    for name in pages:
        page.goto(base + f"{name}.html", wait_until="networkidle")
        page.wait_for_function("() => !window.MathJax || !MathJax.startup || "
                               "MathJax.startup.promise")
        page.evaluate("() => window.MathJax && MathJax.startup ? "
                      "MathJax.startup.promise : null")
        views = page.locator('script[type="application/vnd.jupyter.widget-view+json"]').count()
        if views:
            page.wait_for_function(
                "n => document.querySelectorAll('.bp-explorer').length >= n", arg=views)
        page.emulate_media(media="print")
        target = out / f"{name}.pdf"
        target.parent.mkdir(parents=True, exist_ok=True)
        page.pdf(path=str(target), format="A4", print_background=True,
                 margin={"top": "15mm", "bottom": "15mm", "left": "12mm", "right": "12mm"})
        page.emulate_media(media="screen")
        written.append(target)
    context.close()
    return written


def page_titles(html: Path, page: str) -> tuple[str, str]:
    """The page's own title and the book's, from the page's ``<title>``:
    ("4. The sigmoid", "Backpropagation, computed (instructor edition)")."""
    source = (html / f"{page}.html").read_text(encoding="utf-8")
    title = html_text.unescape(re.search(r"<title>(.*?)</title>", source, re.S).group(1))
    own, _, book = title.partition(" \u2014 ")
    return own.strip(), book.strip() or own.strip()


NUMBER_PAGE = ('<div style="height:297mm;position:relative;page-break-after:always">'
               '<div style="position:absolute;bottom:7mm;width:100%;text-align:center;'
               'font:9pt sans-serif;color:#52606d">{}</div></div>')


def print_html(browser, markup: str, target: Path, margin: str = "0") -> Path:
    """``markup`` (a whole HTML document) printed on A4 to ``target``."""
    context = browser.new_context()
    page = context.new_page()
    page.route("**/*", lambda route: route.abort())  # nothing to fetch
    page.set_content(markup)
    page.pdf(path=str(target), format="A4", print_background=True,
             margin={side: margin for side in ("top", "bottom", "left", "right")})
    context.close()
    return target


def numbers_pdf(browser, count: int, target: Path) -> Path:
    """A PDF of ``count`` blank A4 pages, page k showing k at its foot."""
    pages = "".join(NUMBER_PAGE.format(k) for k in range(1, count + 1))
    return print_html(browser, f'<!DOCTYPE html><html lang="en"><body style="margin:0">'
                               f"{pages}</body></html>", target)


def contents_page(title: str, entries: list[tuple[str, int]]) -> str:
    """The book's first page: its title and each page of the book with its first page."""
    rows = "".join(f"<tr><td>{html_text.escape(name)}</td><td>{first}</td></tr>"
                   for name, first in entries)
    return ('<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><style>'
            "body{font:11pt sans-serif;color:#1f2933} h1{font-size:22pt;margin:0 0 4mm}"
            "table{width:100%;border-collapse:collapse} td{padding:1.5mm 0;"
            "border-bottom:1px solid #d9dee3} td:last-child{text-align:right}"
            f"</style></head><body><h1>{html_text.escape(title)}</h1><h2>Contents</h2>"
            f"<table>{rows}</table></body></html>")


def stamp_numbers(writer, numbers):
    """Each page k of the pypdf ``writer`` numbered k, from the PDF of ``numbers``."""
    for index, page in enumerate(writer.pages):
        page.merge_page(numbers.pages[index])
    return writer


def make_book(browser, html: Path, out: Path, pages: list[str]) -> tuple[list[Path], int]:
    """Every page's numbered handout, and ``out/book.pdf``; returns (handouts, book pages)."""
    from pypdf import PdfReader, PdfWriter

    printed = print_pages(html, out, pages, browser)
    readers = [PdfReader(path) for path in printed]
    titles = [page_titles(html, page)[0] for page in pages]
    book_title = page_titles(html, pages[0])[1]
    contents_file = out / "contents.pdf"
    # the contents fit on one page for any book of this size (checked below)
    firsts, first = [], 2
    for reader in readers:
        firsts.append(first)
        first += len(reader.pages)
    print_html(browser, contents_page(book_title, list(zip(titles, firsts, strict=True))),
               contents_file, margin="20mm")
    contents = PdfReader(contents_file)
    if len(contents.pages) != 1:
        raise SystemExit(f"the contents take {len(contents.pages)} pages; make_pdf assumes 1")
    total = first - 1
    numbers = PdfReader(numbers_pdf(browser, total, out / "numbers.pdf"))
    for path, reader in zip(printed, readers, strict=True):
        with path.open("wb") as stream:
            stamp_numbers(PdfWriter(clone_from=reader), numbers).write(stream)
    book = PdfWriter()
    book.append(contents)
    for reader in readers:
        book.append(reader)
    stamp_numbers(book, numbers)
    for title, start in zip(titles, firsts, strict=True):
        book.add_outline_item(title=title, page_number=start - 1)
    with (out / "book.pdf").open("wb") as stream:
        book.write(stream)
    contents_file.unlink()
    (out / "numbers.pdf").unlink()
    return printed, total


def main(arguments: list[str]) -> int:
    if len(arguments) > 2:
        print(__doc__.splitlines()[2], file=sys.stderr)
        return 2
    html = Path(arguments[0]) if arguments else ROOT / "_build" / "html"
    out = Path(arguments[1]) if len(arguments) > 1 else ROOT / "_build" / "pdf"
    book = html.resolve().parent.parent  # <book>/_build/html
    pages = toc_pages(book if (book / "_toc.yml").is_file() else ROOT)
    if not CHROMIUM.exists():
        raise SystemExit(f"{CHROMIUM} is missing: apt-get install chromium")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM),
                                             args=["--no-sandbox", "--disable-gpu"])
        try:
            files, count = make_book(browser, html, out, pages)
        finally:
            browser.close()
    print(f"wrote {len(files)} page PDFs and {out / 'book.pdf'} ({count} A4 pages)")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
