"""The package's wheel and sdist, built once per test run (a pytest plugin).

test_reader_notebooks.py checks what the wheel holds and test_portability_student.py
installs it in a fresh venv; they run on different xdist workers. The first to ask for
the ``package_dist`` fixture builds under a file lock in the run's shared temporary
folder (as built_editions.py does for the books); the other waits and reuses it.
"""

from __future__ import annotations

import fcntl
import subprocess
import sys
from pathlib import Path

import pytest
from built_editions import shared_folder

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="session")
def package_dist(tmp_path_factory) -> Path:
    """A folder with the wheel and sdist, built with ``python -m build`` as ``make dist``
    builds them: the sdist, then the wheel from the sdist (a wheel built in the source
    tree would leave build/ there, whose stale files a later wheel ships)."""
    root = shared_folder(tmp_path_factory) / "package"
    root.mkdir(exist_ok=True)
    dist, failed = root / "dist", root / "failed"
    with (root / "lock").open("w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)  # released when the file closes
        if failed.exists():
            pytest.fail(failed.read_text())
        if not (root / "built").exists():
            build = subprocess.run(
                [sys.executable, "-m", "build", "--outdir", str(dist), str(ROOT)],
                capture_output=True, text=True)
            if build.returncode != 0:
                failed.write_text("python -m build failed:\n" + build.stdout[-3000:]
                                  + build.stderr[-3000:])
                pytest.fail(failed.read_text())
            (root / "built").touch()
    return dist
