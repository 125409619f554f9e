"""Shared by every test: hypothesis's settings, the browser fixture (for the built book and
the notebooks live in JupyterLab), and nbval's kernels started again when they lose the
race for their ports."""

from __future__ import annotations

import functools
import importlib.util
import os
from pathlib import Path

import pytest
from hypothesis import HealthCheck, settings
from kernel_race import KERNEL_START_RACE

# Property tests: no per-example deadline and no "too slow" health check, since a busy
# 2-core CI machine runs the same code several times slower; under CI the examples are
# derandomized, so a failure there is reproduced by running the same command again.
settings.register_profile(
    "course", deadline=None, suppress_health_check=[HealthCheck.too_slow],
    derandomize=bool(os.environ.get("CI")),
)
settings.load_profile("course")

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


def pytest_configure(config):
    """nbval starts a kernel that lost the race for its ports once more (kernel_race.py)."""
    if not config.pluginmanager.hasplugin("nbval"):
        return
    import nbval.kernel

    start_once = nbval.kernel.start_new_kernel

    @functools.wraps(start_once)
    def start_new_kernel(*args, **kwargs):
        try:
            return start_once(*args, **kwargs)
        except RuntimeError as error:
            if KERNEL_START_RACE not in str(error):
                raise
            return start_once(*args, **kwargs)

    nbval.kernel.start_new_kernel = start_new_kernel
