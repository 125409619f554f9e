"""Open one explorer's view in Chromium without Jupyter, to compare what it shows with the engine.

The page holds only the view's bundled ES module (:func:`backprop.explorers.widget.bundle`)
and a stand-in for the widget model (``get``, ``set``, ``on``, ``off``, ``save_changes``),
as anywidget gives it: setting a value fires ``change:<name>`` and ``change`` exactly as
the widget model does when a linked slider moves. No request leaves the page (any attempt
fails the test) and every console error is collected.

``ExplorerPage.show(values)`` sets values and returns what the view shows: the text of
each ``[data-key]`` element by key (a key shown twice must show the same text twice), the
message line, and whether anything reads NaN, undefined or Infinity.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field

from backprop.explorers.widget import bundle

_PAGE = """<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>explorer</title></head>
<body><main><div id="explorer"></div></main>
<script type="module">
const source = %(source)s;
const state = %(state)s;
const listeners = new Map();
const fire = (event) => (listeners.get(event) || []).slice().forEach((callback) => callback());
const model = {
  get: (name) => state[name],
  set(name, value) { state[name] = value; fire(`change:${name}`); fire("change"); },
  on(event, callback) { for (const name of event.split(/\\s+/)) {
    listeners.set(name, [...(listeners.get(name) || []), callback]); } },
  off(event, callback) { for (const name of (event || "").split(/\\s+/)) {
    listeners.set(name, (listeners.get(name) || []).filter((c) => callback && c !== callback)); } },
  save_changes() { window.saved = (window.saved || 0) + 1; },
  send() {},
};
const url = URL.createObjectURL(new Blob([source], { type: "text/javascript" }));
const view = (await import(url)).default;
const el = document.getElementById("explorer");
await view.render({ model, el });
window.explorer = {
  model,
  show(values) {
    for (const [name, value] of Object.entries(values)) { model.set(name, value); }
    const numbers = {};
    const conflicts = [];
    for (const node of el.querySelectorAll("[data-key]")) {
      const key = node.getAttribute("data-key");
      const text = node.textContent;
      if (key in numbers && numbers[key] !== text) { conflicts.push([key, numbers[key], text]); }
      numbers[key] = text;
    }
    const message = Array.from(el.querySelectorAll("[data-message]"))
      .map((node) => node.textContent).join(" ").trim();
    return { numbers, conflicts, message, text: el.innerText };
  },
};
window.ready = true;
</script></body></html>
"""


@dataclass
class ExplorerPage:
    """One explorer's view in a page, driven through its model."""

    page: object
    errors: list = field(default_factory=list)
    requests: list = field(default_factory=list)

    def show(self, values: dict) -> dict:
        """Set ``values`` and return ``{"numbers", "conflicts", "message", "text"}``."""
        return self.page.evaluate("(values) => window.explorer.show(values)", values)

    def show_all(self, settings: list[dict]) -> list[dict]:
        """:meth:`show` for each setting in turn, in one round trip."""
        return self.page.evaluate(
            "(settings) => settings.map((values) => window.explorer.show(values))", settings)

    def check_clean(self) -> None:
        """No console error, no failed script, no request off the page."""
        assert not self.errors, f"console errors: {self.errors}"
        assert not self.requests, f"requests off the page: {self.requests}"


def open_explorer(browser, view: str, data: dict, values: dict, width: int = 900) -> ExplorerPage:
    """A new page showing the view ``view`` (e.g. ``"sigmoid.js"``) with these data and values."""
    page = browser.new_page(viewport={"width": width, "height": 900})
    opened = ExplorerPage(page)
    page.on("console", lambda m: m.type == "error" and opened.errors.append(m.text))
    page.on("pageerror", lambda e: opened.errors.append(str(e)))

    def refuse(route):
        opened.requests.append(route.request.url)
        route.abort()

    page.route("http*://**", refuse)
    state = {**values, "data": data}
    page.set_content(_PAGE % {"source": json.dumps(bundle(view)), "state": json.dumps(state)})
    page.wait_for_function("window.ready === true || false", timeout=10_000)
    return opened


def sample_values(rng, low: float, high: float, step: float, count: int) -> list[float]:
    """``count`` slider positions between low and high on the slider's grid, both ends
    included, the rest drawn with ``rng`` (a seeded numpy Generator)."""
    positions = round((high - low) / step)
    picks = [0, positions, *rng.integers(0, positions + 1, size=count - 2).tolist()]
    return [round(low + k * step, 10) for k in picks]
