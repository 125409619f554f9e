"""The built book's pages in headless Chromium, offline: what test_built_book.py (the
instructor edition) and test_built_student.py (the student edition) share.

``serve`` puts an edition's HTML on 127.0.0.1; ``open_page`` loads a page with every other
host blocked, collects console errors and failed requests, and returns once no request has
been in flight for a while; ``PAGES`` are the pages of the table of contents.
"""

from __future__ import annotations

import functools
import html
import re
import threading
import time
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import urlsplit

from page_weight import Weight

ROOT = Path(__file__).resolve().parent.parent
# Console messages that are known, harmless, and not ours to fix (each says why):
CONSOLE_ALLOWED = [
    # sphinx-thebe includes its launcher script twice on every page.
    re.compile(r"Identifier 'THEBE_JS_URL' has already been declared"),
    # pydata-sphinx-theme logs this while it reads the saved light/dark preference.
    re.compile(r"invalid theme mode", re.I),
]


def toc_pages() -> list[str]:
    import yaml

    toc = yaml.safe_load((ROOT / "_toc.yml").read_text())
    files = [toc["root"]] + [c["file"] for part in toc["parts"] for c in part["chapters"]]
    return [f"{name}.html" for name in files]


PAGES = toc_pages()


class _QuietHandler(SimpleHTTPRequestHandler):
    # Keep-alive: one connection per browser socket instead of one per file. Every new
    # connection takes a local port, and a kernel starting meanwhile (nbval's, on the
    # other worker) can lose the port it was handed (see kernel_race.py).
    protocol_version = "HTTP/1.1"

    def log_message(self, format, *args):  # noqa: A002 - the stdlib's signature
        pass


def serve(html_root: Path):
    """Serve ``html_root`` until the generator is closed: yields (base URL, html_root)."""
    handler = functools.partial(_QuietHandler, directory=str(html_root))
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}/", html_root
    server.shutdown()
    server.server_close()


PAGE_TIMEOUT_MS = 120_000  # a busy 2-core CI machine has taken over 30 s to settle a page
QUIET_MS = 500  # as playwright's "networkidle": no request in flight for this long


def open_page(browser, base: str, name: str, width: int, weight: Weight | None = None,
              settle: bool = True):
    """Load a page with other hosts blocked; returns (page, problems list).

    Returns once no request has been in flight for QUIET_MS (MathJax and the widget
    manager fetch fonts and modules after the load event); a page that does not settle
    fails naming the requests still open. With ``settle=False`` it returns after the load
    event, for a caller that waits for what it needs itself.
    """
    context = browser.new_context(viewport={"width": width, "height": 900})
    context.set_default_timeout(PAGE_TIMEOUT_MS)
    page = context.new_page()
    problems: list[str] = []
    in_flight: dict[object, str] = {}

    def route(request_route):
        host = urlsplit(request_route.request.url).hostname
        if host == "127.0.0.1":
            request_route.continue_()
        else:
            problems.append(f"request to another host blocked: {request_route.request.url}")
            request_route.abort()

    page.route("**/*", route)
    if weight is not None:  # the page's requests and bytes (tests/page_weight.py)
        weight.attach(page)
    page.on("request", lambda r: in_flight.__setitem__(r, r.url))
    page.on("requestfinished", lambda r: in_flight.pop(r, None))
    page.on("requestfailed", lambda r: in_flight.pop(r, None))
    page.on("console", lambda m: m.type == "error" and problems.append(f"console: {m.text}"))
    page.on("pageerror", lambda e: problems.append(f"page error: {e}"))
    page.on("requestfailed", lambda r: "127.0.0.1" in r.url
            and problems.append(f"failed to load {r.url}"))
    page.on("response", lambda r: r.status >= 400 and problems.append(f"{r.status} {r.url}"))
    response = page.goto(base + name, wait_until="load")
    assert response is not None and response.ok, f"{name} did not load"
    if settle:  # without it the caller waits for what it needs (math, views) itself
        wait_until_quiet(page, in_flight, name)
    return page, problems


def wait_until_quiet(page, in_flight: dict, name: str) -> None:
    deadline = time.monotonic() + PAGE_TIMEOUT_MS / 1000
    quiet_since = None
    while True:
        now = time.monotonic()
        if in_flight:
            quiet_since = None
        elif quiet_since is None:
            quiet_since = now
        elif now - quiet_since >= QUIET_MS / 1000:
            return
        assert now < deadline, (
            f"{name} still loading after {PAGE_TIMEOUT_MS / 1000:.0f} s: "
            f"{sorted(in_flight.values())}"
        )
        page.wait_for_timeout(50)  # lets playwright deliver the page's events


def wait_for_math(page) -> None:
    page.wait_for_function(
        "() => window.MathJax && MathJax.startup && MathJax.startup.promise"
    )
    page.evaluate("() => MathJax.startup.promise")


def wait_for_widget_views(page) -> None:
    """Every embedded widget view (the explorers) rendered by the widget manager."""
    views = page.locator('script[type="application/vnd.jupyter.widget-view+json"]').count()
    if views:
        page.wait_for_function(
            "n => document.querySelectorAll('.jupyter-widgets.widget-container, "
            ".jupyter-widgets.widget-inline-hbox, .widget-vbox').length >= n",
            arg=views,
        )


def unexpected(problems: list[str]) -> list[str]:
    return [p for p in problems if not any(rule.search(p) for rule in CONSOLE_ALLOWED)]


def page_text(path: Path) -> str:
    """The visible text of a built page (tags removed, entities decoded)."""
    raw = path.read_text(encoding="utf-8")
    raw = re.sub(r"<(script|style)\b.*?</\1>", " ", raw, flags=re.S)
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", raw)).split())
