"""Fixtures shared by the browser tests (the built book, and the notebooks live in JupyterLab)."""

from __future__ import annotations

import importlib.util
import os
from pathlib import Path

import pytest

# Debian's chromium (apt-get install chromium); playwright never downloads a browser here.
CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
]


@pytest.fixture(scope="module")
def browser():
    """Headless Chromium through playwright; skipped loudly without it, failed under CI."""
    if not CHROMIUM.exists() or importlib.util.find_spec("playwright") is None:
        message = (f"BROWSER TESTS NOT RUN: {CHROMIUM} or the playwright package is missing "
                   "(apt-get install chromium; pip install -r requirements.txt)")
        if os.environ.get("CI"):
            pytest.fail(message)
        pytest.skip(message)
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()
