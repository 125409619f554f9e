"""axe-core in a playwright page: WCAG 2.1 A and AA violations, and best-practice advice.

axe-core is vendored for the tests only (``python tools/vendor_assets.py --test`` writes
tests/vendor/axe-core; ``make test`` runs it). ``check(page)`` injects it into a loaded
page, runs the WCAG rules and axe's best-practice rules in one pass, and returns
(violations, advice): every WCAG violation fails the caller's test; best-practice
findings are only printed, one line per page. ``assert_accessible(page, name)`` does that,
and can check the page's colours again in the theme's dark mode.
"""

from __future__ import annotations

import json
from pathlib import Path

from tool_modules import load_tool

VENDOR = Path(__file__).resolve().parent / "vendor"
AXE = VENDOR / "axe-core" / "axe.min.js"
FIX = "python tools/vendor_assets.py --test"
WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
ADVICE_TAG = "best-practice"
EXCERPT = 160  # characters of each failing element's HTML in a failure message
# The rules whose outcome depends on the colours: all the dark mode can change.
COLOUR_RULES = ["color-contrast", "link-in-text-block"]


def axe_source() -> str:
    """The vendored axe-core; a missing or stale copy fails with the command that fetches it."""
    vendor_assets = load_tool("vendor_assets")
    if not vendor_assets.is_current(VENDOR, vendor_assets.TEST_PACKAGES):
        wanted = vendor_assets.wanted_versions(vendor_assets.TEST_PACKAGES)["axe-core"]
        raise AssertionError(f"{VENDOR} does not hold {wanted}: run `{FIX}` (needs npm)")
    return AXE.read_text(encoding="utf-8")


def run(page, run_only: dict, within: str | None = None) -> dict:
    """axe's results for the page as it is now (only the violations are detailed): for
    the whole document, or only for the elements matching the CSS selector ``within``."""
    if not page.evaluate("() => typeof window.axe === 'object'"):
        page.add_script_tag(content=axe_source())
    return page.evaluate(
        """([runOnly, within]) => axe.run(within ? {include: [[within]]} : document,
                                            {runOnly, resultTypes: ['violations']})""",
        [run_only, within])


def check(page, within: str | None = None) -> tuple[list[dict], list[dict]]:
    """(WCAG violations, best-practice findings) of the page as it is now, or of the
    elements matching ``within``, as axe reports them (each with id, impact, help and
    nodes: target selectors and html)."""
    results = run(page, {"type": "tag", "values": WCAG_TAGS + [ADVICE_TAG]}, within)
    violations, advice = [], []
    for rule in results["violations"]:
        (violations if set(rule["tags"]) & set(WCAG_TAGS) else advice).append(rule)
    return violations, advice


def describe(violations: list[dict]) -> str:
    """One block per rule: id, impact, what it asks, and each element's selector and HTML."""
    lines = []
    for rule in violations:
        lines.append(f"{rule['id']} ({rule['impact']}): {rule['help']}, "
                     f"{len(rule['nodes'])} element(s)")
        for node in rule["nodes"]:
            html = " ".join(node["html"].split())
            if len(html) > EXCERPT:
                html = html[:EXCERPT] + "..."
            lines.append(f"  {json.dumps(node['target'])}: {html}")
    return "\n".join(lines)


def summary(name: str, advice: list[dict]) -> str:
    """The one printed line of best-practice findings for a page (never a failure)."""
    if not advice:
        return f"axe best-practice {name}: none"
    found = ", ".join(f"{rule['id']} x{len(rule['nodes'])}" for rule in advice)
    return f"axe best-practice {name}: {found}"


def check_dark_colours(page, within: str | None = None) -> list[dict]:
    """The colour rules' violations with the theme switched to dark mode in place (as its
    colour-mode button does: pydata-sphinx-theme reads data-theme), then back. Transitions
    are off meanwhile, or axe would read colours halfway between the modes."""
    before = page.evaluate(
        """() => { const root = document.documentElement, before = {...root.dataset};
                   const still = document.createElement('style');
                   still.id = 'axe-check-still';
                   still.textContent = '*, *::before, *::after { transition: none !important; }';
                   document.head.append(still);
                   root.dataset.mode = 'dark'; root.dataset.theme = 'dark';
                   return before; }""")
    try:
        return run(page, {"type": "rule", "values": COLOUR_RULES}, within)["violations"]
    finally:
        page.evaluate("""before => { Object.assign(document.documentElement.dataset, before);
                                     document.getElementById('axe-check-still').remove(); }""",
                      before)


def assert_accessible(page, name: str, dark: bool = False, within: str | None = None) -> None:
    """No WCAG 2.1 A or AA violation of any impact on the page (or in the elements matching
    the CSS selector ``within``), in light mode and, if ``dark``, none of the colour rules
    in dark mode; prints the best-practice findings."""
    violations, advice = check(page, within)
    print(summary(name, advice))
    dark = check_dark_colours(page, within) if dark else []
    found = []
    if violations:
        found.append(describe(violations))
    if dark:
        found.append("in dark mode:\n" + describe(dark))
    assert not found, f"{name}: axe-core finds WCAG 2.1 A/AA violations:\n" + "\n".join(found)
