"""The package's wheel and sdist, built once per test run (a pytest plugin).

test_reader_notebooks.py checks what the wheel holds and test_portability_student.py
installs it in a fresh venv; they run on different xdist workers. The first to ask for
the ``package_dist`` fixture builds it (``once_per_run``, as built_editions.py builds
the books); the other waits and reuses it.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from built_editions import once_per_run, shared_folder

ROOT = Path(__file__).resolve().parents[1]


def build_package(dist: Path) -> None:
    """The sdist, then the wheel from the sdist, as ``make dist`` builds them (a wheel
    built in the source tree would leave build/ there, whose stale files a later wheel
    ships). Raises RuntimeError with the end of the build's output."""
    build = subprocess.run([sys.executable, "-m", "build", "--outdir", str(dist), str(ROOT)],
                           capture_output=True, text=True)
    if build.returncode != 0:
        raise RuntimeError("python -m build failed:\n" + build.stdout[-3000:]
                           + build.stderr[-3000:])


@pytest.fixture(scope="session")
def package_dist(tmp_path_factory) -> Path:
    """A folder holding the wheel and the sdist, built once for the whole run."""
    root = shared_folder(tmp_path_factory) / "package"
    once_per_run(root, lambda: build_package(root / "dist"))
    return root / "dist"
