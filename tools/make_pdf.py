"""Print the built book to PDF: one file per page of the table of contents, and the whole book.

Usage: python tools/make_pdf.py [HTML] [OUT]    (defaults: _build/html and _build/pdf)

Each page of ``_toc.yml`` is opened in the headless Chromium the browser tests use
(Debian's ``/usr/bin/chromium``, never a downloaded browser), from a server on 127.0.0.1
with every other host refused, and printed on A4 with the book's print stylesheet
(``assets/course.css``: the chapter's numbered title, code that wraps, explorers' diagrams
and numbers without their controls, solutions open). The pages are written as
``OUT/<name>.pdf`` (``chapters/04_sigmoid.pdf``, ...) and joined, in the order of the
table of contents, into ``OUT/book.pdf`` with pypdf. A page is printed once MathJax has
typeset it and the widget views have rendered, so no equation prints as raw TeX.

Why not LaTeX: a TeX installation is several hundred megabytes on these machines, and the
explorers' SVG views and the widget state would not reach it; Chromium is already here.
"""

from __future__ import annotations

import functools
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


def join(files: list[Path], target: Path) -> int:
    """``files`` joined into ``target``; returns its number of pages."""
    from pypdf import PdfWriter

    writer = PdfWriter()
    for file in files:
        writer.append(str(file))
    with target.open("wb") as stream:
        writer.write(stream)
    return len(writer.pages)


def main(arguments: list[str]) -> int:
    if len(arguments) > 2:
        print(__doc__.splitlines()[2], file=sys.stderr)
        return 2
    html = Path(arguments[0]) if arguments else ROOT / "_build" / "html"
    out = Path(arguments[1]) if len(arguments) > 1 else ROOT / "_build" / "pdf"
    book = html.resolve().parent.parent  # <book>/_build/html
    pages = toc_pages(book if (book / "_toc.yml").is_file() else ROOT)
    files = print_pages(html, out, pages)
    count = join(files, out / "book.pdf")
    print(f"wrote {len(files)} page PDFs and {out / 'book.pdf'} ({count} A4 pages)")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
