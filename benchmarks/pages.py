"""Weight and speed of every page of a built book, in headless Chromium.

    python benchmarks/pages.py [HTML_ROOT] [--loads N]

HTML_ROOT is a built book (default ``_build/html``: run ``make book`` first, or point it at
``_editions/instructor/_build/html``). The book is served on 127.0.0.1 (every other host
blocked, as a reader offline would see it) and each page is loaded N times (default 3), each
time in a fresh browser context, so nothing comes from a cache. Printed per page: its
requests, kilobytes as served and as a static host sends them gzipped (``gzip -6`` of each
body, tests/page_weight.py), and the median time to the load event and to the first
contentful paint (the page's own performance API). Under the table: the issue's budget
(tests/test_built_book.py asserts it on every page) and the heaviest page. Times depend on
the machine and its load: compare them within one run.
"""

from __future__ import annotations

import argparse
import functools
import statistics
import sys
import threading
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import urlsplit

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))  # the counting the budget test uses

from page_weight import MAX_GZIP_BYTES, MAX_REQUESTS, Weight, summarise  # noqa: E402

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update"]
QUIET_MS = 500  # as playwright's "networkidle": no request in flight for this long
TIMINGS = """() => {
    const navigation = performance.getEntriesByType("navigation")[0];
    const paint = performance.getEntriesByName("first-contentful-paint")[0];
    return {load: navigation.loadEventEnd || null, paint: paint ? paint.startTime : null};
}"""


def pages(html_root: Path) -> list[str]:
    """Every page of the book and its search page; not index.html (a redirect) or the
    theme's own folders."""
    found = sorted(p.relative_to(html_root).as_posix() for p in html_root.rglob("*.html")
                   if not any(part.startswith("_") for part in p.relative_to(html_root).parts))
    return [name for name in found if name != "index.html"]


class QuietHandler(SimpleHTTPRequestHandler):
    protocol_version = "HTTP/1.1"  # keep-alive, as a real host

    def log_message(self, format, *args):  # noqa: A002 - the stdlib's signature
        pass


def serve(html_root: Path) -> tuple[ThreadingHTTPServer, str]:
    handler = functools.partial(QuietHandler, directory=str(html_root))
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server, f"http://127.0.0.1:{server.server_address[1]}/"


def load_once(browser, url: str) -> dict:
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.route("**/*", lambda route: route.continue_()
               if urlsplit(route.request.url).hostname == "127.0.0.1" else route.abort())
    weight = Weight.of(page)
    page.goto(url, wait_until="networkidle")
    page.wait_for_timeout(QUIET_MS)  # requests a settled page makes late (fonts, modules)
    timings = page.evaluate(TIMINGS)
    summary = summarise(weight)
    context.close()
    return {"summary": summary, **timings}


def median(values: list) -> float | None:
    values = [v for v in values if v is not None]
    return statistics.median(values) if values else None


def row(cells: list, widths: list[int]) -> str:
    return "  ".join(str(c).ljust(w) if i == 0 else str(c).rjust(w)
                     for i, (c, w) in enumerate(zip(cells, widths, strict=True)))


def main(arguments: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("html_root", nargs="?", default=str(ROOT / "_build" / "html"))
    parser.add_argument("--loads", type=int, default=3, help="loads per page (default 3)")
    options = parser.parse_args(arguments)
    html_root = Path(options.html_root)
    if not (html_root / "search.html").is_file():
        print(f"{html_root} holds no built book: run `make book` first, or name a built "
              "book's html folder", file=sys.stderr)
        return 2
    if not Path(CHROMIUM).exists():
        print(f"{CHROMIUM} is missing (apt-get install chromium)", file=sys.stderr)
        return 2
    from playwright.sync_api import sync_playwright

    server, base = serve(html_root)
    widths = [38, 8, 8, 8, 8, 8]
    print(row(["page", "requests", "KB raw", "KB gzip", "load ms", "FCP ms"], widths))
    results = {}
    try:
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
            for name in pages(html_root):
                loads = [load_once(browser, base + name) for _ in range(options.loads)]
                summary = loads[-1]["summary"]  # the same files on every load
                times = [median([x[key] for x in loads]) for key in ("load", "paint")]
                results[name] = summary
                print(row([name, summary.requests, f"{summary.raw / 1e3:.0f}",
                           f"{summary.gzipped / 1e3:.0f}",
                           *("-" if t is None else f"{t:.0f}" for t in times)], widths),
                      flush=True)
            browser.close()
    finally:
        server.shutdown()
        server.server_close()
    heaviest = max(results, key=lambda name: results[name].gzipped)
    most = max(results, key=lambda name: results[name].requests)
    print(f"\nbudget: at most {MAX_REQUESTS} requests and {MAX_GZIP_BYTES / 1e3:.0f} KB gzipped "
          f"per page (medians of {options.loads} loads, cold cache)")
    print(f"heaviest: {heaviest}, {results[heaviest].gzipped / 1e3:.0f} KB gzipped; most "
          f"requests: {most}, {results[most].requests}")
    print("largest responses of the heaviest: " + ", ".join(
        f"{urlsplit(r.url).path.lstrip('/')} {r.gzipped / 1e3:.0f} KB"
        for r in results[heaviest].largest[:3]))
    over = [name for name, s in results.items() if s.over_budget()]
    print("over budget: " + (", ".join(over) if over else "none"))
    return 1 if over else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
