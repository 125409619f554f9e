"""What a page of the built book costs a reader: its requests and bytes, raw and gzipped.

Shared by the browser test (tests/test_built_book.py asserts the budget on every page)
and the benchmark (benchmarks/pages.py prints every page's weight and speed). Attach a
``Weight`` to a playwright page before it loads, let the page settle, then read it.

Bytes are the response bodies as served. A static host sends text gzipped, so each body
is also counted as ``gzip -6`` would send it (fonts, PNGs and woff2 stay about the size
they are: compressed already). Every http(s) request counts, whatever its answer; data:
and blob: URLs are no requests.
"""

from __future__ import annotations

import gzip
from dataclasses import dataclass, field
from urllib.parse import urlsplit

# The budget: no page loads more than this, compressed, or makes more requests.
MAX_REQUESTS = 60
MAX_GZIP_BYTES = 1_500_000


@dataclass(frozen=True)
class Response:
    url: str
    raw: int
    gzipped: int


def gzipped_size(body: bytes) -> int:
    return len(gzip.compress(body, compresslevel=6, mtime=0))


@dataclass
class Weight:
    """The requests of one page load, recorded from playwright's events."""

    requests: list = field(default_factory=list)
    _responses: list = field(default_factory=list)

    @classmethod
    def of(cls, page) -> Weight:
        """A new record of ``page``'s requests, from now on (attach before it loads)."""
        weight = cls()
        weight.attach(page)
        return weight

    def attach(self, page) -> None:
        page.on("request", self._on_request)
        page.on("response", self._on_response)

    def _on_request(self, request) -> None:
        if urlsplit(request.url).scheme in ("http", "https"):
            self.requests.append(request.url)

    def _on_response(self, response) -> None:
        self._responses.append(response)

    def responses(self) -> list[Response]:
        """Each response with its body's size, largest (gzipped) first. Read the bodies only
        once the page has settled: playwright cannot fetch one inside its own event."""
        sized = []
        for response in self._responses:
            if urlsplit(response.url).scheme not in ("http", "https"):
                continue
            try:
                body = response.body()
            except Exception:  # a redirect or an aborted request has no body  # noqa: BLE001
                body = b""
            sized.append(Response(response.url, len(body), gzipped_size(body)))
        return sorted(sized, key=lambda r: r.gzipped, reverse=True)


@dataclass(frozen=True)
class Summary:
    requests: int
    raw: int
    gzipped: int
    largest: tuple[Response, ...]

    def over_budget(self) -> list[str]:
        """What exceeds the budget, in words naming the largest responses; empty if none."""
        faults = []
        if self.requests > MAX_REQUESTS:
            faults.append(f"{self.requests} requests (budget {MAX_REQUESTS})")
        if self.gzipped > MAX_GZIP_BYTES:
            faults.append(f"{self.gzipped / 1e6:.2f} MB gzipped (budget "
                          f"{MAX_GZIP_BYTES / 1e6:.1f} MB)")
        if faults:
            faults.append("largest: " + ", ".join(
                f"{short(r.url)} {r.gzipped / 1e3:.0f} kB" for r in self.largest))
        return faults


def summarise(weight: Weight, largest: int = 5) -> Summary:
    responses = weight.responses()
    return Summary(requests=len(weight.requests), raw=sum(r.raw for r in responses),
                   gzipped=sum(r.gzipped for r in responses),
                   largest=tuple(responses[:largest]))


def assert_within_budget(name: str, weight: Weight) -> None:
    """Fail naming what is over the budget and the page's largest responses."""
    faults = summarise(weight).over_budget()
    assert not faults, f"{name} is over the page-weight budget: " + "; ".join(faults)


def short(url: str) -> str:
    """A URL's path, which is all that tells one of the book's files from another."""
    return urlsplit(url).path.lstrip("/") or url
