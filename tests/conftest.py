"""Shared by every test: hypothesis's settings, the browser fixture (for the built book and
the notebooks live in JupyterLab), nbval's kernels started again when they lose the
race for their ports (the plugin in kernel_race.py), and started under another BLAS
kernel than this machine's (portable_kernels.py)."""

from __future__ import annotations

import importlib.util
import os
from pathlib import Path

import pytest
from hypothesis import HealthCheck, settings

# Property tests: no per-example deadline and no "too slow" health check, since a busy
# 2-core CI machine runs the same code several times slower; under CI the examples are
# derandomized, so a failure there is reproduced by running the same command again.
settings.register_profile(
    "course", deadline=None, suppress_health_check=[HealthCheck.too_slow],
    derandomize=bool(os.environ.get("CI")),
)
settings.load_profile("course")

pytest_plugins = ["kernel_race", "portable_kernels", "built_editions", "built_package"]

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


# xdist (--dist loadfile --no-loadscope-reorder, as `make test` runs it) hands the files to
# its workers in collection order, so a long file collected late ends the run alone on one
# worker (by default xdist orders files by their number of tests, which put the one-test
# student-notebook run last). The long ones go first, longest first (seconds per file on 2
# busy cores: 175, 80, 60, 55, 40, 20, 18); the order of everything else is kept.
LONG_FIRST = ("test_built_book.py", "test_built_student.py", "test_portability_student.py",
              "test_live_jupyterlab.py", "test_book_assets.py", "test_reader_notebooks.py",
              "test_live_reader_notebooks.py")


def pytest_collection_modifyitems(config, items):
    rank = {name: place for place, name in enumerate(LONG_FIRST)}
    items.sort(key=lambda item: rank.get(item.path.name, len(LONG_FIRST)))
