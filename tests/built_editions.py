"""Both editions of the book, written and built once per test run (a pytest plugin).

test_built_book.py (the instructor edition's pages) and test_built_student.py (the
student edition's) run on different xdist workers, so that the browser checks of the
two editions run side by side; they share one build. The first worker to ask for the
``editions`` fixture builds both (in parallel) under a file lock in the run's shared
temporary folder; the other waits on the lock and reuses them, or fails with the same
message if the build failed.

The editions are built from the committed outputs (``--no-execute``): nbval checks those
against a fresh run of every chapter under another BLAS kernel (portable_kernels.py),
and test_portability_student.py runs the student notebooks without their solutions.
"""

from __future__ import annotations

import fcntl
import os
import re
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest
from tool_modules import load_tool

JUPYTER_BOOK = Path(sys.executable).with_name("jupyter-book")  # installed beside this Python
EDITIONS = ("student", "instructor")


def build_book(folder: Path) -> subprocess.Popen:
    """Start ``jupyter-book build`` on ``folder``; its whole output goes to build.log there."""
    log = (folder / "build.log").open("w")
    process = subprocess.Popen(
        [str(JUPYTER_BOOK), "build", str(folder), "-W", "-n", "--keep-going"],
        stdout=log, stderr=subprocess.STDOUT, text=True,
    )
    log.close()  # the child holds its own copy
    return process


def build_failure(name: str, folder: Path) -> str:
    """The build's own error lines (the kernel's among them), then the end of its log."""
    log = (folder / "build.log").read_text(errors="replace")
    errors = [line for line in log.splitlines()
              if re.search(r"Error|error:|WARNING|died", line) and "site-packages" not in line]
    return (f"{name} edition build failed (whole log: {folder / 'build.log'}).\n"
            + "Error lines:\n" + "\n".join(errors[:40]) + "\n...\nEnd of the log:\n"
            + log[-3000:])


def build_editions(base: Path) -> dict[str, Path]:
    """Write both editions into ``base`` and build them in parallel: {edition: folder}.
    Raises RuntimeError with the failing build's log lines."""
    make_edition = load_tool("make_edition")
    folders = {name: make_edition.make_edition(name, base / name, execute=False)
               for name in EDITIONS}
    builds = {name: build_book(folder) for name, folder in folders.items()}
    try:
        for name, process in builds.items():
            if process.wait(timeout=1200) != 0:
                raise RuntimeError(build_failure(name, folders[name]))
    finally:
        for process in builds.values():  # a failure leaves no build running
            if process.poll() is None:
                process.kill()
                process.wait()
    return folders


def shared_folder(tmp_path_factory) -> Path:
    """The run's temporary folder that every xdist worker sees (each has its own below)."""
    base = tmp_path_factory.getbasetemp()
    return base.parent if os.environ.get("PYTEST_XDIST_WORKER") else base


def once_per_run(root: Path, build: Callable[[], object]) -> None:
    """Run ``build`` once for the whole run, whichever xdist worker asks first: under a
    file lock in ``root``; the others wait and reuse its result. A build that raises
    RuntimeError fails every caller with the same message."""
    root.mkdir(exist_ok=True)
    done, failed = root / "built", root / "failed"
    with (root / "lock").open("w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)  # released when the file closes
        if failed.exists():
            pytest.fail(failed.read_text())
        if not done.exists():
            try:
                build()
            except RuntimeError as error:
                failed.write_text(str(error))
                pytest.fail(str(error))
            done.touch()


@pytest.fixture(scope="session")
def editions(tmp_path_factory) -> dict[str, Path]:
    """Both editions, built once for the whole run: {edition: folder}."""
    root = shared_folder(tmp_path_factory) / "editions"
    once_per_run(root, lambda: build_editions(root))
    return {name: root / name for name in EDITIONS}
